package learning

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

func days(ds []date.Date) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.String())
	}
	return strings.Join(s, " ")
}

func TestOccurrences(t *testing.T) {
	d := date.MustParse
	cases := []struct {
		name     string
		s        Schedule
		from, to string
		want     string
	}{
		{"每周四 across a year end", Schedule{Repeat: Weekly, Weekday: time.Thursday}, "2025-12-20", "2026-01-10",
			"2025-12-25 2026-01-01 2026-01-08"},
		{"monthly on the 31st falls on short months' last day", Schedule{Repeat: Monthly, MonthDay: 31}, "2026-01-01", "2026-04-30",
			"2026-01-31 2026-02-28 2026-03-31 2026-04-30"},
		{"monthly on the 30th in a leap February", Schedule{Repeat: Monthly, MonthDay: 30}, "2028-02-01", "2028-03-31",
			"2028-02-29 2028-03-30"},
		{"monthly from mid-month across a year end", Schedule{Repeat: Monthly, MonthDay: 15}, "2025-11-20", "2026-02-10",
			"2025-12-15 2026-01-15"},
		{"workdays skip the weekend", Schedule{Repeat: Workdays}, "2026-01-30", "2026-02-03",
			"2026-01-30 2026-02-02 2026-02-03"},
		{"每日 across a year end", Schedule{Repeat: Daily}, "2025-12-30", "2026-01-02",
			"2025-12-30 2025-12-31 2026-01-01 2026-01-02"},
		{"reversed span is empty", Schedule{Repeat: Daily}, "2026-01-02", "2026-01-01", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := days(c.s.Occurrences(d(c.from), d(c.to))); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestPlanSessionsAndValidation(t *testing.T) {
	learning := func(id int64) bool { return id == 7 }
	p := Plan{OrgID: 1, Title: " 2026年理论学习计划 ", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-01-31"),
		Schedules: []Schedule{
			{KindID: 7, Title: "周四集中学习", Repeat: Weekly, Weekday: time.Thursday, Start: "15:00", Minutes: 120},
			{KindID: 7, Title: "周五业务课堂", Repeat: Weekly, Weekday: time.Friday, Start: "16:30", Minutes: 90},
		}}
	p.Normalize()
	if err := p.Validate(learning); err != nil {
		t.Fatal(err)
	}
	got := p.Planned(event.China)
	if len(got) != 5+5 {
		t.Fatalf("%d sessions, want 5 Thursdays and 5 Fridays of January 2026", len(got))
	}
	first := got[0]
	if first.Start.Format("2006-01-02 15:04") != "2026-01-01 15:00" || first.End.Sub(first.Start) != 2*time.Hour {
		t.Errorf("first session %s–%s", first.Start, first.End)
	}

	bad := p
	bad.Schedules = []Schedule{{KindID: 3, Title: "x", Repeat: Weekly, Weekday: time.Monday, Start: "25:00", Minutes: 5}}
	err := bad.Validate(learning)
	var inv *errs.Invalid
	if !errors.As(err, &inv) || inv.Fields["schedules"] == "" {
		t.Fatalf("a schedule of a kind that is not learning, at 25:00, was accepted: %v", err)
	}
	long := p
	long.To = date.MustParse("2027-01-05")
	if err := long.Validate(learning); err == nil {
		t.Error("a plan over more than a year was accepted")
	}
}

func TestCountChars(t *testing.T) {
	for s, want := range map[string]int{
		"学习二十大精神。":         8,
		"学习 二十大\n精神 2026年": 12,
		"  \n\t ":          0,
		"Rule of law":      9,
	} {
		if got := CountChars(s); got != want {
			t.Errorf("CountChars(%q) = %d, want %d", s, got, want)
		}
	}
	n := Note{Kind: Reflection, Title: "心得", Body: "短"}
	n.Normalize()
	if err := n.Validate(); err == nil {
		t.Error("a one-character reflection was accepted")
	}
}

func TestTallyHours(t *testing.T) {
	people := []Standing{{PersonID: 1, Name: "张伟"}, {PersonID: 2, Name: "李娜", Committee: true}, {PersonID: 3, Name: "王芳"}}
	credits := []Credit{}
	for range 8 { // sixteen two-hour sessions, read two at a time: 32 学时
		credits = append(credits, Credit{PersonID: 1, Credit: 40, Days: 2}, Credit{PersonID: 2, Credit: 40, Days: 2})
	}
	credits = append(credits, Credit{PersonID: 3, Credit: 20, Days: 1}, Credit{PersonID: 99, Credit: 20, Days: 1})
	got := Tally(people, credits, DefaultRequirement)
	if !got[0].Met() || got[0].Earned != 320 || got[0].Sessions != 16 {
		t.Errorf("a member with 32 学时: %+v", got[0])
	}
	if got[1].Met() || got[1].Required != 560 || got[1].Percent() != 57 {
		t.Errorf("a committee member with 32 of 56 学时: %+v (%d%%)", got[1], got[1].Percent())
	}
	if r := MetShare(got); r.Num != 1 || r.Den != 3 {
		t.Errorf("达标 %d/%d, want 1/3", r.Num, r.Den)
	}
	if err := (Requirement{Member: 0, Committee: 560}).Validate(); err == nil {
		t.Error("a zero requirement was accepted")
	}
}

func TestRequirementForDays(t *testing.T) {
	for days, want := range map[int]Requirement{
		365: {320, 560}, 366: {320, 560}, 181: {159, 278}, 1: {1, 2}, 0: {0, 0},
	} {
		if got := DefaultRequirement.ForDays(days); got != want {
			t.Errorf("%d days: %v, want %v", days, got, want)
		}
	}
}

func TestMaterialValidation(t *testing.T) {
	for name, c := range map[string]struct {
		m     Material
		field string
		key   string
	}{
		"nothing":         {Material{OrgID: 1, Title: "资料"}, "url", "learning.material_empty"},
		"both":            {Material{OrgID: 1, Title: "资料", URL: "https://a.cn/", Data: []byte("%PDF-")}, "url", "learning.material_both"},
		"javascript link": {Material{OrgID: 1, Title: "资料", URL: "javascript:alert(1)"}, "url", "learning.url_scheme"},
		"over 20 MB":      {Material{OrgID: 1, Title: "资料", Data: make([]byte, MaxFile+1)}, "file", "learning.file_too_large"},
	} {
		err := c.m.Validate()
		var inv *errs.Invalid
		if !errors.As(err, &inv) || inv.Fields[c.field] != c.key {
			t.Errorf("%s: %v, want %s on %s", name, err, c.key, c.field)
		}
	}
	if err := (&Material{OrgID: 1, Title: "资料", URL: "https://www.gov.cn/"}).Validate(); err != nil {
		t.Errorf("a good link: %v", err)
	}
}
