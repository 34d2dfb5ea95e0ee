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
		{Code: "org.committee_members", Name: "支委成员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在任的党支部委员会成员人数（含书记、副书记），任期覆盖期末。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.countSeats(ctx, sc, p, "1 = 1")
				return indicator.Of(n), err
			}},
	}
}
