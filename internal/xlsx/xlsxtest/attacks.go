package xlsxtest

import (
	"bytes"
	"fmt"
	"io"
)

// The uploads that cost the server gigabytes or minutes (issue item 5), made
// small: each is a few hundred kilobytes to a megabyte or so on the wire. A
// roster header stands above each, so a reader that only looks for a header
// would go on into the attack.

// header is a roster's header row.
const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>人员类别</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>所在支部</t></is></c></row>`

// HugeCell is one cell (B2) of chars characters, written inline in the sheet.
func HugeCell(chars int) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header+`<row r="2"><c r="A2" t="inlineStr"><is><t>张伟</t></is></c><c r="B2" t="inlineStr"><is><t>`)
		repeat(w, 'a', chars)
		io.WriteString(w, `</t></is></c></row></sheetData>`)
	}))
}

// HugeSharedString is a shared string of chars characters, used by cell B2.
func HugeSharedString(chars int) []byte {
	b := Book{Sheets: []Sheet{{Name: "花名册", XML: SheetData(header,
		`<row r="2"><c r="A2" t="inlineStr"><is><t>张伟</t></is></c><c r="B2" t="s"><v>0</v></c></row>`)}}}
	parts := b.Parts()
	parts = append(parts, Part{Name: "xl/sharedStrings.xml", Write: func(w io.Writer) {
		io.WriteString(w, xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
		repeat(w, 'a', chars)
		io.WriteString(w, `</t></si></sst>`)
	}})
	return Zip(parts...)
}

// MergedRanges is a sheet of n one-cell-wide merged ranges down column A.
func MergedRanges(n int) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header+`</sheetData><mergeCells count="`+fmt.Sprint(n)+`">`)
		for i := range n {
			fmt.Fprintf(w, `<mergeCell ref="A%d:A%d"/>`, 2*i+2, 2*i+3)
		}
		io.WriteString(w, `</mergeCells>`)
	}))
}

// ZipBomb is a workbook whose sheet unpacks into size bytes, most of them
// spaces between two rows; the archive says so honestly unless it is
// checked only while inflating.
func ZipBomb(size int64) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header)
		repeat(w, ' ', int(size))
		io.WriteString(w, `</sheetData>`)
	}))
}

// RowlessRows is n empty rows without row numbers (<row/>), as some
// programs write a formatted range, under the header.
func RowlessRows(n int) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header)
		chunk := bytes.Repeat([]byte(`<row/>`), 4096)
		for ; n >= 4096; n -= 4096 {
			w.Write(chunk)
		}
		w.Write(chunk[:6*n])
		io.WriteString(w, `</sheetData>`)
	}))
}

// BlankCells is rows of formatted blank cells (<c s="1"/>), 16,384 a row
// (every column Excel has), n cells in all.
func BlankCells(n int) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header)
		cell := []byte(`<c s="1"/>`)
		row := append(append([]byte(`<row>`), bytes.Repeat(cell, 16384)...), `</row>`...)
		for ; n >= 16384; n -= 16384 {
			w.Write(row)
		}
		io.WriteString(w, `<row>`)
		w.Write(bytes.Repeat(cell, n))
		io.WriteString(w, `</row></sheetData>`)
	}))
}

// LongRoster is a sheet of n rows of one person each, for reads that are
// cut short: cancelled, or stopped at a limit.
func LongRoster(n int) []byte {
	return OneSheet(Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`+header)
		for i := 2; i < n+2; i++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>张伟</t></is></c><c r="B%d" t="inlineStr"><is><t>群众</t></is></c>`+
				`<c r="C%d" t="inlineStr"><is><t>第一党支部</t></is></c></row>`, i, i, i, i)
		}
		io.WriteString(w, `</sheetData>`)
	}))
}

// repeat writes n copies of c.
func repeat(w io.Writer, c byte, n int) {
	chunk := bytes.Repeat([]byte{c}, 1<<16)
	for ; n >= len(chunk); n -= len(chunk) {
		w.Write(chunk)
	}
	w.Write(chunk[:n])
}
