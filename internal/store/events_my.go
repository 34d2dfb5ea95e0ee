package store

import (
	"context"
	"strings"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/event"
)

// MyEvent is an event as a member sees it on their phone: when and where,
// and their own marks.
type MyEvent struct {
	event.Event
	Learning bool
	Marks    []event.Attendance // theirs; empty before the list is frozen
}

// MyEvents lists the events of the person a member's scope names, starting
// in [from, to): those whose frozen list holds them, and planned ones whose
// list is not frozen yet but will hold them (their organisation's, their
// committee's, or chosen), newest first.
func (s *Store) MyEvents(ctx context.Context, sc auth.Scope, from, to time.Time) ([]MyEvent, error) {
	if sc.PersonID == 0 {
		return nil, nil
	}
	p, err := s.Person(ctx, sc, sc.PersonID)
	if err != nil {
		return nil, err
	}
	// The organisation's ancestors' paths: an event of any of them expects
	// their members.
	var paths []any
	for i := 1; i < len(p.OrgPath); i++ {
		if p.OrgPath[i] == '/' {
			paths = append(paths, p.OrgPath[:i+1])
		}
	}
	audience := "e.audience = 'everyone'"
	if p.Status.IsMember() {
		audience = "e.audience IN ('members', 'everyone')"
	}
	q := "SELECT " + eventCols + ", CASE WHEN " + learningCond + " THEN 1 ELSE 0 END" + eventFrom +
		` WHERE e.planned_start >= ? AND e.planned_start < ? AND (
		EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id AND a.person_id = ?)
		OR (e.frozen_at IS NULL AND e.status = 'planned' AND (
			(` + audience + ` AND e.org_path IN (` + placeholders(len(paths)) + `))
			OR (e.audience = 'committee' AND EXISTS (SELECT 1 FROM committee_members c WHERE c.org_id = e.org_id AND c.person_id = ? AND c.to_date IS NULL))
			OR (e.audience = 'chosen' AND EXISTS (SELECT 1 FROM event_invitees i WHERE i.event_id = e.id AND i.person_id = ?)))))
		ORDER BY e.planned_start DESC, e.id DESC LIMIT 500`
	args := append([]any{from.UTC(), to.UTC(), p.ID}, paths...)
	rows, err := s.query(ctx, q, append(args, p.ID, p.ID)...)
	if err != nil {
		return nil, err
	}
	var out []MyEvent
	index := map[int64]int{}
	for rows.Next() {
		var m MyEvent
		e, err := scanEvent(scanFunc(func(d ...any) error { return rows.Scan(append(d, &m.Learning)...) }))
		if err != nil {
			rows.Close()
			return nil, err
		}
		m.Event = e
		index[e.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(out))
	args = nil
	for _, m := range out {
		ids = append(ids, "?")
		args = append(args, m.ID)
	}
	marks, err := s.query(ctx, `SELECT event_id, day, expected, mark, leave_reason, made_up_on, makeup_how, source FROM event_attendance
		WHERE person_id = ? AND event_id IN (`+strings.Join(ids, ", ")+`) ORDER BY event_id, day`, append([]any{p.ID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer marks.Close()
	for marks.Next() {
		a := event.Attendance{PersonID: p.ID, Name: p.Name}
		if err := marks.Scan(&a.EventID, &a.Day, &a.Expected, &a.Mark, &a.LeaveReason, &a.MadeUpOn, &a.MakeupHow, &a.Source); err != nil {
			return nil, err
		}
		if i, ok := index[a.EventID]; ok {
			out[i].Marks = append(out[i].Marks, a)
		}
	}
	return out, marks.Err()
}

// scanFunc lets a function stand where a row is scanned.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
