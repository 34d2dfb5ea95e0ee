package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/store"
)

// cookieName is __Host- prefixed when cookies can be Secure: the browser then
// refuses it from any other host or path. Plain HTTP (a test or a demo on
// localhost) cannot carry a __Host- cookie, so it gets a plain name.
func (s *Server) cookieName() string {
	if s.cfg.TLS() {
		return "__Host-dangjian"
	}
	return "dangjian_session"
}

// SetSessionCookie sets a browser-session cookie: it has no expiry of its own,
// the server ends the session (idle and absolute timeouts).
func (s *Server) SetSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/",
		HttpOnly: true, Secure: s.cfg.TLS(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.TLS(), SameSite: http.SameSiteLaxMode})
}

// authenticate builds the call for a request: the session's user if any.
func (s *Server) authenticate(r *http.Request) (*Call, error) {
	c := &Call{Actor: audit.Actor{Username: "anonymous", IP: s.ClientIP(r)}}
	ck, err := r.Cookie(s.cookieName())
	if err != nil || ck.Value == "" {
		return c, nil
	}
	u, sess, err := s.st.SessionUser(r.Context(), auth.HashToken(ck.Value), s.cfg.Session)
	if errors.Is(err, errs.ErrUnauthenticated) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	c.User, c.Session, c.Scope = u, sess, u.Scope()
	c.Actor = audit.Actor{UserID: u.ID, Username: u.Username, IP: c.Actor.IP}
	return c, nil
}

// PasswordDue reports whether the user must choose a new password before
// anything else: after an administrator's reset, or when it is too old.
func (s *Server) PasswordDue(u *auth.User) bool {
	if u.MustChange {
		return true
	}
	max := s.cfg.Password.MaxAgeDays
	return max > 0 && s.st.Now().Sub(u.PasswordChangedAt) > time.Duration(max)*24*time.Hour
}

// authorize checks a route's permission for the call.
func (s *Server) authorize(rt Route, c *Call) error {
	switch {
	case rt.Perm == Public:
		return nil
	case c.User == nil:
		return errs.ErrUnauthenticated
	case rt.Perm == OwnAccount:
		return nil
	case s.PasswordDue(c.User):
		return errPasswordDue
	case rt.Perm == LoggedIn || c.User.Role.Can(rt.Perm):
		return nil
	}
	return errs.ErrForbidden
}

// page wraps a page route: authentication, permission, errors as pages.
func (s *Server) page(rt Route) http.Handler {
	limit := rt.maxBody()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		c, err := s.authenticate(r)
		if err == nil {
			err = s.authorize(rt, c)
		}
		switch {
		case errors.Is(err, errs.ErrUnauthenticated):
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				next = "/"
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		case errors.Is(err, errPasswordDue):
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		if err == nil {
			w.Header().Set("Cache-Control", "no-store")
			err = rt.Handle(w, r, c)
		}
		if err != nil {
			s.noteRefusal(r, c, err)
			s.Fail(w, r, err)
		}
	})
}

// api wraps a JSON route the same way, answering errors in JSON.
func (s *Server) apiRoute(rt Route) http.Handler {
	limit := rt.maxBody()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		c, err := s.authenticate(r)
		if err == nil {
			err = s.authorize(rt, c)
		}
		if err == nil {
			err = rt.Handle(w, r, c)
		}
		if err != nil {
			s.noteRefusal(r, c, err)
			s.Fail(w, r, err)
		}
	})
}

// refusalsPerMinute bounds the audit records of refused requests per user
// and address: enough to see someone probing, not enough to fill the disk.
const refusalsPerMinute = 10

// noteRefusal audits a logged-in user's request refused for lack of
// permission or as outside their scope (越权; out of scope answers "not
// found", so a mistyped address is recorded too). At most refusalsPerMinute
// records per user and address: a probe that tries a thousand addresses
// leaves a trace, not a thousand.
func (s *Server) noteRefusal(r *http.Request, c *Call, err error) {
	if c == nil || c.User == nil || !(errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrNotFound)) {
		return
	}
	if ok, _ := s.denied.allow(c.Actor.Username+" "+c.Actor.IP, s.st.Now()); !ok {
		return
	}
	path := r.URL.Path
	if len(path) > 200 {
		path = path[:200]
	}
	change := store.Change{Action: "access.refused", ObjectType: "route",
		After: map[string]any{"method": r.Method, "path": path, "status": Status(err)}}
	if err := s.st.LogEvent(r.Context(), c.Actor, change); err != nil {
		s.log.Warn("audit a refused request", "err", err)
	}
}
