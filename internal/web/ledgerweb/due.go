package ledgerweb

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/ledger"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// soonDays is how far ahead the 工作台 warns of deadlines.
const soonDays = 7

// Due tells the 工作台 of those who keep the ledger how many items of their
// scope are overdue and how many fall due within a week.
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if c.User == nil || !c.Can(auth.EventRead) || c.Scope.PersonID != 0 {
		return nil, nil
	}
	today := s.Today()
	overdue, err := s.st.LedgerItems(ctx, c.Scope, store.LedgerFilter{Status: ledger.Overdue, Limit: 1})
	if err != nil {
		return nil, err
	}
	soon, err := s.st.LedgerItems(ctx, c.Scope, store.LedgerFilter{Status: ledger.Open, DeadlineFrom: today,
		DeadlineTo: today.AddDate(0, 0, soonDays), Limit: 1})
	if err != nil {
		return nil, err
	}
	var out []web.DueItem
	if overdue.Total > 0 {
		out = append(out, web.DueItem{Label: msg.Format("ledger.due.overdue", overdue.Total), Link: "/ledger?status=overdue",
			Detail: msg.Text("ledger.due.overdue_detail"), Late: true})
	}
	if soon.Total > 0 {
		out = append(out, web.DueItem{Label: msg.Format("ledger.due.soon", soon.Total, soonDays),
			Link:   "/ledger?status=open&deadline_from=" + today.String() + "&deadline_to=" + today.AddDate(0, 0, soonDays).String(),
			Detail: msg.Format("ledger.due.soon_detail", today.AddDate(0, 0, soonDays).String())})
	}
	return out, nil
}
