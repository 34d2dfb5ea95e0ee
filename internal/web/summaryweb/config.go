package summaryweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/errs"
	"dangjian/internal/indicator"
	"dangjian/internal/store"
	"dangjian/internal/summary"
	"dangjian/internal/web"
)

// The templates staff edit, and the weak-spot rules.

type templatesPage struct {
	web.Layout
	Templates  []store.SummaryTemplate
	Form       store.SummaryTemplate
	Indicators []indicator.Indicator
	CanConfig  bool
}

func (s *area) templatesData(r *http.Request, c *web.Call) (*templatesPage, error) {
	list, err := s.st.SummaryTemplates(r.Context())
	if err != nil {
		return nil, err
	}
	p := &templatesPage{Layout: s.Base(c, "总结模板", "/summaries"), Templates: list, CanConfig: c.Can("summary.config")}
	p.Notice = web.Notice(r)
	if s.cat != nil {
		p.Indicators = s.cat.All()
	}
	// ?id= edits a saved template; the built-in one (0) is copied into a new one.
	id := int64(web.Input{Values: r.URL.Query()}.Num("id", 0))
	for _, t := range list {
		if t.ID == id {
			p.Form = t
		}
	}
	if p.Form.ID == 0 {
		p.Form.Name, p.Form.Version = "", 0
	}
	return p, nil
}

func (s *area) templatesPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.templatesData(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "templates", p)
}

func (s *area) saveTemplate(r *http.Request, c *web.Call, in web.Input) (store.SummaryTemplate, error) {
	var v errs.Invalid
	t := store.SummaryTemplate{ID: in.ID("id", &v), Name: in.Str("name"), Body: in.Get("body"), Version: int64(in.Num("version", 0))}
	if err := v.Err(); err != nil {
		return t, err
	}
	if s.catErr != nil {
		return t, s.catErr
	}
	return t, s.st.SaveSummaryTemplate(r.Context(), c.Actor, store.Resolver(s.cat), &t)
}

func (s *area) templateSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	t, err := s.saveTemplate(r, c, in)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.templatesData(r, c)
		if err != nil {
			return err
		}
		p.Form, p.Errors = t, fields
		return s.Render(w, r, status, "templates", p)
	}, "/summaries/templates?notice=template_saved&id="+strconv.FormatInt(t.ID, 10))
}

type rulesPage struct {
	web.Layout
	Rules     []summary.RuleSetting
	CanConfig bool
}

func (s *area) rulesPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	_, rules, err := s.st.SummaryRules(r.Context())
	if err != nil {
		return err
	}
	p := rulesPage{Layout: s.Base(c, "问题发现规则", "/summaries"), Rules: rules, CanConfig: c.Can("summary.config")}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "rules", p)
}

func readRule(in web.Input, code string, v *errs.Invalid) summary.RuleSetting {
	rs := summary.RuleSetting{Code: code, Enabled: in.Flag("enabled"), Version: int64(in.Num("version", 0))}
	if t := in.Str("threshold"); t != "" {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			v.Add("threshold", "summary.threshold_range")
		}
		rs.Threshold = f
	} else if d, ok := summary.RuleDefOf(code); ok {
		rs.Threshold = d.Threshold
	}
	return rs
}

func (s *area) ruleSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	rs := readRule(in, in.Str("code"), &v)
	err = v.Err()
	if err == nil {
		err = s.st.SaveSummaryRule(r.Context(), c.Actor, &rs)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		_, rules, err := s.st.SummaryRules(r.Context())
		if err != nil {
			return err
		}
		p := rulesPage{Layout: s.Base(c, "问题发现规则", "/summaries"), Rules: rules, CanConfig: true}
		p.Errors = fields
		return s.Render(w, r, status, "rules", p)
	}, "/summaries/rules?notice=summary_rule_saved")
}
