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

func statusOptions() []web.Option {
	var out []web.Option
	for _, st := range people.Statuses {
		out = append(out, web.Option{Value: string(st), Label: msg.Text("status." + string(st))})
	}
	return out
}

// orgChoices are the party organisations of the scope (where a person belongs)
// and every work unit (units are shared across branches).
func (s *area) orgChoices(r *http.Request, c *web.Call) (orgs, units []web.Option, err error) {
	list, err := s.st.Orgs(r.Context(), c.Scope, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Group}})
	if err != nil {
		return nil, nil, err
	}
	ul, err := s.st.Orgs(r.Context(), auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Unit, org.School}})
	if err != nil {
		return nil, nil, err
	}
	return web.OrgOptions(list), web.OrgOptions(ul), nil
}

// personFromInput reads the person form. Dates that do not parse are recorded
// beside their fields; the rest is the domain's Validate.
func personFromInput(in web.Input, v *errs.Invalid) people.Person {
	p := people.Person{
		OrgID: in.ID("org_id", v), UnitID: in.ID("unit_id", v), Name: in.Str("name"), Sex: people.Sex(in.Str("sex")),
		BirthDate: in.Date("birth_date", v), Ethnic: in.Str("ethnic"), Education: in.Str("education"), Position: in.Str("position"),
		Status: people.Status(in.Str("status")), AppliedOn: in.Date("applied_on", v), ActivistOn: in.Date("activist_on", v),
		CandidateOn: in.Date("candidate_on", v), JoinedOn: in.Date("joined_on", v), FullOn: in.Date("full_on", v),
		Phone: in.Str("phone"), IDNumber: in.Str("id_number"), Version: int64(in.Num("version", 0)),
	}
	p.Normalize()
	return p
}

// checkPerson validates a person from a form: the domain's rules and the
// dictionaries, with every problem reported at once.
func (s *area) checkPerson(r *http.Request, p *people.Person, v *errs.Invalid) error {
	if err := p.Validate(s.Today()); err != nil {
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
	web.Layout
	Person                         people.Person
	Orgs, Units, Statuses, Sexes   []web.Option
	Educations, Ethnics, Positions []web.Option
	Action                         string
}

func (s *area) personFormPage(r *http.Request, c *web.Call, p people.Person, title, action string) (*personFormPage, error) {
	fp := &personFormPage{Layout: s.Base(c, title, "/people"), Person: p, Action: action, Statuses: statusOptions(),
		Sexes: []web.Option{{Value: "male", Label: "男"}, {Value: "female", Label: "女"}}}
	var err error
	if fp.Orgs, fp.Units, err = s.orgChoices(r, c); err != nil {
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
	return s.Render(w, r, http.StatusOK, "person_form", fp)
}

func (s *area) createPerson(r *http.Request, c *web.Call) (people.Person, error) {
	in, err := web.ReadInput(r)
	if err != nil {
		return people.Person{}, err
	}
	var v errs.Invalid
	p := personFromInput(in, &v)
	// A person arriving from an organisation outside the platform (组织关系转入)
	// is created together with the record of their arrival.
	var arrival *people.Transfer
	if from := in.Str("transfer_from"); from != "" || in.Str("transfer_on") != "" {
		arrival = &people.Transfer{Direction: people.TransferIn, External: from, On: in.Date("transfer_on", &v),
			ToOrgID: p.OrgID, Note: in.Str("transfer_note")}
		if err := arrival.Validate(s.Today()); err != nil {
			for f, k := range err.(*errs.Invalid).Fields {
				v.Add(map[string]string{"external": "transfer_from", "on": "transfer_on"}[f], k)
			}
		}
	}
	if err := s.checkPerson(r, &p, &v); err != nil {
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
	return s.Render(w, r, status, "person_form", fp)
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
	fp, err := s.personFormPage(r, c, row.Person, "编辑："+row.Name, "/people/"+strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "person_form", fp)
}

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
		return people.Person{}, err
	}
	var v errs.Invalid
	p := personFromInput(in, &v)
	p.ID, p.OrgID = id, old.OrgID // the organisation changes only through a transfer
	if !in.Has("version") {
		p.Version = old.Version
	}
	if err := s.checkPerson(r, &p, &v); err != nil {
		return p, err
	}
	return p, s.st.UpdatePerson(r.Context(), c.Actor, c.Scope, &p)
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
	Orgs                []web.Option
	CanWrite, CanReveal bool
	Self                bool
	CanOpenAccount      bool
	Account             *auth.User  // the person's login, if one exists
	NewAccount          *newAccount // set once, right after it was opened
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
		if p.Orgs, _, err = s.orgChoices(r, c); err != nil {
			return nil, err
		}
	}
	if c.Can(auth.MemberAccount) && !self {
		if p.Account, err = s.personAccountState(r, id); err != nil {
			return nil, err
		}
		p.CanOpenAccount = p.Account == nil && row.LeftOn.IsZero()
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
	if c.User.PersonID == 0 {
		return errs.ErrNotFound
	}
	self := auth.Scope{OrgPath: "/", PersonID: c.User.PersonID}
	sub := &web.Call{User: c.User, Session: c.Session, Scope: self, Actor: c.Actor}
	p, err := s.personPage(r, sub, c.User.PersonID, false, true)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "person", p)
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
	tr := people.Transfer{PersonID: id, Direction: people.Direction(in.Str("direction")), On: in.Date("on", &v),
		ToOrgID: in.ID("to_org_id", &v), External: in.Str("external"), Note: in.Str("note")}
	if err := tr.Validate(s.Today()); err != nil {
		if inv, ok := err.(*errs.Invalid); ok {
			for f, k := range inv.Fields {
				v.Add(f, k)
			}
		}
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

func (s *area) apiTransfers(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.Transfers(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		out = append(out, map[string]any{"id": t.ID, "direction": t.Direction, "direction_label": msg.Text("transfer." + string(t.Direction)),
			"on": t.On, "from_org_id": t.FromOrgID, "from_org_name": t.FromName, "to_org_id": t.ToOrgID, "to_org_name": t.ToName,
			"external": t.External, "note": t.Note})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *area) apiTransfer(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := s.transfer(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"person_id": id})
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
