package xlsx

import "strconv"

// Excel's own bounds on a sheet: no reference beyond them is real.
const (
	maxCol = 16384   // XFD
	maxRow = 1048576 // 2^20
)

// ColumnName is a 1-based column's letters: 1 → A, 27 → AA.
func ColumnName(col int) string {
	var b [4]byte
	i := len(b)
	for col > 0 && i > 0 {
		col--
		i--
		b[i] = byte('A' + col%26)
		col /= 26
	}
	return string(b[i:])
}

// CellName is a cell's reference: (3, 12) → C12.
func CellName(col, row int) string { return ColumnName(col) + strconv.Itoa(row) }

// parseRef reads a cell reference such as "C12" or "$C$12" into its 1-based
// column and row. Either part may be missing ("C", "12") in a row's r
// attribute or a whole-column range; it is then 0.
func parseRef(s string) (col, row int, ok bool) {
	i := 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	for ; i < len(s); i++ {
		c := s[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
		if col > maxCol {
			return 0, 0, false
		}
	}
	if i < len(s) && s[i] == '$' {
		i++
	}
	start := i
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
		if row > maxRow {
			return 0, 0, false
		}
	}
	if i == start && col == 0 || i > start && row == 0 {
		return 0, 0, false
	}
	return col, row, true
}

// Range is a rectangle of cells, 1-based and inclusive, as a merged range.
type Range struct {
	Top, Left, Bottom, Right int
}

// String is the range as Excel writes it: "A1:N1".
func (r Range) String() string {
	return CellName(r.Left, r.Top) + ":" + CellName(r.Right, r.Bottom)
}

// parseRange reads "A1:N1" (or a single cell "A1") into a Range.
func parseRange(s string) (Range, bool) {
	a, b := s, s
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			a, b = s[:i], s[i+1:]
			break
		}
	}
	c1, r1, ok1 := parseRef(a)
	c2, r2, ok2 := parseRef(b)
	if !ok1 || !ok2 || c1 == 0 || r1 == 0 || c2 == 0 || r2 == 0 {
		return Range{}, false
	}
	return Range{Top: min(r1, r2), Left: min(c1, c2), Bottom: max(r1, r2), Right: max(c1, c2)}, true
}
