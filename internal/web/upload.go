package web

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
)

// Uploaded documents (an event's attachments, the learning library's
// files, a campaign's 实施方案) are recognised by their content, never by
// their name or the type the browser claims, and named with the extension
// of what they really are.

// Document types the platform takes, beside XLSXType (download.go).
const (
	PDFType  = "application/pdf"
	JPEGType = "image/jpeg"
	PNGType  = "image/png"
	DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	PPTXType = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

var magicTypes = []struct {
	magic       []byte
	contentType string
	ext         string
}{
	{[]byte("%PDF-"), PDFType, ".pdf"},
	{[]byte{0xFF, 0xD8, 0xFF}, JPEGType, ".jpg"},
	{[]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, PNGType, ".png"},
}

// officeTypes are the Office Open XML documents, told apart by the part
// their package holds.
var officeTypes = []struct{ part, contentType, ext string }{
	{"word/document.xml", DOCXType, ".docx"},
	{"xl/workbook.xml", XLSXType, ".xlsx"},
	{"ppt/presentation.xml", PPTXType, ".pptx"},
}

// SniffDocument returns the type and extension of an uploaded document by
// its content, when it is one of allowed (all the types above when none is
// given), or "" for anything else.
func SniffDocument(data []byte, allowed ...string) (contentType, ext string) {
	ct, ext := sniffDocument(data)
	if ct == "" || len(allowed) == 0 {
		return ct, ext
	}
	for _, a := range allowed {
		if a == ct {
			return ct, ext
		}
	}
	return "", ""
}

func sniffDocument(data []byte) (string, string) {
	for _, t := range magicTypes {
		if bytes.HasPrefix(data, t.magic) {
			return t.contentType, t.ext
		}
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "", ""
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > 5000 {
		return "", ""
	}
	for _, t := range officeTypes {
		for _, f := range zr.File {
			if f.Name == t.part {
				return t.contentType, t.ext
			}
		}
	}
	return "", ""
}

// DocumentName keeps the base of an uploaded file's name, without control
// characters and the ones Windows refuses in names, and gives it the
// extension of its real type; a name left empty becomes fallback. The
// length is the caller's rule.
func DocumentName(name, ext, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`"<>|:*?`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSuffix(name, path.Ext(name))
	if name == "" || name == "." {
		name = fallback
	}
	return name + ext
}
