package web

import (
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/msg"
)

// UserOut is an account as the API shows it (never its hash or secret).
type UserOut struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        auth.Role `json:"role"`
	RoleLabel   string    `json:"role_label"`
	OrgID       int64     `json:"org_id"`
	PersonID    int64     `json:"person_id"`
	Disabled    bool      `json:"disabled"`
	LockedUntil Time      `json:"locked_until"`
	CreatedAt   time.Time `json:"created_at"`
	// SecondFactor tells whether the owner has set up an authenticator.
	SecondFactor bool `json:"second_factor"`
}

// NewUserOut shows an account.
func NewUserOut(u *auth.User) UserOut {
	return UserOut{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		RoleLabel: msg.Text("role." + string(u.Role)), OrgID: u.OrgID, PersonID: u.PersonID,
		Disabled: u.Disabled, LockedUntil: Time{u.LockedUntil}, CreatedAt: u.CreatedAt, SecondFactor: u.Enrolled()}
}
