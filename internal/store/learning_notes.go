package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
)

const noteCols = `n.id, n.person_id, p.name, n.org_path, n.kind, n.title, n.body, n.chars, n.written_on,
	COALESCE(n.event_id, 0), COALESCE(e.title, ''), COALESCE(n.material_id, 0), COALESCE(m.title, ''),
	COALESCE(n.campaign_id, 0), COALESCE(c.name, ''), n.version, n.created_at, n.updated_at`

const noteFrom = ` FROM learning_notes n JOIN people p ON p.id = n.person_id
	LEFT JOIN events e ON e.id = n.event_id LEFT JOIN learning_materials m ON m.id = n.material_id
	LEFT JOIN campaigns c ON c.id = n.campaign_id`

func scanNote(r scanner) (learning.Note, error) {
	var n learning.Note
	err := r.Scan(&n.ID, &n.PersonID, &n.PersonName, &n.OrgPath, &n.Kind, &n.Title, &n.Body, &n.Chars, &n.WrittenOn,
		&n.EventID, &n.EventTitle, &n.MaterialID, &n.Material, &n.CampaignID, &n.Campaign, &n.Version, &n.CreatedAt, &n.UpdatedAt)
	return n, mapErr(err)
}

// noteScopeCond limits notes to the scope: a member's own, or those written
// in the subtree.
func noteScopeCond(sc auth.Scope) (string, []any) {
	if sc.PersonID != 0 {
		return "n.person_id = ?", []any{sc.PersonID}
	}
	lo, hi := sc.PathRange()
	return "n.org_path >= ? AND n.org_path < ?", []any{lo, hi}
}

// NoteFilter narrows a listing of notes. Zero fields do not filter.
type NoteFilter struct {
	PersonID int64
	Kind     learning.NoteKind
	From, To date.Date // written in [From, To]
	Limit    int
	Offset   int
}

// LearningNotes lists notes in the scope, newest first, with the total.
func (s *Store) LearningNotes(ctx context.Context, sc auth.Scope, f NoteFilter) ([]learning.Note, int, error) {
	cond, args := noteScopeCond(sc)
	if f.PersonID != 0 {
		cond, args = cond+" AND n.person_id = ?", append(args, f.PersonID)
	}
	if f.Kind != "" {
		cond, args = cond+" AND n.kind = ?", append(args, f.Kind)
	}
	if !f.From.IsZero() {
		cond, args = cond+" AND n.written_on >= ?", append(args, f.From)
	}
	if !f.To.IsZero() {
		cond, args = cond+" AND n.written_on <= ?", append(args, f.To)
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM learning_notes n WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.query(ctx, "SELECT "+noteCols+noteFrom+" WHERE "+cond+" ORDER BY n.written_on DESC, n.id DESC LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []learning.Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// LearningNote reads one note in the scope.
func (s *Store) LearningNote(ctx context.Context, sc auth.Scope, id int64) (*learning.Note, error) {
	return s.note(ctx, s, sc, id)
}

func (s *Store) note(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*learning.Note, error) {
	cond, args := noteScopeCond(sc)
	n, err := scanNote(q.queryRow(ctx, "SELECT "+noteCols+noteFrom+" WHERE n.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// noteRefs checks who writes and what the note is about: the writer in the
// scope (a member writes only their own), a session they were expected at or
// that their organisation (or one above it) held, a material they can see.
func (t *tx) noteRefs(ctx context.Context, sc auth.Scope, n *learning.Note) (string, error) {
	if sc.PersonID != 0 && n.PersonID != sc.PersonID {
		return "", errs.ErrNotFound
	}
	p, err := t.person(ctx, sc, n.PersonID)
	if err != nil {
		return "", notFoundAs(err, "person_id", "person.unknown")
	}
	if !p.LeftOn.IsZero() {
		return "", errs.Field("person_id", "learning.person_left")
	}
	self := auth.Scope{OrgPath: "/", PersonID: p.ID}
	if n.EventID != 0 {
		var ok int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM events e WHERE e.id = ? AND e.status <> 'cancelled' AND (
			EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id AND a.person_id = ?)
			OR ? LIKE e.org_path || '%')`, n.EventID, p.ID, p.OrgPath).Scan(&ok); err != nil {
			return "", mapErr(err)
		}
		if ok == 0 {
			return "", errs.Field("event_id", "learning.event_unknown")
		}
	}
	if n.MaterialID != 0 {
		if _, err := t.s.material(ctx, t, self, n.MaterialID); err != nil {
			return "", notFoundAs(err, "material_id", "learning.material_unknown")
		}
	}
	if err := t.checkEventCampaign(ctx, p.OrgPath, n.CampaignID); err != nil {
		return "", err
	}
	return p.OrgPath, nil
}

// SaveLearningNote writes a new note (ID 0) or saves an edit of one (its
// Version the one the edit started from). A note counts on the China date
// it was first written.
func (s *Store) SaveLearningNote(ctx context.Context, a audit.Actor, sc auth.Scope, n *learning.Note) error {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		var before *learning.Note
		if n.ID != 0 {
			old, err := t.s.note(ctx, t, sc, n.ID)
			if err != nil {
				return err
			}
			if old.PersonID != n.PersonID {
				return errs.Field("person_id", "learning.writer_fixed")
			}
			before = old
		}
		path, err := t.noteRefs(ctx, sc, n)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if before == nil {
			n.WrittenOn = date.FromTime(now.In(event.China))
			id, err := t.insert(ctx, `INSERT INTO learning_notes (person_id, org_path, kind, title, body, chars, written_on, event_id, material_id,
				campaign_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				n.PersonID, path, n.Kind, n.Title, n.Body, n.Chars, n.WrittenOn, nullID(n.EventID), nullID(n.MaterialID), nullID(n.CampaignID), now, now)
			if err != nil {
				return err
			}
			n.ID, n.OrgPath, n.Version, n.CreatedAt, n.UpdatedAt = id, path, 1, now, now
		} else {
			if err := t.update(ctx, `UPDATE learning_notes SET kind = ?, title = ?, body = ?, chars = ?, event_id = ?, material_id = ?,
				campaign_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
				n.Kind, n.Title, n.Body, n.Chars, nullID(n.EventID), nullID(n.MaterialID), nullID(n.CampaignID), now, n.ID, n.Version); err != nil {
				return err
			}
			n.OrgPath, n.WrittenOn, n.CreatedAt, n.UpdatedAt, n.Version = before.OrgPath, before.WrittenOn, before.CreatedAt, now, n.Version+1
		}
		action := "learning.note_create"
		ch := Change{ObjectType: "learning_note", ObjectID: n.ID, OrgPath: n.OrgPath, After: noteSnapshot(n)}
		if before != nil {
			action, ch.Before = "learning.note_update", noteSnapshot(before)
		}
		ch.Action = action
		return t.audit(ctx, a, ch)
	})
}

// noteSnapshot is what the audit log keeps of a note: what and how long,
// not the text (a member's reflections are theirs).
func noteSnapshot(n *learning.Note) map[string]any {
	return map[string]any{"person_id": n.PersonID, "kind": n.Kind, "title": n.Title, "chars": n.Chars,
		"event_id": n.EventID, "material_id": n.MaterialID, "campaign_id": n.CampaignID, "written_on": n.WrittenOn}
}

// DeleteLearningNote removes a note; the audit record keeps what it was.
func (s *Store) DeleteLearningNote(ctx context.Context, a audit.Actor, sc auth.Scope, id int64) error {
	return s.inTx(ctx, func(t *tx) error {
		n, err := t.s.note(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM learning_notes WHERE id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "learning.note_delete", ObjectType: "learning_note", ObjectID: id, OrgPath: n.OrgPath,
			Before: noteSnapshot(n)})
	})
}

// noteTotals adds up the notes written in the subtree in the span:
// characters of study notes, and reflections.
func (s *Store) noteTotals(ctx context.Context, sub auth.Scope, span event.Span) (chars, reflections int, err error) {
	lo, hi := sub.PathRange()
	err = mapErr(s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN kind = 'note' THEN chars ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'reflection' THEN 1 ELSE 0 END), 0)
		FROM learning_notes WHERE org_path >= ? AND org_path < ? AND written_on >= ? AND written_on < ?`,
		lo, hi, span.Start, span.End).Scan(&chars, &reflections))
	return chars, reflections, err
}

// RecordLearningNotes enters notes written earlier, each with the day it
// was written (a secretary transcribing handwritten notebooks, the demo):
// all or none, none dated in the future, each audited.
func (s *Store) RecordLearningNotes(ctx context.Context, a audit.Actor, sc auth.Scope, notes []learning.Note) error {
	for i := range notes {
		notes[i].Normalize()
		if err := notes[i].Validate(); err != nil {
			return err
		}
		if notes[i].WrittenOn.IsZero() {
			return errs.Field("written_on", "required")
		}
	}
	return s.inTx(ctx, func(t *tx) error {
		now := t.s.Now()
		today := date.FromTime(now.In(event.China))
		paths := map[int64]string{}
		for i := range notes {
			n := &notes[i]
			if n.WrittenOn.After(today) {
				return errs.Field("written_on", "learning.written_in_future")
			}
			path, ok := paths[n.PersonID]
			if !ok || n.EventID != 0 || n.MaterialID != 0 || n.CampaignID != 0 {
				var err error
				if path, err = t.noteRefs(ctx, sc, n); err != nil {
					return err
				}
				paths[n.PersonID] = path
			}
			id, err := t.insert(ctx, `INSERT INTO learning_notes (person_id, org_path, kind, title, body, chars, written_on, event_id, material_id,
				campaign_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				n.PersonID, path, n.Kind, n.Title, n.Body, n.Chars, n.WrittenOn, nullID(n.EventID), nullID(n.MaterialID), nullID(n.CampaignID), now, now)
			if err != nil {
				return err
			}
			n.ID, n.OrgPath, n.Version, n.CreatedAt, n.UpdatedAt = id, path, 1, now, now
			if err := t.audit(ctx, a, Change{Action: "learning.note_record", ObjectType: "learning_note", ObjectID: id, OrgPath: path,
				After: noteSnapshot(n)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// NoteSession is a learning session a member may write about.
type NoteSession struct {
	ID     int64     `json:"id"`
	Title  string    `json:"title"`
	HeldOn date.Date `json:"held_on"`
}

// NoteSessions are the held learning sessions of the last days whose list
// holds the member of the scope, newest first: what their notes may be about.
func (s *Store) NoteSessions(ctx context.Context, sc auth.Scope, since date.Date) ([]NoteSession, error) {
	if sc.PersonID == 0 {
		return nil, nil
	}
	rows, err := s.query(ctx, `SELECT e.id, e.title, e.held_on FROM events e WHERE e.status = 'held' AND e.held_on >= ? AND `+learningCond+`
		AND EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id AND a.person_id = ?) ORDER BY e.held_on DESC, e.id DESC LIMIT 30`,
		since, sc.PersonID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NoteSession
	for rows.Next() {
		var n NoteSession
		if err := rows.Scan(&n.ID, &n.Title, &n.HeldOn); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CampaignNotes adds up the notes of a campaign written in the scope:
// characters of study notes and reflections, for its figures drawn alone.
func (s *Store) CampaignNotes(ctx context.Context, sc auth.Scope, campaignID int64) (chars, reflections int, err error) {
	cond, args := noteScopeCond(sc)
	err = mapErr(s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN n.kind = 'note' THEN n.chars ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN n.kind = 'reflection' THEN 1 ELSE 0 END), 0) FROM learning_notes n WHERE n.campaign_id = ? AND `+cond,
		append([]any{campaignID}, args...)...).Scan(&chars, &reflections))
	return chars, reflections, err
}
