package xlsx_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"testing"

	"dangjian/internal/xlsx"
	"dangjian/internal/xlsx/xlsxtest"
)

// The uploads of issue item 5, each built here (a few hundred kilobytes on
// the wire) and refused while streaming, before the reader holds what they
// unpack into.

// allocated runs fn and returns how many bytes it allocated: every
// allocation counts, whenever the garbage collector runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A 154 KB file holding one 150 MB cell took the server from 86 MB to 1.5 GB.
func TestOneHugeCellIsRefusedWithoutBeingHeld(t *testing.T) {
	const chars = 150 << 20
	for name, data := range map[string][]byte{
		"inline in the sheet": xlsxtest.HugeCell(chars),
		"a shared string":     xlsxtest.HugeSharedString(chars),
	} {
		t.Run(name, func(t *testing.T) {
			if len(data) > 1<<20 {
				t.Fatalf("the attack is %d bytes on the wire; it should be small", len(data))
			}
			var err error
			bytes := allocated(func() { _, _, err = readAll(t, data, xlsx.Limits{}) })
			e := refusal(t, err, xlsx.ErrCellLength)
			if e.Limit != xlsx.MaxCellChars {
				t.Fatalf("limit %d", e.Limit)
			}
			if name == "inline in the sheet" && (e.Row != 2 || e.Col != 2) {
				t.Fatalf("refused at row %d column %d, want B2", e.Row, e.Col)
			}
			// The cell is refused after some hundreds of kilobytes of it,
			// whatever the collector does: it never sits in memory.
			if bytes > 16<<20 {
				t.Fatalf("reading allocated %d MB", bytes>>20)
			}
		})
	}
	// A cell just at Excel's limit is fine, and one character more is not.
	for chars, ok := range map[int]bool{xlsx.MaxCellChars: true, xlsx.MaxCellChars + 1: false} {
		_, s, err := readAll(t, xlsxtest.HugeCell(chars), xlsx.Limits{})
		if ok && (err != nil || len(s.rows[1].Cells[1].Value) != chars) || !ok && !errors.Is(err, xlsx.ErrCellLength) {
			t.Fatalf("a cell of %d characters: %v", chars, err)
		}
	}
}

// 60,000 merged ranges in a 313 KB file took 26 s of CPU, growing with the
// square of their number.
func TestManyMergedRangesAreRefused(t *testing.T) {
	data := xlsxtest.MergedRanges(60_000)
	_, _, err := readAll(t, data, xlsx.Limits{})
	if e := refusal(t, err, xlsx.ErrMerges); e.Limit != int64(xlsx.DefaultLimits.Merges) {
		t.Fatalf("limit %d", e.Limit)
	}
	_, s, err := readAll(t, data, xlsx.Limits{Merges: 60_000})
	if err != nil || len(s.merges) != 60_000 || s.merges[59_999] != (xlsx.Range{Top: 120_000, Left: 1, Bottom: 120_001, Right: 1}) {
		t.Fatalf("with room for them: %v, %d ranges", err, len(s.merges))
	}
}

// A 1 GiB zip bomb kept one core busy for many minutes.
func TestZipBombIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses a gigabyte")
	}
	data := xlsxtest.ZipBomb(1 << 30)
	if len(data) > 10<<20 {
		t.Fatalf("the bomb is %d bytes; it should fit an upload", len(data))
	}
	_, _, err := readAll(t, data, xlsx.Limits{})
	refusal(t, err, xlsx.ErrUnzipped)
}

// The sizes an archive declares are a first check only: the bytes really
// inflated are counted, per part and in all, a part read twice twice.
func TestInflatedBytesAreCounted(t *testing.T) {
	data := xlsxtest.LongRoster(40_000) // 8 MB unpacked
	_, _, err := readAll(t, data, xlsx.Limits{PartSize: 1 << 20})
	if e := refusal(t, err, xlsx.ErrUnzipped); e.Limit != 1<<20 || e.Part != "xl/worksheets/sheet1.xml" {
		t.Fatalf("refused %+v", e)
	}
	ctx := context.Background()
	wb, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), xlsx.Limits{Unzipped: 12 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{nil, xlsx.ErrUnzipped} {
		rows, err := wb.Rows(ctx, wb.Sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
		if !errors.Is(rows.Err(), want) {
			t.Fatalf("read %d: %v, want %v", i+1, rows.Err(), want)
		}
	}
}

// A 487 KB file of 190 MB of empty rows without row numbers ran 13 minutes
// and took 3.6 GB. Empty rows count against the limit like any other.
func TestMillionsOfRowlessEmptyRowsStopEarly(t *testing.T) {
	data := xlsxtest.RowlessRows(30_000_000)
	if len(data) > 1<<20 {
		t.Fatalf("the attack is %d bytes on the wire", len(data))
	}
	var err error
	bytes := allocated(func() { _, _, err = readAll(t, data, xlsx.Limits{}) })
	if e := refusal(t, err, xlsx.ErrRows); e.Limit != int64(xlsx.DefaultLimits.Rows) {
		t.Fatalf("limit %d", e.Limit)
	}
	if bytes > 64<<20 {
		t.Fatalf("reading allocated %d MB", bytes>>20)
	}
}

// Formatted blank cells cost the reader as much as full ones.
func TestManyBlankCellsAreRefused(t *testing.T) {
	_, _, err := readAll(t, xlsxtest.BlankCells(3_100_000), xlsx.Limits{})
	refusal(t, err, xlsx.ErrCells)
	strs := make([]string, 101)
	for i := range strs {
		strs[i] = "x"
	}
	_, _, err = readAll(t, xlsxtest.OneSheet(xlsxtest.SheetData(), strs...), xlsx.Limits{Cells: 100})
	refusal(t, err, xlsx.ErrCells)
}

// A cancelled request or job stops the read at once, with the context's error.
func TestCancelledReadStops(t *testing.T) {
	data := xlsxtest.LongRoster(200_000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wb, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), xlsx.Limits{Rows: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.Rows(ctx, wb.Sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	read := 0
	for rows.Next() {
		if read++; read == 1000 {
			cancel()
		}
	}
	if rows.Err() != context.Canceled || read != 1000 {
		t.Fatalf("after %d rows: %v", read, rows.Err())
	}
	if _, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), xlsx.Limits{}); err != context.Canceled {
		t.Fatalf("opening with a cancelled context: %v", err)
	}
	if _, err := wb.Rows(ctx, wb.Sheets[0]); err != context.Canceled {
		t.Fatalf("reading with a cancelled context: %v", err)
	}
}
