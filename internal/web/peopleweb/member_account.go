package peopleweb

import (
	"errors"
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
	"dangjian/internal/web"
)

// A branch secretary or the committee opens the login of a member of their
// own scope from the person's page, so that 320 members can sign in without
// the system administrator (who never sees the roster) knowing who they are.
// The account can only ever be a member's own: role member, linked to the
// person, with a temporary password shown once and changed at first login.

// openMemberAccount creates the account and returns it with its temporary
// password. The rules (the person inside the caller's scope, still on the
// roster, without an account; a username nobody has) are the store's, kept
// in the transaction that creates the account.
func (s *area) openMemberAccount(r *http.Request, c *web.Call) (*auth.User, string, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return nil, "", err
	}
	username := in.Str("username")
	if username == "" {
		row, err := s.st.Person(r.Context(), c.Scope, id)
		if err != nil {
			return nil, "", err
		}
		username = suggestUsername(&row.Person)
	}
	password, err := s.Config().Password.Temporary(username)
	if err != nil {
		return nil, "", err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u, err := s.st.OpenMemberAccount(r.Context(), c.Actor, c.Scope, id, username, hash)
	if err != nil {
		return nil, "", err
	}
	return u, password, nil
}

// suggestUsername is the pinyin initials and the last four characters of the
// ID number (张伟, …1234 → zw1234): short to type on a phone, rarely taken.
func suggestUsername(p *people.Person) string {
	name := people.Initials(p.Name)
	if len(name) == 0 || name[0] < 'a' || name[0] > 'z' {
		name = "dy" + name
	}
	tail := strconv.FormatInt(p.ID, 10)
	if len(p.IDNumber) == 18 {
		tail = p.IDNumber[14:]
	}
	for len(name+tail) < 3 {
		tail += "0"
	}
	return name + tail
}

func (s *area) personAccount(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	u, password, err := s.openMemberAccount(r, c)
	id, _ := web.PathID(r, "id")
	if fields := web.InvalidFields(err); fields != nil {
		p, perr := s.personPage(r, c, id, false, false)
		if perr != nil {
			return perr
		}
		p.Errors = accountFormErrors(fields)
		return s.Render(w, r, web.Status(err), "person", p)
	}
	if err != nil {
		return err
	}
	p, err := s.personPage(r, c, id, false, false)
	if err != nil {
		return err
	}
	p.NewAccount = &newAccount{Username: u.Username, Password: auth.GroupForReading(password)}
	return s.Render(w, r, http.StatusOK, "person", p)
}

func (s *area) apiPersonAccount(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	u, password, err := s.openMemberAccount(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newAccountOut{User: web.NewUserOut(u), TemporaryPassword: password})
	return nil
}

// accountFormErrors places the messages of a refused opening on the person
// page, whose account form has only the username: a message about the person
// goes above the form.
func accountFormErrors(fields map[string]string) map[string]string {
	out := map[string]string{}
	for f, m := range fields {
		if f != "username" {
			f = ""
		}
		out[f] = m
	}
	return out
}

// newAccount is shown once on the person page after an account is opened.
type newAccount struct{ Username, Password string }

// personAccountState says on the person page whether the person can log in.
func (s *area) personAccountState(r *http.Request, id int64) (*auth.User, error) {
	u, err := s.st.UserByPerson(r.Context(), id)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// newAccountOut answers the opening of a member's login: the account and,
// this once, its temporary password.
type newAccountOut struct {
	User              web.UserOut `json:"user"`
	TemporaryPassword string      `json:"temporary_password"`
}
