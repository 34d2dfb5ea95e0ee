package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetData is what the import needs of a workbook: the layout and the data
// rows, or a report refusing the file.
type sheetData struct {
	layout   *layout
	rows     []row
	date1904 bool
}

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts an old .xls file and a password-protected .xlsx.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// readUpload reads at most MaxUploadSize bytes; more is a refusal, not a
// truncated import.
func readUpload(r io.Reader) ([]byte, *Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUploadSize+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(data) > MaxUploadSize {
		rep := fileProblem("roster.too_large", MaxUploadSize>>20)
		return nil, &rep, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return data, nil, nil
}

// checkZip refuses, by content and before any XML is parsed, what is not a
// workbook or would unpack into far more than a roster can be.
func checkZip(data []byte) *Report {
	refuse := func(key string, args ...any) *Report { r := fileProblem(key, args...); return &r }
	switch {
	case len(data) == 0:
		return refuse("roster.empty_file")
	case bytes.HasPrefix(data, oleMagic):
		return refuse("roster.xls_or_encrypted")
	case !bytes.HasPrefix(data, zipMagic):
		return refuse("roster.not_xlsx")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return refuse("roster.not_xlsx")
	}
	if len(zr.File) > maxZipEntries {
		return refuse("roster.unzip_limit")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64 // archive/zip refuses entries longer than declared
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			workbook = true
		}
	}
	if total > maxUnzipSize {
		return refuse("roster.unzip_limit")
	}
	if !workbook {
		return refuse("roster.not_xlsx")
	}
	return nil
}

// openWorkbook opens checked bytes with excelize's own unzip limits as the
// second line. The caller closes the file (it may hold temporary files).
func openWorkbook(data []byte) (*excelize.File, *Report) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzipSize,
		UnzipXMLSizeLimit: maxUnzipXMLSize,
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		r := fileProblem("roster.unreadable")
		return nil, &r
	}
	return f, nil
}

// readSheet finds the sheet with a roster header in its first rows and
// reads its data rows. Offices sometimes keep one sheet per branch; such a
// workbook is refused rather than half imported.
func readSheet(f *excelize.File) (*sheetData, *Report, error) {
	refuse := func(key string, args ...any) *Report { r := fileProblem(key, args...); return &r }
	var found []string
	var l *layout
	for _, name := range f.GetSheetList() {
		sl, err := findHeader(f, name)
		if err != nil {
			return nil, refuse("roster.unreadable"), nil
		}
		if sl != nil {
			found = append(found, name)
			if l == nil {
				l = sl
			}
		}
	}
	switch {
	case len(found) == 0:
		return nil, refuse("roster.no_header", headerScanRows), nil
	case len(found) > 1:
		return nil, refuse("roster.many_sheets", strings.Join(found, "、")), nil
	}
	if miss := l.missing(); len(miss) > 0 {
		return nil, refuse("roster.missing_columns", l.headerRow, strings.Join(miss, "、")), nil
	}
	sd := &sheetData{layout: l}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		sd.date1904 = *props.Date1904
	}
	if rep := readRows(f, found[0], sd); rep != nil {
		return nil, rep, nil
	}
	if len(sd.rows) == 0 {
		return nil, refuse("roster.no_rows"), nil
	}
	return sd, nil, nil
}

// findHeader returns the sheet's layout, or nil when none of its first rows
// is a roster header.
func findHeader(f *excelize.File, sheet string) (*layout, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for n := 1; n <= headerScanRows && rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if l, ok := matchHeader(n, cells); ok {
			return l, nil
		}
	}
	return nil, rows.Error()
}

// readRows streams the rows below the header, skipping empty ones and the
// template's example, and stops as soon as there are more than MaxRows.
func readRows(f *excelize.File, sheet string, sd *sheetData) *Report {
	refuse := func(key string, args ...any) *Report { r := fileProblem(key, args...); return &r }
	l := sd.layout
	it, err := f.Rows(sheet)
	if err != nil {
		return refuse("roster.unreadable")
	}
	defer it.Close()
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns()
		if err != nil {
			return refuse("roster.unreadable")
		}
		if n <= l.headerRow {
			continue
		}
		r := row{num: n}
		for fld := range numFields {
			if c := l.col[fld]; c >= 0 && c < len(cells) {
				r.cells[fld].text = cells[c]
			}
		}
		if r.empty() || strings.TrimSpace(r.cells[fSeq].text) == exampleMark {
			continue
		}
		if len(sd.rows) == MaxRows {
			return refuse("roster.too_many_rows", MaxRows)
		}
		sd.rows = append(sd.rows, r)
	}
	if it.Error() != nil {
		return refuse("roster.unreadable")
	}
	if err := fillMerged(f, sheet, sd); err != nil {
		return refuse("roster.unreadable")
	}
	// Which cells Excel holds as numbers matters for ID numbers (digits
	// lost), phones and dates; only the cells that could be numbers are asked.
	for i := range sd.rows {
		r := &sd.rows[i]
		for _, fld := range []field{fIDNumber, fPhone, fBirth, fJoined, fFull} {
			c := &r.cells[fld]
			if l.col[fld] < 0 || !looksNumber(strings.TrimSpace(c.text)) {
				continue
			}
			ref, err := excelize.CoordinatesToCellName(l.col[fld]+1, r.num)
			if err != nil {
				return refuse("roster.unreadable")
			}
			t, err := f.GetCellType(sheet, ref)
			if err != nil {
				return refuse("roster.unreadable")
			}
			c.numeric = t == excelize.CellTypeNumber || t == excelize.CellTypeUnset
		}
	}
	return nil
}

// fillMerged copies the value of cells merged down a column (所在支部 or
// 工作单位 written once for a block of people) into each row of the block.
// Merges within one row (a section title across the sheet) are left alone:
// such a row holds at most a 序号 and is skipped as empty.
func fillMerged(f *excelize.File, sheet string, sd *sheetData) error {
	merged, err := f.GetMergeCells(sheet)
	if err != nil || len(merged) == 0 {
		return err
	}
	index := make(map[int]int, len(sd.rows)) // row number → position in sd.rows
	for i, r := range sd.rows {
		index[r.num] = i
	}
	for _, m := range merged {
		c1, r1, err := excelize.CellNameToCoordinates(m.GetStartAxis())
		if err != nil {
			return err
		}
		c2, r2, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err != nil {
			return err
		}
		top, ok := index[r1]
		if r2 <= r1 || r1 <= sd.layout.headerRow || !ok {
			continue
		}
		for fld := range numFields {
			col := sd.layout.col[fld] + 1
			if col < c1 || col > c2 || fld == fSeq {
				continue
			}
			for rn := r1 + 1; rn <= r2; rn++ {
				if i, ok := index[rn]; ok && strings.TrimSpace(sd.rows[i].cells[fld].text) == "" {
					sd.rows[i].cells[fld] = sd.rows[top].cells[fld]
				}
			}
		}
	}
	return nil
}
