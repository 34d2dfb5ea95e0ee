package notify_test

import (
	"testing"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/notify"
)

func TestEventReminderIsDueAtEightTheDayBefore(t *testing.T) {
	for start, want := range map[string]string{
		"2026-07-01 09:00": "2026-06-30 08:00",
		"2026-07-01 00:30": "2026-06-30 08:00", // just after midnight: still the morning before
		"2027-01-01 14:00": "2026-12-31 08:00",
	} {
		s, _ := time.ParseInLocation("2006-01-02 15:04", start, event.China)
		if got := notify.EventReminderDue(s).In(event.China).Format("2006-01-02 15:04"); got != want {
			t.Errorf("an event at %s is reminded of at %s, want %s", start, got, want)
		}
	}
}

func TestComplianceRemindersDueSoonAndOverdue(t *testing.T) {
	q3 := event.PeriodOf(event.Quarterly, date.MustParse("2026-08-01"))
	sep := event.PeriodOf(event.Monthly, date.MustParse("2026-09-01"))
	jul := event.PeriodOf(event.Monthly, date.MustParse("2026-07-01"))
	checks := []event.Check{
		{OrgID: 1, Span: q3, Required: 1, Held: 0},
		{OrgID: 1, Span: sep, Required: 1, Held: 1}, // held: nothing to say
		{OrgID: 1, Span: jul, Required: 1, Held: 0}, // ended long ago
		{OrgID: 2, Span: q3, Required: 1, Held: 0},  // entered mid-quarter
	}
	since := map[int64]date.Date{1: date.MustParse("2026-01-05"), 2: date.MustParse("2026-08-15")}
	for day, want := range map[string][2]int{
		"2026-09-22": {0, 0}, // nine days left
		"2026-09-24": {1, 0}, // a week left
		"2026-09-30": {1, 0}, // the last day
		"2026-10-01": {0, 1}, // ended yesterday
		"2026-10-31": {0, 1},
		"2026-11-01": {0, 0}, // a month on: no longer news
	} {
		got := notify.Compliance(checks, since, date.MustParse(day))
		if len(got[notify.MeetingDue]) != want[0] || len(got[notify.MeetingOverdue]) != want[1] {
			t.Errorf("on %s: %d due, %d overdue; want %v", day, len(got[notify.MeetingDue]), len(got[notify.MeetingOverdue]), want)
		}
	}
}

// TestComplianceRangeCoversWholePeriods: each rule is read from the first
// day of its period a reminder may be about, so a meeting held on a
// period's first days counts — and a monthly rule not from January.
func TestComplianceRangeCoversWholePeriods(t *testing.T) {
	for today, want := range map[string][3]string{ // month, quarter, year
		"2026-10-05": {"2026-09-01", "2026-07-01", "2026-01-01"}, // September and the third quarter are read whole
		"2027-01-20": {"2026-12-01", "2026-10-01", "2026-01-01"}, // December, the fourth quarter and 2026
		"2026-11-28": {"2026-10-01", "2026-10-01", "2026-01-01"},
	} {
		from, _ := notify.ComplianceRange(date.MustParse(today))
		for i, p := range []event.Period{event.Monthly, event.Quarterly, event.Yearly} {
			if got := from(event.Rule{Period: p}); got.String() != want[i] {
				t.Errorf("on %s a %s rule is read from %s, want %s", today, p, got, want[i])
			}
		}
	}
}
