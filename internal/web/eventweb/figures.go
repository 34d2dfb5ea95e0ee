package eventweb

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The figures of organisational life and learning for a subtree and a date
// range, each beside the same range a year earlier (docs/indicators.md
// defines them), with the attendance of each organisation and each person,
// and their export to Excel.

// figuresQuery is the figures' address: an organisation and a date range
// (days, "to" included).
type figuresQuery struct {
	OrgID    int64
	From, To date.Date
	Page     int
}

func parseFigures(in web.Input, today date.Date, v *errs.Invalid) (figuresQuery, event.Span) {
	q := figuresQuery{OrgID: in.ID("org", v), From: in.Date("from", v), To: in.Date("to", v), Page: in.Page()}
	if q.From.IsZero() {
		q.From = date.Of(today.Year(), 1, 1)
	}
	if q.To.IsZero() {
		q.To = today
	}
	if q.To.Before(q.From) {
		v.Add("to", "date.before_start")
	}
	if q.From.AddDate(5, 0, 0).Before(q.To) {
		v.Add("to", "event.range_too_long")
	}
	return q, event.Span{Start: q.From, End: q.To.AddDate(0, 0, 1)}
}

// figureRow is one line of the figures' table.
type figureRow struct {
	Key       string // the indicator's name, for the summary's template
	Label     string
	Now, Then string
	Change    string
}

// figuresData is everything the figures page, its API and its export show.
type figuresData struct {
	Org      *org.Org
	Span     event.Span
	Now      event.Figures
	Then     event.Figures
	Rows     []figureRow
	Measures []store.MeasureTotal
	ByOrg    []store.OrgTally
}

func count(n int) string { return strconv.Itoa(n) }

func (s *area) figures(ctx context.Context, c *web.Call, q figuresQuery, span event.Span) (*figuresData, error) {
	orgID := q.OrgID
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	o, err := s.st.Org(ctx, c.Scope, orgID)
	if err != nil {
		return nil, err
	}
	d := &figuresData{Org: o, Span: span}
	now, err := s.st.EventFigureInput(ctx, c.Scope, o.ID, span)
	if err != nil {
		return nil, err
	}
	then, err := s.st.EventFigureInput(ctx, c.Scope, o.ID, span.YearEarlier())
	if err != nil {
		return nil, err
	}
	d.Now, d.Then = event.Compute(now), event.Compute(then)
	kinds, err := s.st.EventKinds(ctx)
	if err != nil {
		return nil, err
	}
	n, t := d.Now, d.Then
	countRow := func(key, label string, a, b int) {
		ch := event.CountChange(float64(a), float64(b))
		d.Rows = append(d.Rows, figureRow{key, label, count(a), count(b), changeText(ch, false)})
	}
	rateRow := func(key, label string, a, b event.Ratio) {
		d.Rows = append(d.Rows, figureRow{key, label, ratioText(a), ratioText(b), changeText(event.RateChange(a, b), true)})
	}
	amountRow := func(key, label string, a, b float64) {
		d.Rows = append(d.Rows, figureRow{key, label, trim(a), trim(b), changeText(event.CountChange(a, b), false)})
	}
	countRow("events.held", "开展活动（次）", n.Held, t.Held)
	for _, k := range kinds {
		if n.HeldByKind[k.ID]+t.HeldByKind[k.ID] > 0 {
			countRow("events.held."+kindKey(k), "　其中 "+k.Name+"（次）", n.HeldByKind[k.ID], t.HeldByKind[k.ID])
		}
	}
	countRow("learning.events", "学习活动（次）", n.LearningEvents, t.LearningEvents)
	countRow("learning.person_times", "参学人次", n.PersonTimes, t.PersonTimes)
	countRow("learning.made_up", "补课人次", n.MadeUp, t.MadeUp)
	rateRow("learning.coverage", "学习覆盖率", n.Coverage, t.Coverage)
	rateRow("events.attendance", "出勤率", n.Attendance, t.Attendance)
	countRow("learning.speaker_times", "授课人次", n.SpeakerTimes, t.SpeakerTimes)
	countRow("events.decisions", "集体决策事项（项）", n.Decisions, t.Decisions)
	amountRow("learning.hours", "学时合计", float64(n.Hours)/10, float64(t.Hours)/10)
	amountRow("learning.hours_per_capita", "人均学时", n.HoursPerCapita, t.HoursPerCapita)
	amountRow("learning.notes_per_capita", "人均学习笔记（字）", n.NotesPerCapita, t.NotesPerCapita)
	amountRow("learning.reflections_per_capita", "人均心得体会（篇）", n.ReflectionsPC, t.ReflectionsPC)
	countRow("roster.at_end", "期末在册人数", n.Roster, t.Roster)
	if d.Measures, err = s.st.EventMeasureTotals(ctx, c.Scope, o.ID, span); err != nil {
		return nil, err
	}
	if d.ByOrg, err = s.st.EventOrgTable(ctx, c.Scope, o.ID, span); err != nil {
		return nil, err
	}
	return d, nil
}

// kindKey names a kind in an indicator's key: its code, or its ID.
func kindKey(k event.Kind) string {
	if k.Code != "" {
		return k.Code
	}
	return "kind" + strconv.FormatInt(k.ID, 10)
}

func ratioText(r event.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	return percent(r) + "（" + count(r.Num) + "/" + count(r.Den) + "）"
}

func trim(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// changeText writes a change against the year before: "+15%" for counts,
// "+5个百分点" for rates, "—" when there is nothing to compare.
func changeText(ch event.Change, rate bool) string {
	if !ch.OK {
		return "—"
	}
	if rate {
		return fmt.Sprintf("%+.1f个百分点", ch.Points)
	}
	return fmt.Sprintf("%+.1f%%", ch.Percent)
}

type figuresPage struct {
	web.Layout
	Q      figuresQuery
	Data   *figuresData
	Orgs   web.OrgTree
	People []store.PersonTally
	Pager  pager
	Query  string // the filter as a query string, for the export link
}

// pager is what the kernel's "pager" partial needs.
type pager struct {
	Page, Pages, Total int
	base               string
}

// Link is the address of another page of the listing.
func (p pager) Link(page int) string { return p.base + "&page=" + strconv.Itoa(page) }

const peoplePageSize = 50

func (s *area) figuresPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	var v errs.Invalid
	q, span := parseFigures(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	p := figuresPage{Layout: s.Base(c, "学习统计", "/events/figures"), Q: q}
	var err error
	if p.Orgs, err = s.OrgTree(ctx, c, q.OrgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		p.Errors = web.InvalidFields(err)
		return s.Render(w, r, http.StatusUnprocessableEntity, "figures", p)
	}
	if p.Data, err = s.figures(ctx, c, q, span); err != nil {
		return err
	}
	p.Q.OrgID = p.Data.Org.ID
	p.Query = "org=" + strconv.FormatInt(p.Q.OrgID, 10) + "&from=" + q.From.String() + "&to=" + q.To.String()
	people, total, err := s.st.EventPeopleTable(ctx, c.Scope, p.Q.OrgID, span, peoplePageSize, (q.Page-1)*peoplePageSize)
	if err != nil {
		return err
	}
	p.People = people
	p.Pager = pager{Page: q.Page, Pages: (total + peoplePageSize - 1) / peoplePageSize, Total: total, base: "/events/figures?" + p.Query}
	return s.Render(w, r, http.StatusOK, "figures", p)
}

// figuresOut is the figures as the API answers them.
type figuresOut struct {
	OrgID       int64                   `json:"org_id"`
	OrgName     string                  `json:"org_name"`
	From        date.Date               `json:"from"`
	To          date.Date               `json:"to"` // included
	Current     event.Figures           `json:"current"`
	YearEarlier event.Figures           `json:"year_earlier"`
	Indicators  []indicatorOut          `json:"indicators"`
	Measures    []store.MeasureTotal    `json:"measures"`
	ByOrg       []store.OrgTally        `json:"by_org"`
	Changes     map[string]event.Change `json:"changes"`
}

// indicatorOut is one figure by its name, as the summary's template refers to it.
type indicatorOut struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Value       string `json:"value"`
	YearEarlier string `json:"year_earlier"`
	Change      string `json:"change"`
}

func (s *area) apiFigures(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	q, span := parseFigures(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.figures(r.Context(), c, q, span)
	if err != nil {
		return err
	}
	out := figuresOut{OrgID: d.Org.ID, OrgName: d.Org.Name, From: q.From, To: q.To, Current: d.Now, YearEarlier: d.Then,
		Indicators: []indicatorOut{}, Measures: orEmpty(d.Measures), ByOrg: orEmpty(d.ByOrg), Changes: map[string]event.Change{
			"person_times": event.CountChange(float64(d.Now.PersonTimes), float64(d.Then.PersonTimes)),
			"coverage":     event.RateChange(d.Now.Coverage, d.Then.Coverage),
			"attendance":   event.RateChange(d.Now.Attendance, d.Then.Attendance),
		}}
	for _, row := range d.Rows {
		out.Indicators = append(out.Indicators, indicatorOut{row.Key, row.Label, row.Now, row.Then, row.Change})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// figuresExport writes the figures, each organisation's attendance and each
// person's to a workbook; the export is audited.
func (s *area) figuresExport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	var v errs.Invalid
	q, span := parseFigures(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.figures(ctx, c, q, span)
	if err != nil {
		return err
	}
	people, _, err := s.st.EventPeopleTable(ctx, c.Scope, d.Org.ID, span, 100000, 0)
	if err != nil {
		return err
	}
	period := q.From.String() + " 至 " + q.To.String()
	ind := sheet{Name: "指标", Title: d.Org.Name + " 组织生活与学习统计（" + period + "）",
		Header: []string{"指标", "本期", "上年同期", "同比变化", "指标名"}, Widths: []float64{26, 20, 20, 14, 32}}
	for _, row := range d.Rows {
		ind.Rows = append(ind.Rows, []any{row.Label, row.Now, row.Then, row.Change, row.Key})
	}
	for _, m := range d.Measures {
		ind.Rows = append(ind.Rows, []any{m.KindName + "·" + m.Name + "（" + m.Unit + "）", trim(m.Value), "", "", "measures"})
	}
	orgs := sheet{Name: "各组织出勤", Header: []string{"组织", "应参加人数", "学习覆盖人数", "应到人次", "出席", "请假", "缺席", "补课", "出勤率"},
		Widths: []float64{22, 12, 12, 10, 8, 8, 8, 8, 10}}
	for _, o := range d.ByOrg {
		orgs.Rows = append(orgs.Rows, []any{o.OrgName, o.People, o.Covered, o.Expected, o.Present, o.Leave, o.Absent, o.MadeUp,
			percent(event.Ratio{Num: o.Present, Den: o.Expected})})
	}
	ppl := sheet{Name: "人员学时", Header: []string{"姓名", "所在组织", "应到", "出席", "请假", "缺席", "补课", "学时"},
		Widths: []float64{12, 22, 8, 8, 8, 8, 8, 8}}
	for _, p := range people {
		ppl.Rows = append(ppl.Rows, []any{p.Name, p.OrgName, p.Expected, p.Present, p.Leave, p.Absent, p.MadeUp, p.Hours.String()})
	}
	b, err := writeWorkbook([]sheet{ind, orgs, ppl})
	if err != nil {
		return err
	}
	if err := s.st.LogEvent(ctx, c.Actor, store.Change{Action: "event.export", ObjectType: "org", ObjectID: d.Org.ID, OrgPath: d.Org.Path,
		After: map[string]any{"from": q.From, "to": q.To, "people": len(people)}}); err != nil {
		return err
	}
	s.Attachment(w, web.XLSXType, d.Org.Name+"组织生活统计"+q.From.String()+"至"+q.To.String()+".xlsx", len(b))
	_, err = w.Write(b)
	return err
}
