package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
)

// loginError is a refused login; its key says why, in words that do not tell
// an outsider whether the username exists.
type loginError struct {
	key    string
	status int
}

func (e *loginError) Error() string { return "login refused: " + e.key }

var (
	errLoginFailed   = &loginError{"login.failed", http.StatusUnauthorized}
	errLoginLocked   = &loginError{"login.locked", http.StatusLocked}
	errLoginDisabled = &loginError{"login.disabled", http.StatusForbidden}
)

// login checks a username and password and starts a session. Every outcome is
// audited; failures count towards the lockout.
func (s *Server) login(ctx context.Context, r *http.Request, username, password string) (*auth.User, string, error) {
	ip := s.clientIP(r)
	if !s.logins.allow(ip, s.st.Now()) {
		s.st.LogEvent(ctx, audit.Actor{Username: username, IP: ip}, store.Change{Action: "login.failure", ObjectType: "user",
			After: map[string]any{"reason": "rate_limited"}})
		return nil, "", errRateLimited
	}
	username = strings.TrimSpace(username)
	u, err := s.st.UserByUsername(ctx, username)
	if errors.Is(err, errs.ErrNotFound) {
		auth.BurnPasswordCheck(password)
		err := s.st.LogEvent(ctx, audit.Actor{Username: username, IP: ip}, store.Change{Action: "login.unknown_user", ObjectType: "user"})
		if err != nil {
			return nil, "", err
		}
		return nil, "", errLoginFailed
	}
	if err != nil {
		return nil, "", err
	}
	actor := audit.Actor{UserID: u.ID, Username: u.Username, IP: ip}
	now := s.st.Now()
	if u.Locked(now) {
		auth.BurnPasswordCheck(password)
		s.st.LogEvent(ctx, actor, store.Change{Action: "login.failure", ObjectType: "user", ObjectID: u.ID,
			After: map[string]any{"reason": "locked"}})
		return nil, "", errLoginLocked
	}
	if !auth.VerifyPassword(u.PasswordHash, password) {
		locked, err := s.st.LoginFailed(ctx, actor, u.ID, s.cfg.Lockout)
		if err != nil {
			return nil, "", err
		}
		if locked {
			return nil, "", errLoginLocked
		}
		return nil, "", errLoginFailed
	}
	if u.Disabled {
		s.st.LogEvent(ctx, actor, store.Change{Action: "login.failure", ObjectType: "user", ObjectID: u.ID,
			After: map[string]any{"reason": "disabled"}})
		return nil, "", errLoginDisabled
	}
	token, hash := auth.NewToken()
	sess := &auth.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.cfg.Session.Absolute),
		IP: ip, UserAgent: r.UserAgent()}
	if err := s.st.StartSession(ctx, actor, sess); err != nil {
		return nil, "", err
	}
	return u, token, nil
}

type loginPage struct {
	page
	Username, Next string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.user != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", loginPage{page: s.base(c, "登录", ""), Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	in, err := readInput(r)
	if err != nil {
		return err
	}
	_, token, err := s.login(r.Context(), r, in.str("username"), in.Get("password"))
	var le *loginError
	if errors.As(err, &le) || errors.Is(err, errRateLimited) {
		key := "error.rate_limited"
		status := http.StatusTooManyRequests
		if le != nil {
			key, status = le.key, le.status
		}
		p := loginPage{page: s.base(c, "登录", ""), Username: in.str("username"), Next: safeNext(in.str("next"))}
		p.Errors = map[string]string{"": msg.Text(key)}
		return s.render(w, r, status, "login", p)
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, safeNext(in.str("next")), http.StatusSeeOther)
	return nil
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.st.EndSession(r.Context(), c.actor, c.session.TokenHash, c.user.ID); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	if isAPI(r) {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request, c *call) error {
	in, err := readInput(r)
	if err != nil {
		return err
	}
	u, token, err := s.login(r.Context(), r, in.str("username"), in.Get("password"))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(u), "password_change_required": s.passwordDue(u)})
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, c *call) error {
	perms := c.user.Role.Perms()
	writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(c.user), "permissions": perms})
	return nil
}

// userJSON is an account as the API shows it (never its hash or secret).
func userJSON(u *auth.User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"role_label": msg.Text("role." + string(u.Role)), "org_id": u.OrgID, "person_id": u.PersonID,
		"disabled": u.Disabled, "locked_until": nilTime(u.LockedUntil), "created_at": u.CreatedAt}
}
