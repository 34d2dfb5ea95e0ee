package store_test

import (
	"context"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestPeopleFiguresAgainstAHandCount: a branch whose people joined, became
// full, left and arrived on known days; the figures for the first half of
// 2026 and a year earlier are those counted by hand below.
func TestPeopleFiguresAgainstAHandCount(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now) // today is 30 June 2026
		tr := buildTree(t, s)
		add := func(name, birth, seq string, edit func(p *people.Person)) people.Person {
			t.Helper()
			p := newPerson(tr.b1.ID, name, birth, seq)
			edit(&p)
			if err := p.Validate(date.MustParse("2026-06-30")); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return p
		}
		on := date.MustParse
		add("甲", "19750101", "001", func(p *people.Person) { p.JoinedOn, p.FullOn = on("2000-07-01"), on("2001-07-01") })
		add("乙", "19480101", "002", func(p *people.Person) { p.JoinedOn, p.FullOn = on("1970-06-01"), on("1971-06-01") }) // 光荣在党50年
		add("丙", "19950101", "003", func(p *people.Person) {                                                              // probationary since March 2026
			p.Status, p.JoinedOn, p.FullOn = people.Probationary, on("2026-03-01"), date.Date{}
			p.AppliedOn, p.ActivistOn, p.CandidateOn = on("2024-01-10"), on("2024-03-01"), on("2025-06-01")
		})
		add("丁", "19980101", "004", func(p *people.Person) { // activist since February 2026
			p.Status, p.JoinedOn, p.FullOn, p.AppliedOn, p.ActivistOn = people.Activist, date.Date{}, date.Date{}, on("2025-12-01"), on("2026-02-01")
		})
		add("戊", "19800101", "005", func(p *people.Person) { p.Status, p.JoinedOn, p.FullOn = people.Masses, date.Date{}, date.Date{} })
		left := add("己", "19920101", "006", func(p *people.Person) { p.JoinedOn, p.FullOn = on("2015-07-01"), on("2016-07-01") })
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: left.ID, Direction: people.TransferOut,
			On: on("2026-05-01"), External: "省委政法委机关党委"}); err != nil {
			t.Fatal(err)
		}
		arrived := newPerson(tr.b1.ID, "庚", "19900101", "007")
		arrived.JoinedOn, arrived.FullOn = on("2012-07-01"), on("2013-07-01")
		if err := s.TransferIn(ctx, admin, auth.Everything, &arrived, &people.Transfer{Direction: people.TransferIn,
			On: on("2026-04-01"), External: "某县委政法委党支部", ToOrgID: tr.b1.ID}); err != nil {
			t.Fatal(err)
		}
		// A branch secretary and a committee member, and one who stood down.
		for _, seat := range []org.CommitteeMember{
			{OrgID: tr.b1.ID, PersonID: arrived.ID, Position: "书记", From: on("2026-04-15")},
			{OrgID: tr.b1.ID, PersonID: left.ID, Position: "组织委员", From: on("2023-01-01"), To: on("2026-05-01")},
		} {
			if err := s.AddCommitteeMember(ctx, admin, auth.Everything, &seat); err != nil {
				t.Fatal(err)
			}
		}

		cat, err := indicator.NewCatalogue(s.PeopleIndicators(), s.OrgIndicators())
		if err != nil {
			t.Fatal(err)
		}
		h1 := indicator.HalfYear(2026, 1)
		// By hand, 30 June 2026: members 甲 乙 丙 庚 (己 left in May; 丁 is an
		// activist, 戊 staff) = 4; under 35: 丙 = 1 of 4; a year earlier:
		// 甲 乙 己 = 3 (丙 not yet joined, 庚 not yet arrived), under 35: 己 = 1 of 3.
		for _, tc := range []struct{ code, now, change string }{
			{"people.members", "4名", "较上年同期提升33%"},
			{"people.probationary", "1名", "上年同期为0"},
			{"people.under35_share", "25%", "较上年同期降低8.3个百分点"},
			{"people.honoured", "1名", "与上年同期持平"},
			{"people.new_activists", "1名", "上年同期为0"},
			{"people.new_candidates", "0名", "较上年同期下降100%"},
			{"people.new_probationary", "1名", "上年同期为0"},
			{"people.new_full", "0名", "与上年同期持平"},
			{"org.branches", "2个", "上年同期为0"}, // the tree was made on 30 June 2026: a year earlier it did not exist
			{"org.branch_secretaries", "1名", "上年同期为0"},
			{"org.committee_members", "1名", "与上年同期持平"},
			{"org.branches_adjusted", "2个", "上年同期为0"}, // both branches were set up in the half-year
			{"org.secretaries_appointed", "1名", "上年同期为0"},
			{"org.working_groups", "0个", "与上年同期持平"},
		} {
			f, err := cat.Figure(ctx, tc.code, auth.Scope{OrgPath: tr.committee.Path}, h1)
			if err != nil {
				t.Fatalf("%s: %v", tc.code, err)
			}
			if f.Text != tc.now || f.ChangeText != tc.change {
				t.Errorf("%s (%s): %s %s, want %s %s", tc.code, f.Name, f.Text, f.ChangeText, tc.now, tc.change)
			}
		}
		// Another branch's scope sees none of them.
		f, err := cat.Figure(ctx, "people.members", auth.Scope{OrgPath: tr.b2.Path}, h1)
		if err != nil || f.Text != "0名" {
			t.Fatalf("branch 2 sees branch 1's members: %s %v", f.Text, err)
		}
	})
}
