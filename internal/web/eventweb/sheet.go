package eventweb

import (
	"archive/zip"
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/date"
	"dangjian/internal/roster"
)

// The area reads a paper sheet typed into Excel and writes its figures to
// Excel through these two functions only, over excelize directly; they move
// onto internal/xlsx (the streaming reader and writer with limits) when it
// lands, and nothing else here changes.

// Limits of an uploaded sheet: its size, and what it may unpack into.
const (
	maxSheetUnzip = 64 << 20
	maxSheetParts = 200
)

// readWorkbook returns the rows of the first non-empty sheet of an .xlsx as
// text (dates as Excel serial numbers), or the message key of why the file
// is refused: not a workbook, an old .xls or encrypted file, or too large
// unpacked (a zip bomb).
func readWorkbook(data []byte) ([][]string, string) {
	switch {
	case len(data) == 0:
		return nil, "roster.empty_file"
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, "roster.xls_or_encrypted"
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, "roster.not_xlsx"
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > maxSheetParts {
		return nil, "roster.not_xlsx"
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxSheetUnzip {
		return nil, "roster.unzip_limit"
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxSheetUnzip, UnzipXMLSizeLimit: maxSheetUnzip / 4})
	if err != nil {
		return nil, "roster.unreadable"
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, "roster.unreadable"
		}
		if len(rows) > 0 {
			return rows, ""
		}
	}
	return nil, "event.import.no_rows"
}

// sheetDate reads a date cell: an Excel serial number, or text in the
// styles offices type (2026-06-15, 2026.6.15, 2026年6月15日).
func sheetDate(s string) (date.Date, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 20000 && n < 80000 {
		t, err := excelize.ExcelDateToTime(n, false)
		if err != nil {
			return date.Date{}, false
		}
		return date.FromTime(t), true
	}
	d, monthOnly, ok := roster.ParseDate(s)
	return d, ok && !monthOnly
}

// sheet is one worksheet to write: a title line, a header and rows.
type sheet struct {
	Name   string
	Title  string
	Header []string
	Rows   [][]any
	Widths []float64
}

// writeWorkbook writes sheets into an .xlsx.
func writeWorkbook(sheets []sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}})
	if err != nil {
		return nil, err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}
	for i, sh := range sheets {
		name := sh.Name
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, err
		}
		for c, w := range sh.Widths {
			if err := sw.SetColWidth(c+1, c+1, w); err != nil {
				return nil, err
			}
		}
		row := 1
		if sh.Title != "" {
			if err := sw.SetRow("A1", []any{excelize.Cell{Value: sh.Title, StyleID: title}}); err != nil {
				return nil, err
			}
			row++
		}
		header := make([]any, len(sh.Header))
		for j, h := range sh.Header {
			header[j] = excelize.Cell{Value: h, StyleID: bold}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, header); err != nil {
			return nil, err
		}
		for _, r := range sh.Rows {
			row++
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, r); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
