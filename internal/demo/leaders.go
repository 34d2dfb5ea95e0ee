package demo

import (
	"context"
	"fmt"
	"slices"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// seatCommittees elects the committees: 书记 and 副书记 of the 机关党委, a
// secretary and three members in each branch (the seed's "书记3名、支委成员9名"),
// and a 党小组组长 in each group, all from their organisation's term start.
func seatCommittees(ctx context.Context, st *store.Store, tr *tree, c *cast) error {
	seat := func(orgID int64, p *people.Person, position, duty string, from date.Date) error {
		m := org.CommitteeMember{OrgID: orgID, PersonID: p.ID, Position: position, Duty: duty, From: from}
		if err := st.AddCommitteeMember(ctx, audit.System, auth.Everything, &m); err != nil {
			return fmt.Errorf("demo: %s %s: %w", position, p.Name, err)
		}
		return nil
	}
	if err := seat(tr.root.ID, &c.list[c.secretary], "书记", "主持机关党委全面工作，履行管党治党第一责任人职责", tr.root.TermStart); err != nil {
		return err
	}
	if err := seat(tr.root.ID, &c.list[c.execDeputy], "副书记", "协助书记抓好机关党建日常工作，分管组织和纪检", tr.root.TermStart); err != nil {
		return err
	}
	for i, b := range tr.branches {
		for k, s := range branchSeats {
			if err := seat(b.ID, &c.list[c.committees[i][k]], s.position, s.duty, b.TermStart); err != nil {
				return err
			}
		}
		for k, g := range tr.groups[i] {
			if err := seat(g.ID, &c.list[c.groupLeaders[i][k]], "党小组组长", "组织党小组会和党员日常学习", b.TermStart); err != nil {
				return err
			}
		}
	}
	return nil
}

// setUpGroups creates the seed's 党史学习教育领导小组 (the 政法委书记 as 组长,
// the other leaders as 副组长, 科级 cadres as members, a 副科级 cadre running
// its office) and one of its 党员攻坚小组.
func setUpGroups(ctx context.Context, st *store.Store, tr *tree, c *cast, today date.Date) error {
	history := org.WorkingGroup{
		OrgID:   tr.root.ID,
		Name:    "党史学习教育领导小组",
		Purpose: "统筹全委党史学习教育，研究制定实施方案，定期听取工作情况汇报，部署专题学习、专题读书班和“我为群众办实事”实践活动，督促检视问题整改落实。",
		Office:  "党史学习教育领导小组办公室",
		SetUpOn: today.AddDate(0, 0, -170),
	}
	seat := func(g *org.WorkingGroup, i int, role org.GroupRole) {
		g.Members = append(g.Members, org.WorkingGroupMember{PersonID: c.list[i].ID, Role: role})
	}
	seat(&history, c.secretary, org.Leader)
	for _, i := range []int{c.execDeputy, c.deputy, c.head610, c.lawSociety} {
		seat(&history, i, org.DeputyLeader)
	}
	seat(&history, c.officeHead, org.OfficeHead)
	taken := []int{c.secretary, c.execDeputy, c.deputy, c.head610, c.lawSociety, c.officeHead}
	for _, i := range c.pick(6, taken, func(p *people.Person) bool { return p.Position == "科长" }) {
		seat(&history, i, org.GroupMember)
	}
	if err := st.SaveWorkingGroup(ctx, audit.System, auth.Everything, &history); err != nil {
		return fmt.Errorf("demo: %s: %w", history.Name, err)
	}

	// The task force is drawn from the police, the court and the procuratorate.
	frontline := map[int64]bool{tr.units[unitPolice].ID: true, tr.units[unitCourt].ID: true, tr.units[unitProcur].ID: true}
	force := org.WorkingGroup{
		OrgID:   tr.root.ID,
		Name:    "扫黑除恶党员攻坚组",
		Purpose: "攻坚目标：涉黑涉恶线索全部核查办结，依法打掉涉恶团伙，深挖彻查“保护伞”，推动行业领域乱象整治。",
		Office:  "扫黑除恶斗争领导小组办公室",
		SetUpOn: today.AddDate(0, 0, -150),
	}
	seat(&force, c.execDeputy, org.Leader)
	picked := c.pick(7, []int{c.execDeputy}, func(p *people.Person) bool {
		return p.Status.IsMember() && frontline[p.UnitID] && (p.Position == "科长" || p.Position == "副科长" || p.Position == "一级主任科员")
	})
	for k, i := range picked {
		role := org.GroupMember
		if k == 0 {
			role = org.DeputyLeader
		}
		seat(&force, i, role)
	}
	if err := st.SaveWorkingGroup(ctx, audit.System, auth.Everything, &force); err != nil {
		return fmt.Errorf("demo: %s: %w", force.Name, err)
	}
	return nil
}

// pick returns up to n indexes of current members of list that match ok and
// are not in taken, in list order.
func (c *cast) pick(n int, taken []int, ok func(*people.Person) bool) []int {
	var out []int
	for i := range c.list {
		p := &c.list[i]
		if len(out) == n {
			break
		}
		if slices.Contains(taken, i) || slices.Contains(c.leaving, i) || !p.Status.IsMember() || !ok(p) {
			continue
		}
		out = append(out, i)
	}
	return out
}
