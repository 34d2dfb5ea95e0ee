package summaryweb

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/indicator"
	"dangjian/internal/web"
)

// periodForm is a period as a form chooses it: a kind (上半年, 下半年, 全年,
// a quarter, a month, any dates), the year, and the month or the dates.
type periodForm struct {
	Kind       string
	Year       int
	Month      int
	From, To   date.Date
	CampaignID int64 // a campaign's dates (专项活动, such as 党史学习教育)
}

// PeriodKinds are the choices of the period dropdown.
var periodKinds = []web.Option{
	{Value: "h1", Label: "上半年"}, {Value: "h2", Label: "下半年"}, {Value: "year", Label: "全年"},
	{Value: "q1", Label: "第一季度"}, {Value: "q2", Label: "第二季度"}, {Value: "q3", Label: "第三季度"}, {Value: "q4", Label: "第四季度"},
	{Value: "month", Label: "某月"}, {Value: "custom", Label: "自定日期"}, {Value: "campaign", Label: "专项活动期间"},
}

func readPeriod(in web.Input, today date.Date, v *errs.Invalid) (periodForm, indicator.Period) {
	f := periodForm{Kind: in.Str("period"), Year: in.Num("year", today.Year()), Month: in.Num("month", int(today.Month())),
		From: in.Date("from", v), To: in.Date("to", v), CampaignID: in.ID("campaign_id", v)}
	if f.Kind == "" {
		f.Kind = "h1"
	}
	if f.Year < 2000 || f.Year > 2100 {
		v.Add("year", "summary.period_unknown")
		return f, indicator.Period{}
	}
	switch f.Kind {
	case "h1":
		return f, indicator.HalfYear(f.Year, 1)
	case "h2":
		return f, indicator.HalfYear(f.Year, 2)
	case "year":
		return f, indicator.Year(f.Year)
	case "q1", "q2", "q3", "q4":
		q, _ := strconv.Atoi(f.Kind[1:])
		return f, indicator.Quarter(f.Year, q)
	case "month":
		if f.Month < 1 || f.Month > 12 {
			v.Add("month", "summary.period_unknown")
			return f, indicator.Period{}
		}
		return f, indicator.Month(f.Year, time.Month(f.Month))
	case "custom":
		if f.From.IsZero() {
			v.Add("from", "required")
		}
		if f.To.IsZero() {
			v.Add("to", "required")
		}
		if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
			v.Add("to", "date.before_start")
		}
		return f, indicator.Span(f.From, f.To)
	case "campaign":
		if f.CampaignID == 0 && !v.Has("campaign_id") {
			v.Add("campaign_id", "required")
		}
		return f, indicator.Period{} // its dates are the campaign's (campaignPeriod)
	}
	v.Add("period", "summary.period_unknown")
	return f, indicator.Period{}
}

// campaignPeriod is a campaign's days, named by the campaign: from its
// start to its end, or to today while it runs.
func (s *area) campaignPeriod(r *http.Request, c *web.Call, id int64) (indicator.Period, error) {
	camp, err := s.st.Campaign(r.Context(), c.Scope, id)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return indicator.Period{}, errs.Field("campaign_id", "summary.campaign_unknown")
		}
		return indicator.Period{}, err
	}
	to := camp.EndsOn
	if today := s.Today(); to.IsZero() || to.After(today) {
		to = today
	}
	return indicator.Period{From: camp.StartsOn, To: to, Label: camp.Name}, nil
}
