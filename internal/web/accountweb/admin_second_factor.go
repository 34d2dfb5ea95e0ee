package accountweb

// The security administrator's part of the second factor: which roles must
// use it (the three administrators always), and the reset after a lost
// phone, which ends the account's sessions so its owner's next login sets
// up a new authenticator.

import (
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// roleFactor is one role's line in the switch of the second factor.
type roleFactor struct {
	Role     auth.Role `json:"role"`
	Label    string    `json:"label"`
	Required bool      `json:"required"`
	Always   bool      `json:"always"` // the administrators: not switchable
}

func (s *area) roleFactors(r *http.Request) ([]roleFactor, error) {
	policy, err := s.st.SecondFactorPolicy(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]roleFactor, 0, len(auth.Roles))
	for _, o := range roleOptions() {
		role := auth.Role(o.Value)
		out = append(out, roleFactor{Role: role, Label: o.Label, Required: policy.Requires(role), Always: role.IsAdmin()})
	}
	return out, nil
}

// setRoleFactors applies the switch as sent: every role not an
// administrator's, on when its box ("role" values) is ticked. Each change
// is its own audit record; a role left as it was writes nothing.
func (s *area) setRoleFactors(r *http.Request, c *web.Call, on map[auth.Role]bool) error {
	for _, role := range auth.Roles {
		if role.IsAdmin() {
			continue
		}
		if err := s.st.SetSecondFactorRole(r.Context(), c.Actor, role, on[role]); err != nil {
			return err
		}
	}
	return nil
}

// rolesSent reads the roles ticked (a form's repeated "roles", a JSON list).
func rolesSent(in web.Input) (map[auth.Role]bool, error) {
	on := map[auth.Role]bool{}
	for _, v := range in.Values["roles"] {
		role := auth.Role(v)
		if !role.Valid() {
			return nil, errs.Field("roles", "role.unknown")
		}
		on[role] = true
	}
	return on, nil
}

func (s *area) roleFactorsSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	on, err := rolesSent(in)
	if err == nil {
		err = s.setRoleFactors(r, c, on)
	}
	return web.Submitted(w, r, err, func(_ int, fields map[string]string) error {
		return s.securityRefused(w, r, c, err, fields)
	}, "/security?notice=second_factor_roles#second-factor-roles")
}

func (s *area) resetSecondFactor(r *http.Request, c *web.Call) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.st.ResetSecondFactor(r.Context(), c.Actor, id)
}

func (s *area) userResetSecondFactor(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.securityAction(w, r, c, func() (int64, error) { return s.resetSecondFactor(r, c) }, "second_factor_reset")
}

func (s *area) apiUserResetSecondFactor(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiSecurityChange(w, r, c, func() (int64, error) { return s.resetSecondFactor(r, c) })
}

func (s *area) apiRoleFactors(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.roleFactors(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[roleFactor]{Items: list})
	return nil
}

// apiRoleFactorsPut takes {"roles": ["branch_admin", …]}: the roles, other
// than the administrators', that must use the second factor.
func (s *area) apiRoleFactorsPut(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	on, err := rolesSent(in)
	if err != nil {
		return err
	}
	if err := s.setRoleFactors(r, c, on); err != nil {
		return err
	}
	return s.apiRoleFactors(w, r, c)
}
