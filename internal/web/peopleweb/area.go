// Package peopleweb is the roster on the web: the 党员花名册 with its filters,
// each person's page, transfers, members' own logins, and the roster in Excel
// (import and export).
package peopleweb

import (
	"embed"
	"io/fs"

	"dangjian/internal/auth"
	"dangjian/internal/roster"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed templates
var templates embed.FS

type area struct {
	*web.Server
	st   *store.Store
	live *liveProgress // imports running on this instance
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store(), live: newLiveProgress()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// uploadBody is the body limit of an import: the file and the form around it.
const uploadBody = roster.MaxUploadSize + 64<<10

func hasPerson(c *web.Call) bool { return c.User.PersonID != 0 }

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /people", Perm: auth.PersonRead, Handle: s.peopleList, Summary: "党员花名册", Menu: &web.Menu{Label: "党员花名册"}},
		{Pattern: "GET /people/new", Perm: auth.PersonWrite, Handle: s.personNewForm, Summary: "新增人员"},
		{Pattern: "POST /people", Perm: auth.PersonWrite, Handle: s.personCreate, Summary: "保存新人员"},
		{Pattern: "GET /people/export.xlsx", Perm: auth.PersonExport, Handle: s.peopleExport, Summary: "导出花名册"},
		{Pattern: "GET /people/template.xlsx", Perm: auth.PersonImport, Handle: s.peopleTemplate, Summary: "下载导入模板"},
		{Pattern: "GET /people/import", Perm: auth.PersonImport, Handle: s.importForm, Summary: "导入花名册", Menu: &web.Menu{Label: "导入花名册"}},
		{Pattern: "POST /people/import", Perm: auth.PersonImport, Handle: s.importSubmit, Summary: "上传并导入花名册", MaxBody: uploadBody},
		{Pattern: "GET /imports/{id}", Perm: auth.PersonImport, Handle: s.importStatus, Summary: "导入进度与结果"},
		{Pattern: "POST /imports/{id}/confirm", Perm: auth.PersonImport, Handle: s.importConfirm, Summary: "确认按预览更新"},
		{Pattern: "POST /imports/{id}/resolve", Perm: auth.PersonImport, Handle: s.importResolve, Summary: "新建或对应缺少的组织、单位后重新导入"},
		{Pattern: "GET /imports/{id}/errors.xlsx", Perm: auth.PersonImport, Handle: s.importErrors, Summary: "下载错误说明"},
		{Pattern: "GET /people/pick", Perm: auth.PersonRead, Handle: s.personPick, Summary: "选择人员（按姓名或拼音首字母查找，分页）"},
		{Pattern: "GET /people/{id}", Perm: auth.PersonRead, Handle: s.personShow, Summary: "人员详情"},
		{Pattern: "GET /people/{id}/edit", Perm: auth.PersonWrite, Handle: s.personEditForm, Summary: "编辑人员"},
		{Pattern: "POST /people/{id}", Perm: auth.PersonWrite, Handle: s.personUpdate, Summary: "保存人员"},
		{Pattern: "POST /people/{id}/reveal", Perm: auth.PersonSeeFull, Handle: s.personReveal, Summary: "查看完整证件号码与电话"},
		{Pattern: "POST /people/{id}/transfer", Perm: auth.PersonWrite, Handle: s.personTransfer, Summary: "组织关系转接"},
		{Pattern: "POST /people/{id}/account", Perm: auth.MemberAccount, Handle: s.personAccount, Summary: "为本人开通党员账号"},
		{Pattern: "GET /me", Perm: auth.SelfRead, Handle: s.me, Summary: "我的档案", Menu: &web.Menu{Label: "我的档案", When: hasPerson}},
		{Pattern: "POST /me/corrections", Perm: auth.SelfRead, Handle: s.correctionRequest, Summary: "本人申请更正档案信息"},
		{Pattern: "GET /corrections", Perm: auth.PersonWrite, Handle: s.correctionList, Summary: "档案更正申请"},
		{Pattern: "POST /corrections/{id}", Perm: auth.PersonWrite, Handle: s.correctionDecide, Summary: "受理或答复档案更正申请"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/people", Perm: auth.PersonRead, Handle: s.apiPeopleList, Summary: "花名册（筛选、排序、分页）", Out: web.List[personView]{}},
		{Pattern: "POST /api/v1/people", Perm: auth.PersonWrite, Handle: s.apiPersonCreate, Summary: "新增人员", In: newPersonIn{}, Out: personView{}},
		{Pattern: "POST /api/v1/people/import", Perm: auth.PersonImport, Handle: s.apiImport, Summary: "导入花名册 xlsx（multipart 字段 file；mode=create 新增，mode=update 按身份证号更新：先返回预览 changes 与 fingerprint，带 expect=fingerprint 再次上传同一文件即写入）；有误时 422，error.problems 列出每一处，error.missing 列出系统中没有的组织、单位", MaxBody: uploadBody, Out: importOut{}},
		{Pattern: "GET /api/v1/people/imports", Perm: auth.PersonImport, Handle: s.apiImportHistory, Summary: "导入记录", Out: web.Items[importRecordOut]{}},
		{Pattern: "GET /api/v1/people/export.xlsx", Perm: auth.PersonExport, Handle: s.peopleExport, Summary: "导出筛选后的花名册"},
		{Pattern: "GET /api/v1/people/{id}", Perm: auth.PersonRead, Handle: s.apiPersonGet, Summary: "人员详情（证件号、电话脱敏）", Out: personView{}},
		{Pattern: "PATCH /api/v1/people/{id}", Perm: auth.PersonWrite, Handle: s.apiPersonUpdate,
			Summary: "修改人员（只改出现的字段；证件号、电话按读取时的脱敏值原样送回表示不变；所在党组织须经组织关系转接调整）", In: personIn{}, Out: personView{}},
		{Pattern: "POST /api/v1/people/{id}/reveal", Perm: auth.PersonSeeFull, Handle: s.apiPersonReveal, Summary: "查看完整证件号码与电话（记入审计）", Out: personView{}},
		{Pattern: "GET /api/v1/people/{id}/transfers", Perm: auth.PersonRead, Handle: s.apiTransfers, Summary: "组织关系转接记录", Out: web.Items[transferOut]{}},
		{Pattern: "POST /api/v1/people/{id}/transfers", Perm: auth.PersonWrite, Handle: s.apiTransfer, Summary: "组织关系转出或内部调整", In: transferIn{}, Out: transferDone{}},
		{Pattern: "POST /api/v1/people/{id}/account", Perm: auth.MemberAccount, Handle: s.apiPersonAccount, Summary: "为本人开通党员账号（返回一次性临时密码）"},
		{Pattern: "GET /api/v1/me/person", Perm: auth.SelfRead, Handle: s.apiMyPerson, Summary: "本人档案", Out: personView{}},
		{Pattern: "GET /api/v1/me/corrections", Perm: auth.SelfRead, Handle: s.apiMyCorrections, Summary: "本人的档案更正申请", Out: web.Items[correctionView]{}},
		{Pattern: "POST /api/v1/me/corrections", Perm: auth.SelfRead, Handle: s.apiCorrectionRequest, Summary: "本人申请更正档案信息（由所在支部处理）", In: correctionIn{}, Out: correctionView{}},
		{Pattern: "GET /api/v1/corrections", Perm: auth.PersonWrite, Handle: s.apiCorrections, Summary: "范围内待处理的档案更正申请（?all=1 含已处理）", Out: web.Items[correctionView]{}},
		{Pattern: "POST /api/v1/corrections/{id}/decision", Perm: auth.PersonWrite, Handle: s.apiCorrectionDecide, Summary: "受理（accept）或不予更正（decline，须说明理由）", In: decisionIn{}},
	}
}
