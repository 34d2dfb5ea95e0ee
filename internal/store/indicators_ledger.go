package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/indicator"
)

// LedgerIndicators are the figures of the rectification ledger and of the
// criticism and self-criticism at 组织生活会 / 民主生活会. An item counts in
// the period of its opening date (新增), its closing date (完成), and as
// overdue at the end of a period it was open past its deadline.
func (s *Store) LedgerIndicators() []indicator.Indicator {
	const module = "整改台账"
	count := func(ctx context.Context, sc auth.Scope, q string, args ...any) (float64, error) {
		cond, cargs := ledgerScopeCond(sc)
		var n float64
		err := s.queryRow(ctx, "SELECT COUNT(*) FROM ledger_items i WHERE "+cond+" AND "+q, append(cargs, args...)...).Scan(&n)
		return n, mapErr(err)
	}
	drill := func(set func(f *ledgerLink, p indicator.Period)) func(auth.Scope, int64, indicator.Period) string {
		return func(_ auth.Scope, org int64, p indicator.Period) string {
			f := ledgerLink{org: org}
			set(&f, p)
			return f.String()
		}
	}
	opened := drill(func(f *ledgerLink, p indicator.Period) { f.openedFrom, f.openedTo = p.From, p.To })
	closed := drill(func(f *ledgerLink, p indicator.Period) { f.closedFrom, f.closedTo = p.From, p.To })
	overdue := drill(func(f *ledgerLink, p indicator.Period) { f.overdueOn = p.To })
	life := func(ctx context.Context, sc auth.Scope, p indicator.Period, table string) (indicator.Value, error) {
		cond, args := eventScopeCond(sc)
		var n float64
		// From the records (one per 组织生活会) to their events, not
		// through a province's every event (SQLite keeps a CROSS JOIN's order).
		err := s.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` r CROSS JOIN events e
			WHERE e.id = r.event_id AND e.status = 'held' AND e.held_on >= ? AND e.held_on <= ? AND `+cond, append([]any{p.From, p.To}, args...)...).Scan(&n)
		return indicator.Of(n), mapErr(err)
	}
	return []indicator.Indicator{
		{Code: "ledger.opened", Name: "列入整改台账问题数", Unit: "项", Kind: indicator.Count, Module: module,
			Definition: "期内新列入整改台账的事项数（按立项日期计入期间），含组织生活会、民主生活会查摆的问题和手工登记的事项。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := count(ctx, sc, "i.opened_on >= ? AND i.opened_on <= ?", p.From, p.To)
				return indicator.Of(n), err
			}, Drill: opened},
		{Code: "ledger.closed", Name: "整改完成事项数", Unit: "项", Kind: indicator.Count, Module: module,
			Definition: "期内整改完成的事项数（按完成日期计入期间，不论何时立项）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := count(ctx, sc, "i.closed_on >= ? AND i.closed_on <= ?", p.From, p.To)
				return indicator.Of(n), err
			}, Drill: closed},
		{Code: "ledger.closure_rate", Name: "整改完成率", Unit: "%", Kind: indicator.Rate, Module: module,
			Definition: "期内新列入台账的事项中，到期末已整改完成的比例。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				den, err := count(ctx, sc, "i.opened_on >= ? AND i.opened_on <= ?", p.From, p.To)
				if err != nil {
					return indicator.Value{}, err
				}
				num, err := count(ctx, sc, "i.opened_on >= ? AND i.opened_on <= ? AND i.closed_on <= ?", p.From, p.To, p.To)
				return indicator.Ratio(num, den), err
			}, Drill: opened},
		{Code: "ledger.on_time_rate", Name: "按期整改率", Unit: "%", Kind: indicator.Rate, Module: module,
			Definition: "期内整改完成的事项中，完成日期不晚于整改时限的比例。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				den, err := count(ctx, sc, "i.closed_on >= ? AND i.closed_on <= ?", p.From, p.To)
				if err != nil {
					return indicator.Value{}, err
				}
				num, err := count(ctx, sc, "i.closed_on >= ? AND i.closed_on <= ? AND i.closed_on <= i.deadline", p.From, p.To)
				return indicator.Ratio(num, den), err
			}, Drill: closed},
		{Code: "ledger.overdue", Name: "期末逾期未整改事项数", Unit: "项", Kind: indicator.Count, Module: module,
			Definition: "期末最后一天结束时已立项、尚未整改完成且已过整改时限的事项数。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := count(ctx, sc, "i.opened_on <= ? AND (i.closed_on IS NULL OR i.closed_on > ?) AND i.deadline < ?", p.To, p.To, p.To)
				return indicator.Of(n), err
			}, Drill: overdue},
		{Code: "life.records", Name: "开展批评与自我批评人次", Unit: "人次", Kind: indicator.PersonTimes, Module: module,
			Definition: "期内已召开的组织生活会、民主生活会上登记了批评与自我批评记录的参会人次（会议按召开日期计入期间）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				return life(ctx, sc, p, "life_records")
			}},
		{Code: "life.problems", Name: "组织生活会查摆问题数", Unit: "项", Kind: indicator.Count, Module: module,
			Definition: "期内已召开的组织生活会、民主生活会上参会人员查摆出的问题数（会议按召开日期计入期间）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				return life(ctx, sc, p, "life_problems")
			}},
	}
}

// ledgerLink is the ledger list behind a ledger figure.
type ledgerLink struct {
	org                  int64
	openedFrom, openedTo date.Date
	closedFrom, closedTo date.Date
	overdueOn            date.Date
}

func (l ledgerLink) String() string {
	q := rosterLinkValues(l.org)
	for name, d := range map[string]date.Date{"opened_from": l.openedFrom, "opened_to": l.openedTo, "closed_from": l.closedFrom,
		"closed_to": l.closedTo, "overdue_on": l.overdueOn} {
		if !d.IsZero() {
			q.Set(name, d.String())
		}
	}
	return "/ledger?" + q.Encode()
}
