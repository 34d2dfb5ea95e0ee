package authweb

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// The setup link creates the first account of an installation that has none:
// a system administrator. It is printed once at start, works once, and stops
// working as soon as any account exists.

type setupPage struct {
	web.Layout
	Token, Username, DisplayName string
}

func (s *area) setupForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	token := r.URL.Query().Get("token")
	ok, err := s.st.ValidSetupToken(r.Context(), auth.HashToken(token))
	if err != nil {
		return err
	}
	if !ok {
		return errs.ErrNotFound
	}
	return s.Render(w, r, http.StatusOK, "setup", setupPage{Layout: s.Base(c, "初始化", ""), Token: token})
}

func (s *area) setupSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	p := setupPage{Layout: s.Base(c, "初始化", ""), Token: in.Str("token"), Username: in.Str("username"), DisplayName: in.Str("display_name")}
	u := &auth.User{Username: p.Username, DisplayName: p.DisplayName, Role: auth.SystemAdmin}
	err = u.Validate()
	if err == nil && in.Get("password") != in.Get("confirm") {
		err = errs.Field("confirm", "password.mismatch")
	}
	if err == nil {
		err = s.Config().Password.Check(u.Username, in.Get("password"))
	}
	if err == nil {
		u.PasswordHash, err = auth.HashPassword(in.Get("password"))
	}
	if err == nil {
		c.Actor.Username = u.Username
		err = s.st.UseSetupToken(r.Context(), c.Actor, auth.HashToken(p.Token), u)
	}
	if fields := web.InvalidFields(err); fields != nil {
		p.Errors = fields
		return s.Render(w, r, http.StatusUnprocessableEntity, "setup", p)
	}
	if err != nil {
		return err
	}
	res, err := s.login(r.Context(), r, u.Username, in.Get("password"))
	if err != nil {
		return err
	}
	if res.step != nil { // administrators always set up an authenticator
		return s.renderCode(w, r, c, http.StatusOK, res.step, "/login/code", "/users", nil)
	}
	s.SetSessionCookie(w, res.token)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}
