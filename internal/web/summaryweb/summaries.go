package summaryweb

import (
	"bytes"
	"net/http"
	"strconv"

	"dangjian/internal/docx"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/summary"
	"dangjian/internal/web"
)

const pageSize = 20

type listPage struct {
	web.Layout
	Orgs                web.OrgTree
	Templates, Kinds    []web.Option
	Campaigns           []web.Option
	OrgID, TemplateID   int64
	Period              periodForm
	Summaries           []store.Summary
	Pager               pager
	CanWrite, CanConfig bool
}

// pager is what the kernel's "pager" partial needs.
type pager struct {
	Page, Pages, Total int
	base               string
}

// Link is the address of another page of the listing.
func (p pager) Link(page int) string { return p.base + "page=" + strconv.Itoa(page) }

// listData is the list with the form to generate one, for the organisation
// chosen in it (the caller's own at first).
func (s *area) listData(r *http.Request, c *web.Call, chosen int64) (*listPage, error) {
	ctx := r.Context()
	p := &listPage{Layout: s.Base(c, "工作总结", "/summaries"), Kinds: periodKinds, CanWrite: c.Can("summary.write"), CanConfig: c.Can("summary.config")}
	p.Notice = web.Notice(r)
	var err error
	if p.Orgs, err = s.OrgTree(ctx, c, chosen, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return nil, err
	}
	p.OrgID = chosen
	tpls, err := s.st.SummaryTemplates(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tpls {
		p.Templates = append(p.Templates, web.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name})
	}
	camps, err := s.st.Campaigns(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	for _, cp := range camps {
		p.Campaigns = append(p.Campaigns, web.Option{Value: strconv.FormatInt(cp.ID, 10), Label: cp.Name + "（" + cp.StartsOn.String() + "起）"})
	}
	if len(p.Campaigns) == 0 { // no campaign: the choice is not offered
		p.Kinds = periodKinds[:len(periodKinds)-1]
	}
	today := s.Today()
	p.Period = periodForm{Kind: "h1", Year: today.Year(), Month: int(today.Month())}
	page := max(web.Input{Values: r.URL.Query()}.Num("page", 1), 1)
	list, total, err := s.st.Summaries(ctx, c.Scope, pageSize, (page-1)*pageSize)
	if err != nil {
		return nil, err
	}
	p.Summaries = list
	p.Pager = pager{Page: page, Pages: (total + pageSize - 1) / pageSize, Total: total, base: "/summaries?"}
	return p, nil
}

func (s *area) listPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.listData(r, c, c.User.OrgID)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "summaries", p)
}

func (s *area) generate(r *http.Request, c *web.Call, in web.Input) (*store.Summary, periodForm, error) {
	if s.catErr != nil {
		return nil, periodForm{}, s.catErr
	}
	var v errs.Invalid
	orgID := in.ID("org_id", &v)
	if orgID == 0 && !v.Has("org_id") {
		orgID = c.User.OrgID
	}
	tplID := in.Int("template_id", &v)
	f, period := readPeriod(in, s.Today(), &v)
	if err := v.Err(); err != nil {
		return nil, f, err
	}
	if f.Kind == "campaign" {
		var err error
		if period, err = s.campaignPeriod(r, c, f.CampaignID); err != nil {
			return nil, f, err
		}
	}
	m, err := s.st.GenerateSummary(r.Context(), c.Actor, c.Scope, s.cat, store.SummaryRequest{OrgID: orgID, Period: period, TemplateID: tplID})
	return m, f, err
}

func (s *area) generatePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	m, f, err := s.generate(r, c, in)
	next := ""
	if m != nil {
		next = "/summaries/" + strconv.FormatInt(m.ID, 10) + "?notice=summary_generated"
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		var v errs.Invalid
		p, err := s.listData(r, c, in.ID("org_id", &v))
		if err != nil {
			return err
		}
		p.TemplateID, p.Period, p.Errors = in.Int("template_id", &v), f, fields
		return s.Render(w, r, status, "summaries", p)
	}, next)
}

// span is a run of a summary's text as the page draws it.
type span struct {
	Text, Code, Link string
	Reported         bool
}

type line struct {
	Kind  summary.BlockKind
	Spans []span
	Rows  [][][]span
}

// figureRow is one of the summary's figures in the list under the text.
type figureRow struct {
	summary.Figure
	Link string
}

type showPage struct {
	web.Layout
	S        *store.Summary
	Lines    []line
	Figures  []figureRow
	Version  int // the version shown
	Body     string
	Versions []store.SummaryVersion
	CanWrite bool
	Editing  bool
}

// drill is the address of the records behind one of a summary's figures.
func (s *area) drill(c *web.Call, m *store.Summary, code string) string {
	if s.cat == nil {
		return ""
	}
	in, ok := s.cat.Lookup(code)
	if !ok || in.Drill == nil {
		return ""
	}
	return in.Drill(c.Scope, m.OrgID, m.Period)
}

func (s *area) lines(c *web.Call, m *store.Summary, body string) []line {
	conv := func(sp []summary.Span) []span {
		out := make([]span, len(sp))
		for i, x := range sp {
			out[i] = span{Text: x.Text, Code: x.Code}
			if x.Code != "" {
				out[i].Link = s.drill(c, m, x.Code)
				out[i].Reported = summary.IsReported(x.Code)
			}
		}
		return out
	}
	var out []line
	for _, l := range summary.ReadBody(body) {
		ln := line{Kind: l.Kind, Spans: conv(l.Spans)}
		for _, row := range l.Rows {
			var cells [][]span
			for _, cell := range row {
				cells = append(cells, conv(cell))
			}
			ln.Rows = append(ln.Rows, cells)
		}
		out = append(out, ln)
	}
	return out
}

func (s *area) showData(r *http.Request, c *web.Call) (*showPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	m, err := s.st.Summary(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	versions, err := s.st.SummaryVersions(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	p := &showPage{Layout: s.Base(c, m.Title, "/summaries"), S: m, Version: m.Versions, Body: m.Body, Versions: versions, CanWrite: c.Can("summary.write")}
	p.Notice = web.Notice(r)
	if n := (web.Input{Values: r.URL.Query()}).Num("version", 0); n > 0 && n != m.Versions {
		for _, v := range versions {
			if v.N == n {
				p.Version, p.Body = n, v.Body
			}
		}
	}
	p.Lines = s.lines(c, m, p.Body)
	for _, f := range m.Figures {
		p.Figures = append(p.Figures, figureRow{f, s.drill(c, m, f.Code)})
	}
	return p, nil
}

func (s *area) showPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.showData(r, c)
	if err != nil {
		return err
	}
	p.Editing = r.URL.Query().Get("edit") == "1"
	return s.Render(w, r, http.StatusOK, "summary", p)
}

func (s *area) editPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	body := in.Get("body")
	_, err = s.st.EditSummary(r.Context(), c.Actor, c.Scope, id, in.Num("base", 0), body)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.showData(r, c)
		if err != nil {
			return err
		}
		p.Body, p.Errors, p.Editing = body, fields, true
		return s.Render(w, r, status, "summary", p)
	}, "/summaries/"+strconv.FormatInt(id, 10)+"?notice=summary_saved")
}

// docx writes the summary (the version asked for, or the latest) in the
// GB/T 9704 layout: headings, paragraphs and tables in order.
func (s *area) docx(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.showData(r, c)
	if err != nil {
		return err
	}
	b, err := WordDocument(p.S.Title, p.Body)
	if err != nil {
		return err
	}
	s.Attachment(w, web.DOCXType, p.S.Title+".docx", len(b))
	_, err = w.Write(b)
	return err
}

// WordDocument is a summary's text as a .docx in the official layout.
func WordDocument(title, body string) ([]byte, error) {
	lines := summary.ReadBody(body)
	if len(lines) > 0 && lines[0].Kind == summary.Title {
		title, lines = lines[0].Plain(), lines[1:]
	}
	d := docx.New(title)
	for _, l := range lines {
		switch l.Kind {
		case summary.Title, summary.Heading1:
			d.Heading1(l.Plain())
		case summary.Heading2:
			d.Heading2(l.Plain())
		case summary.Table:
			cells := l.Cells()
			if len(cells) > 0 {
				d.Table(cells[0], cells[1:])
			}
		default:
			d.Paragraph(l.Plain())
		}
	}
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
