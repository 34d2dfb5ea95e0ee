// Package authweb is getting in and out: login, logout, the first-start
// setup link and the change of one's own password.
package authweb

import (
	"embed"
	"io/fs"

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

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /login", Perm: web.Public, Handle: s.loginForm, Summary: "登录页"},
		{Pattern: "POST /login", Perm: web.Public, Handle: s.loginSubmit, Summary: "登录", MaxBody: loginMaxBody},
		{Pattern: "POST /login/code", Perm: web.Public, Handle: s.loginCodeSubmit, Summary: "登录第二步：动态码或恢复码", MaxBody: loginMaxBody},
		{Pattern: "POST /logout", Perm: web.OwnAccount, Handle: s.logout, Summary: "退出登录"},
		{Pattern: "GET /setup", Perm: web.Public, Handle: s.setupForm, Summary: "初始化链接"},
		{Pattern: "POST /setup", Perm: web.Public, Handle: s.setupSubmit, Summary: "创建第一个系统管理员"},
		{Pattern: "GET /password", Perm: web.OwnAccount, Handle: s.passwordForm, Summary: "修改密码", Menu: &web.Menu{Label: "修改密码"}},
		{Pattern: "POST /password", Perm: web.OwnAccount, Handle: s.passwordSubmit, Summary: "保存新密码"},
		{Pattern: "GET /account/second-factor", Perm: web.OwnAccount, Handle: s.ownFactorView, Summary: "两步验证", Menu: &web.Menu{Label: "两步验证"}},
		{Pattern: "POST /account/second-factor/enrol", Perm: web.OwnAccount, Handle: s.ownFactorEnrol, Summary: "绑定身份验证器", MaxBody: loginMaxBody},
		{Pattern: "POST /account/second-factor/recovery-codes", Perm: web.OwnAccount, Handle: s.ownRecoveryCodes, Summary: "重新生成恢复码", MaxBody: loginMaxBody},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "POST /api/v1/auth/login", Perm: web.Public, Handle: s.apiLogin, Summary: "登录，返回会话 Cookie（用户名不超过64个字符）", Out: loginOut{}, MaxBody: loginMaxBody},
		{Pattern: "POST /api/v1/auth/second-step", Perm: web.Public, Handle: s.apiSecondStep, Summary: "登录第二步：提交 challenge 与动态码（或恢复码），返回会话 Cookie", Out: loginOut{}, MaxBody: loginMaxBody},
		{Pattern: "POST /api/v1/auth/logout", Perm: web.OwnAccount, Handle: s.logout, Summary: "退出登录"},
		{Pattern: "GET /api/v1/me", Perm: web.LoggedIn, Handle: s.apiMe, Summary: "当前用户与权限", Out: meOut{}},
		{Pattern: "GET /api/v1/me/second-factor", Perm: web.OwnAccount, Handle: s.apiOwnFactor, Summary: "本人的两步验证状态", Out: ownFactorOut{}},
		{Pattern: "POST /api/v1/me/second-factor/enrol", Perm: web.OwnAccount, Handle: s.apiOwnFactorEnrol, Summary: "绑定身份验证器：不带 challenge 时返回密钥，带 challenge 与动态码时完成绑定并返回恢复码", Out: ownFactorOut{}, MaxBody: loginMaxBody},
		{Pattern: "POST /api/v1/me/second-factor/recovery-codes", Perm: web.OwnAccount, Handle: s.apiOwnRecoveryCodes, Summary: "凭动态码重新生成恢复码（旧恢复码作废）", Out: ownFactorOut{}, MaxBody: loginMaxBody},
		{Pattern: "POST /api/v1/me/password", Perm: web.OwnAccount, Handle: s.apiPassword, Summary: "修改本人密码"},
	}
}
