package store

import (
	"context"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// Event kinds and the compliance rules are installation configuration, like
// the dictionaries: the system administrator keeps them, every organisation
// reads them, and they are seeded with the defaults at every start.

const kindCols = `id, COALESCE(code, ''), name, category, audience, takes_attendance, counts_as_learning, credit_tenths,
	allows_makeup, records_decisions, needs_quorum, sort_order, disabled, version`

func scanKind(r scanner) (event.Kind, error) {
	var k event.Kind
	err := r.Scan(&k.ID, &k.Code, &k.Name, &k.Category, &k.Audience, &k.TakesAttendance, &k.CountsAsLearning, &k.Credit,
		&k.AllowsMakeup, &k.RecordsDecisions, &k.NeedsQuorum, &k.SortOrder, &k.Disabled, &k.Version)
	return k, mapErr(err)
}

// EventKinds lists every kind with its measures, in display order, disabled
// ones included (old events still carry them; forms skip them).
func (s *Store) EventKinds(ctx context.Context) ([]event.Kind, error) {
	rows, err := s.query(ctx, "SELECT "+kindCols+" FROM event_kinds ORDER BY sort_order, id")
	if err != nil {
		return nil, err
	}
	var out []event.Kind
	index := map[int64]int{}
	for rows.Next() {
		k, err := scanKind(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[k.ID] = len(out)
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := s.query(ctx, "SELECT id, kind_id, name, unit, aggregate, disabled FROM event_kind_measures ORDER BY kind_id, sort_order, id")
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m event.Measure
		var kindID int64
		if err := mrows.Scan(&m.ID, &kindID, &m.Name, &m.Unit, &m.Aggregate, &m.Disabled); err != nil {
			return nil, err
		}
		if i, ok := index[kindID]; ok {
			out[i].Measures = append(out[i].Measures, m)
		}
	}
	return out, mrows.Err()
}

// KindIndex maps kinds by ID.
func KindIndex(kinds []event.Kind) map[int64]*event.Kind {
	m := make(map[int64]*event.Kind, len(kinds))
	for i := range kinds {
		m[kinds[i].ID] = &kinds[i]
	}
	return m
}

func (t *tx) kind(ctx context.Context, id int64) (*event.Kind, error) {
	k, err := scanKind(t.queryRow(ctx, "SELECT "+kindCols+" FROM event_kinds WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// kindMeasures reads the measures of the given kinds, by ID.
func (t *tx) kindMeasures(ctx context.Context, kinds []int64) (map[int64]event.Measure, error) {
	out := map[int64]event.Measure{}
	if len(kinds) == 0 {
		return out, nil
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	rows, err := t.sql.QueryContext(ctx, t.s.rebind("SELECT id, name, unit, aggregate, disabled FROM event_kind_measures WHERE kind_id IN ("+
		placeholders(len(kinds))+")"), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m event.Measure
		if err := rows.Scan(&m.ID, &m.Name, &m.Unit, &m.Aggregate, &m.Disabled); err != nil {
			return nil, err
		}
		out[m.ID] = m
	}
	return out, rows.Err()
}

// SaveEventKind creates (ID 0) or changes a kind and its measures. Measures
// are matched by ID: new ones are added, missing ones disabled (events keep
// the values they recorded), never deleted.
func (s *Store) SaveEventKind(ctx context.Context, a audit.Actor, k *event.Kind) error {
	if err := k.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_kinds WHERE name = ? AND id <> ?", k.Name, k.ID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n > 0 {
			return errs.NewConflict("name", "event.kind_name_taken")
		}
		var before any
		if k.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO event_kinds (code, name, category, audience, takes_attendance, counts_as_learning, credit_tenths,
				allows_makeup, records_decisions, needs_quorum, sort_order, disabled, version, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, nullString(k.Code), k.Name, k.Category, k.Audience, k.TakesAttendance,
				k.CountsAsLearning, k.Credit, k.AllowsMakeup, k.RecordsDecisions, k.NeedsQuorum, k.SortOrder, k.Disabled, t.s.Now())
			if err != nil {
				return err
			}
			k.ID, k.Version = id, 1
		} else {
			old, err := t.kind(ctx, k.ID)
			if err != nil {
				return err
			}
			before = kindSnapshot(old)
			if err := t.update(ctx, `UPDATE event_kinds SET name = ?, category = ?, audience = ?, takes_attendance = ?, counts_as_learning = ?,
				credit_tenths = ?, allows_makeup = ?, records_decisions = ?, needs_quorum = ?, sort_order = ?, disabled = ?, version = version + 1
				WHERE id = ? AND version = ?`, k.Name, k.Category, k.Audience, k.TakesAttendance, k.CountsAsLearning, k.Credit, k.AllowsMakeup,
				k.RecordsDecisions, k.NeedsQuorum, k.SortOrder, k.Disabled, k.ID, k.Version); err != nil {
				return err
			}
			k.Code, k.Version = old.Code, k.Version+1
			if old.CountsAsLearning != k.CountsAsLearning {
				if err := t.relearn(ctx, "id IN (SELECT event_id FROM event_kind_links WHERE kind_id = ?)", k.ID); err != nil {
					return err
				}
			}
		}
		if err := t.saveMeasures(ctx, k); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "event_kind.save", ObjectType: "event_kind", ObjectID: k.ID, Before: before, After: kindSnapshot(k)})
	})
}

func (t *tx) saveMeasures(ctx context.Context, k *event.Kind) error {
	old, err := t.kindMeasures(ctx, []int64{k.ID})
	if err != nil {
		return err
	}
	kept := map[int64]bool{}
	for i := range k.Measures {
		m := &k.Measures[i]
		if _, ok := old[m.ID]; ok && m.ID != 0 {
			kept[m.ID] = true
			if _, err := t.exec(ctx, "UPDATE event_kind_measures SET name = ?, unit = ?, aggregate = ?, sort_order = ?, disabled = ? WHERE id = ?",
				m.Name, m.Unit, m.Aggregate, i, m.Disabled, m.ID); err != nil {
				return err
			}
			continue
		}
		id, err := t.insert(ctx, "INSERT INTO event_kind_measures (kind_id, name, unit, aggregate, sort_order, disabled) VALUES (?, ?, ?, ?, ?, ?)",
			k.ID, m.Name, m.Unit, m.Aggregate, i, m.Disabled)
		if err != nil {
			return notFoundAs(err, "measures", "event.measure_duplicate")
		}
		m.ID = id
	}
	for id := range old {
		if !kept[id] {
			if _, err := t.exec(ctx, "UPDATE event_kind_measures SET disabled = ? WHERE id = ?", true, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func kindSnapshot(k *event.Kind) map[string]any {
	var measures []string
	for _, m := range k.Measures {
		measures = append(measures, m.Name+"（"+m.Unit+"，"+string(m.Aggregate)+"）")
	}
	return map[string]any{"name": k.Name, "code": k.Code, "category": k.Category, "audience": k.Audience,
		"takes_attendance": k.TakesAttendance, "counts_as_learning": k.CountsAsLearning, "credit": k.Credit.String(),
		"allows_makeup": k.AllowsMakeup, "records_decisions": k.RecordsDecisions, "needs_quorum": k.NeedsQuorum,
		"disabled": k.Disabled, "measures": strings.Join(measures, "、")}
}

// SeedEvents adds the built-in kinds whose code is missing, and the default
// compliance rules into an empty rule table; run at every start, it leaves
// what an administrator changed alone.
func (s *Store) SeedEvents(ctx context.Context) error {
	return seedOnce(func() error { return s.seedEvents(ctx) })
}

func (s *Store) seedEvents(ctx context.Context) error {
	return s.inTx(ctx, func(t *tx) error {
		codes := map[string]int64{}
		for i, k := range event.DefaultKinds {
			var id int64
			err := t.queryRow(ctx, "SELECT id FROM event_kinds WHERE code = ?", k.Code).Scan(&id)
			if err == nil {
				codes[k.Code] = id
				continue
			}
			if mapErr(err) != errs.ErrNotFound {
				return mapErr(err)
			}
			name := k.Name
			var taken int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_kinds WHERE name = ?", name).Scan(&taken); err != nil {
				return mapErr(err)
			}
			if taken > 0 {
				continue // an administrator already made a kind of that name
			}
			if id, err = t.insert(ctx, `INSERT INTO event_kinds (code, name, category, audience, takes_attendance, counts_as_learning, credit_tenths,
				allows_makeup, records_decisions, needs_quorum, sort_order, disabled, version, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, k.Code, name, k.Category, k.Audience, k.TakesAttendance, k.CountsAsLearning,
				k.Credit, k.AllowsMakeup, k.RecordsDecisions, k.NeedsQuorum, (i+1)*10, false, t.s.Now()); err != nil {
				return err
			}
			codes[k.Code] = id
			for j, m := range k.Measures {
				if _, err := t.exec(ctx, "INSERT INTO event_kind_measures (kind_id, name, unit, aggregate, sort_order, disabled) VALUES (?, ?, ?, ?, ?, ?)",
					id, m.Name, m.Unit, m.Aggregate, j, false); err != nil {
					return err
				}
			}
		}
		var rules int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_rules").Scan(&rules); err != nil {
			return mapErr(err)
		}
		if rules > 0 {
			return nil
		}
		for _, r := range event.DefaultRules {
			kind := codes[r.KindCode]
			if r.KindCode != "" && kind == 0 {
				continue
			}
			if _, err := t.exec(ctx, "INSERT INTO event_rules (org_kind, kind_id, period, times, by_secretary, disabled, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
				r.OrgKind, nullID(kind), r.Period, r.Times, r.BySecretary, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// EventRules lists the compliance rules with their kinds' names.
func (s *Store) EventRules(ctx context.Context) ([]event.Rule, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.org_kind, COALESCE(r.kind_id, 0), COALESCE(k.name, ''), r.period, r.times, r.by_secretary, r.disabled, r.version
		FROM event_rules r LEFT JOIN event_kinds k ON k.id = r.kind_id ORDER BY r.org_kind, CASE r.period WHEN 'month' THEN 0 WHEN 'quarter' THEN 1
		WHEN 'year' THEN 2 ELSE 3 END, k.sort_order, r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Rule
	for rows.Next() {
		var r event.Rule
		if err := rows.Scan(&r.ID, &r.OrgKind, &r.KindID, &r.KindName, &r.Period, &r.Times, &r.BySecretary, &r.Disabled, &r.Version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveEventRule creates (ID 0) or changes a compliance rule.
func (s *Store) SaveEventRule(ctx context.Context, a audit.Actor, r *event.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		if r.KindID != 0 {
			k, err := t.kind(ctx, r.KindID)
			if err != nil {
				return notFoundAs(err, "kind_id", "event.kind_unknown")
			}
			r.KindName = k.Name
		}
		var before any
		if r.ID == 0 {
			id, err := t.insert(ctx, "INSERT INTO event_rules (org_kind, kind_id, period, times, by_secretary, disabled, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
				r.OrgKind, nullID(r.KindID), r.Period, r.Times, r.BySecretary, r.Disabled)
			if err != nil {
				return err
			}
			r.ID, r.Version = id, 1
		} else {
			var old event.Rule
			if err := t.queryRow(ctx, "SELECT org_kind, COALESCE(kind_id, 0), period, times, by_secretary, disabled FROM event_rules WHERE id = ?", r.ID).
				Scan(&old.OrgKind, &old.KindID, &old.Period, &old.Times, &old.BySecretary, &old.Disabled); err != nil {
				return mapErr(err)
			}
			before = old
			if err := t.update(ctx, `UPDATE event_rules SET org_kind = ?, kind_id = ?, period = ?, times = ?, by_secretary = ?, disabled = ?,
				version = version + 1 WHERE id = ? AND version = ?`, r.OrgKind, nullID(r.KindID), r.Period, r.Times, r.BySecretary, r.Disabled,
				r.ID, r.Version); err != nil {
				return err
			}
			r.Version++
		}
		return t.audit(ctx, a, Change{Action: "event_rule.save", ObjectType: "event_rule", ObjectID: r.ID, Before: before, After: *r})
	})
}
