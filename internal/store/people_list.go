package store

import (
	"context"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
)

// PersonFilter narrows and orders a roster listing. Zero fields do not filter.
type PersonFilter struct {
	Query       string // name, or pinyin initials ("zxw")
	OrgID       int64  // this organisation's subtree (inside the scope)
	UnitID      int64
	Statuses    []people.Status
	Education   string
	AgeMin      int // inclusive, in whole years on Today
	AgeMax      int // inclusive; 0 means no upper bound
	Today       date.Date
	IncludeLeft bool   // include people transferred out
	Sort        string // "org" (default), "name", "birth_date", "joined_on"
	Desc        bool
	Limit       int
	Offset      int
}

// PersonPage is one page of a listing and the total that matched.
type PersonPage struct {
	Items []PersonRow
	Total int
}

// People lists a page of the roster inside the scope, with the total.
func (s *Store) People(ctx context.Context, sc auth.Scope, f PersonFilter) (PersonPage, error) {
	if f.OrgID != 0 {
		// The organisation lies inside the scope, so its subtree is the
		// narrower range: one range, which the index answers exactly, instead
		// of two, of which SQLite scans the first and filters by the second.
		o, err := s.Org(ctx, sc, f.OrgID)
		if err != nil {
			return PersonPage{}, notFoundAs(err, "org_id", "org.unknown")
		}
		sc = auth.Scope{OrgPath: o.Path, PersonID: sc.PersonID}
	}
	cond, args := scopeCond(sc)
	where := []string{cond}
	plain := sc.PersonID == 0 && !f.IncludeLeft && strings.TrimSpace(f.Query) == "" && f.UnitID == 0 &&
		len(f.Statuses) == 0 && f.Education == "" && f.AgeMin == 0 && f.AgeMax == 0
	if !f.IncludeLeft {
		where = append(where, "p.left_on IS NULL")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		name := people.NormalizeName(q)
		where = append(where, `(p.name LIKE ? ESCAPE '\' OR p.name_initials LIKE ? ESCAPE '\')`)
		args = append(args, "%"+likeEscape(name)+"%", likePrefix(strings.ToLower(name)))
	}
	if f.UnitID != 0 {
		where, args = append(where, "p.unit_id = ?"), append(args, f.UnitID)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "p.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.Education != "" {
		where, args = append(where, "p.education = ?"), append(args, f.Education)
	}
	today := f.Today
	if today.IsZero() {
		today = date.FromTime(s.Now())
	}
	if f.AgeMin > 0 { // born on or before today minus AgeMin years
		where, args = append(where, "p.birth_date <= ?"), append(args, today.AddDate(-f.AgeMin, 0, 0))
	}
	if f.AgeMax > 0 { // younger than AgeMax+1
		where, args = append(where, "p.birth_date > ?"), append(args, today.AddDate(-f.AgeMax-1, 0, 0))
	}
	cond = " WHERE " + strings.Join(where, " AND ")

	var page PersonPage
	if plain {
		// The whole subtree, unfiltered: a sum over its organisations'
		// counts, not a count over its tens of thousands of people.
		lo, hi := sc.PathRange()
		err := s.queryRow(ctx, "SELECT COALESCE(SUM(c.current), 0) FROM orgs o JOIN org_people c ON c.org_id = o.id WHERE o.path >= ? AND o.path < ?",
			lo, hi).Scan(&page.Total)
		if err != nil {
			return page, mapErr(err)
		}
	} else if err := s.queryRow(ctx, "SELECT COUNT(*) FROM people p"+cond, args...).Scan(&page.Total); err != nil {
		return page, mapErr(err)
	}
	order := map[string]string{
		"name":       "p.name_sort %s, p.id",
		"birth_date": "p.birth_date %s, p.id",
		"joined_on":  "p.joined_on %s, p.id",
		"org":        "p.org_path %s, p.name_sort %s",
	}[f.Sort]
	if order == "" {
		order = "p.org_path %s, p.name_sort %s"
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order = strings.ReplaceAll(order, "%s", dir)
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	// The page's ids first, in index order, then the joins for those rows
	// only: the rows an OFFSET skips are never joined nor decoded.
	q := "SELECT " + personCols + " FROM (SELECT p.id FROM people p" + cond + " ORDER BY " + order + " LIMIT ? OFFSET ?) pg" +
		" JOIN people p ON p.id = pg.id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs u ON u.id = p.unit_id ORDER BY " + order
	rows, err := s.query(ctx, q, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := s.scanPerson(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, p)
	}
	return page, rows.Err()
}

// StatusCounts counts the current people of the scope by political status,
// in one pass over the subtree.
func (s *Store) StatusCounts(ctx context.Context, sc auth.Scope) (map[people.Status]int, error) {
	cond, args := scopeCond(sc)
	rows, err := s.query(ctx, "SELECT p.status, COUNT(*) FROM people p WHERE "+cond+" AND p.left_on IS NULL GROUP BY p.status", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[people.Status]int{}
	for rows.Next() {
		var st people.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[st] = n
	}
	return counts, rows.Err()
}
