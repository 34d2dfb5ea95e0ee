package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/xlsx/xlsxtest"
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

// The uploads of issue item 5, each refused with a message that says what
// is wrong, and read only as far as it takes to know.

// refused imports data and checks it was refused as a whole with the key,
// its text saying says, nothing imported, and what reading it allocated.
func refused(t *testing.T, w *world, data []byte, key, says string) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rep := w.importBytes(t, data)
	runtime.ReadMemStats(&after)
	if len(rep.Problems) != 1 || rep.Problems[0].Key != key || rep.Problems[0].Row != 0 || !strings.Contains(rep.Problems[0].Text, says) {
		var got []string
		for _, p := range rep.Problems[:min(5, len(rep.Problems))] {
			got = append(got, fmt.Sprintf("row %d %s %s %.80q", p.Row, p.Column, p.Key, p.Text))
		}
		t.Fatalf("got %d problems %v, want %s saying %q", len(rep.Problems), got, key, says)
	}
	if w.count(t) != 0 {
		t.Fatal("a refused file imported people")
	}
	return after.TotalAlloc - before.TotalAlloc
}

// A 154 KB file holding one 150 MB cell took the server from 86 MB to 1.5 GB.
func TestImportRefusesOneHugeCell(t *testing.T) {
	w := newWorld(t, store.SQLite)
	if bytes := refused(t, w, xlsxtest.HugeCell(150<<20), "roster.cell_too_long", "第2行B列"); bytes > 32<<20 {
		t.Fatalf("reading the file allocated %d MB", bytes>>20)
	}
	refused(t, w, xlsxtest.HugeSharedString(150<<20), "roster.text_too_long", "32767")
}

// 60,000 merged ranges in a 313 KB file took 26 s of CPU.
func TestImportRefusesManyMergedRanges(t *testing.T) {
	refused(t, newWorld(t, store.SQLite), xlsxtest.MergedRanges(60_000), "roster.too_many_merges", "10000")
}

// A 1 GiB zip bomb kept one core busy for many minutes.
func TestImportRefusesZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses a gigabyte")
	}
	w := newWorld(t, store.SQLite)
	bomb := xlsxtest.ZipBomb(1 << 30)
	if len(bomb) > MaxUploadSize {
		t.Fatalf("bomb of %d bytes is over the upload limit; the test proves nothing", len(bomb))
	}
	refused(t, w, bomb, "roster.unzip_limit", "过大")
	// Just under the unpacked limit the archive cannot give it away: what
	// it holds, 190 MB of nothing, is refused after reading a little of it.
	if bytes := refused(t, w, xlsxtest.ZipBomb(190<<20), "roster.unreadable", "损坏"); bytes > 32<<20 {
		t.Fatalf("reading the file allocated %d MB", bytes>>20)
	}
}

// A 487 KB file of 190 MB of empty rows without row numbers ran 13 minutes,
// took 3.6 GB and never answered.
func TestImportStopsAtRowlessEmptyRows(t *testing.T) {
	w := newWorld(t, store.SQLite)
	if bytes := refused(t, w, xlsxtest.RowlessRows(30_000_000), "roster.sheet_rows", "100000"); bytes > 64<<20 {
		t.Fatalf("reading the file allocated %d MB", bytes>>20)
	}
}

// Formatted blank cells cost as much to read as full ones.
func TestImportRefusesBlankCellFlood(t *testing.T) {
	refused(t, newWorld(t, store.SQLite), xlsxtest.BlankCells(maxSheetCells+1), "roster.sheet_cells", "3000000")
}

// An import stops when its request or job is cancelled, in the checks or in
// the writing, and leaves nothing behind.
func TestImportStopsWhenCancelled(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		data := readFixture(t)
		for _, writing := range []bool{false, true} {
			ctx, cancel := context.WithCancel(context.Background())
			rep, err := Import(ctx, w.st, tester, w.scope, bytes.NewReader(data), func(done, total int) {
				if !writing && done == total/4 || writing && done > total/2 { // checking row 10, or written some
					cancel()
				}
			})
			cancel()
			if !errors.Is(err, context.Canceled) || rep.Imported != 0 || w.count(t) != 0 {
				t.Fatalf("cancelled while writing=%v: %v, %d imported, %d in the database", writing, err, rep.Imported, w.count(t))
			}
		}
		if rep := w.importBytes(t, data); rep.Imported != 40 {
			t.Fatalf("after the cancelled imports: %+v", rep.Problems)
		}
	})
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
		rows = append(rows, []any{"张伟", "难", "1985-03-12", "团员", "第一党支部"})
	}
	rep := w.importBytes(t, sheet(t, rows))
	last := rep.Problems[len(rep.Problems)-1]
	if len(rep.Problems) != MaxProblems+1 || last.Key != "roster.more_problems" || !strings.Contains(last.Text, "2020") {
		t.Fatalf("%d problems, last %+v", len(rep.Problems), last)
	}
}
