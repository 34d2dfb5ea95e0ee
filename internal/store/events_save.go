package store

import (
	"context"
	"slices"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// heldOn is the China date an event counts on: its held start's.
func heldOn(e *event.Event) date.Date {
	if e.Status != event.Held || e.HeldStart.IsZero() {
		return date.Date{}
	}
	return date.FromTime(e.HeldStart.In(event.China))
}

// CreateEvent plans (or records after the fact) an event of an organisation
// in the scope. invitees are the people chosen when the audience is a
// chosen list. An event recorded as held has its list frozen at once.
func (s *Store) CreateEvent(ctx context.Context, a audit.Actor, sc auth.Scope, e *event.Event, invitees []int64) error {
	return s.inTx(ctx, func(t *tx) error { return t.createEvent(ctx, a, sc, e, invitees) })
}

// createEvent is CreateEvent inside a transaction (a study plan creates its
// sessions in one).
func (t *tx) createEvent(ctx context.Context, a audit.Actor, sc auth.Scope, e *event.Event, invitees []int64) error {
	o, _, err := t.eventRefs(ctx, sc, e, invitees)
	if err != nil {
		return err
	}
	now := t.s.Now()
	e.OrgPath, e.OrgName, e.HeldOn = o.Path, o.Name, heldOn(e)
	id, err := t.insert(ctx, `INSERT INTO events (org_id, org_path, kind_id, title, status, planned_start, planned_end, held_start, held_end, held_on,
		place, host, recorder, topics, minutes, cancel_reason, audience, credit_tenths, campaign_id, walk_ins, qr_step, qr_margin,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		e.OrgID, o.Path, e.KindID, e.Title, e.Status, e.PlannedStart.UTC(), e.PlannedEnd.UTC(), nullTime(e.HeldStart), nullTime(e.HeldEnd),
		e.HeldOn, e.Place, e.Host, e.Recorder, e.Topics, e.Minutes, e.CancelReason, e.Audience, e.Credit, nullID(e.CampaignID),
		e.WalkIns, e.QRStep, e.QRMargin, now, now)
	if err != nil {
		return err
	}
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = id, 1, now, now
	t.heldChanged(o.Path, e.HeldOn)
	if err := t.saveEventParts(ctx, e); err != nil {
		return err
	}
	if err := t.setInvitees(ctx, e, invitees); err != nil {
		return err
	}
	if e.Status == event.Held {
		if err := t.freeze(ctx, e); err != nil {
			return err
		}
	}
	return t.audit(ctx, a, Change{Action: "event.create", ObjectType: "event", ObjectID: id, OrgPath: o.Path,
		After: withInvitees(eventSnapshot(e), invitees)})
}

// UpdateEvent saves an edited event; e.Version must be the version the edit
// started from. invitees replace the chosen list when setInvitees is true.
// Marking it held freezes its list; changing its days after the list was
// frozen adds the new days and drops the removed ones, unless a removed day
// already has marks.
func (s *Store) UpdateEvent(ctx context.Context, a audit.Actor, sc auth.Scope, e *event.Event, invitees []int64, setInvitees bool) error {
	return s.inTx(ctx, func(t *tx) error {
		old, err := t.event(ctx, sc, e.ID)
		if err != nil {
			return err
		}
		if old.OrgID != e.OrgID {
			return errs.Field("org_id", "event.org_fixed")
		}
		if e.Version != old.Version {
			return errStale
		}
		oldInvitees, err := t.invitees(ctx, e.ID)
		if err != nil {
			return err
		}
		if !setInvitees {
			invitees = oldInvitees
		}
		o, _, err := t.eventRefs(ctx, sc, e, invitees)
		if err != nil {
			return err
		}
		now := t.s.Now()
		e.HeldOn = heldOn(e)
		if err := t.update(ctx, `UPDATE events SET kind_id = ?, title = ?, status = ?, planned_start = ?, planned_end = ?, held_start = ?, held_end = ?,
			held_on = ?, place = ?, host = ?, recorder = ?, topics = ?, minutes = ?, cancel_reason = ?, audience = ?, credit_tenths = ?,
			campaign_id = ?, walk_ins = ?, qr_step = ?, qr_margin = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			e.KindID, e.Title, e.Status, e.PlannedStart.UTC(), e.PlannedEnd.UTC(), nullTime(e.HeldStart), nullTime(e.HeldEnd), e.HeldOn,
			e.Place, e.Host, e.Recorder, e.Topics, e.Minutes, e.CancelReason, e.Audience, e.Credit, nullID(e.CampaignID), e.WalkIns,
			e.QRStep, e.QRMargin, now, e.ID, e.Version); err != nil {
			return err
		}
		e.OrgPath, e.OrgName, e.FrozenAt, e.CreatedAt, e.UpdatedAt, e.Version = o.Path, o.Name, old.FrozenAt, old.CreatedAt, now, e.Version+1
		t.heldChanged(o.Path, old.HeldOn, e.HeldOn)
		if err := t.saveEventParts(ctx, e); err != nil {
			return err
		}
		if !e.FrozenAt.IsZero() && old.Audience != e.Audience {
			return errs.Field("audience", "event.audience_frozen")
		}
		if setInvitees {
			if err := t.setInvitees(ctx, e, invitees); err != nil {
				return err
			}
		}
		if !e.FrozenAt.IsZero() {
			if err := t.realignDays(ctx, e, old.Days()); err != nil {
				return err
			}
		} else if e.Status == event.Held {
			if err := t.freeze(ctx, e); err != nil {
				return err
			}
		}
		return t.audit(ctx, a, Change{Action: "event.update", ObjectType: "event", ObjectID: e.ID, OrgPath: o.Path,
			Before: withInvitees(eventSnapshot(old), oldInvitees), After: withInvitees(eventSnapshot(e), invitees)})
	})
}

func withInvitees(snap map[string]any, invitees []int64) map[string]any {
	if len(invitees) > 0 {
		snap["invitees"] = invitees
	}
	return snap
}

// saveEventParts replaces the kinds, speakers, decisions and measures of an event.
func (t *tx) saveEventParts(ctx context.Context, e *event.Event) error {
	for _, table := range []string{"event_kind_links", "event_speakers", "event_decisions", "event_measures"} {
		if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE event_id = ?", e.ID); err != nil {
			return err
		}
	}
	for _, k := range e.Kinds() {
		if _, err := t.exec(ctx, "INSERT INTO event_kind_links (event_id, kind_id) VALUES (?, ?)", e.ID, k); err != nil {
			return err
		}
	}
	if err := t.rekind(ctx, e.ID, e.Kinds()); err != nil {
		return err
	}
	for i, sp := range e.Speakers {
		if _, err := t.exec(ctx, "INSERT INTO event_speakers (event_id, person_id, name, title, topic, sort_order) VALUES (?, ?, ?, ?, ?, ?)",
			e.ID, nullID(sp.PersonID), sp.Name, sp.Title, sp.Topic, i); err != nil {
			return err
		}
	}
	for i, d := range e.Decisions {
		if _, err := t.exec(ctx, "INSERT INTO event_decisions (event_id, content, sort_order) VALUES (?, ?, ?)", e.ID, d.Content, i); err != nil {
			return err
		}
	}
	for _, m := range e.Measures {
		if _, err := t.exec(ctx, "INSERT INTO event_measures (event_id, measure_id, value) VALUES (?, ?, ?)", e.ID, m.MeasureID, m.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) invitees(ctx context.Context, eventID int64) ([]int64, error) {
	return t.ids(ctx, "SELECT person_id FROM event_invitees WHERE event_id = ? ORDER BY person_id", eventID)
}

// ids reads one column of identifiers.
func (t *tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return idList(ctx, t, q, args...)
}

// setInvitees replaces the chosen list. Once the list is frozen, a person
// added is expected on every day, and one taken off leaves it only if
// nothing was marked for them yet.
func (t *tx) setInvitees(ctx context.Context, e *event.Event, invitees []int64) error {
	old, err := t.invitees(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, id := range old {
		if slices.Contains(invitees, id) {
			continue
		}
		if !e.FrozenAt.IsZero() {
			var marked int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_attendance WHERE event_id = ? AND person_id = ? AND mark <> 'unmarked'", e.ID, id).Scan(&marked); err != nil {
				return mapErr(err)
			}
			if marked > 0 {
				return errs.Field("invitees", "event.invitee_has_marks")
			}
			if _, err := t.exec(ctx, "DELETE FROM event_attendance WHERE event_id = ? AND person_id = ?", e.ID, id); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, "DELETE FROM event_invitees WHERE event_id = ? AND person_id = ?", e.ID, id); err != nil {
			return err
		}
	}
	var added []int64
	for _, id := range invitees {
		if slices.Contains(old, id) || slices.Contains(added, id) {
			continue
		}
		added = append(added, id)
		if _, err := t.exec(ctx, "INSERT INTO event_invitees (event_id, person_id) VALUES (?, ?)", e.ID, id); err != nil {
			return err
		}
	}
	if e.FrozenAt.IsZero() || len(added) == 0 {
		return nil
	}
	for _, d := range e.Days() {
		if _, err := t.exec(ctx, "UPDATE event_attendance SET expected = ? WHERE event_id = ? AND day = ? AND person_id IN ("+placeholders(len(added))+")",
			append([]any{true, e.ID, d}, int64sAny(added)...)...); err != nil {
			return err
		}
		if err := t.insertAttendance(ctx, e.ID, d, true, added); err != nil {
			return err
		}
	}
	return nil
}

func int64sAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// insertAttendance adds unmarked rows for people on a day, leaving rows that
// exist alone, many rows a statement.
func (t *tx) insertAttendance(ctx context.Context, eventID int64, day date.Date, expected bool, people []int64) error {
	const chunk = 200
	for start := 0; start < len(people); start += chunk {
		part := people[start:min(start+chunk, len(people))]
		q := "INSERT INTO event_attendance (event_id, person_id, day, expected, mark, source) VALUES "
		args := make([]any, 0, 4*len(part))
		for i, id := range part {
			if i > 0 {
				q += ", "
			}
			q += "(?, ?, ?, ?, 'unmarked', '')"
			args = append(args, eventID, id, day, expected)
		}
		if _, err := t.exec(ctx, q+" ON CONFLICT (event_id, person_id, day) DO NOTHING", args...); err != nil {
			return err
		}
	}
	return nil
}

// freeze takes the expected list from the roster, once: the members (or
// everyone) of the organisation's subtree, its committee, or the chosen
// people, on the roster at that moment. Later arrivals and departures do not
// change it.
func (t *tx) freeze(ctx context.Context, e *event.Event) error {
	if !e.FrozenAt.IsZero() {
		return nil
	}
	now := t.s.Now()
	res, err := t.exec(ctx, "UPDATE events SET frozen_at = ? WHERE id = ? AND frozen_at IS NULL", now, e.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		// Another request froze it first (PostgreSQL waited for it here).
		return mapErr(t.queryRow(ctx, "SELECT frozen_at FROM events WHERE id = ?", e.ID).Scan(&e.FrozenAt))
	}
	e.FrozenAt = now
	days := e.Days()
	people, err := t.s.expectedPeople(ctx, t, e)
	if err != nil {
		return err
	}
	for _, d := range days {
		if err := t.insertAttendance(ctx, e.ID, d, true, people); err != nil {
			return err
		}
	}
	return nil
}

// expectedPeople is who the roster says is expected at an event now: the
// members (or everyone) of its organisation's subtree, its committee, or the
// people chosen.
func (s *Store) expectedPeople(ctx context.Context, q querier, e *event.Event) ([]int64, error) {
	lo, hi := auth.Scope{OrgPath: e.OrgPath}.PathRange()
	switch e.Audience {
	case event.Members:
		return idList(ctx, q, "SELECT id FROM people WHERE org_path >= ? AND org_path < ? AND left_on IS NULL AND status IN ('probationary', 'full') ORDER BY id", lo, hi)
	case event.Everyone:
		return idList(ctx, q, "SELECT id FROM people WHERE org_path >= ? AND org_path < ? AND left_on IS NULL ORDER BY id", lo, hi)
	case event.CommitteeSeats:
		first := e.Days()[0]
		return idList(ctx, q, `SELECT DISTINCT c.person_id FROM committee_members c JOIN people p ON p.id = c.person_id
			WHERE c.org_id = ? AND c.from_date <= ? AND (c.to_date IS NULL OR c.to_date >= ?) AND p.left_on IS NULL ORDER BY c.person_id`,
			e.OrgID, first, first)
	}
	return idList(ctx, q, "SELECT person_id FROM event_invitees WHERE event_id = ? ORDER BY person_id", e.ID)
}

// idList reads one column of identifiers.
func idList(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// realignDays keeps a frozen list in step with the event's days after its
// times changed.
func (t *tx) realignDays(ctx context.Context, e *event.Event, oldDays []date.Date) error {
	days := e.Days()
	// The list is read before any old day goes: an event moved to days all
	// new keeps the people it expected.
	expected, err := t.ids(ctx, "SELECT DISTINCT person_id FROM event_attendance WHERE event_id = ? AND expected ORDER BY person_id", e.ID)
	if err != nil {
		return err
	}
	for _, d := range oldDays {
		if slices.Contains(days, d) {
			continue
		}
		var marked int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_attendance WHERE event_id = ? AND day = ? AND mark <> 'unmarked'", e.ID, d).Scan(&marked); err != nil {
			return mapErr(err)
		}
		if marked > 0 {
			return errs.Field("held_end", "event.day_has_marks")
		}
		if _, err := t.exec(ctx, "DELETE FROM event_attendance WHERE event_id = ? AND day = ?", e.ID, d); err != nil {
			return err
		}
	}
	for _, d := range days {
		if slices.Contains(oldDays, d) {
			continue
		}
		if err := t.insertAttendance(ctx, e.ID, d, true, expected); err != nil {
			return err
		}
	}
	return nil
}

// FreezeEvent takes the expected list of an event from the roster now, if it
// was not taken yet: the job that runs at the planned start calls it, so the
// list is the roster of the day the event began.
func (s *Store) FreezeEvent(ctx context.Context, a audit.Actor, id int64) error {
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.event(ctx, auth.Everything, id)
		if err != nil {
			return err
		}
		// Frozen already, cancelled, or moved to a later start (whose own job
		// will come): nothing to do.
		if !e.FrozenAt.IsZero() || e.Status == event.Cancelled || t.s.Now().Before(e.PlannedStart.Add(-time.Minute)) {
			return nil
		}
		if err := t.freeze(ctx, e); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "event.freeze", ObjectType: "event", ObjectID: e.ID, OrgPath: e.OrgPath,
			After: map[string]any{"frozen_at": e.FrozenAt}})
	})
}
