package event

import (
	"fmt"
	"slices"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/org"
)

var d = date.MustParse

const (
	congress  = 1 // 支部党员大会
	committee = 2 // 支委会
	lecture   = 3 // 党课
	orgLife   = 4 // 组织生活会
)

var calendarRules = []Rule{
	{ID: 1, OrgKind: org.Branch, KindID: congress, KindName: "支部党员大会", Period: Quarterly, Times: 1},
	{ID: 2, OrgKind: org.Branch, KindID: committee, KindName: "支委会", Period: Monthly, Times: 1},
	{ID: 3, OrgKind: org.Branch, KindID: orgLife, KindName: "组织生活会", Period: Yearly, Times: 1},
	{ID: 4, OrgKind: org.Branch, KindID: lecture, KindName: "党课", Period: Yearly, Times: 1, BySecretary: true},
	{ID: 5, OrgKind: org.Branch, Period: Idle, Times: 30},
}

var branch3 = CalendarOrg{ID: 3, Name: "第三党支部", Kind: org.Branch, Path: "/1/3/", Since: d("2025-01-01")}

// state finds the check of a rule whose period starts on start.
func state(t *testing.T, checks []Check, rule int64, start string) Check {
	t.Helper()
	for _, c := range checks {
		if c.Rule.ID == rule && c.Span.Start == d(start) {
			return c
		}
	}
	t.Fatalf("no check of rule %d for the period from %s in %v", rule, start, checks)
	return Check{}
}

// heldUpTo counts the events held up to today, as the store hands them to
// Compliance.
func heldUpTo(held []HeldEvent, today date.Date) []HeldMonths {
	var past []HeldEvent
	for _, h := range held {
		if !h.On.After(today) {
			past = append(past, h)
		}
	}
	return CountHeld(past)
}

// TestComplianceAcrossPeriodEnds walks today over the last and first days
// of months, quarters and years and checks what the calendar says is met,
// due this month, still open and missed.
func TestComplianceAcrossPeriodEnds(t *testing.T) {
	held := []HeldEvent{
		{OrgID: 3, Kinds: []int64{congress}, On: d("2026-03-31")},  // the last day of Q1 counts in Q1
		{OrgID: 3, Kinds: []int64{committee}, On: d("2026-01-31")}, // January's 支委会, on its last day
		{OrgID: 3, Kinds: []int64{committee, congress}, On: d("2026-04-01")},
		{OrgID: 3, Kinds: []int64{lecture}, On: d("2026-05-10")},                      // a 党课, not by the 书记
		{OrgID: 3, Kinds: []int64{lecture}, On: d("2025-12-31"), BySecretary: true},   // last year's
		{OrgID: 4, Kinds: []int64{congress, committee, orgLife}, On: d("2026-02-02")}, // another branch's
	}
	cases := []struct {
		today      string
		rule       int64
		period     string
		want       State
		held, need int
	}{
		// Monthly: January's is met on its last day; February's is due all February, missed on 1 March.
		{"2026-01-31", 2, "2026-01-01", Met, 1, 1},
		{"2026-02-01", 2, "2026-02-01", Due, 0, 1},
		{"2026-02-28", 2, "2026-02-01", Due, 0, 1},
		{"2026-03-01", 2, "2026-02-01", Missed, 0, 1},
		{"2026-03-01", 2, "2026-03-01", Due, 0, 1},
		// Quarterly: Q1's congress on 31 March counts in Q1, not Q2.
		{"2026-02-15", 1, "2026-01-01", Open, 0, 1},
		{"2026-03-30", 1, "2026-01-01", Due, 0, 1},
		{"2026-03-31", 1, "2026-01-01", Met, 1, 1},
		{"2026-04-01", 1, "2026-01-01", Met, 1, 1},
		{"2026-04-01", 1, "2026-04-01", Met, 1, 1}, // held on 1 April as 支委会 and 大会 both
		{"2026-07-01", 1, "2026-07-01", Open, 0, 1},
		{"2026-09-01", 1, "2026-07-01", Due, 0, 1},
		{"2026-10-01", 1, "2026-07-01", Missed, 0, 1},
		// Yearly: open until December, due in December, missed on 1 January.
		{"2026-11-30", 3, "2026-01-01", Open, 0, 1},
		{"2026-12-01", 3, "2026-01-01", Due, 0, 1},
		{"2026-12-31", 3, "2026-01-01", Due, 0, 1},
		{"2027-01-01", 3, "2026-01-01", Missed, 0, 1},
		// The secretary's own 党课: last year's counts for last year only.
		{"2026-01-01", 4, "2025-01-01", Met, 1, 1},
		{"2026-12-31", 4, "2026-01-01", Due, 0, 1},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s rule %d", c.today, c.rule), func(t *testing.T) {
			today := d(c.today)
			from := PeriodOf(Yearly, today).Start.AddDate(-1, 0, 0)
			checks := slices.Collect(Compliance([]CalendarOrg{branch3}, calendarRules, heldUpTo(held, today), from, today.AddDate(0, 0, 1), today))
			got := state(t, checks, c.rule, c.period)
			if got.State != c.want || got.Held != c.held || got.Required != c.need {
				t.Errorf("on %s the period from %s of %s is %s with %d of %d held; want %s with %d of %d",
					c.today, c.period, got.Rule.KindName, got.State, got.Held, got.Required, c.want, c.held, c.need)
			}
			for _, ch := range checks {
				if ch.Span.Start.After(today) {
					t.Errorf("a period that has not begun was judged: %+v", ch)
				}
			}
		})
	}
}

// TestComplianceSkipsPeriodsBeforeAndAfterTheOrganisation: a branch entered
// in May is not judged for the months before; a closed one not after.
func TestComplianceSkipsPeriodsBeforeAndAfterTheOrganisation(t *testing.T) {
	o := CalendarOrg{ID: 9, Name: "新设党支部", Kind: org.Branch, Path: "/1/9/", Since: d("2026-05-15"), Closed: d("2026-08-01")}
	checks := slices.Collect(Compliance([]CalendarOrg{o}, calendarRules[1:2], nil, d("2026-01-01"), d("2027-01-01"), d("2026-12-31")))
	var months []string
	for _, c := range checks {
		months = append(months, c.Span.Start.String())
	}
	want := []string{"2026-05-01", "2026-06-01", "2026-07-01"}
	if fmt.Sprint(months) != fmt.Sprint(want) {
		t.Errorf("judged months %v, want %v", months, want)
	}
}

// TestIdlenessFlagsABranchWithoutEvents: 30 days (configurable) without any
// event in the branch's subtree flags it (the store's test shows that a
// 党小组's meeting is its branch's subtree's too).
func TestIdlenessFlagsABranchWithoutEvents(t *testing.T) {
	groupMeeting := map[string]date.Date{"/1/3/": d("2026-06-01"), "/1/3/7/": d("2026-06-01")}
	if got := Idleness([]CalendarOrg{branch3}, calendarRules, groupMeeting, d("2026-07-01")); len(got) != 0 {
		t.Errorf("30 days after its group met, the branch is flagged: %+v", got)
	}
	got := Idleness([]CalendarOrg{branch3}, calendarRules, groupMeeting, d("2026-07-02"))
	if len(got) != 1 || got[0].Days != 31 || got[0].Last != d("2026-06-01") || got[0].Limit != 30 {
		t.Errorf("31 days after: %+v, want one flag of 31 days since 2026-06-01", got)
	}
	other := map[string]date.Date{"/1/31/": d("2026-07-01")} // /1/31/ is not under /1/3/
	if got := Idleness([]CalendarOrg{branch3}, calendarRules, other, d("2026-07-02")); len(got) != 1 || !got[0].Last.IsZero() {
		t.Errorf("another branch's event counted for 第三党支部: %+v", got)
	}
	strict := append([]Rule{}, calendarRules...)
	strict[4].Times = 60
	if got := Idleness([]CalendarOrg{branch3}, strict, groupMeeting, d("2026-07-02")); len(got) != 0 {
		t.Errorf("with 60 days configured, 31 days flag the branch: %+v", got)
	}
}

func TestPeriodOf(t *testing.T) {
	for _, c := range []struct {
		p          Period
		day, start string
		end        string
	}{
		{Monthly, "2026-02-28", "2026-02-01", "2026-03-01"},
		{Monthly, "2026-12-31", "2026-12-01", "2027-01-01"},
		{Quarterly, "2026-03-31", "2026-01-01", "2026-04-01"},
		{Quarterly, "2026-04-01", "2026-04-01", "2026-07-01"},
		{Quarterly, "2026-12-31", "2026-10-01", "2027-01-01"},
		{Yearly, "2026-06-30", "2026-01-01", "2027-01-01"},
	} {
		got := PeriodOf(c.p, d(c.day))
		if got.Start != d(c.start) || got.End != d(c.end) {
			t.Errorf("PeriodOf(%s, %s) = %s…%s, want %s…%s", c.p, c.day, got.Start, got.End, c.start, c.end)
		}
	}
}
