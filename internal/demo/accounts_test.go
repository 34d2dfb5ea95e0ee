package demo

import (
	"testing"

	"dangjian/internal/auth"
)

func TestAccountsFollowPasswordPolicy(t *testing.T) {
	roles := map[auth.Role]bool{}
	names := map[string]bool{}
	for _, a := range accounts() {
		roles[a.Role] = true
		if names[a.Username] {
			t.Errorf("username %s twice", a.Username)
		}
		names[a.Username] = true
		if err := auth.DefaultPasswordPolicy.Check(a.Username, a.Password); err != nil {
			t.Errorf("%s: password %q breaks the policy: %v", a.Username, a.Password, err)
		}
		u := auth.User{Username: a.Username, Role: a.Role, OrgID: 1, PersonID: 1}
		if err := u.Validate(); err != nil {
			t.Errorf("%s: %v", a.Username, err)
		}
		if a.Note == "" {
			t.Errorf("%s has no note", a.Username)
		}
	}
	for _, r := range auth.Roles {
		if !roles[r] {
			t.Errorf("no demo account for role %s", r)
		}
	}
}
