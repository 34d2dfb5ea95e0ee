package auditweb

import (
	"context"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/web"
)

// Due tells the audit administrator, first thing on the 工作台, when the
// database no longer protects the log (a trigger was dropped by hand).
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if !c.Can(auth.AuditRead) {
		return nil, nil
	}
	missing, err := s.st.AuditProtected(ctx)
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	return []web.DueItem{{Label: "审计日志的防篡改保护已缺失，请立即联系系统运维核查", Link: "/audit",
		Detail: "缺少数据库触发器：" + strings.Join(missing, "、"), Late: true}}, nil
}
