package store_test

import (
	"context"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An account is edited after creation: its name, its organisation and the
// person it is linked to, under the rules of a new account (a person inside
// the organisation, not linked twice), from the version the editor saw, and
// audited with before and after.
func TestAccountsAreEditable(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		zhang, li := newPerson(tr.b1.ID, "张伟", "19800101", "001"), newPerson(tr.b2.ID, "李娜", "19850202", "002")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &zhang); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePerson(ctx, admin, auth.Everything, &li); err != nil {
			t.Fatal(err)
		}
		sys := actorAccount(t, s, "sys", auth.SystemAdmin, 0)
		u := &auth.User{Username: "zhangwei", Role: auth.Member, OrgID: tr.b1.ID, PersonID: zhang.ID}
		if err := s.ProposeUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		other := &auth.User{Username: "lina", Role: auth.Member, OrgID: tr.b2.ID, PersonID: li.ID}
		if err := s.ProposeUser(ctx, sys, other); err != nil {
			t.Fatal(err)
		}
		// A person outside the account's organisation, or one linked already, is refused.
		if _, err := s.UpdateAccount(ctx, sys, u.ID, store.AccountEdit{DisplayName: "张伟", OrgID: tr.b1.ID, PersonID: li.ID, Version: u.Version}); err == nil {
			t.Fatal("linked a person outside the account's organisation")
		}
		if _, err := s.UpdateAccount(ctx, sys, other.ID, store.AccountEdit{OrgID: tr.committee.ID, PersonID: zhang.ID, Version: other.Version}); err == nil {
			t.Fatal("linked a person who has an account")
		}
		got, err := s.UpdateAccount(ctx, sys, other.ID, store.AccountEdit{DisplayName: "李娜", OrgID: tr.committee.ID, PersonID: li.ID, Version: other.Version})
		if err != nil || got.DisplayName != "李娜" || got.OrgID != tr.committee.ID {
			t.Fatalf("edit: %+v %v", got, err)
		}
		if _, err := s.UpdateAccount(ctx, sys, other.ID, store.AccountEdit{DisplayName: "x", OrgID: tr.b2.ID, PersonID: li.ID, Version: other.Version}); conflictKey(err) != "version:conflict.stale" {
			t.Fatalf("an edit from a stale copy: %v", err)
		}
		stored, _ := s.User(ctx, other.ID)
		if stored.DisplayName != "李娜" || stored.Role != auth.Member {
			t.Fatalf("stored: %+v", stored)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Action: "user.update"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %d %v", len(entries), err)
		}
	})
}
