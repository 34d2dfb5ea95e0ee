package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Format is how a column's cells are kept.
type Format uint8

const (
	General Format = iota
	AsText         // "@": what is typed into the column later stays text (ID numbers, phones)
	AsDate         // yyyy-mm-dd; values are time.Time
)

// Column is one column of a Table.
type Column struct {
	Header string
	Width  float64 // in Excel's character units; 0 leaves Excel's default
	Format Format
	// Mask, when set, hides the column's texts in a masked table (ID
	// numbers, phones for a role that may not see them).
	Mask func(string) string
}

// Table writes one sheet of rows under a frozen header, streaming: rows go
// to excelize's StreamWriter, which keeps them in a temporary file past a
// few megabytes, so an export of 100,000 rows does not sit in memory.
type Table struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []Column
	styles []int // each column's cell style; 0 for none
	date   int   // the date style, for times in columns of no format
	mask   bool
	rows   int // rows written, the header included
	cells  []any
}

// NewTable starts a workbook with one sheet of the given columns. When
// masked is true, the columns' Mask functions are applied to every value.
// The caller closes the table (it may hold a temporary file).
func NewTable(sheet string, cols []Column, masked bool) (*Table, error) {
	t := &Table{f: excelize.NewFile(), cols: cols, styles: make([]int, len(cols)), mask: masked, cells: make([]any, len(cols))}
	if err := t.start(sheet); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Table) start(sheet string) error {
	if err := t.f.SetSheetName(t.f.GetSheetName(0), sheet); err != nil {
		return err
	}
	st, err := newStyles(t.f)
	if err != nil {
		return err
	}
	t.date = st.date
	if t.sw, err = t.f.NewStreamWriter(sheet); err != nil {
		return err
	}
	for i, c := range t.cols {
		n := i + 1
		if c.Width > 0 {
			if err := t.sw.SetColWidth(n, n, c.Width); err != nil {
				return err
			}
		}
		switch c.Format {
		case AsText:
			t.styles[i] = st.text
		case AsDate:
			t.styles[i] = st.date
		}
		if t.styles[i] != 0 {
			if err := t.sw.SetColStyle(n, n, t.styles[i]); err != nil {
				return err
			}
		}
	}
	if err := t.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	return t.writeRow(header)
}

// Add writes one row, a value per column: nil, a string, a number, a bool
// or a time.Time. Texts longer than a cell holds are cut, with "…" at the end.
func (t *Table) Add(values ...any) error {
	if len(values) > len(t.cols) {
		return fmt.Errorf("xlsx: %d values for %d columns", len(values), len(t.cols))
	}
	clear(t.cells)
	for i, v := range values {
		c := t.cols[i]
		if s, ok := v.(string); ok {
			if t.mask && c.Mask != nil && s != "" {
				s = c.Mask(s)
			}
			v = Cut(s, MaxCellChars)
			if s == "" {
				v = nil
			}
		}
		style := t.styles[i]
		if tm, ok := v.(time.Time); ok {
			if tm.IsZero() {
				v = nil
			} else if style == 0 {
				style = t.date // a time shows as a date, not as a serial number
			}
		}
		if v != nil && style != 0 {
			v = excelize.Cell{StyleID: style, Value: v}
		}
		t.cells[i] = v
	}
	return t.writeRow(t.cells)
}

func (t *Table) writeRow(cells []any) error {
	t.rows++
	return t.sw.SetRow(CellName(1, t.rows), cells)
}

// Rows is how many rows were added, the header not counted.
func (t *Table) Rows() int { return t.rows - 1 }

// WriteTo finishes the workbook and writes it out.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	if err := t.sw.Flush(); err != nil {
		return 0, err
	}
	return t.f.WriteTo(w)
}

// Close releases the temporary file, if any.
func (t *Table) Close() error { return t.f.Close() }

// Cut shortens s to at most n characters as Excel counts them (UTF-16 code
// units), ending a cut text with "…" so a reader sees it was cut.
func Cut(s string, n int) string {
	if len(s) <= n || utf16Len(s) <= n { // a byte is at most one unit
		return s
	}
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n-1 { // room for the "…"
			return s[:i] + "…"
		}
		units += w
	}
	return s
}

// styles are the looks a table's cells take.
type styles struct {
	header, text, date int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@"
		return s, err
	}
	dateFmt := "yyyy-mm-dd"
	s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	return s, err
}
