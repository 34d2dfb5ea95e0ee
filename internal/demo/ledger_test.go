package demo_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestDemoLedger: the demo's 党史学习教育 has its 领导小组 and 实施方案, its
// 专题组织生活会 and 民主生活会 hold criticism and self-criticism, and the
// ledger they raised shows items done, in hand and overdue on the first day.
func TestDemoLedger(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		st := firstDay.Open(t, d, storetest.NewClock().Now) // the store's today is the demo's
		camps, err := st.Campaigns(ctx, auth.Everything)
		if err != nil || len(camps) != 1 {
			t.Fatalf("campaigns: %+v %v", camps, err)
		}
		c := camps[0]
		if c.Name != "党史学习教育" || c.Group != "党史学习教育领导小组" || c.Plan == "" || c.EndsOn.Before(today) {
			t.Fatalf("the campaign: %+v", c)
		}
		figs, err := st.CampaignFigures(ctx, auth.Everything, c.ID)
		if err != nil || figs.HeldByKind["组织生活会"] != 3 || figs.HeldByKind["民主生活会"] != 1 || figs.PersonTimes == 0 || figs.Reflections == 0 {
			t.Fatalf("the campaign's figures: %+v %v", figs, err)
		}
		all, err := st.LedgerItems(ctx, auth.Everything, store.LedgerFilter{Limit: 100})
		if err != nil || all.Total < 15 {
			t.Fatalf("the ledger has %d items: %v", all.Total, err)
		}
		count := map[ledger.Status]int{}
		for _, i := range all.Items {
			count[i.StatusOn(today)]++
			if i.Source != ledger.LifeProblem || i.EventID == 0 || i.CampaignID != c.ID {
				t.Errorf("item %q is not linked to its meeting and campaign: %+v", i.Problem, i)
			}
		}
		t.Logf("%d items: %v", all.Total, count)
		if count[ledger.Done] < 4 || count[ledger.Open] < 3 || count[ledger.Overdue] < 2 || count[ledger.Overdue] > 6 {
			t.Fatalf("the ledger's statuses: %v", count)
		}
		overdue, err := st.LedgerItems(ctx, auth.Everything, store.LedgerFilter{Status: ledger.Overdue})
		if err != nil || overdue.Total != count[ledger.Overdue] {
			t.Fatalf("the overdue list: %d, counted %d (%v)", overdue.Total, count[ledger.Overdue], err)
		}
		one := all.Items[0]
		recs, err := st.LifeRecords(ctx, auth.Everything, one.EventID)
		if err != nil || len(recs) == 0 || recs[0].SelfCriticism == "" || recs[0].CriticismGiven == "" || len(recs[0].Problems) != 1 {
			t.Fatalf("the meeting's records: %+v %v", recs, err)
		}
	})
}
