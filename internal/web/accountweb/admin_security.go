package accountweb

// 账号安全: the security administrator activates the accounts the system
// administrator proposed (approving their role and scope as proposed, never
// changing them), and unlocks, resets and disables accounts. The store keeps
// the rules: nobody resets or disables their own account, and nobody
// activates an account they proposed.

import (
	"context"
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// tempPassword is the temporary password of an activation or a reset, shown
// once on the resulting page.
type tempPassword struct {
	Username, DisplayName, Password string
}

// pendingRow is a proposed account as the security administrator checks it.
type pendingRow struct {
	userRow
	ProposedBy string
}

type securityPage struct {
	web.Layout
	userListing
	Rows    []userRow
	Pending []pendingRow
	Roles   []web.Option
	Self    int64
	Temp    *tempPassword
	// Factors is the switch of the second factor, role by role.
	Factors []roleFactor
}

// pendingMax is how many pending accounts the page lists; more wait their turn.
const pendingMax = 100

func (s *area) securityPage(r *http.Request, c *web.Call) (*securityPage, error) {
	l, rows, err := s.userListing(r, c, "/security")
	if err != nil {
		return nil, err
	}
	p := &securityPage{Layout: s.Base(c, "账号安全", "/security"), userListing: l, Rows: rows, Roles: roleOptions(), Self: c.User.ID}
	if p.Pending, err = s.pendingRows(r.Context(), c); err != nil {
		return nil, err
	}
	if p.Factors, err = s.roleFactors(r); err != nil {
		return nil, err
	}
	p.Notice = web.Notice(r)
	return p, nil
}

// pendingRows lists the accounts waiting for activation with who proposed them.
func (s *area) pendingRows(ctx context.Context, c *web.Call) ([]pendingRow, error) {
	list, _, err := s.st.Users(ctx, store.UserFilter{Pending: true, Limit: pendingMax})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	names, err := s.orgNames(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	proposers := map[int64]string{}
	out := make([]pendingRow, 0, len(list))
	for i := range list {
		u := &list[i]
		by, ok := proposers[u.CreatedBy]
		if !ok && u.CreatedBy != 0 {
			if p, err := s.st.User(ctx, u.CreatedBy); err == nil {
				by = p.Username
			}
			proposers[u.CreatedBy] = by
		}
		out = append(out, pendingRow{userRow: s.newUserRow(u, names), ProposedBy: by})
	}
	return out, nil
}

func (s *area) securityList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.securityPage(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "security", p)
}

// issueTemporary makes a random temporary password for an account and its
// hash; the password is shown once and stored nowhere.
func (s *area) issueTemporary(username string) (password, hash string, err error) {
	if password, err = s.Config().Password.Temporary(username); err != nil {
		return "", "", err
	}
	hash, err = auth.HashPassword(password)
	return password, hash, err
}

// resetPassword gives an account a temporary password that must be changed
// at the next login, where its owner is told who reset it; the store ends
// all its sessions and refuses a reset of one's own account.
func (s *area) resetPassword(r *http.Request, c *web.Call) (*auth.User, string, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	pw, hash, err := s.issueTemporary(u.Username)
	if err != nil {
		return nil, "", err
	}
	u, err = s.st.ResetPassword(r.Context(), c.Actor, id, hash)
	return u, pw, err
}

// activate approves a pending account as proposed and gives it a temporary
// password; the store refuses the one who proposed it.
func (s *area) activate(r *http.Request, c *web.Call) (*auth.User, string, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	pw, hash, err := s.issueTemporary(u.Username)
	if err != nil {
		return nil, "", err
	}
	u, err = s.st.ActivateUser(r.Context(), c.Actor, id, hash)
	return u, pw, err
}

// showTemporary answers an activation or a reset with the temporary password,
// once, on the page; it is never put in an address or stored anywhere readable.
func (s *area) showTemporary(w http.ResponseWriter, r *http.Request, c *web.Call, change func(*http.Request, *web.Call) (*auth.User, string, error), notice string) error {
	u, pw, err := change(r, c)
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
	p.Temp = &tempPassword{Username: u.Username, DisplayName: u.DisplayName, Password: auth.GroupForReading(pw)}
	p.Notice = msg.Text(notice)
	return s.Render(w, r, http.StatusOK, "security", p)
}

func (s *area) userReset(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.showTemporary(w, r, c, s.resetPassword, "notice.reset")
}

func (s *area) userActivate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.showTemporary(w, r, c, s.activate, "notice.activated")
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
	return id, s.st.SetDisabled(r.Context(), c.Actor, id, disabled)
}

func (s *area) unlock(r *http.Request, c *web.Call) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.st.Unlock(r.Context(), c.Actor, id)
}

func (s *area) reject(r *http.Request, c *web.Call) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.st.RejectUser(r.Context(), c.Actor, id)
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

func (s *area) userReject(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.reject(r, c) }, "rejected")
}

// --- JSON API ---

// apiTemporary answers with the account and, this once, its temporary password.
func (s *area) apiTemporary(w http.ResponseWriter, r *http.Request, c *web.Call, change func(*http.Request, *web.Call) (*auth.User, string, error)) error {
	u, pw, err := change(r, c)
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, u.ID, http.StatusOK, pw)
}

func (s *area) apiUserReset(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiTemporary(w, r, c, s.resetPassword)
}

func (s *area) apiUserActivate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiTemporary(w, r, c, s.activate)
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

func (s *area) apiUserReject(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if _, err := s.reject(r, c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
