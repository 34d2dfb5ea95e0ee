package ledgerweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/ledger"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
	"dangjian/internal/xlsx"
)

// listPage is the ledger with its filters.
type listPage struct {
	web.Layout
	Q         url.Values // the filters as sent, for the form and the links
	Items     []itemRow
	Pager     pager
	Orgs      web.OrgTree
	Statuses  []web.Option
	Campaigns []web.Option
	Sources   []web.Option
	CanWrite  bool
	Export    string // the Excel link with the same filters
}

// itemRow is an item as the list shows it.
type itemRow struct {
	ledger.Item
	Status ledger.Status
}

// pager is what the kernel's "pager" block needs.
type pager struct {
	Page, Pages, Total int
	q                  url.Values
}

func (p pager) Link(page int) string {
	q := url.Values{}
	for k, v := range p.q {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(page))
	return "/ledger?" + q.Encode()
}

const pageSize = 30

// parseFilter reads the list's filters from a query.
func parseFilter(q url.Values) (store.LedgerFilter, error) {
	in := web.Input{Values: q}
	var v errs.Invalid
	f := store.LedgerFilter{OrgID: in.ID("org", &v), Status: ledger.Status(in.Str("status")), CampaignID: in.ID("campaign", &v),
		Source: ledger.Source(in.Str("source")), EventID: in.ID("event", &v), Query: in.Str("q")}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "ledger.status_unknown")
	}
	if f.Source != "" && !ledger.KnownSource(f.Source) {
		v.Add("source", "ledger.source_unknown")
	}
	for name, dst := range map[string]*date.Date{"opened_from": &f.OpenedFrom, "opened_to": &f.OpenedTo, "closed_from": &f.ClosedFrom,
		"closed_to": &f.ClosedTo, "overdue_on": &f.OverdueOn, "deadline_from": &f.DeadlineFrom, "deadline_to": &f.DeadlineTo} {
		if in.Str(name) != "" {
			*dst = in.Date(name, &v)
		}
	}
	return f, v.Err()
}

func (s *area) listPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	in := web.Input{Values: q}
	page := max(in.Num("page", 1), 1)
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	list, err := s.st.LedgerItems(ctx, c.Scope, f)
	if err != nil {
		return err
	}
	q.Del("page")
	p := listPage{Layout: s.Base(c, "整改台账", "/ledger"), Q: q, CanWrite: c.Can(auth.EventWrite),
		Pager: pager{Page: page, Pages: (list.Total + pageSize - 1) / pageSize, Total: list.Total, q: q}, Export: "/ledger.xlsx?" + q.Encode()}
	today := s.Today()
	for _, i := range list.Items {
		p.Items = append(p.Items, itemRow{Item: i, Status: i.StatusOn(today)})
	}
	chosen, _ := strconv.ParseInt(q.Get("org"), 10, 64)
	if err := s.choices(ctx, c, chosen, &p.Orgs, &p.Campaigns); err != nil {
		return err
	}
	for _, st := range ledger.Statuses {
		p.Statuses = append(p.Statuses, web.Option{Value: string(st), Label: msg.Text("ledger_status." + string(st))})
	}
	for _, src := range []ledger.Source{ledger.LifeProblem, ledger.Manual} {
		p.Sources = append(p.Sources, web.Option{Value: string(src), Label: msg.Text("ledger_source." + string(src))})
	}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "ledger_list", p)
}

// choices are the organisations of the caller's scope, opened down to the
// chosen one, and its campaigns.
func (s *area) choices(ctx context.Context, c *web.Call, chosen int64, orgs *web.OrgTree, campaigns *[]web.Option) error {
	var err error
	if *orgs, err = s.OrgTree(ctx, c, chosen); err != nil {
		return err
	}
	cs, err := s.st.Campaigns(ctx, c.Scope)
	if err != nil {
		return err
	}
	*campaigns = nil
	for _, x := range cs {
		*campaigns = append(*campaigns, web.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.Name})
	}
	return nil
}

// export writes the filtered ledger to a workbook; the export is audited.
func (s *area) export(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Limit = 100000
	list, err := s.st.LedgerItems(ctx, c.Scope, f)
	if err != nil {
		return err
	}
	t, err := xlsx.NewTable("整改台账", []xlsx.Column{{Header: "序号", Width: 6}, {Header: "责任组织", Width: 20}, {Header: "问题", Width: 40},
		{Header: "来源", Width: 24}, {Header: "整改措施", Width: 40}, {Header: "责任人", Width: 10}, {Header: "立项日期", Width: 12, Format: xlsx.AsDate},
		{Header: "整改时限", Width: 12, Format: xlsx.AsDate}, {Header: "状态", Width: 8}, {Header: "完成日期", Width: 12, Format: xlsx.AsDate},
		{Header: "整改结果", Width: 30}, {Header: "最新进展", Width: 40}, {Header: "专题教育", Width: 16}}, false)
	if err != nil {
		return err
	}
	defer t.Close()
	today := s.Today()
	for n, i := range list.Items {
		source := msg.Text("ledger_source." + string(i.Source))
		if i.SourceText != "" {
			source = i.SourceText
		}
		latest := ""
		if !i.Latest.On.IsZero() {
			latest = i.Latest.On.String() + " " + i.Latest.Note
		}
		var closed any
		if !i.ClosedOn.IsZero() {
			closed = i.ClosedOn.Time()
		}
		if err := t.Add(n+1, i.OrgName, i.Problem, source, i.Measures, i.Owner, i.OpenedOn.Time(), i.Deadline.Time(),
			msg.Text("ledger_status."+string(i.StatusOn(today))), closed, i.Closure, latest, i.Campaign); err != nil {
			return err
		}
	}
	if err := s.st.LogEvent(ctx, c.Actor, store.Change{Action: "ledger.export", ObjectType: "ledger_item", OrgPath: c.Scope.OrgPath,
		After: map[string]any{"filter": r.URL.RawQuery, "items": len(list.Items)}}); err != nil {
		return err
	}
	s.Attachment(w, web.XLSXType, "整改台账"+today.String()+".xlsx", -1)
	_, err = t.WriteTo(w)
	return err
}

// formPage is the item form: the item as typed and the choices.
type formPage struct {
	web.Layout
	Item      ledger.Item
	Orgs      web.OrgTree
	Owner     []web.Picked // the 整改责任人 chosen, named
	Campaigns []web.Option
}

func (s *area) formChoices(ctx context.Context, c *web.Call, p *formPage) error {
	if err := s.choices(ctx, c, p.Item.OrgID, &p.Orgs, &p.Campaigns); err != nil {
		return err
	}
	// The owner is chosen with the person picker; one already chosen (a
	// refused form, an edit) is named, if the user may see them.
	if p.Item.OwnerID != 0 {
		if m, err := s.st.Person(ctx, c.Scope, p.Item.OwnerID); err == nil {
			p.Owner = []web.Picked{{ID: m.ID, Label: m.Name}}
		}
	}
	return nil
}

func (s *area) newPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p := formPage{Layout: s.Base(c, "登记整改事项", "/ledger")}
	if c.User != nil {
		p.Item.OrgID = c.User.OrgID
	}
	if err := s.formChoices(r.Context(), c, &p); err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "ledger_new", p)
}

// readItem fills an item from the request: every field on create, only
// those sent on an update (PATCH and the page's edit form alike).
func readItem(in web.Input, i *ledger.Item, create bool, v *errs.Invalid) {
	want := func(name string) bool { return create || in.Has(name) }
	if create {
		i.OrgID = in.ID("org_id", v)
		if in.Str("opened_on") != "" {
			i.OpenedOn = in.Date("opened_on", v)
		}
	}
	if want("problem") {
		i.Problem = in.Text("problem", ledger.MaxProblem, v)
	}
	if want("measures") {
		i.Measures = in.Text("measures", ledger.MaxMeasures, v)
	}
	if want("owner_id") {
		i.OwnerID = in.ID("owner_id", v)
	}
	if want("deadline") {
		if in.Str("deadline") == "" {
			i.Deadline = date.Date{}
		} else {
			i.Deadline = in.Date("deadline", v)
		}
	}
	if want("campaign_id") {
		i.CampaignID = in.ID("campaign_id", v)
	}
}

// allProblems adds what the item's own rules say to what could not be read,
// so a refused form lists every problem at once.
func allProblems(i *ledger.Item, v *errs.Invalid) error {
	if v.Err() == nil {
		return nil
	}
	probe := *i
	probe.Normalize()
	if err := web.AddProblems(v, probe.Validate()); err != nil {
		return err
	}
	return v.Err()
}

func (s *area) createItem(r *http.Request, c *web.Call) (*ledger.Item, error) {
	in, err := web.ReadInput(r)
	i := &ledger.Item{Source: ledger.Manual}
	if err != nil {
		return i, err
	}
	var v errs.Invalid
	readItem(in, i, true, &v)
	if err := allProblems(i, &v); err != nil {
		return i, err
	}
	return i, s.st.CreateLedgerItem(r.Context(), c.Actor, c.Scope, i)
}

func (s *area) create(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	i, err := s.createItem(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p := formPage{Layout: s.Base(c, "登记整改事项", "/ledger"), Item: *i}
		if err := s.formChoices(r.Context(), c, &p); err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "ledger_new", p)
	}, "/ledger/"+strconv.FormatInt(i.ID, 10)+"?notice=ledger_created")
}

// showPage is an item with its progress and the forms to move it on.
type showPage struct {
	formPage
	Status   ledger.Status
	CanWrite bool
	Today    date.Date
	// What the forms were sent with when refused, shown again.
	ProgressNote, Closure string
}

func (s *area) itemPage(r *http.Request, c *web.Call, id int64) (*showPage, error) {
	i, err := s.st.LedgerItem(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	p := &showPage{formPage: formPage{Layout: s.Base(c, "整改事项", "/ledger"), Item: *i}, Status: i.StatusOn(s.Today()),
		CanWrite: c.Can(auth.EventWrite), Today: s.Today()}
	if p.CanWrite {
		if err := s.formChoices(r.Context(), c, &p.formPage); err != nil {
			return nil, err
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) showPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.itemPage(r, c, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "ledger_show", p)
}

// reshowItem renders the item page again with the messages of a refused form.
func (s *area) reshowItem(w http.ResponseWriter, r *http.Request, c *web.Call, id int64, status int, fields map[string]string, adjust func(*showPage)) error {
	p, err := s.itemPage(r, c, id)
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(p)
	}
	p.Errors = fields
	return s.Render(w, r, status, "ledger_show", p)
}

func (s *area) updateItem(r *http.Request, c *web.Call, id int64) (*ledger.Item, error) {
	i, err := s.st.LedgerItem(r.Context(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return i, err
	}
	var v errs.Invalid
	version := in.Version(&v)
	readItem(in, i, false, &v)
	if err := allProblems(i, &v); err != nil {
		return i, err
	}
	i.Version = version
	return i, s.st.UpdateLedgerItem(r.Context(), c.Actor, c.Scope, i)
}

func (s *area) edit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	i, err := s.updateItem(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowItem(w, r, c, id, status, fields, func(p *showPage) { p.Item = *i })
	}, "/ledger/"+strconv.FormatInt(id, 10)+"?notice=ledger_saved")
}

func (s *area) addProgress(r *http.Request, c *web.Call, id int64) (*ledger.Progress, error) {
	pr := &ledger.Progress{}
	// The item first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.LedgerItem(r.Context(), c.Scope, id); err != nil {
		return pr, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return pr, err
	}
	var v errs.Invalid
	pr.Note = in.Text("note", ledger.MaxNote, &v)
	if in.Str("on") == "" {
		pr.On = s.Today()
	} else {
		pr.On = in.Date("on", &v)
	}
	if err := v.Err(); err != nil {
		return pr, err
	}
	return pr, s.st.AddLedgerProgress(r.Context(), c.Actor, c.Scope, id, pr)
}

func (s *area) progress(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := s.addProgress(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowItem(w, r, c, id, status, fields, func(p *showPage) { p.ProgressNote = pr.Note })
	}, "/ledger/"+strconv.FormatInt(id, 10)+"?notice=ledger_progress#progress")
}

func (s *area) closeItem(r *http.Request, c *web.Call, id int64) (*ledger.Item, string, error) {
	// The item first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.LedgerItem(r.Context(), c.Scope, id); err != nil {
		return nil, "", err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return nil, "", err
	}
	var v errs.Invalid
	version := in.Version(&v)
	closure := in.Text("closure", ledger.MaxClosure, &v)
	on := s.Today()
	if in.Str("closed_on") != "" {
		on = in.Date("closed_on", &v)
	}
	if err := v.Err(); err != nil {
		return nil, closure, err
	}
	i, err := s.st.CloseLedgerItem(r.Context(), c.Actor, c.Scope, id, version, on, closure)
	return i, closure, err
}

func (s *area) closePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	_, closure, err := s.closeItem(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowItem(w, r, c, id, status, fields, func(p *showPage) { p.Closure = closure })
	}, "/ledger/"+strconv.FormatInt(id, 10)+"?notice=ledger_closed")
}

func (s *area) reopen(r *http.Request, c *web.Call, id int64) error {
	// The item first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.LedgerItem(r.Context(), c.Scope, id); err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	var v errs.Invalid
	version := in.Version(&v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.st.ReopenLedgerItem(r.Context(), c.Actor, c.Scope, id, version)
}

func (s *area) reopenPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	err = s.reopen(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.reshowItem(w, r, c, id, status, fields, nil)
	}, "/ledger/"+strconv.FormatInt(id, 10)+"?notice=ledger_reopened")
}

// --- JSON API ---

func (s *area) apiList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	in := web.Input{Values: r.URL.Query()}
	page, size := max(in.Num("page", 1), 1), min(max(in.Num("page_size", 20), 1), 200)
	f.Limit, f.Offset = size, (page-1)*size
	list, err := s.st.LedgerItems(r.Context(), c.Scope, f)
	if err != nil {
		return err
	}
	out := web.List[itemOut]{Items: []itemOut{}, Total: list.Total, Page: page, PageSize: size}
	for i := range list.Items {
		out.Items = append(out.Items, newItemOut(&list.Items[i], s.Today()))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// answerItem reads an item again and answers with it.
func (s *area) answerItem(w http.ResponseWriter, r *http.Request, c *web.Call, id int64, status int) error {
	i, err := s.st.LedgerItem(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, status, newItemOut(i, s.Today()))
	return nil
}

func (s *area) apiCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	i, err := s.createItem(r, c)
	if err != nil {
		return err
	}
	return s.answerItem(w, r, c, i.ID, http.StatusCreated)
}

func (s *area) apiGet(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.answerItem(w, r, c, id, http.StatusOK)
}

func (s *area) apiPatch(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.updateItem(r, c, id); err != nil {
		return err
	}
	return s.answerItem(w, r, c, id, http.StatusOK)
}

func (s *area) apiProgress(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.addProgress(r, c, id); err != nil {
		return err
	}
	return s.answerItem(w, r, c, id, http.StatusCreated)
}

func (s *area) apiClose(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, _, err := s.closeItem(r, c, id); err != nil {
		return err
	}
	return s.answerItem(w, r, c, id, http.StatusOK)
}

func (s *area) apiReopen(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.reopen(r, c, id); err != nil {
		return err
	}
	return s.answerItem(w, r, c, id, http.StatusOK)
}
