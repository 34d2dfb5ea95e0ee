package web

// 账号安全: the security administrator unlocks, resets and disables accounts.
// None of it works on their own account, so one administrator cannot lock
// every administrator out or give themselves a password nobody else knows.

import (
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
)

// errSelfAccount refuses a reset or a disable of the caller's own account.
var errSelfAccount = errs.NewConflict("", "user.self_forbidden")

// tempPassword is a reset's new password, shown once on the resulting page.
type tempPassword struct {
	Username, DisplayName, Password string
}

type securityPage struct {
	page
	userListing
	Rows  []userRow
	Roles []option
	Self  int64
	Temp  *tempPassword
}

func (s *Server) securityPage(r *http.Request, c *call) (*securityPage, error) {
	l, rows, err := s.userListing(r, c, "/security")
	if err != nil {
		return nil, err
	}
	p := &securityPage{page: s.base(c, "账号安全", "/security"), userListing: l, Rows: rows, Roles: roleOptions(), Self: c.user.ID}
	p.Notice = notice(r)
	return p, nil
}

func (s *Server) securityList(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.securityPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "security", p)
}

// Characters of temporary passwords: no 0/O, 1/l/I, which are misread when
// a password is read out or copied from paper.
const (
	pwLower  = "abcdefghijkmnpqrstuvwxyz"
	pwUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	pwDigit  = "23456789"
	pwSymbol = "#%+=@?!-"
)

// temporaryPassword makes a random password that passes the configured
// policy, with one character of each class at least.
func (s *Server) temporaryPassword(username string) (string, error) {
	n := min(max(s.cfg.Password.MinLength, 12)+2, 128)
	for range 100 {
		pw, err := randomPassword(n)
		if err != nil {
			return "", err
		}
		if s.cfg.Password.Check(username, pw) == nil {
			return pw, nil
		}
	}
	return "", errors.New("could not make a temporary password that passes the policy")
}

func randomPassword(n int) (string, error) {
	sets := []string{pwLower, pwUpper, pwDigit, pwSymbol}
	all := pwLower + pwUpper + pwDigit + pwSymbol
	b := make([]byte, n)
	for i := range b {
		set := all
		if i < len(sets) {
			set = sets[i]
		}
		k, err := randInt(len(set))
		if err != nil {
			return "", err
		}
		b[i] = set[k]
	}
	for i := len(b) - 1; i > 0; i-- { // Fisher–Yates, so the fixed classes are not at the front
		j, err := randInt(i + 1)
		if err != nil {
			return "", err
		}
		b[i], b[j] = b[j], b[i]
	}
	return string(b), nil
}

func randInt(n int) (int, error) {
	k, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, err
	}
	return int(k.Int64()), nil
}

// resetPassword gives an account a temporary password that must be changed
// at the next login; the store ends all its sessions.
func (s *Server) resetPassword(r *http.Request, c *call) (*auth.User, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	if id == c.user.ID {
		return nil, "", errSelfAccount
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	pw, err := s.temporaryPassword(u.Username)
	if err != nil {
		return nil, "", err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, "", err
	}
	return u, pw, s.st.SetPassword(r.Context(), c.actor, id, hash, true)
}

// userReset shows the temporary password once, on the page the reset
// answers with; it is never put in an address or stored anywhere readable.
func (s *Server) userReset(w http.ResponseWriter, r *http.Request, c *call) error {
	u, pw, err := s.resetPassword(r, c)
	if fields := invalidFields(err); fields != nil {
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
	return s.render(w, r, http.StatusOK, "security", p)
}

// securityRefused shows the list again with the reason a change was refused.
func (s *Server) securityRefused(w http.ResponseWriter, r *http.Request, c *call, err error, fields map[string]string) error {
	p, perr := s.securityPage(r, c)
	if perr != nil {
		return perr
	}
	p.Errors = fields
	return s.render(w, r, classify(err).status, "security", p)
}

// setDisabled disables or enables an account; disabling ends its sessions.
func (s *Server) setDisabled(r *http.Request, c *call, disabled bool) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	if disabled && id == c.user.ID {
		return id, errSelfAccount
	}
	return id, s.st.SetDisabled(r.Context(), c.actor, id, disabled)
}

func (s *Server) unlock(r *http.Request, c *call) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.st.Unlock(r.Context(), c.actor, id)
}

// securityAction runs a change from the list and returns to it with a notice.
func (s *Server) securityAction(w http.ResponseWriter, r *http.Request, c *call, change func() (int64, error), done string) error {
	_, err := change()
	return submitted(w, r, err, func(_ int, fields map[string]string) error {
		return s.securityRefused(w, r, c, err, fields)
	}, "/security?notice="+done)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.setDisabled(r, c, true) }, "disabled")
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.setDisabled(r, c, false) }, "enabled")
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.unlock(r, c) }, "unlocked")
}

// --- JSON API ---

// apiUserReset answers with the account and, this once, its temporary password.
func (s *Server) apiUserReset(w http.ResponseWriter, r *http.Request, c *call) error {
	u, pw, err := s.resetPassword(r, c)
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, u.ID, http.StatusOK, map[string]any{"temporary_password": pw})
}

func (s *Server) apiSecurityChange(w http.ResponseWriter, r *http.Request, c *call, change func() (int64, error)) error {
	id, err := change()
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, id, http.StatusOK, nil)
}

func (s *Server) apiUserDisable(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.setDisabled(r, c, true) })
}

func (s *Server) apiUserEnable(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.setDisabled(r, c, false) })
}

func (s *Server) apiUserUnlock(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.unlock(r, c) })
}
