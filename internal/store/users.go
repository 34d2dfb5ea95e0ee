package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

const userCols = `u.id, u.username, u.display_name, u.role, COALESCE(u.org_id, 0), COALESCE(o.path, '/'), COALESCE(u.person_id, 0),
	u.password_hash, u.password_changed_at, u.must_change, u.failures, u.locked_until, u.disabled, u.totp_secret, u.version, u.created_at`

const userFrom = ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id`

func scanUser(r scanner) (*auth.User, error) {
	var u auth.User
	var locked *time.Time
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.OrgID, &u.OrgPath, &u.PersonID, &u.PasswordHash,
		&u.PasswordChangedAt, &u.MustChange, &u.Failures, &locked, &u.Disabled, &u.TOTPSecret, &u.Version, &u.CreatedAt)
	if err != nil {
		return nil, mapErr(err)
	}
	if locked != nil {
		u.LockedUntil = *locked
	}
	return &u, nil
}

// userSnapshot is what the audit log keeps of an account (never the hash).
func userSnapshot(u *auth.User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"org_id": u.OrgID, "person_id": u.PersonID, "disabled": u.Disabled, "must_change": u.MustChange}
}

// UserByUsername reads an account for login.
func (s *Store) UserByUsername(ctx context.Context, username string) (*auth.User, error) {
	return scanUser(s.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.username = ?", username))
}

// UserByPerson reads the account linked to a roster person, if any.
func (s *Store) UserByPerson(ctx context.Context, personID int64) (*auth.User, error) {
	return scanUser(s.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.person_id = ? ORDER BY u.id LIMIT 1", personID))
}

// User reads an account by id.
func (s *Store) User(ctx context.Context, id int64) (*auth.User, error) {
	return userByID(ctx, s, id)
}

func userByID(ctx context.Context, q rowQuerier, id int64) (*auth.User, error) {
	return scanUser(q.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.id = ?", id))
}

// UserFilter narrows Users.
type UserFilter struct {
	Query  string
	Role   auth.Role
	Limit  int
	Offset int
}

// Users lists accounts for the administrators, with the total.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]auth.User, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, `(u.username LIKE ? ESCAPE '\' OR u.display_name LIKE ? ESCAPE '\')`)
		args = append(args, "%"+likeEscape(q)+"%", "%"+likeEscape(q)+"%")
	}
	if f.Role != "" {
		where, args = append(where, "u.role = ?"), append(args, f.Role)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM users u"+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.query(ctx, "SELECT "+userCols+userFrom+cond+" ORDER BY u.id LIMIT ? OFFSET ?", append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *u)
	}
	return out, total, rows.Err()
}

// CountUsers tells whether the installation still needs its first account.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, mapErr(err)
}

// CreateUser adds an account; u.PasswordHash must be set.
func (s *Store) CreateUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error { return t.createUser(ctx, a, u) })
}

func (t *tx) createUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE username = ?", u.Username).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n > 0 {
		return errs.NewConflict("username", "user.username_taken")
	}
	if u.OrgID != 0 {
		o, err := t.org(ctx, auth.Everything, u.OrgID)
		if err != nil {
			return notFoundAs(err, "org_id", "org.unknown")
		}
		u.OrgPath = o.Path
	}
	if u.PersonID != 0 {
		var path string
		if err := t.queryRow(ctx, "SELECT org_path FROM people WHERE id = ?", u.PersonID).Scan(&path); err != nil {
			return notFoundAs(mapErr(err), "person_id", "person.unknown")
		}
		if u.OrgPath != "" && !strings.HasPrefix(path, u.OrgPath) {
			return errs.Field("person_id", "user.person_outside_org")
		}
	}
	now := t.s.Now()
	id, err := t.insert(ctx, `INSERT INTO users (username, display_name, role, org_id, person_id, password_hash, password_changed_at,
		must_change, failures, disabled, totp_secret, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', 1, ?)`,
		u.Username, u.DisplayName, u.Role, nullID(u.OrgID), nullID(u.PersonID), u.PasswordHash, now, u.MustChange, u.Disabled, now)
	if err != nil {
		return err
	}
	u.ID, u.Version, u.CreatedAt, u.PasswordChangedAt = id, 1, now, now
	return t.audit(ctx, a, Change{Action: "user.create", ObjectType: "user", ObjectID: id, After: userSnapshot(u)})
}

// SetPassword replaces an account's password and ends all its sessions.
// mustChange forces a new password at next login (after an administrator's reset).
func (s *Store) SetPassword(ctx context.Context, a audit.Actor, userID int64, hash string, mustChange bool) error {
	return s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, userID)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = ?, failures = 0,
			locked_until = NULL, version = version + 1 WHERE id = ?`, hash, t.s.Now(), mustChange, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		after := *u
		after.MustChange = mustChange
		return t.audit(ctx, a, Change{Action: "user.password", ObjectType: "user", ObjectID: userID, Before: userSnapshot(u), After: userSnapshot(&after)})
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions.
func (s *Store) SetDisabled(ctx context.Context, a audit.Actor, userID int64, disabled bool) error {
	return s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, userID)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE users SET disabled = ?, version = version + 1 WHERE id = ?", disabled, userID); err != nil {
			return err
		}
		if disabled {
			if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
				return err
			}
		}
		after := *u
		after.Disabled = disabled
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return t.audit(ctx, a, Change{Action: action, ObjectType: "user", ObjectID: userID, Before: userSnapshot(u), After: userSnapshot(&after)})
	})
}

// Unlock clears a lockout before it runs out.
func (s *Store) Unlock(ctx context.Context, a audit.Actor, userID int64) error {
	return s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, userID)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE users SET failures = 0, locked_until = NULL WHERE id = ?", userID); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "user.unlock", ObjectType: "user", ObjectID: userID,
			Before: map[string]any{"failures": u.Failures, "locked_until": u.LockedUntil}, After: map[string]any{"failures": 0}})
	})
}

// LoginFailed counts a failed password for an existing account and locks it
// when the policy's limit is reached. It reports whether the account is now locked.
func (s *Store) LoginFailed(ctx context.Context, a audit.Actor, userID int64, p auth.LockoutPolicy) (bool, error) {
	locked := false
	err := s.inTx(ctx, func(t *tx) error {
		var failures int
		if err := t.queryRow(ctx, "UPDATE users SET failures = failures + 1 WHERE id = ? RETURNING failures", userID).Scan(&failures); err != nil {
			return mapErr(err)
		}
		change := Change{Action: "login.failure", ObjectType: "user", ObjectID: userID, After: map[string]any{"failures": failures}}
		if failures >= p.MaxFailures {
			until := t.s.Now().Add(p.LockFor)
			if _, err := t.exec(ctx, "UPDATE users SET failures = 0, locked_until = ? WHERE id = ?", until, userID); err != nil {
				return err
			}
			locked = true
			change.Action = "login.locked"
			change.After = map[string]any{"failures": failures, "locked_until": until}
		}
		return t.audit(ctx, a, change)
	})
	return locked, err
}

// StartSession records a successful login: the failure count resets and the
// new session is stored by its token hash.
func (s *Store) StartSession(ctx context.Context, a audit.Actor, sess *auth.Session) error {
	return s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "UPDATE users SET failures = 0, locked_until = NULL WHERE id = ?", sess.UserID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sess.TokenHash, sess.UserID, sess.CreatedAt.UTC(), sess.LastSeen.UTC(), sess.ExpiresAt.UTC(), sess.IP, truncate(sess.UserAgent, 200)); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "login.success", ObjectType: "user", ObjectID: sess.UserID})
	})
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

// touchEvery limits how often a busy session's last-seen time is written.
const touchEvery = time.Minute

// SessionUser resolves a token hash to its live session and account. An
// expired or idle session, or one whose account is disabled, is deleted and
// reported as unauthenticated.
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
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeen) >= p.Idle || u.Disabled {
		if _, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE token_hash = ?"), tokenHash); err != nil {
			return nil, nil, mapErr(err)
		}
		return nil, nil, errs.ErrUnauthenticated
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE sessions SET last_seen = ? WHERE token_hash = ?"), now, tokenHash); err != nil {
			return nil, nil, mapErr(err)
		}
		sess.LastSeen = now
	}
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

// CreateSetupToken stores the hash of a one-time link that creates the first
// administrator of a fresh installation.
func (s *Store) CreateSetupToken(ctx context.Context, hash string, expires time.Time) error {
	return s.inTx(ctx, func(t *tx) error {
		_, err := t.exec(ctx, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)", hash, expires.UTC())
		return err
	})
}

// ValidSetupToken reports whether a setup link may still be used.
func (s *Store) ValidSetupToken(ctx context.Context, hash string) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		AND NOT EXISTS (SELECT 1 FROM users)`, hash, s.Now()).Scan(&n)
	return n > 0, mapErr(err)
}

// UseSetupToken creates the first account through a setup link, once: the
// token is spent and the account created in one transaction, and only while
// the installation has no account at all.
func (s *Store) UseSetupToken(ctx context.Context, a audit.Actor, hash string, u *auth.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			AND NOT EXISTS (SELECT 1 FROM users)`, t.s.Now(), hash, t.s.Now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.ErrNotFound
		}
		return t.createUser(ctx, a, u)
	})
}
