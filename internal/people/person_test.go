package people

import (
	"errors"
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

var today = date.MustParse("2026-06-30")

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{
		"138 0013 8000":  "13800138000",
		"+8613800138000": "13800138000",
		" 13800138000　":  "13800138000",
		"0531-86001234":  "0531-86001234",
		"13800138000":    "13800138000",
		"１３８００１３８０００":    "１３８００１３８０００", // full-width digits are left for the check to refuse
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
	good := []string{"13800138000", "19912345678", "0531-86001234", "01088886666", "0755-1234567"}
	bad := []string{"12800138000", "1380013800", "138001380001", "86001234", "0531-860012345", "abc", "１３８００１３８０００"}
	for _, p := range good {
		if k := CheckPhone(p); k != "" {
			t.Errorf("CheckPhone(%q) = %q, want ok", p, k)
		}
	}
	for _, p := range bad {
		if k := CheckPhone(p); k != "phone.format" {
			t.Errorf("CheckPhone(%q) = %q, want phone.format", p, k)
		}
	}
}

func TestMask(t *testing.T) {
	cases := []struct{ got, want string }{
		{MaskIDNumber("11010519491231002X"), "110***********002X"},
		{MaskPhone("13800138000"), "138****8000"},
		{MaskPhone("0531-86001234"), "053******1234"},
		{MaskIDNumber(""), ""},
		{MaskPhone("1234"), "1***"}, // too short to keep both ends
		{MaskPhone("7"), "*"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("mask = %q, want %q", c.got, c.want)
		}
	}
	if m := MaskIDNumber("11010519491231002X"); strings.Contains(m, "19491231") {
		t.Fatalf("masked ID still shows the birth date: %s", m)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"张　伟":      "张伟",
		" 李 娜 ":    "李娜",
		"王\t强\n":   "王强",
		"阿依古丽·买买提": "阿依古丽·买买提", // the middle dot of minority names stays
		"欧阳小明":     "欧阳小明",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// member is a valid 正式党员 to vary in the tests.
func member() Person {
	return Person{OrgID: 1, Name: "李红", Status: Full, IDNumber: "11010519491231002X",
		JoinedOn: date.MustParse("1975-07-01"), FullOn: date.MustParse("1976-07-01"), Phone: "13800138000"}
}

func TestValidateDerivesFromID(t *testing.T) {
	p := member()
	if err := p.Validate(today); err != nil {
		t.Fatal(err)
	}
	if p.Sex != Female || p.BirthDate.String() != "1949-12-31" {
		t.Fatalf("derived sex %q birth %s", p.Sex, p.BirthDate)
	}
	// Joined 1975-07-01, full member 1976-07-01: 党龄 49 on 2026-06-30.
	if p.Age(today) != 76 || p.PartyYears(today) != 49 {
		t.Fatalf("age %d, party years %d", p.Age(today), p.PartyYears(today))
	}
}

func TestValidateProblems(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Person)
		field  string
		key    string
	}{
		{"no name", func(p *Person) { p.Name = "" }, "name", "required"},
		{"long name", func(p *Person) { p.Name = strings.Repeat("名", 41) }, "name", errs.TooLong(MaxName)},
		{"long position", func(p *Person) { p.Position = strings.Repeat("职", MaxPosition+1) }, "position", errs.TooLong(MaxPosition)},
		{"masked ID number", func(p *Person) { p.IDNumber = MaskIDNumber(p.IDNumber) }, "id_number", "id_number.masked"},
		{"masked phone", func(p *Person) { p.Phone = MaskPhone(p.Phone) }, "phone", "phone.masked"},
		{"no organisation", func(p *Person) { p.OrgID = 0 }, "org_id", "required"},
		{"unknown status", func(p *Person) { p.Status = "member" }, "status", "status.unknown"},
		{"bad ID", func(p *Person) { p.IDNumber = "110105194912310021" }, "id_number", "id_number.checksum"},
		{"sex against ID", func(p *Person) { p.Sex = Male }, "sex", "sex.mismatch_id"},
		{"birth against ID", func(p *Person) { p.BirthDate = date.MustParse("1950-01-01") }, "birth_date", "birth_date.mismatch_id"},
		{"no ID, no sex", func(p *Person) { p.IDNumber, p.BirthDate = "", date.MustParse("1949-12-31") }, "sex", "required"},
		{"no ID, no birth", func(p *Person) { p.IDNumber, p.Sex = "", Female }, "birth_date", "required"},
		{"born tomorrow", func(p *Person) {
			p.IDNumber, p.Sex, p.BirthDate, p.JoinedOn, p.FullOn = "", Male, today.AddDate(0, 0, 1), date.Date{}, date.Date{}
			p.Status = Masses
		}, "birth_date", "date.out_of_range"},
		{"phone", func(p *Person) { p.Phone = "12345" }, "phone", "phone.format"},
		{"member without join date", func(p *Person) { p.Status, p.JoinedOn, p.FullOn = Probationary, date.Date{}, date.Date{} }, "joined_on", "joined_on.required_for_member"},
		{"full member without 转正", func(p *Person) { p.FullOn = date.Date{} }, "full_on", "full_on.required_for_full"},
		{"转正 before joining", func(p *Person) { p.FullOn = date.MustParse("1975-01-01") }, "full_on", "full_on.before_joined"},
		{"joined at 17", func(p *Person) { p.JoinedOn, p.FullOn = date.MustParse("1967-07-01"), date.MustParse("1968-07-01") }, "joined_on", "joined_on.under_18"},
		{"join date in the future", func(p *Person) { p.Status, p.JoinedOn, p.FullOn = Probationary, today.AddDate(0, 1, 0), date.Date{} }, "joined_on", "date.out_of_range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := member()
			c.change(&p)
			err := p.Validate(today)
			var inv *errs.Invalid
			if !errors.As(err, &inv) {
				t.Fatalf("want a problem with %s, got %v", c.field, err)
			}
			if inv.Fields[c.field] != c.key {
				t.Fatalf("%s: got %v, want %s", c.field, inv.Fields, c.key)
			}
		})
	}
}

func TestNormalizeBeforeValidate(t *testing.T) {
	p := Person{OrgID: 1, Name: "张　伟", Status: Masses, IDNumber: " 11010519491231002x ", Phone: "+86 138 0013 8000",
		Ethnic: " 汉族 ", Education: "大学本科 ", Position: " 科员"}
	p.Normalize()
	if p.Name != "张伟" || p.IDNumber != "11010519491231002X" || p.Phone != "13800138000" ||
		p.Ethnic != "汉族" || p.Education != "大学本科" || p.Position != "科员" {
		t.Fatalf("normalized %+v", p)
	}
	if err := p.Validate(today); err != nil {
		t.Fatalf("normalized person invalid: %v", err)
	}
}

func TestStatus(t *testing.T) {
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if Status("团员").Valid() || !Probationary.IsMember() || !Full.IsMember() || Candidate.IsMember() || Masses.IsMember() {
		t.Fatal("status predicates")
	}
	p := member()
	p.Status = Candidate
	if p.PartyYears(today) != 0 {
		t.Fatal("a 发展对象 has party standing")
	}
}

// A mistyped ID number is one mistake: sex and birth date, which come from the
// number, are not reported as missing beside it.
func TestBadIDNumberIsReportedOnce(t *testing.T) {
	first := "37010219850312123"
	bad := first + string(IDCheckChar(first)+1)
	if IDCheckChar(first) == 'X' || IDCheckChar(first) == '9' {
		bad = first + "0"
	}
	p := Person{Name: "张伟", OrgID: 1, Status: Masses, IDNumber: bad}
	err := p.Validate(date.MustParse("2026-06-30"))
	var inv *errs.Invalid
	if !errors.As(err, &inv) || len(inv.Fields) != 1 || inv.Fields["id_number"] != "id_number.checksum" {
		t.Fatalf("want only the check digit reported, got %v", err)
	}
}

// 党章第七条: 党龄 counts from the day of becoming a full member (转正), not
// from joining. 陈慧 joined 2007-07-02 and became full 2008-07-02.
func TestPartyYearsCountFromFullMembership(t *testing.T) {
	p := Person{Status: Full, JoinedOn: date.MustParse("2007-07-02"), FullOn: date.MustParse("2008-07-02")}
	for _, c := range []struct {
		day  string
		want int
	}{
		{"2008-07-01", 0},  // still 预备 that day
		{"2008-07-02", 0},  // the day of 转正
		{"2009-07-01", 0},  // the day before the first anniversary
		{"2009-07-02", 1},  // the first anniversary
		{"2026-07-01", 17}, // the day before the 18th: 19 years after joining would be wrong
		{"2026-07-02", 18},
		{"2026-11-28", 18},
	} {
		if got := p.PartyYears(date.MustParse(c.day)); got != c.want {
			t.Errorf("党龄 on %s = %d, want %d", c.day, got, c.want)
		}
	}
}

func TestProbationaryMembersHaveNoPartyYears(t *testing.T) {
	p := Person{Status: Probationary, JoinedOn: date.MustParse("2020-07-01")}
	if got := p.PartyYears(date.MustParse("2026-06-30")); got != 0 {
		t.Fatalf("a 预备党员 has 党龄 %d", got)
	}
	// A 转正 date on the record of someone not (or no longer) a full member
	// gives no standing either.
	p.FullOn = date.MustParse("2021-07-01")
	if got := p.PartyYears(date.MustParse("2026-06-30")); got != 0 {
		t.Fatalf("a 预备党员 with a stray 转正 date has 党龄 %d", got)
	}
}

func TestHonouredAfterFiftyYearsFromFullMembership(t *testing.T) {
	p := Person{Status: Full, JoinedOn: date.MustParse("1975-07-01"), FullOn: date.MustParse("1976-07-01")}
	// 50 years after joining is not enough: 转正 was a year later.
	if p.Honoured(date.MustParse("2025-07-01")) {
		t.Fatal("光荣在党50年 counted from joining")
	}
	if p.Honoured(date.MustParse("2026-06-30")) {
		t.Fatal("光荣在党50年 the day before the 50th anniversary of 转正")
	}
	if !p.Honoured(date.MustParse("2026-07-01")) || p.PartyYears(date.MustParse("2026-07-01")) != 50 {
		t.Fatal("光荣在党50年 should start on the 50th anniversary of 转正")
	}
	p.Status = Masses
	if p.Honoured(date.MustParse("2030-01-01")) {
		t.Fatal("someone no longer a member is not honoured")
	}
}

// A masked value sent back unchanged keeps the stored one; anything else,
// an empty value included, is what was sent.
func TestUnmaskKeepsAnUnchangedMaskedValue(t *testing.T) {
	const id = "11010519491231002X"
	for _, c := range []struct{ sent, want string }{
		{MaskIDNumber(id), id}, {"", ""}, {"370102198503121235", "370102198503121235"}, {"110***********0021", "110***********0021"},
	} {
		if got := Unmask(c.sent, id, MaskIDNumber); got != c.want {
			t.Errorf("Unmask(%q) = %q, want %q", c.sent, got, c.want)
		}
	}
	if got := Unmask("*", "", MaskPhone); got != "*" {
		t.Errorf("nothing stored: %q", got)
	}
}
