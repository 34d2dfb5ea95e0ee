package learningweb

import (
	"net/http"
	"strconv"
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

// maxScheduleRows is how many schedule rows the plan form offers.
const maxScheduleRows = 3

type plansPage struct {
	web.Layout
	Plans     []learning.Plan
	Orgs      []web.Option
	Kinds     []web.Option
	Materials []learning.Material
	Form      planForm
	CanWrite  bool
	Rows      []scheduleRow
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

// planForm is the plan form's values, shown again beside its errors.
type planForm struct {
	OrgID       int64
	Title       string
	Description string
	From, To    date.Date
	Schedules   []learning.Schedule
	Readings    []int64
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
	ctx := r.Context()
	p := plansPage{Layout: s.Base(c, "学习计划", "/learning/plans"), Form: form, CanWrite: c.Can(auth.EventWrite),
		WeekdayNames: weekdayNames}
	p.Notice, p.Errors = web.Notice(r), fields
	var err error
	if p.Plans, err = s.st.LearningPlans(ctx, c.Scope); err != nil {
		return err
	}
	orgs, err := s.st.Orgs(ctx, c.Scope, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Group}})
	if err != nil {
		return err
	}
	p.Orgs = web.OrgOptions(orgs)
	if p.Kinds, _, err = s.learningKinds(r); err != nil {
		return err
	}
	if p.Materials, err = s.st.LearningMaterials(ctx, c.Scope); err != nil {
		return err
	}
	for _, sch := range p.Form.Schedules {
		p.Rows = append(p.Rows, scheduleRow{sch})
	}
	for len(p.Rows) < maxScheduleRows {
		p.Rows = append(p.Rows, scheduleRow{learning.Schedule{Repeat: learning.Weekly, Start: "15:00", Minutes: 120, Weekday: time.Thursday}})
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
	f := planForm{OrgID: p.OrgID, Title: p.Title, Description: p.Description, From: p.From, To: p.To, Schedules: append([]learning.Schedule{}, p.Schedules...)}
	for _, r := range p.Readings {
		f.Readings = append(f.Readings, r.MaterialID)
	}
	return p, f
}

func (s *area) createPlan(r *http.Request, c *web.Call) (*learning.Plan, planForm, error) {
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
	Plan     *learning.Plan
	Kinds    map[int64]string
	Sessions []event.Event
	CanWrite bool
	Created  string
	// WeekdayNames are the weekdays by time.Weekday.
	WeekdayNames []string
}

func (s *area) planShow(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.st.LearningPlan(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	page := planPage{Layout: s.Base(c, p.Title, "/learning/plans"), Plan: p, CanWrite: c.Can(auth.EventWrite),
		Created: r.URL.Query().Get("created"), WeekdayNames: weekdayNames}
	page.Notice = web.Notice(r)
	if _, page.Kinds, err = s.learningKinds(r); err != nil {
		return err
	}
	if page.Sessions, err = s.st.PlanSessions(r.Context(), c.Scope, id); err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "plan", page)
}

func (s *area) sessionsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.st.CreatePlanSessions(r.Context(), c.Actor, c.Scope, id, false)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/learning/plans/"+strconv.FormatInt(id, 10)+"?notice=sessions_created&created="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
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

func (s *area) apiSessions(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.st.CreatePlanSessions(r.Context(), c.Actor, c.Scope, id, false)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sessionsOut{n})
	return nil
}
