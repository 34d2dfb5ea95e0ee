package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// conflictKey is the message key and field of a refusal, or what else it was.
func conflictKey(err error) string {
	var c *errs.Conflict
	var inv *errs.Invalid
	switch {
	case errors.As(err, &c):
		return c.Field + ":" + c.Key
	case errors.As(err, &inv):
		for f, k := range inv.Fields {
			return f + ":" + k
		}
	case err == nil:
		return "nil"
	}
	return err.Error()
}

// actorAccount creates a working account and returns it as the actor of changes.
func actorAccount(t *testing.T, s *store.Store, username string, role auth.Role, orgID int64) audit.Actor {
	t.Helper()
	hash, err := auth.HashPassword("Kaifa#2026test")
	if err != nil {
		t.Fatal(err)
	}
	u := &auth.User{Username: username, Role: role, OrgID: orgID, PasswordHash: hash}
	if err := s.CreateUser(context.Background(), admin, u); err != nil {
		t.Fatal(err)
	}
	return audit.Actor{UserID: u.ID, Username: u.Username, IP: "10.0.0.1"}
}

// TestOnePersonOneAccountUnderRace: twelve writers at once on PostgreSQL give
// one person an account each, and twelve more the same username in different
// cases. One of each wins; every other is refused with the message the
// store's own check gives, and the database holds one of each.
func TestOnePersonOneAccountUnderRace(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, store.Postgres, nil)
	tr := buildTree(t, s)
	p := newPerson(tr.b1.ID, "张伟", "19850312", "111")
	if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("Zhengfa#2026x")
	if err != nil {
		t.Fatal(err)
	}
	race := func(n int, account func(i int) *auth.User) map[string]int {
		outcomes := map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				err := s.CreateUser(ctx, admin, account(i))
				mu.Lock()
				outcomes[conflictKey(err)]++
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
		return outcomes
	}
	got := race(12, func(i int) *auth.User {
		return &auth.User{Username: fmt.Sprintf("zhangwei%d", i), Role: auth.Member, OrgID: tr.b1.ID, PersonID: p.ID, PasswordHash: hash}
	})
	if got["nil"] != 1 || got["person_id:user.person_has_account"] != 11 {
		t.Errorf("12 accounts for one person at once: %v; want 1 created, 11 refused with person_id:user.person_has_account", got)
	}
	got = race(12, func(i int) *auth.User {
		name := []byte("wangfang")
		name[i%len(name)] -= 'a' - 'A' // WAngfang, wAngfang …: one name in many cases
		return &auth.User{Username: string(name), Role: auth.BranchAdmin, OrgID: tr.b2.ID, PasswordHash: hash}
	})
	if got["nil"] != 1 || got["username:user.username_taken"] != 11 {
		t.Errorf("12 spellings of one username at once: %v; want 1 created, 11 refused with username:user.username_taken", got)
	}
	list, total, err := s.Users(ctx, store.UserFilter{Limit: 100})
	if err != nil || total != 2 {
		t.Fatalf("accounts stored: %d %v; want 2", total, err)
	}
	for _, u := range list {
		if u.PersonID == p.ID && u.Role != auth.Member {
			t.Errorf("the person's account is %+v", u)
		}
	}
}

// TestStoreGuardsOwnAccount: an administrator may not disable or reset their
// own account, whatever calls the store (a command, an import, a job), not
// only the security page.
func TestStoreGuardsOwnAccount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		hash, _ := auth.HashPassword("Anquan#2026x")
		sec := &auth.User{Username: "secadmin", Role: auth.SecurityAdmin, PasswordHash: hash}
		if err := s.CreateUser(ctx, admin, sec); err != nil {
			t.Fatal(err)
		}
		self := audit.Actor{UserID: sec.ID, Username: sec.Username, IP: "10.0.0.1"}
		if err := s.SetDisabled(ctx, self, sec.ID, true); conflictKey(err) != ":user.self_forbidden" {
			t.Errorf("disable own account: %v, want user.self_forbidden", err)
		}
		if _, err := s.ResetPassword(ctx, self, sec.ID, hash); conflictKey(err) != ":user.self_forbidden" {
			t.Errorf("reset own password: %v, want user.self_forbidden", err)
		}
		u, err := s.User(ctx, sec.ID)
		if err != nil || u.Disabled || u.MustChange || u.Version != 1 {
			t.Errorf("own account changed: %+v %v", u, err)
		}
	})
}

// TestMemberAccountRulesAreTheStores: the rules of opening a member's login
// (the person in the caller's scope, still on the roster, one account a
// person, a free username) hold for any caller of the store, not only the
// person page.
func TestMemberAccountRulesAreTheStores(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		var ps []people.Person
		for i, name := range []string{"张伟", "李娜", "王强"} {
			p := newPerson(tr.b1.ID, name, "19850312", fmt.Sprintf("%03d", i+1))
			if i == 1 {
				p.OrgID = tr.b2.ID
			}
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		out := &people.Transfer{PersonID: ps[2].ID, Direction: people.TransferOut, On: date.MustParse("2026-06-01"), External: "省司法厅机关党委"}
		if err := s.Transfer(ctx, admin, auth.Everything, out); err != nil {
			t.Fatal(err)
		}
		secretary := actorAccount(t, s, "branch1", auth.BranchAdmin, tr.b1.ID)
		b1 := auth.Scope{OrgPath: tr.b1.Path}
		hash, _ := auth.HashPassword("Linshi#2026xy")
		u, err := s.OpenMemberAccount(ctx, secretary, b1, ps[0].ID, "zw0001", hash)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != auth.Member || u.PersonID != ps[0].ID || u.OrgID != tr.b1.ID || !u.MustChange || u.IssuedBy != "branch1" || u.Pending() {
			t.Errorf("opened account: %+v", u)
		}
		for _, tc := range []struct {
			what     string
			person   int64
			username string
			want     string
		}{
			{"a second account for the person", ps[0].ID, "zw0002", "person_id:user.person_has_account"},
			{"a person of another branch", ps[1].ID, "ln0002", "not found"},
			{"a person who has left", ps[2].ID, "wq0003", "person_id:person.already_left"},
			{"a username taken in another case", ps[0].ID, "ZW0001", "username:user.username_taken"},
			{"a malformed username", ps[0].ID, "1x", "username:username.format"},
		} {
			if _, err := s.OpenMemberAccount(ctx, secretary, b1, tc.person, tc.username, hash); conflictKey(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.what, err, tc.want)
			}
		}
		if _, n, _ := s.Users(ctx, store.UserFilter{Role: auth.Member}); n != 1 {
			t.Errorf("%d member accounts after the refusals, want 1", n)
		}
	})
}

// TestNobodyActivatesTheirOwnProposal: an account proposed by one
// administrator works only after another activates it; the proposer cannot,
// and an activated account cannot be activated again.
func TestNobodyActivatesTheirOwnProposal(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		sys := actorAccount(t, s, "sysadmin", auth.SystemAdmin, 0)
		sec := actorAccount(t, s, "secadmin", auth.SecurityAdmin, 0)
		u := &auth.User{Username: "committee2", Role: auth.CommitteeAdmin, OrgID: tr.committee.ID, PasswordHash: "ignored"}
		if err := s.ProposeUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, u.ID)
		if err != nil || !got.Pending() || got.PasswordHash != "" || got.CreatedBy != sys.UserID {
			t.Fatalf("proposed account: %+v %v", got, err)
		}
		hash, _ := auth.HashPassword("Linshi#2026xy")
		if _, err := s.ActivateUser(ctx, sys, u.ID, hash); conflictKey(err) != ":user.own_proposal" {
			t.Errorf("the proposer activates: %v, want user.own_proposal", err)
		}
		if _, err := s.ResetPassword(ctx, sec, u.ID, hash); conflictKey(err) != ":user.pending" {
			t.Errorf("a reset of a pending account: %v, want user.pending", err)
		}
		if err := s.CreateUser(ctx, sys, &auth.User{Username: "direct", Role: auth.CommitteeAdmin, OrgID: tr.committee.ID, PasswordHash: hash}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an administrator creates a working account in one step: %v, want forbidden", err)
		}
		act, err := s.ActivateUser(ctx, sec, u.ID, hash)
		if err != nil || act.Pending() || !act.MustChange || act.IssuedBy != "secadmin" || act.Role != auth.CommitteeAdmin || act.OrgID != tr.committee.ID {
			t.Fatalf("activated: %+v %v", act, err)
		}
		if _, err := s.ActivateUser(ctx, sec, u.ID, hash); conflictKey(err) != ":user.not_pending" {
			t.Errorf("activated twice: %v, want user.not_pending", err)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{ObjectType: "user", ObjectID: fmt.Sprint(u.ID)})
		if err != nil || len(entries) != 2 || entries[0].Action != "user.activate" || entries[0].Username != "secadmin" ||
			entries[1].Action != "user.create" || entries[1].Username != "sysadmin" {
			t.Errorf("audit trail of the account: %+v %v", entries, err)
		}
	})
}
