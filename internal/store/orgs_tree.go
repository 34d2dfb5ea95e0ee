package store

import (
	"context"

	"dangjian/internal/auth"
)

// OrgFacts are what the organisation tree shows beside each organisation:
// its party members (its own, not its subtree's; the page adds those up)
// and its serving 书记.
type OrgFacts struct {
	Members   int
	Secretary string
}

// OrgTreeFacts counts each organisation's current party members and names
// its serving 书记, for every organisation of the scope, in two queries.
func (s *Store) OrgTreeFacts(ctx context.Context, sc auth.Scope) (map[int64]*OrgFacts, error) {
	out := map[int64]*OrgFacts{}
	if sc.PersonID != 0 {
		return out, nil
	}
	get := func(id int64) *OrgFacts {
		if out[id] == nil {
			out[id] = &OrgFacts{}
		}
		return out[id]
	}
	lo, hi := sc.PathRange()
	rows, err := s.query(ctx, `SELECT org_id, COUNT(*) FROM people WHERE org_path >= ? AND org_path < ? AND left_on IS NULL
		AND status IN ('full','probationary') GROUP BY org_id`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		get(id).Members = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	seats, err := s.query(ctx, `SELECT c.org_id, p.name FROM committee_members c JOIN orgs o ON o.id = c.org_id JOIN people p ON p.id = c.person_id
		WHERE o.path >= ? AND o.path < ? AND c.position = '书记' AND c.to_date IS NULL ORDER BY c.id`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer seats.Close()
	for seats.Next() {
		var id int64
		var name string
		if err := seats.Scan(&id, &name); err != nil {
			return nil, err
		}
		if f := get(id); f.Secretary == "" {
			f.Secretary = name
		}
	}
	return out, seats.Err()
}
