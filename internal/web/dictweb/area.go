// Package dictweb is where the system administrator edits the dictionaries
// behind the dropdowns (学历, 民族, 职务, 班子职务).
package dictweb

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
		{Pattern: "GET /dicts", Perm: auth.DictWrite, Handle: s.dictList, Summary: "数据字典", Menu: &web.Menu{Label: "数据字典"}},
		{Pattern: "POST /dicts/{name}", Perm: auth.DictWrite, Handle: s.dictSave, Summary: "保存字典项"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/dicts/{name}", Perm: web.LoggedIn, Handle: s.apiDictItems, Summary: "字典条目", Out: dictOut{}},
		{Pattern: "POST /api/v1/dicts/{name}", Perm: auth.DictWrite, Handle: s.apiDictCreate, Summary: "新增字典条目", In: dictItemIn{}, Out: dictItemOut{}},
		{Pattern: "PATCH /api/v1/dicts/{name}/{id}", Perm: auth.DictWrite, Handle: s.apiDictUpdate, Summary: "修改字典条目", In: dictItemIn{}, Out: dictItemOut{}},
	}
}
