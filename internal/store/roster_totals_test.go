package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// The roster's total for a whole subtree comes from per-organisation counts
// (org_people); it must match the count over people after arrivals,
// transfers out, moves and a reorganised tree.
func TestRosterTotalsFollowChanges(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		var ids []int64
		for i, o := range []int64{tr.b1.ID, tr.b1.ID, tr.g1.ID, tr.b2.ID} {
			p := newPerson(o, []string{"张伟", "李娜", "王强", "赵敏"}[i], "19850312", []string{"111", "222", "333", "444"}[i])
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		on := date.MustParse("2026-06-01")
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: ids[0], Direction: people.TransferOut, On: on, External: "省司法厅机关党委"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: ids[1], Direction: people.TransferMove, On: on, ToOrgID: tr.b2.ID}); err != nil {
			t.Fatal(err)
		}
		check := func(when string, want map[string]int) {
			t.Helper()
			for name, c := range map[string]struct {
				sc  auth.Scope
				org int64
			}{
				"b1": {auth.Scope{OrgPath: tr.b1.Path}, 0}, "b2": {auth.Scope{OrgPath: tr.b2.Path}, 0},
				"committee?org=b1": {auth.Scope{OrgPath: tr.committee.Path}, tr.b1.ID}, "all": {auth.Everything, 0},
			} {
				plain, err := s.People(ctx, c.sc, store.PersonFilter{OrgID: c.org})
				if err != nil {
					t.Fatal(err)
				}
				// A filter that every person passes takes the counting path.
				counted, err := s.People(ctx, c.sc, store.PersonFilter{OrgID: c.org, Statuses: people.Statuses})
				if err != nil {
					t.Fatal(err)
				}
				if plain.Total != want[name] || counted.Total != want[name] || len(plain.Items) != want[name] {
					t.Errorf("%s, %s: total %d (counted %d, %d listed), want %d", when, name, plain.Total, counted.Total, len(plain.Items), want[name])
				}
			}
		}
		check("after transfers", map[string]int{"b1": 1, "b2": 2, "committee?org=b1": 1, "all": 3})
		fetched, err := s.Org(ctx, auth.Everything, tr.g1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MoveOrg(ctx, admin, auth.Everything, tr.g1.ID, tr.b2.ID, fetched.Version); err != nil {
			t.Fatal(err)
		}
		check("after moving the group", map[string]int{"b1": 0, "b2": 3, "committee?org=b1": 0, "all": 3})
	})
}
