package eventweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/web"
)

// The system administrator keeps the kinds of events and the compliance
// rules, like the dictionaries: a new kind of activity with its outcome
// measures, or a local frequency (党课 every two months), needs no code.

type kindsPage struct {
	web.Layout
	Kinds       []event.Kind
	Rules       []event.Rule
	Categories  []web.Option
	Audiences   []web.Option
	Aggregates  []web.Option
	Periods     []web.Option
	OrgKinds    []web.Option
	KindOpts    []web.Option
	RuleOptions []web.Option
	Form        event.Kind // the kind being edited after a refusal
	RuleForm    event.Rule
}

func (s *area) kindsData(r *http.Request, c *web.Call) (*kindsPage, error) {
	ctx := r.Context()
	p := &kindsPage{Layout: s.Base(c, "活动类型与规定", "/events/kinds")}
	var err error
	if p.Kinds, err = s.st.EventKinds(ctx); err != nil {
		return nil, err
	}
	if p.Rules, err = s.st.EventRules(ctx); err != nil {
		return nil, err
	}
	p.Categories = labelled("event_category.", event.Categories)
	p.Audiences = labelled("event_audience.", event.Audiences)
	p.Aggregates = labelled("event_aggregate.", event.Aggregates)
	p.Periods = labelled("event_period.", event.Periods)
	p.OrgKinds = labelled("kind.", []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Group})
	for _, k := range p.Kinds {
		p.KindOpts = append(p.KindOpts, web.Option{Value: strconv.FormatInt(k.ID, 10), Label: k.Name})
	}
	for _, rl := range p.Rules {
		what := rl.KindName
		if what == "" {
			what = "任何活动"
		}
		p.RuleOptions = append(p.RuleOptions, web.Option{Value: strconv.FormatInt(rl.ID, 10),
			Label: msg.Text("kind."+string(rl.OrgKind)) + " · " + msg.Text("event_period."+string(rl.Period)) + " · " + what})
	}
	p.Form = event.Kind{Category: event.Meeting, Audience: event.Members, TakesAttendance: true}
	p.RuleForm = event.Rule{OrgKind: org.Branch, Period: event.Monthly, Times: 1}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) kindsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.kindsData(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "kinds", p)
}

// applyKind fills a kind from the request (only the fields sent, for PATCH).
func applyKind(f form, k *event.Kind, patch bool, v *errs.Invalid) {
	want := func(name string) bool { return !patch || f.has(name) }
	if want("name") {
		k.Name = f.Str("name")
	}
	if want("category") {
		k.Category = event.Category(f.Str("category"))
	}
	if want("audience") {
		k.Audience = event.Audience(f.Str("audience"))
	}
	for name, dst := range map[string]*bool{"takes_attendance": &k.TakesAttendance, "counts_as_learning": &k.CountsAsLearning,
		"allows_makeup": &k.AllowsMakeup, "records_decisions": &k.RecordsDecisions, "needs_quorum": &k.NeedsQuorum, "disabled": &k.Disabled} {
		if want(name) {
			*dst = f.Flag(name)
		}
	}
	if want("credit") {
		h, ok := event.ParseHours(f.Str("credit"))
		if !ok {
			v.Add("credit", "event.hours_format")
		}
		k.Credit = h
	}
	if want("sort_order") {
		k.SortOrder = number(f, "sort_order", v)
	}
	if want("measures") {
		old := map[int64]bool{}
		for _, m := range k.Measures {
			old[m.ID] = true
		}
		k.Measures = nil
		for _, row := range rows(f, "measures", []string{"id", "name", "unit", "aggregate"}, v) {
			m := event.Measure{Name: row[1], Unit: row[2], Aggregate: event.Aggregate(row[3])}
			if row[0] != "" {
				id, err := strconv.ParseInt(row[0], 10, 64)
				if err != nil || !old[id] {
					v.Add("measures", "event.measure_unknown")
				}
				m.ID = id
			}
			if m.Name == "" && m.Unit == "" {
				continue
			}
			k.Measures = append(k.Measures, m)
		}
	}
}

func (s *area) kindSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	k := event.Kind{}
	if id := f.ID("id", &v); id != 0 {
		kinds, err := s.st.EventKinds(r.Context())
		if err != nil {
			return err
		}
		old := kindOf(kinds, id)
		if old == nil {
			return errs.ErrNotFound
		}
		k = *old
	}
	applyKind(f, &k, false, &v)
	k.Version = int64(f.Num("version", 0))
	err = v.Err()
	if err == nil {
		err = s.st.SaveEventKind(r.Context(), c.Actor, &k)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.kindsData(r, c)
		if err != nil {
			return err
		}
		p.Form, p.Errors = k, fields
		return s.Render(w, r, status, "kinds", p)
	}, "/events/kinds?notice=kind_saved")
}

// applyRule fills a rule from the request (only the fields sent, for PATCH).
func applyRule(f form, rl *event.Rule, patch bool, v *errs.Invalid) {
	want := func(name string) bool { return !patch || f.has(name) }
	if want("org_kind") {
		rl.OrgKind = org.Kind(f.Str("org_kind"))
	}
	if want("kind_id") {
		rl.KindID = f.ID("kind_id", v)
	}
	if want("period") {
		rl.Period = event.Period(f.Str("period"))
	}
	if want("times") {
		rl.Times = number(f, "times", v)
	}
	if want("by_secretary") {
		rl.BySecretary = f.Flag("by_secretary")
	}
	if want("disabled") {
		rl.Disabled = f.Flag("disabled")
	}
}

func (s *area) ruleSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	rl := event.Rule{ID: f.ID("id", &v), Version: int64(f.Num("version", 0))}
	if rl.ID != 0 && rl.Version == 0 {
		// The page's form names the rule to change from the list above it,
		// which shows its current state.
		rules, err := s.st.EventRules(r.Context())
		if err != nil {
			return err
		}
		for _, x := range rules {
			if x.ID == rl.ID {
				rl.Version = x.Version
			}
		}
	}
	applyRule(f, &rl, false, &v)
	err = v.Err()
	if err == nil {
		err = s.st.SaveEventRule(r.Context(), c.Actor, &rl)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.kindsData(r, c)
		if err != nil {
			return err
		}
		p.RuleForm, p.Errors = rl, fields
		return s.Render(w, r, status, "kinds", p)
	}, "/events/kinds?notice=rule_saved#rules")
}

// --- JSON API ---

func (s *area) apiKinds(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	kinds, err := s.st.EventKinds(r.Context())
	if err != nil {
		return err
	}
	out := web.Items[kindOut]{Items: []kindOut{}}
	for i := range kinds {
		out.Items = append(out.Items, newKindOut(&kinds[i]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) saveKind(w http.ResponseWriter, r *http.Request, c *web.Call, id int64) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	k := event.Kind{Category: event.Meeting, Audience: event.Members}
	if id != 0 {
		kinds, err := s.st.EventKinds(r.Context())
		if err != nil {
			return err
		}
		old := kindOf(kinds, id)
		if old == nil {
			return errs.ErrNotFound
		}
		k = *old
		if !f.has("version") {
			v.Add("version", "event.version_required")
		}
		k.Version = int64(f.Num("version", 0))
	}
	applyKind(f, &k, id != 0, &v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.st.SaveEventKind(r.Context(), c.Actor, &k); err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, newKindOut(&k))
	return nil
}

func (s *area) apiKindCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.saveKind(w, r, c, 0)
}

func (s *area) apiKindPatch(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveKind(w, r, c, id)
}

func newRuleOut(rl event.Rule) ruleOut {
	return ruleOut{Rule: rl, PeriodLabel: msg.Text("event_period." + string(rl.Period))}
}

func (s *area) apiRules(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	rules, err := s.st.EventRules(r.Context())
	if err != nil {
		return err
	}
	out := web.Items[ruleOut]{Items: []ruleOut{}}
	for _, rl := range rules {
		out.Items = append(out.Items, newRuleOut(rl))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) saveRule(w http.ResponseWriter, r *http.Request, c *web.Call, id int64) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	rl := event.Rule{OrgKind: org.Branch, Period: event.Monthly, Times: 1}
	if id != 0 {
		rules, err := s.st.EventRules(r.Context())
		if err != nil {
			return err
		}
		found := false
		for _, x := range rules {
			if x.ID == id {
				rl, found = x, true
			}
		}
		if !found {
			return errs.ErrNotFound
		}
		if !f.has("version") {
			v.Add("version", "event.version_required")
		}
		rl.Version = int64(f.Num("version", 0))
	}
	applyRule(f, &rl, id != 0, &v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.st.SaveEventRule(r.Context(), c.Actor, &rl); err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, newRuleOut(rl))
	return nil
}

func (s *area) apiRuleCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.saveRule(w, r, c, 0)
}

func (s *area) apiRulePatch(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveRule(w, r, c, id)
}
