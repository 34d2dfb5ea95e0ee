package roster

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/auth"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// exported lists everyone, in roster order, as Export receives them.
func exported(t *testing.T, w *world) []store.PersonRow {
	t.Helper()
	page, err := w.st.People(context.Background(), auth.Everything, store.PersonFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func TestExportImportsAgain(t *testing.T) {
	fixture := readFixture(t)
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		first := newWorld(t, d)
		if rep := first.importBytes(t, fixture); rep.Imported != 40 {
			t.Fatalf("fixture: %+v", rep.Problems)
		}
		// Add the messy file's people too: a 群众, an activist without dates.
		if rep := first.importBytes(t, sheet(t, messyRows())); rep.Imported != 4 {
			t.Fatalf("messy file: %+v", rep.Problems)
		}
		var buf bytes.Buffer
		if err := Export(&buf, exported(t, first), true, first.names(t)); err != nil {
			t.Fatal(err)
		}

		second := newWorld(t, d)
		rep := second.importBytes(t, buf.Bytes())
		if rep.Rejected() || rep.Imported != 44 {
			t.Fatalf("re-import of the export: %d imported, %+v", rep.Imported, rep.Problems)
		}
		before, after := first.all(t), second.all(t)
		if len(after) != len(before) {
			t.Fatalf("%d people became %d", len(before), len(after))
		}
		for id, a := range before {
			b, ok := after[id]
			if !ok {
				t.Fatalf("%s (%s) lost in the round trip", a.Name, id)
			}
			if a.Name != b.Name || a.Sex != b.Sex || a.BirthDate != b.BirthDate || a.Ethnic != b.Ethnic ||
				a.Education != b.Education || a.Position != b.Position || a.Status != b.Status ||
				a.JoinedOn != b.JoinedOn || a.FullOn != b.FullOn || a.Phone != b.Phone ||
				a.OrgName != b.OrgName || a.UnitName != b.UnitName {
				t.Fatalf("round trip changed %s:\n before %+v\n after  %+v", a.Name, a, b)
			}
		}
	})
}

func TestExportMasks(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		if rep := w.importBytes(t, readFixture(t)); rep.Imported != 40 {
			t.Fatalf("fixture: %+v", rep.Problems)
		}
		rows := exported(t, w)
		var buf bytes.Buffer
		if err := Export(&buf, rows, false, w.names(t)); err != nil {
			t.Fatal(err)
		}
		// Read it back the way Excel would show it.
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := f.GetRows(sheetName)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 41 || strings.Join(got[0], ",") != "序号,姓名,性别,民族,出生日期,身份证号,学历,工作单位,职务,人员类别,申请入党时间,确定积极分子时间,确定发展对象时间,入党时间,转正时间,联系电话,所在支部,人员编号" {
			t.Fatalf("%d rows, header %v", len(got), got[0])
		}
		for i, r := range rows {
			line := got[i+1]
			if line[fIDNumber] != people.MaskIDNumber(r.IDNumber) || line[fPhone] != people.MaskPhone(r.Phone) {
				t.Fatalf("row %d shows %q %q", i+2, line[fIDNumber], line[fPhone])
			}
			if strings.Contains(strings.Join(line, ","), r.IDNumber) || strings.Contains(strings.Join(line, ","), r.Phone) {
				t.Fatalf("row %d leaks the full number: %v", i+2, line)
			}
			if line[fName] != r.Name || line[fBirth] != r.BirthDate.String() || line[fStatus] == "" {
				t.Fatalf("row %d: %v", i+2, line)
			}
		}
		// A masked export cannot be imported back as if it were complete.
		rep := newWorld(t, d).importBytes(t, buf.Bytes())
		if rep.Imported != 0 || len(rep.Problems) == 0 || rep.Problems[0].Key != "roster.id_number_masked" {
			t.Fatalf("masked re-import: %+v", rep.Problems[:min(2, len(rep.Problems))])
		}
	})
}

func TestTemplate(t *testing.T) {
	data, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if list := f.GetSheetList(); len(list) != 2 || list[0] != "花名册" || list[1] != "填写说明" {
		t.Fatalf("sheets %v", list)
	}
	rows, _ := f.GetRows("花名册")
	if len(rows) != 2 || rows[1][0] != "示例" || rows[1][fIDNumber] != "11010519491231002X" {
		t.Fatalf("template rows %v", rows)
	}
	help, _ := f.GetRows("填写说明")
	last := strings.Join(help[len(help)-1], "")
	if !strings.Contains(strings.Join(help[len(help)-2], ""), "党支部") || !strings.HasPrefix(last, "人员编号") || !strings.Contains(last, "新增人员留空") || len(help) < int(numFields)+4 {
		t.Fatalf("instructions %v", help)
	}
	// The ID column is formatted as text, so typing an ID there stays text.
	if s, _ := f.GetCellStyle("花名册", "F100"); s == 0 {
		t.Fatal("ID column has no text format")
	} else if st, _ := f.GetStyle(s); st.NumFmt != 49 {
		t.Fatalf("ID column format %d", st.NumFmt)
	}

	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		// The untouched template: the example row is skipped, nothing to import.
		rep := w.importBytes(t, data)
		if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.no_rows" {
			t.Fatalf("empty template: %+v", rep.Problems)
		}
		// Filled in below the example, it imports.
		f, _ := excelize.OpenReader(bytes.NewReader(data))
		defer f.Close()
		row := []any{1, "张伟", "", "", "", "370102198503121233", "", "市公安局", "", "群众", "", "", "", "", "", "", "第一党支部"}
		if err := f.SetSheetRow("花名册", "A3", &row); err != nil {
			t.Fatal(err)
		}
		buf, _ := f.WriteToBuffer()
		rep = w.importBytes(t, buf.Bytes())
		if rep.Imported != 1 || rep.Rejected() {
			t.Fatalf("filled template: %+v", rep.Problems)
		}
	})
}
