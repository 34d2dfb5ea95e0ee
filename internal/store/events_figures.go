package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/people"
)

// learningCond is true for an event e that counts as learning by any of
// its kinds (the column tx.relearn keeps).
const learningCond = `e.learning`

// learningOf computes the learning column from scratch for the event
// whose id column is named id.
func learningOf(id string) string {
	return `EXISTS (SELECT 1 FROM event_kind_links l JOIN event_kinds k ON k.id = l.kind_id WHERE l.event_id = ` + id + ` AND k.counts_as_learning)`
}

// relearn sets the learning column of the events that match where (a
// condition on events, with args) from their kinds: after an event's kinds
// are written and after a kind's counts_as_learning changes.
func (t *tx) relearn(ctx context.Context, where string, args ...any) error {
	_, err := t.exec(ctx, "UPDATE events SET learning = "+learningOf("events.id")+" WHERE "+where, args...)
	return err
}

// rekind writes what an event's row keeps of its kinds once its links are
// written: whether it counts as learning, and the kinds themselves
// (events.kinds, which the index of held events carries).
func (t *tx) rekind(ctx context.Context, id int64, kinds []int64) error {
	_, err := t.exec(ctx, "UPDATE events SET kinds = ?, learning = "+learningOf("events.id")+" WHERE id = ?", kindList(kinds), id)
	return err
}

// learningOfKinds is the learning column of an event of the kinds ids, as
// an expression with its arguments, for a row written with its kinds.
func learningOfKinds(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return "false", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "EXISTS (SELECT 1 FROM event_kinds k WHERE k.counts_as_learning AND k.id IN (" + placeholders(len(ids)) + "))", args
}

// kindList is how events.kinds keeps an event's kinds: ascending ids
// joined by commas ("3,7").
func kindList(ids []int64) string {
	sorted := slices.Compact(slices.Sorted(slices.Values(ids)))
	parts := make([]string, len(sorted))
	for i, id := range sorted {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// parseKinds reads events.kinds back.
func parseKinds(s string) ([]int64, error) {
	var out []int64
	for part := range strings.SplitSeq(s, ",") {
		if part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("events.kinds %q: %w", s, err)
		}
		out = append(out, id)
	}
	return out, nil
}

// heldIn is the condition on events e held in a subtree during a span:
// the years of the span named, so that the index of held events (by year,
// then path) reads the span's years alone.
func heldIn(sub auth.Scope, span event.Span) (string, []any) {
	return heldBetween("e", sub, span.Start, span.End)
}

// heldBetween is heldIn for events named alias, held on the days [from, to).
func heldBetween(alias string, sub auth.Scope, from, to date.Date) (string, []any) {
	lo, hi := sub.PathRange()
	args := yearArgs(from, to)
	e := alias + "."
	return e + "status = 'held' AND " + e + "held_year IN (" + placeholders(len(args)) + ") AND " + e + "org_path >= ? AND " + e + "org_path < ? AND " +
		e + "held_on >= ? AND " + e + "held_on < ?", append(args, lo, hi, from, to)
}

// yearArgs are the calendar years of the days [from, to), as arguments of
// an IN list; an empty span gives from's year, so the list is never empty.
func yearArgs(from, to date.Date) []any {
	args := []any{from.Year()}
	for y := from.Year() + 1; y <= to.AddDate(0, 0, -1).Year(); y++ {
		args = append(args, y)
	}
	return args
}

// EventFigureInput adds up the held events of the subtree of orgID (inside
// the scope) in a span, for event.Compute: one tally per event, the distinct
// people at learning events, and the roster and notes at the end of the span.
func (s *Store) EventFigureInput(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) (event.FigureInput, error) {
	in, err := s.eventTallies(ctx, sc, orgID, span)
	if err != nil {
		return in, err
	}
	h, err := cached(ctx, figureKey{"roster-notes", sc, orgID, span}, func() (rosterNotes, error) {
		return s.rosterAndNotes(ctx, sc, orgID, span)
	})
	in.Roster, in.NoteChars, in.Reflections = h.roster, h.noteChars, h.reflections
	return in, err
}

// eventTallies is EventFigureInput without the roster and the notes, which
// only the per-capita and notes figures read (the dashboard shows none).
func (s *Store) eventTallies(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) (event.FigureInput, error) {
	return cached(ctx, figureKey{"events", sc, orgID, span}, func() (event.FigureInput, error) {
		in := event.FigureInput{Span: span}
		if sc.PersonID != 0 {
			return in, nil
		}
		sub, err := s.subtree(ctx, sc, orgID)
		if err != nil {
			return in, err
		}
		return in, s.readTallies(ctx, sub, span, &in)
	})
}

func (s *Store) readTallies(ctx context.Context, sub auth.Scope, span event.Span, in *event.FigureInput) error {
	cond, args := heldIn(sub, span)
	// The tallies are by day, learning and 学时 (event.Tally); rows that
	// differ only in their kinds add into one.
	type key struct {
		day      string
		learning bool
		credit   event.Hours
	}
	index := map[key]int{}
	tally := func(day date.Date, learning bool, credit event.Hours) *event.Tally {
		k := key{day.String(), learning, credit}
		i, ok := index[k]
		if !ok {
			i = len(in.Tallies)
			index[k] = i
			in.Tallies = append(in.Tallies, event.Tally{HeldOn: day, Learning: learning, Credit: credit})
		}
		return &in.Tallies[i]
	}
	// The subtree's held events are added up by day already
	// (event_totals, kept by triggers with every event and every tally of
	// its marks, speakers and decisions): its rows are read, then the
	// differences not yet folded into the events' tallies (PostgreSQL's;
	// SQLite has none), grouped on their own.
	in.HeldByKind = map[int64]int{}
	add := func(sc func(...any) error) error {
		var day date.Date
		var learning bool
		var credit event.Hours
		var kinds string
		var n, speakers, decisions, exp, pres, presExp, madeUp int
		if err := sc(&day, &learning, &credit, &kinds, &n, &speakers, &decisions, &exp, &pres, &presExp, &madeUp); err != nil {
			return err
		}
		t := tally(day, learning, credit)
		t.Events, t.Speakers, t.Decisions = t.Events+n, t.Speakers+speakers, t.Decisions+decisions
		t.Expected, t.Present, t.PresentExpected, t.MadeUp = t.Expected+exp, t.Present+pres, t.PresentExpected+presExp, t.MadeUp+madeUp
		ids, err := parseKinds(kinds)
		for _, k := range ids {
			in.HeldByKind[k] += n
		}
		return err
	}
	err := s.eachRow(ctx, `SELECT t.held_on, t.learning, t.credit_tenths, t.kinds, t.events, t.speakers, t.decisions,
			t.expected, t.present, t.present_expected, t.made_up
		FROM event_totals t WHERE t.org_path = ? AND t.held_on >= ? AND t.held_on < ?`, []any{sub.OrgPath, span.Start, span.End}, add)
	if err == nil {
		err = s.eachRow(ctx, `SELECT e.held_on, `+learningCond+`, e.credit_tenths, e.kinds, 0, 0, 0,
				SUM(d.expected), SUM(d.present), SUM(d.present_expected), SUM(d.made_up)
			FROM event_tally_deltas d JOIN events e ON e.id = d.event_id WHERE `+cond+` GROUP BY e.held_on, `+learningCond+`, e.credit_tenths, e.kinds`, args, add)
	}
	if err != nil || len(in.Tallies) == 0 {
		in.HeldByKind = nil
		return err
	}
	return s.learningReach(ctx, sub, span, cond, args, in)
}

// learningReach counts the distinct people expected at the learning events
// held in the subtree and span (cond, args), and of them those present or
// made up at one at least: from learning_reach when the span allows,
// otherwise in one pass over the marks grouped by person (PostgreSQL
// hashes a GROUP BY; COUNT(DISTINCT) always sorts).
func (s *Store) learningReach(ctx context.Context, sub auth.Scope, span event.Span, cond string, args []any, in *event.FigureInput) error {
	q, qargs := `SELECT COUNT(*), COALESCE(SUM(covered), 0) FROM (SELECT a.person_id,
		MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN 1 ELSE 0 END) AS covered
		FROM event_attendance a WHERE a.expected AND a.event_id IN (SELECT e.id FROM events e WHERE `+cond+` AND `+learningCond+`)
		GROUP BY a.person_id) t`, args
	if r, ok := reachSpan(span); ok {
		lo, hi := sub.PathRange()
		var per string
		per, qargs = r.covered("r.person_id", lo, hi)
		q = `SELECT COUNT(*), COALESCE(SUM(covered), 0) FROM (` + per + `) t`
	}
	return mapErr(s.queryRow(ctx, q, qargs...).Scan(&in.LearningExpected, &in.LearningCovered))
}

// rosterNotes are the roster at the end of a span (the people of the
// subtree not transferred out by its last day: the per-capita denominator)
// and the notes written in it.
type rosterNotes struct{ roster, noteChars, reflections int }

func (s *Store) rosterAndNotes(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) (rosterNotes, error) {
	var h rosterNotes
	if sc.PersonID != 0 {
		return h, nil
	}
	sub, err := s.subtree(ctx, sc, orgID)
	if err != nil {
		return h, err
	}
	roster, err := s.headcounts(ctx, sub)
	if err != nil {
		return h, err
	}
	h.roster = roster.At(people.OnRoster, span.Last())
	h.noteChars, h.reflections, err = s.noteTotals(ctx, sub, span)
	return h, err
}

// MeasureTotal is one outcome measure added up over the held events of a
// subtree and span, the way its kind says (sum, average or maximum).
type MeasureTotal struct {
	KindName  string          `json:"kind_name"`
	Name      string          `json:"name"`
	Unit      string          `json:"unit"`
	Aggregate event.Aggregate `json:"aggregate"`
	Value     float64         `json:"value"`
	Events    int             `json:"events"` // events that recorded it
}

// EventMeasureTotals adds up the outcome measures of the held events of the
// subtree of orgID in a span (捐款 3.2万元, 走访贫困户 15户 …).
func (s *Store) EventMeasureTotals(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) ([]MeasureTotal, error) {
	if sc.PersonID != 0 {
		return nil, nil
	}
	sub, err := s.subtree(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	cond, args := heldIn(sub, span)
	rows, err := s.query(ctx, `SELECT k.name, km.name, km.unit, km.aggregate, SUM(m.value), AVG(m.value), MAX(m.value), COUNT(*)
		FROM event_measures m JOIN events e ON e.id = m.event_id JOIN event_kind_measures km ON km.id = m.measure_id JOIN event_kinds k ON k.id = km.kind_id
		WHERE `+cond+` GROUP BY k.sort_order, k.id, k.name, km.sort_order, km.id, km.name, km.unit, km.aggregate ORDER BY k.sort_order, k.id, km.sort_order, km.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MeasureTotal
	for rows.Next() {
		var m MeasureTotal
		var sum, avg, mx float64
		if err := rows.Scan(&m.KindName, &m.Name, &m.Unit, &m.Aggregate, &sum, &avg, &mx, &m.Events); err != nil {
			return nil, err
		}
		switch m.Aggregate {
		case event.Average:
			m.Value = avg
		case event.Maximum:
			m.Value = mx
		default:
			m.Value = sum
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PersonTally is one person's attendance over the held events of a span.
type PersonTally struct {
	PersonID int64       `json:"person_id"`
	Name     string      `json:"name"`
	OrgName  string      `json:"org_name"`
	Expected int         `json:"expected"` // marks expected of them
	Present  int         `json:"present"`
	Leave    int         `json:"leave"`
	Absent   int         `json:"absent"` // absent or never marked
	MadeUp   int         `json:"made_up"`
	Hours    event.Hours `json:"hours"` // 学时 earned at learning events
}

// OrgTally is the attendance of the people of one organisation.
type OrgTally struct {
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name"`
	People   int    `json:"people"`  // distinct people expected at one event at least
	Covered  int    `json:"covered"` // of them, present at or made up one learning event at least
	Expected int    `json:"expected"`
	Present  int    `json:"present"`
	Leave    int    `json:"leave"`
	Absent   int    `json:"absent"`
	MadeUp   int    `json:"made_up"`
}

// perPerson adds up each person's marks over the held events of a subtree
// and span once (a CTE named per), so the tables group ten thousand people
// rather than hundreds of thousands of marks.
func perPerson(cond string) string {
	return `WITH ev AS MATERIALIZED (SELECT e.id, e.credit_tenths, CASE WHEN ` + learningCond + ` THEN 1 ELSE 0 END AS learning FROM events e WHERE ` + cond + `),
	per AS (SELECT a.person_id,
		SUM(CASE WHEN a.expected THEN 1 ELSE 0 END) AS expected, SUM(CASE WHEN a.mark = 'present' THEN 1 ELSE 0 END) AS present,
		SUM(CASE WHEN a.mark = 'leave' THEN 1 ELSE 0 END) AS on_leave, SUM(CASE WHEN a.mark IN ('absent', 'unmarked') THEN 1 ELSE 0 END) AS absent,
		SUM(CASE WHEN a.made_up_on IS NOT NULL THEN 1 ELSE 0 END) AS made_up,
		SUM(CASE WHEN ev.learning = 1 AND (a.mark = 'present' OR a.made_up_on IS NOT NULL) THEN ev.credit_tenths ELSE 0 END) AS hours,
		MAX(CASE WHEN a.expected THEN 1 ELSE 0 END) AS was_expected,
		MAX(CASE WHEN a.expected AND ev.learning = 1 AND (a.mark = 'present' OR a.made_up_on IS NOT NULL) THEN 1 ELSE 0 END) AS covered
		FROM event_attendance a JOIN ev ON ev.id = a.event_id GROUP BY a.person_id)`
}

// EventPeopleTable is each person's attendance and 学时 over the held events
// of the subtree of orgID in a span, by organisation and name, a page at a time.
func (s *Store) EventPeopleTable(ctx context.Context, sc auth.Scope, orgID int64, span event.Span, limit, offset int) ([]PersonTally, int, error) {
	if sc.PersonID != 0 {
		return nil, 0, nil
	}
	sub, err := s.subtree(ctx, sc, orgID)
	if err != nil {
		return nil, 0, err
	}
	cond, args := heldIn(sub, span)
	if limit <= 0 || limit > 100000 {
		limit = 50
	}
	// The total comes with each row (a window over all of them), so the
	// marks are added up once for the page and its count.
	rows, err := s.query(ctx, perPerson(cond)+` SELECT p.id, p.name, `+orgLabel+`, per.expected, per.present, per.on_leave, per.absent, per.made_up, per.hours,
		COUNT(*) OVER () FROM per JOIN people p ON p.id = per.person_id JOIN orgs o ON o.id = p.org_id ORDER BY o.path, p.name_sort, p.id LIMIT ? OFFSET ?`,
		append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []PersonTally
	total := 0
	for rows.Next() {
		var p PersonTally
		if err := rows.Scan(&p.PersonID, &p.Name, &p.OrgName, &p.Expected, &p.Present, &p.Leave, &p.Absent, &p.MadeUp, &p.Hours, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 { // a page past the end: count without it
		_, total, err = s.EventPeopleTable(ctx, sc, orgID, span, 1, 0)
	}
	return out, total, err
}

// EventOrgTable is the attendance of the people of each organisation of the
// subtree of orgID over the held events of a span, in tree order.
func (s *Store) EventOrgTable(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) ([]OrgTally, error) {
	if sc.PersonID != 0 {
		return nil, nil
	}
	sub, err := s.subtree(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	cond, args := heldIn(sub, span)
	rows, err := s.query(ctx, perPerson(cond)+` SELECT o.id, `+orgLabel+`, SUM(per.was_expected), SUM(per.covered), SUM(per.expected), SUM(per.present),
		SUM(per.on_leave), SUM(per.absent), SUM(per.made_up)
		FROM per JOIN people p ON p.id = per.person_id JOIN orgs o ON o.id = p.org_id GROUP BY o.path, o.id, o.label, o.name ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OrgTally
	for rows.Next() {
		var o OrgTally
		if err := rows.Scan(&o.OrgID, &o.OrgName, &o.People, &o.Covered, &o.Expected, &o.Present, &o.Leave, &o.Absent, &o.MadeUp); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// LearningCoverageBySubtree is the learning coverage (distinct people
// covered ÷ expected, as event.Compute defines it) of each of heads
// (organisations inside sub, none inside another's subtree) over its own
// subtree, in one read of the learning events held in sub in the span: the
// dashboard's rows (branches, or a province's cities) and the 学习覆盖率偏低
// rule's branches, which would otherwise read the records once per head.
// A head without learning events is absent (0/0).
func (s *Store) LearningCoverageBySubtree(ctx context.Context, sub auth.Scope, heads []org.Org, span event.Span) (map[int64]event.Ratio, error) {
	out := map[int64]event.Ratio{}
	if sub.PersonID != 0 || len(heads) == 0 {
		return out, nil
	}
	headAt := make(map[string]int64, len(heads))
	for _, h := range heads {
		headAt[h.Path] = h.ID
	}
	// Each person once per organisation that held learning events for
	// them; the head of an organisation is the head among its path's
	// ancestors (heads do not nest), found in Go rather than by a range
	// join SQLite would run head by head over every event.
	cond, args := heldIn(sub, span)
	q := `SELECT e.org_path, a.person_id, MAX(CASE WHEN a.mark = 'present' OR a.made_up_on IS NOT NULL THEN 1 ELSE 0 END)
		FROM events e JOIN event_attendance a ON a.event_id = e.id AND a.expected
		WHERE ` + cond + ` AND ` + learningCond + ` GROUP BY e.org_path, a.person_id`
	if r, ok := reachSpan(span); ok {
		lo, hi := sub.PathRange()
		q, args = r.coveredByOrganisation(lo, hi)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct{ head, person int64 }
	covered := map[key]bool{}
	for rows.Next() {
		var path string
		var person int64
		var cov bool
		if err := rows.Scan(&path, &person, &cov); err != nil {
			return nil, err
		}
		if h, ok := headOfPath(headAt, path); ok {
			k := key{h, person}
			covered[k] = covered[k] || cov
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, cov := range covered {
		r := out[k.head]
		r.Den++
		if cov {
			r.Num++
		}
		out[k.head] = r
	}
	return out, nil
}

// headOfPath finds the organisation of headAt whose path is a prefix of
// path (/1/10/28/ has the prefixes /1/, /1/10/ and itself).
func headOfPath(headAt map[string]int64, path string) (int64, bool) {
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			if h, ok := headAt[path[:i+1]]; ok {
				return h, true
			}
		}
	}
	return 0, false
}
