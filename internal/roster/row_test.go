package roster

import (
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/people"
)

// testEnv is an installation without a database: one committee with a
// branch, a unit, and a name used twice.
func testEnv() *env {
	orgs := []org.Org{
		{ID: 1, Kind: org.Committee, Name: "机关党委", Path: "/1/"},
		{ID: 2, Kind: org.Branch, Name: "第一党支部", Path: "/1/2/"},
		{ID: 10, Kind: org.Unit, Name: "市委政法委", Path: "/10/"},
		{ID: 11, Kind: org.Unit, Name: "综合科", Path: "/10/11/"},
		{ID: 12, Kind: org.Unit, Name: "市法院", Path: "/12/"},
		{ID: 13, Kind: org.Unit, Name: "综合科", Path: "/12/13/"},
	}
	return &env{
		names:     NewNames(orgs, orgs, nil),
		education: dict.NewLookup(dict.Defaults[dict.Education]),
		ethnic:    dict.NewLookup(dict.Defaults[dict.Ethnic]),
		today:     date.MustParse("2026-06-30"),
	}
}

// standardLayout is the template's layout: every column in field order.
func standardLayout() *layout {
	cells := make([]string, numFields)
	for f := range numFields {
		cells[f] = headers[f][0]
	}
	l, ok := matchHeader(1, cells)
	if !ok {
		panic("standard header not recognised")
	}
	return l
}

// textRow builds a row of text cells from field → value.
func textRow(num int, values map[field]string) *row {
	r := &row{num: num}
	for f, v := range values {
		r.cells[f] = cell{text: v}
	}
	return r
}

func goodValues() map[field]string {
	return map[field]string{
		fSeq: "1", fName: "李　红", fSex: "女", fEthnic: "汉", fBirth: "1949.12.31", fIDNumber: "11010519491231002x",
		fEducation: "本科", fUnit: "市委政法委", fPosition: " 科员 ", fStatus: "正式党员", fJoined: "1975年7月1日",
		fFull: "1976/7/1", fPhone: "138 0013 8000", fOrg: " 第一党支部 ",
	}
}

func TestParseRowNormalizes(t *testing.T) {
	p, probs := parseRow(testEnv(), standardLayout(), textRow(3, goodValues()), nil)
	if len(probs) > 0 {
		t.Fatalf("problems in a good row: %+v", probs)
	}
	want := people.Person{OrgID: 2, UnitID: 10, Name: "李红", Sex: people.Female, BirthDate: date.MustParse("1949-12-31"),
		Ethnic: "汉族", Education: "大学本科", Position: "科员", Status: people.Full, JoinedOn: date.MustParse("1975-07-01"),
		FullOn: date.MustParse("1976-07-01"), Phone: "13800138000", IDNumber: "11010519491231002X"}
	if p != want {
		t.Fatalf("got  %+v\nwant %+v", p, want)
	}
}

func TestParseRowReportsEachColumn(t *testing.T) {
	l := standardLayout()
	cases := []struct {
		name   string
		change map[field]string
		column string
		key    string
	}{
		{"empty name", map[field]string{fName: "　"}, "姓名", "required"},
		{"bad check digit", map[field]string{fIDNumber: "110105194912310021", fSex: "", fBirth: ""}, "身份证号", "id_number.checksum"},
		{"masked ID", map[field]string{fIDNumber: "110***********002X"}, "身份证号", "roster.id_number_masked"},
		{"ID shown as a number", map[field]string{fIDNumber: "1.10105E+17"}, "身份证号", "roster.id_number_numeric"},
		{"unknown branch", map[field]string{fOrg: "第九党支部"}, "所在支部", "roster.org_unknown"},
		{"ambiguous branch", map[field]string{fOrg: "综合科"}, "所在支部", "roster.org_ambiguous"},
		{"member in a unit", map[field]string{fOrg: "市委政法委"}, "所在支部", "roster.org_not_party"},
		{"unknown unit", map[field]string{fUnit: "火星办事处"}, "工作单位", "roster.unit_unknown"},
		{"branch as unit", map[field]string{fUnit: "第一党支部"}, "工作单位", "person.unit_not_unit"},
		{"unknown status", map[field]string{fStatus: "团员"}, "人员类别", "roster.status_unknown"},
		{"no status", map[field]string{fStatus: ""}, "人员类别", "required"},
		{"sex", map[field]string{fSex: "M"}, "性别", "roster.sex_unknown"},
		{"sex against ID", map[field]string{fSex: "男"}, "性别", "sex.mismatch_id"},
		{"birth against ID", map[field]string{fBirth: "1950-01-01"}, "出生日期", "birth_date.mismatch_id"},
		{"bad date", map[field]string{fJoined: "七五年"}, "入党时间", "roster.date_format"},
		{"join date without day", map[field]string{fJoined: "1975.07"}, "入党时间", "roster.date_need_day"},
		{"full before joined", map[field]string{fFull: "1974-07-01"}, "转正时间", "full_on.before_joined"},
		{"full member without 转正", map[field]string{fFull: ""}, "转正时间", "full_on.required_for_full"},
		{"education", map[field]string{fEducation: "博士后"}, "学历", "roster.education_unknown"},
		{"ethnic", map[field]string{fEthnic: "火星族"}, "民族", "roster.ethnic_unknown"},
		{"phone", map[field]string{fPhone: "12345"}, "联系电话", "phone.format"},
		{"masked phone", map[field]string{fPhone: "138****8000"}, "联系电话", "roster.phone_masked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := goodValues()
			for f, s := range c.change {
				v[f] = s
			}
			_, probs := parseRow(testEnv(), l, textRow(7, v), nil)
			if len(probs) != 1 {
				t.Fatalf("want one problem, got %+v", probs)
			}
			p := probs[0]
			if p.Row != 7 || p.Column != c.column || p.Key != c.key || strings.HasPrefix(p.Text, "〔") || p.Text == "" {
				t.Fatalf("got %+v, want row 7 column %s key %s with a Chinese text", p, c.column, c.key)
			}
		})
	}
}

func TestParseRowNumericCells(t *testing.T) {
	l := standardLayout()
	v := goodValues()
	r := textRow(4, v)
	r.cells[fIDNumber] = cell{text: "110105194912310000", numeric: true} // as LibreOffice keeps it
	if _, probs := parseRow(testEnv(), l, r, nil); len(probs) != 1 || probs[0].Key != "roster.id_number_numeric" ||
		!strings.Contains(probs[0].Text, "数字") || !strings.Contains(probs[0].Text, "文本") {
		t.Fatalf("numeric ID: %+v", probs)
	}
	r = textRow(4, v)
	r.cells[fPhone] = cell{text: "13800138000", numeric: true}
	r.cells[fBirth] = cell{text: "18263", numeric: true} // 1949-12-31 as a date cell
	r.cells[fJoined] = cell{text: "27576", numeric: true}
	p, probs := parseRow(testEnv(), l, r, nil)
	if len(probs) > 0 || p.Phone != "13800138000" || p.JoinedOn.String() != "1975-07-01" {
		t.Fatalf("numeric phone and date cells: %+v %+v", p, probs)
	}
	r.cells[fPhone] = cell{text: "1.3800138E+10", numeric: true}
	if p, probs := parseRow(testEnv(), l, r, nil); len(probs) > 0 || p.Phone != "13800138000" {
		t.Fatalf("phone in E notation: %q %+v", p.Phone, probs)
	}
}

func TestParseRowBirthMonthOnly(t *testing.T) {
	v := goodValues()
	v[fBirth] = "1949.12" // 出生年月: the ID's day stands
	p, probs := parseRow(testEnv(), standardLayout(), textRow(3, v), nil)
	if len(probs) > 0 || p.BirthDate.String() != "1949-12-31" {
		t.Fatalf("出生年月 with ID: %v %+v", p.BirthDate, probs)
	}
	v[fIDNumber], v[fBirth] = "", "1949年12月" // without an ID the 1st stands for the month
	p, probs = parseRow(testEnv(), standardLayout(), textRow(3, v), nil)
	if len(probs) > 0 || p.BirthDate.String() != "1949-12-01" || p.Sex != people.Female {
		t.Fatalf("出生年月 without ID: %v %+v", p.BirthDate, probs)
	}
}

func TestMatchHeader(t *testing.T) {
	if _, ok := matchHeader(1, []string{"市委政法委机关党员花名册"}); ok {
		t.Fatal("a title row taken for the header")
	}
	l, ok := matchHeader(2, []string{"手机号码", "*姓  名", "所在党支部", "政治面貌", "出生年月\n(1985.03)", "身份证号码"})
	if !ok {
		t.Fatal("header with synonyms not recognised")
	}
	if l.col[fPhone] != 0 || l.col[fName] != 1 || l.col[fOrg] != 2 || l.col[fStatus] != 3 || l.col[fBirth] != 4 || l.col[fIDNumber] != 5 {
		t.Fatalf("columns: %v", l.col)
	}
	if l.column(fBirth) != "出生年月\n(1985.03)" || l.column(fSex) != "性别" {
		t.Fatalf("problem columns named %q, %q", l.column(fBirth), l.column(fSex))
	}
	l, _ = matchHeader(1, []string{"姓名", "性别", "民族"})
	if got := strings.Join(l.missing(), ","); got != "所在支部,人员类别" {
		t.Fatalf("missing: %s", got)
	}
}

// FuzzParseRow feeds arbitrary cells (tab-separated, in template column
// order) to the row parser: it must never panic, every problem must name a
// row and a known message, and a row without problems must be a valid person.
func FuzzParseRow(f *testing.F) {
	join := func(m map[field]string) string {
		cells := make([]string, numFields)
		for k, v := range m {
			cells[k] = v
		}
		return strings.Join(cells, "\t")
	}
	f.Add(join(goodValues()), uint16(0))
	f.Add(join(map[field]string{fName: "张　伟", fStatus: "群众", fOrg: "市委政法委", fSex: "男", fBirth: "1990.1"}), uint16(0))
	f.Add(join(map[field]string{fName: "x", fIDNumber: "370102198907046000", fPhone: "1.3800138E+10", fBirth: "32693"}), uint16(0xffff))
	f.Add(join(map[field]string{fName: "王", fJoined: "1985.1", fStatus: "预备党员", fOrg: "综合科"}), uint16(1<<fJoined))
	f.Add("\t\t\t\t\t\t\t\t\t\t\t\t\t", uint16(0))
	e, l := testEnv(), standardLayout()
	f.Fuzz(func(t *testing.T, line string, numeric uint16) {
		r := &row{num: 5}
		for i, s := range strings.SplitN(line, "\t", int(numFields)) {
			r.cells[i] = cell{text: s, numeric: numeric&(1<<i) != 0}
		}
		p, probs := parseRow(e, l, r, nil)
		for _, pr := range probs {
			if pr.Row != 5 || !msg.Has(pr.Key) || strings.HasPrefix(pr.Text, "〔") {
				t.Fatalf("problem %+v", pr)
			}
		}
		if len(probs) == 0 {
			if err := p.Validate(e.today); err != nil {
				t.Fatalf("accepted row is invalid: %v (%+v)", err, p)
			}
			if p.OrgID == 0 || p.Name == "" {
				t.Fatalf("accepted row without organisation or name: %+v", p)
			}
		}
	})
}

// A row with several problems lists them left to right, as the row reads.
func TestParseRowProblemsInColumnOrder(t *testing.T) {
	v := goodValues()
	v[fPhone], v[fStatus], v[fIDNumber], v[fName] = "123", "团员", "110105194912310021", ""
	_, probs := parseRow(testEnv(), standardLayout(), textRow(9, v), nil)
	var cols []string
	for _, p := range probs {
		cols = append(cols, p.Column)
	}
	if got := strings.Join(cols, ","); got != "姓名,身份证号,人员类别,联系电话" {
		t.Fatalf("columns in order %s: %+v", got, probs)
	}
}
