package store

import (
	"context"
	"maps"
	"slices"

	"dangjian/internal/auth"
	"dangjian/internal/people"
)

// roster_counts (migration 00310) keeps, per organisation, its people's
// headcounts over time (people.Headcounts, encoded): members, probationary,
// under 35, 50 years full, the roster, and the steps of the pipeline, each
// as the days people began and stopped counting. A subtree's roster figures
// at the end of any period add up its organisations' rows instead of
// reading every person. A transaction that changes people names their
// organisations (rosterChanged); each is counted again from its people
// before the transaction commits, as held_months is.

// countedColumns are what the headcounts count of a person p, with the
// organisation's path first: see scanCounted.
const countedColumns = `p.org_path, p.status, p.birth_date, p.activist_on, p.candidate_on, p.joined_on, p.full_on, p.left_on,
	(SELECT MAX(t.on_date) FROM person_transfers t WHERE t.person_id = p.id AND t.direction = 'in')`

func scanCounted(scan func(...any) error) (string, people.Counted, error) {
	var path string
	var c people.Counted
	err := scan(&path, &c.Status, &c.BirthDate, &c.ActivistOn, &c.CandidateOn, &c.JoinedOn, &c.FullOn, &c.LeftOn, &c.ArrivedOn)
	return path, c, err
}

// rosterChanged names the organisations at paths as changed: their people
// are counted again at commit.
func (t *tx) rosterChanged(paths ...string) {
	for _, p := range paths {
		if t.rosterStale == nil {
			t.rosterStale = map[string]bool{}
		}
		t.rosterStale[p] = true
	}
}

// recountRoster counts the changed organisations again, in order of path
// (two PostgreSQL transactions take their locks in one order).
func (t *tx) recountRoster(ctx context.Context) error {
	for _, path := range slices.Sorted(maps.Keys(t.rosterStale)) {
		if err := t.takeTurns(ctx, 7419003, path); err != nil {
			return err
		}
		counted, err := t.countRoster(ctx, " WHERE p.org_path = ?", path)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM roster_counts WHERE org_path = ?", path); err != nil {
			return err
		}
		if err := t.insertRoster(ctx, counted); err != nil {
			return err
		}
	}
	t.rosterStale = nil
	return nil
}

// recountEveryRoster writes roster_counts afresh from every person: after
// an upgrade, as the counts follow the code that makes them.
func (t *tx) recountEveryRoster(ctx context.Context) error {
	if err := t.lockForRewrite(ctx, "roster_counts"); err != nil {
		return err
	}
	counted, err := t.countRoster(ctx, "")
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM roster_counts"); err != nil {
		return err
	}
	return t.insertRoster(ctx, counted)
}

// rosterRow is one row of roster_counts.
type rosterRow struct{ path, counts string }

// countRoster counts the people that match where (on people p, with args)
// into rows of roster_counts, one per organisation.
func (t *tx) countRoster(ctx context.Context, where string, args ...any) ([]rosterRow, error) {
	var out []rosterRow
	var list []people.Counted
	var cur string
	flush := func() {
		if len(list) > 0 {
			h := people.CountHeadcounts(list)
			out = append(out, rosterRow{cur, h.Encode()})
		}
		list = list[:0]
	}
	rows, err := t.query(ctx, "SELECT "+countedColumns+" FROM people p"+where+" ORDER BY p.org_path", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		path, c, err := scanCounted(rows.Scan)
		if err != nil {
			return nil, err
		}
		if path != cur {
			flush()
			cur = path
		}
		list = append(list, c)
	}
	flush()
	return out, rows.Err()
}

func (t *tx) insertRoster(ctx context.Context, rows []rosterRow) error {
	return t.insertRows(ctx, "roster_counts (org_path, counts)", 2, len(rows), func(i int) []any { return []any{rows[i].path, rows[i].counts} })
}

// headcounts are the headcounts of the people in the scope: its
// organisations' rows added up, or one person's counted from their row.
// Once per request under WithFigureCache, whatever the period.
func (s *Store) headcounts(ctx context.Context, sc auth.Scope) (people.Headcounts, error) {
	return cached(ctx, figureKey{what: "headcounts", sc: sc}, func() (people.Headcounts, error) {
		if sc.PersonID != 0 {
			var list []people.Counted
			cond, args := scopeCond(sc)
			err := s.eachRow(ctx, "SELECT "+countedColumns+" FROM people p WHERE "+cond, args, func(scan func(...any) error) error {
				_, c, err := scanCounted(scan)
				list = append(list, c)
				return err
			})
			return people.CountHeadcounts(list), err
		}
		var sum people.HeadcountSum
		lo, hi := sc.PathRange()
		err := s.eachRow(ctx, "SELECT counts FROM roster_counts WHERE org_path >= ? AND org_path < ?", []any{lo, hi}, func(scan func(...any) error) error {
			var enc string
			if err := scan(&enc); err != nil {
				return err
			}
			return sum.AddEncoded(enc)
		})
		return sum.Headcounts(), err
	})
}
