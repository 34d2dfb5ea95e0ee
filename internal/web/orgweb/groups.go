package orgweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/web"
)

type groupsPage struct {
	web.Layout
	Groups   []org.WorkingGroup
	OrgNames map[int64]string
	Orgs     web.OrgTree
	Roles    []web.Option
	CanWrite bool
	Form     org.WorkingGroup
	Chosen   []web.Picked // the form's members, as the picker shows them
	Action   string       // where the form posts: /groups, or /groups/{id} for an edit
	Editing  bool
}

func (s *area) groupsPage(r *http.Request, c *web.Call, title string) (*groupsPage, error) {
	ctx := r.Context()
	groups, err := s.st.WorkingGroups(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	p := &groupsPage{Layout: s.Base(c, title, "/groups"), Groups: groups, OrgNames: map[int64]string{}, CanWrite: c.Can(auth.OrgWrite), Action: "/groups"}
	if p.Orgs, err = s.OrgTree(ctx, c, c.User.OrgID); err != nil {
		return nil, err
	}
	for _, g := range groups { // a few groups: their organisations named one by one
		if _, ok := p.OrgNames[g.OrgID]; !ok {
			if p.OrgNames[g.OrgID], err = s.OrgLabelOf(ctx, g.OrgID); err != nil {
				return nil, err
			}
		}
	}
	if p.CanWrite {
		for _, role := range org.GroupRoles {
			p.Roles = append(p.Roles, web.Option{Value: string(role), Label: msg.Text("group_role." + string(role))})
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

// choose fills the form with a group and its members as the picker shows
// them: by name and organisation, looked up in the scope when a refused
// form brought back only their numbers.
func (s *area) choose(r *http.Request, c *web.Call, p *groupsPage, g org.WorkingGroup) error {
	p.Form, p.Chosen = g, nil
	var err error
	if p.Orgs, err = s.OrgTree(r.Context(), c, g.OrgID); err != nil {
		return err
	}
	for _, m := range g.Members {
		label := m.Name
		if row, err := s.st.Person(r.Context(), c.Scope, m.PersonID); err == nil {
			label = row.Name + "（" + row.OrgLabel + "）"
		}
		if label == "" {
			label = "#" + strconv.FormatInt(m.PersonID, 10)
		}
		p.Chosen = append(p.Chosen, web.Picked{ID: m.PersonID, Label: label, Extra: string(m.Role)})
	}
	return nil
}

func (s *area) groupList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.groupsPage(r, c, "工作小组")
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "groups", p)
}

// groupEditForm shows a group's form filled in: its fields and its members,
// as many as it has; members are added and taken out with the picker.
func (s *area) groupEditForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	g, err := s.st.WorkingGroup(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	p, err := s.groupsPage(r, c, "编辑："+g.Name)
	if err != nil {
		return err
	}
	p.Action, p.Editing = "/groups/"+strconv.FormatInt(id, 10), true
	if err := s.choose(r, c, p, *g); err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "groups", p)
}

func (s *area) updateGroup(r *http.Request, c *web.Call) (org.WorkingGroup, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return org.WorkingGroup{}, err
	}
	old, err := s.st.WorkingGroup(r.Context(), c.Scope, id)
	if err != nil {
		return org.WorkingGroup{}, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return *old, err
	}
	var v errs.Invalid
	g := *old
	g.Members = nil // the form sends every member it shows; none left means none
	readGroup(in, &g, &v)
	g.Version = in.Version(&v)
	if err := web.AddProblems(&v, g.Validate()); err != nil {
		return g, err
	}
	if err := v.Err(); err != nil {
		return g, err
	}
	return g, s.st.SaveWorkingGroup(r.Context(), c.Actor, c.Scope, &g)
}

func (s *area) groupUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	g, err := s.updateGroup(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.groupsPage(r, c, "编辑："+g.Name)
		if err != nil {
			return err
		}
		p.Action, p.Editing, p.Errors = "/groups/"+strconv.FormatInt(g.ID, 10), true, fields
		if err := s.choose(r, c, p, g); err != nil {
			return err
		}
		return s.Render(w, r, status, "groups", p)
	}, "/groups?notice=group_saved#group-"+strconv.FormatInt(g.ID, 10))
}

// groupIn is the body of POST /api/v1/groups and PATCH /api/v1/groups/{id}
// as the OpenAPI document describes it; readGroup enforces each maxLength.
// members, when sent, replaces the seats of the people in the caller's
// scope; seats of others are kept.
type groupIn struct {
	OrgID    int64           `json:"org_id"`
	Name     string          `json:"name" maxLength:"60"`
	Purpose  string          `json:"purpose" maxLength:"500"`
	Office   string          `json:"office" maxLength:"60"`
	SetUpOn  date.Date       `json:"set_up_on"`
	ClosedOn date.Date       `json:"closed_on"`
	Members  []groupMemberIn `json:"members"`
	Version  int64           `json:"version"` // required on PATCH
}

type groupMemberIn struct {
	PersonID int64  `json:"person_id"`
	Role     string `json:"role" maxLength:"20"`
}

// readGroup reads the working-group fields present in the input onto g: a
// new group starts empty, an edit from the stored one (PATCH). Seats arrive
// as parallel lists members.person_id / members.role (repeated form inputs,
// or a JSON array of objects); an empty JSON array empties them.
func readGroup(in web.Input, g *org.WorkingGroup, v *errs.Invalid) {
	text := func(name string, max int, dst *string) {
		if in.Has(name) {
			*dst = in.Text(name, max, v)
		}
	}
	day := func(name string, dst *date.Date) {
		if in.Has(name) {
			*dst = in.Date(name, v)
		}
	}
	if in.Has("org_id") {
		g.OrgID = in.ID("org_id", v)
	}
	text("name", org.MaxName, &g.Name)
	text("purpose", org.MaxPurpose, &g.Purpose)
	text("office", org.MaxOffice, &g.Office)
	day("set_up_on", &g.SetUpOn)
	day("closed_on", &g.ClosedOn)
	if !in.Has("members") && !in.Has("members.person_id") {
		return
	}
	ids, roles := in.Values["members.person_id"], in.Values["members.role"]
	g.Members = nil
	for i, raw := range ids {
		if raw == "" {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || i >= len(roles) || len(roles[i]) > maxChoice {
			v.Add("members", "invalid")
			continue
		}
		g.Members = append(g.Members, org.WorkingGroupMember{PersonID: id, Role: org.GroupRole(roles[i])})
	}
}

func (s *area) createGroup(r *http.Request, c *web.Call) (org.WorkingGroup, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return org.WorkingGroup{}, err
	}
	var v errs.Invalid
	var g org.WorkingGroup
	readGroup(in, &g, &v)
	if err := web.AddProblems(&v, g.Validate()); err != nil {
		return g, err
	}
	if err := v.Err(); err != nil {
		return g, err
	}
	return g, s.st.SaveWorkingGroup(r.Context(), c.Actor, c.Scope, &g)
}

func (s *area) groupSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	g, err := s.createGroup(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.groupsPage(r, c, "工作小组")
		if err != nil {
			return err
		}
		p.Errors = fields
		if err := s.choose(r, c, p, g); err != nil {
			return err
		}
		return s.Render(w, r, status, "groups", p)
	}, "/groups?notice=group_saved")
}

// groupOut is a working group as the API answers it: the seats of people in
// the caller's scope by name, the others counted.
type groupOut struct {
	ID       int64            `json:"id"`
	OrgID    int64            `json:"org_id"`
	Name     string           `json:"name"`
	Purpose  string           `json:"purpose"`
	Office   string           `json:"office"`
	SetUpOn  date.Date        `json:"set_up_on"`
	ClosedOn date.Date        `json:"closed_on"`
	Members  []groupMemberOut `json:"members"`
	Others   int              `json:"others"` // seats of people outside the caller's scope
	Version  int64            `json:"version"`
}

type groupMemberOut struct {
	PersonID  int64         `json:"person_id"`
	Name      string        `json:"name"`
	Role      org.GroupRole `json:"role"`
	RoleLabel string        `json:"role_label"`
}

func newGroupOut(g org.WorkingGroup) groupOut {
	out := groupOut{ID: g.ID, OrgID: g.OrgID, Name: g.Name, Purpose: g.Purpose, Office: g.Office, SetUpOn: g.SetUpOn,
		ClosedOn: g.ClosedOn, Members: make([]groupMemberOut, 0, len(g.Members)), Others: g.Others, Version: g.Version}
	for _, m := range g.Members {
		out.Members = append(out.Members, groupMemberOut{PersonID: m.PersonID, Name: m.Name, Role: m.Role,
			RoleLabel: msg.Text("group_role." + string(m.Role))})
	}
	return out
}

func (s *area) apiGroupList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	groups, err := s.st.WorkingGroups(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	out := web.Items[groupOut]{Items: make([]groupOut, 0, len(groups))}
	for _, g := range groups {
		out.Items = append(out.Items, newGroupOut(g))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiGroupCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	g, err := s.createGroup(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newGroupOut(g))
	return nil
}

// apiGroupUpdate changes the fields present (PATCH); version is required.
func (s *area) apiGroupUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := s.st.WorkingGroup(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	g := *old
	readGroup(in, &g, &v)
	g.Version = in.Version(&v)
	if err := web.AddProblems(&v, g.Validate()); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.st.SaveWorkingGroup(r.Context(), c.Actor, c.Scope, &g); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, newGroupOut(g))
	return nil
}
