package store_test

import (
	"context"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// The tree's facts: each organisation's own current party members (not
// 群众, not those transferred out) and its serving 书记, within the scope.
func TestOrgTreeFacts(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		zhang, li, wang := newPerson(tr.b1.ID, "张伟", "19800101", "001"), newPerson(tr.b1.ID, "李娜", "19850202", "002"), newPerson(tr.g1.ID, "王芳", "19900303", "003")
		masses := newPerson(tr.b1.ID, "赵敏", "19950404", "004")
		masses.Status, masses.JoinedOn, masses.FullOn = people.Masses, date.Date{}, date.Date{}
		gone := newPerson(tr.b2.ID, "刘洋", "19880505", "005")
		for _, p := range []*people.Person{&zhang, &li, &wang, &masses, &gone} {
			if err := s.CreatePerson(ctx, admin, auth.Everything, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: gone.ID, Direction: people.TransferOut, On: date.MustParse("2026-01-05"), External: "外市"}); err != nil {
			t.Fatal(err)
		}
		for _, seat := range []org.CommitteeMember{
			{OrgID: tr.b1.ID, PersonID: li.ID, Position: "书记", From: date.MustParse("2020-01-01"), To: date.MustParse("2023-12-31")},
			{OrgID: tr.b1.ID, PersonID: zhang.ID, Position: "书记", From: date.MustParse("2024-01-01")},
			{OrgID: tr.b1.ID, PersonID: li.ID, Position: "组织委员", From: date.MustParse("2024-01-01")},
		} {
			if err := s.AddCommitteeMember(ctx, admin, auth.Everything, &seat); err != nil {
				t.Fatal(err)
			}
		}
		facts, err := s.OrgTreeFacts(ctx, auth.Everything)
		if err != nil {
			t.Fatal(err)
		}
		if f := facts[tr.b1.ID]; f == nil || f.Members != 2 || f.Secretary != "张伟" {
			t.Fatalf("第一党支部: %+v", f)
		}
		if f := facts[tr.g1.ID]; f == nil || f.Members != 1 || f.Secretary != "" {
			t.Fatalf("第一党小组: %+v", f)
		}
		if f := facts[tr.b2.ID]; f != nil && f.Members != 0 {
			t.Fatalf("第二党支部 counts a member who left: %+v", f)
		}
		scoped, err := s.OrgTreeFacts(ctx, auth.Scope{OrgPath: tr.b2.Path})
		if err != nil || scoped[tr.b1.ID] != nil {
			t.Fatalf("branch 2's scope sees branch 1: %+v %v", scoped, err)
		}
	})
}

// An organisation filter offers the tree opened along the way down to the
// chosen organisation — never the whole tree, never above the scope.
func TestOrgsAroundTheChosenOne(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		b1 := auth.Scope{OrgPath: tr.b1.Path}
		names := func(sc auth.Scope, id int64, kinds ...org.Kind) string {
			t.Helper()
			list, err := s.OrgsAround(ctx, sc, id, store.OrgFilter{Kinds: kinds})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range list {
				out = append(out, o.Name)
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			what, got, want string
		}{
			{"the whole tree's top", names(auth.Everything, 0), "市委政法委机关党委 第一党支部 第二党支部 市中级人民法院"},
			{"a branch chosen", names(auth.Everything, tr.b1.ID), "市委政法委机关党委 第一党支部 第一党小组 第二党支部 市中级人民法院"},
			{"its group chosen, above", names(auth.Everything, tr.g1.ID, org.Committee, org.Branch, org.Group), "市委政法委机关党委 第一党支部 第一党小组 第二党支部"},
			{"party organisations only", names(auth.Everything, 0, org.Committee, org.Branch), "市委政法委机关党委 第一党支部 第二党支部"},
			{"a branch's own top", names(b1, 0), "第一党支部 第一党小组"},
			{"its group chosen", names(b1, tr.g1.ID), "第一党支部 第一党小组"},
		} {
			if c.got != c.want {
				t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
			}
		}
		if got := names(b1, tr.b2.ID); got != "" {
			t.Errorf("a branch's filter offers around another branch: %q", got)
		}
	})
}
