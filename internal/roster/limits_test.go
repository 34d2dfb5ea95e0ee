package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/store"
)

// Uploads refused for what the file is, not for its rows. Nothing reaches the
// database before these checks, so one database is enough.
func TestImportRefusesFiles(t *testing.T) {
	w := newWorld(t, store.SQLite)

	docx := new(bytes.Buffer)
	zw := zip.NewWriter(docx)
	fw, _ := zw.Create("word/document.xml")
	fw.Write([]byte("<w:document/>"))
	zw.Close()

	cases := []struct {
		name, key, says string
		data            []byte
	}{
		{"csv renamed to .xlsx", "roster.not_xlsx", "xlsx", []byte("姓名,所在支部,人员类别\n张伟,第一党支部,群众\n")},
		{"empty file", "roster.empty_file", "空", nil},
		{"old .xls or encrypted", "roster.xls_or_encrypted", ".xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)},
		{"a zip that is no workbook", "roster.not_xlsx", "xlsx", docx.Bytes()},
		{"broken zip", "roster.not_xlsx", "xlsx", []byte("PK\x03\x04 not really")},
		{"over the size limit", "roster.too_large", "10 MB", append([]byte("PK\x03\x04"), make([]byte, MaxUploadSize)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := w.importBytes(t, c.data)
			if len(rep.Problems) != 1 || rep.Problems[0].Key != c.key || rep.Problems[0].Row != 0 ||
				!strings.Contains(rep.Problems[0].Text, c.says) {
				t.Fatalf("got %+v, want %s saying %q", rep.Problems, c.key, c.says)
			}
		})
	}
	if w.count(t) != 0 {
		t.Fatal("a refused file imported people")
	}
}

// The HTTP layer caps the body with http.MaxBytesReader; that is a too-large
// file for the user, not an internal error.
func TestImportBehindMaxBytesReader(t *testing.T) {
	w := newWorld(t, store.SQLite)
	body := io.NopCloser(bytes.NewReader(make([]byte, 2048)))
	r := http.MaxBytesReader(httptest.NewRecorder(), body, 1024)
	rep, err := Import(context.Background(), w.st, tester, w.scope, r, nil)
	if err != nil || len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.too_large" {
		t.Fatalf("%v %+v", err, rep.Problems)
	}
}

// A small file that unpacks to hundreds of megabytes is refused before any
// of it is unpacked.
func TestImportRefusesZipBomb(t *testing.T) {
	w := newWorld(t, store.SQLite)
	buf := new(bytes.Buffer)
	zw := zip.NewWriter(buf)
	fw, _ := zw.Create("xl/workbook.xml")
	fw.Write([]byte("<workbook/>"))
	fw, _ = zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range maxUnzipSize>>20 + 1 {
		fw.Write(zeros)
	}
	zw.Close()
	if buf.Len() > MaxUploadSize {
		t.Fatalf("bomb of %d bytes is over the upload limit; the test proves nothing", buf.Len())
	}
	rep := w.importBytes(t, buf.Bytes())
	if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.unzip_limit" {
		t.Fatalf("zip bomb: %+v", rep.Problems)
	}
}

func TestImportRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50,001-row workbook")
	}
	w := newWorld(t, store.SQLite)
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"姓名", "人员类别", "所在支部"})
	for i := 2; i <= MaxRows+2; i++ {
		sw.SetRow("A"+strconv.Itoa(i), []any{"张伟", "群众", "第一党支部"})
	}
	sw.Flush()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	rep := w.importBytes(t, buf.Bytes())
	if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.too_many_rows" || !strings.Contains(rep.Problems[0].Text, "50000") {
		t.Fatalf("row limit: %+v", rep.Problems)
	}
}

// A file wrong throughout gets a readable list, not one line per cell.
func TestImportCapsProblemList(t *testing.T) {
	w := newWorld(t, store.SQLite)
	rows := [][]any{{"姓名", "性别", "出生日期", "人员类别", "所在支部"}}
	for range MaxProblems + 10 { // two problems a row
		rows = append(rows, []any{"张伟", "男", "1985-03-12", "团员", "第九党支部"})
	}
	rep := w.importBytes(t, sheet(t, rows))
	last := rep.Problems[len(rep.Problems)-1]
	if len(rep.Problems) != MaxProblems+1 || last.Key != "roster.more_problems" || !strings.Contains(last.Text, "2020") {
		t.Fatalf("%d problems, last %+v", len(rep.Problems), last)
	}
}
