package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A member who finds their birth date wrong reports it from 我的档案; the
// secretary of the branch sees the report, declines one with a reason and
// accepts another; other branches never see it; each step is audited.
func TestMemberReportsAWrongEntryToTheSecretary(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		sec := newPerson(tr.b1.ID, "张书记", "19700101", "001")
		member := newPerson(tr.g1.ID, "王芳", "19900303", "003")
		other := newPerson(tr.b2.ID, "刘洋", "19880505", "005")
		for _, p := range []*people.Person{&sec, &member, &other} {
			if err := s.CreatePerson(ctx, admin, auth.Everything, p); err != nil {
				t.Fatal(err)
			}
		}
		self := auth.Scope{OrgPath: "/", PersonID: member.ID}
		b1, b2 := auth.Scope{OrgPath: tr.b1.Path}, auth.Scope{OrgPath: tr.b2.Path}

		// Whom to contact: the 书记 of the nearest organisation that has one.
		if _, ok, err := s.ContactFor(ctx, self, member.ID); ok || err != nil {
			t.Fatalf("a contact before any 书记 was seated: %v %v", ok, err)
		}
		seat := org.CommitteeMember{OrgID: tr.b1.ID, PersonID: sec.ID, Position: "书记", From: date.MustParse("2024-01-01")}
		if err := s.AddCommitteeMember(ctx, admin, auth.Everything, &seat); err != nil {
			t.Fatal(err)
		}
		c, ok, err := s.ContactFor(ctx, self, member.ID)
		if err != nil || !ok || c.Name != "张书记" || c.Org != "第一党支部" {
			t.Fatalf("contact of a 党小组 member: %+v %v %v", c, ok, err)
		}

		// An empty report changes nothing; a report on someone else's record is not found.
		if err := s.RequestCorrection(ctx, admin, self, &people.Correction{PersonID: member.ID, Text: "  "}); err == nil {
			t.Fatal("an empty report was taken")
		}
		if err := s.RequestCorrection(ctx, admin, self, &people.Correction{PersonID: other.ID, Text: "错了"}); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("report on another person's record: %v", err)
		}
		first := people.Correction{PersonID: member.ID, Text: "出生日期应为1990-03-04"}
		second := people.Correction{PersonID: member.ID, Text: "学历应为硕士研究生"}
		for _, c := range []*people.Correction{&first, &second} {
			if err := s.RequestCorrection(ctx, admin, self, c); err != nil {
				t.Fatal(err)
			}
		}
		pending, err := s.Corrections(ctx, b1, store.CorrectionFilter{PendingOnly: true})
		if err != nil || len(pending) != 2 || pending[0].PersonName != "王芳" || pending[0].OrgName != "第一党小组" {
			t.Fatalf("the secretary's pending reports: %+v %v", pending, err)
		}
		if list, _ := s.Corrections(ctx, b2, store.CorrectionFilter{}); len(list) != 0 {
			t.Fatalf("another branch sees the reports: %+v", list)
		}
		if err := s.DecideCorrection(ctx, admin, b2, first.ID, people.Accept, ""); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("another branch decided: %v", err)
		}

		// A decline needs a reason; once decided, a report cannot be decided again.
		var inv *errs.Invalid
		if err := s.DecideCorrection(ctx, admin, b1, first.ID, people.Decline, ""); !errors.As(err, &inv) || inv.Fields["answer"] == "" {
			t.Fatalf("a decline without a reason: %v", err)
		}
		if err := s.DecideCorrection(ctx, admin, b1, first.ID, people.Decline, "与档案原件一致"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideCorrection(ctx, admin, b1, second.ID, people.Accept, "已按学位证书更正"); err != nil {
			t.Fatal(err)
		}
		var conflict *errs.Conflict
		if err := s.DecideCorrection(ctx, admin, b1, first.ID, people.Accept, ""); !errors.As(err, &conflict) {
			t.Fatalf("decided twice: %v", err)
		}
		mine, err := s.Corrections(ctx, self, store.CorrectionFilter{PersonID: member.ID})
		if err != nil || len(mine) != 2 {
			t.Fatalf("the member's reports: %+v %v", mine, err)
		}
		states := map[string]people.CorrectionState{}
		for _, c := range mine {
			states[c.Text] = c.State
			if c.DecidedAt.IsZero() {
				t.Fatalf("no decision time: %+v", c)
			}
		}
		if states[first.Text] != people.CorrectionDeclined || states[second.Text] != people.CorrectionAccepted {
			t.Fatalf("states: %v", states)
		}
		if p, _ := s.Corrections(ctx, b1, store.CorrectionFilter{PendingOnly: true}); len(p) != 0 {
			t.Fatalf("still pending: %+v", p)
		}
		for action, n := range map[string]int{"person.correction_request": 2, "person.correction_declined": 1, "person.correction_accepted": 1} {
			entries, _, err := s.AuditEntries(ctx, audit.Filter{Action: action})
			if err != nil || len(entries) != n {
				t.Fatalf("audit %s: %d %v", action, len(entries), err)
			}
			if action == "person.correction_declined" && !strings.Contains(entries[0].After, "与档案原件一致") {
				t.Fatalf("the decline's reason is not in the log: %s", entries[0].After)
			}
		}
	})
}
