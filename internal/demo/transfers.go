package demo

import (
	"context"
	"fmt"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Where the arrivals came from and where the leavers went.
var (
	arrivalSources = []string{"山东大学法学院学生第一党支部", "山东政法学院研究生党支部", "华东政法大学刑事法学院党委",
		"历下区人民法院机关党支部", "历城区委政法委机关党支部"}
	leavingTargets = []string{"省委政法委机关党委", "市委组织部机关党委"}
)

// recordTransfers writes this half-year's 组织关系转接: new civil servants
// arriving from outside, two members leaving for other posts, and one moved
// between the 党小组 of 第一党支部.
func recordTransfers(ctx context.Context, st *store.Store, tr *tree, c *cast, g *gen) error {
	today := g.today
	for k := range c.arrivals {
		t := people.Transfer{Direction: people.TransferIn, On: today.AddDate(0, 0, -20-g.rng.IntN(140)),
			External: arrivalSources[k%len(arrivalSources)], Note: "新录用公务员，组织关系转入", ToOrgID: c.arrivals[k].OrgID}
		if err := t.Validate(today); err != nil {
			return err
		}
		if err := st.TransferIn(ctx, audit.System, auth.Everything, &c.arrivals[k], &t); err != nil {
			return fmt.Errorf("demo: transfer in %s: %w", c.arrivals[k].Name, err)
		}
	}
	moves := make([]people.Transfer, 0, len(c.leaving)+1)
	for k, i := range c.leaving {
		moves = append(moves, people.Transfer{PersonID: c.list[i].ID, Direction: people.TransferOut,
			On: today.AddDate(0, 0, -30-g.rng.IntN(90)), External: leavingTargets[k%len(leavingTargets)], Note: "工作调动"})
	}
	moves = append(moves, people.Transfer{PersonID: c.list[c.moving].ID, Direction: people.TransferMove,
		On: today.AddDate(0, 0, -60), ToOrgID: tr.groups[0][1].ID, Note: "党小组调整"})
	for k := range moves {
		if err := moves[k].Validate(today); err != nil {
			return err
		}
		if err := st.Transfer(ctx, audit.System, auth.Everything, &moves[k]); err != nil {
			return fmt.Errorf("demo: transfer: %w", err)
		}
	}
	return nil
}
