package learningweb

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The 学时 table of a subtree: each party member's 学时 for a year (or a
// span the indicators' drill-down names) against the requirement, with
// their notes and reflections, and its Excel export.

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// hoursQuery is the table's address: an organisation and a span, by default
// this year so far.
type hoursQuery struct {
	OrgID    int64
	From, To date.Date // "to" included
}

func parseHours(in web.Input, today date.Date, v *errs.Invalid) (hoursQuery, event.Span) {
	q := hoursQuery{OrgID: in.ID("org", v), From: in.Date("from", v), To: in.Date("to", v)}
	if y := in.Num("year", 0); y > 2000 && y < 2200 && q.From.IsZero() {
		q.From, q.To = date.Of(y, 1, 1), date.Of(y, 12, 31)
	}
	if q.From.IsZero() {
		q.From = date.Of(today.Year(), 1, 1)
	}
	if q.To.IsZero() {
		q.To = date.Of(q.From.Year(), 12, 31)
	}
	if q.To.Before(q.From) {
		v.Add("to", "date.before_start")
	}
	if q.From.AddDate(1, 0, 0).Before(q.To) {
		v.Add("to", "learning.span_too_long")
	}
	return q, event.Span{Start: q.From, End: q.To.AddDate(0, 0, 1)}
}

type hoursData struct {
	Org  *org.Org
	List []learning.Standing
	Req  learning.Requirement
	Met  event.Ratio
}

func (s *area) hours(ctx context.Context, c *web.Call, q hoursQuery, span event.Span) (*hoursData, error) {
	orgID := q.OrgID
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	o, err := s.st.Org(ctx, c.Scope, orgID)
	if err != nil {
		return nil, err
	}
	d := &hoursData{Org: o}
	if d.List, d.Req, err = s.st.LearningHours(ctx, c.Scope, o.ID, span); err != nil {
		return nil, err
	}
	d.Met = learning.MetShare(d.List)
	return d, nil
}

type hoursPage struct {
	web.Layout
	Q     hoursQuery
	Orgs  web.OrgTree
	Data  *hoursData
	Query string
}

func (s *area) hoursPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	var v errs.Invalid
	q, span := parseHours(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	p := hoursPage{Layout: s.Base(c, "学时统计", "/learning/hours"), Q: q}
	var err error
	if p.Orgs, err = s.OrgTree(ctx, c, q.OrgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		p.Errors = web.InvalidFields(err)
		return s.Render(w, r, http.StatusUnprocessableEntity, "hours", p)
	}
	if p.Data, err = s.hours(ctx, c, q, span); err != nil {
		return err
	}
	p.Q.OrgID = p.Data.Org.ID
	p.Query = "org=" + itoa(p.Q.OrgID) + "&from=" + q.From.String() + "&to=" + q.To.String()
	return s.Render(w, r, http.StatusOK, "hours", p)
}

// hoursExport writes the table to a workbook; the export is audited.
func (s *area) hoursExport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	var v errs.Invalid
	q, span := parseHours(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.hours(ctx, c, q, span)
	if err != nil {
		return err
	}
	b, err := hoursWorkbook(d, q)
	if err != nil {
		return err
	}
	if err := s.st.LogEvent(ctx, c.Actor, store.Change{Action: "learning.export", ObjectType: "org", ObjectID: d.Org.ID, OrgPath: d.Org.Path,
		After: map[string]any{"from": q.From, "to": q.To, "people": len(d.List)}}); err != nil {
		return err
	}
	s.Attachment(w, web.XLSXType, d.Org.Name+"学时统计"+q.From.String()+"至"+q.To.String()+".xlsx", len(b))
	_, err = w.Write(b)
	return err
}

// hoursHeader is the table's header, on the page and in the workbook.
var hoursHeader = []string{"姓名", "所在组织", "班子成员", "学习场次", "学时", "要求学时", "是否达标", "学习笔记（篇）", "笔记字数", "心得体会（篇）"}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func hoursWorkbook(d *hoursData, q hoursQuery) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "学时统计"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, wdt := range []float64{12, 24, 10, 10, 8, 10, 10, 14, 10, 14} {
		if err := sw.SetColWidth(i+1, i+1, wdt); err != nil {
			return nil, err
		}
	}
	title := d.Org.Name + " 学时统计（" + q.From.String() + " 至 " + q.To.String() + "）　达标 " +
		strconv.Itoa(d.Met.Num) + "/" + strconv.Itoa(d.Met.Den) + "　要求：党员" + d.Req.Member.String() + "学时，班子成员" + d.Req.Committee.String() + "学时"
	if err := sw.SetRow("A1", []any{title}); err != nil {
		return nil, err
	}
	header := make([]any, len(hoursHeader))
	for i, h := range hoursHeader {
		header[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A2", header); err != nil {
		return nil, err
	}
	for i, st := range d.List {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, []any{st.Name, st.OrgName, yesNo(st.Committee), st.Sessions, float64(st.Earned) / 10,
			float64(st.Required) / 10, yesNo(st.Met()), st.Notes, st.NoteChars, st.Reflects}); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hoursOut is the table as the API answers it.
type hoursOut struct {
	OrgID       int64               `json:"org_id"`
	OrgName     string              `json:"org_name"`
	From        date.Date           `json:"from"`
	To          date.Date           `json:"to"`
	Requirement requirementOut      `json:"requirement"`
	Met         event.Ratio         `json:"met"`
	Items       []learning.Standing `json:"items"`
}

// requirementOut is the 学时 requirement, in tenths of a 学时.
type requirementOut struct {
	Member    event.Hours `json:"member"`
	Committee event.Hours `json:"committee"`
}

func (s *area) apiHours(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	var v errs.Invalid
	q, span := parseHours(web.Input{Values: r.URL.Query()}, s.Today(), &v)
	if err := v.Err(); err != nil {
		return err
	}
	d, err := s.hours(r.Context(), c, q, span)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, hoursOut{OrgID: d.Org.ID, OrgName: d.Org.Name, From: q.From, To: q.To,
		Requirement: requirementOut(d.Req), Met: d.Met, Items: orEmpty(d.List)})
	return nil
}

func (s *area) apiRequirement(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	req, err := readRequirement(in)
	if err != nil {
		return err
	}
	if err := s.st.SaveLearningRequirement(r.Context(), c.Actor, req); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, requirementOut(req))
	return nil
}

// The notes of a subtree (the drill-down of the notes figures): who wrote
// what and how long, for the secretary's 学习笔记检查.

type notesQuery struct {
	OrgID    int64
	Kind     learning.NoteKind
	From, To date.Date
	Page     int
}

const notesPageSize = 50

func (s *area) notes(r *http.Request, c *web.Call) (notesQuery, *org.Org, []learning.Note, int, error) {
	in := web.Input{Values: r.URL.Query()}
	var v errs.Invalid
	q := notesQuery{OrgID: in.ID("org", &v), Kind: learning.NoteKind(in.Str("kind")), From: in.Date("from", &v), To: in.Date("to", &v),
		Page: max(in.Num("page", 1), 1)}
	if q.Kind != "" && !q.Kind.Valid() {
		v.Add("kind", "learning.note_kind_unknown")
	}
	if err := v.Err(); err != nil {
		return q, nil, nil, 0, err
	}
	orgID := q.OrgID
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	o, err := s.st.Org(r.Context(), c.Scope, orgID)
	if err != nil {
		return q, nil, nil, 0, err
	}
	list, total, err := s.st.LearningNotes(r.Context(), scopeOf(o), store.NoteFilter{Kind: q.Kind, From: q.From, To: q.To,
		Limit: notesPageSize, Offset: (q.Page - 1) * notesPageSize})
	return q, o, list, total, err
}

type notesPage struct {
	web.Layout
	Q     notesQuery
	Org   *org.Org
	Items []learning.Note
	Total int
	Chars int
}

func (s *area) notesPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q, o, list, total, err := s.notes(r, c)
	if err != nil {
		return err
	}
	p := notesPage{Layout: s.Base(c, "学习笔记与心得体会", "/learning/hours"), Q: q, Org: o, Items: list, Total: total}
	for _, n := range list {
		p.Chars += n.Chars
	}
	return s.Render(w, r, http.StatusOK, "notes", p)
}

func (s *area) apiNotes(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q, _, list, total, err := s.notes(r, c)
	if err != nil {
		return err
	}
	out := web.List[noteOut]{Items: []noteOut{}, Total: total, Page: q.Page, PageSize: notesPageSize}
	for _, n := range list {
		out.Items = append(out.Items, noteOut{Note: n})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// scopeOf is the subtree of an organisation read inside the caller's scope.
func scopeOf(o *org.Org) auth.Scope { return auth.Scope{OrgPath: o.Path} }
