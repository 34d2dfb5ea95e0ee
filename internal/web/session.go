package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
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

// setSessionCookie sets a browser-session cookie: it has no expiry of its own,
// the server ends the session (idle and absolute timeouts).
func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/",
		HttpOnly: true, Secure: s.cfg.TLS(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.TLS(), SameSite: http.SameSiteLaxMode})
}

// authenticate builds the call for a request: the session's user if any.
func (s *Server) authenticate(r *http.Request) (*call, error) {
	c := &call{actor: audit.Actor{Username: "anonymous", IP: s.clientIP(r)}}
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
	c.user, c.session, c.scope = u, sess, u.Scope()
	c.actor = audit.Actor{UserID: u.ID, Username: u.Username, IP: c.actor.IP}
	return c, nil
}

// passwordDue reports whether the user must choose a new password before
// anything else: after an administrator's reset, or when it is too old.
func (s *Server) passwordDue(u *auth.User) bool {
	if u.MustChange {
		return true
	}
	max := s.cfg.Password.MaxAgeDays
	return max > 0 && s.st.Now().Sub(u.PasswordChangedAt) > time.Duration(max)*24*time.Hour
}

// authorize checks a route's permission for the call.
func (s *Server) authorize(rt route, c *call) error {
	switch {
	case rt.perm == public:
		return nil
	case c.user == nil:
		return errs.ErrUnauthenticated
	case rt.perm == ownAccount:
		return nil
	case s.passwordDue(c.user):
		return errPasswordDue
	case rt.perm == loggedIn || c.user.Role.Can(rt.perm):
		return nil
	}
	return errs.ErrForbidden
}

// page wraps a page route: authentication, permission, errors as pages.
func (s *Server) page(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
			err = rt.handler(w, r, c)
		}
		if err != nil {
			s.fail(w, r, false, err)
		}
	})
}

// api wraps a JSON route the same way, answering errors in JSON.
func (s *Server) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r)
		if err == nil {
			err = s.authorize(rt, c)
		}
		if err == nil {
			err = rt.handler(w, r, c)
		}
		if err != nil {
			s.fail(w, r, true, err)
		}
	})
}
