package roster

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

func TestImportFixture(t *testing.T) {
	data := readFixture(t)
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		var calls [][2]int
		rep, err := Import(context.Background(), w.st, tester, w.scope, bytes.NewReader(data),
			func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil || rep.Rejected() {
			t.Fatalf("import: %v %+v", err, rep.Problems)
		}
		if rep.Imported != 40 || rep.Rows != 40 || w.count(t) != 40 {
			t.Fatalf("imported %d of %d rows, %d in the database", rep.Imported, rep.Rows, w.count(t))
		}
		// Progress runs from 0 to the total without going back.
		if len(calls) == 0 || calls[0] != [2]int{0, 80} || calls[len(calls)-1] != [2]int{80, 80} {
			t.Fatalf("progress from %v to %v", calls[0], calls[len(calls)-1])
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] < calls[i-1][0] {
				t.Fatalf("progress went back at %v", calls[i])
			}
		}
		all := w.all(t)
		// Row 3 of the fixture, field by field: date cells, text ID, unit, branch.
		p, ok := all["370102198907046858"]
		if !ok {
			t.Fatal("雷秀 (row 3) missing")
		}
		if p.Name != "雷秀" || p.Sex != people.Male || p.BirthDate.String() != "1989-07-04" || p.Ethnic != "汉族" ||
			p.Education != "中专" || p.UnitName != "市法学会" || p.Position != "副主任" || p.Status != people.Full ||
			p.JoinedOn.String() != "2007-12-20" || p.FullOn.String() != "2008-12-19" || p.Phone != "15546848745" ||
			p.OrgName != "第一党支部" {
			t.Fatalf("row 3 imported as %+v", p)
		}
		// 王静 is a 预备党员 without 转正时间; 郝强's ID ends in X.
		if p := all["370102197705303196"]; p.Status != people.Probationary || !p.FullOn.IsZero() || p.JoinedOn.IsZero() {
			t.Fatalf("probationary member: %+v", p)
		}
		if _, ok := all["37010219740118444X"]; !ok {
			t.Fatal("ID number ending in X missing")
		}
		// The branches hold what the sheet says, and only the committee's scope was written.
		counts := map[string]int{}
		for _, p := range all {
			counts[p.OrgName]++
		}
		if counts["第一党支部"]+counts["第二党支部"]+counts["第三党支部"] != 40 {
			t.Fatalf("people by branch: %v", counts)
		}
		// Importing the same file again finds every person already there.
		rep = w.importBytes(t, data)
		if rep.Imported != 0 || len(rep.Problems) != 40 || rep.Problems[0].Key != "person.id_number_taken" ||
			rep.Problems[0].Row != 3 || rep.Problems[0].Column != "身份证号" {
			t.Fatalf("second import: %d imported, %+v", rep.Imported, rep.Problems[:min(3, len(rep.Problems))])
		}
	})
}

// messyRows is what offices really send: a merged title, columns in their
// own order and words, padded names, dates typed as text in every style,
// short education names, stray spaces, numbered empty rows.
func messyRows() [][]any {
	return [][]any{
		{"市委政法委机关党员花名册（2026年6月）"},
		{"序号", "姓  名", "手机号码", "所在党支部", "政治面貌", "出生年月", "公民身份号码", "文化程度", "单位", "职务职级", "入党日期", "转正日期", "民族", "性别"},
		{1.0, "张　伟", 13800138000.0, "第一党支部 ", "正式党员", "1985.03", "370102198503121233", "本科", "市公安局", " 科员", "2008.07.01", "2009年7月1日", "汉族", "男"},
		{2.0, " 李　娜", "139 0013 9000", "第二党支部", "预备党员", "1999/1/1", "370102199901012221", "大专", "市司法局", "", "2026-01-15", "", "回", "女"},
		{3.0},
		{},
		{4.0, "欧阳小明", "", "第三党支部", "入党积极分子", "19900212", "37010219900212019x", "硕士研究生", "", "", "", "", "", ""},
		{5.0, "王强", "0531-86001234", "第三党支部", "群众", "1970年5月5日", "", "高中", "市法学会", "工勤人员", "", "", "汉族", "男"},
		{6.0},
	}
}

func TestImportMessyFile(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		rep := w.importBytes(t, sheet(t, messyRows()))
		if rep.Rejected() || rep.Imported != 4 {
			t.Fatalf("imported %d: %+v", rep.Imported, rep.Problems)
		}
		got := map[string]store.PersonRow{}
		page, _ := w.st.People(context.Background(), auth.Everything, store.PersonFilter{Limit: 10})
		for _, p := range page.Items {
			got[p.Name] = p
		}
		type want struct {
			birth, joined, full, phone, id, edu, ethnic, org, unit, position string
			status                                                           people.Status
			sex                                                              people.Sex
		}
		wants := map[string]want{
			"张伟":   {"1985-03-12", "2008-07-01", "2009-07-01", "13800138000", "370102198503121233", "大学本科", "汉族", "第一党支部", "市公安局", "科员", people.Full, people.Male},
			"李娜":   {"1999-01-01", "2026-01-15", "", "13900139000", "370102199901012221", "大学专科", "回族", "第二党支部", "市司法局", "", people.Probationary, people.Female},
			"欧阳小明": {"1990-02-12", "", "", "", "37010219900212019X", "研究生", "", "第三党支部", "", "", people.Activist, people.Male},
			"王强":   {"1970-05-05", "", "", "0531-86001234", "", "高中", "汉族", "第三党支部", "市法学会", "工勤人员", people.Masses, people.Male},
		}
		for name, wt := range wants {
			p, ok := got[name]
			if !ok {
				t.Fatalf("%s missing; got %v", name, got)
			}
			have := want{p.BirthDate.String(), p.JoinedOn.String(), p.FullOn.String(), p.Phone, p.IDNumber, p.Education, p.Ethnic,
				p.OrgName, p.UnitName, p.Position, p.Status, p.Sex}
			if have != wt {
				t.Errorf("%s\n got  %+v\n want %+v", name, have, wt)
			}
		}
	})
}

func TestImportBadFileImportsNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		ctx := context.Background()
		// Someone already on the roster.
		taken := people.Person{OrgID: w.branches["第一党支部"].ID, Name: "已在册", Status: people.Masses, IDNumber: "370102198001010015"}
		taken.Normalize()
		if err := taken.Validate(date.MustParse("2026-06-30")); err != nil {
			t.Fatal(err)
		}
		if err := w.st.CreatePerson(ctx, tester, auth.Everything, &taken); err != nil {
			t.Fatal(err)
		}
		before := w.count(t)
		header := []any{"序号", "姓名", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间"}
		rows := [][]any{
			{"党员花名册"},
			header,
			{1.0, "甲", "370102198503121239", "群众", "第一党支部"},                 // row 3: wrong check digit
			{2.0, "乙", "370102198503121233", "群众", "第九党支部"},                 // row 4: unknown branch
			{3.0, "丙", "370102199901012221", "群众", "第二党支部"},                 // row 5: same ID as row 7
			{4.0, "丁", "370102198001010015", "群众", "第二党支部"},                 // row 6: already in the database
			{5.0, "戊", "370102199901012221", "群众", "第三党支部"},                 // row 7: same ID as row 5
			{6.0, "", "37010219810202001X", "群众", "第三党支部"},                  // row 8: no name
			{7.0, "庚", 370102198907046858.0, "群众", "第三党支部"},                 // row 9: Excel turned the ID into a number
			{8.0, "辛", "370102197603248464", "正式党员", "第一党支部", "2010-07-01"}, // row 10: 正式党员 without 转正时间
			{9.0, "壬", "370102196612099312", "群众", "第一党支部"},                 // row 11: fine
		}
		rep := w.importBytes(t, sheet(t, rows))
		want := []problemLine{
			{3, "身份证号", "id_number.checksum"},
			{5, "身份证号", "roster.duplicate_in_file"},
			{6, "身份证号", "person.id_number_taken"},
			{7, "身份证号", "roster.duplicate_in_file"},
			{8, "姓名", "required"},
			{9, "身份证号", "roster.id_number_numeric"},
			{10, "转正时间", "full_on.required_for_full"},
		}
		if got := lines(rep.Problems); !reflect.DeepEqual(got, want) {
			t.Fatalf("problems\n got  %+v\n want %+v", got, want)
		}
		// The branch the tree lacks is listed once, beside the problems.
		if len(rep.Missing) != 1 || rep.Missing[0].Name != "第九党支部" || !reflect.DeepEqual(rep.Missing[0].Rows, []int{4}) ||
			rep.Missing[0].Text != "您的管理范围内没有“第九党支部”这个组织" {
			t.Fatalf("missing %+v", rep.Missing)
		}
		if rep.Imported != 0 || w.count(t) != before {
			t.Fatalf("imported %d, people %d → %d", rep.Imported, before, w.count(t))
		}
		// Each message says what is wrong in words a clerk understands.
		texts := map[int]string{}
		for _, p := range rep.Problems {
			texts[p.Row] = p.Text
		}
		for row, part := range map[int]string{3: "校验位", 5: "第7行", 7: "第5行", 6: "已登记", 9: "文本"} {
			if !strings.Contains(texts[row], part) {
				t.Errorf("row %d says %q, want it to mention %q", row, texts[row], part)
			}
		}
	})
}

func TestImportColumnsMissing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		rep := w.importBytes(t, sheet(t, [][]any{{"姓名", "性别", "身份证号"}, {"张伟", "男", "370102198503121233"}}))
		if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.missing_columns" ||
			!strings.Contains(rep.Problems[0].Text, "所在支部") || !strings.Contains(rep.Problems[0].Text, "人员类别") {
			t.Fatalf("missing columns: %+v", rep.Problems)
		}
		rep = w.importBytes(t, sheet(t, [][]any{{"名单"}, {"张伟", "男"}}))
		if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.no_header" {
			t.Fatalf("no header: %+v", rep.Problems)
		}
		if w.count(t) != 0 {
			t.Fatal("something was imported")
		}
	})
}

// A branch secretary imports into their own branch only.
func TestImportOutsideScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		data := sheet(t, [][]any{{"姓名", "身份证号", "人员类别", "所在支部"}, {"张伟", "370102198503121233", "群众", "第二党支部"}})
		sc := auth.Scope{OrgPath: w.branches["第一党支部"].Path}
		rep, err := Import(context.Background(), w.st, tester, sc, bytes.NewReader(data), nil)
		if err != nil || len(rep.Missing) != 1 || rep.Missing[0].Name != "第二党支部" || !rep.Rejected() || w.count(t) != 0 {
			t.Fatalf("import into another branch: %v %+v %+v", err, rep.Problems, rep.Missing)
		}
	})
}

// Offices write the branch once and merge it down over its people.
func TestImportMergedBranchCells(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		f := excelize.NewFile()
		defer f.Close()
		rows := [][]any{
			{"党员花名册"},
			{"序号", "姓名", "身份证号", "人员类别", "所在支部"},
			{"第一党支部"}, // a section title merged across the sheet
			{1, "张伟", "370102198503121233", "群众", "第一党支部"},
			{2, "李娜", "370102199901012221", "群众"},
			{3, "王强", "370102198001010015", "群众"},
		}
		for i, r := range rows {
			f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r)
		}
		f.MergeCell("Sheet1", "A1", "E1")
		f.MergeCell("Sheet1", "A3", "E3")
		f.MergeCell("Sheet1", "E4", "E6")
		buf, _ := f.WriteToBuffer()
		rep := w.importBytes(t, buf.Bytes())
		if rep.Rejected() || rep.Imported != 3 {
			t.Fatalf("imported %d: %+v", rep.Imported, rep.Problems)
		}
		for _, p := range w.all(t) {
			if p.OrgName != "第一党支部" {
				t.Fatalf("%s in %s", p.Name, p.OrgName)
			}
		}
	})
}

// One sheet per branch is refused as a whole, not imported in part.
func TestImportRefusesSeveralRosterSheets(t *testing.T) {
	w := newWorld(t, store.SQLite)
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "一支部")
	f.NewSheet("二支部")
	for i, name := range []string{"一支部", "二支部"} {
		f.SetSheetRow(name, "A1", &[]any{"姓名", "身份证号", "人员类别", "所在支部"})
		f.SetSheetRow(name, "A2", &[]any{"张伟" + strconv.Itoa(i), "", "群众", "第一党支部"})
	}
	buf, _ := f.WriteToBuffer()
	rep := w.importBytes(t, buf.Bytes())
	if len(rep.Problems) != 1 || rep.Problems[0].Key != "roster.many_sheets" || !strings.Contains(rep.Problems[0].Text, "二支部") || w.count(t) != 0 {
		t.Fatalf("%+v", rep.Problems)
	}
}

// Programs that export to Excel (WPS, web systems) number neither rows nor
// cells and write every text inline; the same people import the same.
func TestImportPlainExportedFile(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		office, plain := newWorld(t, d), newWorld(t, d)
		if rep := office.importBytes(t, readFixture(t)); rep.Imported != 40 {
			t.Fatalf("office file: %+v", rep.Problems)
		}
		rep := plain.importBytes(t, readTestdata(t, "roster-plain.xlsx"))
		if rep.Rejected() || rep.Imported != 40 || rep.Rows != 40 {
			t.Fatalf("plain file: %d of %d imported, %+v", rep.Imported, rep.Rows, rep.Problems)
		}
		a, b := office.all(t), plain.all(t)
		for id, p := range a {
			q := b[id]
			q.ID, q.CreatedAt, q.UpdatedAt, q.OrgID, q.UnitID, q.OrgPath = p.ID, p.CreatedAt, p.UpdatedAt, p.OrgID, p.UnitID, p.OrgPath
			if !reflect.DeepEqual(p, q) {
				t.Fatalf("the two files disagree on %s:\n office %+v\n plain  %+v", p.Name, p, q)
			}
		}
	})
}

// Excel turns what is typed into a General cell into a number when it can:
// ID numbers lose their last digits, 1998.10 becomes 1998.1. Each is said,
// in words, at its cell; nothing is imported.
func TestImportNumbersExcelMade(t *testing.T) {
	w := newWorld(t, store.SQLite)
	rep := w.importBytes(t, readTestdata(t, "roster-excel-numbers.xlsx"))
	want := []problemLine{
		{2, "身份证号", "roster.id_number_numeric"},
		{3, "身份证号", "roster.id_number_numeric"},
		{5, "入党时间", "roster.date_numeric_month"},
	}
	if got := lines(rep.Problems); !reflect.DeepEqual(got, want) {
		t.Fatalf("problems\n got  %+v\n want %+v", got, want)
	}
	if !strings.Contains(rep.Problems[0].Text, "末几位已经丢失") || w.count(t) != 0 {
		t.Fatalf("%q, %d imported", rep.Problems[0].Text, w.count(t))
	}
}
