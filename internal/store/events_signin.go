package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// SignInSecret is the key that signs the sign-in codes. It is made once, at
// random, and kept in the database, so every instance checks the codes
// another instance shows.
func (s *Store) SignInSecret(ctx context.Context) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	var secret string
	err := s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "INSERT INTO event_secrets (name, secret, created_at) VALUES ('signin', ?, ?) ON CONFLICT (name) DO NOTHING",
			hex.EncodeToString(b), t.s.Now()); err != nil {
			return err
		}
		return mapErr(t.queryRow(ctx, "SELECT secret FROM event_secrets WHERE name = 'signin'").Scan(&secret))
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(secret)
}

// SignInTarget is an event as a sign-in needs it: the event, whether its
// kind takes attendance, and whether QR sign-in is on for its organisation.
type SignInTarget struct {
	event.Event
	TakesAttendance bool
	QRSignIn        bool
}

// SignInEvent reads an event for the sign-in page of a person who holds a
// code: the code, not a scope, is what lets them in, and the page shows
// only the event's title, time and place. One query answers all a sign-in
// asks before it writes, since a room of hundreds asks at once.
func (s *Store) SignInEvent(ctx context.Context, id int64) (*SignInTarget, error) {
	var t SignInTarget
	var qr sql.NullBool
	e, err := scanEvent(scanFunc(func(dest ...any) error {
		return s.queryRow(ctx, "SELECT "+eventCols+`, k.takes_attendance,
			(SELECT st.qr_signin FROM event_org_settings st JOIN orgs so ON so.id = st.org_id
			 WHERE substr(e.org_path, 1, length(so.path)) = so.path ORDER BY length(so.path) DESC LIMIT 1)`+eventFrom+" WHERE e.id = ?", id).
			Scan(append(dest, &t.TakesAttendance, &qr)...)
	}))
	if err != nil {
		return nil, err
	}
	t.Event, t.QRSignIn = e, !qr.Valid || qr.Bool
	return &t, nil
}

// SignIn marks a person present at an event by their own QR sign-in, once:
// a second sign-in changes nothing and says when the first was. A person not
// on the frozen list is refused (event.ErrNotExpected) unless the event
// takes walk-ins, who are added as present but not expected. The code and
// the window were checked by the caller; the list is frozen here if it was
// not yet. On SQLite, sign-ins arriving together share one transaction
// (group commit), so a room of hundreds scanning at once waits for few disk
// flushes; each is still acknowledged only once it is durable.
func (s *Store) SignIn(ctx context.Context, a audit.Actor, eventID, personID int64, day date.Date) (event.SignedIn, error) {
	var out event.SignedIn
	err := s.grouped(ctx, func(t *tx) error {
		out = event.SignedIn{Day: day}
		var status event.Status
		var walkIns bool
		var frozen sql.NullTime
		var path string
		if err := t.queryRow(ctx, "SELECT status, walk_ins, frozen_at, org_path FROM events WHERE id = ?", eventID).
			Scan(&status, &walkIns, &frozen, &path); err != nil {
			return mapErr(err)
		}
		if status == event.Cancelled {
			return event.ErrCancelled
		}
		if !frozen.Valid {
			e, err := t.event(ctx, auth.Everything, eventID)
			if err != nil {
				return err
			}
			if err := t.freeze(ctx, e); err != nil {
				return err
			}
		}
		var mark event.Mark
		var expected bool
		var at sql.NullTime
		err := t.queryRow(ctx, "SELECT mark, expected, marked_at FROM event_attendance WHERE event_id = ? AND person_id = ? AND day = ?",
			eventID, personID, day).Scan(&mark, &expected, &at)
		now := t.s.Now().Truncate(time.Microsecond) // what both databases keep
		before := map[string]any{"person_id": personID, "day": day}
		switch err := mapErr(err); {
		case err == errs.ErrNotFound && !walkIns:
			return event.ErrNotExpected
		case err == errs.ErrNotFound:
			if _, err := t.exec(ctx, `INSERT INTO event_attendance (event_id, person_id, day, expected, mark, source, marked_at)
				VALUES (?, ?, ?, ?, 'present', 'qr', ?)`, eventID, personID, day, false, now); err != nil {
				return err
			}
			out.WalkIn, before = true, nil
		case err != nil:
			return err
		case mark == event.Present:
			out.Already, out.At = true, at.Time
			return nil
		default:
			if _, err := t.exec(ctx, `UPDATE event_attendance SET mark = 'present', leave_reason = '', source = 'qr', marked_at = ?
				WHERE event_id = ? AND person_id = ? AND day = ?`, now, eventID, personID, day); err != nil {
				return err
			}
			before["mark"] = mark
		}
		out.At = now
		return t.audit(ctx, a, Change{Action: "event.signin", ObjectType: "event", ObjectID: eventID, OrgPath: path, Before: before,
			After: map[string]any{"person_id": personID, "day": day, "mark": event.Present, "source": event.ByQR, "walk_in": out.WalkIn}})
	})
	return out, err
}

// batcher is the group commit of SQLite's single writer: the first caller
// to find it idle leads, running what is waiting in one transaction (each
// piece of work under its own savepoint, so one that fails undoes only
// itself), again and again until nothing waits. No goroutine outlives a call.
type batcher struct {
	mu      sync.Mutex
	pending []*batchWork
	leading bool
}

type batchWork struct {
	fn   func(*tx) error
	done chan error
}

// maxBatch bounds a group: enough to amortise the flush, short enough that
// the first in the group does not wait long.
const maxBatch = 256

// grouped runs fn in a write transaction shared with concurrent callers on
// SQLite, in its own transaction on PostgreSQL (which groups commits itself).
func (s *Store) grouped(ctx context.Context, fn func(*tx) error) error {
	if s.dialect != SQLite {
		return s.inTx(ctx, fn)
	}
	b := &s.signins
	w := &batchWork{fn: fn, done: make(chan error, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, w)
	if b.leading {
		b.mu.Unlock()
		return <-w.done
	}
	b.leading = true
	b.mu.Unlock()
	// The leader works for everyone in its group: its own caller going away
	// must not cancel their transaction.
	work := context.WithoutCancel(ctx)
	for {
		b.mu.Lock()
		group := b.pending[:min(len(b.pending), maxBatch)]
		b.pending = b.pending[len(group):]
		if len(group) == 0 {
			b.leading = false
			b.mu.Unlock()
			break
		}
		b.mu.Unlock()
		s.runGroup(work, group)
	}
	return <-w.done
}

func (s *Store) runGroup(ctx context.Context, group []*batchWork) {
	results := make([]error, len(group))
	err := s.inTx(ctx, func(t *tx) error {
		for i, w := range group {
			sp := fmt.Sprintf("w%d", i)
			if _, err := t.exec(ctx, "SAVEPOINT "+sp); err != nil {
				return err
			}
			results[i] = w.fn(t)
			if results[i] != nil {
				if _, err := t.exec(ctx, "ROLLBACK TO SAVEPOINT "+sp); err != nil {
					return err
				}
			}
			if _, err := t.exec(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
				return err
			}
		}
		return nil
	})
	for i, w := range group {
		if err != nil {
			w.done <- err
			continue
		}
		w.done <- results[i]
	}
}
