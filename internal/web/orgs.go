package web

import (
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// orgView is an organisation as pages and the API show it.
type orgView struct {
	org.Org
	KindLabel string
	TermEnd   date.Date
	TermState org.TermState
}

func (s *Server) orgView(o org.Org) orgView {
	today := s.today()
	r := org.DefaultTermRules
	return orgView{Org: o, KindLabel: msg.Text("kind." + string(o.Kind)), TermEnd: r.TermEnd(&o), TermState: r.Term(&o, today)}
}

func (s *Server) today() date.Date { return date.FromTime(s.st.Now().In(china)) }

func (v orgView) json() map[string]any {
	return map[string]any{"id": v.ID, "parent_id": v.ParentID, "kind": v.Kind, "kind_label": v.KindLabel, "name": v.Name,
		"path": v.Path, "depth": v.Depth(), "sort_order": v.SortOrder, "term_start": v.TermStart, "term_end": v.TermEnd,
		"term_state": v.TermState, "closed_on": v.ClosedOn, "version": v.Version}
}

// orgFromInput reads the fields of an organisation form.
func orgFromInput(in input, v *errs.Invalid) org.Org {
	return org.Org{
		ParentID:  in.id("parent_id", v),
		Kind:      org.Kind(in.str("kind")),
		Name:      in.str("name"),
		SortOrder: in.num("sort_order", 0),
		TermStart: in.date("term_start", v),
		Version:   int64(in.num("version", 0)),
	}
}

func kindOptions() []option {
	var out []option
	for _, k := range org.Kinds {
		out = append(out, option{string(k), msg.Text("kind." + string(k))})
	}
	return out
}

func orgOptions(list []org.Org) []option {
	out := make([]option, 0, len(list))
	for _, o := range list {
		indent := ""
		for i := 0; i < o.Depth(); i++ {
			indent += "　"
		}
		out = append(out, option{strconv.FormatInt(o.ID, 10), indent + o.Name})
	}
	return out
}

type orgTreePage struct {
	page
	Orgs     []orgView
	CanWrite bool
	Closed   bool
}

func (s *Server) orgTree(w http.ResponseWriter, r *http.Request, c *call) error {
	closed := r.URL.Query().Get("closed") == "1"
	list, err := s.st.Orgs(r.Context(), c.scope, store.OrgFilter{IncludeClosed: closed})
	if err != nil {
		return err
	}
	p := orgTreePage{page: s.base(c, "组织体系", "/orgs"), CanWrite: c.can(auth.OrgWrite), Closed: closed}
	for _, o := range list {
		p.Orgs = append(p.Orgs, s.orgView(o))
	}
	p.Notice = notice(r)
	return s.render(w, r, http.StatusOK, "orgs", p)
}

type orgFormPage struct {
	page
	Org     org.Org
	Kinds   []option
	Parents []option
}

func (s *Server) orgFormPage(r *http.Request, c *call, o org.Org) (orgFormPage, error) {
	list, err := s.st.Orgs(r.Context(), c.scope, store.OrgFilter{})
	if err != nil {
		return orgFormPage{}, err
	}
	return orgFormPage{page: s.base(c, "新建组织", "/orgs"), Org: o, Kinds: kindOptions(), Parents: orgOptions(list)}, nil
}

func (s *Server) orgNewForm(w http.ResponseWriter, r *http.Request, c *call) error {
	var v errs.Invalid
	in := input{r.URL.Query()}
	p, err := s.orgFormPage(r, c, org.Org{ParentID: in.id("parent", &v), Kind: org.Kind(in.str("kind"))})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "org_new", p)
}

func (s *Server) createOrg(r *http.Request, c *call) (org.Org, error) {
	in, err := readInput(r)
	if err != nil {
		return org.Org{}, err
	}
	var v errs.Invalid
	o := orgFromInput(in, &v)
	if err := v.Err(); err != nil {
		return o, err
	}
	return o, s.st.CreateOrg(r.Context(), c.actor, c.scope, &o)
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.createOrg(r, c)
	return submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.orgFormPage(r, c, o)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.render(w, r, status, "org_new", p)
	}, "/orgs/"+strconv.FormatInt(o.ID, 10)+"?notice=created")
}

type orgShowPage struct {
	page
	Org       orgView
	Parent    *org.Org
	Children  []orgView
	Committee []org.CommitteeMember
	History   []store.OrgEvent
	Parents   []option // where it may move
	Members   []option // who may sit on its committee
	Positions []option
	CanWrite  bool
	People    int
	Form      org.Org // the edit form's values (differs from Org after a refused edit)
}

func (s *Server) orgShowPage(r *http.Request, c *call, id int64) (*orgShowPage, error) {
	ctx := r.Context()
	o, err := s.st.Org(ctx, c.scope, id)
	if err != nil {
		return nil, err
	}
	p := &orgShowPage{page: s.base(c, o.Name, "/orgs"), Org: s.orgView(*o), CanWrite: c.can(auth.OrgWrite), Form: *o}
	if o.ParentID != 0 {
		p.Parent, _ = s.st.Org(ctx, c.scope, o.ParentID)
	}
	sub := auth.Scope{OrgPath: o.Path}
	all, err := s.st.Orgs(ctx, c.scope, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		if x.ParentID == o.ID {
			p.Children = append(p.Children, s.orgView(x))
		}
		if !sub.Includes(x.Path) && o.Kind.MayBeUnder(x.Kind) {
			p.Parents = append(p.Parents, orgOptions([]org.Org{x})...)
		}
	}
	if p.Committee, err = s.st.Committee(ctx, c.scope, id); err != nil {
		return nil, err
	}
	if p.History, err = s.st.OrgHistory(ctx, c.scope, id); err != nil {
		return nil, err
	}
	members, err := s.st.People(ctx, sub, store.PersonFilter{Statuses: []people.Status{people.Full, people.Probationary}, Sort: "name", Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, m := range members.Items {
		p.Members = append(p.Members, option{strconv.FormatInt(m.ID, 10), m.Name + "（" + m.OrgName + "）"})
	}
	count, err := s.st.People(ctx, sub, store.PersonFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	p.People = count.Total
	p.Positions, err = s.dictOptions(r, "committee_position")
	p.Notice = notice(r)
	return p, err
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.orgShowPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "org_show", p)
}

// orgAction runs a change from the organisation page and shows the page again:
// with the messages beside the fields when the input was refused.
func (s *Server) orgAction(w http.ResponseWriter, r *http.Request, c *call, change func(in input, id int64) error, done string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := readInput(r)
	if err != nil {
		return err
	}
	return submitted(w, r, change(in, id), func(status int, fields map[string]string) error {
		p, err := s.orgShowPage(r, c, id)
		if err != nil {
			return err
		}
		p.Errors = fields
		if in.has("name") { // the edit form was refused: show what was typed
			var v errs.Invalid
			p.Form = orgFromInput(in, &v)
		}
		return s.render(w, r, status, "org_show", p)
	}, "/orgs/"+strconv.FormatInt(id, 10)+"?notice="+done)
}

func (s *Server) updateOrg(r *http.Request, c *call, in input, id int64) (*org.Org, error) {
	old, err := s.st.Org(r.Context(), c.scope, id)
	if err != nil {
		return nil, err
	}
	var v errs.Invalid
	o := orgFromInput(in, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	o.ID, o.Kind, o.ParentID = id, old.Kind, old.ParentID
	return &o, s.st.UpdateOrg(r.Context(), c.actor, c.scope, &o)
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgAction(w, r, c, func(in input, id int64) error { _, err := s.updateOrg(r, c, in, id); return err }, "saved")
}

func (s *Server) moveOrg(r *http.Request, c *call, in input, id int64) error {
	var v errs.Invalid
	parent := in.id("parent_id", &v)
	if parent == 0 {
		v.Add("parent_id", "required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.MoveOrg(r.Context(), c.actor, c.scope, id, parent, int64(in.num("version", 0)))
}

func (s *Server) orgMove(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgAction(w, r, c, func(in input, id int64) error { return s.moveOrg(r, c, in, id) }, "moved")
}

func (s *Server) closeOrg(r *http.Request, c *call, in input, id int64) error {
	var v errs.Invalid
	on := in.date("closed_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.CloseOrg(r.Context(), c.actor, c.scope, id, on)
}

func (s *Server) orgClose(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgAction(w, r, c, func(in input, id int64) error { return s.closeOrg(r, c, in, id) }, "closed")
}

func (s *Server) addCommittee(r *http.Request, c *call, in input, id int64) (*org.CommitteeMember, error) {
	var v errs.Invalid
	m := &org.CommitteeMember{OrgID: id, PersonID: in.id("person_id", &v), Position: in.str("position"), Duty: in.str("duty"),
		From: in.date("from", &v), To: in.date("to", &v)}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return m, s.st.AddCommitteeMember(r.Context(), c.actor, c.scope, m)
}

func (s *Server) committeeAdd(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgAction(w, r, c, func(in input, id int64) error { _, err := s.addCommittee(r, c, in, id); return err }, "committee")
}

func (s *Server) endCommittee(r *http.Request, c *call, in input, id int64) error {
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	var v errs.Invalid
	to := in.date("to", &v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.EndCommitteeMember(r.Context(), c.actor, c.scope, id, mid, to)
}

func (s *Server) committeeEnd(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgAction(w, r, c, func(in input, id int64) error { return s.endCommittee(r, c, in, id) }, "committee")
}

// notice turns a ?notice= code after a redirect into its one-line message.
func notice(r *http.Request) string {
	n := r.URL.Query().Get("notice")
	if n == "" {
		return ""
	}
	if !msg.Has("notice." + n) {
		return ""
	}
	return msg.Text("notice." + n)
}

// dictOptions are a dictionary's enabled items as dropdown options.
func (s *Server) dictOptions(r *http.Request, name string) ([]option, error) {
	items, err := s.st.DictItems(r.Context(), name)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, it := range items {
		if !it.Disabled {
			out = append(out, option{it.Label, it.Label})
		}
	}
	return out, nil
}

// --- JSON API ---

func (s *Server) apiOrgList(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := s.st.Orgs(r.Context(), c.scope, store.OrgFilter{IncludeClosed: r.URL.Query().Get("closed") == "true"})
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, o := range list {
		out = append(out, s.orgView(o).json())
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiOrgCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.createOrg(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.orgView(o).json())
	return nil
}

func (s *Server) apiOrgGet(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.st.Org(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	committee, err := s.st.Committee(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	seats := make([]map[string]any, 0, len(committee))
	for _, m := range committee {
		seats = append(seats, seatJSON(m))
	}
	out := s.orgView(*o).json()
	out["committee"] = seats
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiOrgChange runs an organisation change and answers with the organisation.
func (s *Server) apiOrgChange(w http.ResponseWriter, r *http.Request, c *call, change func(in input, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := readInput(r)
	if err != nil {
		return err
	}
	if err := change(in, id); err != nil {
		return err
	}
	o, err := s.st.Org(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.orgView(*o).json())
	return nil
}

func (s *Server) apiOrgUpdate(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiOrgChange(w, r, c, func(in input, id int64) error { _, err := s.updateOrg(r, c, in, id); return err })
}

func (s *Server) apiOrgMove(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiOrgChange(w, r, c, func(in input, id int64) error { return s.moveOrg(r, c, in, id) })
}

func (s *Server) apiOrgClose(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiOrgChange(w, r, c, func(in input, id int64) error { return s.closeOrg(r, c, in, id) })
}

func (s *Server) apiOrgHistory(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	hist, err := s.st.OrgHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(hist))
	for _, e := range hist {
		out = append(out, map[string]any{"at": e.At, "action": e.Action, "from": e.From, "to": e.To, "username": e.Username})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiCommitteeAdd(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := readInput(r)
	if err != nil {
		return err
	}
	m, err := s.addCommittee(r, c, in, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, seatJSON(*m))
	return nil
}

func seatJSON(m org.CommitteeMember) map[string]any {
	return map[string]any{"id": m.ID, "person_id": m.PersonID, "name": m.Name, "position": m.Position,
		"duty": m.Duty, "from": m.From, "to": m.To}
}

func (s *Server) apiCommitteeEnd(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.apiOrgChange(w, r, c, func(in input, id int64) error { return s.endCommittee(r, c, in, id) })
}
