package store

import (
	"context"
	"database/sql"
	"strconv"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// EventAttendance lists an event's frozen list and marks, person by person
// and day by day, in the order of the roster (organisation, then name). It is
// empty before the list is frozen.
func (s *Store) EventAttendance(ctx context.Context, sc auth.Scope, eventID int64) ([]event.Attendance, error) {
	cond, args := eventScopeCond(sc)
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM events e WHERE e.id = ? AND "+cond, append([]any{eventID}, args...)...).Scan(&n); err != nil {
		return nil, mapErr(err)
	}
	if n == 0 {
		return nil, errs.ErrNotFound
	}
	q := `SELECT a.event_id, a.person_id, p.name, ` + orgLabel + `, a.day, a.expected, a.mark, a.leave_reason, a.made_up_on, a.makeup_how, a.source, a.marked_at
		FROM event_attendance a JOIN people p ON p.id = a.person_id JOIN orgs o ON o.id = p.org_id WHERE a.event_id = ?`
	qargs := []any{eventID}
	if sc.PersonID != 0 { // a member sees their own line only
		q, qargs = q+" AND a.person_id = ?", append(qargs, sc.PersonID)
	}
	rows, err := s.query(ctx, q+" ORDER BY o.path, p.name_sort, p.id, a.day", qargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Attendance
	for rows.Next() {
		var at event.Attendance
		var marked sql.NullTime
		if err := rows.Scan(&at.EventID, &at.PersonID, &at.Name, &at.OrgName, &at.Day, &at.Expected, &at.Mark, &at.LeaveReason,
			&at.MadeUpOn, &at.MakeupHow, &at.Source, &marked); err != nil {
			return nil, err
		}
		at.MarkedAt = marked.Time
		out = append(out, at)
	}
	return out, rows.Err()
}

// EventList is the list as an import matches rows against it: each person
// once, with their ID number (used only to tell apart two people of the same
// name, never shown). Before the list is frozen it is the list the roster
// would give now; reading it freezes nothing.
func (s *Store) EventList(ctx context.Context, sc auth.Scope, eventID int64) ([]event.ListPerson, error) {
	e, err := s.Event(ctx, sc, eventID)
	if err != nil {
		return nil, err
	}
	q := `SELECT DISTINCT p.id, p.name, p.id_number FROM event_attendance a JOIN people p ON p.id = a.person_id WHERE a.event_id = ? ORDER BY p.id`
	args := []any{eventID}
	if e.FrozenAt.IsZero() {
		ids, err := s.expectedPeople(ctx, s, e)
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		q, args = "SELECT p.id, p.name, p.id_number FROM people p WHERE p.id IN ("+placeholders(len(ids))+") ORDER BY p.id", int64sAny(ids)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.ListPerson
	for rows.Next() {
		var p event.ListPerson
		if err := rows.Scan(&p.PersonID, &p.Name, &p.IDNumber); err != nil {
			return nil, err
		}
		if p.IDNumber, err = s.seal.Open(p.IDNumber); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StartAttendance freezes the list of an event in the scope now (the
// projector view opens sign-in; the secretary starts marking), so the list
// can be shown and marked before the event is recorded as held.
func (s *Store) StartAttendance(ctx context.Context, a audit.Actor, sc auth.Scope, eventID int64) error {
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.event(ctx, sc, eventID)
		if err != nil {
			return err
		}
		if err := t.markable(ctx, e); err != nil {
			return err
		}
		if !e.FrozenAt.IsZero() {
			return nil
		}
		if err := t.freeze(ctx, e); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "event.freeze", ObjectType: "event", ObjectID: e.ID, OrgPath: e.OrgPath,
			After: map[string]any{"frozen_at": e.FrozenAt}})
	})
}

// markable refuses marks on an event that is cancelled or takes no attendance.
func (t *tx) markable(ctx context.Context, e *event.Event) error {
	if e.Status == event.Cancelled {
		return errs.NewConflict("", "event.cancelled")
	}
	k, err := t.kind(ctx, e.KindID)
	if err != nil {
		return err
	}
	if !k.TakesAttendance {
		return errs.NewConflict("", "event.no_attendance")
	}
	return nil
}

// markState is what a mark says, as the audit log keeps it before and after
// a change; after it, the person and day it concerns are named too, so the
// log reads "person 张伟 2026-06-30, mark present → absent".
type markState struct {
	Mark        string    `json:"mark"`
	LeaveReason string    `json:"leave_reason,omitempty"`
	MadeUpOn    date.Date `json:"made_up_on,omitzero"`
	MakeupHow   string    `json:"makeup_how,omitempty"`
	Source      string    `json:"source,omitempty"`
}

type markChange struct {
	Person string `json:"person"`
	markState
}

// MarkAttendance applies marks to an event's frozen list (freezing it first
// if needed): the secretary's batch, or the rows of an imported sheet
// (source says which). Every mark is checked first and one bad mark changes
// nothing. Each mark that changes a row is audited with the row before and
// after, so a correction of a QR sign-in shows who changed what. It returns
// how many rows changed.
func (s *Store) MarkAttendance(ctx context.Context, a audit.Actor, sc auth.Scope, eventID int64, marks []event.MarkInput, source event.Source) (int, error) {
	if len(marks) > event.MaxBatch {
		return 0, errs.Field("marks", "event.batch_too_large")
	}
	changed := 0
	err := s.inTx(ctx, func(t *tx) error {
		changed = 0
		e, err := t.event(ctx, sc, eventID)
		if err != nil {
			return err
		}
		if err := t.markable(ctx, e); err != nil {
			return err
		}
		k, err := t.kind(ctx, e.KindID)
		if err != nil {
			return err
		}
		days := e.Days()
		for i := range marks {
			if err := marks[i].Validate(days, k, ""); err != nil {
				return err
			}
		}
		if err := t.freeze(ctx, e); err != nil {
			return err
		}
		now := t.s.Now()
		for _, m := range marks {
			var old markState
			var name string
			err := t.queryRow(ctx, `SELECT p.name, a.mark, a.leave_reason, a.made_up_on, a.makeup_how, a.source
				FROM event_attendance a JOIN people p ON p.id = a.person_id WHERE a.event_id = ? AND a.person_id = ? AND a.day = ?`,
				e.ID, m.PersonID, m.Day).Scan(&name, &old.Mark, &old.LeaveReason, &old.MadeUpOn, &old.MakeupHow, &old.Source)
			if mapErr(err) == errs.ErrNotFound {
				return errs.Field("person_id", "event.not_on_list")
			}
			if err != nil {
				return mapErr(err)
			}
			next := markChange{Person: name + "（#" + strconv.FormatInt(m.PersonID, 10) + "）" + m.Day.String(),
				markState: markState{Mark: string(m.Mark), LeaveReason: m.LeaveReason, MadeUpOn: m.MadeUpOn, MakeupHow: m.MakeupHow, Source: string(source)}}
			if old.Mark == next.Mark && old.LeaveReason == next.LeaveReason && old.MadeUpOn == next.MadeUpOn && old.MakeupHow == next.MakeupHow {
				continue
			}
			if _, err := t.exec(ctx, `UPDATE event_attendance SET mark = ?, leave_reason = ?, made_up_on = ?, makeup_how = ?, source = ?, marked_at = ?
				WHERE event_id = ? AND person_id = ? AND day = ?`, m.Mark, m.LeaveReason, m.MadeUpOn, m.MakeupHow, source, now,
				e.ID, m.PersonID, m.Day); err != nil {
				return err
			}
			changed++
			if err := t.audit(ctx, a, Change{Action: "event.mark", ObjectType: "event", ObjectID: e.ID, OrgPath: e.OrgPath,
				Before: old, After: next}); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}
