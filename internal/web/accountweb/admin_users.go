package accountweb

// 账号管理: the system administrator proposes accounts (with the role and the
// organisation subtree each works in) and, on a fresh installation, creates
// the top organisations. A proposed account has no password and does not work
// until the security administrator activates it, so the system administrator
// never holds a working login. The system administrator never reads roster
// data either: a member's account is linked to a roster person by number
// only, which the store checks.

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// rootKinds are the kinds a top organisation may have (org.Kind.MayBeUnder("")).
var rootKinds = []org.Kind{org.Committee, org.Unit, org.Township}

// userPageSize is how many accounts a list page shows.
const userPageSize = 30

// userQuery is an account list's filter as it appears in the address bar.
type userQuery struct {
	Query, Role string
	Pending     bool // only accounts waiting for activation
	Page        int
}

func parseUserQuery(q url.Values) userQuery {
	in := web.Input{Values: q}
	uq := userQuery{Query: in.Str("q"), Role: in.Str("role"), Pending: in.Flag("pending"), Page: in.Page()}
	if !auth.Role(uq.Role).Valid() {
		uq.Role = ""
	}
	return uq
}

func (q userQuery) filter(size int) store.UserFilter {
	return store.UserFilter{Query: q.Query, Role: auth.Role(q.Role), Pending: q.Pending, Limit: size, Offset: (q.Page - 1) * size}
}

// userListing is the paging part of the two account lists (账号管理, 账号安全);
// the "pager" template reads it.
type userListing struct {
	Q                  userQuery
	Total, Page, Pages int
	base               string
}

// Link is the address of another page of the same listing.
func (l userListing) Link(n int) string {
	v := url.Values{}
	if l.Q.Query != "" {
		v.Set("q", l.Q.Query)
	}
	if l.Q.Role != "" {
		v.Set("role", l.Q.Role)
	}
	if l.Q.Pending {
		v.Set("pending", "1")
	}
	v.Set("page", strconv.Itoa(n))
	return l.base + "?" + v.Encode()
}

// userRow is an account as the lists show it.
type userRow struct {
	auth.User
	RoleLabel, OrgName, Status string
	Locked                     bool
	AwaitingActivation         bool
}

// newUserRow shows an account in a list; names maps organisations to names.
func (s *area) newUserRow(u *auth.User, names map[int64]string) userRow {
	return userRow{User: *u, RoleLabel: msg.Text("role." + string(u.Role)), OrgName: names[u.OrgID],
		Status: s.userStatus(u), Locked: u.Locked(s.st.Now()), AwaitingActivation: u.Pending()}
}

// userStatus is one word for an account's state: 待核准激活, 停用, 锁定至…,
// 待修改初始密码 or 正常.
func (s *area) userStatus(u *auth.User) string {
	switch {
	case u.Pending():
		return msg.Text("user.status.pending")
	case u.Disabled:
		return msg.Text("user.status.disabled")
	case u.Locked(s.st.Now()):
		return msg.Format("user.status.locked", u.LockedUntil.In(web.China).Format("2006-01-02 15:04"))
	case u.MustChange:
		return msg.Text("user.status.must")
	}
	return msg.Text("user.status.active")
}

// orgNames maps every organisation (closed ones too) in the scope to its name.
func (s *area) orgNames(ctx context.Context, sc auth.Scope) (map[int64]string, error) {
	list, err := s.st.Orgs(ctx, sc, store.OrgFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(list))
	for _, o := range list {
		names[o.ID] = o.Label
	}
	return names, nil
}

// userListing reads one page of accounts for a list page.
func (s *area) userListing(r *http.Request, c *web.Call, base string) (userListing, []userRow, error) {
	q := parseUserQuery(r.URL.Query())
	list, total, err := s.st.Users(r.Context(), q.filter(userPageSize))
	if err != nil {
		return userListing{}, nil, err
	}
	names, err := s.orgNames(r.Context(), c.Scope)
	if err != nil {
		return userListing{}, nil, err
	}
	rows := make([]userRow, 0, len(list))
	for i := range list {
		rows = append(rows, s.newUserRow(&list[i], names))
	}
	l := userListing{Q: q, Total: total, Page: q.Page, Pages: (total + userPageSize - 1) / userPageSize, base: base}
	return l, rows, nil
}

func roleOptions() []web.Option {
	out := make([]web.Option, 0, len(auth.Roles))
	for _, r := range auth.Roles {
		out = append(out, web.Option{Value: string(r), Label: msg.Text("role." + string(r))})
	}
	return out
}

// userForm is the new-account form as typed, shown again when refused.
type userForm struct {
	Username, DisplayName, Role, OrgID, PersonID string
}

type usersPage struct {
	web.Layout
	userListing
	Rows       []userRow
	Roles      []web.Option
	Orgs       web.OrgTree
	RootKinds  []web.Option
	Roots      []org.Org
	Form       userForm
	FormPerson []web.Picked // the person chosen on a refused form
	RootForm   org.Org
	RootErrors map[string]string
}

// usersPage is the list with the new-account form, its scope's tree opened
// down to the organisation chosen in it (none at first).
func (s *area) usersPage(r *http.Request, c *web.Call, chosen int64) (*usersPage, error) {
	l, rows, err := s.userListing(r, c, "/users")
	if err != nil {
		return nil, err
	}
	p := &usersPage{Layout: s.Base(c, "账号管理", "/users"), userListing: l, Rows: rows, Roles: roleOptions()}
	if p.Orgs, err = s.OrgTree(r.Context(), c, chosen); err != nil {
		return nil, err
	}
	for _, k := range rootKinds {
		p.RootKinds = append(p.RootKinds, web.Option{Value: string(k), Label: msg.Text("kind." + string(k))})
	}
	roots, err := s.st.OrgsAround(r.Context(), c.Scope, 0, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	for _, o := range roots {
		if o.ParentID == 0 {
			p.Roots = append(p.Roots, o)
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) userList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.usersPage(r, c, 0)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "users", p)
}

// proposeUser reads the new-account form and proposes the account: role and
// scope as asked, no password. The security administrator checks and
// activates it; only then does it get a (temporary) password.
func (s *area) proposeUser(r *http.Request, c *web.Call) (userForm, *auth.User, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return userForm{}, nil, err
	}
	form := userForm{Username: in.Str("username"), DisplayName: in.Str("display_name"), Role: in.Str("role"),
		OrgID: in.Str("org_id"), PersonID: in.Str("person_id")}
	var v errs.Invalid
	u := &auth.User{Username: form.Username, DisplayName: form.DisplayName, Role: auth.Role(form.Role)}
	if !u.Role.IsAdmin() {
		// The three administrators work across the tree and own no roster
		// record; a scope sent for them is ignored.
		u.OrgID, u.PersonID = in.ID("org_id", &v), in.ID("person_id", &v)
	}
	if utf8.RuneCountInString(u.DisplayName) > 40 {
		v.Add("display_name", "user.display_name")
	}
	if err := web.AddProblems(&v, u.Validate()); err != nil {
		return form, nil, err
	}
	if err := v.Err(); err != nil {
		return form, nil, err
	}
	return form, u, s.st.ProposeUser(r.Context(), c.Actor, u)
}

func (s *area) userCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	form, _, err := s.proposeUser(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		chosen, _ := strconv.ParseInt(form.OrgID, 10, 64)
		p, err := s.usersPage(r, c, chosen)
		if err != nil {
			return err
		}
		p.Form, p.Errors = form, fields
		if id, err := strconv.ParseInt(form.PersonID, 10, 64); err == nil && id > 0 {
			label := "#" + form.PersonID
			if row, err := s.st.Person(r.Context(), auth.Everything, id); err == nil {
				label = row.Name + "（" + row.OrgLabel + "）"
			}
			p.FormPerson = []web.Picked{{ID: id, Label: label}}
		}
		return s.Render(w, r, status, "users", p)
	}, "/users?notice=user_proposed")
}

// rootOrgCreate adds a top organisation. A fresh installation has none, and
// only the system administrator works across the whole tree to create one;
// the committee staff then build the tree under it.
func (s *area) rootOrgCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	o := org.Org{Kind: org.Kind(in.Str("kind")), Name: in.Str("name"), SortOrder: in.Num("sort_order", 0)}
	err = s.st.CreateOrg(r.Context(), c.Actor, auth.Everything, &o) // the store allows only the kinds that may be at the top
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.usersPage(r, c, 0)
		if err != nil {
			return err
		}
		p.RootForm, p.RootErrors = o, fields
		return s.Render(w, r, status, "users", p)
	}, "/users?notice=root_created")
}

// --- JSON API ---

// accountOut is an account with what the account administrators also need:
// the organisation's name and the security state.
type accountOut struct {
	web.UserOut
	OrgName           string   `json:"org_name"`
	Locked            bool     `json:"locked"`
	Failures          int      `json:"failures"`
	MustChange        bool     `json:"must_change"`
	Pending           bool     `json:"pending"`
	CreatedBy         int64    `json:"created_by"`
	PasswordChangedAt web.Time `json:"password_changed_at"`
	Status            string   `json:"status"`
	// TemporaryPassword is set once, in the answer to an activation or a reset.
	TemporaryPassword string `json:"temporary_password,omitempty"`
}

func (s *area) accountOut(u *auth.User, orgName string) accountOut {
	return accountOut{UserOut: web.NewUserOut(u), OrgName: orgName, Locked: u.Locked(s.st.Now()), Failures: u.Failures,
		MustChange: u.MustChange, Pending: u.Pending(), CreatedBy: u.CreatedBy, PasswordChangedAt: web.Time{Time: u.PasswordChangedAt},
		Status: s.userStatus(u)}
}

func (s *area) apiUserList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q := parseUserQuery(r.URL.Query())
	size := userPageSize
	if n := (web.Input{Values: r.URL.Query()}).Num("page_size", userPageSize); n > 0 && n <= 200 {
		size = n
	}
	list, total, err := s.st.Users(r.Context(), q.filter(size))
	if err != nil {
		return err
	}
	names, err := s.orgNames(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	out := web.List[accountOut]{Items: make([]accountOut, 0, len(list)), Total: total, Page: q.Page, PageSize: size}
	for i := range list {
		out.Items = append(out.Items, s.accountOut(&list[i], names[list[i].OrgID]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiUserCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	_, u, err := s.proposeUser(r, c)
	if err != nil {
		return err
	}
	return s.apiAccount(w, r, c, u.ID, http.StatusCreated, "")
}

// apiAccount answers with an account as it now stands and, after an
// activation or a reset, its temporary password.
func (s *area) apiAccount(w http.ResponseWriter, r *http.Request, c *web.Call, id int64, status int, temporary string) error {
	u, err := s.st.User(r.Context(), id)
	if err != nil {
		return err
	}
	name := ""
	if u.OrgID != 0 {
		if o, err := s.st.Org(r.Context(), c.Scope, u.OrgID); err == nil {
			name = o.Name
		}
	}
	out := s.accountOut(u, name)
	out.TemporaryPassword = temporary
	web.WriteJSON(w, status, out)
	return nil
}
