package webtest

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

	"github.com/chromedp/cdproto/page"
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

// ChromePath finds a Chromium or Chrome to drive: DANGJIAN_CHROME, then the
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

// Browser is one running Chromium.
type Browser struct {
	ctx context.Context // holds the browser; it outlives any one tab's deadline
}

// StartBrowser launches headless Chromium for the test with a fresh profile
// and stops it when the test ends. Without a Chromium the test is skipped
// loudly (or fails under DANGJIAN_REQUIRE_ALL).
func StartBrowser(t *testing.T) *Browser {
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
	return &Browser{ctx: ctx}
}

// Tab is one browser tab in its own browser context (its own cookies), open
// on the site at base.
type Tab struct {
	T    *testing.T // the test the tab belongs to
	base string
	ctx  context.Context // the tab's deadline; every step runs under it
}

// NewTab opens a tab in a fresh browser context. When the test fails, a
// screenshot of what the tab showed is saved and its path logged.
func (b *Browser) NewTab(t *testing.T, base string) *Tab {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, browserTestTimeout)
	tb := &Tab{T: t, base: base, ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			tb.Screenshot(tabCtx)
		}
		cancel()
		cancelTab()
	})
	return tb
}

// Screenshot saves the whole page as a PNG in the temporary directory and
// logs where; it is for a person debugging a failure, never committed.
func (tb *Tab) Screenshot(tabCtx context.Context) {
	ctx, cancel := context.WithTimeout(tabCtx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.T.Logf("no screenshot: %v", err)
		return
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(tb.T.Name(), "_")
	f, err := os.CreateTemp("", "dangjian-"+name+"-*.png")
	if err != nil {
		tb.T.Logf("no screenshot: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(png); err != nil {
		tb.T.Logf("no screenshot: %v", err)
		return
	}
	where, _ := filepath.Abs(f.Name())
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	tb.T.Logf("screenshot of the page at failure: %s (at %s)", where, loc)
}

// Step runs actions with the step timeout and fails the test with what was
// being done.
func (tb *Tab) Step(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.T.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.T.Fatalf("%s: %v (page %s)", what, err, tb.Location())
	}
}

// Run runs one action that returns a value, like step.
func Run[T any](tb *Tab, what string, a chromedp.Action[T]) T {
	tb.T.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.T.Fatalf("%s: %v (page %s)", what, err, tb.Location())
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func Eval[T any](tb *Tab, js string) T {
	tb.T.Helper()
	return Run(tb, "evaluate "+js, chromedp.Evaluate[T](js))
}

// waitFor polls a JavaScript condition until it holds (a part of the page
// swapped in by htmx), failing after the step timeout.
func (tb *Tab) WaitFor(what, js string) {
	tb.T.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !Eval[bool](tb, js) {
		if time.Now().After(deadline) {
			tb.T.Fatalf("waiting for %s: %s never held (page %s)", what, js, tb.Location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// open loads a page of the site, as if typed into the address bar, and
// returns the HTTP status of the document.
func (tb *Tab) Open(path string) int {
	tb.T.Helper()
	res := Run(tb, "open "+path, chromedp.NavigateResponse(tb.base+path))
	if res == nil {
		tb.T.Fatalf("open %s: no response", path)
	}
	return int(res.Status)
}

// Follow runs the actions (a click on a link or a submit button) and waits
// for the page they lead to; it returns that page's HTTP status.
func (tb *Tab) Follow(what string, steps ...chromedp.Action[chromedp.Void]) int {
	tb.T.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		tb.T.Fatalf("%s: %v (page %s)", what, err, tb.Location())
	}
	if res == nil {
		tb.T.Fatalf("%s: no page loaded", what)
	}
	return int(res.Status)
}

// ClickTo clicks the button or link sel finds and waits for the page it
// leads to; it returns that page's HTTP status.
func (tb *Tab) ClickTo(sel chromedp.Search) int {
	tb.T.Helper()
	return tb.Follow("click "+string(sel)+" and wait for the next page", chromedp.Click(sel))
}

// AcceptConfirms answers every confirmation the page asks from now on (a
// button with data-confirm) with 确定, as a person who means the click does.
func (tb *Tab) AcceptConfirms() {
	dialogs := chromedp.Events(tb.ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// Location is the current address of the tab, for messages; it never fails.
func (tb *Tab) Location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// Path is the path and query of the current address.
func (tb *Tab) Path() string {
	tb.T.Helper()
	loc := Run(tb, "read the address", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.T.Fatalf("address %q: %v", loc, err)
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// Text is the visible text of the first element sel finds.
func (tb *Tab) Text(sel string) string {
	tb.T.Helper()
	return strings.TrimSpace(Run(tb, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// Value is the current value of a form control.
func (tb *Tab) Value(sel string) string {
	tb.T.Helper()
	return Run(tb, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// typeInto empties a text field and types into it key by key, as a person
// does. (chromedp.Clear resets only the value attribute, which does not
// empty a field that has been typed in, and chromedp.SetValue refuses "".)
func (tb *Tab) TypeInto(sel, text string) {
	tb.T.Helper()
	tb.Step("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	if !Eval[bool](tb, `(() => { const e = document.querySelector(`+JSString(sel)+`);
		if (!e) return false;
		e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`) {
		tb.T.Fatalf("no field %s to type into", sel)
	}
	tb.Step("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := tb.Value(sel); got != text {
		tb.T.Fatalf("typed %q into %s, it holds %q", text, sel, got)
	}
}

// setDate fills a date field. Typing into a date input depends on the
// browser's locale, so the value is set directly, as the date picker would.
func (tb *Tab) SetDate(sel, isoDate string) {
	tb.T.Helper()
	tb.Step("set the date "+sel, chromedp.SetValue(chromedp.CSS(sel), isoDate))
	if got := tb.Value(sel); got != isoDate {
		tb.T.Fatalf("date field %s holds %q, want %q", sel, got, isoDate)
	}
}

// choose selects the option of a dropdown whose visible label is label, as a
// person picks it by what it says (indentation of tree options ignored).
func (tb *Tab) Choose(sel, label string) {
	tb.T.Helper()
	tb.Step("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	ok := Eval[bool](tb, `(() => {
		const s = document.querySelector(`+JSString(sel)+`);
		const o = Array.from(s.options).find(o => o.text.trim() === `+JSString(label)+`);
		if (!o) return false;
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	if !ok {
		tb.T.Fatalf("dropdown %s has no option %q; it offers %v", sel, label, tb.Options(sel))
	}
}

// Chosen is the visible label of the selected option of a dropdown.
func (tb *Tab) Chosen(sel string) string {
	tb.T.Helper()
	return Eval[string](tb, `(() => { const s = document.querySelector(`+JSString(sel)+`);
		return s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].text.trim(); })()`)
}

func (tb *Tab) Options(sel string) []string {
	tb.T.Helper()
	return Eval[[]string](tb, `Array.from(document.querySelector(`+JSString(sel)+`).options, o => o.text.trim())`)
}

// Visible reports whether an element is present and takes up room on the
// screen (not display:none, not hidden).
func (tb *Tab) Visible(sel string) bool {
	tb.T.Helper()
	return Eval[bool](tb, `(() => { const e = document.querySelector(`+JSString(sel)+`);
		if (!e) return false;
		const r = e.getBoundingClientRect(), st = getComputedStyle(e);
		return r.width > 0 && r.height > 0 && st.visibility !== "hidden"; })()`)
}

// PageText is everything the page shows, plus its title.
func (tb *Tab) PageText() string {
	tb.T.Helper()
	return Eval[string](tb, `document.title + "\n" + document.body.innerText`)
}

// PageHTML is the whole document as the browser holds it.
func (tb *Tab) PageHTML() string {
	tb.T.Helper()
	return Eval[string](tb, `document.documentElement.outerHTML`)
}

// Button is the XPath of a button or link by its visible words, the way a
// Person finds it.
func Button(words string) chromedp.Search {
	return chromedp.Search(`//*[(self::button or self::a) and normalize-space()=` + XPathString(words) + `]`)
}

// MenuLink is the XPath of an entry of the main menu.
func MenuLink(words string) chromedp.Search {
	return chromedp.Search(`//nav[contains(@class,"sidebar")]//a[normalize-space()=` + XPathString(words) + `]`)
}

// JsString quotes s as a JavaScript string literal.
func JSString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// XpathString quotes s as an XPath 1.0 string literal.
func XPathString(s string) string {
	if strings.Contains(s, `"`) {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

// Login signs in through the login form: types the username and password
// And clicks 登录. It returns the status of the page the form leads to.
func (tb *Tab) Login(username, password string) int {
	tb.T.Helper()
	if status := tb.Open("/login"); status != 200 {
		tb.T.Fatalf("login page: status %d", status)
	}
	tb.TypeInto("#f-username", username)
	tb.TypeInto("#f-password", password)
	return tb.ClickTo(Button("登录"))
}

// LoginOK signs in, typing the code of the account's authenticator when
// the second step asks for it, and checks the person lands on the work page.
func (tb *Tab) LoginOK(username string) {
	tb.T.Helper()
	status := tb.Login(username, Password)
	if status == 200 && tb.Path() == "/login" && tb.Visible("#second-step") {
		w, ok := worlds.Load(tb.base)
		if !ok {
			tb.T.Fatalf("login as %s asks for a code, and the tab's site is no test world", username)
		}
		tb.TypeInto("#f-code", w.(*World).Code(tb.T, username))
		status = tb.ClickTo(Button("验证并登录"))
	}
	if status != 200 {
		tb.T.Fatalf("login as %s: status %d; page says %q", username, status, tb.PageText())
	}
	if p := tb.Path(); p != "/" {
		tb.T.Fatalf("login as %s landed on %s, want the work page /", username, p)
	}
	if h := tb.Text("h1"); h != "工作台" {
		tb.T.Fatalf("login as %s: heading %q, want 工作台", username, h)
	}
}
