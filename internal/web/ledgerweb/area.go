// Package ledgerweb is the rectification ledger (整改台账) on the web: the
// list of items with its filters and Excel export, each item's page with its
// dated progress and closure, the participants' records of criticism and
// self-criticism at a 组织生活会 / 民主生活会 (the event page links to them)
// with each problem turned into an item in one click, and the campaigns
// (专项学习教育, 主题教育) with their own figures. Every page has its JSON
// twin under /api/v1.
package ledgerweb

import (
	"embed"
	"io/fs"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// "all:" because the shared blocks' files start with "_", which a plain
// directory embed leaves out.
//
//go:embed all:templates
var templates embed.FS

type area struct {
	*web.Server
	st *store.Store
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Body limits: the texts of an item or a record; a 实施方案 file.
const (
	maxIn   = 256 << 10
	maxPlan = 20<<20 + 1<<20
)

// The ledger belongs to organisational life for now: those who keep the
// meetings keep the items raised at them (event.read / event.write).
func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /ledger", Perm: auth.EventRead, Handle: s.listPage, Summary: "整改台账", Menu: &web.Menu{Label: "整改台账"}},
		{Pattern: "GET /ledger.xlsx", Perm: auth.EventRead, Handle: s.export, Summary: "导出整改台账"},
		{Pattern: "GET /ledger/new", Perm: auth.EventWrite, Handle: s.newPage, Summary: "登记整改事项"},
		{Pattern: "POST /ledger", Perm: auth.EventWrite, Handle: s.create, Summary: "保存整改事项", MaxBody: maxIn},
		{Pattern: "GET /ledger/{id}", Perm: auth.EventRead, Handle: s.showPage, Summary: "整改事项与进展"},
		{Pattern: "POST /ledger/{id}", Perm: auth.EventWrite, Handle: s.edit, Summary: "修改整改事项", MaxBody: maxIn},
		{Pattern: "POST /ledger/{id}/progress", Perm: auth.EventWrite, Handle: s.progress, Summary: "登记整改进展", MaxBody: maxIn},
		{Pattern: "POST /ledger/{id}/close", Perm: auth.EventWrite, Handle: s.closePage, Summary: "登记整改完成", MaxBody: maxIn},
		{Pattern: "POST /ledger/{id}/reopen", Perm: auth.EventWrite, Handle: s.reopenPage, Summary: "重新打开整改事项"},
		{Pattern: "GET /events/{id}/life", Perm: auth.EventRead, Handle: s.lifePage, Summary: "批评与自我批评、查摆问题"},
		{Pattern: "POST /events/{id}/life", Perm: auth.EventWrite, Handle: s.lifeSave, Summary: "保存参会人员的批评与自我批评", MaxBody: maxIn},
		{Pattern: "POST /events/{id}/life/problems", Perm: auth.EventWrite, Handle: s.problemAdd, Summary: "登记查摆问题", MaxBody: maxIn},
		{Pattern: "POST /life-problems/{id}/ledger", Perm: auth.EventWrite, Handle: s.problemToLedger, Summary: "查摆问题列入整改台账"},
		{Pattern: "GET /campaigns", Perm: auth.EventRead, Handle: s.campaignsPage, Summary: "专题教育", Menu: &web.Menu{Label: "专题教育"}},
		{Pattern: "POST /campaigns", Perm: auth.EventWrite, Handle: s.campaignCreate, Summary: "新建专题教育", MaxBody: maxIn},
		{Pattern: "GET /campaigns/{id}", Perm: auth.EventRead, Handle: s.campaignPage, Summary: "专题教育详情与统计"},
		{Pattern: "POST /campaigns/{id}", Perm: auth.EventWrite, Handle: s.campaignEdit, Summary: "修改专题教育", MaxBody: maxIn},
		{Pattern: "POST /campaigns/{id}/plan", Perm: auth.EventWrite, Handle: s.planUpload, Summary: "上传实施方案", MaxBody: maxPlan},
		{Pattern: "GET /campaigns/{id}/plan", Perm: auth.EventRead, Handle: s.planDownload, Summary: "下载实施方案"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/ledger", Perm: auth.EventRead, Handle: s.apiList, Summary: "整改台账（筛选、分页）", Out: web.List[itemOut]{}},
		{Pattern: "POST /api/v1/ledger", Perm: auth.EventWrite, Handle: s.apiCreate, Summary: "登记整改事项", Out: itemOut{}, In: itemIn{}, MaxBody: maxIn},
		{Pattern: "GET /api/v1/ledger/{id}", Perm: auth.EventRead, Handle: s.apiGet, Summary: "整改事项与进展", Out: itemOut{}},
		{Pattern: "PATCH /api/v1/ledger/{id}", Perm: auth.EventWrite, Handle: s.apiPatch, Summary: "修改整改事项（部分修改，须带 version）", Out: itemOut{}, In: itemIn{}, MaxBody: maxIn},
		{Pattern: "POST /api/v1/ledger/{id}/progress", Perm: auth.EventWrite, Handle: s.apiProgress, Summary: "登记整改进展", Out: itemOut{}, In: progressIn{}, MaxBody: maxIn},
		{Pattern: "POST /api/v1/ledger/{id}/close", Perm: auth.EventWrite, Handle: s.apiClose, Summary: "登记整改完成（须带 version）", Out: itemOut{}, In: closeIn{}, MaxBody: maxIn},
		{Pattern: "POST /api/v1/ledger/{id}/reopen", Perm: auth.EventWrite, Handle: s.apiReopen, Summary: "重新打开整改事项（须带 version）", Out: itemOut{}},
		{Pattern: "GET /api/v1/events/{id}/life", Perm: auth.EventRead, Handle: s.apiLife, Summary: "组织生活会、民主生活会的参会人员记录", Out: web.Items[recordOut]{}},
		{Pattern: "POST /api/v1/events/{id}/life", Perm: auth.EventWrite, Handle: s.apiLifeSave, Summary: "保存参会人员的批评与自我批评（新记录不带 id；修改带 id 和 version，只改所带的内容）", Out: recordOut{}, In: recordIn{}, MaxBody: maxIn},
		{Pattern: "POST /api/v1/events/{id}/life/problems", Perm: auth.EventWrite, Handle: s.apiProblemAdd, Summary: "登记查摆问题", Out: problemOut{}, In: problemIn{}, MaxBody: maxIn},
		{Pattern: "POST /api/v1/life-problems/{id}/ledger", Perm: auth.EventWrite, Handle: s.apiProblemToLedger, Summary: "查摆问题列入整改台账", Out: itemOut{}, In: itemIn{}, MaxBody: maxIn},
		{Pattern: "GET /api/v1/campaigns", Perm: auth.EventRead, Handle: s.apiCampaigns, Summary: "专题教育列表", Out: web.Items[campaignOut]{}},
		{Pattern: "POST /api/v1/campaigns", Perm: auth.EventWrite, Handle: s.apiCampaignCreate, Summary: "新建专题教育", Out: campaignOut{}, In: campaignIn{}, MaxBody: maxIn},
		{Pattern: "GET /api/v1/campaigns/{id}", Perm: auth.EventRead, Handle: s.apiCampaign, Summary: "专题教育详情与统计", Out: campaignOut{}},
		{Pattern: "PATCH /api/v1/campaigns/{id}", Perm: auth.EventWrite, Handle: s.apiCampaignPatch, Summary: "修改专题教育（部分修改，须带 version）", Out: campaignOut{}, In: campaignIn{}, MaxBody: maxIn},
	}
}
