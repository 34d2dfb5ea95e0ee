package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// Sibling names were kept apart by a check before the insert, which two
// saves at the same moment both pass. A unique index keeps them apart, and
// its refusal reads like the check's: beside the name, "同一上级下已有同名组织".
func TestSiblingNamesStayUniqueWhenSavedAtOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		const n = 8
		var wg sync.WaitGroup
		errc := make(chan error, n)
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				errc <- s.CreateOrg(ctx, admin, auth.Everything, &org.Org{ParentID: tr.committee.ID, Kind: org.Branch, Name: "第三党支部"})
			})
		}
		close(start)
		wg.Wait()
		close(errc)
		created := 0
		for err := range errc {
			var c *errs.Conflict
			switch {
			case err == nil:
				created++
			case !errors.As(err, &c) || c.Field != "name" || c.Key != "org.name_taken":
				t.Errorf("a refused twin: %v", err)
			}
		}
		if created != 1 {
			t.Fatalf("%d organisations named 第三党支部 under one parent", created)
		}
		// Renaming and moving onto a taken name are refused the same way; a
		// closed organisation's name is free again.
		var c *errs.Conflict
		b2 := tr.b2
		b2.Name = "第一党支部"
		if err := s.UpdateOrg(ctx, admin, auth.Everything, &b2); !errors.As(err, &c) || c.Key != "org.name_taken" || c.Field != "name" {
			t.Fatalf("rename onto a sibling: %v", err)
		}
		twin := org.Org{ParentID: tr.b2.ID, Kind: org.Group, Name: "第一党小组"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &twin); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveOrg(ctx, admin, auth.Everything, twin.ID, tr.b1.ID, twin.Version); !errors.As(err, &c) || c.Key != "org.name_taken" {
			t.Fatalf("move next to a namesake: %v", err)
		}
		if err := s.CloseOrg(ctx, admin, auth.Everything, twin.ID, date.MustParse("2026-06-01")); err != nil {
			t.Fatal(err)
		}
		again := org.Org{ParentID: tr.b2.ID, Kind: org.Group, Name: "第一党小组"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &again); err != nil {
			t.Fatalf("the name of a closed organisation: %v", err)
		}
	})
}

// Which kinds may stand at the top was checked by the administrators' page
// only. The store refuses any other at the top, for every caller.
func TestOnlyTopKindsMayBeRoots(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		for kind, ok := range map[org.Kind]bool{org.Committee: true, org.Unit: true, org.Township: true, org.Branch: false, org.Group: false, org.Village: false} {
			o := org.Org{Kind: kind, Name: "顶级" + string(kind)}
			err := s.CreateOrg(ctx, admin, auth.Everything, &o)
			var inv *errs.Invalid
			if ok && err != nil || !ok && (!errors.As(err, &inv) || inv.Fields["kind"] != "org.root_kind") {
				t.Errorf("a %s at the top: %v", kind, err)
			}
		}
	})
}

// A 领导小组 spans branches. A branch secretary listing it saw the names of
// other branches' people; they see their own people and a count of others.
// An edit from a narrower scope replaces the seats it can see and keeps the rest.
func TestWorkingGroupShowsOnlyTheReadersPeople(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		p1 := newPerson(tr.b1.ID, "张伟", "19850312", "111")
		p2 := newPerson(tr.b2.ID, "李娜", "19900505", "222")
		p3 := newPerson(tr.b2.ID, "王强", "19700505", "333")
		for _, p := range []*people.Person{&p1, &p2, &p3} {
			if err := s.CreatePerson(ctx, admin, auth.Everything, p); err != nil {
				t.Fatal(err)
			}
		}
		g := &org.WorkingGroup{OrgID: tr.b2.ID, Name: "矛盾纠纷化解攻坚小组", SetUpOn: date.MustParse("2026-03-01"),
			Members: []org.WorkingGroupMember{{PersonID: p1.ID, Role: org.Leader}, {PersonID: p2.ID, Role: org.GroupMember}}}
		if err := s.SaveWorkingGroup(ctx, admin, auth.Scope{OrgPath: tr.committee.Path}, g); err != nil {
			t.Fatal(err)
		}
		b2 := auth.Scope{OrgPath: tr.b2.Path}
		list, err := s.WorkingGroups(ctx, b2)
		if err != nil || len(list) != 1 {
			t.Fatalf("branch 2's groups: %d %v", len(list), err)
		}
		if got := list[0]; len(got.Members) != 1 || got.Members[0].Name != "李娜" || got.Others != 1 {
			t.Fatalf("branch 2 reads members %+v, others %d", got.Members, got.Others)
		}
		// Branch 2's scope replaces its own seats; 张伟's stays.
		edit := list[0]
		edit.Members = []org.WorkingGroupMember{{PersonID: p3.ID, Role: org.DeputyLeader}}
		if err := s.SaveWorkingGroup(ctx, admin, b2, &edit); err != nil {
			t.Fatal(err)
		}
		all, _ := s.WorkingGroup(ctx, auth.Everything, g.ID)
		if len(all.Members) != 2 || all.Members[0].Name != "张伟" || all.Members[1].Name != "王强" || all.Others != 0 {
			t.Fatalf("after branch 2's edit: %+v", all.Members)
		}
		// The edit was based on version 1; it is 2 now.
		stale := list[0]
		var c *errs.Conflict
		if err := s.SaveWorkingGroup(ctx, admin, b2, &stale); !errors.As(err, &c) || c.Key != "conflict.stale" {
			t.Fatalf("a stale edit: %v", err)
		}
	})
}
