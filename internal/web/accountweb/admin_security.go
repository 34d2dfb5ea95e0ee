package accountweb

// 账号安全: the security administrator unlocks, resets and disables accounts.
// None of it works on their own account, so one administrator cannot lock
// every administrator out or give themselves a password nobody else knows.

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// errSelfAccount refuses a reset or a disable of the caller's own account.
var errSelfAccount = errs.NewConflict("", "user.self_forbidden")

// tempPassword is a reset's new password, shown once on the resulting page.
type tempPassword struct {
	Username, DisplayName, Password string
}

type securityPage struct {
	web.Layout
	userListing
	Rows  []userRow
	Roles []web.Option
	Self  int64
	Temp  *tempPassword
}

func (s *area) securityPage(r *http.Request, c *web.Call) (*securityPage, error) {
	l, rows, err := s.userListing(r, c, "/security")
	if err != nil {
		return nil, err
	}
	p := &securityPage{Layout: s.Base(c, "账号安全", "/security"), userListing: l, Rows: rows, Roles: roleOptions(), Self: c.User.ID}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) securityList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.securityPage(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "security", p)
}

// resetPassword gives an account a temporary password that must be changed
// at the next login; the store ends all its sessions.
func (s *area) resetPassword(r *http.Request, c *web.Call) (*auth.User, string, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	if id == c.User.ID {
		return nil, "", errSelfAccount
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	pw, err := s.Config().Password.Temporary(u.Username)
	if err != nil {
		return nil, "", err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, "", err
	}
	return u, pw, s.st.SetPassword(r.Context(), c.Actor, id, hash, true)
}

// userReset shows the temporary password once, on the page the reset
// answers with; it is never put in an address or stored anywhere readable.
func (s *area) userReset(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	u, pw, err := s.resetPassword(r, c)
	if fields := web.InvalidFields(err); fields != nil {
		return s.securityRefused(w, r, c, err, fields)
	}
	if err != nil {
		return err
	}
	p, err := s.securityPage(r, c)
	if err != nil {
		return err
	}
	p.Temp = &tempPassword{Username: u.Username, DisplayName: u.DisplayName, Password: pw}
	p.Notice = msg.Text("notice.reset")
	return s.Render(w, r, http.StatusOK, "security", p)
}

// securityRefused shows the list again with the reason a change was refused.
func (s *area) securityRefused(w http.ResponseWriter, r *http.Request, c *web.Call, err error, fields map[string]string) error {
	p, perr := s.securityPage(r, c)
	if perr != nil {
		return perr
	}
	p.Errors = fields
	return s.Render(w, r, web.Status(err), "security", p)
}

// setDisabled disables or enables an account; disabling ends its sessions.
func (s *area) setDisabled(r *http.Request, c *web.Call, disabled bool) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	if disabled && id == c.User.ID {
		return id, errSelfAccount
	}
	return id, s.st.SetDisabled(r.Context(), c.Actor, id, disabled)
}

func (s *area) unlock(r *http.Request, c *web.Call) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.st.Unlock(r.Context(), c.Actor, id)
}

// securityAction runs a change from the list and returns to it with a notice.
func (s *area) securityAction(w http.ResponseWriter, r *http.Request, c *web.Call, change func() (int64, error), done string) error {
	_, err := change()
	return web.Submitted(w, r, err, func(_ int, fields map[string]string) error {
		return s.securityRefused(w, r, c, err, fields)
	}, "/security?notice="+done)
}

func (s *area) userDisable(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.setDisabled(r, c, true) }, "disabled")
}

func (s *area) userEnable(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.setDisabled(r, c, false) }, "enabled")
}

func (s *area) userUnlock(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.unlock(r, c) }, "unlocked")
}

// --- JSON API ---

// apiUserReset answers with the account and, this once, its temporary password.
func (s *area) apiUserReset(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	u, pw, err := s.resetPassword(r, c)
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, u.ID, http.StatusOK, pw)
}

func (s *area) apiSecurityChange(w http.ResponseWriter, r *http.Request, c *web.Call, change func() (int64, error)) error {
	id, err := change()
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, id, http.StatusOK, "")
}

func (s *area) apiUserDisable(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.setDisabled(r, c, true) })
}

func (s *area) apiUserEnable(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.setDisabled(r, c, false) })
}

func (s *area) apiUserUnlock(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.unlock(r, c) })
}
