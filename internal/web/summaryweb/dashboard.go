package summaryweb

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"

	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The dashboard (数据驾驶舱), computed by store.Dashboard: the key figures
// of a subtree for a year, the monthly trend and each branch's (or child's)
// compliance and coverage; every number links to the list behind it.

type dashboard struct {
	*store.Dashboard
	Period periodOut `json:"period"`
}

func (s *area) dashboardData(ctx context.Context, c *web.Call, in web.Input) (*dashboard, error) {
	if s.catErr != nil {
		return nil, s.catErr
	}
	var v errs.Invalid
	orgID := in.ID("org", &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	today := s.Today()
	year := in.Num("year", today.Year())
	if year < 2000 || year > today.Year() {
		year = today.Year()
	}
	d, err := s.st.Dashboard(ctx, c.Scope, s.cat, orgID, year, today)
	if err != nil {
		return nil, err
	}
	return &dashboard{Dashboard: d, Period: periodOf(d.Period)}, nil
}

type dashboardPage struct {
	web.Layout
	D    *dashboard
	JSON template.JS // the charts' data, read by dashboard.js
	Orgs web.OrgTree
}

func (s *area) dashboardPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	d, err := s.dashboardData(r.Context(), c, web.Input{Values: r.URL.Query()})
	if err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	orgs, err := s.OrgTree(r.Context(), c, d.OrgID, org.Committee, org.GeneralBranch, org.Branch)
	if err != nil {
		return err
	}
	p := dashboardPage{Layout: s.Base(c, "数据驾驶舱", "/dashboard"), D: d, JSON: template.JS(b), Orgs: orgs}
	return s.Render(w, r, http.StatusOK, "dashboard", p)
}

func (s *area) apiDashboard(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	d, err := s.dashboardData(r.Context(), c, web.Input{Values: r.URL.Query()})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}
