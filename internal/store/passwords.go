package store

import (
	"context"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// ChoosePassword sets a password a person chose: the account's owner, or the
// operator at the console (who owns the machine). It must pass the policy,
// differ from the current password and from the policy's number of earlier
// chosen ones, so an administrator who took an account over cannot quietly
// hand the owner's old password back. A password the owner did not choose
// must be changed at their next login, which is told who set it. Every
// session of the account ends.
func (s *Store) ChoosePassword(ctx context.Context, a audit.Actor, userID int64, password string, p auth.PasswordPolicy) error {
	owner := a.UserID == userID
	if !owner && a.UserID != 0 {
		return errs.ErrForbidden // an administrator issues temporary passwords (ResetPassword), never chosen ones
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if u.Pending() {
		return errPending
	}
	if err := p.Check(u.Username, password); err != nil {
		return err
	}
	// The hashes are compared outside the write transaction (each costs an
	// argon2 run); the update below is guarded by the version read here.
	if auth.VerifyPassword(u.PasswordHash, password) {
		return errs.Field("password", "password.same")
	}
	if p.HistorySize > 0 {
		old, err := s.passwordHistory(ctx, userID, p.HistorySize)
		if err != nil {
			return err
		}
		for _, h := range old {
			if auth.VerifyPassword(h, password) {
				return errs.Field("password", "password.reused")
			}
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		now := t.s.Now()
		after := *u
		after.PasswordChangedAt, after.MustChange, after.IssuedBy, after.IssuedAt = now, !owner, "", time.Time{}
		if !owner {
			after.IssuedBy, after.IssuedAt = a.Username, now
		}
		if err := t.update(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = ?, issued_by = ?, issued_at = ?,
			failures = 0, locked_until = NULL, version = version + 1 WHERE id = ? AND version = ?`,
			hash, now, after.MustChange, after.IssuedBy, nullTime(after.IssuedAt), userID, u.Version); err != nil {
			return err
		}
		if err := t.remember(ctx, userID, hash, now); err != nil {
			return err
		}
		if err := t.trimHistory(ctx, userID, p.HistorySize); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "user.password", ObjectType: "user", ObjectID: userID, Before: userSnapshot(u), After: userSnapshot(&after)})
	})
}

// ResetPassword gives an active account a temporary password (hash) the
// administrator hands to its owner, who must change it at the next login and
// is told there who reset it and when; every session of the account ends.
// Nobody resets their own password this way.
func (s *Store) ResetPassword(ctx context.Context, a audit.Actor, userID int64, temporaryHash string) (*auth.User, error) {
	if a.UserID == userID {
		return nil, errSelfAccount
	}
	var out *auth.User
	err := s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, userID)
		if err != nil {
			return err
		}
		if u.Pending() {
			return errPending
		}
		now := t.s.Now()
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = TRUE, issued_by = ?, issued_at = ?,
			failures = 0, locked_until = NULL, version = version + 1 WHERE id = ?`, temporaryHash, now, a.Username, now, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		after := *u
		after.PasswordChangedAt, after.MustChange, after.IssuedBy, after.IssuedAt = now, true, a.Username, now
		after.Failures, after.LockedUntil, after.Version = 0, time.Time{}, u.Version+1
		out = &after
		return t.audit(ctx, a, Change{Action: "user.reset", ObjectType: "user", ObjectID: userID, Before: userSnapshot(u), After: userSnapshot(&after)})
	})
	return out, err
}

// passwordHistory returns the hashes of the account's last n chosen passwords.
func (s *Store) passwordHistory(ctx context.Context, userID int64, n int) ([]string, error) {
	rows, err := s.query(ctx, "SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?", userID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// remember keeps the hash of a chosen password in the account's history.
func (t *tx) remember(ctx context.Context, userID int64, hash string, at time.Time) error {
	_, err := t.exec(ctx, "INSERT INTO password_history (user_id, hash, set_at) VALUES (?, ?, ?)", userID, hash, at)
	return err
}

// trimHistory keeps the newest n hashes of an account and forgets the rest:
// an old hash is one more thing a stolen copy of the database could crack.
func (t *tx) trimHistory(ctx context.Context, userID int64, n int) error {
	_, err := t.exec(ctx, `DELETE FROM password_history WHERE user_id = ? AND id NOT IN
		(SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)`, userID, userID, max(n, 0))
	return err
}
