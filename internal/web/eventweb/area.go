// Package eventweb is organisational life (组织生活) on the web: the
// calendar of each organisation with its compliance, the event page with
// its attendance (batch marks, a paper sheet's import, QR sign-in on the
// projector and the phone), members' own meetings and 学时, the figures with
// their year-earlier values and Excel export, and the kinds and rules an
// administrator keeps. Every page has its JSON twin under /api/v1.
package eventweb

import (
	"context"
	"embed"
	"io/fs"
	"sync"

	"dangjian/internal/auth"
	"dangjian/internal/jobs"
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

	secretOnce sync.Mutex
	secret     []byte // signs sign-in codes; read once from the database
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Body limits: an attachment, a paper sheet, a batch of marks.
const (
	maxFile    = 20 << 20
	maxSheet   = 10 << 20
	maxMarks   = 4 << 20
	maxEventIn = 1 << 20
)

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /events", Perm: auth.EventRead, Handle: s.calendarPage, Summary: "组织生活日历", Menu: &web.Menu{Label: "组织生活"}},
		{Pattern: "GET /events/figures", Perm: auth.EventRead, Handle: s.figuresPage, Summary: "组织生活与学习统计", Menu: &web.Menu{Label: "学习统计"}},
		{Pattern: "GET /events/figures.xlsx", Perm: auth.EventRead, Handle: s.figuresExport, Summary: "导出组织生活与学习统计"},
		{Pattern: "GET /events/new", Perm: auth.EventWrite, Handle: s.newForm, Summary: "新建活动"},
		{Pattern: "POST /events", Perm: auth.EventWrite, Handle: s.create, Summary: "保存新活动", MaxBody: maxEventIn},
		{Pattern: "GET /events/{id}", Perm: auth.EventRead, Handle: s.show, Summary: "活动详情与考勤"},
		{Pattern: "POST /events/{id}", Perm: auth.EventWrite, Handle: s.edit, Summary: "修改活动", MaxBody: maxEventIn},
		{Pattern: "POST /events/{id}/attendance", Perm: auth.EventWrite, Handle: s.markPage, Summary: "登记考勤", MaxBody: maxMarks},
		{Pattern: "POST /events/{id}/attendance/import", Perm: auth.EventWrite, Handle: s.importPage, Summary: "导入纸质签到表", MaxBody: maxSheet},
		{Pattern: "GET /events/{id}/attendance/sheet.xlsx", Perm: auth.EventRead, Handle: s.sheetTemplate, Summary: "下载考勤表"},
		{Pattern: "POST /events/{id}/files", Perm: auth.EventWrite, Handle: s.uploadPage, Summary: "上传附件", MaxBody: maxFile + 1<<20},
		{Pattern: "GET /events/{id}/files/{fid}", Perm: auth.EventRead, Handle: s.download, Summary: "下载附件"},
		{Pattern: "POST /events/{id}/files/{fid}/delete", Perm: auth.EventWrite, Handle: s.deleteFilePage, Summary: "删除附件"},
		{Pattern: "GET /events/{id}/qr", Perm: auth.EventWrite, Handle: s.projector, Summary: "签到二维码（投屏）"},
		{Pattern: "POST /event-settings/{id}", Perm: auth.EventWrite, Handle: s.settingPage, Summary: "扫码签到开关"},
		{Pattern: "GET /signin/{id}", Perm: web.Public, Handle: s.signinPage, Summary: "扫码签到"},
		{Pattern: "POST /signin/{id}", Perm: web.LoggedIn, Handle: s.signinSubmit, Summary: "确认签到"},
		{Pattern: "GET /my/events", Perm: auth.SelfRead, Handle: s.myPage, Summary: "我的组织生活与学时", Menu: &web.Menu{Label: "我的组织生活"}},
		{Pattern: "GET /events/kinds", Perm: auth.EventConfig, Handle: s.kindsPage, Summary: "活动类型与组织生活规定", Menu: &web.Menu{Label: "活动类型与规定"}},
		{Pattern: "POST /events/kinds", Perm: auth.EventConfig, Handle: s.kindSave, Summary: "保存活动类型"},
		{Pattern: "POST /events/rules", Perm: auth.EventConfig, Handle: s.ruleSave, Summary: "保存组织生活规定"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/events", Perm: auth.EventRead, Handle: s.apiList, Summary: "活动列表（筛选、分页）", Out: web.List[eventOut]{}},
		{Pattern: "POST /api/v1/events", Perm: auth.EventWrite, Handle: s.apiCreate, Summary: "新建活动", Out: eventOut{}, MaxBody: maxEventIn},
		{Pattern: "GET /api/v1/events/calendar", Perm: auth.EventRead, Handle: s.apiCalendar, Summary: "组织生活日历与达标情况", Out: calendarOut{}},
		{Pattern: "GET /api/v1/events/figures", Perm: auth.EventRead, Handle: s.apiFigures, Summary: "组织生活与学习统计（含上年同期）", Out: figuresOut{}},
		{Pattern: "GET /api/v1/events/{id}", Perm: auth.EventRead, Handle: s.apiGet, Summary: "活动详情", Out: eventOut{}},
		{Pattern: "PATCH /api/v1/events/{id}", Perm: auth.EventWrite, Handle: s.apiPatch, Summary: "修改活动（部分修改，须带 version）", Out: eventOut{}, MaxBody: maxEventIn},
		{Pattern: "GET /api/v1/events/{id}/attendance", Perm: auth.EventRead, Handle: s.apiAttendance, Summary: "应到名单与考勤", Out: attendanceOut{}},
		{Pattern: "POST /api/v1/events/{id}/attendance", Perm: auth.EventWrite, Handle: s.apiMark, Summary: "批量登记或更正考勤", Out: markedOut{}, MaxBody: maxMarks},
		{Pattern: "POST /api/v1/events/{id}/attendance/import", Perm: auth.EventWrite, Handle: s.apiImport, Summary: "导入纸质签到表（.xlsx）", Out: markedOut{}, MaxBody: maxSheet},
		{Pattern: "GET /api/v1/events/{id}/files", Perm: auth.EventRead, Handle: s.apiFiles, Summary: "附件列表", Out: web.Items[store.EventFile]{}},
		{Pattern: "POST /api/v1/events/{id}/files", Perm: auth.EventWrite, Handle: s.apiUpload, Summary: "上传附件", Out: store.EventFile{}, MaxBody: maxFile + 1<<20},
		{Pattern: "GET /api/v1/events/{id}/qr", Perm: auth.EventWrite, Handle: s.apiQR, Summary: "当前签到二维码的内容", Out: qrOut{}},
		{Pattern: "POST /api/v1/events/{id}/signin", Perm: web.LoggedIn, Handle: s.apiSignIn, Summary: "扫码签到（本人）", Out: signinOut{}},
		{Pattern: "PUT /api/v1/event-settings/{id}", Perm: auth.EventWrite, Handle: s.apiSetting, Summary: "本组织及下级的扫码签到开关", Out: settingOut{}},
		{Pattern: "GET /api/v1/my/events", Perm: auth.SelfRead, Handle: s.apiMy, Summary: "我的组织生活与学时", Out: myOut{}},
		{Pattern: "GET /api/v1/event-kinds", Perm: web.LoggedIn, Handle: s.apiKinds, Summary: "活动类型", Out: web.Items[kindOut]{}},
		{Pattern: "POST /api/v1/event-kinds", Perm: auth.EventConfig, Handle: s.apiKindCreate, Summary: "新增活动类型", Out: kindOut{}},
		{Pattern: "PATCH /api/v1/event-kinds/{id}", Perm: auth.EventConfig, Handle: s.apiKindPatch, Summary: "修改活动类型（部分修改，须带 version）", Out: kindOut{}},
		{Pattern: "GET /api/v1/event-rules", Perm: web.LoggedIn, Handle: s.apiRules, Summary: "组织生活规定（各类组织的召开频次）", Out: web.Items[ruleOut]{}},
		{Pattern: "POST /api/v1/event-rules", Perm: auth.EventConfig, Handle: s.apiRuleCreate, Summary: "新增组织生活规定", Out: ruleOut{}},
		{Pattern: "PATCH /api/v1/event-rules/{id}", Perm: auth.EventConfig, Handle: s.apiRulePatch, Summary: "修改组织生活规定（部分修改，须带 version）", Out: ruleOut{}},
	}
}

// Jobs: the expected list of an event is frozen at its planned start, and
// the differences marks leave beside the tallies are folded in hourly.
func (s *area) Jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{freezeJob: s.runFreeze, foldJob: s.folds().Run(s.runFold)}
}

// Schedule makes sure the built-in kinds and the default rules are there
// when the server starts its work (the configuration this area runs on),
// and, on PostgreSQL, puts this hour's fold in the queue.
func (s *area) Schedule(ctx context.Context) error {
	if err := s.st.SeedEvents(ctx); err != nil || s.st.Dialect() != store.Postgres {
		return err
	}
	return s.folds().Schedule(ctx)
}
