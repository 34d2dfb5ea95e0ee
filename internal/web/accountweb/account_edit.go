package accountweb

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// An account is edited after creation: its name, the organisation it works
// in and the roster person it is linked to, chosen with the person picker
// (name or pinyin initials) instead of a number read from an address bar.
// The username and the role stay: a different role is a new account, which
// the security administrator approves.

type accountEditPage struct {
	web.Layout
	Account   auth.User
	RoleLabel string
	Orgs      web.OrgTree
	Person    []web.Picked // the linked person, as the picker shows it
	Form      store.AccountEdit
}

func (s *area) accountEditPage(r *http.Request, c *web.Call, u *auth.User, form store.AccountEdit) (*accountEditPage, error) {
	orgs, err := s.OrgTree(r.Context(), c, form.OrgID)
	if err != nil {
		return nil, err
	}
	p := &accountEditPage{Layout: s.Base(c, "编辑账号："+u.Username, "/users"), Account: *u, RoleLabel: msg.Text("role." + string(u.Role)),
		Orgs: orgs, Form: form}
	if form.PersonID != 0 {
		label := "#" + strconv.FormatInt(form.PersonID, 10)
		if row, err := s.st.Person(r.Context(), auth.Everything, form.PersonID); err == nil {
			label = row.Name + "（" + row.OrgLabel + "）"
		}
		p.Person = []web.Picked{{ID: form.PersonID, Label: label}}
	}
	return p, nil
}

func (s *area) accountEditForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := s.accountEditPage(r, c, u, store.AccountEdit{DisplayName: u.DisplayName, OrgID: u.OrgID, PersonID: u.PersonID, Version: u.Version})
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "account_edit", p)
}

func (s *area) readAccountEdit(r *http.Request) (store.AccountEdit, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return store.AccountEdit{}, err
	}
	var v errs.Invalid
	e := store.AccountEdit{DisplayName: in.Str("display_name"), OrgID: in.ID("org_id", &v), PersonID: in.ID("person_id", &v), Version: in.Version(&v)}
	if utf8.RuneCountInString(e.DisplayName) > 40 {
		v.Add("display_name", "user.display_name")
	}
	return e, v.Err()
}

func (s *area) accountUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return err
	}
	e, err := s.readAccountEdit(r)
	if err == nil {
		_, err = s.st.UpdateAccount(r.Context(), c.Actor, id, e)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.accountEditPage(r, c, u, e)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "account_edit", p)
	}, "/users?notice=saved")
}

// pickPerson serves the person picker of the account forms: anyone on the
// roster (an account may be linked anywhere in the tree), narrowed to the
// organisation chosen on the form, named by name and organisation only.
func (s *area) pickPerson(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	org := web.Input{Values: r.URL.Query()}.ID("org_id", &v)
	return s.PickPeople(w, r, auth.Everything, store.PersonFilter{OrgID: org})
}

// accountIn is the body of PATCH /api/v1/users/{id} as the OpenAPI document describes it.
type accountIn struct {
	DisplayName string `json:"display_name" maxLength:"40"`
	OrgID       int64  `json:"org_id"`
	PersonID    int64  `json:"person_id"`
	Version     int64  `json:"version"`
}

func (s *area) apiAccountUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.readAccountEdit(r)
	if err != nil {
		return err
	}
	if _, err := s.st.UpdateAccount(r.Context(), c.Actor, id, e); err != nil {
		return err
	}
	return s.apiAccount(w, r, c, id, http.StatusOK, "")
}
