package notify

import (
	"time"

	"dangjian/internal/date"
	"dangjian/internal/event"
)

// MorningHour is when reminders about the next day are delivered (China
// time): people read them at the start of the working day before.
const MorningHour = 8

// EventReminderDue is when the reminder of an event starting at start is
// due: at MorningHour on the day before, China time.
func EventReminderDue(start time.Time) time.Time {
	d := start.In(event.China).AddDate(0, 0, -1)
	return time.Date(d.Year(), d.Month(), d.Day(), MorningHour, 0, 0, 0, event.China).UTC()
}

// Tomorrow is the half-open range of instants of the China day after today:
// the events whose reminder a scan on today makes.
func Tomorrow(today date.Date) (from, to time.Time) {
	d := today.AddDate(0, 0, 1)
	from = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, event.China)
	return from.UTC(), from.AddDate(0, 0, 1).UTC()
}

// DueSoonDays is how far ahead a required meeting that is still missing is
// reminded of: its period ends within this many days.
const DueSoonDays = 7

// OverdueDays is how long after its period ended a missed meeting is still
// reminded of (once), so a scan after downtime still finds it but an
// installation's first scan does not report years of history.
const OverdueDays = 31

// Compliance picks the checks worth a reminder on today: a period that ends
// within DueSoonDays with the meeting still missing (MeetingDue), and a
// period that ended in the last OverdueDays without it (MeetingOverdue).
// An organisation is reminded only of periods that began after it was
// entered into the platform (since, by organisation): what it held before
// is not on record, so a reminder would be noise.
func Compliance(checks []event.Check, since map[int64]date.Date, today date.Date) map[Kind][]event.Check {
	out := map[Kind][]event.Check{}
	for _, c := range checks {
		if c.Held >= c.Required || since[c.OrgID].After(c.Span.Start) {
			continue
		}
		left := event.DaysFrom(today, c.Span.End) // days until the first day after the period
		switch {
		case left > 0 && left <= DueSoonDays:
			out[MeetingDue] = append(out[MeetingDue], c)
		case left <= 0 && -left < OverdueDays:
			out[MeetingOverdue] = append(out[MeetingOverdue], c)
		}
	}
	return out
}

// ComplianceRange is the range of days the calendar is read over to find
// them: whole periods, so each rule from the first day of its period
// OverdueDays ago (a month that ended lately counts the events of its
// first days too; a monthly rule reads weeks, a yearly one the year), to a
// week ahead.
func ComplianceRange(today date.Date) (from func(event.Rule) date.Date, to date.Date) {
	back := today.AddDate(0, 0, -OverdueDays)
	return func(r event.Rule) date.Date { return event.PeriodOf(r.Period, back).Start }, today.AddDate(0, 0, DueSoonDays+1)
}

// MakeupDays is how far back a missed session is reminded of: a session
// older than this is not worth a first reminder any more.
const MakeupDays = 60
