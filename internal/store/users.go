package store

import (
	"context"
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
