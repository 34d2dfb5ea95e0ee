package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/indicator"
)

// orgExists is the condition "organisation o existed at day ?": made by
// then and not closed by then.
const orgExists = `(o.closed_on IS NULL OR o.closed_on > ?) AND o.created_at < ?`

// countInOrgs counts what (a COUNT expression) over from — a table joined
// to orgs o, or orgs o itself — for the organisations of the scope, where
// cond holds.
func (s *Store) countInOrgs(ctx context.Context, sc auth.Scope, what, from, cond string, args ...any) (float64, error) {
	lo, hi := sc.PathRange()
	var n float64
	err := s.queryRow(ctx, "SELECT "+what+" FROM "+from+" WHERE o.path >= ? AND o.path < ? AND "+cond,
		append([]any{lo, hi}, args...)...).Scan(&n)
	return n, mapErr(err)
}

// count turns a counting query into an indicator's computation.
func (s *Store) count(what, from, cond string, args func(indicator.Period) []any) func(context.Context, auth.Scope, indicator.Period) (indicator.Value, error) {
	return func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
		n, err := s.countInOrgs(ctx, sc, what, from, cond, args(p)...)
		return indicator.Of(n), err
	}
}

// The seats of branches, joined to their organisation, held on a period's
// last day.
const (
	branchSeats = "committee_members m JOIN orgs o ON o.id = m.org_id"
	seatHeld    = "o.kind = 'branch' AND m.from_date <= ? AND (m.to_date IS NULL OR m.to_date > ?)"
)

func atEnd(p indicator.Period) []any { return []any{p.To, p.To} }

// OrgIndicators are the figures of the organisation tree and its committees.
func (s *Store) OrgIndicators() []indicator.Indicator {
	const module = "党员与组织"
	return []indicator.Indicator{
		{Code: "org.branches", Name: "党支部数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期末存在的党支部个数：期末前已建立、期末前未撤销。",
			Compute: s.count("COUNT(*)", "orgs o", "o.kind = 'branch' AND "+orgExists,
				func(p indicator.Period) []any { return []any{p.To, p.To.AddDate(0, 0, 1)} }),
			Drill: func(auth.Scope, int64, indicator.Period) string { return "/orgs" }},
		{Code: "org.branch_secretaries", Name: "党支部书记人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在任的党支部书记人数（班子职务为“书记”、任期覆盖期末）。",
			Compute:    s.count("COUNT(*)", branchSeats, seatHeld+" AND m.position = '书记'", atEnd)},
		{Code: "org.branches_adjusted", Name: "调整党支部个数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期内设立、更名、调整隶属、撤销或恢复的党支部个数（每个支部计一次）。",
			Compute: s.count("COUNT(DISTINCT e.org_id)", "org_events e JOIN orgs o ON o.id = e.org_id", "o.kind = 'branch' AND e.at >= ? AND e.at < ?",
				func(p indicator.Period) []any { return []any{p.From, p.To.AddDate(0, 0, 1)} })},
		{Code: "org.secretaries_appointed", Name: "新任党支部书记人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "任职日期在期内的党支部书记人数（选优配强党支部书记）。",
			Compute: s.count("COUNT(*)", branchSeats, "o.kind = 'branch' AND m.position = '书记' AND m.from_date >= ? AND m.from_date <= ?",
				func(p indicator.Period) []any { return []any{p.From, p.To} })},
		{Code: "org.working_groups", Name: "工作小组个数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期末存在的工作小组（领导小组、党员攻坚小组）个数：成立日期不晚于期末、期末前未撤销。",
			Compute:    s.count("COUNT(*)", "working_groups g JOIN orgs o ON o.id = g.org_id", "g.set_up_on <= ? AND (g.closed_on IS NULL OR g.closed_on > ?)", atEnd),
			Drill:      func(auth.Scope, int64, indicator.Period) string { return "/groups" }},
		{Code: "org.committee_members", Name: "支委成员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在任的党支部委员会成员人数（含书记、副书记），任期覆盖期末。",
			Compute:    s.count("COUNT(*)", branchSeats, seatHeld, atEnd)},
	}
}
