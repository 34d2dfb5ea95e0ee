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
	OrgID, UnitID               int64
	Statuses                    []string
	Desc, Left                  bool
	Page                        int
	// After and Before are the cursors of the pager's links: the page
	// follows or precedes a row, and Page is then only its label.
	After, Before string
}

func parseRosterQuery(q url.Values) rosterQuery {
	in := web.Input{Values: q}
	var v errs.Invalid // malformed numbers in an address are ignored, not refused
	rq := rosterQuery{Query: in.Str("q"), Education: in.Str("education"), Age: in.Str("age"), Sort: in.Str("sort"),
		OrgID: in.ID("org", &v), UnitID: in.ID("unit", &v), Desc: in.Flag("desc"), Left: in.Flag("left"), Page: in.Page(),
		After: in.Str("after"), Before: in.Str("before")}
	for _, st := range q["status"] {
		if people.Status(st).Valid() {
			rq.Statuses = append(rq.Statuses, st)
		}
	}
	return rq
}

const pageSize = 20

func (q rosterQuery) filter(today date.Date) store.PersonFilter {
	f := store.PersonFilter{Query: q.Query, OrgID: q.OrgID, UnitID: q.UnitID, Education: q.Education, Sort: q.Sort, Desc: q.Desc,
		IncludeLeft: q.Left, Today: today, Limit: pageSize, Offset: (q.Page - 1) * pageSize, After: q.After, Before: q.Before}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, people.Status(st))
	}
	for _, b := range ageBands {
		if b.key == q.Age {
			f.AgeMin, f.AgeMax = b.min, b.max
		}
	}
	return f
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
	Selects             []filterSelect
	Statuses            []filterCheck
	CanWrite, CanExport bool
	ExportLink          string
	// FirstLink, PrevLink and NextLink are the pager's links: the first
	// page by number, its neighbours by cursor; "" where there is none.
	FirstLink, PrevLink, NextLink string
	Hidden                        []hiddenField // the filter, for the pager's jump-to-page form
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
	p.Total, p.Pages = res.Total, max(1, (res.Total+pageSize-1)/pageSize)
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
	res, err := s.st.People(ctx, c.Scope, q.filter(s.Today()))
	if err != nil {
		return err
	}
	p := s.listPage(c, q, res)
	if !isResultsOnly(r) { // paging and filtering from the page swap the results only: the form is there
		choices, err := s.st.RosterChoices(ctx, c.Scope)
		if err != nil {
			return err
		}
		p.filterForm(q, choices)
		p.Notice = web.Notice(r)
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
	p.Selects = []filterSelect{
		{"org", "所在组织（含下级）", optionsHTML(web.OrgOptions(choices.Orgs), idValue(q.OrgID))},
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
