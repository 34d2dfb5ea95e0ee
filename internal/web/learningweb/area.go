// Package learningweb is learning (学习) on the web: 我的学习 for members on
// their phones (study notes and reflections written online with their
// character count, and their 学时 for the year), study plans whose
// schedules create the sessions, the materials library, and the 学时 table
// of a subtree with its Excel export. Every page has its JSON twin under
// /api/v1.
package learningweb

import (
	"embed"
	"io/fs"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed all:templates
var templates embed.FS

type area struct {
	*web.Server
	st *store.Store
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Body limits: a note (50,000 characters of Chinese are 150 KB), a plan, a
// material's upload.
const (
	maxNote     = 256 << 10
	maxPlan     = 64 << 10
	maxMaterial = 20<<20 + 1<<20
)

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /my/learning", Perm: auth.SelfRead, Handle: s.myPage, Summary: "我的学习：笔记、心得与学时", Menu: &web.Menu{Label: "我的学习"}},
		{Pattern: "POST /my/learning/notes", Perm: auth.SelfRead, Handle: s.noteCreatePage, Summary: "写学习笔记或心得体会", MaxBody: maxNote},
		{Pattern: "GET /my/learning/notes/{id}", Perm: auth.SelfRead, Handle: s.noteShow, Summary: "查看和修改我的笔记"},
		{Pattern: "POST /my/learning/notes/{id}", Perm: auth.SelfRead, Handle: s.noteEditPage, Summary: "修改我的笔记", MaxBody: maxNote},
		{Pattern: "POST /my/learning/notes/{id}/delete", Perm: auth.SelfRead, Handle: s.noteDeletePage, Summary: "删除我的笔记"},
		{Pattern: "GET /learning/plans", Perm: auth.EventRead, Handle: s.plansPage, Summary: "学习计划", Menu: &web.Menu{Label: "学习计划"}},
		{Pattern: "POST /learning/plans", Perm: auth.EventWrite, Handle: s.planCreatePage, Summary: "新建学习计划", MaxBody: maxPlan},
		{Pattern: "GET /learning/plans/{id}", Perm: auth.EventRead, Handle: s.planShow, Summary: "学习计划与学习场次"},
		{Pattern: "POST /learning/plans/{id}", Perm: auth.EventWrite, Handle: s.planEditPage, Summary: "修改学习计划", MaxBody: maxPlan},
		{Pattern: "POST /learning/plans/{id}/sessions", Perm: auth.EventWrite, Handle: s.sessionsPage, Summary: "按计划生成学习场次"},
		{Pattern: "GET /learning/materials", Perm: auth.EventRead, Handle: s.materialsPage, Summary: "学习资料库", Menu: &web.Menu{Label: "学习资料"}},
		{Pattern: "POST /learning/materials", Perm: auth.EventWrite, Handle: s.materialAddPage, Summary: "上传学习资料或添加链接", MaxBody: maxMaterial},
		{Pattern: "GET /learning/materials/{id}/file", Perm: web.LoggedIn, Handle: s.materialDownload, Summary: "下载学习资料"},
		{Pattern: "GET /learning/hours", Perm: auth.EventRead, Handle: s.hoursPage, Summary: "学时统计", Menu: &web.Menu{Label: "学时统计"}},
		{Pattern: "GET /learning/hours.xlsx", Perm: auth.EventRead, Handle: s.hoursExport, Summary: "导出学时统计"},
		{Pattern: "GET /learning/requirement", Perm: auth.EventConfig, Handle: s.requirementPage, Summary: "年度学时要求", Menu: &web.Menu{Label: "学时要求"}},
		{Pattern: "POST /learning/requirement", Perm: auth.EventConfig, Handle: s.requirementSave, Summary: "设置年度学时要求"},
		{Pattern: "GET /learning/notes/all", Perm: auth.EventRead, Handle: s.notesPage, Summary: "学习笔记与心得体会"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/my/learning", Perm: auth.SelfRead, Handle: s.apiMy, Summary: "我的学时与笔记", Out: myOut{}},
		{Pattern: "POST /api/v1/my/learning/notes", Perm: auth.SelfRead, Handle: s.apiNoteCreate, Summary: "写学习笔记或心得体会", Out: noteOut{}, In: noteIn{}, MaxBody: maxNote},
		{Pattern: "PUT /api/v1/my/learning/notes/{id}", Perm: auth.SelfRead, Handle: s.apiNoteUpdate, Summary: "修改我的笔记（须带 version）", Out: noteOut{}, In: noteIn{}, MaxBody: maxNote},
		{Pattern: "DELETE /api/v1/my/learning/notes/{id}", Perm: auth.SelfRead, Handle: s.apiNoteDelete, Summary: "删除我的笔记"},
		{Pattern: "GET /api/v1/learning/plans", Perm: auth.EventRead, Handle: s.apiPlans, Summary: "学习计划列表", Out: web.Items[planOut]{}},
		{Pattern: "POST /api/v1/learning/plans", Perm: auth.EventWrite, Handle: s.apiPlanCreate, Summary: "新建学习计划（含固定安排和指定学习材料）", Out: planOut{}, In: planIn{}, MaxBody: maxPlan},
		{Pattern: "GET /api/v1/learning/plans/{id}", Perm: auth.EventRead, Handle: s.apiPlan, Summary: "学习计划详情", Out: planOut{}},
		{Pattern: "PUT /api/v1/learning/plans/{id}", Perm: auth.EventWrite, Handle: s.apiPlanUpdate, Summary: "修改学习计划（整体替换固定安排和指定学习材料，须带 version；已生成的场次保留）", Out: planOut{}, In: planIn{}, MaxBody: maxPlan},
		{Pattern: "POST /api/v1/learning/plans/{id}/sessions", Perm: auth.EventWrite, Handle: s.apiSessions, Summary: "按计划生成尚未生成的学习场次", Out: sessionsOut{}},
		{Pattern: "GET /api/v1/learning/materials", Perm: web.LoggedIn, Handle: s.apiMaterials, Summary: "学习资料库", Out: web.Items[materialOut]{}},
		{Pattern: "POST /api/v1/learning/materials", Perm: auth.EventWrite, Handle: s.apiMaterialAdd, Summary: "上传学习资料（multipart 的 file）或添加链接（url）", Out: materialOut{}, MaxBody: maxMaterial},
		{Pattern: "GET /api/v1/learning/hours", Perm: auth.EventRead, Handle: s.apiHours, Summary: "学时统计（某组织及下级、某年）", Out: hoursOut{}},
		{Pattern: "PUT /api/v1/learning/requirement", Perm: auth.EventConfig, Handle: s.apiRequirement, Summary: "设置年度学时要求（member、committee，单位学时，如 32、56）", Out: requirementOut{}},
		{Pattern: "GET /api/v1/learning/notes", Perm: auth.EventRead, Handle: s.apiNotes, Summary: "学习笔记与心得体会（某组织及下级、某期间）", Out: web.List[noteOut]{}},
	}
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
