// Package accountweb is where the account administrators work: the system
// administrator proposes accounts and creates top organisations (账号管理);
// the security administrator activates proposed accounts, and resets,
// unlocks and disables accounts (账号安全). Neither alone can make a login
// that works.
package accountweb

import (
	"embed"
	"io/fs"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed templates
var templates embed.FS

type area struct {
	*web.Server
	st *store.Store
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /users", Perm: auth.UserManage, Handle: s.userList, Summary: "账号管理", Menu: &web.Menu{Label: "账号管理"}},
		{Pattern: "POST /users", Perm: auth.UserManage, Handle: s.userCreate, Summary: "新建账号（待安全管理员核准激活）"},
		{Pattern: "GET /users/pick-person", Perm: auth.UserManage, Handle: s.pickPerson, Summary: "选择关联人员（姓名或拼音首字母）"},
		{Pattern: "GET /users/{id}/edit", Perm: auth.UserManage, Handle: s.accountEditForm, Summary: "编辑账号"},
		{Pattern: "POST /users/{id}", Perm: auth.UserManage, Handle: s.accountUpdate, Summary: "保存账号的修改（姓名、管理范围、关联人员）"},
		{Pattern: "POST /users/roots", Perm: auth.UserManage, Handle: s.rootOrgCreate, Summary: "新建顶级组织"},
		{Pattern: "GET /security", Perm: auth.SecurityManage, Handle: s.securityList, Summary: "账号安全", Menu: &web.Menu{Label: "账号安全"}},
		{Pattern: "POST /security/{id}/activate", Perm: auth.SecurityManage, Handle: s.userActivate, Summary: "核准激活账号（发放临时密码）"},
		{Pattern: "POST /security/{id}/reject", Perm: auth.SecurityManage, Handle: s.userReject, Summary: "驳回待激活账号"},
		{Pattern: "POST /security/{id}/reset", Perm: auth.SecurityManage, Handle: s.userReset, Summary: "重置密码"},
		{Pattern: "POST /security/{id}/disable", Perm: auth.SecurityManage, Handle: s.userDisable, Summary: "停用账号"},
		{Pattern: "POST /security/{id}/enable", Perm: auth.SecurityManage, Handle: s.userEnable, Summary: "启用账号"},
		{Pattern: "POST /security/{id}/unlock", Perm: auth.SecurityManage, Handle: s.userUnlock, Summary: "解锁账号"},
		{Pattern: "POST /security/{id}/second-factor/reset", Perm: auth.SecurityManage, Handle: s.userResetSecondFactor, Summary: "重置两步验证（手机丢失，本人下次登录重新绑定）"},
		{Pattern: "POST /security/second-factor-roles", Perm: auth.SecurityManage, Handle: s.roleFactorsSubmit, Summary: "设置须使用两步验证的角色"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/users", Perm: auth.UserRead, Handle: s.apiUserList, Summary: "账号列表"},
		{Pattern: "POST /api/v1/users", Perm: auth.UserManage, Handle: s.apiUserCreate, Summary: "新建账号（无密码，待安全管理员核准激活）", Out: accountOut{}},
		{Pattern: "PATCH /api/v1/users/{id}", Perm: auth.UserManage, Handle: s.apiAccountUpdate, Summary: "修改账号的姓名、管理范围和关联人员（version 必填；用户名和角色不能修改）", In: accountIn{}, Out: accountOut{}},
		{Pattern: "POST /api/v1/users/{id}/activate", Perm: auth.SecurityManage, Handle: s.apiUserActivate, Summary: "核准激活账号（返回一次性临时密码）", Out: accountOut{}},
		{Pattern: "POST /api/v1/users/{id}/reject", Perm: auth.SecurityManage, Handle: s.apiUserReject, Summary: "驳回待激活账号"},
		{Pattern: "POST /api/v1/users/{id}/reset-password", Perm: auth.SecurityManage, Handle: s.apiUserReset, Summary: "重置密码（下次登录须修改）"},
		{Pattern: "POST /api/v1/users/{id}/disable", Perm: auth.SecurityManage, Handle: s.apiUserDisable, Summary: "停用账号"},
		{Pattern: "POST /api/v1/users/{id}/enable", Perm: auth.SecurityManage, Handle: s.apiUserEnable, Summary: "启用账号"},
		{Pattern: "POST /api/v1/users/{id}/unlock", Perm: auth.SecurityManage, Handle: s.apiUserUnlock, Summary: "解锁账号"},
		{Pattern: "POST /api/v1/users/{id}/second-factor/reset", Perm: auth.SecurityManage, Handle: s.apiUserResetSecondFactor, Summary: "重置两步验证（结束其会话，本人下次登录重新绑定）", Out: accountOut{}},
		{Pattern: "GET /api/v1/security/second-factor-roles", Perm: auth.SecurityManage, Handle: s.apiRoleFactors, Summary: "各角色是否须使用两步验证", Out: web.Items[roleFactor]{}},
		{Pattern: "PUT /api/v1/security/second-factor-roles", Perm: auth.SecurityManage, Handle: s.apiRoleFactorsPut, Summary: "设置须使用两步验证的角色（{\"roles\": [...]}；三类管理员始终须使用）", Out: web.Items[roleFactor]{}},
	}
}
