// Package auditweb is the audit administrator's view of the audit log:
// filter, read what changed field by field, export.
package auditweb

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
		{Pattern: "GET /audit", Perm: auth.AuditRead, Handle: s.auditList, Summary: "审计日志", Menu: &web.Menu{Label: "审计日志"}},
		{Pattern: "GET /audit/export.xlsx", Perm: auth.AuditRead, Handle: s.auditExport, Summary: "导出审计日志"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/audit", Perm: auth.AuditRead, Handle: s.apiAuditList, Summary: "审计日志（筛选、分页）", Out: web.List[entryOut]{}},
	}
}
