package peopleweb

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// ageBands are the age filters offered; the age-structure figures use the same cuts.
var ageBands = []struct {
	key, label string
	min, max   int
}{
	{"lt35", "35岁以下", 0, 34}, {"35-45", "35-45岁", 35, 45}, {"46-55", "46-55岁", 46, 55}, {"gt55", "55岁以上", 56, 0},
}

// rosterQuery is the roster's filter as it appears in the address bar, so a
// filtered list can be bookmarked, paged and exported as it stands.
type rosterQuery struct {
	Query, Education, Age, Sort string
	// Tab is the roster's part shown: party members (the default of the
	// page), 群众 staff, the development pipeline, or everyone; status
	// checkboxes, when ticked, take its place.
	Tab           string
	Size          int // rows a page: one of pageSizes
	OrgID, UnitID int64
	Statuses      []string
	Desc, Left    bool
	Page          int
	// After and Before are the cursors of the pager's links: the page
	// follows or precedes a row, and Page is then only its label.
	After, Before string
}

func parseRosterQuery(q url.Values) rosterQuery {
	in := web.Input{Values: q}
	var v errs.Invalid // malformed numbers in an address are ignored, not refused
	rq := rosterQuery{Query: in.Str("q"), Education: in.Str("education"), Age: in.Str("age"), Sort: in.Str("sort"),
		OrgID: in.ID("org", &v), UnitID: in.ID("unit", &v), Desc: in.Flag("desc"), Left: in.Flag("left"), Page: in.Page(),
		After: in.Str("after"), Before: in.Str("before"), Tab: in.Str("tab"), Size: in.Num("size", pageSize)}
	if _, ok := rosterTabs[rq.Tab]; !ok && rq.Tab != "" {
		rq.Tab = ""
	}
	if !slices.Contains(pageSizes, rq.Size) {
		rq.Size = pageSize
	}
	for _, st := range q["status"] {
		if people.Status(st).Valid() {
			rq.Statuses = append(rq.Statuses, st)
		}
	}
	return rq
}

const pageSize = 20

// pageSizes are the page sizes offered.
var pageSizes = []int{20, 50, 100}

// rosterTabs are the roster's parts by political status: party members
// first, as offices use the 党员花名册, and staff who are not members apart.
var rosterTabs = map[string][]people.Status{
	"members":  {people.Full, people.Probationary},
	"pipeline": {people.Applicant, people.Activist, people.Candidate},
	"masses":   {people.Masses},
	"all":      nil,
}

// rosterTabOrder is the order the tabs are drawn in, with their labels.
var rosterTabOrder = []web.Option{{Value: "members", Label: "党员"}, {Value: "pipeline", Label: "入党申请人、积极分子、发展对象"},
	{Value: "masses", Label: "群众（干部职工）"}, {Value: "all", Label: "全部人员"}}

func (q rosterQuery) filter(today date.Date) store.PersonFilter {
	f := store.PersonFilter{Query: q.Query, OrgID: q.OrgID, UnitID: q.UnitID, Education: q.Education, Sort: q.Sort, Desc: q.Desc,
		IncludeLeft: q.Left, Today: today, Limit: q.size(), Offset: (q.Page - 1) * q.size(), After: q.After, Before: q.Before}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, people.Status(st))
	}
	if len(f.Statuses) == 0 {
		f.Statuses = rosterTabs[q.Tab]
	}
	for _, b := range ageBands {
		if b.key == q.Age {
			f.AgeMin, f.AgeMax = b.min, b.max
		}
	}
	return f
}

func (q rosterQuery) size() int {
	if q.Size == 0 {
		return pageSize
	}
	return q.Size
}

// values are the filter and order, without the page: the export and the
// pager's links start from them.
func (q rosterQuery) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Query)
	set("education", q.Education)
	set("age", q.Age)
	set("sort", q.Sort)
	set("tab", q.Tab)
	if q.Size != 0 && q.Size != pageSize {
		v.Set("size", strconv.Itoa(q.Size))
	}
	if q.OrgID != 0 {
		v.Set("org", strconv.FormatInt(q.OrgID, 10))
	}
	if q.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(q.UnitID, 10))
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Left {
		v.Set("left", "1")
	}
	for _, st := range q.Statuses {
		v.Add("status", st)
	}
	return v
}

type peoplePage struct {
	web.Layout
	Q                   rosterQuery
	Rows                []template.HTML // each person's row (rosterRow)
	Total, Page, Pages  int
	Orgs                web.OrgTree // the organisation filter, opened down to the chosen one
	OrgValue            string
	Selects             []filterSelect
	Statuses            []filterCheck
	CanWrite, CanExport bool
	ExportLink          string
	// FirstLink, PrevLink and NextLink are the pager's links: the first
	// page by number, its neighbours by cursor; "" where there is none.
	FirstLink, PrevLink, NextLink string
	Hidden                        []hiddenField // the filter, for the pager's jump-to-page form
	Tabs                          []tabLink
	Sizes                         []web.Option
	// PrintOrg and PrintDate head the printed roster: whose list it is and
	// on which day it was printed.
	PrintOrg, PrintDate string
}

// tabLink is one tab of the roster: a part of it by political status.
type tabLink struct {
	Label, Link string
	Active      bool
}

type hiddenField struct{ Name, Value string }

// filterSelect is a dropdown of the filter form, its options already drawn.
type filterSelect struct {
	Name, Label string
	Options     template.HTML
}

// filterCheck is a checkbox of the filter form.
type filterCheck struct {
	Value, Label string
	Checked      bool
}

// pager fills in the page's label and links from what the store found.
func (p *peoplePage) pager(q rosterQuery, res store.PersonPage) {
	p.Total, p.Pages = res.Total, max(1, (res.Total+q.size()-1)/q.size())
	p.Page = pageLabel(q.Page, p.Pages, res)
	v := q.values()
	link := func(extra ...string) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		for i := 0; i < len(extra); i += 2 {
			w.Set(extra[i], extra[i+1])
		}
		return "/people?" + w.Encode()
	}
	if res.Prev != "" {
		p.FirstLink = link()
		p.PrevLink = link("before", res.Prev, "page", strconv.Itoa(p.Page-1))
	}
	if res.Next != "" {
		p.NextLink = link("after", res.Next, "page", strconv.Itoa(p.Page+1))
	}
	for k, vs := range v {
		for _, x := range vs {
			p.Hidden = append(p.Hidden, hiddenField{k, x})
		}
	}
	slices.SortFunc(p.Hidden, func(a, b hiddenField) int { return strings.Compare(a.Name+"\x00"+a.Value, b.Name+"\x00"+b.Value) })
}

// pageLabel is the number a page shows: the one in the address, except at
// either end, which the cursors tell exactly — nothing before it is page 1,
// nothing after it the last — even when people were added or left while
// someone paged.
func pageLabel(asked, pages int, res store.PersonPage) int {
	switch {
	case len(res.Items) == 0: // past the end
		return asked
	case res.Prev == "":
		return 1
	case res.Next == "":
		return max(pages, 2)
	default:
		return min(max(asked, 2), max(pages-1, 2))
	}
}

// rosterSorts are the orders the roster offers (store.PersonFilter.Sort).
var rosterSorts = []web.Option{{Value: "org", Label: "按组织"}, {Value: "name", Label: "按姓名拼音"},
	{Value: "birth_date", Label: "按出生日期"}, {Value: "joined_on", Label: "按入党时间"}}

// idValue is an id as a form value: empty for none.
func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func (s *area) peopleList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	q := parseRosterQuery(r.URL.Query())
	if q.Tab == "" && len(q.Statuses) == 0 {
		q.Tab = "members" // the page is the 党员花名册: members first
	}
	res, err := s.st.People(ctx, c.Scope, q.filter(s.Today()))
	if err != nil {
		return err
	}
	p := s.listPage(c, q, res)
	p.PrintDate = s.Today().String()
	for _, t := range rosterTabOrder {
		tq := q
		tq.Tab, tq.Statuses, tq.Page, tq.After, tq.Before = t.Value, nil, 1, "", ""
		p.Tabs = append(p.Tabs, tabLink{t.Label, "/people?" + tq.values().Encode(), len(q.Statuses) == 0 && q.Tab == t.Value})
	}
	orgID := q.OrgID
	if orgID == 0 {
		orgID = c.User.OrgID
	}
	if !isResultsOnly(r) { // paging and filtering from the page swap the results only: the form is there
		choices, err := s.st.RosterChoices(ctx)
		if err != nil {
			return err
		}
		if p.Orgs, err = s.OrgTree(ctx, c, orgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
			return err
		}
		p.filterForm(q, choices)
		p.Notice = web.Notice(r)
		p.PrintOrg = p.Orgs.Chosen.Name // the printed heading's organisation, without another query
	}
	if p.PrintOrg == "" {
		if o, err := s.st.Org(ctx, c.Scope, orgID); err == nil {
			p.PrintOrg = o.Name
		}
	}
	return s.Render(w, r, http.StatusOK, "people", p)
}

// listPage is the roster page for a listing, without the filter form.
func (s *area) listPage(c *web.Call, q rosterQuery, res store.PersonPage) *peoplePage {
	p := &peoplePage{Layout: s.Base(c, "党员花名册", "/people"), Q: q, CanWrite: c.Can(auth.PersonWrite), CanExport: c.Can(auth.PersonExport),
		Rows: make([]template.HTML, len(res.Items))}
	p.pager(q, res)
	for i, row := range res.Items {
		v := s.personView(row, false)
		p.Rows[i] = rosterRow(&v)
	}
	p.ExportLink = "/people/export.xlsx?" + q.values().Encode()
	return p
}

// filterForm fills in the filter form's lists, the current choices marked.
func (p *peoplePage) filterForm(q rosterQuery, choices store.RosterChoices) {
	educations := make([]web.Option, len(choices.Educations))
	for i, e := range choices.Educations {
		educations[i] = web.Option{Value: e, Label: e}
	}
	ages := make([]web.Option, len(ageBands))
	for i, b := range ageBands {
		ages[i] = web.Option{Value: b.key, Label: b.label}
	}
	for _, n := range pageSizes {
		p.Sizes = append(p.Sizes, web.Option{Value: strconv.Itoa(n), Label: strconv.Itoa(n) + " 条"})
	}
	p.OrgValue = idValue(q.OrgID)
	p.Selects = []filterSelect{
		{"unit", "工作单位", optionsHTML(web.OrgOptions(choices.Units), idValue(q.UnitID))},
		{"education", "学历", optionsHTML(educations, q.Education)},
		{"age", "年龄段", optionsHTML(ages, q.Age)},
		{"sort", "排序", optionsHTML(rosterSorts, q.Sort)},
	}
	for _, st := range statusOptions() {
		p.Statuses = append(p.Statuses, filterCheck{st.Value, st.Label, slices.Contains(q.Statuses, st.Value)})
	}
}

// isResultsOnly reports an htmx request for the roster's results block only.
func isResultsOnly(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "roster-results"
}

// rosterList is the API's page of the roster. Next and Prev, when present,
// are cursors: ?after=<next> and ?before=<prev> fetch the neighbouring
// pages whatever was added or removed meanwhile; ?page=N jumps by number.
type rosterList struct {
	web.List[personView]
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

func (s *area) apiPeopleList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q := parseRosterQuery(r.URL.Query())
	f := q.filter(s.Today())
	if size := (web.Input{Values: r.URL.Query()}).Num("page_size", pageSize); size > 0 && size <= 200 {
		f.Limit, f.Offset = size, (q.Page-1)*size
	}
	res, err := s.st.People(r.Context(), c.Scope, f)
	if err != nil {
		return err
	}
	out := rosterList{List: web.List[personView]{Items: make([]personView, 0, len(res.Items)), Total: res.Total,
		Page: pageLabel(q.Page, max(1, (res.Total+f.Limit-1)/f.Limit), res), PageSize: f.Limit}, Next: res.Next, Prev: res.Prev}
	for _, row := range res.Items {
		out.Items = append(out.Items, s.personView(row, false))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
