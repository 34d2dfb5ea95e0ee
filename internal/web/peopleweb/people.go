package peopleweb

import (
	"net/http"
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
	"dangjian/internal/web"
)

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

func (s *area) personView(p store.PersonRow, reveal bool) personView {
	today := s.Today()
	v := personView{ID: p.ID, Name: p.Name, OrgID: p.OrgID, OrgName: p.OrgLabel, UnitID: p.UnitID, UnitName: p.UnitLabel,
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

func statusOptions() []web.Option {
	var out []web.Option
	for _, st := range people.Statuses {
		out = append(out, web.Option{Value: string(st), Label: msg.Text("status." + string(st))})
	}
	return out
}

// orgChoices are the party organisations of the scope (where a person
// belongs), opened down to the chosen one, and every work unit (units are
// shared across branches).
func (s *area) orgChoices(r *http.Request, c *web.Call, chosen int64) (orgs web.OrgTree, units []web.Option, err error) {
	if orgs, err = s.OrgTree(r.Context(), c, chosen, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return orgs, nil, err
	}
	ul, err := s.st.Orgs(r.Context(), auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Unit, org.School}})
	if err != nil {
		return orgs, nil, err
	}
	return orgs, web.OrgOptions(ul), nil
}

// maxChoice is the longest value of a field chosen from a list (sex, status,
// direction): nothing longer is one of the choices.
const maxChoice = 20

// personIn is the body of PATCH /api/v1/people/{id} as the OpenAPI document
// describes it; readPerson enforces each maxLength.
type personIn struct {
	OrgID       int64     `json:"org_id"` // on creation; afterwards only by a transfer
	UnitID      int64     `json:"unit_id"`
	Name        string    `json:"name" maxLength:"40"`
	Sex         string    `json:"sex" maxLength:"20"`
	BirthDate   date.Date `json:"birth_date"`
	Ethnic      string    `json:"ethnic" maxLength:"40"`
	Education   string    `json:"education" maxLength:"40"`
	Position    string    `json:"position" maxLength:"60"`
	Status      string    `json:"status" maxLength:"20"`
	AppliedOn   date.Date `json:"applied_on"`
	ActivistOn  date.Date `json:"activist_on"`
	CandidateOn date.Date `json:"candidate_on"`
	JoinedOn    date.Date `json:"joined_on"`
	FullOn      date.Date `json:"full_on"`
	Phone       string    `json:"phone" maxLength:"20"`     // as returned (masked) means unchanged
	IDNumber    string    `json:"id_number" maxLength:"30"` // as returned (masked) means unchanged
	Version     int64     `json:"version"`                  // required
}

// newPersonIn is the body of POST /api/v1/people: a person, and for one
// arriving from an organisation outside the platform (组织关系转入) where from.
type newPersonIn struct {
	personIn
	TransferFrom string    `json:"transfer_from" maxLength:"100"`
	TransferOn   date.Date `json:"transfer_on"`
	TransferNote string    `json:"transfer_note" maxLength:"500"`
}

// readPerson reads the person fields present in the input onto p. A new
// person starts empty; an edit starts from the stored record, so a field the
// request leaves out keeps its value and an empty one clears it (PATCH). Text
// over its limit, a value sent twice and dates that do not parse are recorded
// beside their fields; the rest is the domain's Validate.
func readPerson(in web.Input, p *people.Person, v *errs.Invalid) {
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
	id := func(name string, dst *int64) {
		if in.Has(name) {
			*dst = in.ID(name, v)
		}
	}
	sex, status := string(p.Sex), string(p.Status)
	id("org_id", &p.OrgID)
	id("unit_id", &p.UnitID)
	text("name", people.MaxName, &p.Name)
	text("sex", maxChoice, &sex)
	text("ethnic", people.MaxDictValue, &p.Ethnic)
	text("education", people.MaxDictValue, &p.Education)
	text("position", people.MaxPosition, &p.Position)
	text("status", maxChoice, &status)
	text("phone", people.MaxPhone, &p.Phone)
	text("id_number", people.MaxIDNumber, &p.IDNumber)
	day("birth_date", &p.BirthDate)
	day("applied_on", &p.AppliedOn)
	day("activist_on", &p.ActivistOn)
	day("candidate_on", &p.CandidateOn)
	day("joined_on", &p.JoinedOn)
	day("full_on", &p.FullOn)
	p.Sex, p.Status = people.Sex(sex), people.Status(status)
}

// checkPerson adds the domain's problems of p to v and, when there is any,
// the dictionaries' too, so a form or client learns every problem at once.
// The store checks the dictionaries again as it writes (and for every other
// caller); old is the stored record of an edit.
func (s *area) checkPerson(r *http.Request, p, old *people.Person, v *errs.Invalid) error {
	if err := web.AddProblems(v, p.Validate(s.Today())); err != nil {
		return err
	}
	if v.Err() == nil {
		return nil
	}
	if err := web.AddProblems(v, s.st.CheckPersonDicts(r.Context(), p, old)); err != nil {
		return err
	}
	return v.Err()
}

type personFormPage struct {
	web.Layout
	Person                         people.Person
	Back                           string // where 取消 leads: the page the user came from
	OrgName                        string // an edit's organisation, which changes only by a transfer
	Orgs                           web.OrgTree
	Units, Statuses, Sexes         []web.Option
	Educations, Ethnics, Positions []web.Option
	Action                         string
}

func (s *area) personFormPage(r *http.Request, c *web.Call, p people.Person, title, action string) (*personFormPage, error) {
	fp := &personFormPage{Layout: s.Base(c, title, "/people"), Person: p, Action: action, Statuses: statusOptions(),
		Sexes: []web.Option{{Value: "male", Label: "男"}, {Value: "female", Label: "女"}}}
	var err error
	if fp.Orgs, fp.Units, err = s.orgChoices(r, c, p.OrgID); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name string
		dst  *[]web.Option
	}{{dict.Education, &fp.Educations}, {dict.Ethnic, &fp.Ethnics}, {dict.Position, &fp.Positions}} {
		if *d.dst, err = s.DictOptions(r, d.name); err != nil {
			return nil, err
		}
	}
	return fp, nil
}

func (s *area) personNewForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	p := people.Person{OrgID: web.Input{Values: r.URL.Query()}.ID("org", &v), Status: people.Full, Ethnic: "汉族"}
	fp, err := s.personFormPage(r, c, p, "新增人员", "/people")
	if err != nil {
		return err
	}
	fp.Back = web.BackTo(r, "/people")
	return s.Render(w, r, http.StatusOK, "person_form", fp)
}

func (s *area) createPerson(r *http.Request, c *web.Call) (people.Person, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return people.Person{}, err
	}
	var v errs.Invalid
	var p people.Person
	readPerson(in, &p, &v)
	p.Normalize()
	// A person arriving from an organisation outside the platform (组织关系转入)
	// is created together with the record of their arrival.
	var arrival *people.Transfer
	from, note := in.Text("transfer_from", people.MaxExternal, &v), in.Text("transfer_note", people.MaxNote, &v)
	if on := in.Date("transfer_on", &v); from != "" || !on.IsZero() {
		arrival = &people.Transfer{Direction: people.TransferIn, External: from, On: on, ToOrgID: p.OrgID, Note: note}
		if err := arrival.Validate(s.Today()); err != nil {
			for f, k := range err.(*errs.Invalid).Fields {
				v.Add(map[string]string{"external": "transfer_from", "on": "transfer_on", "note": "transfer_note"}[f], k)
			}
		}
	}
	if err := s.checkPerson(r, &p, nil, &v); err != nil {
		return p, err
	}
	if arrival != nil {
		return p, s.st.TransferIn(r.Context(), c.Actor, c.Scope, &p, arrival)
	}
	return p, s.st.CreatePerson(r.Context(), c.Actor, c.Scope, &p)
}

func (s *area) personCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.createPerson(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowPersonForm(w, r, c, p, "新增人员", "/people", status, fields)
	}, "/people/"+strconv.FormatInt(p.ID, 10)+"?notice=created")
}

func (s *area) reshowPersonForm(w http.ResponseWriter, r *http.Request, c *web.Call, p people.Person, title, action string, status int, fields map[string]string) error {
	fp, err := s.personFormPage(r, c, p, title, action)
	if err != nil {
		return err
	}
	fp.Errors = fields
	fp.Back = r.PostFormValue("back")
	if !web.LocalPath(fp.Back) {
		fp.Back = "/people"
		if p.ID != 0 {
			fp.Back = "/people/" + strconv.FormatInt(p.ID, 10)
		}
	}
	if p.ID != 0 {
		if row, err := s.st.Person(r.Context(), c.Scope, p.ID); err == nil {
			fp.OrgName = row.OrgLabel
		}
	}
	return s.Render(w, r, status, "person_form", fp)
}

// masked is the person as an edit form shows it: ID number and phone masked,
// whatever the role. A full value is shown only by the audited reveal; a
// masked value posted back unchanged keeps the stored one (updatePerson).
func masked(p people.Person) people.Person {
	p.IDNumber, p.Phone = people.MaskIDNumber(p.IDNumber), people.MaskPhone(p.Phone)
	return p
}

func (s *area) personEditForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	row, err := s.st.Person(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	fp, err := s.personFormPage(r, c, masked(row.Person), "编辑："+row.Name, "/people/"+strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	fp.Back = web.BackTo(r, "/people/"+strconv.FormatInt(id, 10))
	fp.OrgName = row.OrgLabel
	return s.Render(w, r, http.StatusOK, "person_form", fp)
}

// updatePerson applies an edit: the form's fields, all of them, or a PATCH's,
// those present. An ID number or phone sent back as it was shown (masked)
// keeps the stored value; sex and birth date left as they were follow a
// changed ID number, which they are derived from. It returns the person as
// the form should show it again: with what was typed, never a stored full
// number in place of its mask.
func (s *area) updatePerson(r *http.Request, c *web.Call) (people.Person, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return people.Person{}, err
	}
	old, err := s.st.Person(r.Context(), c.Scope, id)
	if err != nil {
		return people.Person{}, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return masked(old.Person), err
	}
	var v errs.Invalid
	shown := masked(old.Person)
	readPerson(in, &shown, &v)
	if shown.OrgID != old.OrgID {
		v.Add("org_id", "person.org_via_transfer")
	}
	shown.ID, shown.OrgID, shown.Version = id, old.OrgID, in.Version(&v)
	p := shown
	p.IDNumber = people.Unmask(people.NormalizeIDNumber(p.IDNumber), old.IDNumber, people.MaskIDNumber)
	p.Phone = people.Unmask(people.NormalizePhone(p.Phone), old.Phone, people.MaskPhone)
	p.Normalize()
	if p.IDNumber != old.IDNumber && p.IDNumber != "" {
		if p.Sex == old.Sex {
			p.Sex = ""
		}
		if p.BirthDate == old.BirthDate {
			p.BirthDate = date.Date{}
		}
	}
	if err := s.checkPerson(r, &p, &old.Person, &v); err != nil {
		return shown, err
	}
	if err := s.st.UpdatePerson(r.Context(), c.Actor, c.Scope, &p); err != nil {
		return shown, err
	}
	return masked(p), nil
}

func (s *area) personUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.updatePerson(r, c)
	self := "/people/" + strconv.FormatInt(p.ID, 10)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowPersonForm(w, r, c, p, "编辑："+p.Name, self, status, fields)
	}, self+"?notice=saved")
}

type personPage struct {
	web.Layout
	P                   personView
	Transfers           []store.TransferRow
	Orgs                web.OrgTree // where a transfer may lead
	CanWrite, CanReveal bool
	Self                bool
	CanOpenAccount      bool
	Account             *auth.User  // the person's login, if one exists
	NewAccount          *newAccount // set once, right after it was opened
	// OrgLink is where 所在组织 leads ("" for a reader who cannot open organisations).
	OrgLink string
	// Contact is whom a member turns to about their record (我的档案).
	Contact *store.Contact
	// Corrections are the reports of wrong entries: a member's own on 我的档案,
	// the pending ones on the person's page for whoever keeps the roster.
	Corrections    []correctionView
	CorrectionText string // a refused report, shown again
	Today          string // the printed 党员信息表's date
}

func (s *area) personPage(r *http.Request, c *web.Call, id int64, reveal bool, self bool) (*personPage, error) {
	row, err := s.st.Person(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	transfers, err := s.st.Transfers(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	title, active := row.Name, "/people"
	if self {
		title, active = "我的档案", "/me"
	}
	p := &personPage{Layout: s.Base(c, title, active), P: s.personView(*row, reveal), Transfers: transfers, Self: self,
		CanWrite: c.Can(auth.PersonWrite) && !self, CanReveal: c.Can(auth.PersonSeeFull) && !reveal}
	if p.CanWrite {
		if p.Orgs, _, err = s.orgChoices(r, c, row.OrgID); err != nil {
			return nil, err
		}
	}
	if c.Can(auth.MemberAccount) && !self {
		if p.Account, err = s.personAccountState(r, id); err != nil {
			return nil, err
		}
		p.CanOpenAccount = p.Account == nil && row.LeftOn.IsZero()
	}
	p.Today = s.Today().String()
	if c.Can(auth.OrgRead) && !self {
		p.OrgLink = "/orgs/" + strconv.FormatInt(row.OrgID, 10)
	}
	if !self && c.Can(auth.PersonWrite) {
		rows, err := s.st.Corrections(r.Context(), c.Scope, store.CorrectionFilter{PersonID: id, PendingOnly: true})
		if err != nil {
			return nil, err
		}
		p.Corrections = correctionViews(rows)
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) personShow(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.personPage(r, c, id, false, false)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "person", p)
}

// me is a member's own record, read through their one-person scope.
func (s *area) me(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.selfPage(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "person", p)
}

// selfPage is 我的档案: the member's record, whom to contact about it, and
// their reports of wrong entries with the answers.
func (s *area) selfPage(r *http.Request, c *web.Call) (*personPage, error) {
	if c.User.PersonID == 0 {
		return nil, errs.ErrNotFound
	}
	self := selfScope(c)
	sub := &web.Call{User: c.User, Session: c.Session, Scope: self, Actor: c.Actor}
	p, err := s.personPage(r, sub, c.User.PersonID, false, true)
	if err != nil {
		return nil, err
	}
	if contact, ok, err := s.st.ContactFor(r.Context(), self, c.User.PersonID); err != nil {
		return nil, err
	} else if ok {
		p.Contact = &contact
	}
	rows, err := s.st.Corrections(r.Context(), self, store.CorrectionFilter{PersonID: c.User.PersonID})
	if err != nil {
		return nil, err
	}
	p.Corrections = correctionViews(rows)
	return p, nil
}

// reveal records in the audit log that the full ID number and phone of a
// person were shown, and to whom; then shows them.
func (s *area) reveal(r *http.Request, c *web.Call) (*store.PersonRow, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	row, err := s.st.Person(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	return row, s.st.LogEvent(r.Context(), c.Actor, store.Change{Action: "person.view_sensitive", ObjectType: "person", ObjectID: id,
		OrgPath: row.OrgPath, After: map[string]any{"fields": []string{"id_number", "phone"}}})
}

func (s *area) personReveal(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	row, err := s.reveal(r, c)
	if err != nil {
		return err
	}
	p, err := s.personPage(r, c, row.ID, true, false)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "person", p)
}

// transferIn is the body of POST /api/v1/people/{id}/transfers as the
// OpenAPI document describes it.
type transferIn struct {
	Direction string    `json:"direction" maxLength:"20"` // out or move
	On        date.Date `json:"on"`
	ToOrgID   int64     `json:"to_org_id"`                // move
	External  string    `json:"external" maxLength:"100"` // out: the organisation outside the platform
	Note      string    `json:"note" maxLength:"500"`
}

func (s *area) transfer(r *http.Request, c *web.Call) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return id, err
	}
	var v errs.Invalid
	tr := people.Transfer{PersonID: id, Direction: people.Direction(in.Text("direction", maxChoice, &v)), On: in.Date("on", &v),
		ToOrgID: in.ID("to_org_id", &v), External: in.Text("external", people.MaxExternal, &v), Note: in.Text("note", people.MaxNote, &v)}
	if err := web.AddProblems(&v, tr.Validate(s.Today())); err != nil {
		return id, err
	}
	if err := v.Err(); err != nil {
		return id, err
	}
	return id, s.st.Transfer(r.Context(), c.Actor, c.Scope, &tr)
}

func (s *area) personTransfer(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := s.transfer(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.personPage(r, c, id, false, false)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "person", p)
	}, "/people/"+strconv.FormatInt(id, 10)+"?notice=transferred")
}

// --- JSON API ---

func (s *area) apiPersonCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.createPerson(r, c)
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, p.ID, http.StatusCreated)
}

func (s *area) apiPersonAnswer(w http.ResponseWriter, r *http.Request, c *web.Call, id int64, status int) error {
	row, err := s.st.Person(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, status, s.personView(*row, false))
	return nil
}

func (s *area) apiPersonGet(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, id, http.StatusOK)
}

func (s *area) apiPersonUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.updatePerson(r, c)
	if err != nil {
		return err
	}
	return s.apiPersonAnswer(w, r, c, p.ID, http.StatusOK)
}

func (s *area) apiPersonReveal(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	row, err := s.reveal(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, s.personView(*row, true))
	return nil
}

// transferOut is one step of a person's organisational history.
type transferOut struct {
	ID             int64            `json:"id"`
	Direction      people.Direction `json:"direction"`
	DirectionLabel string           `json:"direction_label"`
	On             date.Date        `json:"on"`
	FromOrgID      int64            `json:"from_org_id"`
	FromOrgName    string           `json:"from_org_name"`
	ToOrgID        int64            `json:"to_org_id"`
	ToOrgName      string           `json:"to_org_name"`
	External       string           `json:"external"`
	Note           string           `json:"note"`
}

func (s *area) apiTransfers(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.Transfers(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := web.Items[transferOut]{Items: make([]transferOut, 0, len(list))}
	for _, t := range list {
		out.Items = append(out.Items, transferOut{ID: t.ID, Direction: t.Direction, DirectionLabel: msg.Text("transfer." + string(t.Direction)),
			On: t.On, FromOrgID: t.FromOrgID, FromOrgName: t.FromName, ToOrgID: t.ToOrgID, ToOrgName: t.ToName,
			External: t.External, Note: t.Note})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// transferDone answers a recorded transfer: whose it was.
type transferDone struct {
	PersonID int64 `json:"person_id"`
}

func (s *area) apiTransfer(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := s.transfer(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, transferDone{PersonID: id})
	return nil
}

func (s *area) apiMyPerson(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if c.User.PersonID == 0 {
		return errs.ErrNotFound
	}
	row, err := s.st.Person(r.Context(), auth.Scope{OrgPath: "/", PersonID: c.User.PersonID}, c.User.PersonID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, s.personView(*row, false))
	return nil
}
