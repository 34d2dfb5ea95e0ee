package store

import (
	"context"
	"strings"

	"github.com/mozillazg/go-pinyin"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

// PersonRow is a person as lists show them: with the names of their
// organisation and unit.
type PersonRow struct {
	people.Person
	OrgName  string
	UnitName string
	OrgPath  string
}

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

const personCols = `p.id, p.org_id, COALESCE(p.unit_id, 0), p.name, p.sex, p.birth_date, p.ethnic, p.education, p.position, p.status,
	p.applied_on, p.activist_on, p.candidate_on, p.joined_on, p.full_on, p.phone, p.id_number, p.left_on, p.version, p.created_at, p.updated_at,
	o.name, COALESCE(u.name, ''), p.org_path`

const personFrom = ` FROM people p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs u ON u.id = p.unit_id`

func (s *Store) scanPerson(r scanner) (PersonRow, error) {
	var p PersonRow
	err := r.Scan(&p.ID, &p.OrgID, &p.UnitID, &p.Name, &p.Sex, &p.BirthDate, &p.Ethnic, &p.Education, &p.Position, &p.Status,
		&p.AppliedOn, &p.ActivistOn, &p.CandidateOn, &p.JoinedOn, &p.FullOn, &p.Phone, &p.IDNumber, &p.LeftOn, &p.Version,
		&p.CreatedAt, &p.UpdatedAt, &p.OrgName, &p.UnitName, &p.OrgPath)
	if err != nil {
		return p, mapErr(err)
	}
	if p.Phone, err = s.seal.Open(p.Phone); err != nil {
		return p, err
	}
	p.IDNumber, err = s.seal.Open(p.IDNumber)
	return p, err
}

// scopeCond is the data-scope condition on people p.
func scopeCond(sc auth.Scope) (string, []any) {
	lo, hi := sc.PathRange()
	if sc.PersonID != 0 {
		return "p.id = ? AND p.org_path >= ? AND p.org_path < ?", []any{sc.PersonID, lo, hi}
	}
	return "p.org_path >= ? AND p.org_path < ?", []any{lo, hi}
}

// Person reads one person inside the scope.
func (s *Store) Person(ctx context.Context, sc auth.Scope, id int64) (*PersonRow, error) {
	return s.personIn(ctx, s, sc, id)
}

func (t *tx) person(ctx context.Context, sc auth.Scope, id int64) (*PersonRow, error) {
	return t.s.personIn(ctx, t, sc, id)
}

func (s *Store) personIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*PersonRow, error) {
	cond, args := scopeCond(sc)
	p, err := s.scanPerson(q.queryRow(ctx, "SELECT "+personCols+personFrom+" WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &p, nil
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

// personSnapshot is what the audit log keeps of a person: sensitive fields
// masked, so the log does not become a second copy of them.
func personSnapshot(p *people.Person) map[string]any {
	return map[string]any{
		"id": p.ID, "org_id": p.OrgID, "unit_id": p.UnitID, "name": p.Name, "sex": p.Sex, "birth_date": p.BirthDate,
		"ethnic": p.Ethnic, "education": p.Education, "position": p.Position, "status": p.Status,
		"applied_on": p.AppliedOn, "activist_on": p.ActivistOn, "candidate_on": p.CandidateOn,
		"joined_on": p.JoinedOn, "full_on": p.FullOn, "left_on": p.LeftOn,
		"phone": people.MaskPhone(p.Phone), "id_number": people.MaskIDNumber(p.IDNumber),
	}
}

// nameSort is the full pinyin of a name, so rosters sort the way people
// expect a Chinese list to sort.
func nameSort(name string) string {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{string(r)} }
	var parts []string
	for _, p := range pinyin.Pinyin(name, a) {
		parts = append(parts, p...)
	}
	return strings.Join(parts, " ")
}

// personRefs checks the organisation and unit a person points to, inside the
// scope, and returns the organisation's path.
func (t *tx) personRefs(ctx context.Context, sc auth.Scope, p *people.Person) (string, error) {
	o, err := t.org(ctx, sc, p.OrgID)
	if err != nil {
		return "", notFoundAs(err, "org_id", "org.unknown")
	}
	if !o.ClosedOn.IsZero() {
		return "", errs.Field("org_id", "org.closed")
	}
	if p.UnitID != 0 {
		// A unit may lie outside a branch secretary's subtree (the court's
		// staff sit in the court's branch), so it is checked for existence only.
		u, err := t.org(ctx, auth.Everything, p.UnitID)
		if err != nil {
			return "", notFoundAs(err, "unit_id", "org.unknown")
		}
		if u.Kind.IsParty() {
			return "", errs.Field("unit_id", "person.unit_not_unit")
		}
	}
	return o.Path, nil
}

// checkIDFree refuses a second person with the same ID number.
func (t *tx) checkIDFree(ctx context.Context, idx string, self int64) error {
	if idx == "" {
		return nil
	}
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM people WHERE id_number_idx = ? AND id <> ?", idx, self).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n > 0 {
		return errs.NewConflict("id_number", "person.id_number_taken")
	}
	return nil
}

// CreatePerson adds a person to an organisation inside the scope. The person
// must already be normalized and validated.
func (s *Store) CreatePerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	return s.inTx(ctx, func(t *tx) error { return t.createPerson(ctx, a, sc, p) })
}

func (t *tx) createPerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	path, err := t.personRefs(ctx, sc, p)
	if err != nil {
		return err
	}
	idx := t.s.index(p.IDNumber)
	if err := t.checkIDFree(ctx, idx, 0); err != nil {
		return err
	}
	phone, idNumber, err := t.s.sealPerson(p)
	if err != nil {
		return err
	}
	now := t.s.Now()
	id, err := t.insert(ctx, `INSERT INTO people (org_id, org_path, unit_id, name, name_initials, name_sort, sex, birth_date, ethnic, education,
		position, status, applied_on, activist_on, candidate_on, joined_on, full_on, phone, phone_idx, id_number, id_number_idx, left_on,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		p.OrgID, path, nullID(p.UnitID), p.Name, people.Initials(p.Name), nameSort(p.Name), p.Sex, p.BirthDate, p.Ethnic, p.Education,
		p.Position, p.Status, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn, phone, t.s.seal.Index(p.Phone),
		idNumber, nullString(idx), p.LeftOn, now, now)
	if err != nil {
		return err
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
	return t.audit(ctx, a, Change{Action: "person.create", ObjectType: "person", ObjectID: id, OrgPath: path, After: personSnapshot(p)})
}

func (s *Store) index(v string) string {
	if v == "" {
		return ""
	}
	return s.seal.Index(v)
}

func (s *Store) sealPerson(p *people.Person) (phone, idNumber string, err error) {
	if phone, err = s.seal.Seal(p.Phone); err != nil {
		return
	}
	idNumber, err = s.seal.Seal(p.IDNumber)
	return
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// UpdatePerson saves an edited person; p.Version must be the version the
// edit started from. Moving to another organisation goes through Transfer.
func (s *Store) UpdatePerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	return s.inTx(ctx, func(t *tx) error {
		old, err := t.person(ctx, sc, p.ID)
		if err != nil {
			return err
		}
		if old.OrgID != p.OrgID {
			return errs.Field("org_id", "person.org_via_transfer")
		}
		path, err := t.personRefs(ctx, sc, p)
		if err != nil {
			return err
		}
		idx := t.s.index(p.IDNumber)
		if err := t.checkIDFree(ctx, idx, p.ID); err != nil {
			return err
		}
		phone, idNumber, err := t.s.sealPerson(p)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if err := t.update(ctx, `UPDATE people SET unit_id = ?, name = ?, name_initials = ?, name_sort = ?, sex = ?, birth_date = ?, ethnic = ?,
			education = ?, position = ?, status = ?, applied_on = ?, activist_on = ?, candidate_on = ?, joined_on = ?, full_on = ?,
			phone = ?, phone_idx = ?, id_number = ?, id_number_idx = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`,
			nullID(p.UnitID), p.Name, people.Initials(p.Name), nameSort(p.Name), p.Sex, p.BirthDate, p.Ethnic,
			p.Education, p.Position, p.Status, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn,
			phone, t.s.seal.Index(p.Phone), idNumber, nullString(idx), now, p.ID, p.Version); err != nil {
			return err
		}
		p.LeftOn, p.CreatedAt, p.UpdatedAt, p.Version = old.LeftOn, old.CreatedAt, now, p.Version+1
		return t.audit(ctx, a, Change{Action: "person.update", ObjectType: "person", ObjectID: p.ID, OrgPath: path,
			Before: personSnapshot(&old.Person), After: personSnapshot(p)})
	})
}
