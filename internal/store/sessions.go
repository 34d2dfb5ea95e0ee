package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// LoginFailed counts a failed password for an existing account and locks it
// when the policy's limit is reached. It reports whether the account is now locked.
func (s *Store) LoginFailed(ctx context.Context, a audit.Actor, userID int64, p auth.LockoutPolicy) (bool, error) {
	return s.loginFailed(ctx, a, userID, p, nil)
}

// loginFailed counts a failure of either step of a login; why is added to
// the audit record (a wrong code says so).
func (s *Store) loginFailed(ctx context.Context, a audit.Actor, userID int64, p auth.LockoutPolicy, why map[string]any) (bool, error) {
	locked := false
	err := s.inTx(ctx, func(t *tx) error {
		// A lock keeps its count, so the security administrator sees how
		// many failures locked the account; once the lock has run out, the
		// next failure starts a new count.
		var failures int
		now := t.s.Now()
		if err := t.queryRow(ctx, `UPDATE users SET
				failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failures + 1 END,
				locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN NULL ELSE locked_until END
			WHERE id = ? RETURNING failures`, now, now, userID).Scan(&failures); err != nil {
			return mapErr(err)
		}
		after := map[string]any{"failures": failures}
		change := Change{Action: "login.failure", ObjectType: "user", ObjectID: userID, After: after}
		if failures >= p.MaxFailures {
			until := now.Add(p.LockFor)
			if _, err := t.exec(ctx, "UPDATE users SET locked_until = ? WHERE id = ?", until, userID); err != nil {
				return err
			}
			// A locked account's waiting second steps die with the lock.
			if _, err := t.exec(ctx, "DELETE FROM login_challenges WHERE user_id = ?", userID); err != nil {
				return err
			}
			locked = true
			change.Action = "login.locked"
			after["locked_until"] = until
		}
		for k, v := range why {
			after[k] = v
		}
		return t.audit(ctx, a, change)
	})
	return locked, err
}

// StartSession records a successful login: the failure count resets and the
// new session is stored by its token hash. A login with a password someone
// else set (a reset, an activation) is recorded as such, naming who set it,
// so the audit administrator sees every use of an issued password.
func (s *Store) StartSession(ctx context.Context, a audit.Actor, sess *auth.Session) error {
	return s.inTx(ctx, func(t *tx) error { return t.startSession(ctx, a, sess, nil) })
}

// startSession is StartSession inside a transaction; how adds to the audit
// record how the login was made (the second factor used).
func (t *tx) startSession(ctx context.Context, a audit.Actor, sess *auth.Session, how map[string]any) error {
	var issuedBy string
	var issuedAt *time.Time
	if err := t.queryRow(ctx, "UPDATE users SET failures = 0, locked_until = NULL WHERE id = ? RETURNING issued_by, issued_at",
		sess.UserID).Scan(&issuedBy, &issuedAt); err != nil {
		return mapErr(err)
	}
	if _, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		sess.TokenHash, sess.UserID, sess.CreatedAt.UTC(), sess.LastSeen.UTC(), sess.ExpiresAt.UTC(), sess.IP, truncate(sess.UserAgent, 200)); err != nil {
		return err
	}
	change := Change{Action: "login.success", ObjectType: "user", ObjectID: sess.UserID}
	if how != nil {
		change.After = how
	}
	if issuedBy != "" {
		change.Action = "login.temporary"
		after := map[string]any{"issued_by": issuedBy, "issued_at": issuedAt}
		for k, v := range how {
			after[k] = v
		}
		change.After = after
	}
	return t.audit(ctx, a, change)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// prefixed scans some leading columns into its own destinations before
// handing the rest to a scanner-based reader such as scanUser.
type prefixed struct {
	r   scanner
	pre []any
}

func (p prefixed) Scan(dest ...any) error { return p.r.Scan(append(p.pre, dest...)...) }

// touchEvery is how often a busy session's last-seen time is written at
// most; requests in between are remembered by the instance (seenTimes).
const touchEvery = time.Minute

// SessionUser resolves a token hash to its live session and account. An
// expired or idle session, or one whose account is disabled, is deleted and
// reported as unauthenticated.
//
// A session ends exactly Idle after its last request, although last_seen is
// written at most once a step (touchEvery, or Idle/2 when that is shorter):
// a request that is not written is remembered by this instance, which
// checks against it, and written within a step by a background flush, so
// any other instance sees it before it could matter there. Only a crash
// loses those times, ending sessions up to a step early.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, p auth.SessionPolicy) (*auth.User, *auth.Session, error) {
	// One query for the session and its account: every request asks it.
	var sess auth.Session
	row := s.queryRow(ctx, `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen, s.expires_at, s.ip, s.user_agent, `+userCols+
		` FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?`, tokenHash)
	u, err := scanUser(prefixed{row, []any{&sess.TokenHash, &sess.UserID, &sess.CreatedAt, &sess.LastSeen, &sess.ExpiresAt, &sess.IP, &sess.UserAgent}})
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil, errs.ErrUnauthenticated
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	last := sess.LastSeen
	if at, ok := s.seen.at(tokenHash); ok && at.After(last) {
		last = at
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(last) >= p.Idle || u.Disabled || u.Pending() {
		s.seen.forget(tokenHash, now)
		if _, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE token_hash = ?"), tokenHash); err != nil {
			return nil, nil, mapErr(err)
		}
		return nil, nil, errs.ErrUnauthenticated
	}
	step := min(touchEvery, p.Idle/2)
	if now.Sub(sess.LastSeen) < step {
		s.seen.note(tokenHash, now, step, s.flushSeen)
	} else {
		if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?"), now, tokenHash, now); err != nil {
			return nil, nil, mapErr(err)
		}
		s.seen.forget(tokenHash, now)
	}
	sess.LastSeen = now
	return u, &sess, nil
}

// EndSession is a logout.
func (s *Store) EndSession(ctx context.Context, a audit.Actor, tokenHash string, userID int64) error {
	return s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "logout", ObjectType: "user", ObjectID: userID})
	})
}

// seenTimes remembers, per session, the latest request this instance served
// whose time is not yet in the database, and writes them all within a step.
type seenTimes struct {
	mu      sync.Mutex
	pending map[string]time.Time
	timer   *time.Timer
	within  time.Duration // the shortest step asked for: how soon to write
	closed  bool
	flushMu sync.Mutex // one flush at a time; Close waits for a running one
}

func (st *seenTimes) at(token string) (time.Time, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, ok := st.pending[token]
	return t, ok
}

// note remembers a request and arms the flush, if it is not armed yet.
func (st *seenTimes) note(token string, at time.Time, within time.Duration, flush func(context.Context) error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if prev, ok := st.pending[token]; ok && prev.After(at) {
		return
	}
	if st.pending == nil {
		st.pending = map[string]time.Time{}
	}
	st.pending[token] = at
	if st.within == 0 || within < st.within {
		st.within = within
	}
	if st.timer == nil && !st.closed {
		st.timer = time.AfterFunc(within, func() { flush(context.Background()) })
	}
}

// forget drops a remembered time that the database now holds (or that no
// longer matters): one no later than upTo.
func (st *seenTimes) forget(token string, upTo time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if t, ok := st.pending[token]; ok && !t.After(upTo) {
		delete(st.pending, token)
	}
}

// flushSeen writes the remembered times in one transaction. Each stays
// remembered until it is written, so a check never sees an older time than
// the last request; one that fails to be written is tried again.
func (s *Store) flushSeen(ctx context.Context) error {
	st := &s.seen
	st.flushMu.Lock()
	defer st.flushMu.Unlock()
	st.mu.Lock()
	st.timer = nil
	batch := make(map[string]time.Time, len(st.pending))
	for k, v := range st.pending {
		batch[k] = v
	}
	st.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(t *tx) error {
		for token, at := range batch {
			if _, err := t.exec(ctx, "UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?", at, token, at); err != nil {
				return err
			}
		}
		return nil
	})
	st.mu.Lock()
	defer st.mu.Unlock()
	if err == nil {
		for token, at := range batch {
			if t, ok := st.pending[token]; ok && !t.After(at) {
				delete(st.pending, token)
			}
		}
	}
	if len(st.pending) > 0 && st.timer == nil && !st.closed {
		st.timer = time.AfterFunc(st.within, func() { s.flushSeen(context.Background()) })
	}
	return err
}

// closeSeen writes what is remembered before the connections close, so a
// restart keeps sessions exact too.
func (s *Store) closeSeen() error {
	s.seen.mu.Lock()
	s.seen.closed = true
	if s.seen.timer != nil {
		s.seen.timer.Stop()
		s.seen.timer = nil
	}
	s.seen.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.flushSeen(ctx)
}
