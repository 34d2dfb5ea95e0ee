package authweb

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// A refused login says why in words that do not tell an outsider whether the
// username exists: an unknown name, a wrong password and a locked account
// answer alike (status, message and the cost of one password check), so
// only the account's owner, who knows the password, learns more.
var (
	errLoginFailed   = &web.Refusal{Status: http.StatusUnauthorized, Key: "login.failed"}
	errLoginDisabled = &web.Refusal{Status: http.StatusForbidden, Key: "login.disabled"}
)

// loginMaxBody bounds a login request: a username and a password, nothing
// that needs the default megabyte.
const loginMaxBody = 8 << 10

// loggedIn is a login that got past its password: either its session's
// token, or the second step it waits for instead.
type loggedIn struct {
	user  *auth.User
	token string
	step  *secondStep
	// recovery is set once, when an enrolment issued recovery codes, and
	// recoveryLeft after a login with one of them.
	recovery     []string
	recoveryLeft *int
}

// login checks a username and password and starts a session, or the second
// step when the account has an authenticator or its role needs one. A
// username too long or missing is refused before anything is looked up or
// written; every other outcome is audited, a flood of rate-limited attempts
// once a minute per address; failures count towards the lockout.
func (s *area) login(ctx context.Context, r *http.Request, username, password string) (*loggedIn, error) {
	username = strings.TrimSpace(username)
	if err := auth.CheckLoginName(username); err != nil {
		return nil, err
	}
	ip := s.ClientIP(r)
	ok, due := s.AllowLogin(ip)
	for _, d := range due {
		if err := s.st.LogEvent(ctx, audit.Actor{Username: "anonymous", IP: d.Addr}, store.Change{Action: "login.rate_limited",
			After: map[string]any{"refused": d.Count, "from": d.From, "to": d.To}}); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, web.ErrRateLimited
	}
	u, err := s.st.UserByUsername(ctx, username)
	if errors.Is(err, errs.ErrNotFound) {
		auth.BurnPasswordCheck(password)
		err := s.st.LogEvent(ctx, audit.Actor{Username: username, IP: ip}, store.Change{Action: "login.unknown_user", ObjectType: "user"})
		if err != nil {
			return nil, err
		}
		return nil, errLoginFailed
	}
	if err != nil {
		return nil, err
	}
	actor := audit.Actor{UserID: u.ID, Username: u.Username, IP: ip}
	now := s.st.Now()
	if u.Locked(now) {
		auth.BurnPasswordCheck(password)
		err := s.st.LogEvent(ctx, actor, store.Change{Action: "login.failure", ObjectType: "user", ObjectID: u.ID,
			After: map[string]any{"reason": "locked"}})
		if err != nil {
			return nil, err
		}
		return nil, errLoginFailed
	}
	if !auth.VerifyLogin(u, password) {
		if _, err := s.st.LoginFailed(ctx, actor, u.ID, s.Config().Lockout); err != nil {
			return nil, err
		}
		return nil, errLoginFailed
	}
	if u.Disabled {
		s.st.LogEvent(ctx, actor, store.Change{Action: "login.failure", ObjectType: "user", ObjectID: u.ID,
			After: map[string]any{"reason": "disabled"}})
		return nil, errLoginDisabled
	}
	policy, err := s.st.SecondFactorPolicy(ctx)
	if err != nil {
		return nil, err
	}
	if u.Enrolled() || policy.Requires(u.Role) {
		step, err := s.startSecondStep(ctx, actor, u, false)
		return &loggedIn{user: u, step: step}, err
	}
	token, sess := s.newSession(r, u.ID)
	if err := s.st.StartSession(ctx, actor, sess); err != nil {
		return nil, err
	}
	return &loggedIn{user: u, token: token}, nil
}

// newSession is the session a completed login starts, and its token.
func (s *area) newSession(r *http.Request, userID int64) (string, *auth.Session) {
	now := s.st.Now()
	token, hash := auth.NewToken()
	return token, &auth.Session{TokenHash: hash, UserID: userID, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(s.Config().Session.Absolute), IP: s.ClientIP(r), UserAgent: r.UserAgent()}
}

type loginPage struct {
	web.Layout
	Username, Next string
	// MaxFailures and LockMinutes are the lockout rule the page states.
	MaxFailures, LockMinutes int
	// Tries counts this form's refused attempts at one username. It is
	// the browser's count, not the account's: warning from the account's
	// own count would tell an outsider which usernames exist. LastTry warns
	// that the next wrong password may lock the account.
	Tries   int
	LastTry bool
}

func (s *area) newLoginPage(c *web.Call, username, next string, tries int) loginPage {
	l := s.Config().Lockout
	p := loginPage{Layout: s.Base(c, "登录", ""), Username: username, Next: next, MaxFailures: l.MaxFailures,
		LockMinutes: int(l.LockFor.Minutes()), Tries: tries}
	p.LastTry = l.MaxFailures > 1 && tries >= l.MaxFailures-1
	return p
}

func (s *area) loginForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if c.User != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.Render(w, r, http.StatusOK, "login", s.newLoginPage(c, "", safeNext(r.URL.Query().Get("next")), 0))
}

func (s *area) loginSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	res, err := s.login(r.Context(), r, in.Str("username"), in.Get("password"))
	var refused *web.Refusal
	if fields := web.InvalidFields(err); fields != nil || errors.As(err, &refused) || errors.Is(err, web.ErrRateLimited) {
		tries := 0
		if errors.As(err, &refused) && refused == errLoginFailed {
			// The same username as the last attempt continues the count.
			if in.Str("tried") == in.Str("username") {
				tries = min(max(in.Num("tries", 0), 0), 100)
			}
			tries++
		}
		p := s.newLoginPage(c, in.Str("username"), safeNext(in.Str("next")), tries)
		if p.Errors = fields; fields == nil {
			p.Errors = map[string]string{"": web.Message(err)}
		}
		if len(p.Username) > auth.LoginNameMax { // not worth sending back
			p.Username = ""
		}
		return s.Render(w, r, web.Status(err), "login", p)
	}
	if err != nil {
		return err
	}
	if res.step != nil {
		return s.renderCode(w, r, c, http.StatusOK, res.step, "/login/code", safeNext(in.Str("next")), nil)
	}
	s.SetSessionCookie(w, res.token)
	http.Redirect(w, r, safeNext(in.Str("next")), http.StatusSeeOther)
	return nil
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *area) logout(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if err := s.st.EndSession(r.Context(), c.Actor, c.Session.TokenHash, c.User.ID); err != nil {
		return err
	}
	s.ClearSessionCookie(w)
	if web.IsAPI(r) {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *area) apiLogin(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	res, err := s.login(r.Context(), r, in.Str("username"), in.Get("password"))
	if err != nil {
		return err
	}
	if res.step != nil {
		// No session yet: the answer says what the second step needs.
		web.WriteJSON(w, http.StatusOK, loginOut{SecondStep: newSecondStepOut(res.step)})
		return nil
	}
	s.SetSessionCookie(w, res.token)
	web.WriteJSON(w, http.StatusOK, s.loginOut(res.user))
	return nil
}

// loginOut answers a completed login.
func (s *area) loginOut(u *auth.User) loginOut {
	out := web.NewUserOut(u)
	return loginOut{User: &out, PasswordChangeRequired: s.PasswordDue(u), PasswordIssued: issuedNotice(u)}
}

func (s *area) apiMe(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	web.WriteJSON(w, http.StatusOK, meOut{User: web.NewUserOut(c.User), Permissions: c.User.Role.Perms()})
	return nil
}

// loginOut answers a login: the account logged in, or, when the password
// was right but the account needs a second factor, the second step (and no
// session yet).
type loginOut struct {
	User                   *web.UserOut   `json:"user,omitempty"`
	SecondStep             *secondStepOut `json:"second_step,omitempty"`
	PasswordChangeRequired bool           `json:"password_change_required"`
	// PasswordIssued is set when the password was set by someone other than
	// the owner (an administrator's reset or activation): who, and when.
	PasswordIssued *issuedOut `json:"password_issued,omitempty"`
	// RecoveryCodes are issued once, when the second step set up the
	// authenticator: the owner keeps them for a lost phone.
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
	// RecoveryCodesLeft is set after a login with a recovery code.
	RecoveryCodesLeft *int `json:"recovery_codes_left,omitempty"`
}

// issuedOut tells an account's owner who set their current password.
type issuedOut struct {
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

// issuedNotice is the owner's notice of a password someone else set, or nil.
func issuedNotice(u *auth.User) *issuedOut {
	if u.IssuedBy == "" {
		return nil
	}
	return &issuedOut{By: u.IssuedBy, At: u.IssuedAt,
		Message: msg.Format("login.issued_notice", u.IssuedBy, u.IssuedAt.In(web.China).Format("2006-01-02 15:04"))}
}

// meOut is who is logged in and what they may do.
type meOut struct {
	User        web.UserOut `json:"user"`
	Permissions []auth.Perm `json:"permissions"`
}
