package summaryweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/summary"
	"dangjian/internal/web"
)

// Reported figures (填报): the entries behind a reported figure — its
// drill-down — and the form that enters one with its evidence.

type reportedPage struct {
	web.Layout
	Filter   store.ReportedFilter
	Entries  []summary.Reported
	Orgs     web.OrgTree // the filter's
	FormOrgs web.OrgTree // the form's
	Codes    []web.Option
	Form     summary.Reported
	CanWrite bool
}

// reportingOrgs are the kinds of organisation that report figures.
var reportingOrgs = []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Unit}

func (s *area) reportedData(r *http.Request, c *web.Call) (*reportedPage, error) {
	ctx := r.Context()
	var v errs.Invalid
	q := web.Input{Values: r.URL.Query()}
	f := store.ReportedFilter{OrgID: q.ID("org", &v), Code: q.Str("code"), From: q.Date("from", &v), To: q.Date("to", &v)}
	if err := v.Err(); err != nil {
		return nil, err
	}
	p := &reportedPage{Layout: s.Base(c, "填报数据", "/summaries/reported"), Filter: f, CanWrite: c.Can("summary.write")}
	p.Notice = web.Notice(r)
	for _, d := range summary.ReportedDefs {
		p.Codes = append(p.Codes, web.Option{Value: d.Code, Label: d.Name + "（" + d.Unit + "）"})
	}
	var err error
	if p.Entries, err = s.st.ReportedList(ctx, c.Scope, f); err != nil {
		return nil, err
	}
	today := s.Today()
	p.Form = summary.Reported{OrgID: f.OrgID, Code: f.Code, From: f.From, To: f.To}
	if p.Form.OrgID == 0 {
		p.Form.OrgID = c.User.OrgID
	}
	if p.Form.From.IsZero() {
		p.Form.From = date.Of(today.Year(), 1, 1)
	}
	if p.Form.To.IsZero() {
		p.Form.To = date.Of(today.Year(), 6, 30)
	}
	if id := q.Num("id", 0); id > 0 {
		if e, err := s.st.Reported(ctx, c.Scope, int64(id)); err == nil {
			p.Form = e
		}
	}
	if p.Orgs, err = s.OrgTree(ctx, c, f.OrgID, reportingOrgs...); err != nil {
		return nil, err
	}
	p.FormOrgs = p.Orgs
	if p.Form.OrgID != f.OrgID { // the form opened elsewhere: the caller's own, or an entry's
		if p.FormOrgs, err = s.OrgTree(ctx, c, p.Form.OrgID, reportingOrgs...); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *area) reportedPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.reportedData(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "reported", p)
}

// readReported reads an entry; with bad input, an organisation outside the
// scope is named too, beside its field.
func (s *area) readReported(r *http.Request, c *web.Call, in web.Input) (summary.Reported, error) {
	var v errs.Invalid
	e := parseReported(in, &v)
	if v.Err() == nil {
		return e, nil
	}
	web.AddProblems(&v, e.Validate())
	if e.OrgID != 0 && !v.Has("org_id") {
		if _, err := s.st.Org(r.Context(), c.Scope, e.OrgID); err != nil {
			v.Add("org_id", "org.unknown")
		}
	}
	return e, v.Err()
}

func parseReported(in web.Input, v *errs.Invalid) summary.Reported {
	e := summary.Reported{ID: in.ID("id", v), OrgID: in.ID("org_id", v), Code: in.Str("code"), From: in.Date("from", v), To: in.Date("to", v),
		Evidence: in.Get("evidence"), Version: int64(in.Num("version", 0))}
	if raw := in.Str("value"); raw == "" {
		v.Add("value", "required")
	} else if f, err := strconv.ParseFloat(raw, 64); err != nil {
		v.Add("value", "summary.reported_range")
	} else {
		e.Value = f
	}
	return e
}

func (s *area) reportedSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	e, err := s.readReported(r, c, in)
	if err == nil {
		err = s.st.SaveReported(r.Context(), c.Actor, c.Scope, &e)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.reportedData(r, c)
		if err != nil {
			return err
		}
		p.Form, p.Errors = e, fields
		if p.FormOrgs, err = s.OrgTree(r.Context(), c, e.OrgID, reportingOrgs...); err != nil {
			return err
		}
		return s.Render(w, r, status, "reported", p)
	}, "/summaries/reported?notice=reported_saved&code="+e.Code+"&org="+strconv.FormatInt(e.OrgID, 10))
}
