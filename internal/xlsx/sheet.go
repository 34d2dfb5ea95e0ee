package xlsx

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
)

// Type is what a cell holds, as the file stores it.
type Type uint8

const (
	Number     Type = iota + 1 // a number; dates typed into a date cell are serial numbers too
	Text                       // a shared string, an inline string or a formula's text
	Bool                       // TRUE or FALSE
	ErrorValue                 // an error value such as #N/A
	Date                       // an ISO 8601 date (t="d"), rare
)

// Cell is one cell with a value; cells without one are not reported.
type Cell struct {
	Col   int    // 1-based column
	Type  Type   //
	Value string // the value as stored: a number's digits, not its display
}

// Row is one row of a sheet with its non-empty cells, left to right.
type Row struct {
	Num   int // 1-based, as Excel shows it
	Cells []Cell
}

// Strings is the row as texts by 0-based column, up to its last cell.
func (r Row) Strings() []string {
	if len(r.Cells) == 0 {
		return nil
	}
	out := make([]string, r.Cells[len(r.Cells)-1].Col)
	for _, c := range r.Cells {
		out[c.Col-1] = c.Value
	}
	return out
}

// Rows reads a sheet row by row:
//
//	rows, err := wb.Rows(ctx, sheet)
//	…
//	defer rows.Close()
//	for rows.Next() {
//		row := rows.Row()
//	}
//	if err := rows.Err(); err != nil { … }
//	merged := rows.Merges()
//
// Rows with and without numbers (r="…") are read alike, and so are cells.
type Rows struct {
	ctx  context.Context
	wb   *Workbook
	x    *decoder
	part string
	lim  Limits

	row    Row
	count  int  // <row> elements read, empty ones included
	cells  int  // <c> elements read, blank ones included
	inData bool // inside <sheetData>
	inRow  bool
	done   bool
	err    error
	merges []Range

	// the cell being read
	inCell, inValue, inInline, inPhonetic bool
	col                                   int // the cell's column, or the last one read in the row
	typ                                   string
	text                                  cellText
}

// Rows starts reading a sheet. The caller closes it.
func (wb *Workbook) Rows(ctx context.Context, s Sheet) (*Rows, error) {
	src, err := wb.a.open(ctx, s.part)
	if err != nil {
		return nil, err
	}
	return &Rows{ctx: ctx, wb: wb, x: newDecoder(src), part: s.part, lim: wb.a.lim}, nil
}

// Close stops reading.
func (r *Rows) Close() error { return r.x.src.Close() }

// Row is the row Next moved to. It is valid until the next call to Next:
// copy what is kept.
func (r *Rows) Row() Row { return r.row }

// Err is why reading stopped early: the context's error, an *Error, or nil
// at the end of the sheet.
func (r *Rows) Err() error { return r.err }

// Merges are the sheet's merged ranges, known once Next has returned false
// without an error: the file lists them after the rows.
func (r *Rows) Merges() []Range { return r.merges }

// Next moves to the next row that has an element in the file, empty or not.
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	// Reads check the context every few kilobytes; rows already buffered
	// are not read on either.
	if err := r.ctx.Err(); err != nil {
		return r.stop(err)
	}
	for {
		t, err := r.x.next()
		if errors.Is(err, io.EOF) {
			r.done = true
			return false
		}
		if err != nil {
			return r.stop(r.x.fail(err, func() *Error {
				if r.inCell {
					return r.tooLong()
				}
				return nil
			}))
		}
		var ok bool
		switch t := t.(type) {
		case xml.StartElement:
			err = r.start(t)
		case xml.EndElement:
			ok, err = r.end(t)
		case xml.CharData:
			if r.inValue && !r.text.add(t) {
				err = r.tooLong()
			}
		}
		if err != nil {
			return r.stop(err)
		}
		if ok {
			return true
		}
	}
}

func (r *Rows) stop(err error) bool {
	r.err, r.done = err, true
	return false
}

func (r *Rows) tooLong() *Error {
	return &Error{Err: ErrCellLength, Part: r.part, Row: r.row.Num, Col: r.col, Limit: int64(r.lim.CellChars)}
}

func (r *Rows) corrupt() error { return &Error{Err: ErrCorrupt, Part: r.part, Row: r.row.Num} }

func (r *Rows) start(se xml.StartElement) error {
	switch se.Name.Local {
	case "sheetData":
		r.inData = true
	case "row":
		if !r.inData {
			return nil
		}
		if r.inRow {
			return r.corrupt()
		}
		r.count++
		if r.count > r.lim.Rows {
			return &Error{Err: ErrRows, Part: r.part, Limit: int64(r.lim.Rows)}
		}
		num := r.row.Num + 1
		if v, ok := attr(se, "r"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= r.row.Num { // rows come in order, each once
				return r.corrupt()
			}
			num = n
		}
		if num > maxRow {
			return r.corrupt()
		}
		r.row, r.inRow, r.col = Row{Num: num, Cells: r.row.Cells[:0]}, true, 0
	case "c":
		if !r.inRow {
			return r.corruptIf(r.inData)
		}
		if r.inCell {
			return r.corrupt()
		}
		r.cells++
		if r.cells > r.lim.Cells {
			return &Error{Err: ErrCells, Part: r.part, Limit: int64(r.lim.Cells)}
		}
		col := r.col + 1 // a cell without a reference follows the one before
		if v, ok := attr(se, "r"); ok {
			c, _, ok := parseRef(v)
			if !ok || c == 0 {
				return r.corrupt()
			}
			col = c
		}
		if col > maxCol || col <= r.col { // cells come in order, each once
			return r.corrupt()
		}
		r.inCell, r.col, r.typ = true, col, attrOr(se, "t")
		r.text.reset(r.lim.CellChars)
	case "v":
		r.inValue = r.inCell && !r.inInline
	case "is":
		r.inInline = r.inCell
	case "rPh":
		r.inPhonetic = r.inInline
	case "t":
		r.inValue = r.inInline && !r.inPhonetic
	case "mergeCell":
		if r.inData {
			return nil
		}
		if len(r.merges) == r.lim.Merges {
			return &Error{Err: ErrMerges, Part: r.part, Limit: int64(r.lim.Merges)}
		}
		if m, ok := parseRange(attrOr(se, "ref")); ok {
			r.merges = append(r.merges, m)
		}
	}
	return nil
}

func (r *Rows) corruptIf(bad bool) error {
	if bad {
		return r.corrupt()
	}
	return nil
}

func (r *Rows) end(ee xml.EndElement) (rowDone bool, err error) {
	switch ee.Name.Local {
	case "sheetData":
		r.inData = false
	case "row":
		if !r.inRow || r.inCell {
			return false, r.corruptIf(r.inCell)
		}
		r.inRow = false
		return true, nil
	case "c":
		if !r.inCell {
			return false, nil
		}
		r.inCell, r.inValue, r.inInline, r.inPhonetic = false, false, false, false
		return false, r.addCell()
	case "v":
		r.inValue = false
	case "t":
		if r.inInline {
			r.inValue = false
		}
	case "rPh":
		r.inPhonetic = false
	case "is":
		r.inInline = false
	}
	return false, nil
}

// addCell keeps the cell just read if it holds a value.
func (r *Rows) addCell() error {
	if r.text.empty() {
		return nil // a formatted blank
	}
	c := Cell{Col: r.col}
	switch r.typ {
	case "s":
		i, ok := atoi(string(r.text.b))
		if !ok {
			return r.corrupt()
		}
		if c.Value, ok = r.wb.strings.get(i); !ok {
			return r.corrupt()
		}
		c.Type = Text
	case "inlineStr", "str":
		c.Type, c.Value = Text, r.text.String()
	case "b":
		c.Type, c.Value = Bool, "FALSE"
		if string(r.text.b) == "1" {
			c.Value = "TRUE"
		}
	case "e":
		c.Type, c.Value = ErrorValue, r.text.String()
	case "d":
		c.Type, c.Value = Date, r.text.String()
	default: // "n", or no type at all
		c.Type, c.Value = Number, r.text.String()
	}
	if c.Value != "" { // an empty text shows nothing either
		r.row.Cells = append(r.row.Cells, c)
	}
	return nil
}
