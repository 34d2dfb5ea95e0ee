package store

import (
	"context"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// The rules of accounts, refused with the same message whether the store's
// own check or a unique index (a concurrent writer on PostgreSQL) caught it.
var (
	errUsernameTaken    = errs.NewConflict("username", "user.username_taken")
	errPersonHasAccount = errs.NewConflict("person_id", "user.person_has_account")
	errSelfAccount      = errs.NewConflict("", "user.self_forbidden")
	errNotPending       = errs.NewConflict("", "user.not_pending")
	errPending          = errs.NewConflict("", "user.pending")
	errOwnProposal      = errs.NewConflict("", "user.own_proposal")
)

const userCols = `u.id, u.username, u.display_name, u.role, COALESCE(u.org_id, 0), COALESCE(o.path, '/'), COALESCE(u.person_id, 0),
	u.password_hash, u.password_changed_at, u.must_change, u.failures, u.locked_until, u.disabled, u.totp_step, u.version, u.created_at,
	COALESCE(u.created_by, 0), u.activated_at, u.issued_by, u.issued_at, u.totp_enrolled_at`

const userFrom = ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id`

func scanUser(r scanner) (*auth.User, error) {
	var u auth.User
	var locked, activated, issued, enrolled *time.Time
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.OrgID, &u.OrgPath, &u.PersonID, &u.PasswordHash,
		&u.PasswordChangedAt, &u.MustChange, &u.Failures, &locked, &u.Disabled, &u.TOTPStep, &u.Version, &u.CreatedAt,
		&u.CreatedBy, &activated, &u.IssuedBy, &issued, &enrolled)
	if err != nil {
		return nil, mapErr(err)
	}
	for _, t := range []struct {
		dst *time.Time
		src *time.Time
	}{{&u.LockedUntil, locked}, {&u.ActivatedAt, activated}, {&u.IssuedAt, issued}, {&u.TOTPEnrolledAt, enrolled}} {
		if t.src != nil {
			*t.dst = *t.src
		}
	}
	return &u, nil
}

// userSnapshot is what the audit log keeps of an account (never the hash).
func userSnapshot(u *auth.User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"org_id": u.OrgID, "person_id": u.PersonID, "disabled": u.Disabled, "must_change": u.MustChange,
		"pending": u.Pending(), "issued_by": u.IssuedBy, "second_factor": u.Enrolled()}
}

// UserByUsername reads an account for login. Usernames are one name
// whatever their case: "Committee" is "committee".
func (s *Store) UserByUsername(ctx context.Context, username string) (*auth.User, error) {
	return scanUser(s.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE lower(u.username) = lower(?)", username))
}

// UserByPerson reads the account linked to a roster person, if any.
func (s *Store) UserByPerson(ctx context.Context, personID int64) (*auth.User, error) {
	return scanUser(s.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.person_id = ?", personID))
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
	Query   string
	Role    auth.Role
	Pending bool // only accounts waiting for activation
	Limit   int
	Offset  int
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
	if f.Pending {
		where = append(where, "u.activated_at IS NULL")
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

// CreateUser adds an account that works at once, with the password hash
// given: the way of the operator (the console, the setup link, the demo and
// tests), who owns the machine. Nobody logged in may: a working login takes
// two people (ProposeUser, then ActivateUser by another), so the store
// refuses an actor that is an account. A password someone must change
// (MustChange) is marked as issued by the actor.
func (s *Store) CreateUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	if a.UserID != 0 {
		return errs.ErrForbidden
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return errs.Field("password", "password.empty")
	}
	return s.inTx(ctx, func(t *tx) error { return t.createUser(ctx, a, u) })
}

func (t *tx) createUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	now := t.s.Now()
	u.ActivatedAt, u.CreatedBy = now, 0
	u.IssuedBy, u.IssuedAt = "", time.Time{}
	if u.MustChange {
		u.IssuedBy, u.IssuedAt = a.Username, now
	}
	if err := t.insertUser(ctx, a, u, "user.create"); err != nil {
		return err
	}
	return t.remember(ctx, u.ID, u.PasswordHash, now)
}

// ProposeUser is how the system administrator creates an account: with its
// role and scope but no password, pending until the security administrator
// activates it. Until then nothing can log in to it.
func (s *Store) ProposeUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.PasswordHash, u.MustChange, u.CreatedBy = "", false, a.UserID
	u.ActivatedAt, u.IssuedBy, u.IssuedAt = time.Time{}, "", time.Time{}
	return s.inTx(ctx, func(t *tx) error { return t.insertUser(ctx, a, u, "user.create") })
}

// ActivateUser approves a pending account exactly as it was proposed and
// gives it a temporary password (hash) that must be changed at first login.
// The one who proposed it may not approve it.
func (s *Store) ActivateUser(ctx context.Context, a audit.Actor, id int64, temporaryHash string) (*auth.User, error) {
	var out *auth.User
	err := s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, id)
		if err != nil {
			return err
		}
		switch {
		case !u.Pending():
			return errNotPending
		case a.UserID == id:
			return errSelfAccount
		case a.UserID != 0 && a.UserID == u.CreatedBy:
			return errOwnProposal
		}
		// The organisation or the person may have changed since the proposal.
		if err := t.checkAccount(ctx, u); err != nil {
			return err
		}
		now := t.s.Now()
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = TRUE, issued_by = ?, issued_at = ?,
			activated_at = ?, failures = 0, locked_until = NULL, version = version + 1 WHERE id = ? AND activated_at IS NULL`,
			temporaryHash, now, a.Username, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 { // another security administrator was quicker
			return errNotPending
		}
		after := *u
		after.PasswordChangedAt, after.MustChange, after.IssuedBy, after.IssuedAt, after.ActivatedAt = now, true, a.Username, now, now
		after.Version++
		out = &after
		return t.audit(ctx, a, Change{Action: "user.activate", ObjectType: "user", ObjectID: id, Before: userSnapshot(u), After: userSnapshot(&after)})
	})
	return out, err
}

// RejectUser removes a pending account the security administrator will not
// approve, so its username and person are free for a correct proposal.
func (s *Store) RejectUser(ctx context.Context, a audit.Actor, id int64) error {
	return s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, id)
		if err != nil {
			return err
		}
		if !u.Pending() {
			return errNotPending
		}
		if _, err := t.exec(ctx, "DELETE FROM users WHERE id = ? AND activated_at IS NULL", id); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "user.reject", ObjectType: "user", ObjectID: id, Before: userSnapshot(u)})
	})
}

// OpenMemberAccount gives a person of the caller's scope their own login:
// role member, linked to them, working at once with a temporary password
// (hash) they must change at first login. The person must be inside the
// scope, still on the roster, and without an account.
func (s *Store) OpenMemberAccount(ctx context.Context, a audit.Actor, sc auth.Scope, personID int64, username, temporaryHash string) (*auth.User, error) {
	var u *auth.User
	err := s.inTx(ctx, func(t *tx) error {
		p, err := t.person(ctx, sc, personID)
		if err != nil {
			return err
		}
		now := t.s.Now()
		u = &auth.User{Username: username, DisplayName: p.Name, Role: auth.Member, OrgID: p.OrgID, PersonID: personID,
			PasswordHash: temporaryHash, MustChange: true, CreatedBy: a.UserID, ActivatedAt: now, IssuedBy: a.Username, IssuedAt: now}
		if err := u.Validate(); err != nil {
			return err
		}
		return t.insertUser(ctx, a, u, "user.create")
	})
	return u, err
}

// insertUser checks an account's rules and writes it as it stands.
func (t *tx) insertUser(ctx context.Context, a audit.Actor, u *auth.User, action string) error {
	if err := t.checkAccount(ctx, u); err != nil {
		return err
	}
	now := t.s.Now()
	id, err := t.insert(ctx, `INSERT INTO users (username, display_name, role, org_id, person_id, password_hash, password_changed_at,
		must_change, failures, disabled, totp_secret, version, created_at, created_by, activated_at, issued_by, issued_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', 1, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, u.Role, nullID(u.OrgID), nullID(u.PersonID), u.PasswordHash, now, u.MustChange, u.Disabled, now,
		nullID(u.CreatedBy), nullTime(u.ActivatedAt), u.IssuedBy, nullTime(u.IssuedAt))
	if err != nil {
		return err
	}
	u.ID, u.Version, u.CreatedAt, u.PasswordChangedAt = id, 1, now, now
	return t.audit(ctx, a, Change{Action: action, ObjectType: "user", ObjectID: id, After: userSnapshot(u)})
}

// checkAccount holds the rules of an account's name and links: no other
// account has the username in any case; the organisation exists; a linked
// person exists, is still on the roster, sits inside the organisation and
// has no other account. SQLite runs one write transaction at a time, so the
// checks are exact there; on PostgreSQL unique indexes catch a concurrent
// writer and are refused with the same messages (uniqueIndexes).
func (t *tx) checkAccount(ctx context.Context, u *auth.User) error {
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE lower(username) = lower(?) AND id <> ?", u.Username, u.ID).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n > 0 {
		return errUsernameTaken
	}
	u.OrgPath = ""
	if u.OrgID != 0 {
		o, err := t.org(ctx, auth.Everything, u.OrgID)
		if err != nil {
			return notFoundAs(err, "org_id", "org.unknown")
		}
		u.OrgPath = o.Path
	}
	if u.PersonID == 0 {
		return nil
	}
	var path string
	var left bool
	if err := t.queryRow(ctx, "SELECT org_path, left_on IS NOT NULL FROM people WHERE id = ?", u.PersonID).Scan(&path, &left); err != nil {
		return notFoundAs(mapErr(err), "person_id", "person.unknown")
	}
	switch {
	case left:
		return errs.NewConflict("person_id", "person.already_left")
	case u.OrgPath != "" && !strings.HasPrefix(path, u.OrgPath):
		return errs.Field("person_id", "user.person_outside_org")
	}
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE person_id = ? AND id <> ?", u.PersonID, u.ID).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n > 0 {
		return errPersonHasAccount
	}
	return nil
}

// SetDisabled disables or enables an account; disabling ends its sessions.
// Nobody changes their own account this way: one administrator must not
// lock every administrator out, themselves included.
func (s *Store) SetDisabled(ctx context.Context, a audit.Actor, userID int64, disabled bool) error {
	if a.UserID == userID {
		return errSelfAccount
	}
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
// the installation has no account at all. Its owner chose the password.
func (s *Store) UseSetupToken(ctx context.Context, a audit.Actor, hash string, u *auth.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.MustChange = false
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
