// Package summaryweb is the work summary (工作总结) on the web: choose a
// subtree and a period, generate, read it as a page where every figure
// links to the records behind it, edit the text (each save a version), and
// download it as Word in the official layout; the templates staff edit,
// the reported figures (填报) with their evidence, the weak-spot rules, and
// the dashboard (数据驾驶舱). Every page has its JSON twin under /api/v1.
package summaryweb

import (
	"embed"
	"io/fs"

	"dangjian/internal/auth"
	"dangjian/internal/indicator"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed all:templates
var templates embed.FS

type area struct {
	*web.Server
	st     *store.Store
	cat    *indicator.Catalogue
	catErr error
}

// With mounts the area with the platform's indicator catalogue (app.Catalogue),
// which the summary and the dashboard read and never extend.
func With(catalogue func(*store.Store) (*indicator.Catalogue, error)) web.NewArea {
	return func(s *web.Server) web.Area {
		a := &area{Server: s, st: s.Store()}
		a.cat, a.catErr = catalogue(a.st)
		return a
	}
}

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Body limits: a summary's text, a template.
const (
	maxText = 512 << 10
	maxForm = 64 << 10
)

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /summaries", Perm: auth.SummaryRead, Handle: s.listPage, Summary: "工作总结", Menu: &web.Menu{Label: "工作总结"}},
		{Pattern: "POST /summaries", Perm: auth.SummaryWrite, Handle: s.generatePage, Summary: "生成工作总结", MaxBody: maxForm},
		{Pattern: "GET /summaries/{id}", Perm: auth.SummaryRead, Handle: s.showPage, Summary: "阅读工作总结"},
		{Pattern: "POST /summaries/{id}", Perm: auth.SummaryWrite, Handle: s.editPage, Summary: "保存修改（新版本）", MaxBody: maxText},
		{Pattern: "GET /summaries/{id}/docx", Perm: auth.SummaryRead, Handle: s.docx, Summary: "下载 Word 文档"},
		{Pattern: "GET /summaries/templates", Perm: auth.SummaryRead, Handle: s.templatesPage, Summary: "总结模板"},
		{Pattern: "POST /summaries/templates", Perm: auth.SummaryConfig, Handle: s.templateSave, Summary: "保存总结模板", MaxBody: maxText},
		{Pattern: "GET /summaries/reported", Perm: auth.SummaryRead, Handle: s.reportedPage, Summary: "填报数据", Menu: &web.Menu{Label: "填报数据"}},
		{Pattern: "POST /summaries/reported", Perm: auth.SummaryWrite, Handle: s.reportedSave, Summary: "填报数据", MaxBody: maxForm},
		{Pattern: "GET /summaries/rules", Perm: auth.SummaryRead, Handle: s.rulesPage, Summary: "问题发现规则"},
		{Pattern: "POST /summaries/rules", Perm: auth.SummaryConfig, Handle: s.ruleSave, Summary: "修改问题发现规则", MaxBody: maxForm},
		{Pattern: "GET /dashboard", Perm: auth.SummaryRead, Handle: s.dashboardPage, Summary: "数据驾驶舱", Menu: &web.Menu{Label: "数据驾驶舱"}},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/summaries", Perm: auth.SummaryRead, Handle: s.apiList, Summary: "工作总结列表", Out: web.List[summaryOut]{}},
		{Pattern: "POST /api/v1/summaries", Perm: auth.SummaryWrite, Handle: s.apiGenerate, Summary: "生成工作总结（组织、期间、模板）", Out: summaryOut{}, In: generateIn{}, MaxBody: maxForm},
		{Pattern: "GET /api/v1/summaries/{id}", Perm: auth.SummaryRead, Handle: s.apiGet, Summary: "工作总结（正文、数字及其来源链接、存在的问题）", Out: summaryOut{}},
		{Pattern: "GET /api/v1/summaries/{id}/versions", Perm: auth.SummaryRead, Handle: s.apiVersions, Summary: "工作总结的各版本", Out: web.Items[store.SummaryVersion]{}},
		{Pattern: "POST /api/v1/summaries/{id}/versions", Perm: auth.SummaryWrite, Handle: s.apiEdit, Summary: "保存修改后的正文为新版本（须带 base）", Out: versionOut{}, In: editIn{}, MaxBody: maxText},
		{Pattern: "GET /api/v1/summary-templates", Perm: auth.SummaryRead, Handle: s.apiTemplates, Summary: "总结模板", Out: web.Items[store.SummaryTemplate]{}},
		{Pattern: "POST /api/v1/summary-templates", Perm: auth.SummaryConfig, Handle: s.apiTemplateSave, Summary: "新建或修改总结模板（修改须带 id 和 version）", Out: store.SummaryTemplate{}, In: templateIn{}, MaxBody: maxText},
		{Pattern: "GET /api/v1/reported-figures", Perm: auth.SummaryRead, Handle: s.apiReported, Summary: "填报数据（按组织、指标、期间）", Out: web.Items[reportedOut]{}},
		{Pattern: "POST /api/v1/reported-figures", Perm: auth.SummaryWrite, Handle: s.apiReportedSave, Summary: "填报数据（修改须带 id 和 version）", Out: reportedOut{}, In: reportedIn{}, MaxBody: maxForm},
		{Pattern: "GET /api/v1/summary-rules", Perm: auth.SummaryRead, Handle: s.apiRules, Summary: "问题发现规则及其阈值", Out: web.Items[ruleOut]{}},
		{Pattern: "PUT /api/v1/summary-rules/{code}", Perm: auth.SummaryConfig, Handle: s.apiRuleSave, Summary: "开关问题发现规则、修改阈值", Out: ruleOut{}, In: ruleIn{}, MaxBody: maxForm},
		{Pattern: "GET /api/v1/dashboard", Perm: auth.SummaryRead, Handle: s.apiDashboard, Summary: "数据驾驶舱（关键指标、月度趋势、各支部或各下级组织的达标与学习覆盖）", Out: dashboard{}},
	}
}
