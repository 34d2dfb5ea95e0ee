package store

import (
	"context"
	"fmt"

	"dangjian/internal/summary"
)

// ledgerOverdue is the ledger's weak spot (存在的问题): each responsible
// organisation of the subtree with at least the threshold's number of items
// overdue at the end of the period, counted as ledger.overdue counts them.
func (s *Store) ledgerOverdue(ctx context.Context, in weakSpotInput) ([]summary.WeakSpot, error) {
	cond, args := ledgerScopeCond(in.sc)
	end := in.period.To
	rows, err := s.query(ctx, `SELECT i.org_id, o.name, COUNT(*) FROM ledger_items i JOIN orgs o ON o.id = i.org_id
		WHERE `+cond+` AND i.opened_on <= ? AND (i.closed_on IS NULL OR i.closed_on > ?) AND i.deadline < ?
		GROUP BY i.org_id, o.name, o.path ORDER BY o.path`, append(args, end, end, end)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	threshold := in.settings.Threshold(summary.RuleLedger)
	var out []summary.WeakSpot
	for rows.Next() {
		var w summary.WeakSpot
		var n int
		if err := rows.Scan(&w.OrgID, &w.OrgName, &n); err != nil {
			return nil, err
		}
		if float64(n) < threshold || n == 0 {
			continue
		}
		w.Rule, w.Text = summary.RuleLedger, fmt.Sprintf("%s有%d项整改事项逾期未完成", w.OrgName, n)
		out = append(out, w)
	}
	return out, rows.Err()
}
