package orgweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

type groupsPage struct {
	web.Layout
	Groups   []org.WorkingGroup
	OrgNames map[int64]string
	Orgs     []web.Option
	People   []web.Option
	Roles    []web.Option
	CanWrite bool
	Form     org.WorkingGroup
}

func (s *area) groupsPage(r *http.Request, c *web.Call) (*groupsPage, error) {
	ctx := r.Context()
	groups, err := s.st.WorkingGroups(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	orgs, err := s.st.Orgs(ctx, c.Scope, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	p := &groupsPage{Layout: s.Base(c, "工作小组", "/groups"), Groups: groups, OrgNames: map[int64]string{}, Orgs: web.OrgOptions(orgs),
		CanWrite: c.Can(auth.OrgWrite)}
	for _, o := range orgs {
		p.OrgNames[o.ID] = o.Name
	}
	if p.CanWrite {
		list, err := s.st.People(ctx, c.Scope, store.PersonFilter{Sort: "name", Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, m := range list.Items {
			p.People = append(p.People, web.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name + "（" + m.OrgName + "）"})
		}
		for _, role := range org.GroupRoles {
			p.Roles = append(p.Roles, web.Option{Value: string(role), Label: msg.Text("group_role." + string(role))})
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) groupList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.groupsPage(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "groups", p)
}

// groupFromInput reads a working group; its seats arrive as parallel lists
// members.person_id / members.role (repeated form inputs, or a JSON array of objects).
func groupFromInput(in web.Input, v *errs.Invalid) org.WorkingGroup {
	g := org.WorkingGroup{ID: in.ID("id", v), OrgID: in.ID("org_id", v), Name: in.Str("name"), Purpose: in.Str("purpose"),
		Office: in.Str("office"), SetUpOn: in.Date("set_up_on", v), ClosedOn: in.Date("closed_on", v)}
	ids, roles := in.Values["members.person_id"], in.Values["members.role"]
	for i, raw := range ids {
		if raw == "" {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || i >= len(roles) {
			v.Add("members", "invalid")
			continue
		}
		g.Members = append(g.Members, org.WorkingGroupMember{PersonID: id, Role: org.GroupRole(roles[i])})
	}
	return g
}

func (s *area) saveGroup(r *http.Request, c *web.Call) (org.WorkingGroup, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return org.WorkingGroup{}, err
	}
	var v errs.Invalid
	g := groupFromInput(in, &v)
	if err := v.Err(); err != nil {
		return g, err
	}
	return g, s.st.SaveWorkingGroup(r.Context(), c.Actor, c.Scope, &g)
}

func (s *area) groupSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	g, err := s.saveGroup(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.groupsPage(r, c)
		if err != nil {
			return err
		}
		p.Errors, p.Form = fields, g
		return s.Render(w, r, status, "groups", p)
	}, "/groups?notice=saved")
}

func groupJSON(g org.WorkingGroup) map[string]any {
	members := make([]map[string]any, 0, len(g.Members))
	for _, m := range g.Members {
		members = append(members, map[string]any{"person_id": m.PersonID, "name": m.Name, "role": m.Role,
			"role_label": msg.Text("group_role." + string(m.Role))})
	}
	return map[string]any{"id": g.ID, "org_id": g.OrgID, "name": g.Name, "purpose": g.Purpose, "office": g.Office,
		"set_up_on": g.SetUpOn, "closed_on": g.ClosedOn, "members": members}
}

func (s *area) apiGroupList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	groups, err := s.st.WorkingGroups(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(groups))
	for _, g := range groups {
		out = append(out, groupJSON(g))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *area) apiGroupSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	g, err := s.saveGroup(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, groupJSON(g))
	return nil
}
