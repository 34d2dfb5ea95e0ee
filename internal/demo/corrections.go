package demo

import (
	"context"
	"fmt"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// reportCorrection has the demo member report a wrong entry in their record
// from 我的档案, so the branch secretary finds one waiting on the 工作台.
func reportCorrection(ctx context.Context, st *store.Store, c *cast) error {
	u, err := st.UserByUsername(ctx, "member")
	if err != nil {
		return fmt.Errorf("demo: correction: %w", err)
	}
	p := c.list[c.member]
	corr := people.Correction{PersonID: p.ID, Text: "我的学历已于今年取得在职研究生学历，请更新为“硕士研究生”。"}
	a := audit.Actor{UserID: u.ID, Username: u.Username, IP: "local"}
	if err := st.RequestCorrection(ctx, a, auth.Scope{OrgPath: "/", PersonID: p.ID}, &corr); err != nil {
		return fmt.Errorf("demo: correction: %w", err)
	}
	return nil
}
