package store

import (
	"context"
	"database/sql"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/org"
)

// Events keep the organisation's path beside the organisation, as people
// do, so "every event under X" is one index range scan. Reads take the
// caller's scope: an event is visible to those whose subtree holds the
// organisation that held it.

const eventCols = `e.id, e.org_id, e.org_path, ` + orgLabel + `, e.kind_id, k.name, e.title, e.status, e.planned_start, e.planned_end,
	e.held_start, e.held_end, e.held_on, e.place, e.host, e.recorder, e.topics, e.minutes, e.cancel_reason, e.audience,
	e.credit_tenths, COALESCE(e.campaign_id, 0), e.walk_ins, e.qr_step, e.qr_margin, e.frozen_at, e.version, e.created_at, e.updated_at`

const eventFrom = ` FROM events e JOIN orgs o ON o.id = e.org_id JOIN event_kinds k ON k.id = e.kind_id`

func scanEvent(r scanner) (event.Event, error) {
	var e event.Event
	var heldStart, heldEnd, frozen sql.NullTime
	err := r.Scan(&e.ID, &e.OrgID, &e.OrgPath, &e.OrgName, &e.KindID, &e.KindName, &e.Title, &e.Status, &e.PlannedStart, &e.PlannedEnd,
		&heldStart, &heldEnd, &e.HeldOn, &e.Place, &e.Host, &e.Recorder, &e.Topics, &e.Minutes, &e.CancelReason, &e.Audience,
		&e.Credit, &e.CampaignID, &e.WalkIns, &e.QRStep, &e.QRMargin, &frozen, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	e.HeldStart, e.HeldEnd, e.FrozenAt = heldStart.Time, heldEnd.Time, frozen.Time
	return e, mapErr(err)
}

// eventScopeCond is the data-scope condition on events e. A member's scope
// (their own record) holds the events they are on the list of.
func eventScopeCond(sc auth.Scope) (string, []any) {
	if sc.PersonID != 0 {
		return "EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id AND a.person_id = ?)", []any{sc.PersonID}
	}
	lo, hi := sc.PathRange()
	return "e.org_path >= ? AND e.org_path < ?", []any{lo, hi}
}

// Event reads one event with its kinds, speakers, decisions and measures.
func (s *Store) Event(ctx context.Context, sc auth.Scope, id int64) (*event.Event, error) {
	var e *event.Event
	// A read in a write transaction would queue behind sign-ins on SQLite;
	// the parts are read from the read pool, each a consistent statement.
	cond, args := eventScopeCond(sc)
	one, err := scanEvent(s.queryRow(ctx, "SELECT "+eventCols+eventFrom+" WHERE e.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	e = &one
	return e, s.eventParts(ctx, s, e)
}

// eventParts fills the lists an event owns.
func (s *Store) eventParts(ctx context.Context, q querier, e *event.Event) error {
	e.AlsoKinds, e.Speakers, e.Decisions, e.Measures = nil, nil, nil, nil
	rows, err := q.query(ctx, "SELECT kind_id FROM event_kind_links WHERE event_id = ? AND kind_id <> ? ORDER BY kind_id", e.ID, e.KindID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		e.AlsoKinds = append(e.AlsoKinds, k)
	}
	rows.Close()
	if rows, err = q.query(ctx, "SELECT COALESCE(person_id, 0), name, title, topic FROM event_speakers WHERE event_id = ? ORDER BY sort_order, id", e.ID); err != nil {
		return err
	}
	for rows.Next() {
		var sp event.Speaker
		if err := rows.Scan(&sp.PersonID, &sp.Name, &sp.Title, &sp.Topic); err != nil {
			rows.Close()
			return err
		}
		e.Speakers = append(e.Speakers, sp)
	}
	rows.Close()
	if rows, err = q.query(ctx, "SELECT content FROM event_decisions WHERE event_id = ? ORDER BY sort_order, id", e.ID); err != nil {
		return err
	}
	for rows.Next() {
		var d event.Decision
		if err := rows.Scan(&d.Content); err != nil {
			rows.Close()
			return err
		}
		e.Decisions = append(e.Decisions, d)
	}
	rows.Close()
	if rows, err = q.query(ctx, `SELECT m.measure_id, km.name, km.unit, m.value FROM event_measures m JOIN event_kind_measures km ON km.id = m.measure_id
		WHERE m.event_id = ? ORDER BY km.kind_id, km.sort_order, km.id`, e.ID); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m event.MeasureValue
		if err := rows.Scan(&m.MeasureID, &m.Name, &m.Unit, &m.Value); err != nil {
			return err
		}
		e.Measures = append(e.Measures, m)
	}
	return rows.Err()
}

func (t *tx) event(ctx context.Context, sc auth.Scope, id int64) (*event.Event, error) {
	cond, args := eventScopeCond(sc)
	e, err := scanEvent(t.queryRow(ctx, "SELECT "+eventCols+eventFrom+" WHERE e.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &e, t.s.eventParts(ctx, t, &e)
}

// EventFilter narrows a listing of events. Zero fields do not filter.
type EventFilter struct {
	OrgID    int64 // this organisation's subtree (inside the scope)
	KindID   int64 // counting as this kind
	Status   event.Status
	From, To time.Time // starting in [From, To)
	Query    string    // in the title
	Limit    int
	Offset   int
}

// EventPage is one page of events and the total that matched.
type EventPage struct {
	Items []event.Event
	Total int
}

// Events lists events in the scope by start time, newest first.
func (s *Store) Events(ctx context.Context, sc auth.Scope, f EventFilter) (EventPage, error) {
	if f.OrgID != 0 {
		o, err := s.Org(ctx, sc, f.OrgID)
		if err != nil {
			return EventPage{}, notFoundAs(err, "org", "org.unknown")
		}
		sc = auth.Scope{OrgPath: o.Path, PersonID: sc.PersonID}
	}
	cond, args := eventScopeCond(sc)
	where := " WHERE " + cond
	if f.KindID != 0 {
		where += " AND EXISTS (SELECT 1 FROM event_kind_links l WHERE l.event_id = e.id AND l.kind_id = ?)"
		args = append(args, f.KindID)
	}
	if f.Status != "" {
		where, args = where+" AND e.status = ?", append(args, f.Status)
	}
	// The start is the held start once held: COALESCE keeps one ordering for both.
	if !f.From.IsZero() {
		where, args = where+" AND e.planned_start >= ?", append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = where+" AND e.planned_start < ?", append(args, f.To.UTC())
	}
	if f.Query != "" {
		where, args = where+` AND e.title LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape(f.Query)+"%")
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM events e"+where, args...).Scan(&total); err != nil {
		return EventPage{}, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	rows, err := s.query(ctx, "SELECT "+eventCols+eventFrom+where+" ORDER BY e.planned_start DESC, e.id DESC LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return EventPage{}, err
	}
	defer rows.Close()
	page := EventPage{Total: total}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return EventPage{}, err
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	return page, nil
}

// eventSnapshot is what the audit log keeps of an event.
func eventSnapshot(e *event.Event) map[string]any {
	return map[string]any{"org_id": e.OrgID, "kind_id": e.KindID, "also_kinds": e.AlsoKinds, "title": e.Title, "status": e.Status,
		"planned_start": e.PlannedStart, "planned_end": e.PlannedEnd, "held_start": nullTime(e.HeldStart), "held_end": nullTime(e.HeldEnd),
		"place": e.Place, "host": e.Host, "recorder": e.Recorder, "topics": e.Topics, "minutes": e.Minutes, "cancel_reason": e.CancelReason,
		"audience": e.Audience, "credit": e.Credit.String(), "campaign_id": e.CampaignID, "walk_ins": e.WalkIns, "qr_step": e.QRStep,
		"qr_margin": e.QRMargin, "speakers": e.Speakers, "decisions": e.Decisions, "measures": e.Measures}
}

// eventRefs checks what an event points to inside the scope (its
// organisation, its kinds, the people who speak and the people chosen) and
// validates it against its kind; it returns the organisation.
func (t *tx) eventRefs(ctx context.Context, sc auth.Scope, e *event.Event, invitees []int64) (*org.Org, *event.Kind, error) {
	o, err := t.org(ctx, sc, e.OrgID)
	if err != nil {
		return nil, nil, notFoundAs(err, "org_id", "org.unknown")
	}
	k, err := t.kind(ctx, e.KindID)
	if err != nil && err != errs.ErrNotFound {
		return nil, nil, err
	}
	e.Normalize(k)
	kinds := e.Kinds()
	for _, id := range kinds[1:] {
		if _, err := t.kind(ctx, id); err != nil {
			return nil, nil, notFoundAs(err, "also_kinds", "event.kind_unknown")
		}
	}
	measures, err := t.kindMeasures(ctx, kinds)
	if err != nil {
		return nil, nil, err
	}
	if err := e.Validate(k, measures); err != nil {
		return nil, nil, err
	}
	if e.ID == 0 && !o.ClosedOn.IsZero() {
		return nil, nil, errs.Field("org_id", "org.closed")
	}
	if err := t.checkEventCampaign(ctx, o.Path, e.CampaignID); err != nil {
		return nil, nil, err
	}
	for i, sp := range e.Speakers {
		if sp.PersonID == 0 {
			continue
		}
		// A speaker chosen now must be someone the user manages; one the
		// event already names (chosen by a higher organisation) stays.
		p, err := t.person(ctx, sc, sp.PersonID)
		if err == errs.ErrNotFound && e.ID != 0 {
			var n int
			if err = t.queryRow(ctx, "SELECT COUNT(*) FROM event_speakers WHERE event_id = ? AND person_id = ?", e.ID, sp.PersonID).Scan(&n); err == nil {
				if n > 0 {
					p, err = t.person(ctx, auth.Everything, sp.PersonID)
				} else {
					err = errs.ErrNotFound
				}
			}
		}
		if err != nil {
			return nil, nil, notFoundAs(err, "speakers", "event.speaker_out_of_scope")
		}
		if e.Speakers[i].Name == "" {
			e.Speakers[i].Name = p.Name
		}
	}
	for i, m := range e.Measures {
		e.Measures[i].Name, e.Measures[i].Unit = measures[m.MeasureID].Name, measures[m.MeasureID].Unit
	}
	if e.Audience == event.Chosen || len(invitees) > 0 {
		for _, id := range invitees {
			if _, err := t.person(ctx, sc, id); err != nil {
				return nil, nil, notFoundAs(err, "invitees", "person.unknown")
			}
		}
	}
	return o, k, nil
}

// EventInvitees lists the people chosen for an event in the scope.
func (s *Store) EventInvitees(ctx context.Context, sc auth.Scope, eventID int64) ([]int64, error) {
	if _, err := s.Event(ctx, sc, eventID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT person_id FROM event_invitees WHERE event_id = ? ORDER BY person_id", eventID)
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
