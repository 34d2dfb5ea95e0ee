package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// ageBands are the age filters offered; the age-structure figures use the same cuts.
var ageBands = []struct {
	key, label string
	min, max   int
}{
	{"lt35", "35岁以下", 0, 34}, {"35-45", "35-45岁", 35, 45}, {"46-55", "46-55岁", 46, 55}, {"gt55", "55岁以上", 56, 0},
}

// rosterQuery is the roster's filter as it appears in the address bar, so a
// filtered list can be bookmarked, paged and exported as it stands.
type rosterQuery struct {
	Query, Education, Age, Sort string
	OrgID, UnitID               int64
	Statuses                    []string
	Desc, Left                  bool
	Page                        int
}

func parseRosterQuery(q url.Values) rosterQuery {
	in := input{q}
	var v errs.Invalid // malformed numbers in an address are ignored, not refused
	rq := rosterQuery{Query: in.str("q"), Education: in.str("education"), Age: in.str("age"), Sort: in.str("sort"),
		OrgID: in.id("org", &v), UnitID: in.id("unit", &v), Desc: in.flag("desc"), Left: in.flag("left"), Page: in.num("page", 1)}
	for _, st := range q["status"] {
		if people.Status(st).Valid() {
			rq.Statuses = append(rq.Statuses, st)
		}
	}
	rq.Page = min(max(rq.Page, 1), maxPage)
	return rq
}

const pageSize = 20

// maxPage keeps offsets far from overflow; nobody pages past 20 million rows.
const maxPage = 1_000_000

func (q rosterQuery) filter(today date.Date) store.PersonFilter {
	f := store.PersonFilter{Query: q.Query, OrgID: q.OrgID, UnitID: q.UnitID, Education: q.Education, Sort: q.Sort, Desc: q.Desc,
		IncludeLeft: q.Left, Today: today, Limit: pageSize, Offset: (q.Page - 1) * pageSize}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, people.Status(st))
	}
	for _, b := range ageBands {
		if b.key == q.Age {
			f.AgeMin, f.AgeMax = b.min, b.max
		}
	}
	return f
}

func (q rosterQuery) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Query)
	set("education", q.Education)
	set("age", q.Age)
	set("sort", q.Sort)
	if q.OrgID != 0 {
		v.Set("org", strconv.FormatInt(q.OrgID, 10))
	}
	if q.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(q.UnitID, 10))
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Left {
		v.Set("left", "1")
	}
	for _, st := range q.Statuses {
		v.Add("status", st)
	}
	return v
}

// personView is a person as pages and the API show them: flat, so templates
// find fields without searching embedded structs, with labels resolved and the
// ID number and phone masked unless revealed (an audited action).
type personView struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	OrgID       int64         `json:"org_id"`
	OrgName     string        `json:"org_name"`
	UnitID      int64         `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	Sex         people.Sex    `json:"sex"`
	SexLabel    string        `json:"sex_label"`
	BirthDate   date.Date     `json:"birth_date"`
	Age         int           `json:"age"`
	Ethnic      string        `json:"ethnic"`
	Education   string        `json:"education"`
	Position    string        `json:"position"`
	Status      people.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
	AppliedOn   date.Date     `json:"applied_on"`
	ActivistOn  date.Date     `json:"activist_on"`
	CandidateOn date.Date     `json:"candidate_on"`
	JoinedOn    date.Date     `json:"joined_on"`
	FullOn      date.Date     `json:"full_on"`
	PartyYears  int           `json:"party_years"`
	Honoured    bool          `json:"honoured"` // 光荣在党50年
	LeftOn      date.Date     `json:"left_on"`
	Left        bool          `json:"-"`
	IDNumber    string        `json:"id_number"` // masked unless revealed
	Phone       string        `json:"phone"`     // masked unless revealed
	Masked      bool          `json:"masked"`
	Version     int64         `json:"version"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func (s *Server) personView(p store.PersonRow, reveal bool) personView {
	today := s.today()
	v := personView{ID: p.ID, Name: p.Name, OrgID: p.OrgID, OrgName: p.OrgName, UnitID: p.UnitID, UnitName: p.UnitName,
		Sex: p.Sex, SexLabel: msg.Text("sex." + string(p.Sex)), BirthDate: p.BirthDate, Age: p.Age(today), Ethnic: p.Ethnic,
		Education: p.Education, Position: p.Position, Status: p.Status, StatusLabel: msg.Text("status." + string(p.Status)),
		AppliedOn: p.AppliedOn, ActivistOn: p.ActivistOn, CandidateOn: p.CandidateOn, JoinedOn: p.JoinedOn, FullOn: p.FullOn,
		PartyYears: p.PartyYears(today), Honoured: p.Honoured(today), LeftOn: p.LeftOn, Left: !p.LeftOn.IsZero(),
		IDNumber: people.MaskIDNumber(p.IDNumber), Phone: people.MaskPhone(p.Phone), Masked: true,
		Version: p.Version, UpdatedAt: p.UpdatedAt}
	if reveal {
		v.IDNumber, v.Phone, v.Masked = p.IDNumber, p.Phone, false
	}
	return v
}

type peoplePage struct {
	page
	Q                       rosterQuery
	Rows                    []personView
	Total, Page, Pages      int
	Orgs, Units, Statuses   []option
	Educations, Ages, Sorts []option
	CanWrite, CanExport     bool
	ExportLink              string
}

// Link is the address of another page of the same listing.
func (p peoplePage) Link(n int) string {
	v := p.Q.values()
	v.Set("page", strconv.Itoa(n))
	return "/people?" + v.Encode()
}

func (s *Server) peopleList(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	q := parseRosterQuery(r.URL.Query())
	res, err := s.st.People(ctx, c.scope, q.filter(s.today()))
	if err != nil {
		return err
	}
	p := peoplePage{page: s.base(c, "党员花名册", "/people"), Q: q, Total: res.Total, Page: q.Page,
		Pages: (res.Total + pageSize - 1) / pageSize, CanWrite: c.can(auth.PersonWrite), CanExport: c.can(auth.PersonExport)}
	for _, row := range res.Items {
		p.Rows = append(p.Rows, s.personView(row, false))
	}
	p.ExportLink = "/people/export.xlsx?" + q.values().Encode()
	if isResultsOnly(r) { // paging or filtering from the page: the form is already there
		return s.render(w, r, http.StatusOK, "people", p)
	}
	if p.Orgs, p.Units, err = s.orgChoices(r, c); err != nil {
		return err
	}
	p.Statuses = statusOptions()
	if p.Educations, err = s.dictOptions(r, dict.Education); err != nil {
		return err
	}
	for _, b := range ageBands {
		p.Ages = append(p.Ages, option{b.key, b.label})
	}
	p.Sorts = []option{{"org", "按组织"}, {"name", "按姓名拼音"}, {"birth_date", "按出生日期"}, {"joined_on", "按入党时间"}}
	p.Notice = notice(r)
	return s.render(w, r, http.StatusOK, "people", p)
}

// isResultsOnly reports an htmx request for the roster's results block only.
func isResultsOnly(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "roster-results"
}

func statusOptions() []option {
	var out []option
	for _, st := range people.Statuses {
		out = append(out, option{string(st), msg.Text("status." + string(st))})
	}
	return out
}

// orgChoices are the party organisations of the scope (where a person belongs)
// and every work unit (units are shared across branches).
func (s *Server) orgChoices(r *http.Request, c *call) (orgs, units []option, err error) {
	list, err := s.st.Orgs(r.Context(), c.scope, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Group}})
	if err != nil {
		return nil, nil, err
	}
	ul, err := s.st.Orgs(r.Context(), auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Unit, org.School}})
	if err != nil {
		return nil, nil, err
	}
	return orgOptions(list), orgOptions(ul), nil
}

// personFromInput reads the person form. Dates that do not parse are recorded
// beside their fields; the rest is the domain's Validate.
func personFromInput(in input, v *errs.Invalid) people.Person {
	p := people.Person{
		OrgID: in.id("org_id", v), UnitID: in.id("unit_id", v), Name: in.str("name"), Sex: people.Sex(in.str("sex")),
		BirthDate: in.date("birth_date", v), Ethnic: in.str("ethnic"), Education: in.str("education"), Position: in.str("position"),
		Status: people.Status(in.str("status")), AppliedOn: in.date("applied_on", v), ActivistOn: in.date("activist_on", v),
		CandidateOn: in.date("candidate_on", v), JoinedOn: in.date("joined_on", v), FullOn: in.date("full_on", v),
		Phone: in.str("phone"), IDNumber: in.str("id_number"), Version: int64(in.num("version", 0)),
	}
	p.Normalize()
	return p
}

// checkPerson validates a person from a form: the domain's rules and the
// dictionaries, with every problem reported at once.
func (s *Server) checkPerson(r *http.Request, p *people.Person, v *errs.Invalid) error {
	if err := p.Validate(s.today()); err != nil {
		if inv, ok := err.(*errs.Invalid); ok {
			for f, k := range inv.Fields {
				v.Add(f, k)
			}
		} else {
			return err
		}
	}
	for _, d := range []struct{ name, field, key, value string }{
		{dict.Education, "education", "education.unknown", p.Education}, {dict.Ethnic, "ethnic", "ethnic.unknown", p.Ethnic},
	} {
		if d.value == "" {
			continue
		}
		l, err := s.st.DictLookup(r.Context(), d.name)
		if err != nil {
			return err
		}
		if _, ok := l.Resolve(d.value); !ok {
			v.Add(d.field, d.key)
		}
	}
	return v.Err()
}

type personFormPage struct {
	page
	Person                         people.Person
	Orgs, Units, Statuses, Sexes   []option
	Educations, Ethnics, Positions []option
	Action                         string
}

func (s *Server) personFormPage(r *http.Request, c *call, p people.Person, title, action string) (*personFormPage, error) {
	fp := &personFormPage{page: s.base(c, title, "/people"), Person: p, Action: action, Statuses: statusOptions(),
		Sexes: []option{{"male", "男"}, {"female", "女"}}}
	var err error
	if fp.Orgs, fp.Units, err = s.orgChoices(r, c); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name string
		dst  *[]option
	}{{dict.Education, &fp.Educations}, {dict.Ethnic, &fp.Ethnics}, {dict.Position, &fp.Positions}} {
		if *d.dst, err = s.dictOptions(r, d.name); err != nil {
			return nil, err
		}
	}
	return fp, nil
}

func (s *Server) personNewForm(w http.ResponseWriter, r *http.Request, c *call) error {
	var v errs.Invalid
	p := people.Person{OrgID: input{r.URL.Query()}.id("org", &v), Status: people.Full, Ethnic: "汉族"}
	fp, err := s.personFormPage(r, c, p, "新增人员", "/people")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person_form", fp)
}

func (s *Server) createPerson(r *http.Request, c *call) (people.Person, error) {
	in, err := readInput(r)
	if err != nil {
		return people.Person{}, err
	}
	var v errs.Invalid
	p := personFromInput(in, &v)
	// A person arriving from an organisation outside the platform (组织关系转入)
	// is created together with the record of their arrival.
	var arrival *people.Transfer
	if from := in.str("transfer_from"); from != "" || in.str("transfer_on") != "" {
		arrival = &people.Transfer{Direction: people.TransferIn, External: from, On: in.date("transfer_on", &v),
			ToOrgID: p.OrgID, Note: in.str("transfer_note")}
		if err := arrival.Validate(s.today()); err != nil {
			for f, k := range err.(*errs.Invalid).Fields {
				v.Add(map[string]string{"external": "transfer_from", "on": "transfer_on"}[f], k)
			}
		}
	}
	if err := s.checkPerson(r, &p, &v); err != nil {
		return p, err
	}
	if arrival != nil {
		return p, s.st.TransferIn(r.Context(), c.actor, c.scope, &p, arrival)
	}
	return p, s.st.CreatePerson(r.Context(), c.actor, c.scope, &p)
}

func (s *Server) personCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.createPerson(r, c)
	return submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowPersonForm(w, r, c, p, "新增人员", "/people", status, fields)
	}, "/people/"+strconv.FormatInt(p.ID, 10)+"?notice=created")
}

func (s *Server) reshowPersonForm(w http.ResponseWriter, r *http.Request, c *call, p people.Person, title, action string, status int, fields map[string]string) error {
	fp, err := s.personFormPage(r, c, p, title, action)
	if err != nil {
		return err
	}
	fp.Errors = fields
	return s.render(w, r, status, "person_form", fp)
}

func (s *Server) personEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	row, err := s.st.Person(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	fp, err := s.personFormPage(r, c, row.Person, "编辑："+row.Name, "/people/"+strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person_form", fp)
}

func (s *Server) updatePerson(r *http.Request, c *call) (people.Person, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return people.Person{}, err
	}
	old, err := s.st.Person(r.Context(), c.scope, id)
	if err != nil {
		return people.Person{}, err
	}
	in, err := readInput(r)
	if err != nil {
		return people.Person{}, err
	}
	var v errs.Invalid
	p := personFromInput(in, &v)
	p.ID, p.OrgID = id, old.OrgID // the organisation changes only through a transfer
	if !in.has("version") {
		p.Version = old.Version
	}
	if err := s.checkPerson(r, &p, &v); err != nil {
		return p, err
	}
	return p, s.st.UpdatePerson(r.Context(), c.actor, c.scope, &p)
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.updatePerson(r, c)
	self := "/people/" + strconv.FormatInt(p.ID, 10)
	return submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowPersonForm(w, r, c, p, "编辑："+p.Name, self, status, fields)
	}, self+"?notice=saved")
}

type personPage struct {
	page
	P                   personView
	Transfers           []store.TransferRow
	Orgs                []option
	CanWrite, CanReveal bool
	Self                bool
	CanOpenAccount      bool
	Account             *auth.User  // the person's login, if one exists
	NewAccount          *newAccount // set once, right after it was opened
}

func (s *Server) personPage(r *http.Request, c *call, id int64, reveal bool, self bool) (*personPage, error) {
	row, err := s.st.Person(r.Context(), c.scope, id)
	if err != nil {
		return nil, err
	}
	transfers, err := s.st.Transfers(r.Context(), c.scope, id)
	if err != nil {
		return nil, err
	}
	title, active := row.Name, "/people"
	if self {
		title, active = "我的档案", "/me"
	}
	p := &personPage{page: s.base(c, title, active), P: s.personView(*row, reveal), Transfers: transfers, Self: self,
		CanWrite: c.can(auth.PersonWrite) && !self, CanReveal: c.can(auth.PersonSeeFull) && !reveal}
	if p.CanWrite {
		if p.Orgs, _, err = s.orgChoices(r, c); err != nil {
			return nil, err
		}
	}
	if c.can(auth.MemberAccount) && !self {
		if p.Account, err = s.personAccountState(r, id); err != nil {
			return nil, err
		}
		p.CanOpenAccount = p.Account == nil && row.LeftOn.IsZero()
	}
	p.Notice = notice(r)
	return p, nil
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.personPage(r, c, id, false, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person", p)
}

// me is a member's own record, read through their one-person scope.
func (s *Server) me(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.user.PersonID == 0 {
		return errs.ErrNotFound
	}
	self := auth.Scope{OrgPath: "/", PersonID: c.user.PersonID}
	sub := &call{user: c.user, session: c.session, scope: self, actor: c.actor}
	p, err := s.personPage(r, sub, c.user.PersonID, false, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person", p)
}

// reveal records in the audit log that the full ID number and phone of a
// person were shown, and to whom; then shows them.
func (s *Server) reveal(r *http.Request, c *call) (*store.PersonRow, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	row, err := s.st.Person(r.Context(), c.scope, id)
	if err != nil {
		return nil, err
	}
	return row, s.st.LogEvent(r.Context(), c.actor, store.Change{Action: "person.view_sensitive", ObjectType: "person", ObjectID: id,
		OrgPath: row.OrgPath, After: map[string]any{"fields": []string{"id_number", "phone"}}})
}

func (s *Server) personReveal(w http.ResponseWriter, r *http.Request, c *call) error {
	row, err := s.reveal(r, c)
	if err != nil {
		return err
	}
	p, err := s.personPage(r, c, row.ID, true, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person", p)
}

func (s *Server) transfer(r *http.Request, c *call) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	in, err := readInput(r)
	if err != nil {
		return id, err
	}
	var v errs.Invalid
	tr := people.Transfer{PersonID: id, Direction: people.Direction(in.str("direction")), On: in.date("on", &v),
		ToOrgID: in.id("to_org_id", &v), External: in.str("external"), Note: in.str("note")}
	if err := tr.Validate(s.today()); err != nil {
		if inv, ok := err.(*errs.Invalid); ok {
			for f, k := range inv.Fields {
				v.Add(f, k)
			}
		}
	}
	if err := v.Err(); err != nil {
		return id, err
	}
	return id, s.st.Transfer(r.Context(), c.actor, c.scope, &tr)
}

func (s *Server) personTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := s.transfer(r, c)
	return submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.personPage(r, c, id, false, false)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.render(w, r, status, "person", p)
	}, "/people/"+strconv.FormatInt(id, 10)+"?notice=transferred")
}

// --- JSON API ---

func (s *Server) apiPeopleList(w http.ResponseWriter, r *http.Request, c *call) error {
	q := parseRosterQuery(r.URL.Query())
	f := q.filter(s.today())
	if size := (input{r.URL.Query()}).num("page_size", pageSize); size > 0 && size <= 200 {
		f.Limit, f.Offset = size, (q.Page-1)*size
	}
	res, err := s.st.People(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	items := make([]personView, 0, len(res.Items))
	for _, row := range res.Items {
		items = append(items, s.personView(row, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": res.Total, "page": q.Page, "page_size": f.Limit})
	return nil
}

func (s *Server) apiPersonCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.createPerson(r, c)
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, p.ID, http.StatusCreated)
}

func (s *Server) apiPersonAnswer(w http.ResponseWriter, r *http.Request, c *call, id int64, status int) error {
	row, err := s.st.Person(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, s.personView(*row, false))
	return nil
}

func (s *Server) apiPersonGet(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, id, http.StatusOK)
}

func (s *Server) apiPersonUpdate(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.updatePerson(r, c)
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, p.ID, http.StatusOK)
}

func (s *Server) apiPersonReveal(w http.ResponseWriter, r *http.Request, c *call) error {
	row, err := s.reveal(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.personView(*row, true))
	return nil
}

func (s *Server) apiTransfers(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.Transfers(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		out = append(out, map[string]any{"id": t.ID, "direction": t.Direction, "direction_label": msg.Text("transfer." + string(t.Direction)),
			"on": t.On, "from_org_id": t.FromOrgID, "from_org_name": t.FromName, "to_org_id": t.ToOrgID, "to_org_name": t.ToName,
			"external": t.External, "note": t.Note})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := s.transfer(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"person_id": id})
	return nil
}

func (s *Server) apiMyPerson(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.user.PersonID == 0 {
		return errs.ErrNotFound
	}
	row, err := s.st.Person(r.Context(), auth.Scope{OrgPath: "/", PersonID: c.user.PersonID}, c.user.PersonID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.personView(*row, false))
	return nil
}
