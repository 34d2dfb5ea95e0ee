// Package docx writes Word documents in the layout of Chinese official
// documents (GB/T 9704-2012 党政机关公文格式): A4, margins 37/35/28/26 mm,
// 22 lines of 28 characters, the title in 方正小标宋 二号, the body in
// 仿宋_GB2312 三号, first-level headings in 黑体 and second-level in 楷体_GB2312,
// page numbers "— 1 —" at the foot. Fonts a machine lacks fall back to the
// common ones (宋体, 仿宋, 楷体) through the font table.
//
// It is a small writer of our own: the Go docx libraries we found either
// cannot set East Asian fonts, the document grid and a page-number field, or
// are unmaintained; WordprocessingML for this much is a few templates, and
// the tests read every document back through LibreOffice.
package docx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Document is an official document being written.
type Document struct {
	title  string
	blocks []string // w:p and w:tbl elements of the body, in order
}

// New starts a document with its title (居中，方正小标宋简体二号).
func New(title string) *Document {
	d := &Document{title: title}
	d.blocks = append(d.blocks, para(title, runTitle, `<w:jc w:val="center"/><w:spacing w:after="580"/>`, false))
	return d
}

// Run styles: East Asian font, size in half-points (三号 16pt = 32, 二号 22pt
// = 44). Body text is 0.2 pt tighter than its size (spacing -4 twips), so 28
// characters of 三号 fill the 156 mm line exactly.
const (
	runTitle   = `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/>`
	runBody    = `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:spacing w:val="-4"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	runLevel1  = `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="黑体"/><w:spacing w:val="-4"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	runLevel2  = `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="楷体_GB2312"/><w:spacing w:val="-4"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	runTable   = `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="28"/><w:szCs w:val="28"/>`
	firstLine2 = `<w:ind w:firstLineChars="200" w:firstLine="640"/>` // 首行缩进两字
)

// Heading1 adds a first-level heading (一、…) in 黑体.
func (d *Document) Heading1(text string) {
	d.blocks = append(d.blocks, para(text, runLevel1, firstLine2, true))
}

// Heading2 adds a second-level heading (（一）…) in 楷体.
func (d *Document) Heading2(text string) {
	d.blocks = append(d.blocks, para(text, runLevel2, firstLine2, true))
}

// Paragraph adds body text in 仿宋, its first line indented two characters.
func (d *Document) Paragraph(text string) {
	d.blocks = append(d.blocks, para(text, runBody, firstLine2, false))
}

// Table adds a table with a header row, in 仿宋 四号, full width.
func (d *Document) Table(header []string, rows [][]string) {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr>`)
	row := func(cells []string, bold bool) {
		b.WriteString(`<w:tr>`)
		for _, c := range cells {
			style := runTable
			if bold {
				style += `<w:b/>`
			}
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>`)
			b.WriteString(para(c, style, `<w:jc w:val="center"/><w:spacing w:line="400" w:lineRule="exact"/>`, false))
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(header, true)
	for _, r := range rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	d.blocks = append(d.blocks, b.String(), para("", runBody, "", false))
}

// para is one paragraph of one run; keepNext keeps a heading with what follows.
func para(text, run, props string, keepNext bool) string {
	if keepNext {
		props = `<w:keepNext/>` + props
	}
	return `<w:p><w:pPr>` + props + `<w:rPr>` + run + `</w:rPr></w:pPr><w:r><w:rPr>` + run + `</w:rPr><w:t xml:space="preserve">` +
		escape(text) + `</w:t></w:r></w:p>`
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// WriteTo writes the .docx package.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	z := zip.NewWriter(cw)
	modified := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // fixed, so the same document is the same bytes
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreProps, escape(d.title))},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"word/fontTable.xml", fontTable},
		{"word/settings.xml", settings},
		{"word/footer1.xml", footer},
		{"word/document.xml", xmlHeader + `<w:document ` + namespaces + `><w:body>` + strings.Join(d.blocks, "") + sectionProps + `</w:body></w:document>`},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return cw.n, err
		}
	}
	err := z.Close()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
