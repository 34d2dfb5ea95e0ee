// Package xlsxtest writes .xlsx files part by part, the way office programs
// write them, for tests and for the generator of the test workbooks: every
// byte of the XML is the caller's choice, so a test can make exactly the
// file it needs — a LibreOffice roster, rows without numbers, a cell of
// 150 MB, a zip bomb — without a program that would refuse to write it.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"time"
)

// Part is one file of the archive; Write produces its bytes.
type Part struct {
	Name  string
	Write func(w io.Writer)
}

// Text is a part with fixed content.
func Text(name, content string) Part {
	return Part{Name: name, Write: func(w io.Writer) { io.WriteString(w, content) }}
}

// modified is the time every entry carries, so a generated file is the same
// byte for byte on every run.
var modified = time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)

// Zip packs the parts, deflated (fast: a test's bomb of a gigabyte takes a
// second), in the order given.
func Zip(parts ...Part) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			panic(err) // only a bad name, which is the test's mistake
		}
		p.Write(w)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Book is a workbook: its sheets, shared strings and date system, and
// whatever other parts (styles, document properties) the caller adds.
type Book struct {
	Sheets   []Sheet
	Strings  []string
	Date1904 bool
	Extra    []Part // written after the workbook's own parts
}

// Sheet is one worksheet; XML writes the whole part, <worksheet> included.
type Sheet struct {
	Name string
	XML  func(w io.Writer)
}

// Parts are the book's parts as LibreOffice orders them.
func (b Book) Parts() []Part {
	var types, rels, sheets strings.Builder
	for i, s := range b.Sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n+1, n)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" state="visible" r:id="rId%d"/>`, Escape(s.Name), n, n+1)
	}
	if len(b.Strings) > 0 {
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(b.Sheets)+2)
	}
	pr := `<workbookPr backupFile="false" showObjects="all" date1904="false"/>`
	if b.Date1904 {
		pr = `<workbookPr backupFile="false" showObjects="all" date1904="true"/>`
	}
	parts := []Part{
		Text("[Content_Types].xml", xmlHead+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
			types.String()+`</Types>`),
		Text("_rels/.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
		Text("xl/_rels/workbook.xml.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`+
			rels.String()+`</Relationships>`),
		Text("xl/workbook.xml", xmlHead+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="Calc"/>`+pr+
			`<sheets>`+sheets.String()+`</sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>`),
	}
	for i, s := range b.Sheets {
		parts = append(parts, Part{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), Write: s.XML})
	}
	if len(b.Strings) > 0 {
		parts = append(parts, Part{Name: "xl/sharedStrings.xml", Write: func(w io.Writer) {
			fmt.Fprintf(w, xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(b.Strings), len(b.Strings))
			for _, s := range b.Strings {
				io.WriteString(w, `<si><t xml:space="preserve">`+Escape(s)+`</t></si>`)
			}
			io.WriteString(w, `</sst>`)
		}})
	}
	if !hasPart(b.Extra, "xl/styles.xml") {
		parts = append(parts, Text("xl/styles.xml", MinimalStyles))
	}
	return append(parts, b.Extra...)
}

// Bytes is the book as an .xlsx file.
func (b Book) Bytes() []byte { return Zip(b.Parts()...) }

func hasPart(parts []Part, name string) bool {
	for _, p := range parts {
		if p.Name == name {
			return true
		}
	}
	return false
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// MinimalStyles is a styles part with the General format (s="0") and a
// yyyy-mm-dd date format (s="1").
const MinimalStyles = xmlHead + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>` +
	`<fonts count="1"><font><sz val="10"/><name val="Arial"/></font></fonts>` +
	`<fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="true"/></cellXfs></styleSheet>`

// Worksheet wraps a sheet's inside (sheetData, mergeCells …) in its part.
func Worksheet(inside func(w io.Writer)) func(w io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, xmlHead+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
		inside(w)
		io.WriteString(w, `</worksheet>`)
	}
}

// SheetData is a sheet of the given rows' XML, written as they are.
func SheetData(rows ...string) func(w io.Writer) {
	return Worksheet(func(w io.Writer) {
		io.WriteString(w, `<sheetData>`)
		for _, r := range rows {
			io.WriteString(w, r)
		}
		io.WriteString(w, `</sheetData>`)
	})
}

// OneSheet is a workbook of one sheet named 花名册.
func OneSheet(xml func(w io.Writer), strings ...string) []byte {
	return Book{Sheets: []Sheet{{Name: "花名册", XML: xml}}, Strings: strings}.Bytes()
}

// Escape makes text safe inside an XML element or attribute.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
