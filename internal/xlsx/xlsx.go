// Package xlsx reads and writes Excel workbooks (.xlsx) for the platform's
// imports and exports: the roster, the audit log, whatever comes next.
//
// Reading is this package's own, over archive/zip and encoding/xml token
// streaming, because a workbook is outside input: a 150 KB upload may
// unpack into gigabytes. excelize, which the platform still uses to write,
// reads shared strings and merged ranges whole, in memory, cannot bound one
// cell's length nor be cancelled, and looks merged cells up in time that
// grows with the square of their number; offices' uploads reached 1.5 GB of
// memory and minutes of CPU through it. Here every limit (Limits) is checked
// while the bytes stream in, before anything is kept: the file's size, the
// number of parts, the bytes actually inflated (never the sizes the archive
// declares), the length of each cell, the rows and cells of a sheet (empty
// ones included) and its merged ranges. Every read checks its context, so a
// cancelled request or job stops within milliseconds. Each refusal is an
// *Error wrapping one of the Err values, which callers turn into a message.
//
// Writing goes through Table: one streaming table writer (excelize's
// StreamWriter underneath) with column widths, a frozen header row, text and
// date columns, masking of sensitive columns and a cut at the cell length
// Excel accepts.
package xlsx

import (
	"errors"
	"fmt"
)

// MaxCellChars is the most characters (UTF-16 code units) Excel puts in one
// cell; a longer cell does not come from Excel.
const MaxCellChars = 32767

// Limits bound what reading one workbook may cost. A zero field takes its
// value from DefaultLimits.
type Limits struct {
	FileSize  int64 // bytes of the .xlsx file itself
	Parts     int   // entries in its zip archive
	Unzipped  int64 // bytes inflated in all, over every part read (a part read twice counts twice)
	PartSize  int64 // bytes inflated from any one part
	CellChars int   // characters in one cell or shared string
	Rows      int   // <row> elements of one sheet, empty ones included
	Cells     int   // <c> elements of one sheet, blank ones included; also the most shared strings
	Merges    int   // merged ranges of one sheet
}

// DefaultLimits suit a workbook typed by people: well above any office's
// roster, far below what hurts a server.
var DefaultLimits = Limits{
	FileSize:  10 << 20,
	Parts:     1000,
	Unzipped:  200 << 20,
	PartSize:  100 << 20,
	CellChars: MaxCellChars,
	Rows:      100_000,
	Cells:     3_000_000,
	Merges:    10_000,
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits
	pick := func(v, def int64) int64 {
		if v > 0 {
			return v
		}
		return def
	}
	l.FileSize = pick(l.FileSize, d.FileSize)
	l.Parts = int(pick(int64(l.Parts), int64(d.Parts)))
	l.Unzipped = pick(l.Unzipped, d.Unzipped)
	l.PartSize = pick(l.PartSize, d.PartSize)
	l.CellChars = int(pick(int64(l.CellChars), int64(d.CellChars)))
	l.Rows = int(pick(int64(l.Rows), int64(d.Rows)))
	l.Cells = int(pick(int64(l.Cells), int64(d.Cells)))
	l.Merges = int(pick(int64(l.Merges), int64(d.Merges)))
	return l
}

// Why a workbook is refused. Callers test with errors.Is and read the
// details (where, which limit) from the *Error.
var (
	ErrEmpty      = errors.New("xlsx: the file is empty")
	ErrLegacy     = errors.New("xlsx: an old .xls or a password-protected workbook")
	ErrNotXLSX    = errors.New("xlsx: not an .xlsx workbook")
	ErrCorrupt    = errors.New("xlsx: the workbook is damaged")
	ErrFileSize   = errors.New("xlsx: the file is too large")
	ErrUnzipped   = errors.New("xlsx: the workbook unpacks into too much")
	ErrCellLength = errors.New("xlsx: a cell is too long")
	ErrRows       = errors.New("xlsx: a sheet has too many rows")
	ErrCells      = errors.New("xlsx: a sheet has too many cells")
	ErrMerges     = errors.New("xlsx: a sheet has too many merged ranges")
)

// Error is a refusal of a workbook: which rule it broke, and where.
type Error struct {
	Err   error  // one of the Err values
	Part  string // the part being read, e.g. "xl/worksheets/sheet1.xml"; "" for the file
	Row   int    // 1-based row of the cell or row to blame; 0 when none
	Col   int    // 1-based column of the cell to blame; 0 when none
	Limit int64  // the limit passed, for all but ErrEmpty, ErrLegacy, ErrNotXLSX and ErrCorrupt
}

func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Part != "" {
		s += " (" + e.Part
		if e.Row > 0 && e.Col > 0 {
			s += " " + CellName(e.Col, e.Row)
		} else if e.Row > 0 {
			s += fmt.Sprintf(" row %d", e.Row)
		}
		s += ")"
	}
	if e.Limit > 0 {
		s += fmt.Sprintf(", limit %d", e.Limit)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }
