package orgweb

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// orgView is an organisation as pages and the API show it.
type orgView struct {
	org.Org
	KindLabel string
	TermEnd   date.Date
	TermState org.TermState
}

// orgView shows the 换届 state by the configured term rules
// (config.Config.Terms), not by constants: provinces set their own.
func (s *area) orgView(o org.Org) orgView {
	r := s.Config().Terms
	return orgView{Org: o, KindLabel: msg.Text("kind." + string(o.Kind)), TermEnd: r.TermEnd(&o), TermState: r.Term(&o, s.Today())}
}

// orgOut is an organisation as the API answers it.
type orgOut struct {
	ID        int64         `json:"id"`
	ParentID  int64         `json:"parent_id"`
	Kind      org.Kind      `json:"kind"`
	KindLabel string        `json:"kind_label"`
	Name      string        `json:"name"`
	Path      string        `json:"path"`
	Depth     int           `json:"depth"`
	SortOrder int           `json:"sort_order"`
	TermStart date.Date     `json:"term_start"`
	TermEnd   date.Date     `json:"term_end"`
	TermState org.TermState `json:"term_state"`
	ClosedOn  date.Date     `json:"closed_on"`
	Version   int64         `json:"version"`
}

func (v orgView) out() orgOut {
	return orgOut{ID: v.ID, ParentID: v.ParentID, Kind: v.Kind, KindLabel: v.KindLabel, Name: v.Name, Path: v.Path, Depth: v.Depth(),
		SortOrder: v.SortOrder, TermStart: v.TermStart, TermEnd: v.TermEnd, TermState: v.TermState, ClosedOn: v.ClosedOn, Version: v.Version}
}

// orgIn is the body of POST /api/v1/orgs and PATCH /api/v1/orgs/{id} as the
// OpenAPI document describes it; readOrg enforces each maxLength. Kind and
// parent only on creation (moving is POST …/move).
type orgIn struct {
	ParentID  int64     `json:"parent_id"`
	Kind      string    `json:"kind" maxLength:"20"`
	Name      string    `json:"name" maxLength:"60"`
	SortOrder int       `json:"sort_order"`
	TermStart date.Date `json:"term_start"`
	Version   int64     `json:"version"` // required on PATCH
}

// readOrg reads the organisation fields present in the input onto o: a new
// organisation starts empty, an edit from the stored one, so a field the
// request leaves out keeps its value (PATCH).
func readOrg(in web.Input, o *org.Org, v *errs.Invalid) {
	if in.Has("parent_id") {
		o.ParentID = in.ID("parent_id", v)
	}
	if in.Has("kind") {
		o.Kind = org.Kind(in.Text("kind", maxChoice, v))
	}
	if in.Has("name") {
		o.Name = in.Text("name", org.MaxName, v)
	}
	if in.Has("sort_order") {
		o.SortOrder = int(in.Int("sort_order", v))
	}
	if in.Has("term_start") {
		o.TermStart = in.Date("term_start", v)
	}
}

// maxChoice is the longest value of a field chosen from a list (kind, role):
// nothing longer is one of the choices.
const maxChoice = 20

func kindOptions() []web.Option {
	var out []web.Option
	for _, k := range org.Kinds {
		out = append(out, web.Option{Value: string(k), Label: msg.Text("kind." + string(k))})
	}
	return out
}

type orgTreePage struct {
	web.Layout
	Roots    []*treeNode
	CanWrite bool
	Closed   bool
}

// treeNode is an organisation in the tree as the page draws it: open or
// closed with its children, its party members (its subtree's) and its 书记.
type treeNode struct {
	orgView
	Members   int
	Secretary string
	Children  []*treeNode
	Open      bool // drawn expanded: the top two levels
}

// buildTree nests a list in tree order under the organisations whose parent
// is not in it (the scope's tops), adding each subtree's members up.
func buildTree(list []orgView, facts map[int64]*store.OrgFacts) []*treeNode {
	byID := map[int64]*treeNode{}
	var roots []*treeNode
	for _, o := range list {
		n := &treeNode{orgView: o}
		if f := facts[o.ID]; f != nil {
			n.Members, n.Secretary = f.Members, f.Secretary
		}
		byID[o.ID] = n
		if parent := byID[o.ParentID]; parent != nil {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var sum func(n *treeNode, level int) int
	sum = func(n *treeNode, level int) int {
		n.Open = level < 2
		for _, ch := range n.Children {
			n.Members += sum(ch, level+1)
		}
		return n.Members
	}
	for _, r := range roots {
		sum(r, 0)
	}
	return roots
}

func (s *area) orgTree(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	closed := r.URL.Query().Get("closed") == "1"
	list, err := s.st.Orgs(r.Context(), c.Scope, store.OrgFilter{IncludeClosed: closed})
	if err != nil {
		return err
	}
	facts, err := s.st.OrgTreeFacts(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	p := orgTreePage{Layout: s.Base(c, "组织体系", "/orgs"), CanWrite: c.Can(auth.OrgWrite), Closed: closed}
	views := make([]orgView, len(list))
	for i, o := range list {
		views[i] = s.orgView(o)
	}
	p.Roots = buildTree(views, facts)
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "orgs", p)
}

type orgFormPage struct {
	web.Layout
	Org     org.Org
	Kinds   []web.Option
	Parents web.OrgTree
}

func (s *area) orgFormPage(r *http.Request, c *web.Call, o org.Org) (orgFormPage, error) {
	parents, err := s.OrgTree(r.Context(), c, o.ParentID)
	if err != nil {
		return orgFormPage{}, err
	}
	return orgFormPage{Layout: s.Base(c, "新建组织", "/orgs"), Org: o, Kinds: kindOptions(), Parents: parents}, nil
}

func (s *area) orgNewForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	in := web.Input{Values: r.URL.Query()}
	p, err := s.orgFormPage(r, c, org.Org{ParentID: in.ID("parent", &v), Kind: org.Kind(in.Str("kind"))})
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "org_new", p)
}

func (s *area) createOrg(r *http.Request, c *web.Call) (org.Org, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return org.Org{}, err
	}
	var v errs.Invalid
	var o org.Org
	readOrg(in, &o, &v)
	if err := web.AddProblems(&v, o.Validate()); err != nil {
		return o, err
	}
	if err := v.Err(); err != nil {
		return o, err
	}
	return o, s.st.CreateOrg(r.Context(), c.Actor, c.Scope, &o)
}

func (s *area) orgCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	o, err := s.createOrg(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.orgFormPage(r, c, o)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "org_new", p)
	}, "/orgs/"+strconv.FormatInt(o.ID, 10)+"?notice=created")
}

type orgShowPage struct {
	web.Layout
	Org       orgView
	Parent    *org.Org
	Children  []orgView
	Committee []org.CommitteeMember
	History   []store.OrgEvent
	Who       map[string]string // who did each step of the history, by name
	Parents   web.OrgTree       // where it may move
	Members   []web.Option      // who may sit on its committee
	Positions []web.Option
	CanWrite  bool
	People    int
	Form      org.Org // the edit form's values (differs from Org after a refused edit)
}

func (s *area) orgShowPage(r *http.Request, c *web.Call, id int64) (*orgShowPage, error) {
	ctx := r.Context()
	o, err := s.st.Org(ctx, c.Scope, id)
	if err != nil {
		return nil, err
	}
	p := &orgShowPage{Layout: s.Base(c, web.OrgLabel(*o), "/orgs"), Org: s.orgView(*o), CanWrite: c.Can(auth.OrgWrite), Form: *o}
	if o.ParentID != 0 {
		p.Parent, _ = s.st.Org(ctx, c.Scope, o.ParentID)
	}
	around, err := s.st.OrgsAround(ctx, c.Scope, o.ID, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	for _, x := range around {
		if x.ParentID == o.ID {
			p.Children = append(p.Children, s.orgView(x))
		}
	}
	// Where it may move, unless it is the top of the caller's scope: the
	// kinds it may sit under, the tree opened down to where it is (a move
	// is mostly to a neighbour), without itself.
	var kinds []org.Kind
	for _, k := range org.Kinds {
		if o.Kind.MayBeUnder(k) {
			kinds = append(kinds, k)
		}
	}
	if o.ParentID != 0 && o.Path != c.Scope.OrgPath && len(kinds) > 0 {
		if p.Parents, err = s.OrgTree(ctx, c, o.ParentID, kinds...); err != nil {
			return nil, err
		}
		p.Parents = p.Parents.Without(o.ID)
	}
	if p.Committee, err = s.st.Committee(ctx, c.Scope, id); err != nil {
		return nil, err
	}
	if p.History, err = s.st.OrgHistory(ctx, c.Scope, id); err != nil {
		return nil, err
	}
	p.Who = s.whoDid(ctx, p.History)
	// Breadcrumbs: 工作台 › 组织体系 › the ancestors in the scope › this one.
	for _, x := range around {
		if x.ID != o.ID && strings.HasPrefix(o.Path, x.Path) {
			p.AddCrumb(x.Name, "/orgs/"+strconv.FormatInt(x.ID, 10))
		}
	}
	count, err := s.st.People(ctx, auth.Scope{OrgPath: o.Path}, store.PersonFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	p.People = count.Total
	p.Positions, err = s.DictOptions(r, "committee_position")
	p.Notice = web.Notice(r)
	return p, err
}

// whoDid names whoever did each step of an organisation's history: the
// account's name beside its username, and the platform itself for steps
// written by the operator's commands (the first set-up, the demo), never a
// bare "system".
func (s *area) whoDid(ctx context.Context, history []store.OrgEvent) map[string]string {
	out := map[string]string{}
	for _, e := range history {
		if _, done := out[e.Username]; done {
			continue
		}
		switch u, err := s.st.UserByUsername(ctx, e.Username); {
		case e.Username == audit.System.Username && err != nil:
			out[e.Username] = "平台运维人员（命令行初始化）"
		case err != nil:
			out[e.Username] = e.Username
		case u.DisplayName != "":
			out[e.Username] = u.DisplayName + "（" + u.Username + "）"
		default:
			out[e.Username] = u.Username
		}
	}
	return out
}

func (s *area) orgShow(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.orgShowPage(r, c, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "org_show", p)
}

// orgAction runs a change from the organisation page and shows the page again:
// with the messages beside the fields when the input was refused.
func (s *area) orgAction(w http.ResponseWriter, r *http.Request, c *web.Call, change func(in web.Input, id int64) error, done string) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	return web.Submitted(w, r, change(in, id), func(status int, fields map[string]string) error {
		p, err := s.orgShowPage(r, c, id)
		if err != nil {
			return err
		}
		p.Errors = fields
		if in.Has("name") { // the edit form was refused: show what was typed
			var v errs.Invalid
			readOrg(in, &p.Form, &v)
		}
		return s.Render(w, r, status, "org_show", p)
	}, "/orgs/"+strconv.FormatInt(id, 10)+"?notice="+done)
}

// updateOrg applies an edit: the form's fields, or a PATCH's, those present.
// The kind never changes and the parent only through a move.
func (s *area) updateOrg(r *http.Request, c *web.Call, in web.Input, id int64) (*org.Org, error) {
	old, err := s.st.Org(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	var v errs.Invalid
	o := *old
	readOrg(in, &o, &v)
	if in.Has("parent_id") && o.ParentID != old.ParentID {
		v.Add("parent_id", "org.move_via_move")
	}
	o.ID, o.Version = id, in.Version(&v)
	if err := web.AddProblems(&v, o.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &o, s.st.UpdateOrg(r.Context(), c.Actor, c.Scope, &o)
}

func (s *area) orgUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.orgAction(w, r, c, func(in web.Input, id int64) error { _, err := s.updateOrg(r, c, in, id); return err }, "saved")
}

func (s *area) moveOrg(r *http.Request, c *web.Call, in web.Input, id int64) error {
	var v errs.Invalid
	parent := in.ID("parent_id", &v)
	if parent == 0 {
		v.Add("parent_id", "required")
	}
	version := in.Version(&v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.MoveOrg(r.Context(), c.Actor, c.Scope, id, parent, version)
}

func (s *area) orgMove(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.orgAction(w, r, c, func(in web.Input, id int64) error { return s.moveOrg(r, c, in, id) }, "moved")
}

func (s *area) closeOrg(r *http.Request, c *web.Call, in web.Input, id int64) error {
	var v errs.Invalid
	on := in.Date("closed_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.CloseOrg(r.Context(), c.Actor, c.Scope, id, on)
}

func (s *area) orgClose(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.orgAction(w, r, c, func(in web.Input, id int64) error { return s.closeOrg(r, c, in, id) }, "closed")
}

func (s *area) addCommittee(r *http.Request, c *web.Call, in web.Input, id int64) (*org.CommitteeMember, error) {
	var v errs.Invalid
	m := &org.CommitteeMember{OrgID: id, PersonID: in.ID("person_id", &v), Position: in.Text("position", org.MaxPosition, &v),
		Duty: in.Text("duty", org.MaxDuty, &v), From: in.Date("from", &v), To: in.Date("to", &v)}
	if err := web.AddProblems(&v, m.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return m, s.st.AddCommitteeMember(r.Context(), c.Actor, c.Scope, m)
}

func (s *area) committeeAdd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.orgAction(w, r, c, func(in web.Input, id int64) error { _, err := s.addCommittee(r, c, in, id); return err }, "committee")
}

func (s *area) endCommittee(r *http.Request, c *web.Call, in web.Input, id int64) error {
	mid, err := web.PathID(r, "mid")
	if err != nil {
		return err
	}
	var v errs.Invalid
	to := in.Date("to", &v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.EndCommitteeMember(r.Context(), c.Actor, c.Scope, id, mid, to)
}

func (s *area) committeeEnd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.orgAction(w, r, c, func(in web.Input, id int64) error { return s.endCommittee(r, c, in, id) }, "committee")
}

// --- JSON API ---

func (s *area) apiOrgList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.st.Orgs(r.Context(), c.Scope, store.OrgFilter{IncludeClosed: r.URL.Query().Get("closed") == "true"})
	if err != nil {
		return err
	}
	out := web.Items[orgOut]{Items: make([]orgOut, 0, len(list))}
	for _, o := range list {
		out.Items = append(out.Items, s.orgView(o).out())
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiOrgCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	o, err := s.createOrg(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, s.orgView(o).out())
	return nil
}

// orgDetailOut is an organisation with its committee.
type orgDetailOut struct {
	orgOut
	Committee []seatOut `json:"committee"`
}

func (s *area) apiOrgGet(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.st.Org(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	committee, err := s.st.Committee(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := orgDetailOut{orgOut: s.orgView(*o).out(), Committee: make([]seatOut, 0, len(committee))}
	for _, m := range committee {
		out.Committee = append(out.Committee, newSeatOut(m))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// apiOrgChange runs an organisation change and answers with the organisation.
func (s *area) apiOrgChange(w http.ResponseWriter, r *http.Request, c *web.Call, change func(in web.Input, id int64) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	if err := change(in, id); err != nil {
		return err
	}
	o, err := s.st.Org(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, s.orgView(*o).out())
	return nil
}

func (s *area) apiOrgUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiOrgChange(w, r, c, func(in web.Input, id int64) error { _, err := s.updateOrg(r, c, in, id); return err })
}

// moveIn is the body of POST /api/v1/orgs/{id}/move.
type moveIn struct {
	ParentID int64 `json:"parent_id"`
	Version  int64 `json:"version"`
}

func (s *area) apiOrgMove(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiOrgChange(w, r, c, func(in web.Input, id int64) error { return s.moveOrg(r, c, in, id) })
}

// closeIn is the body of POST /api/v1/orgs/{id}/close.
type closeIn struct {
	ClosedOn date.Date `json:"closed_on"`
}

func (s *area) apiOrgClose(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiOrgChange(w, r, c, func(in web.Input, id int64) error { return s.closeOrg(r, c, in, id) })
}

// orgEventOut is one line of an organisation's history.
type orgEventOut struct {
	At       time.Time `json:"at"`
	Action   string    `json:"action"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Username string    `json:"username"`
}

func (s *area) apiOrgHistory(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	hist, err := s.st.OrgHistory(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := web.Items[orgEventOut]{Items: make([]orgEventOut, 0, len(hist))}
	for _, e := range hist {
		out.Items = append(out.Items, orgEventOut{At: e.At, Action: e.Action, From: e.From, To: e.To, Username: e.Username})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// seatIn is the body of POST /api/v1/orgs/{id}/committee.
type seatIn struct {
	PersonID int64     `json:"person_id"`
	Position string    `json:"position" maxLength:"40"`
	Duty     string    `json:"duty" maxLength:"200"`
	From     date.Date `json:"from"`
	To       date.Date `json:"to"`
}

// seatOut is one seat of a committee.
type seatOut struct {
	ID       int64     `json:"id"`
	PersonID int64     `json:"person_id"`
	Name     string    `json:"name"`
	Position string    `json:"position"`
	Duty     string    `json:"duty"`
	From     date.Date `json:"from"`
	To       date.Date `json:"to"`
}

func newSeatOut(m org.CommitteeMember) seatOut {
	return seatOut{ID: m.ID, PersonID: m.PersonID, Name: m.Name, Position: m.Position, Duty: m.Duty, From: m.From, To: m.To}
}

func (s *area) apiCommitteeAdd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	m, err := s.addCommittee(r, c, in, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newSeatOut(*m))
	return nil
}

// seatEndIn is the body of POST /api/v1/orgs/{id}/committee/{mid}/end.
type seatEndIn struct {
	To date.Date `json:"to"`
}

func (s *area) apiCommitteeEnd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiOrgChange(w, r, c, func(in web.Input, id int64) error { return s.endCommittee(r, c, in, id) })
}

// Due lists the organisations of the caller's scope whose 换届 is coming up
// or overdue, for the 工作台.
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if !c.Can(auth.OrgRead) {
		return nil, nil
	}
	orgs, err := s.st.Orgs(ctx, c.Scope, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []web.DueItem
	for _, o := range orgs {
		v := s.orgView(o)
		if v.TermState != org.TermDueSoon && v.TermState != org.TermOverdue {
			continue
		}
		out = append(out, web.DueItem{Label: o.Name + " 换届", Link: "/orgs/" + strconv.FormatInt(o.ID, 10),
			Detail: "任期至 " + v.TermEnd.String(), Late: v.TermState == org.TermOverdue})
	}
	return out, nil
}
