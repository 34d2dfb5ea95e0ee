package summary_test

import (
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/msg"
	"dangjian/internal/summary"
)

// known resolves a few indicators by code and by name, as the catalogue does.
func known(key string) (string, bool) {
	names := map[string]string{
		"events.held.study_session": "集中学习次数", "learning.person_times": "参学人次",
		"learning.coverage": "学习覆盖率", "people.under35_share": "35岁以下党员占比",
		"events.held.seminar": "专题研讨次数", "reported.reception_cost": "公务接待费用",
	}
	for code, name := range names {
		if key == code || key == name {
			return code, true
		}
	}
	return "", false
}

// problem is the Chinese message a refused template shows.
func problem(t *testing.T, err error) string {
	t.Helper()
	v, ok := err.(*errs.Invalid)
	if !ok {
		t.Fatalf("want a field error, got %v", err)
	}
	return msg.Text(v.Fields["body"])
}

func TestUnknownIndicatorIsRefusedWithNameAndLine(t *testing.T) {
	src := "# {{组织}}总结\n## 一、思想建设\n组织集中学习{{集中学习次数}}，覆盖{{参学人教}}。\n"
	_, err := summary.Parse(src, known)
	if got := problem(t, err); got != "第3行：未知指标“参学人教”（请用指标目录中的代码或名称）" {
		t.Fatalf("message %q", got)
	}
	for src, want := range map[string]string{
		"正文\n\n{{表格：参学人次、learning.nope}}": "第3行：未知指标“learning.nope”（请用指标目录中的代码或名称）",
		"覆盖{{参学人次|环比}}":                   "第1行：“|环比”无法识别，只能写“|同比”",
		"覆盖{{参学人次":                        "第1行：“{{”没有配对的“}}”",
		"覆盖}}参学人次":                        "第1行：“}}”没有配对的“{{”",
		"正文\n# 标题":                        "第2行：标题（# 开头）只能有一个，且须在第一行",
		"## {{?参学人次}}":                    "第1行：标题中不能使用可省略的指标（{{?…}}）",
		"共{{ }}人":                         "第1行：“{{}}”中没有写指标",
		"见{{存在的问题}}":                      "第1行：“存在的问题”须单独占一行",
		"\n \n":                           "模板不能为空",
	} {
		_, err := summary.Parse(src, known)
		if got := problem(t, err); got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
}

func TestTheDefaultTemplateHasTheSeedsSections(t *testing.T) {
	anything := func(k string) (string, bool) { return k, true }
	tpl, err := summary.Parse(summary.Default, anything)
	if err != nil {
		t.Fatal(err)
	}
	var heads []string
	for _, b := range tpl.Blocks {
		if b.Kind == summary.Heading1 {
			heads = append(heads, b.Pieces[0].Text)
		}
	}
	joined := strings.Join(heads, "|")
	for _, s := range []string{"思想建设", "组织建设", "作风建设", "党风廉政建设", "存在的主要问题", "下一步工作"} {
		if !strings.Contains(joined, s) {
			t.Errorf("the default template lacks %s: %s", s, joined)
		}
	}
	if len(tpl.Codes()) < 20 {
		t.Errorf("the default template names only %d indicators", len(tpl.Codes()))
	}
}

func fig(code, name, text, change string, kind indicator.Kind, now, before float64) summary.Figure {
	return summary.Figure{Code: code, Name: name, Kind: kind, Text: text, Change: change,
		Now: indicator.Of(now), Before: indicator.Of(before), BeforeText: "x"}
}

func TestRenderFillsFiguresAndLeavesOutZeroSentences(t *testing.T) {
	src := `# {{组织}}{{期间}}党建工作总结
## 一、思想建设
组织集中学习{{集中学习次数}}，{{集中学习次数|同比}}；专题研讨{{?专题研讨次数}}；覆盖党员干部{{参学人次}}，{{参学人次|同比}}。接待费用{{?公务接待费用}}。
35岁以下党员占比{{people.under35_share}}，{{people.under35_share|同比}}。
### （一）研讨
专题研讨{{?专题研讨次数}}。
### （二）学习
组织集中学习{{集中学习次数}}；专题研讨{{?专题研讨次数}}；
## 二、存在的问题
{{存在的问题}}
{{表格：学习覆盖率}}`
	tpl, err := summary.Parse(src, known)
	if err != nil {
		t.Fatal(err)
	}
	figs := map[string]summary.Figure{
		"events.held.study_session": fig("events.held.study_session", "集中学习次数", "16次", "较上年同期提升15%", indicator.Count, 16, 14),
		"events.held.seminar":       fig("events.held.seminar", "专题研讨次数", "0次", "与上年同期持平", indicator.Count, 0, 0),
		"learning.person_times":     fig("learning.person_times", "参学人次", "320人次", "", indicator.PersonTimes, 320, 0),
		"people.under35_share":      fig("people.under35_share", "35岁以下党员占比", "38%", "较上年同期提高5个百分点", indicator.Share, 38, 33),
		"learning.coverage":         fig("learning.coverage", "学习覆盖率", "99%", "较上年同期提高1个百分点", indicator.Rate, 99, 98),
	}
	problems := []summary.WeakSpot{{Text: "第三党支部二季度未召开支部党员大会"}, {Text: "第二党支部学习覆盖率为85%，低于90%的要求"}}
	body := summary.Render(tpl, summary.Vars{Org: "市委政法委", Period: "2026年上半年"}, figs, problems)
	want := `# 市委政法委2026年上半年党建工作总结
## 一、思想建设
组织集中学习{{16次|events.held.study_session}}，较上年同期提升15%；覆盖党员干部{{320人次|learning.person_times}}。
35岁以下党员占比{{38%|people.under35_share}}，较上年同期提高5个百分点。
### （二）学习
组织集中学习{{16次|events.held.study_session}}。
## 二、存在的问题
一是第三党支部二季度未召开支部党员大会。
二是第二党支部学习覆盖率为85%，低于90%的要求。
| 指标 | 本期 | 上年同期 | 同比 |
| 学习覆盖率 | {{99%|learning.coverage}} | x | 较上年同期提高1个百分点 |`
	if body != want {
		t.Fatalf("rendered:\n%s\nwant:\n%s", body, want)
	}
	lines := summary.ReadBody(body)
	if len(lines) != 10 || lines[0].Kind != summary.Title || lines[9].Kind != summary.Table {
		t.Fatalf("read back: %+v", lines)
	}
	if p := lines[2].Spans; p[1].Text != "16次" || p[1].Code != "events.held.study_session" {
		t.Fatalf("figure spans: %+v", p)
	}
	if c := lines[9].Cells(); len(c) != 2 || c[1][1] != "99%" || c[1][3] != "较上年同期提高1个百分点" {
		t.Fatalf("table cells: %q", c)
	}
	if lines[2].Plain() != "组织集中学习16次，较上年同期提升15%；覆盖党员干部320人次。" {
		t.Fatalf("plain: %q", lines[2].Plain())
	}
}

func TestMissedMeetingsAreWrittenAsTheIssueWritesThem(t *testing.T) {
	on := date.MustParse
	congress := event.Rule{ID: 1, KindName: "支部党员大会", Period: event.Quarterly, Times: 1}
	committee := event.Rule{ID: 2, KindName: "支委会", Period: event.Monthly, Times: 1}
	checks := []event.Check{
		{OrgID: 3, OrgName: "第三党支部", Rule: congress, Span: event.Span{Start: on("2026-01-01"), End: on("2026-04-01")}, Held: 1, Required: 1, State: event.Met},
		{OrgID: 3, OrgName: "第三党支部", Rule: congress, Span: event.Span{Start: on("2026-04-01"), End: on("2026-07-01")}, Required: 1, State: event.Missed},
		{OrgID: 3, OrgName: "第三党支部", Rule: committee, Span: event.Span{Start: on("2026-05-01"), End: on("2026-06-01")}, Required: 1, State: event.Missed},
		{OrgID: 3, OrgName: "第三党支部", Rule: committee, Span: event.Span{Start: on("2026-04-01"), End: on("2026-05-01")}, Required: 1, State: event.Missed},
		{OrgID: 3, OrgName: "第三党支部", Rule: committee, Span: event.Span{Start: on("2026-06-01"), End: on("2026-07-01")}, Required: 1, State: event.Due},
		{OrgID: 4, OrgName: "第四党支部", Rule: event.Rule{ID: 5, KindName: "党课", Period: event.Quarterly, Times: 2}, Span: event.Span{Start: on("2026-01-01"), End: on("2026-04-01")}, Held: 1, Required: 2, State: event.Missed},
	}
	got := summary.MissedMeetings(checks)
	want := []string{"第三党支部二季度未召开支部党员大会", "第三党支部4月、5月未召开支委会", "第四党支部党课一季度仅召开1次（应2次）"}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i].Text != want[i] {
			t.Errorf("%q, want %q", got[i].Text, want[i])
		}
	}
}

func TestFallsAndLowFiguresAreNamed(t *testing.T) {
	figs := []summary.Figure{
		fig("learning.person_times", "参学人次", "256人次", "较上年同期下降20%", indicator.PersonTimes, 256, 320),
		fig("events.held", "活动次数", "95次", "较上年同期下降5%", indicator.Count, 95, 100),                    // under the 10% threshold
		fig("learning.coverage", "学习覆盖率", "80%", "较上年同期降低15个百分点", indicator.Rate, 80, 95),           // points
		fig("reported.reception_cost", "公务接待费用", "8万元", "较上年同期下降15%", indicator.Amount, 8e4, 9.4e4), // good news
		fig("people.members", "党员人数", "320名", "较上年同期提升7%", indicator.Count, 320, 300),
	}
	got := summary.Fell(figs, 10)
	if len(got) != 2 || got[0].Text != "参学人次为256人次，较上年同期下降20%" || got[1].Text != "学习覆盖率为80%，较上年同期降低15个百分点" {
		t.Fatalf("%+v", got)
	}
	cov := indicator.Indicator{Kind: indicator.Rate, Unit: "%"}
	low := summary.LowCoverage([]summary.OrgFigure{
		{OrgName: "第一党支部", Figure: indicator.Figure{Indicator: cov, Now: indicator.Ratio(19, 20)}},
		{OrgName: "第二党支部", Figure: indicator.Figure{Indicator: cov, Now: indicator.Ratio(17, 20)}},
		{OrgName: "第三党支部", Figure: indicator.Figure{Indicator: cov, Now: indicator.Ratio(0, 0)}},
	}, 90)
	if len(low) != 1 || low[0].Text != "第二党支部学习覆盖率为85%，低于90%的要求" {
		t.Fatalf("%+v", low)
	}
	if s := summary.OnlineLow(fig("reported.online_rate", "", "45%", "", indicator.Rate, 45, 0), 60); len(s) != 1 || !strings.Contains(s[0].Text, "45%") {
		t.Fatalf("%+v", s)
	}
}

func TestReportedEntryIsChecked(t *testing.T) {
	r := summary.Reported{OrgID: 1, Code: "reported.task_completion", From: date.MustParse("2026-01-01"), To: date.MustParse("2025-06-30"), Value: 120}
	err := r.Validate()
	v, ok := err.(*errs.Invalid)
	if !ok || msg.Text(v.Fields["to"]) != "结束日期不能早于开始日期" || msg.Text(v.Fields["value"]) != "比率不能超过100" || msg.Text(v.Fields["evidence"]) == "" {
		t.Fatalf("%v", err)
	}
	r = summary.Reported{OrgID: 1, Code: "reported.reception_cost", From: date.MustParse("2026-01-01"), To: date.MustParse("2026-06-30"), Value: 86000, Evidence: " 财务处上半年报表 "}
	if err := r.Validate(); err != nil || r.Name != "公务接待费用" || r.Evidence != "财务处上半年报表" {
		t.Fatalf("%v %+v", err, r)
	}
}
