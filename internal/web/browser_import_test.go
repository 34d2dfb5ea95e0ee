package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
)

// TestBrowserImportShowsProgressThenOutcome uploads a roster through the
// import page in Chromium: the page follows the background job (htmx polling)
// until it says how many were imported, and the roster then lists them.
func TestBrowserImportShowsProgressThenOutcome(t *testing.T) {
	b := startBrowser(t)
	w := newWorld(t, store.SQLite)
	file := filepath.Join(t.TempDir(), "花名册.xlsx")
	if err := os.WriteFile(file, rosterFile(t, 600), 0o600); err != nil {
		t.Fatal(err)
	}
	tb := b.newTab(t, w.url)
	tb.loginOK("branch1")
	if status := tb.open("/people/import"); status != 200 {
		t.Fatalf("import page: %d", status)
	}
	tb.step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	tb.step("upload", chromedp.Click(button("上传并导入")))
	tb.waitFor("the outcome", `!!document.querySelector("#import-done, #import-problems")`)
	if got := tb.text("#import-done"); !strings.Contains(got, "已导入 600 人") {
		t.Fatalf("outcome: %q; page: %s", got, tb.pageText())
	}
	if status := tb.open("/people?q=测试"); status != 200 {
		t.Fatalf("roster: %d", status)
	}
	if page := tb.pageText(); !strings.Contains(page, "共 600 条") {
		t.Fatalf("roster after import: %s", page)
	}
}
