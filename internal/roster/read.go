package roster

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"dangjian/internal/xlsx"
)

// limits are what reading one upload may cost; package xlsx checks them
// while the file streams in.
var limits = xlsx.Limits{
	FileSize:  MaxUploadSize,
	Parts:     maxZipEntries,
	Unzipped:  maxUnzipSize,
	PartSize:  maxPartSize,
	CellChars: xlsx.MaxCellChars,
	Rows:      maxSheetRows,
	Cells:     maxSheetCells,
	Merges:    MaxMerges,
}

// sheetData is what the import needs of a workbook: the layout and the data
// rows, or a report refusing the file.
type sheetData struct {
	layout   *layout
	rows     []row
	date1904 bool
}

// sizedReaderAt is an upload already in memory or on disk (bytes.Reader,
// strings.Reader, io.SectionReader): read in place, never copied.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// upload makes the file readable at any offset, as a zip must be. A stream
// is read into memory, at most MaxUploadSize bytes; more is a refusal, not
// a truncated import.
func upload(r io.Reader) (io.ReaderAt, int64, *Report, error) {
	if s, ok := r.(sizedReaderAt); ok {
		return s, s.Size(), nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxUploadSize+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(data) > MaxUploadSize {
		return nil, 0, refuse("roster.too_large", MaxUploadSize>>20), nil
	}
	if err != nil {
		return nil, 0, nil, err
	}
	return bytes.NewReader(data), int64(len(data)), nil, nil
}

// readSheet finds the sheet with a roster header in its first rows and
// reads its data rows. Offices sometimes keep one sheet per branch; such a
// workbook is refused rather than half imported.
func readSheet(ctx context.Context, r io.ReaderAt, size int64) (*sheetData, *Report, error) {
	wb, err := xlsx.Open(ctx, r, size, limits)
	if err != nil {
		return refusal(err)
	}
	var found []xlsx.Sheet
	var l *layout
	for _, s := range wb.Sheets {
		sl, err := findHeader(ctx, wb, s)
		if err != nil {
			return refusal(err)
		}
		if sl != nil {
			found = append(found, s)
			if l == nil {
				l = sl
			}
		}
	}
	switch {
	case len(found) == 0:
		return nil, refuse("roster.no_header", headerScanRows), nil
	case len(found) > 1:
		names := make([]string, len(found))
		for i, s := range found {
			names[i] = s.Name
		}
		return nil, refuse("roster.many_sheets", strings.Join(names, "、")), nil
	}
	if miss := l.missing(); len(miss) > 0 {
		return nil, refuse("roster.missing_columns", l.headerRow, strings.Join(miss, "、")), nil
	}
	sd := &sheetData{layout: l, date1904: wb.Date1904}
	if rep, err := readRows(ctx, wb, found[0], sd); rep != nil || err != nil {
		return nil, rep, err
	}
	if len(sd.rows) == 0 {
		return nil, refuse("roster.no_rows"), nil
	}
	return sd, nil, nil
}

// findHeader returns the sheet's layout, or nil when none of its first rows
// is a roster header.
func findHeader(ctx context.Context, wb *xlsx.Workbook, s xlsx.Sheet) (*layout, error) {
	rows, err := wb.Rows(ctx, s)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() && rows.Row().Num <= headerScanRows {
		if l, ok := matchHeader(rows.Row().Num, rows.Row().Strings()); ok {
			return l, nil
		}
	}
	return nil, rows.Err()
}

// readRows streams the rows below the header, keeping the layout's columns,
// skipping empty rows and the template's example, and stops as soon as
// there are more than MaxRows. Cells merged down a column are then filled in.
func readRows(ctx context.Context, wb *xlsx.Workbook, s xlsx.Sheet, sd *sheetData) (*Report, error) {
	l := sd.layout
	fieldAt := map[int]field{} // 1-based column → field
	for f := range numFields {
		if l.col[f] >= 0 {
			fieldAt[l.col[f]+1] = f
		}
	}
	rows, err := wb.Rows(ctx, s)
	if err != nil {
		_, rep, err := refusal(err)
		return rep, err
	}
	defer rows.Close()
	for rows.Next() {
		xr := rows.Row()
		if xr.Num <= l.headerRow {
			continue
		}
		r := row{num: xr.Num}
		for _, c := range xr.Cells {
			if f, ok := fieldAt[c.Col]; ok {
				r.cells[f] = cell{text: c.Value, numeric: c.Type == xlsx.Number}
			}
		}
		if r.empty() || strings.TrimSpace(r.cells[fSeq].text) == exampleMark {
			continue
		}
		if len(sd.rows) == MaxRows {
			return refuse("roster.too_many_rows", MaxRows), nil
		}
		sd.rows = append(sd.rows, r)
	}
	if err := rows.Err(); err != nil {
		_, rep, err := refusal(err)
		return rep, err
	}
	fillMerged(rows.Merges(), sd)
	return nil, nil
}

// fillMerged copies the value of cells merged down a column (所在支部 or
// 工作单位 written once for a block of people) into each row of the block.
// Merges within one row (a section title across the sheet) are left alone:
// such a row holds at most a 序号 and is skipped as empty.
func fillMerged(merges []xlsx.Range, sd *sheetData) {
	if len(merges) == 0 {
		return
	}
	nums := make([]int, len(sd.rows))
	for i, r := range sd.rows {
		nums[i] = r.num
	}
	var cols []int
	fieldAt := map[int]field{}
	for f := fName; f < numFields; f++ {
		if c := sd.layout.col[f]; c >= 0 {
			cols = append(cols, c+1)
			fieldAt[c+1] = f
		}
	}
	xlsx.FillDown(merges, nums, cols, func(col, i, top int) {
		f := fieldAt[col]
		if c := &sd.rows[i].cells[f]; strings.TrimSpace(c.text) == "" {
			*c = sd.rows[top].cells[f]
		}
	})
}

// refusal turns what the reader refused into the report the user reads.
// Other errors (a cancelled request, a failing disk) are not the file's fault.
func refusal(err error) (*sheetData, *Report, error) {
	var e *xlsx.Error
	if !errors.As(err, &e) {
		return nil, nil, err
	}
	var rep Report
	switch {
	case errors.Is(e, xlsx.ErrEmpty):
		rep = fileProblem("roster.empty_file")
	case errors.Is(e, xlsx.ErrLegacy):
		rep = fileProblem("roster.xls_or_encrypted")
	case errors.Is(e, xlsx.ErrNotXLSX):
		rep = fileProblem("roster.not_xlsx")
	case errors.Is(e, xlsx.ErrFileSize):
		rep = fileProblem("roster.too_large", MaxUploadSize>>20)
	case errors.Is(e, xlsx.ErrUnzipped):
		rep = fileProblem("roster.unzip_limit")
	case errors.Is(e, xlsx.ErrCellLength) && e.Row > 0:
		rep = fileProblem("roster.cell_too_long", e.Row, xlsx.ColumnName(e.Col), e.Limit)
	case errors.Is(e, xlsx.ErrCellLength):
		rep = fileProblem("roster.text_too_long", e.Limit)
	case errors.Is(e, xlsx.ErrRows):
		rep = fileProblem("roster.sheet_rows", e.Limit)
	case errors.Is(e, xlsx.ErrCells):
		rep = fileProblem("roster.sheet_cells", e.Limit)
	case errors.Is(e, xlsx.ErrMerges):
		rep = fileProblem("roster.too_many_merges", e.Limit)
	default:
		rep = fileProblem("roster.unreadable")
	}
	return nil, &rep, nil
}
