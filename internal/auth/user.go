package auth

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/errs"
)

// User is a login account. Its scope is the subtree under OrgID; a member's
// account is linked to their roster record (PersonID) and sees only that.
type User struct {
	ID                int64
	Username          string
	DisplayName       string
	Role              Role
	OrgID             int64
	OrgPath           string // filled on read
	PersonID          int64
	PasswordHash      string // empty while the account is pending: nothing logs in
	PasswordChangedAt time.Time
	MustChange        bool // the password was set by someone else: the next login must choose a new one
	Failures          int
	LockedUntil       time.Time
	Disabled          bool
	// TOTPEnrolledAt is when the owner set up their authenticator (zero: not
	// yet); TOTPStep the last step a code was accepted for. The secret
	// itself is read only at the second step of a login.
	TOTPEnrolledAt time.Time
	TOTPStep       int64
	Version        int64
	CreatedAt      time.Time
	// CreatedBy is the account that proposed this one (0: the operator's
	// console or the setup link); it may not also activate it.
	CreatedBy int64
	// ActivatedAt is when the account began to work; zero while it waits for
	// the security administrator (two people make a working login).
	ActivatedAt time.Time
	// IssuedBy names who set the current password when it was not the owner
	// (a reset, an activation, a console command); empty once the owner has
	// chosen their own. The owner is told at login, and the audit log marks
	// every login made with such a password.
	IssuedBy string
	IssuedAt time.Time
}

// Enrolled reports an account whose owner has set up an authenticator.
func (u *User) Enrolled() bool { return !u.TOTPEnrolledAt.IsZero() }

// Pending reports an account proposed but not yet activated.
func (u *User) Pending() bool { return u.ActivatedAt.IsZero() }

// Scope is the data scope the user's role works in.
func (u *User) Scope() Scope {
	if u.Role == Member {
		// Their own record wherever it sits, even after a move between
		// branches. An account that has lost its person sees nothing: a zero
		// PersonID must never widen into the whole tree.
		if u.PersonID == 0 {
			return Scope{OrgPath: "/", PersonID: noPerson}
		}
		return Scope{OrgPath: "/", PersonID: u.PersonID}
	}
	if u.Role.IsAdmin() {
		// Administrators manage accounts across the tree but read no business
		// records: their permissions, not their scope, keep them out.
		return Everything
	}
	return Scope{OrgPath: u.OrgPath}
}

// noPerson is a person id no record has.
const noPerson = -1

// Locked reports whether the account is locked at now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

var usernameRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$`)

// Validate checks the account's own fields.
func (u *User) Validate() error {
	var v errs.Invalid
	if !usernameRe.MatchString(u.Username) {
		v.Add("username", "username.format")
	}
	if !u.Role.Valid() {
		v.Add("role", "role.unknown")
	}
	if !u.Role.IsAdmin() && u.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if u.Role == Member && u.PersonID == 0 {
		v.Add("person_id", "user.member_needs_person")
	}
	return v.Err()
}

// LoginNameMax is the longest username a login attempt may carry. No account
// name is longer than 32 characters; the margin keeps a mistyped name
// readable in the audit log, and the cap keeps an anonymous caller from
// writing megabytes into it.
const LoginNameMax = 64

// CheckLoginName refuses a login's username before anything is looked up or
// written: empty, or longer than LoginNameMax characters.
func CheckLoginName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errs.Field("username", "required")
	case utf8.RuneCountInString(name) > LoginNameMax:
		return errs.Field("username", "login.username_too_long")
	}
	return nil
}
