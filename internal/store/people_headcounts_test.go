package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/indicator"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestHeadcountsFollowEveryChangeOfThePeople: what the store keeps of each
// organisation's people over time (roster_counts) says, on every day
// probed, what counting the people by SQL says, after every kind of
// change — people entered, edited along the pipeline, transferred out,
// between branches and in, imported, their organisation moved, the rows
// deleted by hand and written again by an upgrade — and the figures a
// summary shows follow.
func TestHeadcountsFollowEveryChangeOfThePeople(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		days := []date.Date{date.MustParse("2026-11-27"), date.MustParse("2025-11-27"), date.MustParse("2026-06-30"),
			date.MustParse("2026-03-01"), date.MustParse("2026-02-28"), date.MustParse("2027-02-28"), date.MustParse("2027-03-01"),
			date.MustParse("2000-01-01"), date.MustParse("2024-12-31")}
		check := func(step string) {
			t.Helper()
			drift, err := s.RosterDriftForTest(ctx, days)
			if err != nil {
				t.Fatal(err)
			}
			if len(drift) > 0 {
				t.Fatalf("%s: roster_counts drifted from the people:\n%s", step, strings.Join(drift, "\n"))
			}
		}
		var members indicator.Indicator
		for _, in := range s.PeopleIndicators() {
			if in.Code == "people.members" {
				members = in
			}
		}
		membersAt := func(o int64, day string) float64 {
			t.Helper()
			org, err := s.Org(ctx, auth.Everything, o)
			if err != nil {
				t.Fatal(err)
			}
			v, err := members.Compute(ctx, auth.Scope{OrgPath: org.Path}, indicator.Period{From: date.MustParse("2026-01-01"), To: date.MustParse(day)})
			if err != nil {
				t.Fatal(err)
			}
			return v.Value
		}

		// Two full members, a probationary one turning 35 on a leap day's
		// anniversary, an activist.
		var ids []int64
		for i, c := range []struct {
			org                    int64
			name, birth            string
			status                 people.Status
			joined, full, activist string
		}{
			{tr.b1.ID, "张伟", "19700312", people.Full, "1995-07-01", "1996-07-01", ""},
			{tr.b1.ID, "李娜", "19920229", people.Probationary, "2026-03-10", "", "2024-05-01"},
			{tr.g1.ID, "王强", "19880601", people.Full, "2010-07-01", "2011-07-01", ""},
			{tr.b2.ID, "赵敏", "19990101", people.Activist, "", "", "2026-04-01"},
		} {
			p := newPerson(c.org, c.name, c.birth, []string{"111", "222", "333", "444"}[i])
			p.Status, p.JoinedOn, p.FullOn, p.ActivistOn = c.status, dateOrZero(c.joined), dateOrZero(c.full), dateOrZero(c.activist)
			if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			ids = append(ids, p.ID)
		}
		check("people entered")
		if got := membersAt(tr.committee.ID, "2026-11-27"); got != 3 {
			t.Fatalf("members of the committee on 27 November: %v, want 3", got)
		}
		if got := membersAt(tr.committee.ID, "2026-03-09"); got != 2 {
			t.Fatalf("members the day before 李娜 was admitted: %v, want 2", got)
		}

		// 李娜 becomes a full member; 赵敏 a candidate.
		p, err := s.Person(ctx, auth.Everything, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		p.Status, p.FullOn = people.Full, date.MustParse("2026-09-10")
		if err := s.UpdatePerson(ctx, admin, auth.Everything, &p.Person); err != nil {
			t.Fatal(err)
		}
		p, err = s.Person(ctx, auth.Everything, ids[3])
		if err != nil {
			t.Fatal(err)
		}
		p.Status, p.CandidateOn = people.Candidate, date.MustParse("2026-10-01")
		if err := s.UpdatePerson(ctx, admin, auth.Everything, &p.Person); err != nil {
			t.Fatal(err)
		}
		check("people edited along the pipeline")

		on := date.MustParse("2026-06-01")
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: ids[0], Direction: people.TransferOut, On: on, External: "省司法厅机关党委"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: ids[2], Direction: people.TransferMove, On: on, ToOrgID: tr.b2.ID}); err != nil {
			t.Fatal(err)
		}
		arrived := newPerson(tr.b1.ID, "孙丽", "19900808", "555")
		if err := s.TransferIn(ctx, admin, auth.Everything, &arrived, &people.Transfer{On: date.MustParse("2026-08-01"), External: "县委政法委机关党委"}); err != nil {
			t.Fatal(err)
		}
		check("transfers out, between branches and in")
		if got := membersAt(tr.b1.ID, "2026-11-27"); got != 2 {
			t.Fatalf("members of the first branch on 27 November: %v, want 2 (李娜, 孙丽)", got)
		}
		if got := membersAt(tr.b1.ID, "2026-07-31"); got != 1 {
			t.Fatalf("members of the first branch the day before 孙丽 arrived: %v, want 1", got)
		}

		list := []people.Person{newPerson(tr.b2.ID, "周杰", "19951010", "666"), newPerson(tr.g1.ID, "吴昊", "19601111", "777")}
		if err := s.ImportPeople(ctx, admin, auth.Everything, list, nil); err != nil {
			t.Fatal(err)
		}
		check("people imported")

		g1, err := s.Org(ctx, auth.Everything, tr.g1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MoveOrg(ctx, admin, auth.Everything, tr.g1.ID, tr.b2.ID, g1.Version); err != nil {
			t.Fatal(err)
		}
		check("a group moved to the other branch")
		if got := membersAt(tr.b2.ID, "2026-11-27"); got != 3 {
			t.Fatalf("members of the second branch with the group moved in: %v, want 3 (王强, 周杰, 吴昊)", got)
		}

		// Rows deleted by hand are written again by the next upgrade.
		if err := s.ExecForTest(ctx, "DELETE FROM roster_counts WHERE org_path = ?", tr.b1.Path); err != nil {
			t.Fatal(err)
		}
		if drift, err := s.RosterDriftForTest(ctx, days); err != nil || len(drift) == 0 {
			t.Fatalf("rows deleted by hand went unnoticed: %v", err)
		}
		if err := s.MigrateAgainForTest(ctx, 310); err != nil {
			t.Fatal(err)
		}
		check("written again by an upgrade")
	})
}

// TestHeadcountsFollowPeopleEnteredAtOnce: people entered into one branch
// from several sessions at once (several instances on PostgreSQL) are all
// counted: the second count of a branch waits for the first to commit.
func TestHeadcountsFollowPeopleEnteredAtOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		var g errgroup.Group
		for i := range 8 {
			g.Go(func() error {
				for j := range 3 {
					p := newPerson(tr.b1.ID, "张伟", "19850312", fmt.Sprintf("%d%d0", i, j))
					if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		if drift, err := s.RosterDriftForTest(ctx, []date.Date{date.MustParse("2026-11-27")}); err != nil || len(drift) != 0 {
			t.Fatalf("people entered at once: %v %v", drift, err)
		}
	})
}

func dateOrZero(s string) date.Date {
	if s == "" {
		return date.Date{}
	}
	return date.MustParse(s)
}
