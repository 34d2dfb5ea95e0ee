package eventweb

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// formPage is what the event form needs: the event as typed, the choices,
// and the messages beside the fields.
type formPage struct {
	web.Layout
	Form      eventForm
	Orgs      web.OrgTree
	Kinds     []web.Option
	KindList  []event.Kind
	Audiences []web.Option
	Statuses  []web.Option
	Invited   []web.Picked // the chosen people (audience 指定人员), named
	Campaigns []web.Option // the campaigns (专题教育) it may belong to
}

// eventForm is an event as its form shows it.
type eventForm struct {
	event.Event
	Invitees []int64
	Measures []measureField
}

type measureField struct {
	ID               int64
	Kind, Name, Unit string
	Value            string
}

func (f eventForm) Start() string     { return inputTime(f.PlannedStart) }
func (f eventForm) End() string       { return inputTime(f.PlannedEnd) }
func (f eventForm) HeldFrom() string  { return inputTime(f.HeldStart) }
func (f eventForm) HeldUntil() string { return inputTime(f.HeldEnd) }
func (f eventForm) Also(id int64) bool {
	for _, k := range f.AlsoKinds {
		if k == id {
			return true
		}
	}
	return false
}

// SpeakerPick is a speaker row's choice for its person picker: the person
// it names, or nobody (an invited expert).
func (f eventForm) SpeakerPick(sp event.Speaker) []web.Picked {
	if sp.PersonID == 0 {
		return nil
	}
	return []web.Picked{{ID: sp.PersonID, Label: sp.Name}}
}

// SpeakerRows are the speakers and two empty rows to add more.
func (f eventForm) SpeakerRows() []event.Speaker {
	return append(append([]event.Speaker{}, f.Speakers...), event.Speaker{}, event.Speaker{})
}

// DecisionRows are the decisions and two empty rows.
func (f eventForm) DecisionRows() []string {
	var out []string
	for _, d := range f.Decisions {
		out = append(out, d.Content)
	}
	return append(out, "", "")
}

func labelled[T ~string](prefix string, list []T) []web.Option {
	out := make([]web.Option, 0, len(list))
	for _, v := range list {
		out = append(out, web.Option{Value: string(v), Label: msg.Text(prefix + string(v))})
	}
	return out
}

// formChoices fills the choices of the event form for the caller.
func (s *area) formChoices(ctx context.Context, c *web.Call, p *formPage) error {
	var err error
	if p.Orgs, err = s.OrgTree(ctx, c, p.Form.OrgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return err
	}
	kinds, err := s.st.EventKinds(ctx)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if !k.Disabled || k.ID == p.Form.KindID {
			p.Kinds = append(p.Kinds, web.Option{Value: strconv.FormatInt(k.ID, 10), Label: msg.Text("event_category."+string(k.Category)) + " · " + k.Name})
			p.KindList = append(p.KindList, k)
		}
	}
	p.Audiences = labelled("event_audience.", event.Audiences)
	campaigns, err := s.st.Campaigns(ctx, c.Scope)
	if err != nil {
		return err
	}
	for _, x := range campaigns {
		p.Campaigns = append(p.Campaigns, web.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.Name})
	}
	p.Statuses = labelled("event_status.", event.Statuses)
	// A speaker picked without a name typed (a refused form shown again) is
	// named as the picker named them, if the user may see them.
	for i, sp := range p.Form.Speakers {
		if sp.PersonID != 0 && sp.Name == "" {
			if m, err := s.st.Person(ctx, c.Scope, sp.PersonID); err == nil {
				p.Form.Speakers[i].Name = m.Name
			}
		}
	}
	for _, id := range p.Form.Invitees {
		m, err := s.st.Person(ctx, c.Scope, id)
		if err != nil {
			continue // out of scope or gone: the store refuses it on saving
		}
		p.Invited = append(p.Invited, web.Picked{ID: m.ID, Label: m.Name})
	}
	// The measures of the event's kinds, with what it recorded.
	values := map[int64]float64{}
	for _, m := range p.Form.Event.Measures {
		values[m.MeasureID] = m.Value
	}
	p.Form.Measures = nil
	for _, k := range kinds {
		if k.ID != p.Form.KindID && !p.Form.Also(k.ID) {
			continue
		}
		for _, m := range k.Measures {
			v, ok := values[m.ID]
			if m.Disabled && !ok {
				continue
			}
			f := measureField{ID: m.ID, Kind: k.Name, Name: m.Name, Unit: m.Unit}
			if ok {
				f.Value = strconv.FormatFloat(v, 'f', -1, 64)
			}
			p.Form.Measures = append(p.Form.Measures, f)
		}
	}
	return nil
}

func (s *area) newForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	in := web.Input{Values: r.URL.Query()}
	start := time.Date(s.Today().Year(), s.Today().Month(), s.Today().Day(), 9, 0, 0, 0, China).AddDate(0, 0, 1)
	f := eventForm{Event: event.Event{OrgID: in.ID("org", &v), KindID: in.ID("kind", &v), PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		QRStep: event.DefaultQRStep, QRMargin: event.DefaultQRMargin}}
	if f.OrgID == 0 && c.User != nil {
		f.OrgID = c.User.OrgID
	}
	p := formPage{Layout: s.Base(c, "新建活动", "/events"), Form: f}
	if err := s.formChoices(r.Context(), c, &p); err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "event_new", p)
}

// createEvent reads a new event from the request and saves it.
func (s *area) createEvent(r *http.Request, c *web.Call) (*event.Event, []int64, error) {
	f, err := readForm(r)
	if err != nil {
		// The form is shown again with the messages (a value over its
		// limit, a control character): it needs an event to show.
		return &event.Event{}, nil, err
	}
	var v errs.Invalid
	e := &event.Event{}
	invitees, _ := applyEvent(f, e, false, &v)
	if err := s.allProblems(r.Context(), e, &v); err != nil {
		return e, invitees, err
	}
	if err := s.st.CreateEvent(r.Context(), c.Actor, c.Scope, e, invitees); err != nil {
		return e, invitees, err
	}
	s.scheduleFreeze(r.Context(), e)
	return e, invitees, nil
}

func (s *area) create(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	e, invitees, err := s.createEvent(r, c)
	id := int64(0)
	if e != nil {
		id = e.ID
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p := formPage{Layout: s.Base(c, "新建活动", "/events"), Form: eventForm{Event: *e, Invitees: invitees}}
		if err := s.formChoices(r.Context(), c, &p); err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "event_new", p)
	}, "/events/"+strconv.FormatInt(id, 10)+"?notice=event_created")
}

// updateEvent applies the request to the stored event (only the fields sent,
// for PATCH) and saves it; version must name the copy the edit began from.
func (s *area) updateEvent(r *http.Request, c *web.Call, id int64, patch bool) (*event.Event, []int64, error) {
	ctx := r.Context()
	e, err := s.st.Event(ctx, c.Scope, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := readForm(r)
	if err != nil {
		return e, nil, err
	}
	var v errs.Invalid
	if !f.has("version") {
		v.Add("version", "event.version_required")
	}
	version, verr := strconv.ParseInt(f.Str("version"), 10, 64)
	if verr != nil && f.has("version") {
		v.Add("version", "number.format")
	}
	invitees, setInvitees := applyEvent(f, e, patch, &v)
	if err := s.allProblems(ctx, e, &v); err != nil {
		return e, invitees, err
	}
	e.Version = version
	if err := s.st.UpdateEvent(ctx, c.Actor, c.Scope, e, invitees, setInvitees); err != nil {
		return e, invitees, err
	}
	s.scheduleFreeze(ctx, e)
	return e, invitees, nil
}

func (s *area) edit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	// The page's forms send what they change (the whole record, or only a
	// status): the same partial update as the API's PATCH.
	e, invitees, err := s.updateEvent(r, c, id, true)
	notice := "event_saved"
	if e != nil && e.Status == event.Held {
		notice = "event_held"
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.eventPage(r, c, id)
		if err != nil {
			return err
		}
		if e != nil {
			p.Form.Event, p.Form.Invitees = *e, invitees
			if err := s.formChoices(r.Context(), c, &p.formPage); err != nil {
				return err
			}
		}
		p.Errors = fields
		return s.Render(w, r, status, "event_show", p)
	}, "/events/"+strconv.FormatInt(id, 10)+"?notice="+notice)
}

// allProblems adds, to the fields that could not be read, what the event's
// own rules say of the rest, so a refused form lists every problem at once.
func (s *area) allProblems(ctx context.Context, e *event.Event, v *errs.Invalid) error {
	if v.Err() == nil {
		return nil
	}
	kinds, err := s.st.EventKinds(ctx)
	if err != nil {
		return err
	}
	k := kindOf(kinds, e.KindID)
	measures := map[int64]event.Measure{}
	for _, kk := range kinds {
		for _, m := range kk.Measures {
			measures[m.ID] = m
		}
	}
	probe := *e
	probe.Normalize(k)
	if err := web.AddProblems(v, probe.Validate(k, measures)); err != nil {
		return err
	}
	return v.Err()
}

// --- JSON API ---

func (s *area) apiList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in := web.Input{Values: r.URL.Query()}
	var v errs.Invalid
	f := store.EventFilter{OrgID: in.ID("org", &v), KindID: in.ID("kind", &v), Status: event.Status(in.Str("status")), Query: in.Str("q")}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "event.status_unknown")
	}
	from, to := in.Date("from", &v), in.Date("to", &v)
	if !from.IsZero() {
		f.From = chinaMidnight(from)
	}
	if !to.IsZero() {
		f.To = chinaMidnight(to.AddDate(0, 0, 1))
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, size := in.Page(), min(max(in.Num("page_size", 20), 1), 200)
	f.Limit, f.Offset = size, (page-1)*size
	list, err := s.st.Events(r.Context(), c.Scope, f)
	if err != nil {
		return err
	}
	out := web.List[eventOut]{Items: []eventOut{}, Total: list.Total, Page: page, PageSize: size}
	for i := range list.Items {
		out.Items = append(out.Items, newEventOut(&list.Items[i]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func chinaMidnight(d date.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, China)
}

func (s *area) apiCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	e, invitees, err := s.createEvent(r, c)
	if err != nil {
		return err
	}
	out := newEventOut(e)
	out.Invitees = invitees
	web.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (s *area) apiGet(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.st.Event(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, newEventOut(e))
	return nil
}

func (s *area) apiPatch(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, _, err := s.updateEvent(r, c, id, true)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, newEventOut(e))
	return nil
}

// canWrite reports whether the caller may change events (the page shows
// its forms only then).
func canWrite(c *web.Call) bool { return c.Can(auth.EventWrite) }
