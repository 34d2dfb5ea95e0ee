package demo

import (
	"context"
	"fmt"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
)

// Account is a demo login, printed by `dangjian demo` so a visitor can try
// every role.
type Account struct {
	Role     auth.Role
	Username string
	Password string
	Note     string // what the account shows, in Chinese
}

// demoAccount is an Account with what Load needs to create it.
type demoAccount struct {
	Account
	display string
	// where picks the account's organisation and linked person from the
	// demo data; nil for the three administrators, who have neither.
	where func(tr *tree, c *cast) (orgID, personID int64)
}

// demoAccounts are the accounts, one per role, and two branch secretaries to
// show that branches cannot see each other. The passwords are memorable but
// pass auth.DefaultPasswordPolicy (a test holds them to it); MustChange stays
// off so the printed password keeps working.
var demoAccounts = []demoAccount{
	{Account: Account{auth.SystemAdmin, "sysadmin", "Demo#2026sys", "管理账号、字典和系统设置，看不到党员信息"}, display: "系统管理员"},
	{Account: Account{auth.SecurityAdmin, "secadmin", "Demo#2026sec", "解锁账号、重置密码、停用和启用账号，看不到党员信息"}, display: "安全管理员"},
	{Account: Account{auth.AuditAdmin, "auditor", "Demo#2026aud", "只能查看审计日志"}, display: "审计管理员"},
	{Account: Account{auth.CommitteeAdmin, "committee", "Demo#2026jgdw", "机关党委副书记，管理整个机关党委：三个党支部、各单位和基层治理组织"},
		where: func(tr *tree, c *cast) (int64, int64) { return tr.root.ID, c.list[c.execDeputy].ID }},
	{Account: Account{auth.BranchAdmin, "branch1", "Demo#2026zb1", "第一党支部书记，只能看到本支部"},
		where: func(tr *tree, c *cast) (int64, int64) { return tr.branches[0].ID, c.list[c.committees[0][0]].ID }},
	{Account: Account{auth.BranchAdmin, "branch2", "Demo#2026zb2", "第二党支部书记，只能看到本支部，看不到第一党支部"},
		where: func(tr *tree, c *cast) (int64, int64) { return tr.branches[1].ID, c.list[c.committees[1][0]].ID }},
	{Account: Account{auth.Member, "member", "Demo#2026dy", "第一党支部党员，只能看到本人的记录"},
		where: func(tr *tree, c *cast) (int64, int64) { return tr.branches[0].ID, c.list[c.member].ID }},
}

// accounts lists the demo accounts with their passwords.
func accounts() []Account {
	out := make([]Account, len(demoAccounts))
	for i, a := range demoAccounts {
		out[i] = a.Account
	}
	return out
}

// createAccounts creates the demo accounts; those linked to a person carry
// the person's name.
func createAccounts(ctx context.Context, st *store.Store, tr *tree, c *cast) error {
	byID := map[int64]string{}
	for _, p := range c.list {
		byID[p.ID] = p.Name
	}
	for _, a := range demoAccounts {
		hash, err := auth.HashPassword(a.Password)
		if err != nil {
			return err
		}
		u := auth.User{Username: a.Username, DisplayName: a.display, Role: a.Role, PasswordHash: hash}
		if a.where != nil {
			u.OrgID, u.PersonID = a.where(tr, c)
			u.DisplayName = byID[u.PersonID]
		}
		if err := st.CreateUser(ctx, audit.System, &u); err != nil {
			return fmt.Errorf("demo: account %s: %w", a.Username, err)
		}
	}
	return nil
}
