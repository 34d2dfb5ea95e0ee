// Package orgweb is the organisation tree on the web: the tree, each
// organisation with its committee and history, and the working groups.
package orgweb

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
		{Pattern: "GET /orgs", Perm: auth.OrgRead, Handle: s.orgTree, Summary: "组织体系", Menu: &web.Menu{Label: "组织体系"}},
		{Pattern: "GET /orgs/new", Perm: auth.OrgWrite, Handle: s.orgNewForm, Summary: "新建组织"},
		{Pattern: "GET /orgs/options", Perm: web.LoggedIn, Handle: s.OrgTreeOptions, Summary: "组织下拉列表（展开到所选组织）"},
		{Pattern: "POST /orgs", Perm: auth.OrgWrite, Handle: s.orgCreate, Summary: "保存新组织"},
		{Pattern: "GET /orgs/{id}", Perm: auth.OrgRead, Handle: s.orgShow, Summary: "组织详情"},
		{Pattern: "POST /orgs/{id}", Perm: auth.OrgWrite, Handle: s.orgUpdate, Summary: "修改组织"},
		{Pattern: "POST /orgs/{id}/move", Perm: auth.OrgWrite, Handle: s.orgMove, Summary: "移动组织"},
		{Pattern: "POST /orgs/{id}/close", Perm: auth.OrgWrite, Handle: s.orgClose, Summary: "撤销组织"},
		{Pattern: "POST /orgs/{id}/committee", Perm: auth.OrgWrite, Handle: s.committeeAdd, Summary: "任命支委"},
		{Pattern: "POST /orgs/{id}/committee/{mid}/end", Perm: auth.OrgWrite, Handle: s.committeeEnd, Summary: "支委离任"},
		{Pattern: "GET /groups", Perm: auth.OrgRead, Handle: s.groupList, Summary: "工作小组", Menu: &web.Menu{Label: "工作小组"}},
		{Pattern: "POST /groups", Perm: auth.OrgWrite, Handle: s.groupSave, Summary: "保存工作小组"},
		{Pattern: "GET /groups/{id}/edit", Perm: auth.OrgWrite, Handle: s.groupEditForm, Summary: "编辑工作小组"},
		{Pattern: "POST /groups/{id}", Perm: auth.OrgWrite, Handle: s.groupUpdate, Summary: "保存工作小组的修改"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/orgs", Perm: auth.OrgRead, Handle: s.apiOrgList, Summary: "组织树（本人范围内）", Out: web.Items[orgOut]{}},
		{Pattern: "POST /api/v1/orgs", Perm: auth.OrgWrite, Handle: s.apiOrgCreate, Summary: "新建组织", In: orgIn{}, Out: orgOut{}},
		{Pattern: "GET /api/v1/orgs/{id}", Perm: auth.OrgRead, Handle: s.apiOrgGet, Summary: "组织详情，含班子与换届状态", Out: orgDetailOut{}},
		{Pattern: "PATCH /api/v1/orgs/{id}", Perm: auth.OrgWrite, Handle: s.apiOrgUpdate, Summary: "修改组织（名称、排序、任期开始；上级经“移动”调整）", In: orgIn{}, Out: orgOut{}},
		{Pattern: "POST /api/v1/orgs/{id}/move", Perm: auth.OrgWrite, Handle: s.apiOrgMove, Summary: "移动到新的上级（version 必填）", In: moveIn{}, Out: orgOut{}},
		{Pattern: "POST /api/v1/orgs/{id}/close", Perm: auth.OrgWrite, Handle: s.apiOrgClose, Summary: "撤销组织", In: closeIn{}, Out: orgOut{}},
		{Pattern: "GET /api/v1/orgs/{id}/history", Perm: auth.OrgRead, Handle: s.apiOrgHistory, Summary: "组织沿革", Out: web.Items[orgEventOut]{}},
		{Pattern: "POST /api/v1/orgs/{id}/committee", Perm: auth.OrgWrite, Handle: s.apiCommitteeAdd, Summary: "任命支委", In: seatIn{}, Out: seatOut{}},
		{Pattern: "POST /api/v1/orgs/{id}/committee/{mid}/end", Perm: auth.OrgWrite, Handle: s.apiCommitteeEnd, Summary: "支委离任", In: seatEndIn{}, Out: orgOut{}},
		{Pattern: "GET /api/v1/groups", Perm: auth.OrgRead, Handle: s.apiGroupList, Summary: "工作小组列表（本人范围外的成员只计人数）", Out: web.Items[groupOut]{}},
		{Pattern: "POST /api/v1/groups", Perm: auth.OrgWrite, Handle: s.apiGroupCreate, Summary: "新建工作小组", In: groupIn{}, Out: groupOut{}},
		{Pattern: "PATCH /api/v1/groups/{id}", Perm: auth.OrgWrite, Handle: s.apiGroupUpdate, Summary: "修改工作小组（members 出现时替换本人范围内的成员，范围外的成员保留）", In: groupIn{}, Out: groupOut{}},
	}
}
