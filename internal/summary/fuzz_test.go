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
