package roster

import (
	"bytes"
	"context"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/msg"
	"dangjian/internal/xlsx"
)

// ErrorList is the uploaded sheet as it was, every cell as text, with a
// 错误说明 column after the last that says what is wrong with each row
// (its problems, and a name the tree lacks), so the office corrects the
// file it has and uploads it again. ok is false when the file has no
// roster sheet to annotate (it was refused as a whole).
func ErrorList(ctx context.Context, data []byte, rep Report) (out []byte, ok bool, err error) {
	sd, refused, err := readSheet(ctx, bytes.NewReader(data), int64(len(data)))
	if err != nil || refused != nil {
		return nil, false, err
	}
	notes := map[int][]string{}
	for _, p := range rep.Problems {
		if p.Row > 0 {
			text := p.Text
			if p.Column != "" {
				text = p.Column + "：" + text
			}
			notes[p.Row] = append(notes[p.Row], text)
		}
	}
	// The report names the first rows of a missing name only: the rows
	// are found again by what their cells say.
	missing := map[[2]string]string{}
	for _, m := range rep.Missing {
		missing[[2]string{m.Kind, m.Name}] = m.Text
	}
	missingRows := map[int][]string{}
	for i := range sd.rows {
		r := &sd.rows[i]
		for _, k := range [][2]string{{"unit", cellText(r, fUnit)}, {"org", cellText(r, fOrg)}} {
			if t, ok := missing[k]; ok && k[1] != "" {
				missingRows[r.num] = append(missingRows[r.num], t)
			}
		}
	}
	sd.rows = nil
	wb, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), limits)
	if err != nil {
		return nil, false, err
	}
	var sheet xlsx.Sheet
	for _, s := range wb.Sheets {
		if l, err := findHeader(ctx, wb, s); err != nil {
			return nil, false, err
		} else if l != nil {
			sheet = s
			break
		}
	}
	rows, err := wb.Rows(ctx, sheet)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	f := excelize.NewFile()
	defer f.Close()
	name := msg.Text("roster.error_sheet")
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, false, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, false, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, false, err
	}
	alert, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"}, NumFmt: 49})
	if err != nil {
		return nil, false, err
	}
	// The note column sits after the widest row of the header's width.
	noteCol := 0
	for i := range sd.layout.col {
		noteCol = max(noteCol, sd.layout.col[i]+1)
	}
	type line struct {
		num   int
		cells []string
	}
	dateCol := map[int]bool{} // 1-based
	for _, f := range dateFields {
		if c := sd.layout.col[f]; c >= 0 {
			dateCol[c+1] = true
		}
	}
	var lines []line
	for rows.Next() {
		xr := rows.Row()
		cells := xr.Strings()
		// A date cell holds a day number; the list shows the date.
		for _, c := range xr.Cells {
			if dateCol[c.Col] && c.Type == xlsx.Number && xr.Num > sd.layout.headerRow {
				if d, _, key := cellDate(cell{text: c.Value, numeric: true}, wb.Date1904); key == "" {
					cells[c.Col-1] = d.String()
				}
			}
		}
		noteCol = max(noteCol, len(cells))
		lines = append(lines, line{xr.Num, cells})
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if err := sw.SetColWidth(noteCol+1, noteCol+1, 60); err != nil {
		return nil, false, err
	}
	for _, l := range lines {
		vals := make([]any, noteCol+1)
		for i, c := range l.cells {
			vals[i] = excelize.Cell{Value: c, StyleID: text}
		}
		switch {
		case l.num == sd.layout.headerRow:
			vals[noteCol] = excelize.Cell{Value: msg.Text("roster.error_column"), StyleID: alert}
		case l.num > sd.layout.headerRow:
			if n := append(notes[l.num], missingRows[l.num]...); len(n) > 0 {
				vals[noteCol] = excelize.Cell{Value: strings.Join(n, "；"), StyleID: alert}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, l.num)
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, false, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, false, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), true, nil
}

func cellText(r *row, f field) string {
	return strings.TrimSpace(strings.ReplaceAll(r.cells[f].text, "\u3000", " "))
}
