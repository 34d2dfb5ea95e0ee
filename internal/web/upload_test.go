package web

import (
	"archive/zip"
	"bytes"
	"testing"
)

func office(t *testing.T, part string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(part)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSniffDocument: a document is known by its content whatever it is
// called; a zip that is no Office document, a script and a type the caller
// does not take are refused.
func TestSniffDocument(t *testing.T) {
	docx, xlsx := office(t, "word/document.xml"), office(t, "xl/workbook.xml")
	for _, c := range []struct {
		name    string
		data    []byte
		allowed []string
		ct, ext string
	}{
		{"pdf", []byte("%PDF-1.7 …"), nil, PDFType, ".pdf"},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, nil, JPEGType, ".jpg"},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), nil, PNGType, ".png"},
		{"docx", docx, nil, DOCXType, ".docx"},
		{"xlsx", xlsx, nil, XLSXType, ".xlsx"},
		{"pptx", office(t, "ppt/presentation.xml"), nil, PPTXType, ".pptx"},
		{"a zip of something else", office(t, "evil.sh"), nil, "", ""},
		{"html", []byte("<html><script>alert(1)</script>"), nil, "", ""},
		{"a workbook where only PDF and Word are taken", xlsx, []string{PDFType, DOCXType}, "", ""},
		{"Word where it is taken", docx, []string{PDFType, DOCXType}, DOCXType, ".docx"},
		{"nothing", nil, nil, "", ""},
	} {
		if ct, ext := SniffDocument(c.data, c.allowed...); ct != c.ct || ext != c.ext {
			t.Errorf("%s: %q %q, want %q %q", c.name, ct, ext, c.ct, c.ext)
		}
	}
}

func TestDocumentName(t *testing.T) {
	for _, c := range []struct{ name, ext, want string }{
		{"会议纪要.doc", ".pdf", "会议纪要.pdf"},
		{`C:\Users\张三\Desktop\学习<资料>.pdf`, ".pdf", "学习资料.pdf"},
		{"../../etc/passwd", ".png", "passwd.png"},
		{"", ".jpg", "附件.jpg"},
		{"\x00\x1f", ".pdf", "附件.pdf"},
	} {
		if got := DocumentName(c.name, c.ext, "附件"); got != c.want {
			t.Errorf("DocumentName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
