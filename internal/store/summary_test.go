package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/ledger"
	"dangjian/internal/msg"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/summary"
)

// catalogue is the platform's catalogue (app.Catalogue, which the store's
// tests cannot import).
func catalogue(t *testing.T, s *store.Store) *indicator.Catalogue {
	t.Helper()
	cat, err := indicator.NewCatalogue(s.PeopleIndicators(), s.OrgIndicators(), s.EventIndicators(), s.ReportedIndicators(), s.LedgerIndicators(), s.LearningIndicators())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestSummaryOfAHalfYearShapedLikeTheSeed enters the first half of 2026
// and of 2025 the way the second seed describes them — 集中学习, 专题研讨,
// 三会一课, a young member, 公务接待费用 from finance, the online rate from
// another system — and reads the generated summary: every figure, its
// change written as the seed writes it, and the weak spots.
func TestSummaryOfAHalfYearShapedLikeTheSeed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock() // 30 June 2026, moved back: the tree was entered in 2024
		clock.Advance(-2 * 365 * 24 * time.Hour)
		w := newEventWorld(t, storetest.Open(t, d, clock.Now))
		s := w.s
		clock.Advance(2*365*24*time.Hour + 10*24*time.Hour) // 10 July 2026: the half-year is over
		P, A := event.Present, event.Absent
		b1 := w.tr.b1.ID
		everyone := map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: P, w.zhao.ID: P}

		// 2026 H1: 集中学习 4 times, everyone there; one 专题研讨 with a
		// speaker from the party school; 支部党员大会 in Q1 only; 支委会 in
		// January, February, March and June (not April or May).
		for _, day := range []string{"2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"} {
			e := w.plan(t, b1, "study_session", day)
			w.hold(t, e)
			w.mark(t, e, day, everyone)
		}
		sem := w.plan(t, b1, "seminar", "2026-05-20")
		sem.Speakers = []event.Speaker{{Name: "陈教授", Title: "市委党校教授", Topic: "坚持党对政法工作的绝对领导"}}
		w.hold(t, sem)
		w.mark(t, sem, "2026-05-20", map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: A, w.zhao.ID: A})
		w.hold(t, w.plan(t, b1, "branch_congress", "2026-03-01"))
		for _, day := range []string{"2026-01-05", "2026-02-05", "2026-03-05", "2026-06-05"} {
			w.hold(t, w.plan(t, b1, "branch_committee", day))
		}
		// 2025 H1: 集中学习 5 times, 王芳 never there.
		for _, day := range []string{"2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10", "2025-05-10"} {
			e := w.plan(t, b1, "study_session", day)
			w.hold(t, e)
			w.mark(t, e, day, map[int64]event.Mark{w.zhang.ID: P, w.li.ID: P, w.wang.ID: A, w.zhao.ID: P})
		}
		// A young member admitted in March 2026 in 第二党支部.
		sun := newPerson(w.tr.b2.ID, "孙悦", "19980808", "006")
		sun.Status, sun.JoinedOn, sun.FullOn = people.Probationary, date.MustParse("2026-03-01"), date.Date{}
		sun.AppliedOn, sun.ActivistOn, sun.CandidateOn = date.MustParse("2024-01-10"), date.MustParse("2024-03-01"), date.MustParse("2025-06-01")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &sun); err != nil {
			t.Fatal(err)
		}
		// Reported by finance and the online platform.
		committee := w.tr.committee.ID
		for _, r := range []summary.Reported{
			{OrgID: committee, Code: "reported.reception_cost", From: date.MustParse("2025-01-01"), To: date.MustParse("2025-06-30"), Value: 100000, Evidence: "财务处2025年上半年报表"},
			{OrgID: committee, Code: "reported.reception_cost", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-06-30"), Value: 85000, Evidence: "财务处2026年上半年报表"},
			{OrgID: committee, Code: "reported.online_rate", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-06-30"), Value: 45, Evidence: "线上党建平台导出"},
		} {
			if err := s.SaveReported(ctx, admin, auth.Everything, &r); err != nil {
				t.Fatal(err)
			}
		}

		// A rectification item of 第一党支部 due in May, still open.
		late := &ledger.Item{OrgID: b1, Problem: "理论学习不够深入", Measures: "每周四集中学习", OwnerID: w.zhang.ID,
			OpenedOn: date.MustParse("2026-03-01"), Deadline: date.MustParse("2026-05-31")}
		if err := s.CreateLedgerItem(ctx, admin, auth.Everything, late); err != nil {
			t.Fatal(err)
		}

		cat := catalogue(t, s)
		tpl := store.SummaryTemplate{Name: "半年总结", Body: `# {{组织}}{{期间}}党建工作总结
## 一、以思想建设为根基
组织集中学习{{集中学习次数}}，{{集中学习次数|同比}}；专题研讨{{?专题研讨次数}}；专题读书班{{?专题读书班次数}}；邀请授课{{授课人次}}，覆盖党员干部{{参学人次}}，{{参学人次|同比}}，覆盖率达{{学习覆盖率}}，{{学习覆盖率|同比}}。
## 二、以组织建设为核心
召开支部党员大会{{events.held.branch_congress}}、支委会{{events.held.branch_committee}}。35岁以下党员占比{{people.under35_share}}，{{people.under35_share|同比}}。
## 三、以作风建设为抓手
公务接待费用{{?公务接待费用}}，{{公务接待费用|同比}}。
## 五、存在的主要问题
{{存在的问题}}`}
		if err := s.SaveSummaryTemplate(ctx, admin, store.Resolver(cat), &tpl); err != nil {
			t.Fatal(err)
		}
		h1 := indicator.HalfYear(2026, 1)
		m, err := s.GenerateSummary(ctx, admin, auth.Everything, cat, store.SummaryRequest{OrgID: committee, Period: h1, TemplateID: tpl.ID})
		if err != nil {
			t.Fatal(err)
		}
		text := plainText(m.Body)
		for _, want := range []string{
			"市委政法委机关党委2026年上半年党建工作总结",
			"组织集中学习4次，较上年同期下降20%；专题研讨1次；邀请授课1人次，覆盖党员干部18人次，较上年同期提升20%，覆盖率达100%，较上年同期提高25个百分点。",
			"召开支部党员大会1次、支委会4次。35岁以下党员占比20%，较上年同期提高20个百分点。",
			"公务接待费用8.5万元，较上年同期下降15%。",
			"第一党支部二季度未召开支部党员大会",
			"第一党支部4月、5月未召开支委会",
			"集中学习次数为4次，较上年同期下降20%",
			"线上活动参与率为45%，低于60%",
			"第一党支部有1项整改事项逾期未完成",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the summary lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "专题读书班") {
			t.Error("a sentence whose optional figure is zero was kept")
		}
		if strings.Contains(text, "公务接待费用为") {
			t.Error("a fall of a cost was written as a weak spot")
		}
		// The figures link to their records; the reported one to its entries.
		if f, ok := m.Figure("reported.reception_cost"); !ok || !f.Reported || f.Text != "8.5万元" {
			t.Fatalf("reported figure: %+v", f)
		}
		in, _ := cat.Lookup("reported.reception_cost")
		entries, err := s.ReportedList(ctx, auth.Everything, store.ReportedFilter{OrgID: committee, Code: in.Code, From: h1.From, To: h1.To})
		if err != nil || len(entries) != 1 || entries[0].Value != 85000 || entries[0].Evidence != "财务处2026年上半年报表" {
			t.Fatalf("drill-down of the reported figure: %+v %v", entries, err)
		}
		if link := in.Drill(auth.Everything, committee, h1); !strings.Contains(link, "code=reported.reception_cost") {
			t.Fatalf("drill link %s", link)
		}

		// The saved summary reads the same after the records change.
		w.hold(t, w.plan(t, b1, "study_session", "2026-06-20"))
		again, err := s.Summary(ctx, auth.Everything, m.ID)
		if err != nil || again.Body != m.Body || len(again.Figures) != len(m.Figures) {
			t.Fatalf("saved summary changed: %v", err)
		}
		if f, _ := again.Figure("events.held.study_session"); f.Text != "4次" || f.Change != "较上年同期下降20%" {
			t.Fatalf("kept figure %+v", f)
		}
		fresh, err := s.GenerateSummary(ctx, admin, auth.Everything, cat, store.SummaryRequest{OrgID: committee, Period: h1, TemplateID: tpl.ID})
		if err != nil || !strings.Contains(plainText(fresh.Body), "组织集中学习5次，与上年同期持平") {
			t.Fatalf("a new summary does not count the new record: %v\n%s", err, fresh.Body)
		}

		// An edit is a version; an edit from a stale version is refused.
		edited := strings.Replace(m.Body, "## 一、以思想建设为根基", "## 一、以思想建设为根基，筑牢政治忠诚", 1)
		n, err := s.EditSummary(ctx, admin, auth.Everything, m.ID, 1, edited)
		if err != nil || n != 2 {
			t.Fatalf("edit: %d %v", n, err)
		}
		if _, err := s.EditSummary(ctx, admin, auth.Everything, m.ID, 1, edited+"\n补充。"); err == nil {
			t.Fatal("an edit over a newer version was saved")
		}
		versions, err := s.SummaryVersions(ctx, auth.Everything, m.ID)
		if err != nil || len(versions) != 2 || versions[0].N != 2 || !strings.Contains(versions[0].Body, "筑牢政治忠诚") || versions[1].Body != m.Body {
			t.Fatalf("versions: %+v %v", versions, err)
		}
		entries2, _, err := s.AuditEntries(ctx, audit.Filter{Action: "summary.", Limit: 10})
		if err != nil || len(entries2) != 3 {
			t.Fatalf("audit of generate, generate, edit: %d %v", len(entries2), err)
		}

		// 第二党支部's staff see neither the committee's summary nor may they
		// generate one for it.
		b2 := auth.Scope{OrgPath: w.tr.b2.Path}
		if _, err := s.Summary(ctx, b2, m.ID); err != errs.ErrNotFound {
			t.Fatalf("another branch reads the committee's summary: %v", err)
		}
		if _, err := s.GenerateSummary(ctx, admin, b2, cat, store.SummaryRequest{OrgID: committee, Period: h1}); err == nil {
			t.Fatal("a branch generated the committee's summary")
		}

		// A rule switched off writes nothing; its change is audited.
		_, rules, err := s.SummaryRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		off := rules[0]
		off.Enabled = false
		if err := s.SaveSummaryRule(ctx, admin, &off); err != nil {
			t.Fatal(err)
		}
		quiet, err := s.GenerateSummary(ctx, admin, auth.Everything, cat, store.SummaryRequest{OrgID: committee, Period: h1})
		if err != nil {
			t.Fatalf("with the meetings rule off: %v", err)
		}
		if strings.Contains(quiet.Body, "未召开") || !strings.Contains(plainText(quiet.Body), "党员参与线上活动的积极性有待提升") {
			t.Fatalf("with the meetings rule off: %v\n%s", err, quiet.Body)
		}
	})
}

func plainText(body string) string {
	var b strings.Builder
	for _, l := range summary.ReadBody(body) {
		b.WriteString(l.Plain())
		b.WriteString("\n")
	}
	return b.String()
}

// TestBadTemplatesAndEntriesChangeNothing: a template naming an unknown
// indicator is refused with its line; a reported figure without evidence,
// or entered twice for one period, is refused; nothing is saved.
func TestBadTemplatesAndEntriesChangeNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now)
		tr := buildTree(t, s)
		cat := catalogue(t, s)
		bad := store.SummaryTemplate{Name: "错误模板", Body: "# 总结\n学习{{学习活动次数}}。\n覆盖{{参学人教}}。"}
		err := s.SaveSummaryTemplate(ctx, admin, store.Resolver(cat), &bad)
		v, ok := err.(*errs.Invalid)
		if !ok || msg.Text(v.Fields["body"]) != "第3行：未知指标“参学人教”（请用指标目录中的代码或名称）" {
			t.Fatalf("%v", err)
		}
		if list, _ := s.SummaryTemplates(ctx); len(list) != 1 {
			t.Fatalf("a refused template was saved: %d", len(list))
		}
		r := summary.Reported{OrgID: tr.b1.ID, Code: "reported.books", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-06-30"), Value: 1200}
		if err := s.SaveReported(ctx, admin, auth.Everything, &r); fieldOf(err) != "evidence" {
			t.Fatalf("no evidence: %v", err)
		}
		r.Evidence = "图书采购清单"
		if err := s.SaveReported(ctx, admin, auth.Everything, &r); err != nil {
			t.Fatal(err)
		}
		twice := r
		twice.ID = 0
		if err := s.SaveReported(ctx, admin, auth.Everything, &twice); fieldOf(err) != "code" {
			t.Fatalf("entered twice: %v", err)
		}
		outside := summary.Reported{OrgID: tr.b1.ID, Code: "reported.books", From: r.From, To: r.To, Value: 1, Evidence: "x"}
		if err := s.SaveReported(ctx, admin, auth.Scope{OrgPath: tr.b2.Path}, &outside); err == nil {
			t.Fatal("a branch entered a figure for another")
		}
		f, err := cat.Figure(ctx, "reported.books", auth.Everything, indicator.HalfYear(2026, 1))
		if err != nil || f.Text != "1200册" || f.ChangeText != "" {
			t.Fatalf("%+v %v", f, err)
		}
		// A year's figure replaces the half-year's in the year, not in the half.
		year := summary.Reported{OrgID: tr.b1.ID, Code: "reported.books", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"), Value: 2000, Evidence: "全年图书采购清单"}
		if err := s.SaveReported(ctx, admin, auth.Everything, &year); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			p    indicator.Period
			want string
		}{{indicator.HalfYear(2026, 1), "1200册"}, {indicator.Year(2026), "2000册"}} {
			f, err := cat.Figure(ctx, "reported.books", auth.Everything, tc.p)
			list, err2 := s.ReportedList(ctx, auth.Everything, store.ReportedFilter{Code: "reported.books", From: tc.p.From, To: tc.p.To})
			if err != nil || err2 != nil || f.Text != tc.want || len(list) != 1 {
				t.Errorf("%s: %s, %d entries listed (%v %v)", tc.p.Label, f.Text, len(list), err, err2)
			}
		}
	})
}
