package web

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// The setup link creates the first account of an installation that has none:
// a system administrator. It is printed once at start, works once, and stops
// working as soon as any account exists.

type setupPage struct {
	page
	Token, Username, DisplayName string
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.URL.Query().Get("token")
	ok, err := s.st.ValidSetupToken(r.Context(), auth.HashToken(token))
	if err != nil {
		return err
	}
	if !ok {
		return errs.ErrNotFound
	}
	return s.render(w, r, http.StatusOK, "setup", setupPage{page: s.base(c, "初始化", ""), Token: token})
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	in, err := readInput(r)
	if err != nil {
		return err
	}
	p := setupPage{page: s.base(c, "初始化", ""), Token: in.str("token"), Username: in.str("username"), DisplayName: in.str("display_name")}
	u := &auth.User{Username: p.Username, DisplayName: p.DisplayName, Role: auth.SystemAdmin}
	err = u.Validate()
	if err == nil && in.Get("password") != in.Get("confirm") {
		err = errs.Field("confirm", "password.mismatch")
	}
	if err == nil {
		err = s.cfg.Password.Check(u.Username, in.Get("password"))
	}
	if err == nil {
		u.PasswordHash, err = auth.HashPassword(in.Get("password"))
	}
	if err == nil {
		c.actor.Username = u.Username
		err = s.st.UseSetupToken(r.Context(), c.actor, auth.HashToken(p.Token), u)
	}
	if fields := invalidFields(err); fields != nil {
		p.Errors = fields
		return s.render(w, r, http.StatusUnprocessableEntity, "setup", p)
	}
	if err != nil {
		return err
	}
	_, token, err := s.login(r.Context(), r, u.Username, in.Get("password"))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}
