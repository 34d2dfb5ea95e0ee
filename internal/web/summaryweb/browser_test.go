package summaryweb_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserSummary is the committee's staff at work: choose 第一党支部
// and 上半年, generate, follow a figure to the records behind it, rewrite a
// sentence and save it as a new version, download the Word file and find
// the new sentence in it; then the dashboard on a phone, whose charts and
// links lead to the lists behind them.
func TestBrowserSummary(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	api := w.Login(t, "branch1")
	studies(t, w, api, 2026, 3)
	studies(t, w, api, 2025, 2)

	tb := b.NewTab(t, w.URL)
	tb.LoginOK("committee")
	if status := tb.ClickTo(webtest.MenuLink("工作总结")); status != 200 || tb.Text("h1") != "工作总结" {
		t.Fatalf("工作总结: %d %s", status, tb.PageText())
	}
	tb.Choose("#f-org_id", "第一党支部")
	tb.Choose("#f-period", "上半年")
	tb.TypeInto("#f-year", "2026")
	if status := tb.ClickTo(webtest.Button("生成")); status != 200 {
		t.Fatalf("generate: %d %s", status, tb.PageText())
	}
	summaryPath := tb.Path()
	if !strings.HasPrefix(summaryPath, "/summaries/") || tb.Text(".doc-title") != "第一党支部2026年上半年党建工作总结" {
		t.Fatalf("after generating: %s %q", summaryPath, tb.Text(".doc-title"))
	}
	doc := tb.Text("#document")
	for _, want := range []string{"组织集中学习3次", "较上年同期提升50%", "存在的主要问题"} {
		if !strings.Contains(doc, want) {
			t.Fatalf("the summary lacks %q:\n%s", want, doc)
		}
	}

	// A figure leads to the records it was counted from.
	if status := tb.ClickTo(chromedp.Search(`a.figure[data-code="events.held.study_session"]`)); status != 200 {
		t.Fatalf("following 集中学习: %d", status)
	}
	if p := tb.Location(); !strings.Contains(p, "/events/figures") || !strings.Contains(p, "from=2026-01-01") || !strings.Contains(p, "to=2026-06-30") {
		t.Fatalf("the figure led to %s", p)
	}
	if row := tb.Text(`#figures tr[data-key="events.held.study_session"]`); !strings.Contains(row, "3") {
		t.Fatalf("the records behind 集中学习: %q", row)
	}

	// Rewrite a sentence and save it as version 2.
	tb.Open(summaryPath)
	if status := tb.ClickTo(webtest.Button("修改正文")); status != 200 {
		t.Fatalf("edit: %d", status)
	}
	old := tb.Value("#f-body")
	sentence := "严格落实集中学习、业务课堂和自学制度"
	rewritten := "坚持“周四集中学习日”“周五业务课堂”“每日1小时自学”制度"
	if !strings.Contains(old, sentence) {
		t.Fatalf("the text to edit lacks %q", sentence)
	}
	if !webtest.Eval[bool](tb, `(() => { const a = document.querySelector("#f-body");
		a.value = a.value.replace(`+webtest.JSString(sentence)+`, `+webtest.JSString(rewritten)+`); return true; })()`) {
		t.Fatal("could not edit")
	}
	if status := tb.ClickTo(webtest.Button("保存为新版本")); status != 200 {
		t.Fatalf("save: %d %s", status, tb.PageText())
	}
	if !strings.Contains(tb.Text("#document"), rewritten) || !strings.Contains(tb.Text("#versions"), "第 2 版") || !strings.Contains(tb.PageText(), "已保存为新版本") {
		t.Fatalf("after saving: %s", tb.PageText())
	}

	// Download the Word file as the browser does, and read it.
	href := webtest.Eval[string](tb, `document.querySelector("#download").getAttribute("href")`)
	b64 := webtest.Run(tb, "download the Word file", chromedp.Evaluate[string](`fetch(`+webtest.JSString(href)+`).then(r => {
		if (!r.ok || !r.headers.get("Content-Disposition").includes(".docx")) throw new Error("download " + r.status);
		return r.arrayBuffer(); }).then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) < 100 || string(raw[:2]) != "PK" {
		t.Fatalf("the download is no Word file: %v %d", err, len(raw))
	}
	if text := wordText(t, raw); !strings.Contains(text, rewritten) || !strings.Contains(text, "组织集中学习3次") {
		t.Fatalf("the Word file lacks the edit:\n%s", text)
	}

	// The dashboard on a phone: charts drawn, nothing sticks out sideways,
	// a month leads to its records.
	tb.Step("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	if status := tb.Open("/dashboard?org=" + webtest.Itoa(w.Branch1.ID) + "&year=2026"); status != 200 {
		t.Fatalf("dashboard: %d", status)
	}
	tb.WaitFor("the charts", `document.querySelectorAll("#chart-months canvas, #chart-coverage canvas").length >= 2`)
	if over := webtest.Eval[float64](tb, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("the dashboard is %v px wider than the phone", over)
	}
	if kpi := tb.Text(`#kpis [data-code="learning.events"]`); !strings.Contains(kpi, "3次") || !strings.Contains(kpi, "较上年同期提升50%") {
		t.Fatalf("key figure: %q", kpi)
	}
	if status := tb.ClickTo(chromedp.Search(`//p[contains(@class,"chart-links")]/a[starts-with(normalize-space(),"3月")]`)); status != 200 || !strings.Contains(tb.Location(), "from=2026-03-01") {
		t.Fatalf("March leads to %s (%d)", tb.Location(), status)
	}
}
