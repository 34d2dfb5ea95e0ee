package webtest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// download fetches a file with the tab's session, as the browser's own
// download of the link would.
func download(tb *webtest.Tab, path string) []byte {
	tb.T.Helper()
	b64 := webtest.Eval[string](tb, `(() => {
		const x = new XMLHttpRequest();
		x.open("GET", `+webtest.JSString(path)+`, false);
		x.overrideMimeType("text/plain; charset=x-user-defined");
		x.send();
		if (x.status !== 200) return "";
		let s = "";
		for (let i = 0; i < x.responseText.length; i++) s += String.fromCharCode(x.responseText.charCodeAt(i) & 0xff);
		return btoa(s);
	})()`)
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(data) == 0 {
		tb.T.Fatalf("download %s: %v", path, err)
	}
	return data
}

// editCells changes cells of the first sheet, each found by the person's
// name in 姓名 and the column's header.
func editCells(t *testing.T, data []byte, edits [][3]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	for _, e := range edits {
		row := 0
		for i, r := range rows {
			if len(r) >= col["姓名"] && r[col["姓名"]-1] == e[0] {
				row = i + 1
			}
		}
		if row == 0 || col[e[1]] == 0 {
			t.Fatalf("no cell %s/%s in the export", e[0], e[1])
		}
		ref, _ := excelize.CoordinatesToCellName(col[e[1]], row)
		if err := f.SetCellStr(sheet, ref, e[2]); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBrowserRosterRoundTrip: the committee exports the roster, changes
// three cells, imports the file in the update mode, sees a preview of
// exactly those three changes, confirms, and finds them on the person's
// page and in the audit log. Then a file naming two units the tree lacks:
// the report lists each once, the committee creates both from it, and every
// row is imported.
func TestBrowserRosterRoundTrip(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("committee")
	if status := tb.Open("/people"); status != 200 {
		t.Fatalf("roster: %d", status)
	}
	edited := editCells(t, download(tb, "/people/export.xlsx"), [][3]string{
		{"张伟", "职务", "副主任"},
		{"李娜", "职务", "科员"},
		{"李娜", "学历", "研究生"},
	})

	if status := tb.Open("/people/import"); status != 200 {
		t.Fatalf("import page: %d", status)
	}
	tb.Step("choose the update mode", chromedp.Click(chromedp.CSS("#mode-update")))
	tb.Step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{writeTemp(t, "花名册.xlsx", edited)}))
	tb.Step("upload", chromedp.Click(webtest.Button("上传并导入")))
	tb.WaitFor("the preview", `!!document.querySelector("#import-preview, #import-problems, #import-missing")`)
	changes := webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll("#preview-table tr.change"), r => r.innerText.replace(/\s+/g, " ").trim())`)
	if len(changes) != 3 {
		t.Fatalf("preview rows %q; page %s", changes, tb.PageText())
	}
	for i, want := range []string{"张伟 职务 （空） 副主任", "李娜 学历 大学本科 研究生", "李娜 职务 （空） 科员"} {
		if !strings.Contains(changes[i], want) {
			t.Fatalf("preview row %d: %q, want %q", i, changes[i], want)
		}
	}
	if p, _ := w.Store.Person(context.Background(), w.Users["committee"].Scope(), w.P1.ID); p.Position != "" {
		t.Fatal("the preview wrote")
	}
	// The same preview on a 360 px phone: readable without the page
	// scrolling sideways (a wide table scrolls in its own box), and the
	// confirm button on the screen.
	tb.Step("a 360 px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if wide := webtest.Eval[bool](tb, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
		t.Errorf("the import preview is %d px wide on a 360 px phone", webtest.Eval[int](tb, `document.documentElement.scrollWidth`))
	}
	if clipped := webtest.Eval[bool](tb, `(() => { const b = Array.from(document.querySelectorAll("button")).find(b => b.textContent.includes("确认更新"));
		const r = b.getBoundingClientRect(); return r.left < 0 || r.right > document.documentElement.clientWidth + 0.5; })()`); clipped {
		t.Error("the confirm button is off the phone's screen")
	}
	if small := webtest.Eval[bool](tb, `parseFloat(getComputedStyle(document.querySelector("#preview-table")).fontSize) < 14`); small {
		t.Error("the preview's text is smaller than 14 px on a phone")
	}
	tb.Step("back to the desktop", chromedp.EmulateReset())
	tb.ClickTo(webtest.Button("确认更新 2 人"))
	tb.WaitFor("the outcome", `!!document.querySelector("#import-done, #import-problems, #import-stale")`)
	if got := tb.Text("#import-done"); !strings.Contains(got, "已更新 2 人") {
		t.Fatalf("outcome %q", got)
	}
	if status := tb.Open("/people/" + strconv.FormatInt(w.P1.ID, 10)); status != 200 || !strings.Contains(tb.PageText(), "副主任") {
		t.Fatalf("person page after the update: %d %s", status, tb.PageText())
	}
	for _, id := range []int64{w.P1.ID, w.P2.ID} {
		entries, _, err := w.Store.AuditEntries(context.Background(), audit.Filter{Action: "person.update", ObjectID: strconv.FormatInt(id, 10)})
		if err != nil || len(entries) != 1 || entries[0].Username != "committee" {
			t.Fatalf("audit of person %d: %v %+v", id, err, entries)
		}
	}

	// A file naming two units the tree lacks.
	f := excelize.NewFile()
	rows := [][]any{
		{"姓名", "身份证号", "人员类别", "工作单位", "所在支部", "入党时间", "转正时间"},
		{"赵一", webtest.ValidID("19800101", "401"), "正式党员", "市委党校", "第二党支部", "2010-07-01", "2011-07-01"},
		{"赵二", webtest.ValidID("19810101", "402"), "正式党员", "市档案馆", "第二党支部", "2010-07-01", "2011-07-01"},
		{"赵三", webtest.ValidID("19820101", "403"), "正式党员", "市委党校", "第二党支部", "2010-07-01", "2011-07-01"},
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", ref, &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	f.Close()
	if status := tb.Open("/people/import"); status != 200 {
		t.Fatalf("import page: %d", status)
	}
	tb.Step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{writeTemp(t, "新单位.xlsx", buf.Bytes())}))
	tb.Step("upload", chromedp.Click(webtest.Button("上传并导入")))
	tb.WaitFor("the report", `!!document.querySelector("#import-missing, #import-problems, #import-done")`)
	items := webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll("tr.missing-item"), r => r.innerText.replace(/\s+/g, " ").trim())`)
	if len(items) != 2 || !strings.Contains(items[0], "市委党校") || !strings.Contains(items[0], "2 行") || !strings.Contains(items[1], "市档案馆") {
		t.Fatalf("missing units %q; page %s", items, tb.PageText())
	}
	// Both created under the committee, the default offered.
	if got := tb.Chosen("#parent-0"); got != w.Root.Name {
		t.Fatalf("parent offered %q, options %v", got, tb.Options("#parent-0"))
	}
	tb.ClickTo(webtest.Button("按以上处理并重新导入"))
	tb.WaitFor("the outcome", `!!document.querySelector("#import-done, #import-problems, #import-missing")`)
	if got := tb.Text("#import-done"); !strings.Contains(got, "已导入 3 人") {
		t.Fatalf("after creating the units: %q %s", got, tb.PageText())
	}
	if status := tb.Open("/people?q=赵"); status != 200 || !strings.Contains(tb.PageText(), "市档案馆") {
		t.Fatalf("roster after the import: %s", tb.PageText())
	}
}
