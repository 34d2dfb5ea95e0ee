package summary_test

import (
	"strings"
	"testing"

	"dangjian/internal/summary"
)

// FuzzParseTemplate: whatever staff type, the parser answers with a
// template or a refusal, never a panic; a template it accepts renders, and
// what it renders reads back with no figure lost.
func FuzzParseTemplate(f *testing.F) {
	f.Add(summary.Default)
	f.Add("# {{组织}}\n{{?参学人次}}，{{参学人次|同比}}。")
	f.Add("{{表格：参学人次、学习覆盖率}}\n{{存在的问题}}")
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := summary.Parse(src, known)
		if err != nil {
			return
		}
		figs := map[string]summary.Figure{}
		for _, c := range tpl.Codes() {
			figs[c] = summary.Figure{Code: c, Name: c, Text: "7次"}
		}
		body := summary.Render(tpl, summary.Vars{Org: "甲", Period: "乙"}, figs, []summary.WeakSpot{{Text: "丙"}})
		lines := summary.ReadBody(body)
		if strings.TrimSpace(body) != "" && len(lines) == 0 {
			t.Fatalf("%q rendered %q, which reads back as nothing", src, body)
		}
	})
}

// FuzzReadBody: whatever an editor saves as a summary's text reads back
// into lines without a panic, and no text outside the markers is lost.
func FuzzReadBody(f *testing.F) {
	f.Add("# 标题\n## 一、\n组织学习{{16次|learning.events}}，较上年同期提升15%。\n| 指标 | 本期 |\n| a | {{1|b}} |")
	f.Add("{{|}}{{")
	f.Add("|{{a|b|c}}|")
	f.Fuzz(func(t *testing.T, body string) {
		for _, l := range summary.ReadBody(body) {
			if l.Kind == summary.Para && strings.Contains(l.Plain(), "{{") && !strings.Contains(body, "{{") {
				t.Fatalf("%q grew a marker", body)
			}
			_ = l.Cells()
		}
	})
}
