package xlsx_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/xlsx"
)

func TestTableWritesWhatExcelShows(t *testing.T) {
	mask := func(s string) string { return s[:3] + strings.Repeat("*", len(s)-3) }
	cols := []xlsx.Column{
		{Header: "姓名", Width: 10},
		{Header: "身份证号", Width: 22, Format: xlsx.AsText, Mask: mask},
		{Header: "出生日期", Width: 12, Format: xlsx.AsDate},
		{Header: "变更内容", Width: 50},
		{Header: "序号"},
	}
	long := strings.Repeat("长", xlsx.MaxCellChars+10)
	write := func(masked bool) []byte {
		tb, err := xlsx.NewTable("花名册", cols, masked)
		if err != nil {
			t.Fatal(err)
		}
		defer tb.Close()
		birth := time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)
		if err := tb.Add("张伟", "370102198503121233", birth, long, 1); err != nil {
			t.Fatal(err)
		}
		if err := tb.Add("李娜", "", time.Time{}, nil); err != nil { // short rows and empty values are fine
			t.Fatal(err)
		}
		if err := tb.Add("a", "b", "c", "d", "e", "f"); err == nil {
			t.Fatal("a row longer than the columns was taken")
		}
		if tb.Rows() != 2 {
			t.Fatalf("%d rows", tb.Rows())
		}
		var buf bytes.Buffer
		if _, err := tb.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	// Read back by excelize, as Excel would show it.
	f, err := excelize.OpenReader(bytes.NewReader(write(true)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("花名册")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "姓名,身份证号,出生日期,变更内容,序号" || rows[1][0] != "张伟" ||
		rows[1][1] != "370***************" || rows[1][2] != "1985-03-12" || rows[1][4] != "1" || len(rows) != 3 {
		t.Fatalf("rows %q", rows[:2])
	}
	if cut := []rune(rows[1][3]); len(cut) != xlsx.MaxCellChars || cut[len(cut)-1] != '…' {
		t.Fatalf("a long text is %d characters, ending %q", len(cut), string(cut[len(cut)-1]))
	}
	panes, err := f.GetPanes("花名册")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Fatalf("header not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("花名册", "B"); w != 22 {
		t.Fatalf("column B is %v wide", w)
	}
	// Typed into later, the ID column stays text.
	if s, _ := f.GetCellStyle("花名册", "B100"); s == 0 {
		t.Fatal("ID column has no text format")
	} else if st, _ := f.GetStyle(s); st.NumFmt != 49 {
		t.Fatalf("ID column format %d", st.NumFmt)
	}

	// Read back by this package: the date is a date cell, the ID a text.
	_, s, err := readAll(t, write(false), xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := s.rows[1].Cells
	if got[1].Value != "370102198503121233" || got[1].Type != xlsx.Text || got[2].Type != xlsx.Number {
		t.Fatalf("unmasked row %+v", got[:3])
	}
	if d, ok := xlsx.DateOf(mustFloat(t, got[2].Value), false); !ok || d.Format("2006-01-02") != "1985-03-12" {
		t.Fatalf("date cell %q", got[2].Value)
	}
	if len(s.rows[2].Cells) != 1 {
		t.Fatalf("empty values were written: %+v", s.rows[2].Cells)
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"一二三四", 3, "一二…"}, {"a😀", 3, "a😀"}, {"a😀b", 3, "a…"}, {"😀😀", 3, "😀…"},
	} {
		if got := xlsx.Cut(c.in, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}
