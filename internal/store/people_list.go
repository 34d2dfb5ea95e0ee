package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/org"
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
	// After and Before page by a cursor (PersonPage.Next, PersonPage.Prev):
	// the rows that follow, or precede, that row in this order. The database
	// seeks to the row instead of counting its way there, so the thousandth
	// page costs what the first does, and a row added or removed meanwhile
	// neither repeats nor skips anyone. A cursor of another order, or one
	// that does not decode, is ignored and Offset applies.
	After, Before string
	// Offset skips rows: for a jump to a page by its number only.
	Offset int
}

// PersonPage is one page of a listing and the total that matched.
type PersonPage struct {
	Items []PersonRow
	Total int
	// Next and Prev are the cursors of the pages that follow and precede
	// this one (PersonFilter.After, .Before); "" where there is none.
	Next, Prev string
}

// People lists a page of the roster inside the scope, with the total, in one
// statement: the total, the organisation of ?org= and the page are read
// together, so on PostgreSQL a listing is one round trip.
func (s *Store) People(ctx context.Context, sc auth.Scope, f PersonFilter) (PersonPage, error) {
	if f.Today.IsZero() {
		f.Today = date.FromTime(s.Now())
	}
	l := newListing(sc, f, s.index)
	page := PersonPage{Items: make([]PersonRow, 0, l.limit+1)}
	keys := make([]string, 0, l.limit+1) // each row's name_sort, for its cursor
	var q sqlText
	q.add("SELECT ")
	q.addFrag(l.total)
	q.add(", p.name_sort, " + s.personColumns() + " FROM (SELECT p.id FROM people p WHERE ")
	q.addFrag(l.pageWhere)
	if l.seek.sql != "" {
		q.add(" AND ")
		q.addFrag(l.seek)
	}
	// The limit is written into the statement, not bound: PostgreSQL plans
	// a statement it has seen five times once for all values, and for an
	// unknown limit it expects thousands of rows and joins them by scanning
	// people whole. The limit takes few values; the offset (a jump by page
	// number only) many.
	q.add(" ORDER BY " + l.order(l.backward) + " LIMIT " + strconv.Itoa(l.limit+1))
	if l.offset > 0 {
		q.add(" OFFSET ?", l.offset)
	}
	q.add(") pg JOIN people p ON p.id = pg.id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs u ON u.id = p.unit_id ORDER BY " + l.order(false))
	rows, err := s.query(ctx, q.String(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	var key string
	scan := &listScanner{rows: rows, pre: []any{&page.Total, &key}}
	for rows.Next() {
		p, err := s.scanPerson(scan)
		if err != nil {
			return page, err
		}
		page.Items, keys = append(page.Items, p), append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	rows.Close() // its connection may serve emptyPage

	more := len(page.Items) > l.limit // one row beyond the page, in the direction of travel
	if more && l.backward {
		page.Items, keys = page.Items[1:], keys[1:]
	} else if more {
		page.Items, keys = page.Items[:l.limit], keys[:l.limit]
	}
	if len(page.Items) == 0 {
		// Past the end, or nothing matched: the total alone (and whether
		// the organisation of ?org= is there at all).
		return page, s.emptyPage(ctx, l, &page)
	}
	first, last := 0, len(page.Items)-1
	if (l.backward && more) || (!l.backward && (l.seek.sql != "" || l.offset > 0)) {
		page.Prev = l.key.cursor(f.Desc, &page.Items[first], keys[first])
	}
	if more || l.backward {
		page.Next = l.key.cursor(f.Desc, &page.Items[last], keys[last])
	}
	return page, nil
}

// listScanner scans the listing's own columns, then a person's, reusing one
// slice of destinations for every row.
type listScanner struct {
	rows *sql.Rows
	pre  []any
	all  []any
}

func (l *listScanner) Scan(dest ...any) error {
	l.all = append(append(l.all[:0], l.pre...), dest...)
	return l.rows.Scan(l.all...)
}

// emptyPage fills in the total of a listing whose page is empty, and refuses
// an organisation that is not inside the scope.
func (s *Store) emptyPage(ctx context.Context, l listing, page *PersonPage) error {
	var q sqlText
	q.add("SELECT ")
	q.addFrag(l.total)
	q.add(", ")
	q.addFrag(l.orgFound)
	var found int
	if err := s.queryRow(ctx, q.String(), q.args...).Scan(&page.Total, &found); err != nil {
		return mapErr(err)
	}
	if found == 0 {
		return errs.Field("org_id", "org.unknown")
	}
	return nil
}

// listing is a roster query taken apart: the pieces of SQL the page and the
// total share.
type listing struct {
	where     frag // the rows that match, on people p
	pageWhere frag // the same, as the page's seek wants it
	total     frag // a scalar subquery: how many match
	orgFound  frag // a scalar subquery: 1 when ?org= lies inside the scope
	seek      frag // where the page starts, from a cursor; empty for none
	key       sortKey
	desc      bool
	backward  bool // the page ends at the cursor (Before) instead of starting there
	limit     int
	offset    int
}

func newListing(sc auth.Scope, f PersonFilter, index func(string) string) listing {
	l := listing{key: sortKeys[0], desc: f.Desc, limit: f.Limit, offset: max(f.Offset, 0), orgFound: frag{sql: "1"}}
	for _, k := range sortKeys {
		if k.name == f.Sort {
			l.key = k
		}
	}
	if l.limit <= 0 || l.limit > 500 {
		l.limit = 20
	}

	// The subtree: the scope's path range or, for ?org=, the organisation's
	// own range, read in the statement. The organisation lies inside the
	// scope, so its range is the narrower one: one range, which the index
	// answers exactly, instead of two.
	slo, shi := sc.PathRange()
	lo, hi := frag{"?", []any{slo}}, frag{"?", []any{shi}}
	if f.OrgID != 0 {
		inScope := " FROM orgs WHERE id = ? AND path >= ? AND path < ?)"
		lo = frag{"(SELECT path" + inScope, []any{f.OrgID, slo, shi}}
		hi = frag{"(SELECT substr(path, 1, length(path) - 1) || '0'" + inScope, []any{f.OrgID, slo, shi}}
		l.orgFound = frag{"(SELECT COUNT(*)" + inScope, []any{f.OrgID, slo, shi}}
	}
	subtree := frag{"p.org_path >= " + lo.sql + " AND p.org_path < " + hi.sql, slices.Concat(lo.args, hi.args)}
	var w frag // the other conditions, each " AND …"
	if sc.PersonID != 0 {
		w.and("p.id = ?", sc.PersonID)
	}
	if !f.IncludeLeft {
		w.and("p.left_on IS NULL")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if id := people.NormalizeIDNumber(q); isIDNumber(id) {
			// An exact ID number is found by its blind index: the stored
			// number may be sealed (SECURITY.md 13).
			w.and("p.id_number_idx = ?", index(id))
		} else {
			name := people.NormalizeName(q)
			w.and(`(p.name LIKE ? ESCAPE '\' OR p.name_initials LIKE ? ESCAPE '\')`, "%"+likeEscape(name)+"%", likePrefix(strings.ToLower(name)))
		}
	}
	if f.UnitID != 0 {
		w.and("p.unit_id = ?", f.UnitID)
	}
	if len(f.Statuses) > 0 {
		var args []any
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
		w.and("p.status IN ("+placeholders(len(f.Statuses))+")", args...)
	}
	if f.Education != "" {
		w.and("p.education = ?", f.Education)
	}
	if f.AgeMin > 0 { // born on or before today minus AgeMin years
		w.and("p.birth_date <= ?", f.Today.AddDate(-f.AgeMin, 0, 0))
	}
	if f.AgeMax > 0 { // younger than AgeMax+1
		w.and("p.birth_date > ?", f.Today.AddDate(-f.AgeMax-1, 0, 0))
	}
	l.where = frag{subtree.sql + w.sql, slices.Concat(subtree.args, w.args)}
	l.pageWhere = l.where

	plain := sc.PersonID == 0 && !f.IncludeLeft && strings.TrimSpace(f.Query) == "" && f.UnitID == 0 &&
		len(f.Statuses) == 0 && f.Education == "" && f.AgeMin == 0 && f.AgeMax == 0
	if plain {
		// The whole subtree, unfiltered: a sum over its organisations'
		// counts, not a count over its tens of thousands of people.
		l.total = frag{"(SELECT COALESCE(SUM(c.current), 0) FROM orgs t JOIN org_people c ON c.org_id = t.id WHERE t.path >= " +
			lo.sql + " AND t.path < " + hi.sql + ")", slices.Concat(lo.args, hi.args)}
	} else {
		l.total = frag{"(SELECT COUNT(*) FROM people p WHERE " + l.where.sql + ")", l.where.args}
	}

	cursor, backward := f.After, false
	if cursor == "" && f.Before != "" {
		cursor, backward = f.Before, true
	}
	if vals, ok := l.key.parse(f.Desc, cursor); ok {
		// Rows beyond the cursor in the direction of travel: after it in
		// the listing's order, or before it (then read in reverse).
		cmp := map[bool]string{false: " > ", true: " < "}[f.Desc != backward]
		l.seek = frag{"(" + strings.Join(l.key.cols(f.Desc), ", ") + ")" + cmp + "(" + placeholders(len(vals)) + ")", vals}
		l.backward, l.offset = backward, 0
		if l.key.parts[0].col == "p.org_path" {
			// The index starts at the cursor only when the cursor is the
			// sole bound on that side: there the subtree's bound becomes a
			// check that the cursor lies inside the subtree, which keeps
			// every row the seek finds inside it too.
			if cmp == " > " {
				subtree = frag{"? >= " + lo.sql + " AND p.org_path < " + hi.sql, slices.Concat([]any{vals[0]}, lo.args, hi.args)}
			} else {
				subtree = frag{"p.org_path >= " + lo.sql + " AND ? < " + hi.sql, slices.Concat(lo.args, []any{vals[0]}, hi.args)}
			}
			l.pageWhere = frag{subtree.sql + w.sql, slices.Concat(subtree.args, w.args)}
		}
	}
	return l
}

// order is the listing's ORDER BY, or its reverse.
func (l listing) order(reverse bool) string {
	dir := map[bool]string{false: " ASC", true: " DESC"}[l.desc != reverse]
	cols := l.key.cols(l.desc)
	for i := range cols {
		cols[i] += dir
	}
	return strings.Join(cols, ", ")
}

// sortKey is an order of the roster: the columns it sorts by, the id last so
// that every row has its own place and a cursor is exact.
type sortKey struct {
	name string
	// parts are the key's columns; a date part is stored as 'YYYY-MM-DD'.
	parts []keyPart
}

type keyPart struct {
	col  string
	date bool
	// last is what an empty (NULL) date sorts as, ascending and descending,
	// so that people without one come last either way and on both databases.
	last [2]string
}

var sortKeys = []sortKey{
	{"org", []keyPart{{col: "p.org_path"}, {col: "p.name_sort"}}},
	{"name", []keyPart{{col: "p.name_sort"}}},
	{"birth_date", []keyPart{{col: "p.birth_date", date: true}}},
	{"joined_on", []keyPart{{col: "p.joined_on", date: true, last: [2]string{"9999-12-31", "0001-01-01"}}}},
}

// cols are the SQL expressions of the key, p.id last.
func (k sortKey) cols(desc bool) []string {
	out := make([]string, 0, len(k.parts)+1)
	for _, p := range k.parts {
		if p.last[0] != "" {
			out = append(out, "COALESCE("+p.col+", '"+p.last[b2i(desc)]+"')")
		} else {
			out = append(out, p.col)
		}
	}
	return append(out, "p.id")
}

// cursor is a row's place in the order: the order's name and direction and
// the row's key, in URL-safe base64 (cursors travel in addresses).
func (k sortKey) cursor(desc bool, p *PersonRow, nameSort string) string {
	vals := []string{k.name + map[bool]string{false: "", true: ":desc"}[desc]}
	for _, part := range k.parts {
		var v string
		switch part.col {
		case "p.org_path":
			v = p.OrgPath
		case "p.name_sort":
			v = nameSort
		case "p.birth_date":
			v = p.BirthDate.String()
		case "p.joined_on":
			if v = p.JoinedOn.String(); v == "" {
				v = part.last[b2i(desc)]
			}
		}
		vals = append(vals, v)
	}
	vals = append(vals, strconv.FormatInt(p.ID, 10))
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(vals, "\x1f")))
}

// parse reads a cursor of this order and direction back into the values of
// its key; ok is false for anything else.
func (k sortKey) parse(desc bool, c string) (vals []any, ok bool) {
	if c == "" || len(c) > 1024 {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, false
	}
	parts := strings.Split(string(b), "\x1f")
	if len(parts) != len(k.parts)+2 || parts[0] != k.name+map[bool]string{false: "", true: ":desc"}[desc] {
		return nil, false
	}
	for i, part := range k.parts {
		v := parts[i+1]
		if part.date && v != part.last[b2i(desc)] {
			if _, err := date.Parse(v); err != nil || len(v) != len("2006-01-02") {
				return nil, false
			}
		}
		vals = append(vals, v)
	}
	id, err := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	if err != nil || id <= 0 {
		return nil, false
	}
	return append(vals, id), true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// frag is a piece of SQL with the arguments of its placeholders.
type frag struct {
	sql  string
	args []any
}

func (f *frag) and(cond string, args ...any) {
	f.sql += " AND " + cond
	f.args = append(f.args, args...)
}

// sqlText builds a statement and its arguments in the order they appear.
type sqlText struct {
	strings.Builder
	args []any
}

func (q *sqlText) add(sql string, args ...any) {
	q.WriteString(sql)
	q.args = append(q.args, args...)
}

func (q *sqlText) addFrag(f frag) { q.add(f.sql, f.args...) }

// RosterChoices are what the roster's filter form offers beside the party
// organisations (OrgsAround): every work unit (units are shared across
// branches) and the education levels in use.
type RosterChoices struct {
	Units      []org.Org // in tree order
	Educations []string  // the enabled labels, in the dictionary's order
}

// RosterChoices reads the filter form's lists in one statement: the form is
// on every first load of the roster, and on PostgreSQL each statement is a
// round trip.
func (s *Store) RosterChoices(ctx context.Context) (RosterChoices, error) {
	rows, err := s.query(ctx, `SELECT 'o', id, COALESCE(parent_id, 0), kind, name, label, path, sort_order FROM orgs
		WHERE closed_on IS NULL AND kind IN ('unit', 'school')
		UNION ALL SELECT 'e', id, 0, '', label, '', '', sort_order FROM dict_items WHERE dict = ? AND NOT disabled
		ORDER BY 1, 8, 2`, dict.Education)
	if err != nil {
		return RosterChoices{}, err
	}
	defer rows.Close()
	var c RosterChoices
	for rows.Next() {
		var list string
		var o org.Org
		if err := rows.Scan(&list, &o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Label, &o.Path, &o.SortOrder); err != nil {
			return c, mapErr(err)
		}
		o.Label = labelOr(o.Label, o.Name)
		if list == "e" {
			c.Educations = append(c.Educations, o.Name)
		} else {
			c.Units = append(c.Units, o)
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	c.Units = org.SortTree(c.Units)
	return c, nil
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

// isIDNumber reports a search that is a whole, valid ID number.
func isIDNumber(id string) bool {
	_, problem := people.CheckIDNumber(id)
	return len(id) == 18 && problem == ""
}
