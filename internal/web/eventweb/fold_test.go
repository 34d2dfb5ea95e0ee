package eventweb_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestTalliesFoldedHourly: on PostgreSQL a mark leaves its difference beside
// the event's tally (so a hall of people signing in at once does not queue
// on the event's row); the hourly job folds the differences in, and the
// figures read the same before and after.
func TestTalliesFoldedHourly(t *testing.T) {
	w := webtest.NewWorld(t, store.Postgres)
	ctx := context.Background()
	job := func(slot time.Time) *store.Job {
		t.Helper()
		j, err := w.Store.JobByKey(ctx, "event.fold_tallies@"+slot.UTC().Format(time.RFC3339))
		if err != nil {
			t.Fatalf("the fold of %s: %v", slot, err)
		}
		return j
	}
	first := w.Clock.Now().Truncate(time.Hour)
	w.Server.WakeJobs()
	waitFor(t, "the first fold", func() bool { return job(first).Status == "done" })

	absent := webtest.MustPerson(t, w.Store, w.Branch1.ID, "赵敏", "19950404", "444")
	e := meeting(t, w, w.Branch1.ID, "study_session")
	e.Status, e.HeldStart, e.HeldEnd = event.Held, e.PlannedStart, e.PlannedEnd
	if err := w.Store.UpdateEvent(ctx, audit.System, auth.Everything, e, nil, false); err != nil {
		t.Fatal(err)
	}
	day := date.FromTime(e.PlannedStart.In(China))
	if _, err := w.Store.MarkAttendance(ctx, audit.System, auth.Everything, e.ID, []event.MarkInput{
		{PersonID: w.P1.ID, Day: day, Mark: event.Present}, {PersonID: absent.ID, Day: day, Mark: event.Absent}}, event.BySecretary); err != nil {
		t.Fatal(err)
	}
	span := event.Span{Start: date.Of(day.Year(), 1, 1), End: day.AddDate(0, 0, 1)}
	figures := func() event.Figures {
		t.Helper()
		in, err := w.Store.EventFigureInput(ctx, auth.Everything, w.Branch1.ID, span)
		if err != nil {
			t.Fatal(err)
		}
		return event.Compute(in)
	}
	before := figures()
	if before.PersonTimes != 1 || before.Attendance.Den != 2 {
		t.Fatalf("before the fold: %d 人次, attendance %+v; want 1 of 2", before.PersonTimes, before.Attendance)
	}

	w.Clock.Advance(time.Hour)
	w.Server.WakeJobs()
	next := first.Add(time.Hour)
	waitFor(t, "the next hour's fold", func() bool { return job(next).Status == "done" })
	var result struct{ Folded int64 }
	if err := json.Unmarshal([]byte(job(next).Result), &result); err != nil || result.Folded == 0 {
		t.Fatalf("the fold folded %d differences (%v), want the marks'", result.Folded, err)
	}
	if after := figures(); after.PersonTimes != before.PersonTimes || after.Attendance != before.Attendance || after.Coverage != before.Coverage {
		t.Errorf("the figures changed with the fold: %+v, then %+v", before, after)
	}
	if n, err := w.Store.FoldTallies(ctx); err != nil || n != 0 {
		t.Errorf("%d differences left after the fold (%v)", n, err)
	}
	if j := job(next.Add(time.Hour)); j.Status != "pending" {
		t.Errorf("the fold after is %s, want pending", j.Status)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}
