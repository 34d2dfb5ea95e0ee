package authweb

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/web"
)

type passwordPage struct {
	web.Layout
	Forced                bool
	Issued                *issuedOut // who set the password the owner must now replace
	MinLength, MinClasses int
}

func (s *area) passwordPage(c *web.Call) passwordPage {
	return passwordPage{Layout: s.Base(c, "修改密码", "/password"), Forced: s.PasswordDue(c.User), Issued: issuedNotice(c.User),
		MinLength: s.Config().Password.MinLength, MinClasses: s.Config().Password.MinClasses}
}

func (s *area) passwordForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.Render(w, r, http.StatusOK, "password", s.passwordPage(c))
}

// changePassword checks the current password, then has the store apply the
// policy and the history and save; the store ends every session of the
// account, so this one is renewed.
func (s *area) changePassword(r *http.Request, c *web.Call) (string, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return "", err
	}
	current, next := in.Get("current"), in.Get("password")
	if !auth.VerifyLogin(c.User, current) {
		return "", errs.Field("current", "password.wrong")
	}
	if in.Has("confirm") && in.Get("confirm") != next {
		return "", errs.Field("confirm", "password.mismatch")
	}
	if err := s.st.ChoosePassword(r.Context(), c.Actor, c.User.ID, next, s.Config().Password); err != nil {
		return "", err
	}
	token, th := auth.NewToken()
	now := s.st.Now()
	sess := &auth.Session{TokenHash: th, UserID: c.User.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.Config().Session.Absolute),
		IP: c.Actor.IP, UserAgent: r.UserAgent()}
	return token, s.st.StartSession(r.Context(), c.Actor, sess)
}

func (s *area) passwordSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	token, err := s.changePassword(r, c)
	if fields := web.InvalidFields(err); fields != nil {
		p := s.passwordPage(c)
		p.Errors = fields
		return s.Render(w, r, web.Status(err), "password", p)
	}
	if err != nil {
		return err
	}
	s.SetSessionCookie(w, token)
	http.Redirect(w, r, "/?notice=password", http.StatusSeeOther)
	return nil
}

func (s *area) apiPassword(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	token, err := s.changePassword(r, c)
	if err != nil {
		return err
	}
	s.SetSessionCookie(w, token)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
