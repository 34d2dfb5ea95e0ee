package web

import "dangjian/internal/auth"

// pageRoutes is the route table of the web pages. The permission each route
// needs stands next to it; the menu (page.go) shows only what it allows.
// State never changes on GET.
func (s *Server) pageRoutes() []route {
	return []route{
		{"GET /login", public, s.loginForm, "登录页"},
		{"POST /login", public, s.loginSubmit, "登录"},
		{"POST /logout", ownAccount, s.logout, "退出登录"},
		{"GET /setup", public, s.setupForm, "初始化链接"},
		{"POST /setup", public, s.setupSubmit, "创建第一个系统管理员"},
		{"GET /password", ownAccount, s.passwordForm, "修改密码"},
		{"POST /password", ownAccount, s.passwordSubmit, "保存新密码"},
		{"GET /{$}", loggedIn, s.home, "工作台"},

		{"GET /orgs", auth.OrgRead, s.orgTree, "组织体系"},
		{"GET /orgs/new", auth.OrgWrite, s.orgNewForm, "新建组织"},
		{"POST /orgs", auth.OrgWrite, s.orgCreate, "保存新组织"},
		{"GET /orgs/{id}", auth.OrgRead, s.orgShow, "组织详情"},
		{"POST /orgs/{id}", auth.OrgWrite, s.orgUpdate, "修改组织"},
		{"POST /orgs/{id}/move", auth.OrgWrite, s.orgMove, "移动组织"},
		{"POST /orgs/{id}/close", auth.OrgWrite, s.orgClose, "撤销组织"},
		{"POST /orgs/{id}/committee", auth.OrgWrite, s.committeeAdd, "任命支委"},
		{"POST /orgs/{id}/committee/{mid}/end", auth.OrgWrite, s.committeeEnd, "支委离任"},
		{"GET /groups", auth.OrgRead, s.groupList, "工作小组"},
		{"POST /groups", auth.OrgWrite, s.groupSave, "保存工作小组"},

		{"GET /people", auth.PersonRead, s.peopleList, "党员花名册"},
		{"GET /people/new", auth.PersonWrite, s.personNewForm, "新增人员"},
		{"POST /people", auth.PersonWrite, s.personCreate, "保存新人员"},
		{"GET /people/export.xlsx", auth.PersonExport, s.peopleExport, "导出花名册"},
		{"GET /people/template.xlsx", auth.PersonImport, s.peopleTemplate, "下载导入模板"},
		{"GET /people/import", auth.PersonImport, s.importForm, "导入花名册"},
		{"POST /people/import", auth.PersonImport, s.importSubmit, "上传并导入花名册"},
		{"GET /imports/{id}", auth.PersonImport, s.importStatus, "导入进度与结果"},
		{"GET /people/{id}", auth.PersonRead, s.personShow, "人员详情"},
		{"GET /people/{id}/edit", auth.PersonWrite, s.personEditForm, "编辑人员"},
		{"POST /people/{id}", auth.PersonWrite, s.personUpdate, "保存人员"},
		{"POST /people/{id}/reveal", auth.PersonSeeFull, s.personReveal, "查看完整证件号码与电话"},
		{"POST /people/{id}/transfer", auth.PersonWrite, s.personTransfer, "组织关系转接"},
		{"POST /people/{id}/account", auth.MemberAccount, s.personAccount, "为本人开通党员账号"},
		{"GET /me", auth.SelfRead, s.me, "我的档案"},

		{"GET /users", auth.UserManage, s.userList, "账号管理"},
		{"POST /users", auth.UserManage, s.userCreate, "新建账号"},
		{"POST /users/roots", auth.UserManage, s.rootOrgCreate, "新建顶级组织"},
		{"GET /security", auth.SecurityManage, s.securityList, "账号安全"},
		{"POST /security/{id}/reset", auth.SecurityManage, s.userReset, "重置密码"},
		{"POST /security/{id}/disable", auth.SecurityManage, s.userDisable, "停用账号"},
		{"POST /security/{id}/enable", auth.SecurityManage, s.userEnable, "启用账号"},
		{"POST /security/{id}/unlock", auth.SecurityManage, s.userUnlock, "解锁账号"},
		{"GET /dicts", auth.DictWrite, s.dictList, "数据字典"},
		{"POST /dicts/{name}", auth.DictWrite, s.dictSave, "保存字典项"},
		{"GET /audit", auth.AuditRead, s.auditList, "审计日志"},
		{"GET /audit/export.xlsx", auth.AuditRead, s.auditExport, "导出审计日志"},
	}
}

// apiRoutes is the route table of the JSON API; /api/v1/openapi.json is made
// from it, so the document always matches what the server answers.
func (s *Server) apiRoutes() []route {
	return []route{
		{"POST /api/v1/auth/login", public, s.apiLogin, "登录，返回会话 Cookie"},
		{"POST /api/v1/auth/logout", ownAccount, s.logout, "退出登录"},
		{"GET /api/v1/me", loggedIn, s.apiMe, "当前用户与权限"},
		{"POST /api/v1/me/password", ownAccount, s.apiPassword, "修改本人密码"},

		{"GET /api/v1/orgs", auth.OrgRead, s.apiOrgList, "组织树（本人范围内）"},
		{"POST /api/v1/orgs", auth.OrgWrite, s.apiOrgCreate, "新建组织"},
		{"GET /api/v1/orgs/{id}", auth.OrgRead, s.apiOrgGet, "组织详情，含班子与换届状态"},
		{"PUT /api/v1/orgs/{id}", auth.OrgWrite, s.apiOrgUpdate, "修改组织（名称、排序、任期开始）"},
		{"POST /api/v1/orgs/{id}/move", auth.OrgWrite, s.apiOrgMove, "移动到新的上级"},
		{"POST /api/v1/orgs/{id}/close", auth.OrgWrite, s.apiOrgClose, "撤销组织"},
		{"GET /api/v1/orgs/{id}/history", auth.OrgRead, s.apiOrgHistory, "组织沿革"},
		{"POST /api/v1/orgs/{id}/committee", auth.OrgWrite, s.apiCommitteeAdd, "任命支委"},
		{"POST /api/v1/orgs/{id}/committee/{mid}/end", auth.OrgWrite, s.apiCommitteeEnd, "支委离任"},
		{"GET /api/v1/groups", auth.OrgRead, s.apiGroupList, "工作小组列表"},
		{"POST /api/v1/groups", auth.OrgWrite, s.apiGroupSave, "新建或修改工作小组"},

		{"GET /api/v1/people", auth.PersonRead, s.apiPeopleList, "花名册（筛选、排序、分页）"},
		{"POST /api/v1/people", auth.PersonWrite, s.apiPersonCreate, "新增人员"},
		{"POST /api/v1/people/import", auth.PersonImport, s.apiImport, "导入花名册 xlsx（multipart 字段 file）"},
		{"GET /api/v1/people/export.xlsx", auth.PersonExport, s.peopleExport, "导出筛选后的花名册"},
		{"GET /api/v1/people/{id}", auth.PersonRead, s.apiPersonGet, "人员详情（证件号、电话按权限脱敏）"},
		{"PUT /api/v1/people/{id}", auth.PersonWrite, s.apiPersonUpdate, "修改人员"},
		{"POST /api/v1/people/{id}/reveal", auth.PersonSeeFull, s.apiPersonReveal, "查看完整证件号码与电话（记入审计）"},
		{"GET /api/v1/people/{id}/transfers", auth.PersonRead, s.apiTransfers, "组织关系转接记录"},
		{"POST /api/v1/people/{id}/transfers", auth.PersonWrite, s.apiTransfer, "组织关系转出或内部调整"},
		{"POST /api/v1/people/{id}/account", auth.MemberAccount, s.apiPersonAccount, "为本人开通党员账号（返回一次性临时密码）"},
		{"GET /api/v1/me/person", auth.SelfRead, s.apiMyPerson, "本人档案"},

		{"GET /api/v1/dicts/{name}", loggedIn, s.apiDictItems, "字典条目"},
		{"POST /api/v1/dicts/{name}", auth.DictWrite, s.apiDictSave, "新增或修改字典条目"},
		{"GET /api/v1/users", auth.UserRead, s.apiUserList, "账号列表"},
		{"POST /api/v1/users", auth.UserManage, s.apiUserCreate, "新建账号"},
		{"POST /api/v1/users/{id}/reset-password", auth.SecurityManage, s.apiUserReset, "重置密码（下次登录须修改）"},
		{"POST /api/v1/users/{id}/disable", auth.SecurityManage, s.apiUserDisable, "停用账号"},
		{"POST /api/v1/users/{id}/enable", auth.SecurityManage, s.apiUserEnable, "启用账号"},
		{"POST /api/v1/users/{id}/unlock", auth.SecurityManage, s.apiUserUnlock, "解锁账号"},
		{"GET /api/v1/audit", auth.AuditRead, s.apiAuditList, "审计日志（筛选、分页）"},
	}
}

// RouteInfo describes a route for tests and documentation.
type RouteInfo struct {
	Pattern string
	Perm    auth.Perm
	Summary string
	API     bool
}

// Routes lists both route tables.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range s.pageRoutes() {
		out = append(out, RouteInfo{rt.pattern, rt.perm, rt.summary, false})
	}
	for _, rt := range s.apiRoutes() {
		out = append(out, RouteInfo{rt.pattern, rt.perm, rt.summary, true})
	}
	return out
}
