package store

import (
	"context"
	"fmt"
	"slices"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/people"
)

// MovesWithOrg are the tables MoveOrg rewrites the paths of.
var MovesWithOrg = movesWithOrg

// TamperAuditForTest tries what an attacker with the application's database
// access would: edit an audit record, and delete one. The schema must refuse
// both; each attempt's error is returned on its own.
func (s *Store) TamperAuditForTest(ctx context.Context) (updateErr, deleteErr error) {
	_, updateErr = s.w.ExecContext(ctx, "UPDATE audit_log SET username = 'nobody'")
	_, deleteErr = s.w.ExecContext(ctx, "DELETE FROM audit_log")
	return updateErr, deleteErr
}

// DeleteAuditUpToForTest tries to delete the audit records up to an id
// directly, as a careless administrator with the database's password would.
func (s *Store) DeleteAuditUpToForTest(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM audit_log WHERE id <= ?"), id)
	return err
}

// LearningMismatchesForTest counts the events whose stored learning flag
// differs from the one computed from their kinds from scratch.
func (s *Store) LearningMismatchesForTest(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM events e WHERE e.learning <> "+learningOf("e.id")).Scan(&n)
	return n, err
}

// EventsOneByOneForTest reads the held events of a subtree in a span one by
// one (each event's kinds, speakers, decisions and marks, learning computed
// from its kinds) and adds them up in Go, one tally per event: the oracle
// the grouped EventFigureInput must equal. The roster and notes are left
// out.
func (s *Store) EventsOneByOneForTest(ctx context.Context, sub auth.Scope, span event.Span) (event.FigureInput, error) {
	in := event.FigureInput{Span: span, HeldByKind: map[int64]int{}}
	cond, args := heldIn(sub, span)
	index := map[int64]int{}
	err := s.eachRow(ctx, `SELECT e.id, e.held_on, `+learningOf("e.id")+`, e.credit_tenths,
		(SELECT COUNT(*) FROM event_speakers sp WHERE sp.event_id = e.id), (SELECT COUNT(*) FROM event_decisions d WHERE d.event_id = e.id)
		FROM events e WHERE `+cond, args, func(scan func(...any) error) error {
		var id int64
		t := event.Tally{Events: 1}
		if err := scan(&id, &t.HeldOn, &t.Learning, &t.Credit, &t.Speakers, &t.Decisions); err != nil {
			return err
		}
		index[id] = len(in.Tallies)
		in.Tallies = append(in.Tallies, t)
		return nil
	})
	if err != nil {
		return in, err
	}
	if err := s.eachRow(ctx, `SELECT l.kind_id FROM event_kind_links l JOIN events e ON e.id = l.event_id WHERE `+cond, args,
		func(scan func(...any) error) error {
			var kind int64
			err := scan(&kind)
			in.HeldByKind[kind]++
			return err
		}); err != nil {
		return in, err
	}
	expected, covered := map[int64]bool{}, map[int64]bool{}
	err = s.eachRow(ctx, `SELECT a.event_id, a.person_id, a.expected, a.mark, a.made_up_on IS NOT NULL FROM event_attendance a JOIN events e ON e.id = a.event_id WHERE `+cond, args,
		func(scan func(...any) error) error {
			var id, person int64
			var exp, madeUp bool
			var mark event.Mark
			if err := scan(&id, &person, &exp, &mark, &madeUp); err != nil {
				return err
			}
			t := &in.Tallies[index[id]]
			if exp {
				t.Expected++
			}
			if mark == event.Present {
				t.Present++
				if exp {
					t.PresentExpected++
				}
			}
			if madeUp {
				t.MadeUp++
			}
			if t.Learning && exp {
				expected[person] = true
				if mark == event.Present || madeUp {
					covered[person] = true
				}
			}
			return nil
		})
	in.LearningExpected, in.LearningCovered = len(expected), len(covered)
	return in, err
}

// SettingForTest is a setting of PostgreSQL as a connection of the store
// sees it.
func (s *Store) SettingForTest(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&v)
	return v, err
}

// LearningHoursFromMarksForTest is LearningHours added up from the marks
// whatever the span.
func (s *Store) LearningHoursFromMarksForTest(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) ([]learning.Standing, error) {
	list, _, err := s.learningHours(ctx, sc, orgID, span, hoursRead{page: true, marks: true})
	return list, err
}

// LearningStandingsForTest is the standings 学时达标率 counts (no names,
// no notes), read as the figure reads them.
func (s *Store) LearningStandingsForTest(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) ([]learning.Standing, error) {
	list, _, err := s.learningHours(ctx, sc, orgID, span, hoursRead{})
	return list, err
}

// counts is an event's marks, speakers and decisions added up.
type counts struct{ expected, present, presentExpected, madeUp, speakers, decisions int }

func (c counts) plus(d counts) counts {
	return counts{c.expected + d.expected, c.present + d.present, c.presentExpected + d.presentExpected, c.madeUp + d.madeUp,
		c.speakers + d.speakers, c.decisions + d.decisions}
}

// TalliesDriftForTest lists where the precomputed figures (events.tally_*
// with the differences not yet folded in, event_totals, learning_reach,
// learning_credit and learning_credit_year, kept by triggers; events.kinds
// and held_months, kept by the store) differ from the marks, speakers and decisions counted
// from scratch in Go: empty when every write kept them.
func (s *Store) TalliesDriftForTest(ctx context.Context) ([]string, error) {
	type reachKey struct {
		year   int
		path   string
		person int64
	}
	type reach struct{ firstExp, lastExp, firstCov, lastCov string }
	type creditKey struct {
		person int64
		month  string
	}
	type credit struct{ tenths, days int }
	stored, scratch := map[int64]counts{}, map[int64]counts{}
	storedReach, scratchReach := map[reachKey]reach{}, map[reachKey]reach{}
	storedCredit, scratchCredit := map[creditKey]credit{}, map[creditKey]credit{}
	held := map[int64]struct {
		path, day string
		counts    bool
		credit    int
	}{}
	err := s.eachRow(ctx, `SELECT id, org_path, held_on, status = 'held' AND learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up, tally_speakers, tally_decisions FROM events`, nil,
		func(scan func(...any) error) error {
			var id int64
			var path string
			var day date.Date
			var learningHeld bool
			var tenths int
			var c counts
			if err := scan(&id, &path, &day, &learningHeld, &tenths, &c.expected, &c.present, &c.presentExpected, &c.madeUp, &c.speakers, &c.decisions); err != nil {
				return err
			}
			stored[id], scratch[id] = c, counts{}
			held[id] = struct {
				path, day string
				counts    bool
				credit    int
			}{path, day.String(), learningHeld, tenths}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT event_id, person_id, day, expected, mark, made_up_on IS NOT NULL FROM event_attendance`, nil, func(scan func(...any) error) error {
		var id, person int64
		var day date.Date
		var exp, madeUp bool
		var mark event.Mark
		if err := scan(&id, &person, &day, &exp, &mark, &madeUp); err != nil {
			return err
		}
		if e := held[id]; e.counts && (mark == event.Present || madeUp) {
			k := creditKey{person, day.String()[:8] + "01"}
			c := scratchCredit[k]
			c.tenths, c.days = c.tenths+e.credit, c.days+1
			scratchCredit[k] = c
		}
		c := scratch[id]
		if exp {
			c.expected++
		}
		if mark == event.Present {
			c.present++
			if exp {
				c.presentExpected++
			}
		}
		if madeUp {
			c.madeUp++
		}
		scratch[id] = c
		if e := held[id]; e.counts && exp {
			var year int
			fmt.Sscan(e.day[:4], &year)
			k := reachKey{year, e.path, person}
			r, seen := scratchReach[k]
			if !seen || e.day < r.firstExp {
				r.firstExp = e.day
			}
			r.lastExp = max(r.lastExp, e.day)
			if mark == event.Present || madeUp {
				if r.firstCov == "" || e.day < r.firstCov {
					r.firstCov = e.day
				}
				r.lastCov = max(r.lastCov, e.day)
			}
			scratchReach[k] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	waiting := map[int64]counts{} // differences not yet folded, by event
	err = s.eachRow(ctx, `SELECT event_id, expected, present, present_expected, made_up FROM event_tally_deltas`, nil, func(scan func(...any) error) error {
		var id int64
		var d counts
		if err := scan(&id, &d.expected, &d.present, &d.presentExpected, &d.madeUp); err != nil {
			return err
		}
		stored[id], waiting[id] = stored[id].plus(d), waiting[id].plus(d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, part := range []string{"event_speakers", "event_decisions"} {
		err = s.eachRow(ctx, `SELECT event_id FROM `+part, nil, func(scan func(...any) error) error {
			var id int64
			if err := scan(&id); err != nil {
				return err
			}
			c := scratch[id]
			if part == "event_speakers" {
				c.speakers++
			} else {
				c.decisions++
			}
			scratch[id] = c
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err = s.eachRow(ctx, `SELECT year, org_path, person_id, first_expected, last_expected, first_covered, last_covered FROM learning_reach`, nil,
		func(scan func(...any) error) error {
			var k reachKey
			var fe, le, fc, lc date.Date
			if err := scan(&k.year, &k.path, &k.person, &fe, &le, &fc, &lc); err != nil {
				return err
			}
			text := func(d date.Date) string {
				if d.IsZero() {
					return ""
				}
				return d.String()
			}
			storedReach[k] = reach{text(fe), text(le), text(fc), text(lc)}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT person_id, month, credit_tenths, days FROM learning_credit`, nil, func(scan func(...any) error) error {
		var k creditKey
		var month date.Date
		var c credit
		if err := scan(&k.person, &month, &c.tenths, &c.days); err != nil {
			return err
		}
		if c != (credit{}) { // a month all taken away may stay as zeros
			k.month = month.String()
			storedCredit[k] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Each year's 学时 (learning_credit_year) against the marks' months.
	type yearKey struct {
		year   string
		person int64
	}
	storedYear, scratchYear := map[yearKey]credit{}, map[yearKey]credit{}
	for k, c := range scratchCredit {
		y := yearKey{k.month[:4], k.person}
		t := scratchYear[y]
		t.tenths, t.days = t.tenths+c.tenths, t.days+c.days
		scratchYear[y] = t
	}
	err = s.eachRow(ctx, `SELECT year, person_id, credit_tenths, days FROM learning_credit_year`, nil, func(scan func(...any) error) error {
		var year int
		var k yearKey
		var c credit
		if err := scan(&year, &k.person, &c.tenths, &c.days); err != nil {
			return err
		}
		if c != (credit{}) {
			k.year = fmt.Sprint(year)
			storedYear[k] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var drift []string
	// Each event's kinds on its row (events.kinds) against its links.
	links := map[int64][]int64{}
	err = s.eachRow(ctx, `SELECT event_id, kind_id FROM event_kind_links`, nil, func(scan func(...any) error) error {
		var id, kind int64
		err := scan(&id, &kind)
		links[id] = append(links[id], kind)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT id, kinds FROM events`, nil, func(scan func(...any) error) error {
		var id int64
		var kinds string
		if err := scan(&id, &kinds); err != nil {
			return err
		}
		if want := kindList(links[id]); kinds != want {
			drift = append(drift, fmt.Sprintf("event %d: kinds %q, linked %q", id, kinds, want))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	totals, err := s.totalsDrift(ctx, scratch, waiting)
	if err != nil {
		return nil, err
	}
	drift = append(drift, totals...)
	months, err := s.heldMonthsDrift(ctx, links)
	if err != nil {
		return nil, err
	}
	drift = append(drift, months...)
	drift = append(drift, driftOf("learning_credit_year", storedYear, scratchYear)...)
	drift = append(drift, driftOf("learning_credit", storedCredit, scratchCredit)...)
	drift = append(drift, driftOf("learning_reach", storedReach, scratchReach)...)
	for id, c := range scratch {
		if stored[id] != c {
			drift = append(drift, fmt.Sprintf("event %d: stored %+v, counted %+v", id, stored[id], c))
		}
	}
	slices.Sort(drift)
	return drift, nil
}

// heldMonthsDrift lists where held_months differs from the held events
// counted from scratch: their kinds from their links, a talk where a speaker
// was the organisation's 书记 on the day by the committee's seats.
func (s *Store) heldMonthsDrift(ctx context.Context, links map[int64][]int64) ([]string, error) {
	type seat struct {
		org, person int64
		from, to    date.Date
	}
	var secretaries []seat
	err := s.eachRow(ctx, `SELECT org_id, person_id, from_date, to_date FROM committee_members WHERE position = '书记'`, nil, func(scan func(...any) error) error {
		var c seat
		err := scan(&c.org, &c.person, &c.from, &c.to)
		secretaries = append(secretaries, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	speakers := map[int64][]int64{}
	err = s.eachRow(ctx, `SELECT event_id, COALESCE(person_id, 0) FROM event_speakers`, nil, func(scan func(...any) error) error {
		var id, person int64
		err := scan(&id, &person)
		speakers[id] = append(speakers[id], person)
		return err
	})
	if err != nil {
		return nil, err
	}
	type key struct {
		year int
		path string
	}
	byKey := map[key][]event.HeldEvent{}
	err = s.eachRow(ctx, `SELECT id, org_id, org_path, held_on FROM events WHERE status = 'held'`, nil, func(scan func(...any) error) error {
		var id int64
		var h event.HeldEvent
		var path string
		if err := scan(&id, &h.OrgID, &path, &h.On); err != nil {
			return err
		}
		h.Kinds = links[id]
		for _, c := range secretaries {
			if c.org == h.OrgID && slices.Contains(speakers[id], c.person) && !c.from.After(h.On) && (c.to.IsZero() || !c.to.Before(h.On)) {
				h.BySecretary = true
			}
		}
		k := key{h.On.Year(), path}
		byKey[k] = append(byKey[k], h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// What was held, and the first day anything was.
	scratch, stored := map[key]string{}, map[key]string{}
	for k, held := range byKey {
		if enc := event.CountHeld(held)[0].Encode(); enc != "" {
			first := slices.MinFunc(held, func(a, b event.HeldEvent) int { return a.On.Time().Compare(b.On.Time()) }).On
			scratch[k] = enc + " from " + first.String()
		}
	}
	err = s.eachRow(ctx, `SELECT year, org_path, held, first_held FROM held_months`, nil, func(scan func(...any) error) error {
		var k key
		var held string
		var first date.Date
		err := scan(&k.year, &k.path, &held, &first)
		stored[k] = held + " from " + first.String()
		return err
	})
	if err != nil {
		return nil, err
	}
	return driftOf("held_months", stored, scratch), nil
}

// totalsDrift lists where event_totals, with the differences not yet folded
// into the events' tallies (waiting, by event id), differs from the held
// events added up from scratch under every path above their organisation,
// their tallies counted from scratch (counted, by event id).
func (s *Store) totalsDrift(ctx context.Context, counted, waiting map[int64]counts) ([]string, error) {
	type key struct {
		path, day, kinds string
		learning         bool
		credit           int
	}
	type total struct {
		events int
		counts
	}
	stored, scratch := map[key]total{}, map[key]total{}
	err := s.eachRow(ctx, `SELECT id, org_path, held_on, learning, credit_tenths, kinds FROM events WHERE status = 'held'`, nil,
		func(scan func(...any) error) error {
			var id int64
			var k key
			var day date.Date
			if err := scan(&id, &k.path, &day, &k.learning, &k.credit, &k.kinds); err != nil {
				return err
			}
			k.day = day.String()
			path := k.path
			for i := range len(path) {
				if path[i] != '/' {
					continue
				}
				k.path = path[:i+1] // each path above the event's, and its own
				t := scratch[k]
				t.events, t.counts = t.events+1, t.counts.plus(counted[id])
				scratch[k] = t
				t = stored[k]
				t.counts = t.counts.plus(waiting[id])
				stored[k] = t
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up
		FROM event_totals`, nil, func(scan func(...any) error) error {
		var k key
		var t total
		var day date.Date
		if err := scan(&k.path, &day, &k.learning, &k.credit, &k.kinds, &t.events, &t.speakers, &t.decisions, &t.expected, &t.present, &t.presentExpected, &t.madeUp); err != nil {
			return err
		}
		k.day = day.String()
		w := stored[k] // the differences waiting, added above
		t.counts = t.counts.plus(w.counts)
		stored[k] = t
		return nil
	})
	return driftOf("event_totals", stored, scratch), err
}

// driftOf lists the keys where a table's stored rows differ from the rows
// counted from scratch.
func driftOf[K, V comparable](table string, stored, counted map[K]V) []string {
	var out []string
	for k, c := range counted {
		if got, ok := stored[k]; !ok {
			out = append(out, fmt.Sprintf("%s %+v: not stored, counted %+v", table, k, c))
		} else if got != c {
			out = append(out, fmt.Sprintf("%s %+v: stored %+v, counted %+v", table, k, got, c))
		}
	}
	for k, v := range stored {
		if _, ok := counted[k]; !ok {
			out = append(out, fmt.Sprintf("%s %+v: stored %+v, no such marks", table, k, v))
		}
	}
	return out
}

// RosterDriftForTest lists where roster_counts says other than the people
// counted from scratch by SQL, the way the roster's figures were defined
// before they were kept: for every organisation, on each of days, its
// members, probationary, under-35 and 50-year members on the roster, its
// roster, and the people who had taken each step of the pipeline by then.
func (s *Store) RosterDriftForTest(ctx context.Context, days []date.Date) ([]string, error) {
	stored := map[string]people.Headcounts{}
	err := s.eachRow(ctx, "SELECT org_path, counts FROM roster_counts", nil, func(scan func(...any) error) error {
		var path, enc string
		if err := scan(&path, &enc); err != nil {
			return err
		}
		var sum people.HeadcountSum
		err := sum.AddEncoded(enc)
		stored[path] = sum.Headcounts()
		return err
	})
	if err != nil {
		return nil, err
	}
	type key struct {
		path string
		day  string
		m    people.Measure
	}
	storedAt, counted := map[key]int{}, map[key]int{}
	for _, d := range days {
		for path, h := range stored {
			for m := range people.NumMeasures {
				if n := h.At(m, d); n != 0 {
					storedAt[key{path, d.String(), m}] = n
				}
			}
		}
		const member = `p.status IN ('full', 'probationary') AND p.joined_on IS NOT NULL AND p.joined_on <= ?
			AND (p.left_on IS NULL OR p.left_on > ?) AND p.id NOT IN (SELECT t.person_id FROM person_transfers t WHERE t.direction = 'in' AND t.on_date > ?)`
		err := s.eachRow(ctx, `SELECT p.org_path, COUNT(*) FILTER (WHERE p.left_on IS NULL OR p.left_on > ?),
			COUNT(*) FILTER (WHERE `+member+`), COUNT(*) FILTER (WHERE `+member+` AND (p.full_on IS NULL OR p.full_on > ?)),
			COUNT(*) FILTER (WHERE `+member+` AND p.birth_date > ?), COUNT(*) FILTER (WHERE `+member+` AND p.full_on IS NOT NULL AND p.full_on <= ?),
			COUNT(*) FILTER (WHERE p.activist_on <= ?), COUNT(*) FILTER (WHERE p.candidate_on <= ?), COUNT(*) FILTER (WHERE p.joined_on <= ?),
			COUNT(*) FILTER (WHERE p.full_on <= ?) FROM people p GROUP BY p.org_path`,
			[]any{d, d, d, d, d, d, d, d, d, d, d, d.AddDate(-35, 0, 0), d, d, d, d.AddDate(-50, 0, 0), d, d, d, d},
			func(scan func(...any) error) error {
				var path string
				var n [9]int
				if err := scan(&path, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8]); err != nil {
					return err
				}
				for m, c := range n {
					if c != 0 {
						counted[key{path, d.String(), people.Measure(m)}] = c
					}
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	drift := driftOf("roster_counts", storedAt, counted)
	slices.Sort(drift)
	return drift, nil
}
