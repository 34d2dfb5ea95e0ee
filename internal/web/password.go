package web

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

type passwordPage struct {
	page
	Forced                bool
	MinLength, MinClasses int
}

func (s *Server) passwordPage(c *call) passwordPage {
	return passwordPage{page: s.base(c, "修改密码", "/password"), Forced: s.passwordDue(c.user),
		MinLength: s.cfg.Password.MinLength, MinClasses: s.cfg.Password.MinClasses}
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, r, http.StatusOK, "password", s.passwordPage(c))
}

// changePassword checks the current password and the policy, then saves; the
// store ends every session of the account, so this one is renewed.
func (s *Server) changePassword(r *http.Request, c *call) (string, error) {
	in, err := readInput(r)
	if err != nil {
		return "", err
	}
	current, next := in.Get("current"), in.Get("password")
	if !auth.VerifyPassword(c.user.PasswordHash, current) {
		return "", errs.Field("current", "password.wrong")
	}
	if in.has("confirm") && in.Get("confirm") != next {
		return "", errs.Field("confirm", "password.mismatch")
	}
	if err := s.cfg.Password.Check(c.user.Username, next); err != nil {
		return "", err
	}
	if next == current {
		return "", errs.Field("password", "password.same")
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return "", err
	}
	if err := s.st.SetPassword(r.Context(), c.actor, c.user.ID, hash, false); err != nil {
		return "", err
	}
	token, th := auth.NewToken()
	now := s.st.Now()
	sess := &auth.Session{TokenHash: th, UserID: c.user.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.cfg.Session.Absolute),
		IP: c.actor.IP, UserAgent: r.UserAgent()}
	return token, s.st.StartSession(r.Context(), c.actor, sess)
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	token, err := s.changePassword(r, c)
	if fields := invalidFields(err); fields != nil {
		p := s.passwordPage(c)
		p.Errors = fields
		return s.render(w, r, http.StatusUnprocessableEntity, "password", p)
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, "/?notice=password", http.StatusSeeOther)
	return nil
}

func (s *Server) apiPassword(w http.ResponseWriter, r *http.Request, c *call) error {
	token, err := s.changePassword(r, c)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// invalidFields returns the Chinese per-field messages of a bad-input error
// (validation or conflict), or nil for any other error, so a page can show
// the form again with each message beside its field.
func invalidFields(err error) map[string]string {
	if err == nil {
		return nil
	}
	p := classify(err)
	if p.code != "invalid" && p.code != "conflict" {
		return nil
	}
	if len(p.fields) == 0 {
		return map[string]string{"": p.message}
	}
	return p.fields
}

// submitted finishes a form post. Bad input shows the form again with each
// message beside its field (reshow renders it with the status given: 422, or
// 409 for a conflict); success sends the browser on to next, so a reload does
// not post twice.
func submitted(w http.ResponseWriter, r *http.Request, err error, reshow func(status int, fields map[string]string) error, next string) error {
	if fields := invalidFields(err); fields != nil {
		return reshow(classify(err).status, fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
