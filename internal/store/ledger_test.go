package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/ledger"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// fieldKey is the message key a refusal gives a field, or "".
func fieldKey(err error, field string) string {
	var inv *errs.Invalid
	if errors.As(err, &inv) {
		return inv.Fields[field]
	}
	var c *errs.Conflict
	if errors.As(err, &c) && c.Field == field {
		return c.Key
	}
	return ""
}

func auditActions(t *testing.T, s *store.Store, objectType string, id int64) []string {
	t.Helper()
	list, _, err := s.AuditEntries(context.Background(), audit.Filter{ObjectType: objectType, ObjectID: strconv.FormatInt(id, 10), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, list[i].Action)
	}
	return out
}

// TestLedgerItemFromEntryToClosure: an item is entered, refused with a
// clear message when its input is bad (and nothing is saved), gets dated
// progress, turns overdue the day after its deadline, is closed with a date,
// and every step is in the audit log.
func TestLedgerItemFromEntryToClosure(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock() // 30 June 2026
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		s, b1 := w.s, auth.Scope{OrgPath: w.tr.b1.Path}

		for _, c := range []struct {
			item        ledger.Item
			field, want string
		}{
			{ledger.Item{OrgID: w.tr.b1.ID, OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-09-30")}, "problem", "ledger.problem_required"},
			{ledger.Item{OrgID: w.tr.b1.ID, Problem: "学习不深入", Deadline: date.MustParse("2026-09-30")}, "owner_id", "ledger.owner_required"},
			{ledger.Item{OrgID: w.tr.b1.ID, Problem: "学习不深入", OwnerID: w.zhang.ID}, "deadline", "ledger.deadline_required"},
			{ledger.Item{OrgID: w.tr.b1.ID, Problem: "学习不深入", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-06-01")}, "deadline", "ledger.deadline_before_opened"},
			{ledger.Item{OrgID: w.tr.b1.ID, Problem: "学习不深入", OwnerID: w.liu.ID, Deadline: date.MustParse("2026-09-30")}, "owner_id", "person.unknown"},
			{ledger.Item{OrgID: w.tr.b2.ID, Problem: "学习不深入", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-09-30")}, "org_id", "org.unknown"},
		} {
			item := c.item
			err := s.CreateLedgerItem(ctx, admin, b1, &item)
			if got := fieldKey(err, c.field); got != c.want {
				t.Errorf("%+v: %s refused with %q (%v), want %q", c.item, c.field, got, err, c.want)
			}
		}
		if page, err := s.LedgerItems(ctx, auth.Everything, store.LedgerFilter{}); err != nil || page.Total != 0 {
			t.Fatalf("refused items were saved: %d %v", page.Total, err)
		}

		item := &ledger.Item{OrgID: w.tr.b1.ID, Problem: "理论学习不够深入", Measures: "每周四集中学习", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-07-15")}
		if err := s.CreateLedgerItem(ctx, admin, b1, item); err != nil {
			t.Fatal(err)
		}
		if item.OpenedOn != date.MustParse("2026-06-30") || item.StatusOn(date.MustParse("2026-06-30")) != ledger.Open {
			t.Fatalf("new item opened %s status %s", item.OpenedOn, item.StatusOn(date.MustParse("2026-06-30")))
		}
		if err := s.AddLedgerProgress(ctx, admin, b1, item.ID, &ledger.Progress{On: date.MustParse("2026-07-01"), Note: "明天"}); fieldKey(err, "on") != "ledger.date_future" {
			t.Fatalf("progress dated tomorrow: %v", err)
		}
		if err := s.AddLedgerProgress(ctx, admin, b1, item.ID, &ledger.Progress{On: date.MustParse("2026-06-30"), Note: "制定学习计划"}); err != nil {
			t.Fatal(err)
		}
		// Another branch's scope does not see it.
		if _, err := s.LedgerItem(ctx, auth.Scope{OrgPath: w.tr.b2.Path}, item.ID); err != errs.ErrNotFound {
			t.Fatalf("branch 2 reads branch 1's item: %v", err)
		}

		clock.Advance(16 * 24 * time.Hour) // 16 July: a day past the deadline
		got, err := s.LedgerItem(ctx, b1, item.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.StatusOn(date.MustParse("2026-07-16")) != ledger.Overdue || len(got.Progress) != 1 || got.Progress[0].Note != "制定学习计划" {
			t.Fatalf("item on 16 July: %+v", got)
		}
		overdue, err := s.LedgerItems(ctx, b1, store.LedgerFilter{Status: ledger.Overdue})
		if err != nil || overdue.Total != 1 {
			t.Fatalf("overdue list: %d %v", overdue.Total, err)
		}
		if _, err := s.CloseLedgerItem(ctx, admin, b1, item.ID, got.Version, date.MustParse("2026-07-16"), ""); fieldKey(err, "closure") != "ledger.closure_required" {
			t.Fatalf("closure without its result: %v", err)
		}
		if _, err := s.CloseLedgerItem(ctx, admin, b1, item.ID, got.Version-1, date.MustParse("2026-07-16"), "已建立学习制度"); err == nil {
			t.Fatal("closed from a stale version")
		}
		closed, err := s.CloseLedgerItem(ctx, admin, b1, item.ID, got.Version, date.MustParse("2026-07-16"), "已建立学习制度")
		if err != nil {
			t.Fatal(err)
		}
		if closed.StatusOn(date.MustParse("2026-07-16")) != ledger.Done || closed.OnTime() {
			t.Fatalf("closed a day late: status %s, on time %v", closed.StatusOn(date.MustParse("2026-07-16")), closed.OnTime())
		}
		if err := s.AddLedgerProgress(ctx, admin, b1, item.ID, &ledger.Progress{On: date.MustParse("2026-07-16"), Note: "再补一条"}); fieldKey(err, "note") != "ledger.closed_already" {
			t.Fatalf("progress after closure: %v", err)
		}
		done, err := s.LedgerItems(ctx, b1, store.LedgerFilter{Status: ledger.Done})
		if err != nil || done.Total != 1 {
			t.Fatalf("done list: %d %v", done.Total, err)
		}
		if got := auditActions(t, s, "ledger_item", item.ID); len(got) != 3 || got[0] != "ledger.create" || got[1] != "ledger.progress" || got[2] != "ledger.close" {
			t.Fatalf("audit of the item: %v", got)
		}
	})
}

// TestLifeProblemBecomesLedgerItem: at a 组织生活会 a participant's record
// holds self-criticism, criticism and a problem; the problem becomes a
// ledger item in one step, each pointing to the other, and only once.
func TestLifeProblemBecomesLedgerItem(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now))
		s, b1 := w.s, auth.Scope{OrgPath: w.tr.b1.Path}
		meeting := w.plan(t, w.tr.b1.ID, "org_life", "2026-06-29")
		w.hold(t, meeting)
		study := w.plan(t, w.tr.b1.ID, "study_session", "2026-06-29")

		if err := s.SaveLifeRecord(ctx, admin, b1, &ledger.LifeRecord{EventID: study.ID, PersonID: w.li.ID, SelfCriticism: "x"}); fieldKey(err, "event_id") != "ledger.not_life_event" {
			t.Fatalf("a record at a 集中学习: %v", err)
		}
		if err := s.SaveLifeRecord(ctx, admin, b1, &ledger.LifeRecord{EventID: meeting.ID, PersonID: w.liu.ID}); fieldKey(err, "person_id") != "person.unknown" {
			t.Fatalf("a record for someone of another branch: %v", err)
		}
		rec := &ledger.LifeRecord{EventID: meeting.ID, PersonID: w.li.ID, SelfCriticism: "理论学习不系统", CriticismGiven: "对张伟：谈心谈话不够",
			CriticismReceived: "王芳：发挥作用不明显"}
		if err := s.SaveLifeRecord(ctx, admin, b1, rec); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveLifeRecord(ctx, admin, b1, &ledger.LifeRecord{EventID: meeting.ID, PersonID: w.li.ID}); fieldKey(err, "person_id") != "ledger.record_exists" {
			t.Fatalf("a second record for one person: %v", err)
		}
		if err := s.AddLifeProblem(ctx, admin, b1, &ledger.Problem{EventID: meeting.ID, RecordID: rec.ID, Content: "  "}); fieldKey(err, "content") != "ledger.problem_required" {
			t.Fatalf("an empty problem: %v", err)
		}
		p := &ledger.Problem{EventID: meeting.ID, RecordID: rec.ID, Content: "理论学习不够系统深入"}
		if err := s.AddLifeProblem(ctx, admin, b1, p); err != nil {
			t.Fatal(err)
		}
		item := &ledger.Item{}
		if err := s.LedgerFromProblem(ctx, admin, b1, p.ID, item); err != nil {
			t.Fatal(err)
		}
		if item.Source != ledger.LifeProblem || item.SourceID != p.ID || item.OwnerID != w.li.ID || item.OrgID != w.tr.b1.ID ||
			item.Problem != "理论学习不够系统深入" || item.Deadline != date.MustParse("2026-09-28") {
			t.Fatalf("item from the problem: %+v", item)
		}
		if err := s.LedgerFromProblem(ctx, admin, b1, p.ID, &ledger.Item{}); err == nil || errs.ErrNotFound == err {
			t.Fatalf("the problem became a second item: %v", err)
		}
		recs, err := s.LifeRecords(ctx, b1, meeting.ID)
		if err != nil || len(recs) != 1 || len(recs[0].Problems) != 1 || recs[0].Problems[0].ItemID != item.ID || recs[0].CriticismReceived != "王芳：发挥作用不明显" {
			t.Fatalf("records of the meeting: %+v %v", recs, err)
		}
		got, err := s.LedgerItem(ctx, b1, item.ID)
		if err != nil || got.EventID != meeting.ID || got.SourceText != meeting.Title+" · 李娜" {
			t.Fatalf("the item points back: %+v %v", got, err)
		}
		list, err := s.LedgerItems(ctx, b1, store.LedgerFilter{EventID: meeting.ID})
		if err != nil || list.Total != 1 {
			t.Fatalf("items of the meeting: %d %v", list.Total, err)
		}
		if got := auditActions(t, s, "life_record", rec.ID); len(got) != 1 || got[0] != "life_record.create" {
			t.Fatalf("audit of the record: %v", got)
		}
		if got := auditActions(t, s, "life_problem", p.ID); len(got) != 1 {
			t.Fatalf("audit of the problem: %v", got)
		}
	})
}

// TestCampaignCoversItsSubtree: a campaign set up by the committee with its
// 领导小组 is seen by a branch, its events and items belong to it, and its
// figures are drawn from them alone.
func TestCampaignCoversItsSubtree(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now))
		s, top, b1, b2 := w.s, auth.Scope{OrgPath: w.tr.committee.Path}, auth.Scope{OrgPath: w.tr.b1.Path}, auth.Scope{OrgPath: w.tr.b2.Path}
		g := &org.WorkingGroup{OrgID: w.tr.committee.ID, Name: "党史学习教育领导小组", SetUpOn: date.MustParse("2026-02-20"),
			Members: []org.WorkingGroupMember{{PersonID: w.zhang.ID, Role: org.Leader}}}
		if err := s.SaveWorkingGroup(ctx, admin, top, g); err != nil {
			t.Fatal(err)
		}
		bad := &ledger.Campaign{OrgID: w.tr.committee.ID, Name: "", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-01-01")}
		err := s.SaveCampaign(ctx, admin, top, bad)
		if fieldKey(err, "name") != "ledger.campaign_name_required" || fieldKey(err, "ends_on") != "ledger.campaign_ends_before_start" {
			t.Fatalf("a campaign without a name ending before it starts: %v", err)
		}
		if err := s.SaveCampaign(ctx, admin, b1, &ledger.Campaign{OrgID: w.tr.b1.ID, Name: "x", StartsOn: date.MustParse("2026-03-01"),
			EndsOn: date.MustParse("2026-12-31"), GroupID: g.ID}); fieldKey(err, "group_id") != "ledger.group_unknown" {
			t.Fatalf("a branch names the committee's group: %v", err)
		}
		c := &ledger.Campaign{OrgID: w.tr.committee.ID, Name: "党史学习教育", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-12-31"),
			GroupID: g.ID, Plan: "一、总体要求……"}
		if err := s.SaveCampaign(ctx, admin, top, c); err != nil {
			t.Fatal(err)
		}
		list, err := s.Campaigns(ctx, b1)
		if err != nil || len(list) != 1 || list[0].Group != "党史学习教育领导小组" {
			t.Fatalf("branch 1 sees the committee's campaigns: %+v %v", list, err)
		}
		// A branch's own campaign is not seen by the other branch.
		own := &ledger.Campaign{OrgID: w.tr.b2.ID, Name: "支部读书月", StartsOn: date.MustParse("2026-04-01"), EndsOn: date.MustParse("2026-04-30")}
		if err := s.SaveCampaign(ctx, admin, b2, own); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Campaign(ctx, b1, own.ID); err != errs.ErrNotFound {
			t.Fatalf("branch 1 reads branch 2's campaign: %v", err)
		}
		if err := s.SaveCampaign(ctx, admin, b1, &ledger.Campaign{ID: c.ID, Name: "改名", StartsOn: c.StartsOn, EndsOn: c.EndsOn, Version: c.Version}); err != errs.ErrForbidden {
			t.Fatalf("a branch edits the committee's campaign: %v", err)
		}
		if err := s.CreateLedgerItem(ctx, admin, b1, &ledger.Item{OrgID: w.tr.b1.ID, Problem: "p", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-07-30"),
			CampaignID: own.ID}); fieldKey(err, "campaign_id") != "ledger.campaign_unknown" {
			t.Fatalf("an item of branch 1 in branch 2's campaign: %v", err)
		}
		e := &event.Event{OrgID: w.tr.b1.ID, KindID: w.kinds["study_session"].ID, PlannedStart: at("2026-06-10", "09:00"), PlannedEnd: at("2026-06-10", "11:00"), CampaignID: c.ID}
		if err := s.CreateEvent(ctx, admin, b1, e, nil); err != nil {
			t.Fatal(err)
		}
		w.hold(t, e)
		other := w.plan(t, w.tr.b1.ID, "study_session", "2026-06-11")
		w.hold(t, other)
		if _, err := s.MarkAttendance(ctx, admin, b1, e.ID, []event.MarkInput{{PersonID: w.zhang.ID, Day: date.MustParse("2026-06-10"), Mark: event.Present}}, event.BySecretary); err != nil {
			t.Fatal(err)
		}
		for _, deadline := range []string{"2026-06-20", "2026-08-30"} {
			if err := s.CreateLedgerItem(ctx, admin, b1, &ledger.Item{OrgID: w.tr.b1.ID, Problem: "p", OwnerID: w.zhang.ID, OpenedOn: date.MustParse("2026-06-01"),
				Deadline: date.MustParse(deadline), CampaignID: c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateLedgerItem(ctx, admin, b1, &ledger.Item{OrgID: w.tr.b1.ID, Problem: "not the campaign's", OwnerID: w.zhang.ID, Deadline: date.MustParse("2026-07-01")}); err != nil {
			t.Fatal(err)
		}
		f, err := s.CampaignFigures(ctx, top, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.EventsHeld != 1 || f.HeldByKind["集中学习"] != 1 || f.PersonTimes != 1 || f.ItemsOpened != 2 || f.ItemsClosed != 0 || f.ItemsOverdue != 1 {
			t.Fatalf("the campaign's figures: %+v", f)
		}
		items, err := s.LedgerItems(ctx, top, store.LedgerFilter{CampaignID: c.ID})
		if err != nil || items.Total != 2 {
			t.Fatalf("the campaign's items: %d %v", items.Total, err)
		}
	})
}

// TestLedgerIndicators: the ledger's figures for the first half of 2026 and
// the same half a year earlier, against hand-counted items of 第一党支部
// (第二党支部's item is outside its scope).
func TestLedgerIndicators(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now)) // today 30 June 2026
		s, b1 := w.s, auth.Scope{OrgPath: w.tr.b1.Path}
		add := func(orgID, owner int64, opened, deadline, closed string) {
			t.Helper()
			i := &ledger.Item{OrgID: orgID, Problem: "问题" + opened, OwnerID: owner, OpenedOn: date.MustParse(opened), Deadline: date.MustParse(deadline)}
			if err := s.CreateLedgerItem(ctx, admin, auth.Everything, i); err != nil {
				t.Fatal(err)
			}
			if closed != "" {
				if _, err := s.CloseLedgerItem(ctx, admin, auth.Everything, i.ID, i.Version, date.MustParse(closed), "已整改"); err != nil {
					t.Fatal(err)
				}
			}
		}
		add(w.tr.b1.ID, w.zhang.ID, "2025-03-01", "2025-04-30", "2025-04-20") // A: a year earlier, on time
		add(w.tr.b1.ID, w.zhang.ID, "2025-05-01", "2025-05-31", "2026-02-10") // B: overdue at the end of June 2025, closed late in 2026
		add(w.tr.b1.ID, w.li.ID, "2026-01-10", "2026-03-31", "2026-04-15")    // C: closed late
		add(w.tr.b1.ID, w.li.ID, "2026-02-01", "2026-06-30", "2026-06-20")    // D: closed on time
		add(w.tr.b1.ID, w.wang.ID, "2026-03-01", "2026-05-31", "")            // E: overdue
		add(w.tr.b1.ID, w.wang.ID, "2026-06-01", "2026-09-30", "")            // F: open, in time
		add(w.tr.b2.ID, w.liu.ID, "2026-03-01", "2026-04-30", "")             // another branch

		meeting := w.plan(t, w.tr.b1.ID, "org_life", "2026-06-29")
		w.hold(t, meeting)
		for _, p := range []struct {
			id       int64
			problems []string
		}{{w.zhang.ID, []string{"带头学习不够", "谈心谈话少"}}, {w.li.ID, []string{"业务学习不系统"}}} {
			r := &ledger.LifeRecord{EventID: meeting.ID, PersonID: p.id, SelfCriticism: "对照检查"}
			if err := s.SaveLifeRecord(ctx, admin, b1, r); err != nil {
				t.Fatal(err)
			}
			for _, c := range p.problems {
				if err := s.AddLifeProblem(ctx, admin, b1, &ledger.Problem{EventID: meeting.ID, RecordID: r.ID, Content: c}); err != nil {
					t.Fatal(err)
				}
			}
		}

		cat, err := indicator.NewCatalogue(s.LedgerIndicators())
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ code, text, change string }{
			{"ledger.opened", "4项", "较上年同期提升100%"},
			{"ledger.closed", "3项", "较上年同期提升200%"},
			{"ledger.closure_rate", "50%", "与上年同期持平"},
			{"ledger.on_time_rate", "33.3%", "较上年同期降低66.7个百分点"},
			{"ledger.overdue", "1项", "与上年同期持平"},
			{"life.records", "2人次", "上年同期为0"},
			{"life.problems", "3项", "上年同期为0"},
		} {
			fig, err := cat.Figure(ctx, tc.code, b1, indicator.HalfYear(2026, 1))
			if err != nil {
				t.Fatal(err)
			}
			if fig.Text != tc.text || fig.ChangeText != tc.change {
				t.Errorf("%s: %s %s, want %s %s", tc.code, fig.Text, fig.ChangeText, tc.text, tc.change)
			}
		}
		// The summary's 存在的问题 names the branch with its overdue item.
		b1org, err := s.Org(ctx, auth.Everything, w.tr.b1.ID)
		if err != nil {
			t.Fatal(err)
		}
		spots, err := s.WeakSpots(ctx, b1, b1org, indicator.HalfYear(2026, 1), cat, nil, date.MustParse("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		var said []string
		for _, sp := range spots {
			if sp.Rule == "ledger_overdue" {
				said = append(said, sp.Text)
			}
		}
		if len(said) != 1 || said[0] != "第一党支部有1项整改事项逾期未完成" {
			t.Fatalf("the ledger's weak spots: %v", said)
		}
		// The drill-down of the overdue figure lists the very item counted.
		in, _ := cat.Lookup("ledger.overdue")
		link := in.Drill(b1, w.tr.b1.ID, indicator.HalfYear(2026, 1))
		if link != "/ledger?org="+strconv.FormatInt(w.tr.b1.ID, 10)+"&overdue_on=2026-06-30" {
			t.Fatalf("drill-down: %s", link)
		}
		page, err := s.LedgerItems(ctx, b1, store.LedgerFilter{OrgID: w.tr.b1.ID, OverdueOn: date.MustParse("2026-06-30")})
		if err != nil || page.Total != 1 || page.Items[0].Problem != "问题2026-03-01" {
			t.Fatalf("the overdue list: %+v %v", page, err)
		}
	})
}
