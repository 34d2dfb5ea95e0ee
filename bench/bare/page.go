package bare

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
)

// pageTemplate is the roster table as the real page draws it for its
// 全部人员 tab (tab=all: everyone, the same SQL as the API) — the same markup,
// one action per cell — in a minimal document: no menu, no tabs, no filter form.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>党员花名册</title></head>
<body><main>
{{template "roster-results" .}}
</main></body>
</html>
{{define "roster-results"}}<div id="roster-results" hx-target="#roster-results" hx-swap="outerHTML" hx-push-url="true">
<p class="print-only print-heading">{{.PrintOrg}} 党员花名册（打印日期：{{.PrintDate}}，共 {{.Total}} 人）</p>
<p class="total" id="roster-total">共 <strong>{{.Total}}</strong> 人</p>
<div class="actions no-print">
  <a class="button primary" href="/people/new">新增人员</a>
  <a class="button" href="{{.ExportLink}}">导出 Excel</a>
</div>
<div class="table-wrap">
<table class="responsive" id="roster">
  <thead><tr><th>姓名</th><th>性别</th><th>年龄</th><th>人员类别</th><th>所在组织</th><th>工作单位</th><th>职务</th><th>学历</th><th>入党时间</th><th>身份证号</th><th>联系电话</th></tr></thead>
  <tbody>
  {{range .Items}}<tr><td data-label="姓名" class="name"><a href="/people/{{.ID}}">{{.Name}}</a>{{if .Left}} <span class="tag">已转出</span>{{end}}{{if .Honoured}} <span class="tag ok">光荣在党{{.PartyYears}}年</span>{{end}}</td><td data-label="性别" class="more">{{.SexLabel}}</td><td data-label="年龄" class="more">{{.Age}}</td><td data-label="人员类别">{{.StatusLabel}}</td><td data-label="所在组织"><a href="/orgs/{{.OrgID}}">{{.OrgName}}</a></td><td data-label="工作单位" class="more">{{.UnitName}}</td><td data-label="职务" class="more">{{.Position}}</td><td data-label="学历" class="more">{{.Education}}</td><td data-label="入党时间" class="more">{{.JoinedOn}}</td><td data-label="身份证号" class="id-number more">{{.IDNumber}}</td><td data-label="联系电话" class="more">{{.Phone}}</td></tr>
{{else}}<tr><td colspan="11" class="muted">没有符合条件的人员。</td></tr>{{end}}
  </tbody>
</table>
</div>
<div hx-boost="true" class="no-print">{{if gt .Pages 1}}<nav class="pager" aria-label="分页">
  {{if .FirstLink}}<a href="{{.FirstLink}}" rel="first">首页</a>{{end}}
  {{if .PrevLink}}<a href="{{.PrevLink}}" rel="prev">上一页</a>{{end}}
  <span>第 {{.Page}} / {{.Pages}} 页，共 {{.Total}} 条</span>
  {{if .NextLink}}<a href="{{.NextLink}}" rel="next">下一页</a>{{end}}
  <form method="get" action="/people" class="jump">{{range .Hidden}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">{{end}}
    <label>跳至第 <input type="number" name="page" min="1" max="{{.Pages}}" value="{{.Page}}" inputmode="numeric"> 页</label> <button type="submit">跳转</button>
  </form>
</nav>{{else}}<p class="muted">共 {{.Total}} 条</p>{{end}}</div>
</div>{{end}}`))

// table is what the template draws.
type table struct {
	list
	Pages                                     int
	ExportLink, FirstLink, PrevLink, NextLink string
	Hidden                                    [][2]string // the jump form's fields: the address but the page
	PrintOrg, PrintDate                       string
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	c, err := s.session(r)
	if err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	q := parseQuery(r)
	l, err := s.people(r.Context(), c, q)
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	t := table{list: l, Pages: max(1, (l.Total+pageSize-1)/pageSize), PrintOrg: c.orgName,
		PrintDate: s.now().In(china).Format("2006-01-02")}
	if q.org != 0 {
		lo, hi := pathRange(c.orgPath)
		if err := s.stmts["org"].QueryRowContext(r.Context(), q.org, lo, hi).Scan(&t.PrintOrg); err != nil {
			t.PrintOrg = ""
		}
	}
	v := url.Values{"tab": {"all"}}
	if q.org != 0 {
		v.Set("org", strconv.FormatInt(q.org, 10))
	}
	t.ExportLink = "/people/export.xlsx?" + v.Encode()
	for _, k := range []string{"org", "tab"} { // sorted, as the real page sorts them
		if x := v.Get(k); x != "" {
			t.Hidden = append(t.Hidden, [2]string{k, x})
		}
	}
	link := func(param, c string, page int) string {
		w := url.Values{param: {c}, "page": {strconv.Itoa(page)}, "tab": {"all"}}
		if q.org != 0 {
			w.Set("org", strconv.FormatInt(q.org, 10))
		}
		return "/people?" + w.Encode()
	}
	if l.Prev != "" {
		t.FirstLink = "/people?" + v.Encode()
		t.PrevLink = link("before", l.Prev, l.Page-1)
	}
	if l.Next != "" {
		t.NextLink = link("after", l.Next, l.Page+1)
	}
	name := "page"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "roster-results" {
		name = "roster-results"
	}
	var buf bytes.Buffer
	if err := pageTemplate.ExecuteTemplate(&buf, name, t); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}
