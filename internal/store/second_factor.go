package store

// The second factor (SECURITY.md 3): which roles need it, the second step of
// a login, enrolment of an authenticator, recovery codes and the security
// administrator's reset after a lost phone. The rules that need the
// database live here: a code is accepted once (the account's last step), a
// recovery code once, a challenge once and only while it lasts.

import (
	"context"
	"errors"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

var (
	// ErrChallengeGone is a second step presented after it expired, after
	// it was used, or after the account was locked: the login starts again.
	ErrChallengeGone = errors.New("login challenge expired or used")

	errAlwaysSecondFactor = errs.NewConflict("role", "second_factor.always")
	errNotEnrolled        = errs.NewConflict("", "second_factor.not_enrolled")
	errRecoveryWrong      = errs.Field("code", "totp.recovery_wrong")
)

// SecondFactorPolicy reads which roles must give a code at login.
func (s *Store) SecondFactorPolicy(ctx context.Context) (auth.SecondFactorPolicy, error) {
	rows, err := s.query(ctx, "SELECT role, second_factor FROM role_policies")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := auth.SecondFactorPolicy{}
	for rows.Next() {
		var role auth.Role
		var on bool
		if err := rows.Scan(&role, &on); err != nil {
			return nil, err
		}
		p[role] = on
	}
	return p, rows.Err()
}

// SetSecondFactorRole switches the second factor on or off for a role. The
// three administrators always need it: switching theirs is refused.
func (s *Store) SetSecondFactorRole(ctx context.Context, a audit.Actor, role auth.Role, on bool) error {
	if !role.Valid() {
		return errs.Field("role", "role.unknown")
	}
	if role.IsAdmin() {
		return errAlwaysSecondFactor
	}
	return s.inTx(ctx, func(t *tx) error {
		var before bool
		err := t.queryRow(ctx, "SELECT second_factor FROM role_policies WHERE role = ?", role).Scan(&before)
		if err != nil && !errors.Is(mapErr(err), errs.ErrNotFound) {
			return mapErr(err)
		}
		if before == on {
			return nil // nothing changes, nothing to record
		}
		if _, err := t.exec(ctx, `INSERT INTO role_policies (role, second_factor, version) VALUES (?, ?, 1)
			ON CONFLICT (role) DO UPDATE SET second_factor = excluded.second_factor, version = role_policies.version + 1`, role, on); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "policy.second_factor", ObjectType: "role_policy",
			Before: map[string]any{"role": role, "second_factor": before}, After: map[string]any{"role": role, "second_factor": on}})
	})
}

// StartChallenge records the second step of a login whose password was
// right. An enrolment keeps the secret offered (sealed) until a code proves
// the phone has it.
func (s *Store) StartChallenge(ctx context.Context, a audit.Actor, ch *auth.Challenge) error {
	secret, err := s.seal.Seal(ch.Secret)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		// Abandoned steps of this account go: one waits at a time.
		if _, err := t.exec(ctx, "DELETE FROM login_challenges WHERE user_id = ? OR expires_at <= ?", ch.UserID, t.s.Now()); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "INSERT INTO login_challenges (token_hash, user_id, enrol, secret, expires_at) VALUES (?, ?, ?, ?, ?)",
			ch.TokenHash, ch.UserID, ch.Enrol, secret, ch.ExpiresAt.UTC()); err != nil {
			return err
		}
		action := "login.second_step"
		if ch.SignedIn {
			action = "user.second_factor_offer"
		}
		return t.audit(ctx, a, Change{Action: action, ObjectType: "user", ObjectID: ch.UserID,
			After: map[string]any{"enrol": ch.Enrol}})
	})
}

// Challenge reads a waiting second step and its account, with the secret
// the code is checked against (the offered one while enrolling, the
// account's own otherwise). An expired, used or unknown one is
// ErrChallengeGone, as is one whose account was locked or disabled since.
func (s *Store) Challenge(ctx context.Context, tokenHash string) (*auth.Challenge, *auth.User, error) {
	ch := auth.Challenge{TokenHash: tokenHash}
	var sealed, own string
	err := s.queryRow(ctx, `SELECT c.user_id, c.enrol, c.secret, c.expires_at, u.totp_secret FROM login_challenges c
		JOIN users u ON u.id = c.user_id WHERE c.token_hash = ?`, tokenHash).Scan(&ch.UserID, &ch.Enrol, &sealed, &ch.ExpiresAt, &own)
	if errors.Is(mapErr(err), errs.ErrNotFound) {
		return nil, nil, ErrChallengeGone
	}
	if err != nil {
		return nil, nil, mapErr(err)
	}
	u, err := s.User(ctx, ch.UserID)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	if !now.Before(ch.ExpiresAt) || u.Locked(now) || u.Disabled {
		return nil, nil, ErrChallengeGone
	}
	if !ch.Enrol {
		sealed = own
	}
	if ch.Secret, err = s.seal.Open(sealed); err != nil {
		return nil, nil, err
	}
	return &ch, u, nil
}

// SecondFactorFailed counts a wrong code towards the account's lockout like
// a wrong password, and reports whether the account is now locked.
func (s *Store) SecondFactorFailed(ctx context.Context, a audit.Actor, userID int64, p auth.LockoutPolicy) (bool, error) {
	return s.loginFailed(ctx, a, userID, p, map[string]any{"step": "second_factor"})
}

// takeChallenge removes a waiting second step inside the transaction that
// completes it, so two requests with one challenge make one session.
func (t *tx) takeChallenge(ctx context.Context, tokenHash string, enrol bool) error {
	res, err := t.exec(ctx, "DELETE FROM login_challenges WHERE token_hash = ? AND enrol = ? AND expires_at > ?", tokenHash, enrol, t.s.Now())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrChallengeGone
	}
	return nil
}

// useStep records the step of an accepted code; a code of that step or an
// earlier one is refused ever after (RFC 6238 §5.2).
func (t *tx) useStep(ctx context.Context, userID, step int64) error {
	res, err := t.exec(ctx, "UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ?", step, userID, step)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errs.Field("code", "totp.used")
	}
	return nil
}

// PassChallenge completes a login with a right code of the given step: the
// challenge is used, the step recorded and the session started together.
func (s *Store) PassChallenge(ctx context.Context, a audit.Actor, tokenHash string, step int64, sess *auth.Session) error {
	return s.inTx(ctx, func(t *tx) error {
		if err := t.takeChallenge(ctx, tokenHash, false); err != nil {
			return err
		}
		if err := t.useStep(ctx, sess.UserID, step); err != nil {
			return err
		}
		return t.startSession(ctx, a, sess, map[string]any{"second_factor": "totp"})
	})
}

// PassChallengeWithRecovery completes a login with one of the account's
// unused recovery codes (by its hash), which is then used up. A wrong one
// changes nothing; the caller counts it as a failure.
func (s *Store) PassChallengeWithRecovery(ctx context.Context, a audit.Actor, tokenHash, codeHash string, sess *auth.Session) (left int, err error) {
	err = s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
			t.s.Now(), sess.UserID, codeHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errRecoveryWrong
		}
		if err := t.takeChallenge(ctx, tokenHash, false); err != nil {
			return err
		}
		if left, err = t.recoveryLeft(ctx, sess.UserID); err != nil {
			return err
		}
		return t.startSession(ctx, a, sess, map[string]any{"second_factor": "recovery_code", "recovery_codes_left": left})
	})
	return left, err
}

func (t *tx) recoveryLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := t.queryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, mapErr(err)
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, mapErr(err)
}

// Enrolment is an authenticator proved by its first code, with the hashes
// of the recovery codes shown to the owner once.
type Enrolment struct {
	UserID   int64
	Secret   string
	Step     int64 // of the code that proved it
	Recovery []string
	// Challenge is the login's second step this enrolment completes, with
	// the session it starts; empty for an owner enrolling while logged in.
	Challenge string
	Session   *auth.Session
}

// Enrol stores an account's authenticator and fresh recovery codes (the old
// ones stop working), and completes the login that asked for it.
func (s *Store) Enrol(ctx context.Context, a audit.Actor, e Enrolment) error {
	secret, err := s.seal.Seal(e.Secret)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		if e.Challenge != "" {
			if err := t.takeChallenge(ctx, e.Challenge, true); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, "UPDATE users SET totp_secret = ?, totp_step = ?, totp_enrolled_at = ?, version = version + 1 WHERE id = ?",
			secret, e.Step, t.s.Now(), e.UserID); err != nil {
			return err
		}
		if err := t.replaceRecovery(ctx, e.UserID, e.Recovery); err != nil {
			return err
		}
		if err := t.audit(ctx, a, Change{Action: "user.second_factor_enrol", ObjectType: "user", ObjectID: e.UserID,
			After: map[string]any{"recovery_codes": len(e.Recovery)}}); err != nil {
			return err
		}
		if e.Session != nil {
			return t.startSession(ctx, a, e.Session, map[string]any{"second_factor": "totp_enrol"})
		}
		return nil
	})
}

func (t *tx) replaceRecovery(ctx context.Context, userID int64, hashes []string) error {
	if _, err := t.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, h); err != nil {
			return err
		}
	}
	return nil
}

// TOTPSecret opens an enrolled account's secret, for a code its owner types
// while logged in (new recovery codes need one).
func (s *Store) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var sealed string
	if err := s.queryRow(ctx, "SELECT totp_secret FROM users WHERE id = ?", userID).Scan(&sealed); err != nil {
		return "", mapErr(err)
	}
	if sealed == "" {
		return "", errNotEnrolled
	}
	return s.seal.Open(sealed)
}

// NewRecoveryCodes replaces an enrolled account's recovery codes, proved by
// a code of the given step from its authenticator.
func (s *Store) NewRecoveryCodes(ctx context.Context, a audit.Actor, userID, step int64, hashes []string) error {
	return s.inTx(ctx, func(t *tx) error {
		if err := t.useStep(ctx, userID, step); err != nil {
			return err
		}
		if err := t.replaceRecovery(ctx, userID, hashes); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "user.recovery_codes", ObjectType: "user", ObjectID: userID,
			After: map[string]any{"recovery_codes": len(hashes)}})
	})
}

// ResetSecondFactor is the security administrator's answer to a lost phone:
// the authenticator and recovery codes are forgotten and the account's
// sessions end, so its owner's next login enrols a new authenticator.
// Nobody resets their own.
func (s *Store) ResetSecondFactor(ctx context.Context, a audit.Actor, userID int64) error {
	if a.UserID == userID {
		return errSelfAccount
	}
	return s.inTx(ctx, func(t *tx) error {
		u, err := userByID(ctx, t, userID)
		if err != nil {
			return err
		}
		if !u.Enrolled() {
			return errNotEnrolled
		}
		for _, q := range []string{
			"UPDATE users SET totp_secret = '', totp_step = 0, totp_enrolled_at = NULL, version = version + 1 WHERE id = ?",
			"DELETE FROM recovery_codes WHERE user_id = ?",
			"DELETE FROM login_challenges WHERE user_id = ?",
			"DELETE FROM sessions WHERE user_id = ?",
		} {
			if _, err := t.exec(ctx, q, userID); err != nil {
				return err
			}
		}
		after := *u
		after.TOTPEnrolledAt = time.Time{}
		return t.audit(ctx, a, Change{Action: "user.second_factor_reset", ObjectType: "user", ObjectID: userID,
			Before: userSnapshot(u), After: userSnapshot(&after)})
	})
}
