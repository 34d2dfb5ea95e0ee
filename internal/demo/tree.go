package demo

import (
	"context"
	"fmt"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
)

// Names in the tree that roster.go and leaders.go refer to.
const (
	unitOffice   = "市委政法委机关"
	unitCourt    = "市中级人民法院"
	unitProcur   = "市人民检察院"
	unitPolice   = "市公安局"
	unitJustice  = "市司法局"
	unit610      = "市委610办公室"
	unitLawSoc   = "市法学会"
	rootName     = "市委政法委机关党委"
	townshipName = "东风街道"
)

var unitNames = []string{unitOffice, unitCourt, unitProcur, unitPolice, unitJustice, unit610, unitLawSoc}

var branchNames = [3]string{"第一党支部", "第二党支部", "第三党支部"}

// tree is the demo 政法委's organisation tree.
type tree struct {
	root     org.Org
	branches [3]org.Org
	groups   [3][2]org.Org
	units    map[string]org.Org
	unitList []org.Org
	township org.Org
	villages [2]org.Org
	grids    []org.Org
	school   org.Org
}

// termStarts dates each committee's election so that the 换届 reminders have
// something to show: 第三党支部's three-year term ran out two months ago, the
// others are well within theirs.
func termStarts(today date.Date) (root date.Date, branches [3]date.Date) {
	root = today.AddDate(-1, -6, 0)
	branches = [3]date.Date{
		today.AddDate(0, -10, 0),
		today.AddDate(-2, 0, 0),
		today.AddDate(-3, -2, 0),
	}
	return
}

// buildTree creates 机关党委 → 党支部 → 党小组, the units, a township with
// villages and grids, and a school.
func buildTree(ctx context.Context, st *store.Store, today date.Date) (*tree, error) {
	tr := &tree{units: map[string]org.Org{}}
	order := 0
	mk := func(o *org.Org, parent int64, kind org.Kind, name string, term date.Date) error {
		order++
		*o = org.Org{ParentID: parent, Kind: kind, Name: name, SortOrder: order, TermStart: term}
		if err := st.CreateOrg(ctx, audit.System, auth.Everything, o); err != nil {
			return fmt.Errorf("demo: organisation %s: %w", name, err)
		}
		return nil
	}
	rootTerm, branchTerms := termStarts(today)
	if err := mk(&tr.root, 0, org.Committee, rootName, rootTerm); err != nil {
		return nil, err
	}
	for i, name := range branchNames {
		if err := mk(&tr.branches[i], tr.root.ID, org.Branch, name, branchTerms[i]); err != nil {
			return nil, err
		}
		for j, g := range []string{"第一党小组", "第二党小组"} {
			if err := mk(&tr.groups[i][j], tr.branches[i].ID, org.Group, g, date.Date{}); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range unitNames {
		var u org.Org
		if err := mk(&u, tr.root.ID, org.Unit, name, date.Date{}); err != nil {
			return nil, err
		}
		tr.units[name] = u
		tr.unitList = append(tr.unitList, u)
	}
	if err := mk(&tr.township, tr.root.ID, org.Township, townshipName, date.Date{}); err != nil {
		return nil, err
	}
	for i, v := range []string{"东风社区", "前进村"} {
		if err := mk(&tr.villages[i], tr.township.ID, org.Village, v, date.Date{}); err != nil {
			return nil, err
		}
		for _, g := range []string{"第一网格", "第二网格"} {
			var grid org.Org
			if err := mk(&grid, tr.villages[i].ID, org.Grid, g, date.Date{}); err != nil {
				return nil, err
			}
			tr.grids = append(tr.grids, grid)
		}
	}
	if err := mk(&tr.school, tr.township.ID, org.School, "东风街道中心小学", date.Date{}); err != nil {
		return nil, err
	}
	return tr, nil
}
