package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An organisation entered today whose earlier meetings are recorded after
// the fact is judged from its first recorded meeting: the months since then
// show what was held and what was missed, the months before it nothing.
func TestCalendarJudgesFromTheFirstRecordedEvent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock() // 2026-06-30: the tree is entered today
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		for _, day := range []string{"2026-03-10", "2026-05-12"} {
			w.hold(t, w.plan(t, w.tr.b1.ID, "branch_committee", day))
		}
		from, to, today := date.MustParse("2026-01-01"), date.MustParse("2026-07-01"), date.MustParse("2026-06-30")
		data, err := w.s.EventCalendarData(context.Background(), auth.Everything, w.tr.b1.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]event.State{}
		for c := range event.Compliance(data.Orgs, data.Rules, data.Held, from, to, today) {
			if c.OrgID == w.tr.b1.ID && c.Rule.KindID == w.kinds["branch_committee"].ID {
				states[c.Span.Start.String()] = c.State
			}
		}
		want := map[string]event.State{"2026-03-01": event.Met, "2026-04-01": event.Missed, "2026-05-01": event.Met, "2026-06-01": event.Due}
		for month, s := range want {
			if states[month] != s {
				t.Errorf("支委会 %s: %q, want %q (all: %v)", month, states[month], s, states)
			}
		}
		for _, month := range []string{"2026-01-01", "2026-02-01"} {
			if s, ok := states[month]; ok {
				t.Errorf("支委会 %s judged (%q) before the branch's first recorded meeting", month, s)
			}
		}
	})
}
