package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestImportedEventReadsLikeCreatedAndMarked: an event written by the bulk
// path (ImportEvents) reads back exactly like the same event created with
// CreateEvent and marked with MarkAttendance: its fields, speakers,
// decisions, frozen list and marks, leave and make-ups included. A batch
// with one bad mark writes nothing.
func TestImportedEventReadsLikeCreatedAndMarked(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, nil))
		day := "2026-03-26"
		mk := func(code string) event.Event {
			e := event.Event{OrgID: w.tr.b1.ID, KindID: w.kinds[code].ID, Title: "第一季度" + w.kinds[code].Name, Status: event.Held,
				PlannedStart: at(day, "15:00"), PlannedEnd: at(day, "17:00"), HeldStart: at(day, "15:00"), HeldEnd: at(day, "17:00"),
				Place: "机关第一会议室", Host: "张伟", Recorder: "组织委员", Topics: "学习党章", Minutes: "党员逐一发言。"}
			if code == "branch_congress" {
				e.Decisions = []event.Decision{{Content: "同意接收预备党员"}}
			}
			if code == "party_lecture" {
				e.Speakers = []event.Speaker{{PersonID: w.zhang.ID, Topic: "锻造政法铁军"}}
			}
			return e
		}
		marks := func() []event.MarkInput {
			return []event.MarkInput{
				{PersonID: w.zhang.ID, Mark: event.Present},
				{PersonID: w.li.ID, Mark: event.Leave, LeaveReason: "出差办案", MadeUpOn: date.MustParse("2026-03-30"), MakeupHow: "观看会议录像"},
				{PersonID: w.wang.ID, Mark: event.Absent},
			}
		}
		for _, code := range []string{"party_lecture", "branch_congress"} {
			created := mk(code)
			if err := w.s.CreateEvent(ctx, admin, auth.Everything, &created, nil); err != nil {
				t.Fatal(err)
			}
			m := marks()
			if code == "branch_congress" { // no make-ups at a 支部党员大会
				m[1].MadeUpOn, m[1].MakeupHow = date.Date{}, ""
				m = m[:2] // 王芳 left unmarked
			}
			if _, err := w.s.MarkAttendance(ctx, admin, auth.Everything, created.ID, m, event.BySecretary); err != nil {
				t.Fatal(err)
			}
			imp := store.EventImport{Event: mk(code), Marks: m}
			byPerson := map[int64]event.MarkInput{}
			for _, x := range m {
				byPerson[x.PersonID] = x
			}
			asked := store.EventImport{Event: mk(code), MarkFor: func(id int64, _ date.Date) (event.MarkInput, bool) {
				x, ok := byPerson[id]
				return x, ok
			}}
			if err := w.s.ImportEvents(ctx, admin, auth.Everything, []store.EventImport{imp, asked}); err != nil {
				t.Fatalf("import %s: %v", code, err)
			}
			list, err := w.s.Events(ctx, auth.Everything, store.EventFilter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var imported []int64
			for _, e := range list.Items {
				if e.Title == created.Title && e.ID != created.ID {
					imported = append(imported, e.ID)
				}
			}
			if len(imported) != 2 {
				t.Fatalf("%d imported %s in the event list, want 2", len(imported), code)
			}
			want := readEvent(t, w, created.ID)
			for _, id := range imported {
				if got := readEvent(t, w, id); got != want {
					t.Errorf("%s: imported event reads\n%s\nwant (created and marked)\n%s", code, got, want)
				}
			}
		}

		before, _ := w.s.Events(ctx, auth.Everything, store.EventFilter{Limit: 100})
		good := store.EventImport{Event: mk("party_lecture"), Marks: marks()}
		bad := store.EventImport{Event: mk("party_lecture"), Marks: []event.MarkInput{{PersonID: w.li.ID, Mark: event.Leave}}} // no reason
		if err := w.s.ImportEvents(ctx, admin, auth.Everything, []store.EventImport{good, bad}); fieldOf(err) != "leave_reason" {
			t.Errorf("a leave without a reason: %v, want refused on leave_reason", err)
		}
		stranger := store.EventImport{Event: mk("party_lecture"), Marks: []event.MarkInput{{PersonID: w.liu.ID, Mark: event.Present}}}
		if err := w.s.ImportEvents(ctx, admin, auth.Everything, []store.EventImport{stranger}); fieldOf(err) != "person_id" {
			t.Errorf("a mark for someone not on the list: %v, want refused on person_id", err)
		}
		after, _ := w.s.Events(ctx, auth.Everything, store.EventFilter{Limit: 100})
		if after.Total != before.Total {
			t.Errorf("refused imports left %d events, want %d", after.Total, before.Total)
		}
	})
}

// readEvent is everything a user sees of an event, without its ID and the
// moments it was written.
func readEvent(t *testing.T, w *eventWorld, id int64) string {
	t.Helper()
	e, err := w.s.Event(context.Background(), auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.FrozenAt.IsZero() {
		t.Errorf("event %d has no frozen list", id)
	}
	e.ID, e.CreatedAt, e.UpdatedAt, e.FrozenAt = 0, time.Time{}, time.Time{}, time.Time{}
	list, err := w.s.EventAttendance(context.Background(), auth.Everything, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if (list[i].Mark == event.Unmarked) != list[i].MarkedAt.IsZero() {
			t.Errorf("event %d: %s marked %s at %v", id, list[i].Name, list[i].Mark, list[i].MarkedAt)
		}
		list[i].EventID, list[i].MarkedAt = 0, time.Time{}
	}
	return fmt.Sprintf("%+v\n%+v", *e, list)
}
