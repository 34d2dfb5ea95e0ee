package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A branch moved under another committee (机构改革) takes its records with
// it: its own calendar still counts its meetings, its ledger stays in its
// secretary's sight, and its meetings leave the old committee's figures for
// the new one's.
func TestMovedBranchTakesItsRecords(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		ctx := context.Background()
		county := &org.Org{Kind: org.Committee, Name: "县委政法委机关党委"}
		if err := w.s.CreateOrg(ctx, admin, auth.Everything, county); err != nil {
			t.Fatal(err)
		}
		meeting := w.plan(t, w.tr.b1.ID, "branch_committee", "2026-05-12")
		w.hold(t, meeting)
		item := &ledger.Item{OrgID: w.tr.b1.ID, Problem: "理论学习不够深入", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-09-30")}
		if err := w.s.CreateLedgerItem(ctx, admin, auth.Everything, item); err != nil {
			t.Fatal(err)
		}
		b1, err := w.s.Org(ctx, auth.Everything, w.tr.b1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.s.MoveOrg(ctx, admin, auth.Everything, b1.ID, county.ID, b1.Version); err != nil {
			t.Fatal(err)
		}
		if b1, err = w.s.Org(ctx, auth.Everything, w.tr.b1.ID); err != nil {
			t.Fatal(err)
		}
		branch := auth.Scope{OrgPath: b1.Path}

		from, to, today := date.MustParse("2026-05-01"), date.MustParse("2026-06-01"), date.MustParse("2026-06-30")
		cal, err := w.s.EventCalendarData(ctx, branch, 0, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		state := event.State("not judged")
		for c := range event.Compliance(cal.Orgs, cal.Rules, cal.Held, from, to, today) {
			if c.OrgID == b1.ID && c.Rule.KindName == "支委会" {
				state = c.State
			}
		}
		if state != event.Met {
			t.Errorf("the moved branch's May 支委会 is %s on its calendar: its meeting was left behind", state)
		}
		if got, err := w.s.Event(ctx, branch, meeting.ID); err != nil || got.ID != meeting.ID {
			t.Errorf("the moved branch cannot open its own meeting: %v", err)
		}
		if page, err := w.s.LedgerItems(ctx, branch, store.LedgerFilter{}); err != nil || page.Total != 1 {
			t.Errorf("the moved branch's ledger lists %d items (%v), want its own 1", page.Total, err)
		}
		held := func(o org.Org) int {
			t.Helper()
			in, err := w.s.EventFigureInput(ctx, auth.Everything, o.ID, event.Span{Start: date.MustParse("2026-01-01"), End: date.MustParse("2027-01-01")})
			if err != nil {
				t.Fatal(err)
			}
			return in.HeldByKind[w.kinds["branch_committee"].ID]
		}
		if n := held(*county); n != 1 {
			t.Errorf("the new committee counts %d 支委会, want the moved branch's 1", n)
		}
		if n := held(w.tr.committee); n != 0 {
			t.Errorf("the old committee still counts %d 支委会 of a branch it gave away", n)
		}
	})
}
