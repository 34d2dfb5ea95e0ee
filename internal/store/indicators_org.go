package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/indicator"
)

// orgExists is the condition "organisation o existed at day ?": made by
// then and not closed by then.
const orgExists = `(o.closed_on IS NULL OR o.closed_on > ?) AND o.created_at < ?`

// countOrgs counts the organisations of the scope matching cond.
func (s *Store) countOrgs(ctx context.Context, sc auth.Scope, cond string, args ...any) (float64, error) {
	lo, hi := sc.PathRange()
	var n float64
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM orgs o WHERE o.path >= ? AND o.path < ? AND "+cond,
		append([]any{lo, hi}, args...)...).Scan(&n)
	return n, mapErr(err)
}

// countSeats counts the committee seats of the scope's branches held at day
// whose position matches cond.
func (s *Store) countSeats(ctx context.Context, sc auth.Scope, p indicator.Period, cond string, args ...any) (float64, error) {
	lo, hi := sc.PathRange()
	var n float64
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM committee_members m JOIN orgs o ON o.id = m.org_id
		WHERE o.path >= ? AND o.path < ? AND o.kind = 'branch' AND m.from_date <= ? AND (m.to_date IS NULL OR m.to_date > ?) AND `+cond,
		append([]any{lo, hi, p.To, p.To}, args...)...).Scan(&n)
	return n, mapErr(err)
}

// OrgIndicators are the figures of the organisation tree and its committees.
func (s *Store) OrgIndicators() []indicator.Indicator {
	const module = "党员与组织"
	return []indicator.Indicator{
		{Code: "org.branches", Name: "党支部数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期末存在的党支部个数：期末前已建立、期末前未撤销。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.countOrgs(ctx, sc, "o.kind = 'branch' AND "+orgExists, p.To, p.To.AddDate(0, 0, 1))
				return indicator.Of(n), err
			},
			Drill: func(auth.Scope, int64, indicator.Period) string { return "/orgs" }},
		{Code: "org.branch_secretaries", Name: "党支部书记人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在任的党支部书记人数（班子职务为“书记”、任期覆盖期末）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.countSeats(ctx, sc, p, "m.position = '书记'")
				return indicator.Of(n), err
			}},
		{Code: "org.branches_adjusted", Name: "调整党支部个数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期内设立、更名、调整隶属、撤销或恢复的党支部个数（每个支部计一次）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				lo, hi := sc.PathRange()
				var n float64
				err := s.queryRow(ctx, `SELECT COUNT(DISTINCT e.org_id) FROM org_events e JOIN orgs o ON o.id = e.org_id
					WHERE o.path >= ? AND o.path < ? AND o.kind = 'branch' AND e.at >= ? AND e.at < ?`,
					lo, hi, p.From, p.To.AddDate(0, 0, 1)).Scan(&n)
				return indicator.Of(n), mapErr(err)
			}},
		{Code: "org.secretaries_appointed", Name: "新任党支部书记人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "任职日期在期内的党支部书记人数（选优配强党支部书记）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				lo, hi := sc.PathRange()
				var n float64
				err := s.queryRow(ctx, `SELECT COUNT(*) FROM committee_members m JOIN orgs o ON o.id = m.org_id
					WHERE o.path >= ? AND o.path < ? AND o.kind = 'branch' AND m.position = '书记' AND m.from_date >= ? AND m.from_date <= ?`,
					lo, hi, p.From, p.To).Scan(&n)
				return indicator.Of(n), mapErr(err)
			}},
		{Code: "org.working_groups", Name: "工作小组个数", Unit: "个", Kind: indicator.Count, Module: module,
			Definition: "期末存在的工作小组（领导小组、党员攻坚小组）个数：成立日期不晚于期末、期末前未撤销。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				lo, hi := sc.PathRange()
				var n float64
				err := s.queryRow(ctx, `SELECT COUNT(*) FROM working_groups g JOIN orgs o ON o.id = g.org_id
					WHERE o.path >= ? AND o.path < ? AND g.set_up_on <= ? AND (g.closed_on IS NULL OR g.closed_on > ?)`,
					lo, hi, p.To, p.To).Scan(&n)
				return indicator.Of(n), mapErr(err)
			},
			Drill: func(auth.Scope, int64, indicator.Period) string { return "/groups" }},
		{Code: "org.committee_members", Name: "支委成员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在任的党支部委员会成员人数（含书记、副书记），任期覆盖期末。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.countSeats(ctx, sc, p, "1 = 1")
				return indicator.Of(n), err
			}},
	}
}
