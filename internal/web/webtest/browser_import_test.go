package webtest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestBrowserImportShowsProgressThenOutcome uploads a roster through the
// import page in Chromium: the page follows the background job (htmx polling)
// until it says how many were imported, and the roster then lists them.
func TestBrowserImportShowsProgressThenOutcome(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	file := filepath.Join(t.TempDir(), "花名册.xlsx")
	if err := os.WriteFile(file, webtest.RosterFile(t, 600), 0o600); err != nil {
		t.Fatal(err)
	}
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("branch1")
	if status := tb.Open("/people/import"); status != 200 {
		t.Fatalf("import page: %d", status)
	}
	tb.Step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	tb.Step("upload", chromedp.Click(webtest.Button("上传并导入")))
	tb.WaitFor("the outcome", `!!document.querySelector("#import-done, #import-problems")`)
	if got := tb.Text("#import-done"); !strings.Contains(got, "已导入 600 人") {
		t.Fatalf("outcome: %q; page: %s", got, tb.PageText())
	}
	if status := tb.Open("/people?q=测试"); status != 200 {
		t.Fatalf("roster: %d", status)
	}
	if page := tb.PageText(); !strings.Contains(page, "共 600 条") {
		t.Fatalf("roster after import: %s", page)
	}
}
