package web

import (
	"dangjian/internal/auth"
)

// page is what every page's template gets besides its own data.
type page struct {
	Title  string
	User   *auth.User
	Menu   []menuItem
	Active string
	Notice string            // a one-line success message
	Errors map[string]string // field → Chinese message, beside each field
}

type menuItem struct {
	Path, Label string
	Active      bool
}

// menu lists what the role may open; nothing is shown that would be refused.
var menu = []struct {
	path, label string
	perm        auth.Perm
}{
	{"/", "工作台", loggedIn},
	{"/orgs", "组织体系", auth.OrgRead},
	{"/groups", "工作小组", auth.OrgRead},
	{"/people", "党员花名册", auth.PersonRead},
	{"/people/import", "导入花名册", auth.PersonImport},
	{"/me", "我的档案", auth.SelfRead},
	{"/users", "账号管理", auth.UserManage},
	{"/security", "账号安全", auth.SecurityManage},
	{"/dicts", "数据字典", auth.DictWrite},
	{"/audit", "审计日志", auth.AuditRead},
	{"/password", "修改密码", loggedIn},
}

// base fills the common part of a page for the caller.
func (s *Server) base(c *call, title, active string) page {
	p := page{Title: title, User: c.user, Active: active}
	if c.user == nil {
		return p
	}
	for _, m := range menu {
		if m.perm == loggedIn || c.user.Role.Can(m.perm) {
			if m.path == "/me" && c.user.PersonID == 0 {
				continue
			}
			p.Menu = append(p.Menu, menuItem{m.path, m.label, m.path == active})
		}
	}
	return p
}
