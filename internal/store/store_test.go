package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var admin = audit.Actor{UserID: 0, Username: "tester", IP: "127.0.0.1"}

// tree builds 机关党委 → 第一/第二党支部 → 党小组, and a unit.
type tree struct {
	committee, b1, b2, g1, court org.Org
}

func buildTree(t *testing.T, s *store.Store) tree {
	t.Helper()
	ctx := context.Background()
	var tr tree
	mk := func(o *org.Org, parent int64, kind org.Kind, name string) {
		*o = org.Org{ParentID: parent, Kind: kind, Name: name}
		if err := s.CreateOrg(ctx, admin, auth.Everything, o); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	mk(&tr.committee, 0, org.Committee, "市委政法委机关党委")
	mk(&tr.b1, tr.committee.ID, org.Branch, "第一党支部")
	mk(&tr.b2, tr.committee.ID, org.Branch, "第二党支部")
	mk(&tr.g1, tr.b1.ID, org.Group, "第一党小组")
	mk(&tr.court, tr.committee.ID, org.Unit, "市中级人民法院")
	return tr
}

// validID makes a GB 11643 number for a birth date and sequence.
func validID(birth string, seq string) string {
	first := "370102" + birth + seq
	return first + string(people.IDCheckChar(first))
}

func newPerson(orgID int64, name, birth, seq string) people.Person {
	b := date.MustParse(birth[:4] + "-" + birth[4:6] + "-" + birth[6:])
	p := people.Person{OrgID: orgID, Name: name, Status: people.Full, IDNumber: validID(birth, seq),
		JoinedOn: b.AddDate(22, 0, 0), FullOn: b.AddDate(23, 0, 0), Phone: "13800138000", Education: "大学本科", Ethnic: "汉族"}
	p.Normalize()
	if err := p.Validate(date.MustParse("2026-06-30")); err != nil {
		panic(name + ": " + err.Error())
	}
	return p
}

func TestOrgTreeAndScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		if tr.g1.Path != tr.b1.Path+strconv.FormatInt(tr.g1.ID, 10)+"/" {
			t.Fatalf("group path %q under %q", tr.g1.Path, tr.b1.Path)
		}
		b2 := auth.Scope{OrgPath: tr.b2.Path}
		if _, err := s.Org(ctx, b2, tr.g1.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("branch 2 reads branch 1's group: %v", err)
		}
		list, err := s.Orgs(ctx, auth.Scope{OrgPath: tr.committee.Path}, store.OrgFilter{})
		if err != nil || len(list) != 5 {
			t.Fatalf("orgs in committee: %d %v", len(list), err)
		}
		if list[0].ID != tr.committee.ID {
			t.Fatalf("tree order starts with %q", list[0].Name)
		}
		// A group may not sit under a unit.
		bad := org.Org{ParentID: tr.court.ID, Kind: org.Group, Name: "错误小组"}
		var inv *errs.Invalid
		if err := s.CreateOrg(ctx, admin, auth.Everything, &bad); !errors.As(err, &inv) || inv.Fields["parent_id"] != "org.parent_kind" {
			t.Fatalf("group under unit: %v", err)
		}
		// Same name twice under one parent is refused.
		dup := org.Org{ParentID: tr.committee.ID, Kind: org.Branch, Name: "第一党支部"}
		var c *errs.Conflict
		if err := s.CreateOrg(ctx, admin, auth.Everything, &dup); !errors.As(err, &c) {
			t.Fatalf("duplicate sibling name: %v", err)
		}

		// Move the group with a person in it to branch 2: paths follow.
		p := newPerson(tr.g1.ID, "张　伟", "19850312", "123")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveOrg(ctx, admin, auth.Everything, tr.g1.ID, tr.b2.ID, tr.g1.Version); err != nil {
			t.Fatalf("move: %v", err)
		}
		if _, err := s.Person(ctx, b2, p.ID); err != nil {
			t.Fatalf("after the move branch 2 should see the person: %v", err)
		}
		if _, err := s.Person(ctx, auth.Scope{OrgPath: tr.b1.Path}, p.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("after the move branch 1 still sees the person: %v", err)
		}
		hist, err := s.OrgHistory(ctx, auth.Everything, tr.g1.ID)
		if err != nil || len(hist) != 2 || hist[1].Action != "move" {
			t.Fatalf("history: %+v %v", hist, err)
		}
		// Closing a group with people is refused; an empty one closes.
		if err := s.CloseOrg(ctx, admin, auth.Everything, tr.g1.ID, date.MustParse("2026-06-01")); !errors.As(err, &c) {
			t.Fatalf("close non-empty: %v", err)
		}
	})
}

func TestPeopleListingAndScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		names := []struct {
			name, birth, seq string
			org              int64
		}{
			{"张伟", "19850312", "111", tr.b1.ID}, {"李娜", "19990101", "222", tr.b1.ID},
			{"王强", "19700505", "333", tr.g1.ID}, {"赵敏", "19920808", "444", tr.b2.ID},
		}
		for _, n := range names {
			p := newPerson(n.org, n.name, n.birth, n.seq)
			p.UnitID = tr.court.ID
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatalf("create %s: %v", n.name, err)
			}
		}
		b1 := auth.Scope{OrgPath: tr.b1.Path}
		if counts, err := s.StatusCounts(ctx, b1); err != nil || counts[people.Full] != 3 || len(counts) != 1 {
			t.Fatalf("branch 1 status counts: %v %v", counts, err)
		}
		page, err := s.People(ctx, b1, store.PersonFilter{Limit: 2})
		if err != nil || page.Total != 3 || len(page.Items) != 2 {
			t.Fatalf("branch 1 page: total %d items %d %v", page.Total, len(page.Items), err)
		}
		page, _ = s.People(ctx, auth.Everything, store.PersonFilter{Query: "zw"})
		if page.Total != 1 || page.Items[0].Name != "张伟" {
			t.Fatalf("initials search: %+v", page)
		}
		page, _ = s.People(ctx, auth.Everything, store.PersonFilter{AgeMax: 34, Today: date.MustParse("2026-06-30")})
		if page.Total != 2 {
			t.Fatalf("under 35: %d", page.Total)
		}
		page, _ = s.People(ctx, auth.Everything, store.PersonFilter{Sort: "name"})
		if page.Items[0].Name != "李娜" || page.Items[3].Name != "赵敏" {
			t.Fatalf("pinyin order: %s … %s", page.Items[0].Name, page.Items[3].Name)
		}
		if page.Items[0].UnitName != "市中级人民法院" {
			t.Fatalf("unit name %q", page.Items[0].UnitName)
		}
		// Duplicate ID number refused, nothing written.
		dup := newPerson(tr.b2.ID, "重复", "19850312", "111")
		var c *errs.Conflict
		if err := s.CreatePerson(ctx, admin, auth.Everything, &dup); !errors.As(err, &c) || c.Field != "id_number" {
			t.Fatalf("duplicate ID: %v", err)
		}
		// Branch 2 cannot create in branch 1: the organisation is not found in
		// its scope (the same answer as an organisation that does not exist).
		other := newPerson(tr.b1.ID, "越权", "19800101", "555")
		var inv *errs.Invalid
		if err := s.CreatePerson(ctx, admin, auth.Scope{OrgPath: tr.b2.Path}, &other); !errors.As(err, &inv) || inv.Fields["org_id"] != "org.unknown" {
			t.Fatalf("branch 2 creating a person in branch 1: %v, want org_id: org.unknown", err)
		}
		if n, _ := s.People(ctx, auth.Everything, store.PersonFilter{Query: "越权"}); n.Total != 0 {
			t.Fatal("branch 2 created a person in branch 1")
		}
		// Stale edit refused.
		got, _ := s.Person(ctx, b1, page.Items[0].ID)
		edit := got.Person
		edit.Position = "科长"
		if err := s.UpdatePerson(ctx, admin, b1, &edit); err != nil {
			t.Fatalf("update: %v", err)
		}
		stale := got.Person
		stale.Position = "副科长"
		if err := s.UpdatePerson(ctx, admin, b1, &stale); !errors.As(err, &c) || c.Key != "conflict.stale" {
			t.Fatalf("stale update: %v", err)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		buildTree(t, s)
		entries, total, err := s.AuditEntries(ctx, audit.Filter{Action: "org."})
		if err != nil || total != 5 || entries[0].Username != "tester" || entries[0].After == "" {
			t.Fatalf("audit entries: %d %v %+v", total, err, entries)
		}
		updateErr, deleteErr := s.TamperAuditForTest(ctx)
		for what, err := range map[string]error{"changed": updateErr, "deleted": deleteErr} {
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("an audit record could be %s: %v", what, err)
			}
		}
		after, total2, err := s.AuditEntries(ctx, audit.Filter{Action: "org."})
		if err != nil || total2 != total || after[0].Username != "tester" {
			t.Fatalf("the audit log changed: %d entries, first by %q (%v)", total2, after[0].Username, err)
		}
	})
}

func TestSessionsAndLockout(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		tr := buildTree(t, s)
		hash, _ := auth.HashPassword("Zhengfa#2026x")
		u := &auth.User{Username: "secretary1", Role: auth.BranchAdmin, OrgID: tr.b1.ID, PasswordHash: hash}
		if err := s.CreateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 5; i++ {
			locked, err := s.LoginFailed(ctx, admin, u.ID, auth.DefaultLockoutPolicy)
			if err != nil || locked != (i == 5) {
				t.Fatalf("failure %d: locked=%v %v", i, locked, err)
			}
		}
		got, _ := s.UserByUsername(ctx, "secretary1")
		if !got.Locked(clock.Now()) || got.OrgPath != tr.b1.Path {
			t.Fatalf("not locked after 5 failures: %+v", got)
		}
		clock.Advance(31 * time.Minute)
		if got.Locked(clock.Now()) {
			t.Fatal("still locked after 30 minutes")
		}
		token, th := auth.NewToken()
		_ = token
		now := clock.Now()
		if err := s.StartSession(ctx, admin, &auth.Session{TokenHash: th, UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(12 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, th, auth.DefaultSessionPolicy); err != nil {
			t.Fatalf("fresh session: %v", err)
		}
		clock.Advance(29 * time.Minute)
		if _, _, err := s.SessionUser(ctx, th, auth.DefaultSessionPolicy); err != nil {
			t.Fatalf("session after 29 idle minutes: %v", err)
		}
		clock.Advance(31 * time.Minute)
		if _, _, err := s.SessionUser(ctx, th, auth.DefaultSessionPolicy); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("session after 31 idle minutes: %v", err)
		}
		// However busy, a session ends at its absolute expiry.
		_, th3 := auth.NewToken()
		now = clock.Now()
		s.StartSession(ctx, admin, &auth.Session{TokenHash: th3, UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)})
		for i := 0; i < 3; i++ {
			clock.Advance(25 * time.Minute)
			_, _, err := s.SessionUser(ctx, th3, auth.DefaultSessionPolicy)
			if wantLive := i < 2; (err == nil) != wantLive {
				t.Fatalf("busy session after %d minutes: %v", 25*(i+1), err)
			}
		}
		// A password change ends every session.
		_, th2 := auth.NewToken()
		now = clock.Now()
		s.StartSession(ctx, admin, &auth.Session{TokenHash: th2, UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)})
		if err := s.ChoosePassword(ctx, admin, u.ID, "Xinmima#2026ab", auth.DefaultPasswordPolicy); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, th2, auth.DefaultSessionPolicy); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("session survived a password change: %v", err)
		}
	})
}
