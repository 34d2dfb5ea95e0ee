package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestImportOrgsLabelsLikeCreateOrg: branches with same-named groups
// imported in one call get the labels CreateOrg one by one gives
// (第一党支部 › 第一党小组); a batch with a bad node writes nothing.
func TestImportOrgsLabelsLikeCreateOrg(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		labels := func(bulk bool) []string {
			st := storetest.Open(t, d, nil)
			root := org.Org{Kind: org.Committee, Name: "机关党委"}
			if err := st.CreateOrg(ctx, admin, auth.Everything, &root); err != nil {
				t.Fatal(err)
			}
			var branches, groups []*org.Org
			for _, n := range []string{"第一党支部", "第二党支部"} {
				branches = append(branches, &org.Org{ParentID: root.ID, Kind: org.Branch, Name: n})
			}
			create := func(list []*org.Org) {
				if bulk {
					if err := st.ImportOrgs(ctx, admin, auth.Everything, list); err != nil {
						t.Fatal(err)
					}
					return
				}
				for _, o := range list {
					if err := st.CreateOrg(ctx, admin, auth.Everything, o); err != nil {
						t.Fatal(err)
					}
				}
			}
			create(branches)
			for _, b := range branches {
				groups = append(groups, &org.Org{ParentID: b.ID, Kind: org.Group, Name: "第一党小组"})
			}
			create(groups)
			if bulk {
				bad := []*org.Org{{ParentID: root.ID, Kind: org.Branch, Name: "第三党支部"}, {ParentID: root.ID, Kind: org.Branch, Name: "第一党支部"}}
				if err := st.ImportOrgs(ctx, admin, auth.Everything, bad); fieldOf(err) != "name" {
					t.Errorf("a batch with a taken name: %v, want refused on name", err)
				}
			}
			all, err := st.OrgLabels(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range append(branches, groups...) {
				out = append(out, all[o.ID])
			}
			if len(all) != 5 {
				t.Errorf("%d organisations, want 5 (a refused batch writes nothing)", len(all))
			}
			return out
		}
		one, bulk := labels(false), labels(true)
		if len(one) != 4 || one[2] == "第一党小组" || one[2] == one[3] {
			t.Fatalf("labels one by one: %q", one)
		}
		for i := range one {
			if one[i] != bulk[i] {
				t.Errorf("imported labels %q, want %q", bulk, one)
				break
			}
		}
	})
}
