package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// Every branch has a 第一党小组: people and organisations read from the store
// carry a label with enough of the path to tell them apart, and the labels
// follow a rename at once.
func TestOrganisationsAreLabelledByTheirPath(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		g2 := org.Org{ParentID: tr.b2.ID, Kind: org.Group, Name: "第一党小组"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &g2); err != nil {
			t.Fatal(err)
		}
		p := newPerson(g2.ID, "王芳", "19880101", "123")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
		got, err := s.Person(ctx, auth.Everything, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OrgName != "第一党小组" || got.OrgLabel != "第二党支部 › 第一党小组" {
			t.Fatalf("person's organisation: name %q label %q", got.OrgName, got.OrgLabel)
		}
		page, err := s.People(ctx, auth.Everything, store.PersonFilter{Limit: 10})
		if err != nil || len(page.Items) != 1 || page.Items[0].OrgLabel != "第二党支部 › 第一党小组" {
			t.Fatalf("roster labels: %v %+v", err, page.Items)
		}
		list, err := s.Orgs(ctx, auth.Everything, store.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		labels := map[int64]string{}
		for _, o := range list {
			labels[o.ID] = o.Label
		}
		if labels[tr.g1.ID] != "第一党支部 › 第一党小组" || labels[tr.b1.ID] != "第一党支部" || labels[tr.court.ID] != "市中级人民法院" {
			t.Fatalf("organisation labels: %v", labels)
		}
		// Renamed, the other group's name is unique and stands alone.
		g2.Name = "机关第一党小组"
		g2.Version = 1
		if err := s.UpdateOrg(ctx, admin, auth.Everything, &g2); err != nil {
			t.Fatal(err)
		}
		o, err := s.Org(ctx, auth.Everything, tr.g1.ID)
		if err != nil || o.Label != "第一党小组" {
			t.Fatalf("after the rename: %v %q", err, o.Label)
		}
	})
}

// A village's branch serves the grassroots term (5 years, 《关于党的基层组织
// 任期的意见》): the store marks it, so every page that shows its term gets it.
func TestVillageBranchesServeTheGrassrootsTerm(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		town := org.Org{ParentID: tr.committee.ID, Kind: org.Township, Name: "东风街道"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &town); err != nil {
			t.Fatal(err)
		}
		village := org.Org{ParentID: town.ID, Kind: org.Village, Name: "幸福社区"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &village); err != nil {
			t.Fatal(err)
		}
		branch := org.Org{ParentID: village.ID, Kind: org.Branch, Name: "幸福社区党支部", TermStart: date.MustParse("2023-07-01")}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &branch); err != nil {
			t.Fatal(err)
		}
		got, err := s.Org(ctx, auth.Everything, branch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if years := org.DefaultTermRules.TermYears(got); !got.UnderVillage || years != 5 {
			t.Fatalf("a community's branch: under a village %v, %d-year term", got.UnderVillage, years)
		}
		b1, _ := s.Org(ctx, auth.Everything, tr.b1.ID)
		if years := org.DefaultTermRules.TermYears(b1); b1.UnderVillage || years != 3 {
			t.Fatalf("an office branch: under a village %v, %d-year term", b1.UnderVillage, years)
		}
	})
}
