package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
)

// Each participant of a 组织生活会 or 民主生活会 has a record of their
// criticism and self-criticism and the problems found; a problem becomes a
// ledger item in one step, and each points to the other.

// lifeEvent reads an event in the scope that keeps life records.
func (t *tx) lifeEvent(ctx context.Context, sc auth.Scope, eventID int64) (*event.Event, error) {
	e, err := t.event(ctx, sc, eventID)
	if err != nil {
		return nil, err
	}
	if ok, err := isLifeEvent(ctx, t, e); err != nil || !ok {
		return nil, orField(err, "event_id", "ledger.not_life_event")
	}
	return e, nil
}

func orField(err error, field, key string) error {
	if err != nil {
		return err
	}
	return errs.Field(field, key)
}

// isLifeEvent reports whether an event counts as a 组织生活会 or 民主生活会.
func isLifeEvent(ctx context.Context, q rowQuerier, e *event.Event) (bool, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM event_kind_links l JOIN event_kinds k ON k.id = l.kind_id
		WHERE l.event_id = ? AND k.code IN ('org_life', 'democratic_life')`, e.ID).Scan(&n)
	return n > 0, mapErr(err)
}

// IsLifeEvent reports whether an event in the scope keeps life records (the
// event page shows its section only then).
func (s *Store) IsLifeEvent(ctx context.Context, sc auth.Scope, eventID int64) (bool, error) {
	e, err := s.Event(ctx, sc, eventID)
	if err != nil {
		return false, err
	}
	return isLifeEvent(ctx, s, e)
}

// LifeRecords lists the participants' records of an event in the scope,
// each with its problems.
func (s *Store) LifeRecords(ctx context.Context, sc auth.Scope, eventID int64) ([]ledger.LifeRecord, error) {
	if _, err := s.Event(ctx, sc, eventID); err != nil {
		return nil, err
	}
	return lifeRecords(ctx, s, eventID, 0)
}

func lifeRecords(ctx context.Context, q querier, eventID, recordID int64) ([]ledger.LifeRecord, error) {
	query := `SELECT r.id, r.event_id, r.person_id, p.name, r.self_criticism, r.criticism_given, r.criticism_received, r.version, r.updated_at
		FROM life_records r JOIN people p ON p.id = r.person_id WHERE r.event_id = ?`
	args := []any{eventID}
	if recordID != 0 {
		query, args = query+" AND r.id = ?", append(args, recordID)
	}
	rows, err := q.query(ctx, query+" ORDER BY p.name_sort, r.id", args...)
	if err != nil {
		return nil, err
	}
	var out []ledger.LifeRecord
	index := map[int64]int{}
	for rows.Next() {
		var r ledger.LifeRecord
		if err := rows.Scan(&r.ID, &r.EventID, &r.PersonID, &r.Name, &r.SelfCriticism, &r.CriticismGiven, &r.CriticismReceived, &r.Version, &r.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.query(ctx, "SELECT id, record_id, event_id, content, COALESCE(item_id, 0) FROM life_problems WHERE event_id = ? ORDER BY id", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p ledger.Problem
		if err := rows.Scan(&p.ID, &p.RecordID, &p.EventID, &p.Content, &p.ItemID); err != nil {
			return nil, err
		}
		if i, ok := index[p.RecordID]; ok {
			out[i].Problems = append(out[i].Problems, p)
		}
	}
	return out, rows.Err()
}

func lifeSnapshot(r *ledger.LifeRecord) map[string]any {
	return map[string]any{"event_id": r.EventID, "person_id": r.PersonID, "name": r.Name, "self_criticism": r.SelfCriticism,
		"criticism_given": r.CriticismGiven, "criticism_received": r.CriticismReceived}
}

// SaveLifeRecord writes a participant's record at a 组织生活会 / 民主生活会
// in the scope: a new one (ID 0) for a person on the event's list or in the
// scope, or an edit that starts from the record's current Version.
func (s *Store) SaveLifeRecord(ctx context.Context, a audit.Actor, sc auth.Scope, r *ledger.LifeRecord) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.lifeEvent(ctx, sc, r.EventID)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if r.ID == 0 {
			p, err := t.person(ctx, auth.Everything, r.PersonID)
			if err != nil {
				return notFoundAs(err, "person_id", "person.unknown")
			}
			var listed int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_attendance WHERE event_id = ? AND person_id = ?", e.ID, r.PersonID).Scan(&listed); err != nil {
				return mapErr(err)
			}
			if listed == 0 && !sc.Includes(p.OrgPath) {
				return errs.Field("person_id", "person.unknown")
			}
			r.Name = p.Name
			id, err := t.insert(ctx, `INSERT INTO life_records (event_id, person_id, self_criticism, criticism_given, criticism_received, version, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?)`, r.EventID, r.PersonID, r.SelfCriticism, r.CriticismGiven, r.CriticismReceived, now)
			if err != nil {
				return duplicateAs(err, "person_id", "ledger.record_exists")
			}
			r.ID, r.Version, r.UpdatedAt = id, 1, now
			return t.audit(ctx, a, Change{Action: "life_record.create", ObjectType: "life_record", ObjectID: id, OrgPath: e.OrgPath, After: lifeSnapshot(r)})
		}
		old, err := lifeRecords(ctx, t, r.EventID, r.ID)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return errs.ErrNotFound
		}
		if old[0].Version != r.Version {
			return errStale
		}
		r.PersonID, r.Name = old[0].PersonID, old[0].Name
		if err := t.update(ctx, `UPDATE life_records SET self_criticism = ?, criticism_given = ?, criticism_received = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, r.SelfCriticism, r.CriticismGiven, r.CriticismReceived, now, r.ID, r.Version); err != nil {
			return err
		}
		r.Version, r.UpdatedAt = r.Version+1, now
		return t.audit(ctx, a, Change{Action: "life_record.update", ObjectType: "life_record", ObjectID: r.ID, OrgPath: e.OrgPath,
			Before: lifeSnapshot(&old[0]), After: lifeSnapshot(r)})
	})
}

// AddLifeProblem records a problem found in a participant's record.
func (s *Store) AddLifeProblem(ctx context.Context, a audit.Actor, sc auth.Scope, p *ledger.Problem) error {
	if err := ledger.ValidateProblem(p); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.lifeEvent(ctx, sc, p.EventID)
		if err != nil {
			return err
		}
		recs, err := lifeRecords(ctx, t, p.EventID, p.RecordID)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return errs.ErrNotFound
		}
		if len(recs[0].Problems) >= ledger.MaxProblems {
			return errs.Field("content", "ledger.too_many_problems")
		}
		id, err := t.insert(ctx, "INSERT INTO life_problems (record_id, event_id, content, created_at) VALUES (?, ?, ?, ?)", p.RecordID, p.EventID, p.Content, t.s.Now())
		if err != nil {
			return err
		}
		p.ID = id
		return t.audit(ctx, a, Change{Action: "life_problem.create", ObjectType: "life_problem", ObjectID: id, OrgPath: e.OrgPath,
			After: map[string]any{"event_id": p.EventID, "record_id": p.RecordID, "person": recs[0].Name, "content": p.Content}})
	})
}

// DefaultDeadlineDays is how long a problem turned into a ledger item has
// by default, when the one who turns it does not say.
const DefaultDeadlineDays = 90

// LedgerFromProblem turns a problem found at a meeting into a ledger item in
// one step: the item's organisation is the meeting's, its problem the
// problem's text, its owner the participant and its campaign the meeting's,
// unless item says otherwise; the deadline defaults to DefaultDeadlineDays
// from today. The problem then points to the item and the item to the
// problem; a problem becomes one item only.
func (s *Store) LedgerFromProblem(ctx context.Context, a audit.Actor, sc auth.Scope, problemID int64, item *ledger.Item) error {
	return s.inTx(ctx, func(t *tx) error {
		var p ledger.Problem
		if err := t.queryRow(ctx, "SELECT id, record_id, event_id, content, COALESCE(item_id, 0) FROM life_problems WHERE id = ?", problemID).
			Scan(&p.ID, &p.RecordID, &p.EventID, &p.Content, &p.ItemID); err != nil {
			return mapErr(err)
		}
		e, err := t.lifeEvent(ctx, sc, p.EventID)
		if err != nil {
			return err
		}
		if p.ItemID != 0 {
			return errs.NewConflict("", "ledger.problem_has_item")
		}
		recs, err := lifeRecords(ctx, t, p.EventID, p.RecordID)
		if err != nil || len(recs) == 0 {
			return orNotFound(err)
		}
		item.Source, item.SourceID = ledger.LifeProblem, p.ID
		if item.OrgID == 0 {
			item.OrgID = e.OrgID
		}
		if item.Problem == "" {
			item.Problem = p.Content
		}
		if item.OwnerID == 0 {
			item.OwnerID = recs[0].PersonID
		}
		if item.CampaignID == 0 {
			item.CampaignID = e.CampaignID
		}
		if item.Deadline.IsZero() {
			item.Deadline = t.s.today().AddDate(0, 0, DefaultDeadlineDays)
		}
		if err := t.createLedgerItem(ctx, a, sc, item); err != nil {
			return err
		}
		if err := t.update(ctx, "UPDATE life_problems SET item_id = ? WHERE id = ? AND item_id IS NULL", item.ID, p.ID); err != nil {
			return err
		}
		item.EventID, item.SourceText = e.ID, e.Title+" · "+recs[0].Name
		return nil
	})
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return errs.ErrNotFound
}
