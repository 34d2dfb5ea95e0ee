package xlsx_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"dangjian/internal/xlsx"
	"dangjian/internal/xlsx/xlsxtest"
)

// sheet is what a test compares of a sheet: its rows (cells copied) and
// its merged ranges.
type sheet struct {
	rows   []xlsx.Row
	merges []xlsx.Range
}

// readAll opens data and reads its first sheet to the end.
func readAll(t testing.TB, data []byte, lim xlsx.Limits) (*xlsx.Workbook, sheet, error) {
	t.Helper()
	ctx := context.Background()
	wb, err := xlsx.Open(ctx, bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		return nil, sheet{}, err
	}
	if len(wb.Sheets) == 0 {
		return wb, sheet{}, nil
	}
	rows, err := wb.Rows(ctx, wb.Sheets[0])
	if err != nil {
		return wb, sheet{}, err
	}
	defer rows.Close()
	var s sheet
	for rows.Next() {
		r := rows.Row()
		s.rows = append(s.rows, xlsx.Row{Num: r.Num, Cells: append([]xlsx.Cell(nil), r.Cells...)})
	}
	s.merges = rows.Merges()
	return wb, s, rows.Err()
}

// refusal asserts err is an *xlsx.Error for want and returns it.
func refusal(t testing.TB, err, want error) *xlsx.Error {
	t.Helper()
	var e *xlsx.Error
	if !errors.As(err, &e) || !errors.Is(err, want) {
		t.Fatalf("got %v, want a refusal for %v", err, want)
	}
	return e
}

func TestReadsEveryKindOfCell(t *testing.T) {
	data := xlsxtest.OneSheet(xlsxtest.SheetData(
		`<row r="1">`+
			`<c r="A1" t="s"><v>1</v></c>`+ // shared string
			`<c r="B1" t="inlineStr"><is><t>内联</t></is></c>`+ // inline string
			`<c r="C1" t="str"><f>A1&amp;"!"</f><v>公式结果</v></c>`+ // a formula's text
			`<c r="D1"><v>32693</v></c>`+ // a number without a type
			`<c r="E1" t="n" s="1"><v>370102198907046000</v></c>`+ // an ID number Excel turned into a number
			`<c r="F1" t="b"><v>1</v></c>`+
			`<c r="G1" t="e"><v>#N/A</v></c>`+
			`<c r="H1" t="d"><v>1985-03-12T00:00:00</v></c>`+
			`<c r="I1" s="1"/>`+ // a formatted blank: not reported
			`<c r="J1" t="s"><v>0</v></c>`+
			`<c r="K1" t="inlineStr"><is><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve">　伟 </t></r></is></c>`+
			`</row>`),
		"第一党支部", "A&B <C>")
	_, s, err := readAll(t, data, xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []xlsx.Row{{Num: 1, Cells: []xlsx.Cell{
		{Col: 1, Type: xlsx.Text, Value: "A&B <C>"},
		{Col: 2, Type: xlsx.Text, Value: "内联"},
		{Col: 3, Type: xlsx.Text, Value: "公式结果"},
		{Col: 4, Type: xlsx.Number, Value: "32693"},
		{Col: 5, Type: xlsx.Number, Value: "370102198907046000"},
		{Col: 6, Type: xlsx.Bool, Value: "TRUE"},
		{Col: 7, Type: xlsx.ErrorValue, Value: "#N/A"},
		{Col: 8, Type: xlsx.Date, Value: "1985-03-12T00:00:00"},
		{Col: 10, Type: xlsx.Text, Value: "第一党支部"},
		{Col: 11, Type: xlsx.Text, Value: "张　伟 "},
	}}}
	if !reflect.DeepEqual(s.rows, want) {
		t.Fatalf("got  %+v\nwant %+v", s.rows, want)
	}
	if got := s.rows[0].Strings(); len(got) != 11 || got[8] != "" || got[9] != "第一党支部" {
		t.Fatalf("strings %q", got)
	}
}

// Some programs number neither rows nor cells; LibreOffice numbers both and
// skips empty ones. Both read the same.
func TestReadsRowsAndCellsWithoutNumbers(t *testing.T) {
	numbered := xlsxtest.OneSheet(xlsxtest.SheetData(
		`<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>`,
		`<row r="3"><c r="C3"><v>3</v></c></row>`,
		`<row r="4"><c r="A4"><v>4</v></c><c r="C4"><v>5</v></c></row>`))
	bare := xlsxtest.OneSheet(xlsxtest.SheetData(
		`<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>`,
		`<row/>`,
		`<row><c/><c/><c><v>3</v></c></row>`,
		`<row><c><v>4</v></c><c/><c><v>5</v></c></row>`))
	_, a, err := readAll(t, numbered, xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := readAll(t, bare, xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	nonEmpty := b.rows[:0:0]
	for _, r := range b.rows {
		if len(r.Cells) > 0 {
			nonEmpty = append(nonEmpty, r)
		}
	}
	if !reflect.DeepEqual(a.rows, nonEmpty) || len(b.rows) != 4 || b.rows[1].Num != 2 {
		t.Fatalf("numbered %+v\nbare     %+v", a.rows, b.rows)
	}
}

// East Asian Excel keeps a reading guide (rPh) beside the text of a shared
// string; it is not part of the value. Rich text runs are.
func TestReadsSharedStringsAsTheirText(t *testing.T) {
	sst := xlsxtest.Text("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?>`+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">`+
		`<si><t>雷秀</t><rPh sb="0" eb="2"><t>レイシュウ</t></rPh><phoneticPr fontId="1"/></si>`+
		`<si><r><rPr><b/></rPr><t>第一</t></r><r><t>党支部</t></r></si>`+
		`<si><t/></si></sst>`)
	b := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "s", XML: xlsxtest.SheetData(
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`)}}}
	_, s, err := readAll(t, xlsxtest.Zip(append(b.Parts(), sst)...), xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.rows[0].Strings(); !reflect.DeepEqual(got, []string{"雷秀", "第一党支部"}) {
		t.Fatalf("shared strings read as %q", got)
	}
}

// The workbook is found through the package's relationships, sheets through
// the workbook's, whatever the parts are called; chart sheets hold no cells.
func TestFindsSheetsThroughRelationships(t *testing.T) {
	ws := xlsxtest.SheetData(`<row r="1"><c r="A1"><v>1</v></c></row>`)
	data := xlsxtest.Zip(
		xlsxtest.Text("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/Book/main.xml"/></Relationships>`),
		xlsxtest.Text("Book/main.xml", `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
			`<x:workbookPr date1904="1"/><x:sheets><x:sheet name="图表" sheetId="1" r:id="c1"/><x:sheet name="名单" sheetId="2" r:id="w1"/><x:sheet name="附表" sheetId="3" r:id="w2"/></x:sheets></x:workbook>`),
		xlsxtest.Text("Book/_rels/main.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="c1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="charts/c1.xml"/>`+
			`<Relationship Id="w1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/Book/Sheets/One.xml"/>`+
			`<Relationship Id="w2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../Book/Sheets/two.xml"/>`+
			`<Relationship Id="h1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com/" TargetMode="External"/>`+
			`</Relationships>`),
		xlsxtest.Part{Name: "Book/Sheets/one.xml", Write: ws}, // Excel matches part names in any case
		xlsxtest.Part{Name: "Book/Sheets/two.xml", Write: ws},
	)
	wb, s, err := readAll(t, data, xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Sheets) != 2 || wb.Sheets[0].Name != "名单" || wb.Sheets[1].Name != "附表" || !wb.Date1904 || len(s.rows) != 1 {
		t.Fatalf("sheets %+v, date1904 %v, rows %+v", wb.Sheets, wb.Date1904, s.rows)
	}
}

func TestRefusesWhatIsNoWorkbook(t *testing.T) {
	docx := xlsxtest.Zip(xlsxtest.Text("word/document.xml", "<w:document/>"))
	noSheetPart := xlsxtest.Zip(
		xlsxtest.Text("xl/workbook.xml", `<workbook><sheets><sheet name="a" r:id="rId1"/></sheets></workbook>`),
		xlsxtest.Text("xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/gone.xml"/></Relationships>`))
	badXML := xlsxtest.OneSheet(func(w io.Writer) { io.WriteString(w, `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row>`) })
	backwards := xlsxtest.OneSheet(xlsxtest.SheetData(`<row r="2"/><row r="1"/>`))
	cellsBackwards := xlsxtest.OneSheet(xlsxtest.SheetData(`<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>`))
	badIndex := xlsxtest.OneSheet(xlsxtest.SheetData(`<row r="1"><c r="A1" t="s"><v>7</v></c></row>`), "only one")
	beyondExcel := xlsxtest.OneSheet(xlsxtest.SheetData(`<row r="1048577"/>`))
	entity := xlsxtest.OneSheet(func(w io.Writer) {
		io.WriteString(w, `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>`)
	})
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, xlsx.ErrEmpty},
		{"old .xls or encrypted", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), xlsx.ErrLegacy},
		{"text", []byte("姓名,所在支部\n"), xlsx.ErrNotXLSX},
		{"broken zip", []byte("PK\x03\x04 not really"), xlsx.ErrNotXLSX},
		{"a zip that is no workbook", docx, xlsx.ErrNotXLSX},
		{"sheet part missing", noSheetPart, xlsx.ErrCorrupt},
		{"unclosed elements", badXML, xlsx.ErrCorrupt},
		{"rows backwards", backwards, xlsx.ErrCorrupt},
		{"cells backwards", cellsBackwards, xlsx.ErrCorrupt},
		{"shared string out of range", badIndex, xlsx.ErrCorrupt},
		{"row beyond Excel's last", beyondExcel, xlsx.ErrCorrupt},
		{"entity of its own", entity, xlsx.ErrCorrupt},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readAll(t, c.data, xlsx.Limits{})
			refusal(t, err, c.want)
		})
	}
}

func TestRefusesAFileOverItsSize(t *testing.T) {
	data := xlsxtest.LongRoster(10)
	_, _, err := readAll(t, data, xlsx.Limits{FileSize: int64(len(data)) - 1})
	if e := refusal(t, err, xlsx.ErrFileSize); e.Limit != int64(len(data))-1 {
		t.Fatalf("limit %d", e.Limit)
	}
}

func TestDateOf(t *testing.T) {
	for _, c := range []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{32693, false, "1989-07-04"}, {32693.75, false, "1989-07-04"}, {32692.9999999999, false, "1989-07-04"},
		{61, false, "1900-03-01"}, {2958465, false, "9999-12-31"}, {31231, true, "1989-07-04"}, {0, true, "1904-01-01"},
	} {
		d, ok := xlsx.DateOf(c.serial, c.d1904)
		if !ok || d.Format("2006-01-02") != c.want {
			t.Errorf("DateOf(%v, %v) = %v %v, want %s", c.serial, c.d1904, d, ok, c.want)
		}
	}
	for _, bad := range []float64{60, -1, 2958466} {
		if _, ok := xlsx.DateOf(bad, false); ok {
			t.Errorf("DateOf(%v) accepted", bad)
		}
	}
}

func TestColumnNames(t *testing.T) {
	for col, name := range map[int]string{1: "A", 26: "Z", 27: "AA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := xlsx.ColumnName(col); got != name {
			t.Errorf("column %d is %q, want %q", col, got, name)
		}
	}
	if !strings.Contains((&xlsx.Error{Err: xlsx.ErrCellLength, Part: "p", Row: 3, Col: 28}).Error(), "AB3") {
		t.Error("an error does not name its cell")
	}
}
