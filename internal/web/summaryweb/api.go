package summaryweb

import (
	"net/http"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/indicator"
	"dangjian/internal/store"
	"dangjian/internal/summary"
	"dangjian/internal/web"
)

// generateIn is the body of POST /api/v1/summaries.
type generateIn struct {
	OrgID      int64  `json:"org_id"`
	Period     string `json:"period"` // h1, h2, year, q1…q4, month, custom, campaign
	Year       int    `json:"year"`
	Month      int    `json:"month"`
	From       string `json:"from"`        // custom: first day, 2026-01-01
	To         string `json:"to"`          // custom: last day, included
	CampaignID int64  `json:"campaign_id"` // campaign: its dates, to today while it runs
	TemplateID int64  `json:"template_id"`
}

// periodOut is a period as the API writes it.
type periodOut struct {
	From  date.Date `json:"from"`
	To    date.Date `json:"to"` // included
	Label string    `json:"label"`
}

func periodOf(p indicator.Period) periodOut { return periodOut{p.From, p.To, p.Label} }

// figureOut is one of a summary's figures with the address of its records.
type figureOut struct {
	summary.Figure
	Link string `json:"link,omitempty"`
}

// summaryOut is a summary as the API answers it.
type summaryOut struct {
	ID           int64              `json:"id"`
	OrgID        int64              `json:"org_id"`
	OrgName      string             `json:"org_name"`
	Title        string             `json:"title"`
	Period       periodOut          `json:"period"`
	TemplateName string             `json:"template_name"`
	Versions     int                `json:"versions"`
	CreatedBy    string             `json:"created_by"`
	CreatedAt    time.Time          `json:"created_at"`
	Body         string             `json:"body,omitempty"` // the latest text; {{16次|code}} is a figure
	Lines        []summary.Line     `json:"lines,omitempty"`
	Figures      []figureOut        `json:"figures,omitempty"`
	Problems     []summary.WeakSpot `json:"problems,omitempty"`
}

func (s *area) out(c *web.Call, m *store.Summary, full bool) summaryOut {
	o := summaryOut{ID: m.ID, OrgID: m.OrgID, OrgName: m.OrgName, Title: m.Title, Period: periodOf(m.Period), TemplateName: m.TemplateName,
		Versions: m.Versions, CreatedBy: m.CreatedBy, CreatedAt: m.CreatedAt}
	if full {
		o.Body, o.Lines, o.Problems = m.Body, summary.ReadBody(m.Body), m.Problems
		o.Figures = []figureOut{}
		for _, f := range m.Figures {
			o.Figures = append(o.Figures, figureOut{f, s.drill(c, m, f.Code)})
		}
	}
	return o
}

func (s *area) apiList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	page := max(web.Input{Values: r.URL.Query()}.Num("page", 1), 1)
	list, total, err := s.st.Summaries(r.Context(), c.Scope, pageSize, (page-1)*pageSize)
	if err != nil {
		return err
	}
	out := web.List[summaryOut]{Items: []summaryOut{}, Total: total, Page: page, PageSize: pageSize}
	for i := range list {
		out.Items = append(out.Items, s.out(c, &list[i], false))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiGenerate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	m, _, err := s.generate(r, c, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, s.out(c, m, true))
	return nil
}

func (s *area) apiGet(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.st.Summary(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, s.out(c, m, true))
	return nil
}

func (s *area) apiVersions(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.SummaryVersions(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[store.SummaryVersion]{Items: list})
	return nil
}

// editIn is a new text of a summary, from the version the editor started with.
type editIn struct {
	Base int    `json:"base"`
	Body string `json:"body" maxLength:"100000"`
}

type versionOut struct {
	Version int `json:"version"`
}

func (s *area) apiEdit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	n, err := s.st.EditSummary(r.Context(), c.Actor, c.Scope, id, in.Num("base", 0), in.Get("body"))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, versionOut{n})
	return nil
}

// templateIn is a template to save.
type templateIn struct {
	ID      int64  `json:"id"`
	Name    string `json:"name" maxLength:"40"`
	Body    string `json:"body" maxLength:"50000"`
	Version int64  `json:"version"`
}

func (s *area) apiTemplates(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.st.SummaryTemplates(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[store.SummaryTemplate]{Items: list})
	return nil
}

func (s *area) apiTemplateSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	t, err := s.saveTemplate(r, c, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, t)
	return nil
}

type reportedOut = summary.Reported

// reportedIn is an entry of a reported figure.
type reportedIn struct {
	ID       int64   `json:"id"`
	OrgID    int64   `json:"org_id"`
	Code     string  `json:"code"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Value    float64 `json:"value"`
	Evidence string  `json:"evidence" maxLength:"500"`
	Version  int64   `json:"version"`
}

func (s *area) apiReported(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	q := web.Input{Values: r.URL.Query()}
	f := store.ReportedFilter{OrgID: q.ID("org", &v), Code: q.Str("code"), From: q.Date("from", &v), To: q.Date("to", &v)}
	if err := v.Err(); err != nil {
		return err
	}
	list, err := s.st.ReportedList(r.Context(), c.Scope, f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []summary.Reported{}
	}
	web.WriteJSON(w, http.StatusOK, web.Items[reportedOut]{Items: list})
	return nil
}

func (s *area) apiReportedSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	e, err := s.readReported(r, c, in)
	if err != nil {
		return err
	}
	created := e.ID == 0
	if err := s.st.SaveReported(r.Context(), c.Actor, c.Scope, &e); err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, e)
	return nil
}

type ruleOut = summary.RuleSetting

// ruleIn switches a rule and sets its threshold.
type ruleIn struct {
	Enabled   bool    `json:"enabled"`
	Threshold float64 `json:"threshold"`
	Version   int64   `json:"version"`
}

func (s *area) apiRules(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	_, rules, err := s.st.SummaryRules(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[ruleOut]{Items: rules})
	return nil
}

func (s *area) apiRuleSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	rs := readRule(in, r.PathValue("code"), &v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.st.SaveSummaryRule(r.Context(), c.Actor, &rs); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rs)
	return nil
}
