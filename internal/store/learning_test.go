package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/learning"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A secretary writes a plan with 每周四集中学习 and a monthly session on the
// 31st; creating its sessions makes July 2026's five Thursdays and its 31st,
// and doing it again makes nothing new.
func TestLearningPlanCreatesSessions(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		link := learning.Material{OrgID: w.tr.b1.ID, Title: "党的二十大报告", URL: "https://www.gov.cn/xinwen/2022-10/25/content_5721685.htm"}
		if err := w.s.AddLearningMaterial(ctx, admin, auth.Everything, &link); err != nil {
			t.Fatal(err)
		}
		p := learning.Plan{OrgID: w.tr.b1.ID, Title: "2026年7月学习计划", From: date.MustParse("2026-07-01"), To: date.MustParse("2026-07-31"),
			Schedules: []learning.Schedule{
				{KindID: w.kinds["study_session"].ID, Title: "周四集中学习", Repeat: learning.Weekly, Weekday: time.Thursday, Start: "15:00", Minutes: 120},
				{KindID: w.kinds["seminar"].ID, Title: "月末专题研讨", Repeat: learning.Monthly, MonthDay: 31, Start: "09:00", Minutes: 90},
			},
			Readings: []learning.Reading{{MaterialID: link.ID, Required: true}}}
		if err := w.s.SaveLearningPlan(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
		n, err := w.s.CreatePlanSessions(ctx, admin, auth.Everything, p.ID, false)
		if err != nil || n != 6 {
			t.Fatalf("created %d sessions (%v), want 5 Thursdays and the 31st", n, err)
		}
		if n, err := w.s.CreatePlanSessions(ctx, admin, auth.Everything, p.ID, false); err != nil || n != 0 {
			t.Fatalf("creating again made %d more (%v)", n, err)
		}
		sessions, err := w.s.PlanSessions(ctx, auth.Everything, p.ID)
		if err != nil || len(sessions) != 6 {
			t.Fatalf("%d sessions listed: %v", len(sessions), err)
		}
		if s := sessions[0]; s.Title != "周四集中学习" || s.Status != event.Planned || s.PlannedStart.In(event.China).Format("01-02 15:04") != "07-02 15:00" {
			t.Errorf("first session %q %s at %s", s.Title, s.Status, s.PlannedStart.In(event.China))
		}
		if last := sessions[5]; last.Title != "月末专题研讨" || last.KindID != w.kinds["seminar"].ID {
			t.Errorf("last session %q", last.Title)
		}
		got, err := w.s.LearningPlan(ctx, auth.Everything, p.ID)
		if err != nil || got.Sessions != 6 || len(got.Readings) != 1 || got.Readings[0].Title != "党的二十大报告" || len(got.Schedules) != 2 {
			t.Fatalf("plan read back: %+v, %v", got, err)
		}

		// A schedule of a kind that is not learning is refused, and nothing changes.
		bad := *got
		bad.Schedules = []learning.Schedule{{KindID: w.kinds["branch_committee"].ID, Title: "支委会", Repeat: learning.Weekly, Weekday: time.Monday, Start: "09:00", Minutes: 60}}
		if err := w.s.SaveLearningPlan(ctx, admin, auth.Everything, &bad); fieldKey(err, "schedules") != "learning.kind_not_learning" {
			t.Fatalf("a 支委会 schedule: %v", err)
		}
		if again, _ := w.s.LearningPlan(ctx, auth.Everything, p.ID); len(again.Schedules) != 2 || again.Version != got.Version {
			t.Error("the refused edit changed the plan")
		}
		// Another branch's secretary does not see it.
		if _, err := w.s.LearningPlan(ctx, auth.Scope{OrgPath: w.tr.b2.Path}, p.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("plan seen from 第二党支部: %v", err)
		}
		// A member of the branch sees it (and its materials); one of another branch does not.
		if list, err := w.s.LearningPlans(ctx, auth.Scope{OrgPath: "/", PersonID: w.wang.ID}); err != nil || len(list) != 1 {
			t.Errorf("王芳 sees %d plans: %v", len(list), err)
		}
		if list, err := w.s.LearningMaterials(ctx, auth.Scope{OrgPath: "/", PersonID: w.liu.ID}); err != nil || len(list) != 0 {
			t.Errorf("刘洋 sees %d materials of another branch: %v", len(list), err)
		}
		bogus := learning.Material{OrgID: w.tr.b1.ID, Title: "坏链接", URL: "javascript:alert(1)"}
		if err := w.s.AddLearningMaterial(ctx, admin, auth.Everything, &bogus); fieldKey(err, "url") != "learning.url_scheme" {
			t.Errorf("a javascript: link: %v", err)
		}
		file := learning.Material{OrgID: w.tr.b1.ID, Title: "学习材料汇编", FileName: "汇编.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 test")}
		if err := w.s.AddLearningMaterial(ctx, admin, auth.Everything, &file); err != nil {
			t.Fatal(err)
		}
		back, err := w.s.LearningMaterialFile(ctx, auth.Scope{OrgPath: "/", PersonID: w.wang.ID}, file.ID)
		if err != nil || string(back.Data) != "%PDF-1.4 test" || back.Size != 13 {
			t.Errorf("file read back by a member: %v", err)
		}
	})
}

// Members write notes and reflections on their phones: counted in
// characters, their own only, and the branch's per-capita figures (and the
// same period a year earlier) add them up.
func TestLearningNotesCountInFigures(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock() // 2026-06-30
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		wang := auth.Scope{OrgPath: "/", PersonID: w.wang.ID}
		note := learning.Note{PersonID: w.wang.ID, Kind: learning.StudyNote, Title: "学习笔记", Body: "坚持党对政法工作的绝对领导，\n锻造忠诚干净担当的政法铁军。"}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &note); err != nil {
			t.Fatal(err)
		}
		if note.Chars != 28 || note.WrittenOn.String() != "2026-06-30" {
			t.Fatalf("note counted %d characters on %s, want 28 on 2026-06-30", note.Chars, note.WrittenOn)
		}
		study := w.plan(t, w.tr.b1.ID, "study_session", "2026-06-29")
		ref := learning.Note{PersonID: w.wang.ID, Kind: learning.Reflection, Title: "学习心得", EventID: study.ID,
			Body: strings.Repeat("学习贯彻二十大精神心得体会。", 10)}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &ref); err != nil {
			t.Fatal(err)
		}
		// Someone else's pen: refused, and 刘洋 does not see 王芳's note.
		forged := learning.Note{PersonID: w.li.ID, Kind: learning.StudyNote, Title: "代写", Body: "这是一篇代替别人写的笔记内容。"}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &forged); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("王芳 wrote as 李娜: %v", err)
		}
		if _, err := w.s.LearningNote(ctx, auth.Scope{OrgPath: "/", PersonID: w.liu.ID}, note.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("刘洋 read 王芳's note: %v", err)
		}
		short := learning.Note{PersonID: w.wang.ID, Kind: learning.StudyNote, Title: "短", Body: "好"}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &short); fieldKey(err, "body") != "learning.body_too_short" {
			t.Errorf("a one-character note: %v", err)
		}
		// A year earlier: 李娜's handwritten notebook, transcribed.
		old := []learning.Note{{PersonID: w.li.ID, Kind: learning.StudyNote, Title: "手写笔记", Body: strings.Repeat("学", 100), WrittenOn: date.MustParse("2025-05-20")},
			{PersonID: w.li.ID, Kind: learning.Reflection, Title: "心得", Body: strings.Repeat("悟", 50), WrittenOn: date.MustParse("2025-05-21")}}
		if err := w.s.RecordLearningNotes(ctx, admin, auth.Scope{OrgPath: w.tr.b1.Path}, old); err != nil {
			t.Fatal(err)
		}
		future := []learning.Note{{PersonID: w.li.ID, Kind: learning.StudyNote, Title: "未来", Body: strings.Repeat("学", 20), WrittenOn: date.MustParse("2026-07-20")}}
		if err := w.s.RecordLearningNotes(ctx, admin, auth.Everything, future); fieldKey(err, "written_on") != "learning.written_in_future" {
			t.Errorf("a note dated in the future: %v", err)
		}

		half := event.Span{Start: date.MustParse("2026-01-01"), End: date.MustParse("2026-07-01")}
		in, err := w.s.EventFigureInput(ctx, auth.Everything, w.tr.b1.ID, half)
		if err != nil {
			t.Fatal(err)
		}
		f := event.Compute(in)
		// 第一党支部's roster: 张伟, 李娜, 王芳, 赵敏 (4 people).
		if in.NoteChars != 28 || in.Reflections != 1 || f.NotesPerCapita != 7 || f.ReflectionsPC != 0.25 {
			t.Errorf("this half-year: %d characters, %d reflections, %.2f and %.2f per capita; want 28, 1, 7, 0.25",
				in.NoteChars, in.Reflections, f.NotesPerCapita, f.ReflectionsPC)
		}
		then, err := w.s.EventFigureInput(ctx, auth.Everything, w.tr.b1.ID, half.YearEarlier())
		if err != nil || then.NoteChars != 100 || then.Reflections != 1 {
			t.Errorf("a year earlier: %d characters, %d reflections (%v)", then.NoteChars, then.Reflections, err)
		}
		if other, _ := w.s.EventFigureInput(ctx, auth.Everything, w.tr.b2.ID, half); other.NoteChars != 0 {
			t.Errorf("第二党支部 has %d characters of 第一党支部's notes", other.NoteChars)
		}
		// The same through the catalogue, as the summary reads it.
		cat, err := indicator.NewCatalogue(w.s.LearningIndicators())
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ code, text, change string }{
			{"learning.notes_per_capita", "7字", "较上年同期下降72%"}, // 100 characters over 4 people a year earlier
			{"learning.note_chars", "28字", "较上年同期下降72%"},
			{"learning.reflections_per_capita", "0.3篇", "与上年同期持平"},
		} {
			fig, err := cat.Figure(ctx, tc.code, auth.Scope{OrgPath: w.tr.b1.Path}, indicator.HalfYear(2026, 1))
			if err != nil {
				t.Fatal(err)
			}
			if fig.Text != tc.text || fig.ChangeText != tc.change {
				t.Errorf("catalogue %s: %s %s, want %s %s", tc.code, fig.Text, fig.ChangeText, tc.text, tc.change)
			}
		}
		mine, total, err := w.s.LearningNotes(ctx, wang, store.NoteFilter{})
		if err != nil || total != 2 || mine[0].Kind != learning.Reflection || mine[0].EventTitle == "" {
			t.Errorf("王芳's notes: %d, %+v, %v", total, mine, err)
		}
	})
}

// Each member's 学时 for the year: present or made up at held learning
// sessions, against 32 (members) or 56 (committee) 学时, configurable.
func TestLearningHours(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		for _, day := range []string{"2026-03-05", "2026-04-09"} {
			e := w.plan(t, w.tr.b1.ID, "study_session", day) // 2 学时 each
			w.hold(t, e)
			marks := []event.MarkInput{{PersonID: w.zhang.ID, Mark: event.Present},
				{PersonID: w.li.ID, Mark: event.Leave, LeaveReason: "出差", MadeUpOn: date.MustParse("2026-04-20"), MakeupHow: "观看录像"},
				{PersonID: w.wang.ID, Mark: event.Absent}}
			if _, err := w.s.MarkAttendance(ctx, admin, auth.Everything, e.ID, marks, event.BySecretary); err != nil {
				t.Fatal(err)
			}
		}
		committee := w.plan(t, w.tr.b1.ID, "branch_committee", "2026-03-06") // not learning: no 学时
		w.hold(t, committee)
		if _, err := w.s.MarkAttendance(ctx, admin, auth.Everything, committee.ID, []event.MarkInput{{PersonID: w.zhang.ID, Mark: event.Present}}, event.BySecretary); err != nil {
			t.Fatal(err)
		}
		list, req, err := w.s.LearningHours(ctx, auth.Everything, w.tr.b1.ID, store.YearSpan(2026))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]learning.Standing{}
		for _, s := range list {
			got[s.Name] = s
		}
		if len(list) != 3 || req != learning.DefaultRequirement {
			t.Fatalf("standings of %d people (the staff member 赵敏 is not a party member): %+v", len(list), list)
		}
		if z := got["张伟"]; z.Earned != 40 || !z.Committee || z.Required != 560 {
			t.Errorf("张伟 (secretary): %+v", z)
		}
		if l := got["李娜"]; l.Earned != 40 || l.Required != 320 || l.Met() {
			t.Errorf("李娜 (made up twice): %+v", l)
		}
		if g := got["王芳"]; g.Earned != 0 {
			t.Errorf("王芳 (absent): %+v", g)
		}
		if err := w.s.SaveLearningRequirement(ctx, admin, learning.Requirement{Member: 40, Committee: 80}); err != nil {
			t.Fatal(err)
		}
		// 学时达标率 of the first half-year: its share of 4 and 8 学时 (2 and
		// 4): 张伟 (secretary, 4) and 李娜 (4) reached it, 王芳 did not.
		cat, err := indicator.NewCatalogue(w.s.LearningIndicators())
		if err != nil {
			t.Fatal(err)
		}
		fig, err := cat.Figure(ctx, "learning.hours_met", auth.Scope{OrgPath: w.tr.b1.Path}, indicator.HalfYear(2026, 1))
		if err != nil || fig.Text != "66.7%" || fig.Drill == nil {
			t.Errorf("学时达标率: %s (%v)", fig.Text, err)
		}
		mine, _, err := w.s.LearningHours(ctx, auth.Scope{OrgPath: "/", PersonID: w.li.ID}, 0, store.YearSpan(2026))
		if err != nil || len(mine) != 1 || !mine[0].Met() || mine[0].Required != 40 {
			t.Errorf("李娜's own 学时 after the requirement became 4: %+v, %v", mine, err)
		}
		if err := w.s.SaveLearningRequirement(ctx, admin, learning.Requirement{Member: 0, Committee: 80}); err == nil {
			t.Error("a zero requirement was saved")
		}
		if last, _, _ := w.s.LearningHours(ctx, auth.Everything, w.tr.b1.ID, store.YearSpan(2025)); len(last) != 3 || last[0].Earned != 0 {
			t.Errorf("2025: %+v", last)
		}
	})
}

// A note may belong to a campaign that covers its writer; the campaign's
// notes add up alone, and another branch's campaign is refused.
func TestLearningNotesOfACampaign(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newEventWorld(t, storetest.Open(t, d, storetest.NewClock().Now))
		top := auth.Scope{OrgPath: w.tr.committee.Path}
		c := &ledger.Campaign{OrgID: w.tr.committee.ID, Name: "党史学习教育", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-12-31")}
		if err := w.s.SaveCampaign(ctx, admin, top, c); err != nil {
			t.Fatal(err)
		}
		other := &ledger.Campaign{OrgID: w.tr.b2.ID, Name: "第二党支部专题学习", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-12-31")}
		if err := w.s.SaveCampaign(ctx, admin, auth.Scope{OrgPath: w.tr.b2.Path}, other); err != nil {
			t.Fatal(err)
		}
		wang := auth.Scope{OrgPath: "/", PersonID: w.wang.ID}
		n := learning.Note{PersonID: w.wang.ID, Kind: learning.Reflection, Title: "党史学习心得", CampaignID: c.ID, Body: strings.Repeat("学党史悟思想。", 10)}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &n); err != nil {
			t.Fatal(err)
		}
		plain := learning.Note{PersonID: w.wang.ID, Kind: learning.StudyNote, Title: "笔记", Body: strings.Repeat("学", 30)}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &plain); err != nil {
			t.Fatal(err)
		}
		bad := learning.Note{PersonID: w.wang.ID, Kind: learning.StudyNote, Title: "别的支部的", CampaignID: other.ID, Body: strings.Repeat("学", 30)}
		if err := w.s.SaveLearningNote(ctx, admin, wang, &bad); fieldKey(err, "campaign_id") != "ledger.campaign_unknown" {
			t.Errorf("a note of another branch's campaign: %v", err)
		}
		got, _ := w.s.LearningNote(ctx, wang, n.ID)
		if got.Campaign != "党史学习教育" {
			t.Errorf("the note reads back with campaign %q", got.Campaign)
		}
		chars, refl, err := w.s.CampaignNotes(ctx, top, c.ID)
		if err != nil || chars != 0 || refl != 1 {
			t.Errorf("the campaign's notes: %d characters, %d reflections (%v); want 0 and 1", chars, refl, err)
		}
	})
}
