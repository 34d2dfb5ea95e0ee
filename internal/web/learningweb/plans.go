package learningweb

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// Study plans: a secretary writes the year's (or a campaign's) plan with
// its fixed schedules — 每周四集中学习, 每周五业务课堂, 每日1小时自学 — and
// the required readings, then creates its sessions, which land in the
// calendar as planned events of the learning kinds.

// minScheduleRows is how many schedule rows the plan form offers at least
// (an edited plan's, one more than it has).
const minScheduleRows = 3

type plansPage struct {
	web.Layout
	Plans    []learning.Plan
	CanWrite bool
	planEditor
}

// planEditor is what the plan form (template "plan-form") shows: a new
// plan's on the list, an edited one's on the plan's page.
type planEditor struct {
	Form      planForm
	Rows      []scheduleRow
	Orgs      web.OrgTree
	Kinds     []web.Option
	Materials []learning.Material
	// WeekdayNames are the weekdays by time.Weekday.
	WeekdayNames []string
}

var weekdayNames = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// scheduleRow is a row of the plan form.
type scheduleRow struct{ learning.Schedule }

// On reports whether the row falls on weekday d.
func (r scheduleRow) On(d int) bool { return int(r.Weekday) == d }

// IsKind reports whether the row creates sessions of the kind with this ID.
func (r scheduleRow) IsKind(id string) bool { return id == strconv.FormatInt(r.KindID, 10) }

// planForm is the plan form's values, shown again beside its errors; ID
// and Version are an edited plan's.
type planForm struct {
	ID, Version int64
	OrgID       int64
	Title       string
	Description string
	From, To    date.Date
	Schedules   []learning.Schedule
	Readings    []int64
}

// Reads reports whether the form asks for the material with this ID.
func (f planForm) Reads(id int64) bool { return slices.Contains(f.Readings, id) }

// formOf is a saved plan as the form shows it for editing.
func formOf(p *learning.Plan) planForm {
	f := planForm{ID: p.ID, Version: p.Version, OrgID: p.OrgID, Title: p.Title, Description: p.Description, From: p.From, To: p.To,
		Schedules: p.Schedules}
	for _, r := range p.Readings {
		f.Readings = append(f.Readings, r.MaterialID)
	}
	return f
}

// editor fills the plan form's choices around its values.
func (s *area) editor(r *http.Request, c *web.Call, form planForm) (planEditor, error) {
	ctx := r.Context()
	e := planEditor{Form: form, WeekdayNames: weekdayNames}
	var err error
	if form.ID == 0 { // an edited plan keeps its organisation
		if e.Orgs, err = s.OrgTree(ctx, c, form.OrgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
			return e, err
		}
	}
	if e.Kinds, _, err = s.learningKinds(r); err != nil {
		return e, err
	}
	if e.Materials, err = s.st.LearningMaterials(ctx, c.Scope); err != nil {
		return e, err
	}
	for _, sch := range form.Schedules {
		e.Rows = append(e.Rows, scheduleRow{sch})
	}
	for len(e.Rows) < max(minScheduleRows, len(form.Schedules)+1) {
		e.Rows = append(e.Rows, scheduleRow{learning.Schedule{Repeat: learning.Weekly, Start: "15:00", Minutes: 120, Weekday: time.Thursday}})
	}
	return e, nil
}

func (s *area) learningKinds(r *http.Request) ([]web.Option, map[int64]string, error) {
	kinds, err := s.st.EventKinds(r.Context())
	if err != nil {
		return nil, nil, err
	}
	var out []web.Option
	names := map[int64]string{}
	for _, k := range kinds {
		names[k.ID] = k.Name
		if k.CountsAsLearning && !k.Disabled {
			out = append(out, web.Option{Value: strconv.FormatInt(k.ID, 10), Label: k.Name})
		}
	}
	return out, names, nil
}

func (s *area) renderPlans(w http.ResponseWriter, r *http.Request, c *web.Call, status int, form planForm, fields map[string]string) error {
	p := plansPage{Layout: s.Base(c, "学习计划", "/learning/plans"), CanWrite: c.Can(auth.EventWrite)}
	p.Notice, p.Errors = web.Notice(r), fields
	var err error
	if p.Plans, err = s.st.LearningPlans(r.Context(), c.Scope); err != nil {
		return err
	}
	if p.CanWrite {
		if p.planEditor, err = s.editor(r, c, form); err != nil {
			return err
		}
	}
	return s.Render(w, r, status, "plans", p)
}

func (s *area) plansPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	today := s.Today()
	return s.renderPlans(w, r, c, http.StatusOK, planForm{OrgID: c.User.OrgID, From: today, To: date.Of(today.Year(), 12, 31)}, nil)
}

// parsePlan reads a plan from a form or JSON: schedules as parallel
// "schedules.*" values (a form's rows; a JSON array of objects), rows with
// no title left out; readings as repeated "readings".
func parsePlan(in web.Input, v *errs.Invalid) (learning.Plan, planForm) {
	p := learning.Plan{OrgID: in.ID("org_id", v), Title: in.Text("title", learning.MaxPlanTitle, v),
		Description: in.Text("description", learning.MaxDescription, v), From: in.Date("from", v), To: in.Date("to", v)}
	titles := in.Values["schedules.title"]
	at := func(name string, i int) string {
		vals := in.Values["schedules."+name]
		if i < len(vals) {
			return vals[i]
		}
		return ""
	}
	num := func(name string, i int) int {
		n, err := strconv.Atoi(at(name, i))
		if err != nil && at(name, i) != "" {
			v.Add("schedules", "invalid")
		}
		return n
	}
	for i, t := range titles {
		if t == "" {
			continue
		}
		kind, _ := strconv.ParseInt(at("kind_id", i), 10, 64)
		p.Schedules = append(p.Schedules, learning.Schedule{KindID: kind, Title: t, Repeat: learning.Repeat(at("repeat", i)),
			Weekday: time.Weekday(num("weekday", i)), MonthDay: num("monthday", i), Start: at("start", i), Minutes: num("minutes", i),
			Place: at("place", i)})
	}
	for _, id := range in.Values["readings"] {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			v.Add("readings", "learning.reading_unknown")
			continue
		}
		p.Readings = append(p.Readings, learning.Reading{MaterialID: n, Required: true})
	}
	p.Version = in.Int("version", v)
	f := planForm{Version: p.Version, OrgID: p.OrgID, Title: p.Title, Description: p.Description, From: p.From, To: p.To,
		Schedules: append([]learning.Schedule{}, p.Schedules...)}
	for _, r := range p.Readings {
		f.Readings = append(f.Readings, r.MaterialID)
	}
	return p, f
}

// readPlanJSON reads a plan sent as JSON. Its schedules are objects read
// whole: web.Input would flatten them into parallel lists, which a schedule
// that leaves out a key (a weekly one has no monthday) would misalign.
func readPlanJSON(r *http.Request) (learning.Plan, error) {
	var in planIn
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return learning.Plan{}, tooBig
		}
		return learning.Plan{}, fmt.Errorf("%w: %v", web.ErrBadRequest, err)
	}
	var v errs.Invalid
	p := learning.Plan{OrgID: int64(in.OrgID), Title: in.Title, Description: in.Description, Version: int64(in.Version)}
	var err error
	if p.From, err = date.Parse(in.From); err != nil {
		v.Add("from", "date.format")
	}
	if p.To, err = date.Parse(in.To); err != nil {
		v.Add("to", "date.format")
	}
	for _, sch := range in.Schedules {
		p.Schedules = append(p.Schedules, learning.Schedule{KindID: int64(sch.KindID), Title: sch.Title, Repeat: learning.Repeat(sch.Repeat),
			Weekday: time.Weekday(sch.Weekday), MonthDay: int(sch.MonthDay), Start: sch.Start, Minutes: int(sch.Minutes), Place: sch.Place})
	}
	for _, id := range in.Readings {
		p.Readings = append(p.Readings, learning.Reading{MaterialID: int64(id), Required: true})
	}
	return p, v.Err()
}

func (s *area) createPlan(r *http.Request, c *web.Call) (*learning.Plan, planForm, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		p, err := readPlanJSON(r)
		if err != nil {
			return nil, planForm{}, err
		}
		return &p, planForm{}, s.st.SaveLearningPlan(r.Context(), c.Actor, c.Scope, &p)
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return nil, planForm{}, err
	}
	var v errs.Invalid
	p, f := parsePlan(in, &v)
	if err := v.Err(); err != nil {
		return nil, f, err
	}
	return &p, f, s.st.SaveLearningPlan(r.Context(), c.Actor, c.Scope, &p)
}

func (s *area) planCreatePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, f, err := s.createPlan(r, c)
	next := ""
	if err == nil {
		next = "/learning/plans/" + strconv.FormatInt(p.ID, 10) + "?notice=plan_saved"
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.renderPlans(w, r, c, status, f, fields)
	}, next)
}

type planPage struct {
	web.Layout
	Plan      *learning.Plan
	KindNames map[int64]string
	Sessions  []event.Event
	CanWrite  bool
	Created   string
	// Editing opens the plan's form at once: an edit refused, shown again.
	Editing bool
	planEditor
}

func (s *area) planShow(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, c, http.StatusOK, id, nil, nil)
}

// renderPlan shows a plan with its sessions and, for whoever may change
// it, its form: filled from the plan, or with an edit refused (form) and
// why (fields).
func (s *area) renderPlan(w http.ResponseWriter, r *http.Request, c *web.Call, status int, id int64, form *planForm, fields map[string]string) error {
	p, err := s.st.LearningPlan(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	page := planPage{Layout: s.Base(c, p.Title, "/learning/plans"), Plan: p, CanWrite: c.Can(auth.EventWrite),
		Created: r.URL.Query().Get("created"), Editing: form != nil}
	page.Notice, page.Errors = web.Notice(r), fields
	if _, page.KindNames, err = s.learningKinds(r); err != nil {
		return err
	}
	if page.Sessions, err = s.st.PlanSessions(r.Context(), c.Scope, id); err != nil {
		return err
	}
	page.WeekdayNames = weekdayNames
	if page.CanWrite {
		f := formOf(p)
		if form != nil {
			f = *form
			f.ID = id
		}
		if page.planEditor, err = s.editor(r, c, f); err != nil {
			return err
		}
	}
	return s.Render(w, r, status, "plan", page)
}

// planEditPage saves the plan's form: its schedules and readings are
// replaced; sessions already created stay.
func (s *area) planEditPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.st.LearningPlan(r.Context(), c.Scope, id); err != nil {
		return err // another branch's plan does not exist, whatever was sent
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	p, f := parsePlan(in, &v)
	err = v.Err()
	if err == nil {
		p.ID = id
		err = s.st.SaveLearningPlan(r.Context(), c.Actor, c.Scope, &p)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.renderPlan(w, r, c, status, id, &f, fields)
	}, "/learning/plans/"+strconv.FormatInt(id, 10)+"?notice=plan_saved")
}

// createSessions creates a plan's missing sessions and queues, for each
// planned one, the freeze of its expected list at its start — the job
// eventweb runs for every planned event (same kind, payload and dedupe key,
// so a session saved again on its event page keeps one job).
func (s *area) createSessions(r *http.Request, c *web.Call, id int64) (int, error) {
	ctx := r.Context()
	n, err := s.st.CreatePlanSessions(ctx, c.Actor, c.Scope, id, false)
	if err != nil || n == 0 {
		return n, err
	}
	sessions, err := s.st.PlanSessions(ctx, c.Scope, id)
	if err != nil {
		return n, err
	}
	for _, e := range sessions {
		if e.Status != event.Planned || !e.FrozenAt.IsZero() {
			continue
		}
		payload, _ := json.Marshal(map[string]int64{"event_id": e.ID})
		j := &store.Job{Kind: "event.freeze", DedupeKey: "event.freeze:" + itoa(e.ID) + ":" + itoa(e.PlannedStart.Unix()),
			Label: e.Title, Payload: string(payload), DueAt: e.PlannedStart}
		if err := s.Enqueue(ctx, j); err != nil {
			// The list is frozen at the first mark or sign-in anyway.
			s.Log().Warn("schedule the freeze of a session's list", "event", e.ID, "err", err)
		}
	}
	return n, nil
}

func (s *area) sessionsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.createSessions(r, c, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/learning/plans/"+strconv.FormatInt(id, 10)+"?notice=sessions_created&created="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

// planIn documents a new plan's body for the OpenAPI document; handlers
// read it through web.Input (schedules as an array of objects).
type planIn struct {
	OrgID       number       `json:"org_id"`
	Title       string       `json:"title" maxLength:"100"`
	Description string       `json:"description" maxLength:"2000"`
	From        string       `json:"from"` // 2026-07-01
	To          string       `json:"to"`   // included
	Schedules   []scheduleIn `json:"schedules"`
	Readings    []number     `json:"readings"` // material IDs, each required reading
	Version     number       `json:"version"`  // an edit: the version it started from
}

// number is a whole number sent as a JSON number or as a string of digits
// (as a form would send it).
type number int64

func (n *number) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return err
	}
	*n = number(v)
	return nil
}

type scheduleIn struct {
	KindID   number `json:"kind_id"` // a kind that counts as learning
	Title    string `json:"title" maxLength:"100"`
	Repeat   string `json:"repeat"`   // weekly | monthly | workdays | daily
	Weekday  number `json:"weekday"`  // 0 Sunday … 6 Saturday (weekly)
	MonthDay number `json:"monthday"` // 1–31 (monthly; a short month's last day)
	Start    string `json:"start"`    // 15:00
	Minutes  number `json:"minutes"`
	Place    string `json:"place" maxLength:"100"`
}

// planOut is a plan as the API answers it.
type planOut struct {
	learning.Plan
}

// sessionsOut says how many sessions a plan's schedules created.
type sessionsOut struct {
	Created int `json:"created"`
}

func (s *area) apiPlans(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.st.LearningPlans(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	out := web.Items[planOut]{Items: []planOut{}}
	for _, p := range list {
		out.Items = append(out.Items, planOut{p})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiPlan(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.st.LearningPlan(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, planOut{*p})
	return nil
}

func (s *area) apiPlanCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, _, err := s.createPlan(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, planOut{*p})
	return nil
}

// apiPlanUpdate saves an edited plan: its schedules and readings are
// replaced; sessions already created stay.
func (s *area) apiPlanUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.st.LearningPlan(r.Context(), c.Scope, id); err != nil {
		return err // another branch's plan does not exist, whatever was sent
	}
	p, err := readPlanJSON(r)
	if err != nil {
		return err
	}
	p.ID = id
	if err := s.st.SaveLearningPlan(r.Context(), c.Actor, c.Scope, &p); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, planOut{p})
	return nil
}

func (s *area) apiSessions(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.createSessions(r, c, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sessionsOut{n})
	return nil
}
