package roster

import (
	"github.com/xuri/excelize/v2"
)

// The template and the export share one look: the same sheet name, columns,
// widths and formats, so an exported file is a filled-in template.

const sheetName = "花名册"

// widths of the columns, in Excel's character units.
var widths = [numFields]float64{
	fSeq: 6, fName: 10, fSex: 6, fEthnic: 8, fBirth: 12, fIDNumber: 22, fEducation: 10, fUnit: 18,
	fPosition: 14, fStatus: 12, fApplied: 12, fActivist: 12, fCandidate: 12, fJoined: 12, fFull: 12, fPhone: 14, fOrg: 24, fPersonNo: 10,
}

// textFields are kept as text cells, so Excel never turns an ID number or a
// phone typed later into a number.
var textFields = []field{fIDNumber, fPhone}

// dateFields hold dates.
var dateFields = []field{fBirth, fApplied, fActivist, fCandidate, fJoined, fFull}

type styles struct {
	header, text, date, example int
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
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": text
		return s, err
	}
	dateFmt := "yyyy-mm-dd"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	s.example, err = f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Italic: true, Color: "808080"}})
	return s, err
}

// columnStyle is the style a column's cells get.
func (s styles) columnStyle(f field) int {
	for _, t := range textFields {
		if t == f {
			return s.text
		}
	}
	for _, d := range dateFields {
		if d == f {
			return s.date
		}
	}
	return 0
}

func colName(f field) string {
	n, _ := excelize.ColumnNumberToName(int(f) + 1)
	return n
}

// headerRow is the header as written: each column's standard name.
func headerRow() []any {
	out := make([]any, numFields)
	for f := range numFields {
		out[f] = headers[f][0]
	}
	return out
}
