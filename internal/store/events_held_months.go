package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/event"
)

// held_months (migration 00300) keeps, per organisation and year, what it
// held by kind and month (event.HeldMonths, encoded). A transaction that
// changes what an organisation held in a year — an event saved or imported,
// a secretary appointed or leaving, which changes whose talks count — names
// it (heldChanged), and the year is counted again from its events before
// the transaction commits: every caller gets it, and a count is never more
// than one organisation's year of events.

// secretarySpoke is the condition that the organisation's secretary of the
// day was among the speakers of event e (书记讲党课).
const secretarySpoke = `EXISTS (SELECT 1 FROM event_speakers sp JOIN committee_members c ON c.person_id = sp.person_id
	WHERE sp.event_id = e.id AND c.org_id = e.org_id AND c.position = '书记' AND c.from_date <= e.held_on
	AND (c.to_date IS NULL OR c.to_date >= e.held_on))`

// heldColumns are what a held event e counts with, for scanHeldEvent.
const heldColumns = `e.org_path, e.org_id, e.held_on, e.kinds, CASE WHEN ` + secretarySpoke + ` THEN 1 ELSE 0 END`

// scanHeldEvent reads heldColumns: the organisation's path and the event.
func scanHeldEvent(scan func(...any) error, kindsOf map[string][]int64) (string, event.HeldEvent, error) {
	var path, kinds string
	var h event.HeldEvent
	var spoke int
	if err := scan(&path, &h.OrgID, &h.On, &kinds, &spoke); err != nil {
		return "", h, err
	}
	h.BySecretary = spoke == 1
	// A province's events share a few lists of kinds: each parsed once.
	var ok bool
	if h.Kinds, ok = kindsOf[kinds]; !ok {
		var err error
		if h.Kinds, err = parseKinds(kinds); err != nil {
			return "", h, err
		}
		kindsOf[kinds] = h.Kinds
	}
	return path, h, nil
}

type heldYear struct {
	path string
	year int
}

// heldChanged names the years of days (zero days skipped) of the
// organisation at path as changed: they are counted again at commit.
func (t *tx) heldChanged(path string, days ...date.Date) {
	for _, d := range days {
		if d.IsZero() {
			continue
		}
		if t.heldStale == nil {
			t.heldStale = map[heldYear]bool{}
		}
		t.heldStale[heldYear{path, d.Year()}] = true
	}
}

// heldChangedEveryYear names every year the organisation at path held
// anything in as changed.
func (t *tx) heldChangedEveryYear(ctx context.Context, path string) error {
	rows, err := t.query(ctx, "SELECT DISTINCT held_year FROM events WHERE status = 'held' AND org_path = ?", path)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return err
		}
		t.heldChanged(path, date.Of(y, time.January, 1))
	}
	return rows.Err()
}

// recountHeld counts the changed years again from their events, in order
// of path and year: two transactions on PostgreSQL that rewrite the same
// rows take them in the same order, rather than each waiting on the other.
func (t *tx) recountHeld(ctx context.Context) error {
	stale := slices.SortedFunc(maps.Keys(t.heldStale), func(a, b heldYear) int {
		return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.year, b.year))
	})
	for _, k := range stale {
		if err := t.takeTurns(ctx, 7419002, fmt.Sprintf("%s|%d", k.path, k.year)); err != nil {
			return err
		}
		counted, err := t.countHeld(ctx, " AND e.held_year = ? AND e.org_path = ?", k.year, k.path)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM held_months WHERE year = ? AND org_path = ?", k.year, k.path); err != nil {
			return err
		}
		if err := t.insertHeld(ctx, counted); err != nil {
			return err
		}
	}
	t.heldStale = nil
	return nil
}

// recountEveryHeld writes held_months afresh from every held event: after
// an upgrade, as the counts follow the code that makes them.
func (t *tx) recountEveryHeld(ctx context.Context) error {
	if err := t.lockForRewrite(ctx, "held_months"); err != nil {
		return err
	}
	counted, err := t.countHeld(ctx, "")
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM held_months"); err != nil {
		return err
	}
	return t.insertHeld(ctx, counted)
}

// heldRow is one row of held_months.
type heldRow struct {
	year       int
	path, held string
	first      date.Date // the first day anything was held that year
}

// countHeld counts the held events that match where (" AND …" on events
// e, with args) into rows of held_months: one per organisation and year
// that held anything, the events read in order of path and day.
func (t *tx) countHeld(ctx context.Context, where string, args ...any) ([]heldRow, error) {
	rows, err := t.query(ctx, "SELECT "+heldColumns+" FROM events e WHERE e.status = 'held'"+where+" ORDER BY e.org_path, e.held_on", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []heldRow
	var cur *event.HeldMonths
	var curPath string
	var first date.Date
	flush := func() {
		if cur != nil {
			if enc := cur.Encode(); enc != "" {
				out = append(out, heldRow{cur.Year, curPath, enc, first})
			}
		}
	}
	kindsOf := map[string][]int64{}
	for rows.Next() {
		path, h, err := scanHeldEvent(rows.Scan, kindsOf)
		if err != nil {
			return nil, err
		}
		if cur == nil || path != curPath || h.On.Year() != cur.Year {
			flush()
			cur, curPath, first = &event.HeldMonths{OrgID: h.OrgID, Year: h.On.Year(), Kinds: map[int64]*event.MonthCounts{}}, path, h.On
		}
		cur.Add(h, 1)
	}
	flush()
	return out, rows.Err()
}

func (t *tx) insertHeld(ctx context.Context, rows []heldRow) error {
	return t.insertRows(ctx, "held_months (year, org_path, held, first_held)", 4, len(rows), func(i int) []any {
		return []any{rows[i].year, rows[i].path, rows[i].held, rows[i].first}
	})
}

// heldMonths reads what the organisations in [lo, hi) held in the years of
// the days [from, to), as it stood on today: the rest of today's month is
// taken away (what is held later in it is not held yet on today), and
// later months are left to event.Compliance, which does not read them.
func (s *Store) heldMonths(ctx context.Context, orgAt map[string]int64, lo, hi string, from, to, today date.Date) ([]event.HeldMonths, error) {
	var out []event.HeldMonths
	at := map[heldYear]int{}
	years := yearArgs(from, to) // each year one range of paths
	err := s.eachRow(ctx, "SELECT year, org_path, held FROM held_months WHERE year IN ("+placeholders(len(years))+") AND org_path >= ? AND org_path < ?",
		append(years, lo, hi), func(scan func(...any) error) error {
			var y int
			var path, held string
			if err := scan(&y, &path, &held); err != nil {
				return err
			}
			kinds, err := event.DecodeHeldMonths(held)
			if err != nil {
				return err
			}
			at[heldYear{path, y}] = len(out)
			out = append(out, event.HeldMonths{OrgID: orgAt[path], Year: y, Kinds: kinds})
			return nil
		})
	if err != nil {
		return nil, err
	}
	month := event.PeriodOf(event.Monthly, today)
	if !month.Start.Before(to) || !from.Before(month.End) {
		return out, nil
	}
	// Every organisation's, by the index of days (the rest of a month is
	// almost always empty): by the index of paths a province would read
	// through all its events.
	kindsOf := map[string][]int64{}
	err = s.eachRow(ctx, "SELECT "+heldColumns+" FROM events e WHERE e.status = 'held' AND e.held_on > ? AND e.held_on < ?",
		[]any{today, month.End}, func(scan func(...any) error) error {
			path, h, err := scanHeldEvent(scan, kindsOf)
			if err != nil {
				return err
			}
			if i, ok := at[heldYear{path, h.On.Year()}]; ok { // the subtree's
				out[i].Add(h, -1)
			}
			return nil
		})
	return out, err
}
