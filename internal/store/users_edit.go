package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// AccountEdit is what the system administrator may change on an account
// after it was created: the name shown, the organisation it works in and
// the roster person it is linked to. The username and the role stay: a
// new role is a new account, which the security administrator approves.
type AccountEdit struct {
	DisplayName string
	OrgID       int64
	PersonID    int64
	Version     int64
}

// UpdateAccount applies an edit to an account under the rules of a new one
// (checkAccount: the organisation exists, the person is on the roster,
// inside the organisation and has no other account), audited with the
// account before and after.
func (s *Store) UpdateAccount(ctx context.Context, a audit.Actor, id int64, e AccountEdit) (*auth.User, error) {
	var out *auth.User
	err := s.inTx(ctx, func(t *tx) error {
		u, err := scanUser(t.queryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.id = ?", id))
		if err != nil {
			return err
		}
		before := userSnapshot(u)
		u.DisplayName = e.DisplayName
		if !u.Role.IsAdmin() {
			u.OrgID, u.PersonID = e.OrgID, e.PersonID
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := t.checkAccount(ctx, u); err != nil {
			return err
		}
		if err := t.update(ctx, `UPDATE users SET display_name = ?, org_id = ?, person_id = ?, version = version + 1 WHERE id = ? AND version = ?`,
			u.DisplayName, nullID(u.OrgID), nullID(u.PersonID), id, e.Version); err != nil {
			return err
		}
		u.Version = e.Version + 1
		out = u
		return t.audit(ctx, a, Change{Action: "user.update", ObjectType: "user", ObjectID: id, Before: before, After: userSnapshot(u)})
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, errs.ErrNotFound
	}
	return out, nil
}
