package xlsx_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"unicode/utf16"

	"dangjian/internal/xlsx"
	"dangjian/internal/xlsx/xlsxtest"
)

// fuzzLimits are small, so the fuzzer meets every limit.
var fuzzLimits = xlsx.Limits{FileSize: 1 << 20, Parts: 20, Unzipped: 4 << 20, PartSize: 1 << 20, CellChars: 50, Rows: 200, Cells: 500, Merges: 20}

// check reads data to the end and fails on anything the reader promises not
// to do, whatever the input: panic, return an error that is not a refusal,
// or hand out rows, cells or ranges beyond the limits or out of order.
func check(t *testing.T, data []byte) {
	ctx := context.Background()
	wb, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), fuzzLimits)
	if err != nil {
		mustRefuse(t, err)
		return
	}
	for _, s := range wb.Sheets {
		rows, err := wb.Rows(ctx, s)
		if err != nil {
			mustRefuse(t, err)
			continue
		}
		n, last := 0, 0
		for rows.Next() {
			r := rows.Row()
			if n++; n > fuzzLimits.Rows || r.Num <= last || r.Num > 1048576 {
				t.Fatalf("row %d (%d read) after %d", r.Num, n, last)
			}
			last = r.Num
			col := 0
			for _, c := range r.Cells {
				if c.Col <= col || c.Col > 16384 || c.Value == "" || len(utf16.Encode([]rune(c.Value))) > fuzzLimits.CellChars {
					t.Fatalf("cell %+v after column %d", c, col)
				}
				col = c.Col
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			mustRefuse(t, err)
			continue
		}
		if m := rows.Merges(); len(m) > fuzzLimits.Merges {
			t.Fatalf("%d merged ranges", len(m))
		}
		for _, m := range rows.Merges() {
			if m.Top < 1 || m.Left < 1 || m.Bottom < m.Top || m.Right < m.Left {
				t.Fatalf("range %+v", m)
			}
		}
	}
}

func mustRefuse(t *testing.T, err error) {
	var e *xlsx.Error
	if !errors.As(err, &e) {
		t.Fatalf("not a refusal: %v", err)
	}
}

// FuzzSheet feeds arbitrary XML as the sheet and as the shared strings of
// an otherwise sound workbook: the reader's own parsing is what is fuzzed.
//
//	go test -fuzz FuzzSheet ./internal/xlsx/
func FuzzSheet(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>x</t></is></c></row>`+
		`<row><c><v>1.5</v></c><c t="b"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B3"/></mergeCells></worksheet>`,
		`<sst><si><t>姓名</t></si><si><r><t>a</t></r><rPh><t>b</t></rPh></si></sst>`)
	f.Add(`<worksheet><sheetData><row/><row/><row r="9"><c r="XFD9" t="e"><v>#N/A</v></c></row></sheetData></worksheet>`, `<sst/>`)
	f.Add(`<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row><x:c t="d"><x:v>2020-01-01</x:v></x:c></x:row></x:sheetData></x:worksheet>`, ``)
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		b := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "s", XML: func(w io.Writer) { io.WriteString(w, sheet) }}}}
		check(t, xlsxtest.Zip(append(b.Parts(), xlsxtest.Text("xl/sharedStrings.xml", sst))...))
	})
}

// FuzzOpen feeds arbitrary bytes as the file: the archive and the
// workbook's directory must be refused cleanly when they are not sound.
//
//	go test -fuzz FuzzOpen ./internal/xlsx/
func FuzzOpen(f *testing.F) {
	f.Add(xlsxtest.LongRoster(3))
	f.Add(xlsxtest.MergedRanges(3))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { check(t, data) })
}
