package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store/storetest"
)

// Browser tests drive a real headless Chromium through chromedp. Each test
// starts its own browser; each tab gets its own browser context, so cookies
// never leak from one person to the next.

const (
	// browserTestTimeout bounds everything one tab does, so a test can fail
	// but never hang.
	browserTestTimeout = 60 * time.Second
	// stepTimeout bounds one look-up or click; a selector that never matches
	// fails after this rather than after the whole test's budget.
	stepTimeout = 15 * time.Second
)

// chromePath finds a Chromium or Chrome to drive: DANGJIAN_CHROME, then the
// Debian package's path, then the usual names on PATH.
func chromePath() string {
	if p := os.Getenv("DANGJIAN_CHROME"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one running Chromium.
type browser struct {
	ctx context.Context // holds the browser; it outlives any one tab's deadline
}

// startBrowser launches headless Chromium for the test with a fresh profile
// and stops it when the test ends. Without a Chromium the test is skipped
// loudly (or fails under DANGJIAN_REQUIRE_ALL).
func startBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromePath()
	if path == "" {
		storetest.Missing(t, "Chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
	}
	profile := t.TempDir() // removed after the browser has stopped (cleanups run last-in, first-out)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// The users' locale: Accept-Language and navigator.language say
		// zh-CN (date fields follow it too where chromium-l10n is installed).
		chromedp.Env("LANGUAGE=zh_CN"),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1280, 900),
	)
	// The allocator's deadline is a last resort against a wedged browser;
	// each tab has its own, shorter one.
	limit, cancelLimit := context.WithTimeout(context.Background(), 2*browserTestTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(limit, opts...)
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelLimit()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return &browser{ctx: ctx}
}

// tab is one browser tab in its own browser context (its own cookies), open
// on the site at base.
type tab struct {
	t    *testing.T
	base string
	ctx  context.Context // the tab's deadline; every step runs under it
}

// newTab opens a tab in a fresh browser context. When the test fails, a
// screenshot of what the tab showed is saved and its path logged.
func (b *browser) newTab(t *testing.T, base string) *tab {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, browserTestTimeout)
	tb := &tab{t: t, base: base, ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshot(tabCtx)
		}
		cancel()
		cancelTab()
	})
	return tb
}

// screenshot saves the whole page as a PNG in the temporary directory and
// logs where; it is for a person debugging a failure, never committed.
func (tb *tab) screenshot(tabCtx context.Context) {
	ctx, cancel := context.WithTimeout(tabCtx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(tb.t.Name(), "_")
	f, err := os.CreateTemp("", "dangjian-"+name+"-*.png")
	if err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(png); err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	where, _ := filepath.Abs(f.Name())
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	tb.t.Logf("screenshot of the page at failure: %s (at %s)", where, loc)
}

// step runs actions with the step timeout and fails the test with what was
// being done.
func (tb *tab) step(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v (page %s)", what, err, tb.location())
	}
}

// run runs one action that returns a value, like step.
func run[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v (page %s)", what, err, tb.location())
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	return run(tb, "evaluate "+js, chromedp.Evaluate[T](js))
}

// waitFor polls a JavaScript condition until it holds (a part of the page
// swapped in by htmx), failing after the step timeout.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !eval[bool](tb, js) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("waiting for %s: %s never held (page %s)", what, js, tb.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// open loads a page of the site, as if typed into the address bar, and
// returns the HTTP status of the document.
func (tb *tab) open(path string) int {
	tb.t.Helper()
	res := run(tb, "open "+path, chromedp.NavigateResponse(tb.base+path))
	if res == nil {
		tb.t.Fatalf("open %s: no response", path)
	}
	return int(res.Status)
}

// follow runs the actions (a click on a link or a submit button) and waits
// for the page they lead to; it returns that page's HTTP status.
func (tb *tab) follow(what string, steps ...chromedp.Action[chromedp.Void]) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		tb.t.Fatalf("%s: %v (page %s)", what, err, tb.location())
	}
	if res == nil {
		tb.t.Fatalf("%s: no page loaded", what)
	}
	return int(res.Status)
}

// clickTo clicks the button or link sel finds and waits for the page it
// leads to; it returns that page's HTTP status.
func (tb *tab) clickTo(sel chromedp.Search) int {
	tb.t.Helper()
	return tb.follow("click "+string(sel)+" and wait for the next page", chromedp.Click(sel))
}

// location is the current address of the tab, for messages; it never fails.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// path is the path and query of the current address.
func (tb *tab) path() string {
	tb.t.Helper()
	loc := run(tb, "read the address", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("address %q: %v", loc, err)
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// text is the visible text of the first element sel finds.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(run(tb, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// value is the current value of a form control.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return run(tb, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// typeInto empties a text field and types into it key by key, as a person
// does. (chromedp.Clear resets only the value attribute, which does not
// empty a field that has been typed in, and chromedp.SetValue refuses "".)
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.step("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	if !eval[bool](tb, `(() => { const e = document.querySelector(`+jsString(sel)+`);
		if (!e) return false;
		e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`) {
		tb.t.Fatalf("no field %s to type into", sel)
	}
	tb.step("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := tb.value(sel); got != text {
		tb.t.Fatalf("typed %q into %s, it holds %q", text, sel, got)
	}
}

// setDate fills a date field. Typing into a date input depends on the
// browser's locale, so the value is set directly, as the date picker would.
func (tb *tab) setDate(sel, isoDate string) {
	tb.t.Helper()
	tb.step("set the date "+sel, chromedp.SetValue(chromedp.CSS(sel), isoDate))
	if got := tb.value(sel); got != isoDate {
		tb.t.Fatalf("date field %s holds %q, want %q", sel, got, isoDate)
	}
}

// choose selects the option of a dropdown whose visible label is label, as a
// person picks it by what it says (indentation of tree options ignored).
func (tb *tab) choose(sel, label string) {
	tb.t.Helper()
	tb.step("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	ok := eval[bool](tb, `(() => {
		const s = document.querySelector(`+jsString(sel)+`);
		const o = Array.from(s.options).find(o => o.text.trim() === `+jsString(label)+`);
		if (!o) return false;
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	if !ok {
		tb.t.Fatalf("dropdown %s has no option %q; it offers %v", sel, label, tb.options(sel))
	}
}

// chosen is the visible label of the selected option of a dropdown.
func (tb *tab) chosen(sel string) string {
	tb.t.Helper()
	return eval[string](tb, `(() => { const s = document.querySelector(`+jsString(sel)+`);
		return s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].text.trim(); })()`)
}

func (tb *tab) options(sel string) []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelector(`+jsString(sel)+`).options, o => o.text.trim())`)
}

// visible reports whether an element is present and takes up room on the
// screen (not display:none, not hidden).
func (tb *tab) visible(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, `(() => { const e = document.querySelector(`+jsString(sel)+`);
		if (!e) return false;
		const r = e.getBoundingClientRect(), st = getComputedStyle(e);
		return r.width > 0 && r.height > 0 && st.visibility !== "hidden"; })()`)
}

// pageText is everything the page shows, plus its title.
func (tb *tab) pageText() string {
	tb.t.Helper()
	return eval[string](tb, `document.title + "\n" + document.body.innerText`)
}

// pageHTML is the whole document as the browser holds it.
func (tb *tab) pageHTML() string {
	tb.t.Helper()
	return eval[string](tb, `document.documentElement.outerHTML`)
}

// button is the XPath of a button or link by its visible words, the way a
// person finds it.
func button(words string) chromedp.Search {
	return chromedp.Search(`//*[(self::button or self::a) and normalize-space()=` + xpathString(words) + `]`)
}

// menuLink is the XPath of an entry of the main menu.
func menuLink(words string) chromedp.Search {
	return chromedp.Search(`//nav[contains(@class,"sidebar")]//a[normalize-space()=` + xpathString(words) + `]`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// xpathString quotes s as an XPath 1.0 string literal.
func xpathString(s string) string {
	if strings.Contains(s, `"`) {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

// login signs in through the login form: types the username and password
// and clicks 登录. It returns the status of the page the form leads to.
func (tb *tab) login(username, password string) int {
	tb.t.Helper()
	if status := tb.open("/login"); status != 200 {
		tb.t.Fatalf("login page: status %d", status)
	}
	tb.typeInto("#f-username", username)
	tb.typeInto("#f-password", password)
	return tb.clickTo(button("登录"))
}

// loginOK signs in and checks the person lands on the work page.
func (tb *tab) loginOK(username string) {
	tb.t.Helper()
	if status := tb.login(username, testPassword); status != 200 {
		tb.t.Fatalf("login as %s: status %d; page says %q", username, status, tb.pageText())
	}
	if p := tb.path(); p != "/" {
		tb.t.Fatalf("login as %s landed on %s, want the work page /", username, p)
	}
	if h := tb.text("h1"); h != "工作台" {
		tb.t.Fatalf("login as %s: heading %q, want 工作台", username, h)
	}
}
