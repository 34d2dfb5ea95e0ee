package peopleweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// uploadWith posts a file as the multipart field "file" with other fields.
func uploadWith(t *testing.T, w *webtest.World, c *webtest.Client, path string, data []byte, fields map[string]string) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "花名册.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", w.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// importAnswer is the API's answer to an import, a preview or a refusal.
type importAnswer struct {
	Mode        string
	Imported    int
	Updated     int
	Rows        int
	Unchanged   int
	Preview     bool
	Fingerprint string
	Changes     []struct {
		Row      int
		PersonID int64 `json:"person_id"`
		Name     string
		Fields   []struct{ Column, From, To string }
	}
}

func decodeImport(t *testing.T, res webtest.Response) importAnswer {
	t.Helper()
	var a importAnswer
	if err := json.Unmarshal([]byte(res.Body), &a); err != nil {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	return a
}

// setCells edits cells of a workbook's first sheet, found by header text.
func setCells(t *testing.T, data []byte, edits map[[2]string]string, nameOf func(string) int) []byte {
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
	for k, v := range edits {
		ref, _ := excelize.CoordinatesToCellName(col[k[1]], nameOf(k[0]))
		if err := f.SetCellStr(sheet, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The roster exported through the API imports back in the update mode with
// no change; three cells edited in the export are exactly the preview's
// three changes, and sent again with the preview's fingerprint they are on
// the people and in the audit log, once each.
func TestAPIUpdateModeRoundTrip(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		if res := c.Upload("/api/v1/people/import", "roster.xlsx", webtest.RosterFile(t, 30)); res.Status != http.StatusOK {
			t.Fatalf("import: %d %s", res.Status, res.Body)
		}
		exp := c.Get("/api/v1/people/export.xlsx")
		if exp.Status != http.StatusOK {
			t.Fatalf("export: %d", exp.Status)
		}
		data := []byte(exp.Body)
		res := uploadWith(t, w, c, "/api/v1/people/import", data, map[string]string{"mode": "update"})
		if a := decodeImport(t, res); res.Status != http.StatusOK || !a.Preview || len(a.Changes) != 0 || a.Unchanged != 32 || a.Rows != 32 {
			t.Fatalf("round trip: %d %s", res.Status, res.Body)
		}

		// Which spreadsheet row holds whom.
		f, _ := excelize.OpenReader(bytes.NewReader(data))
		rows, _ := f.GetRows(f.GetSheetName(0))
		f.Close()
		rowOf := func(name string) int {
			for i, r := range rows {
				if len(r) > 1 && r[1] == name {
					return i + 1
				}
			}
			t.Fatalf("%s not in the export", name)
			return 0
		}
		edited := setCells(t, data, map[[2]string]string{
			{"张伟", "职务"}:       "副主任",
			{"李娜", "联系电话"}:     "13812345679",
			{rows[5][1], "姓名"}: rows[5][1] + "改",
		}, rowOf)
		res = uploadWith(t, w, c, "/api/v1/people/import", edited, map[string]string{"mode": "update"})
		preview := decodeImport(t, res)
		if res.Status != http.StatusOK || !preview.Preview || len(preview.Changes) != 3 || preview.Unchanged != 29 {
			t.Fatalf("preview: %d %s", res.Status, res.Body)
		}
		got := map[string]string{}
		for _, ch := range preview.Changes {
			if len(ch.Fields) != 1 {
				t.Fatalf("%s: %+v", ch.Name, ch.Fields)
			}
			got[ch.Fields[0].Column] = ch.Fields[0].From + "→" + ch.Fields[0].To
		}
		want := map[string]string{"职务": "→副主任", "联系电话": w.P2.Phone + "→13812345679", "姓名": rows[5][1] + "→" + rows[5][1] + "改"}
		if len(got) != 3 || got["职务"] != want["职务"] || got["联系电话"] != want["联系电话"] || got["姓名"] != want["姓名"] {
			t.Fatalf("preview changes %v, want %v", got, want)
		}
		// Nothing written yet.
		if p, _ := w.Store.Person(context.Background(), w.Users["committee"].Scope(), w.P1.ID); p.Position == "副主任" {
			t.Fatal("the preview wrote")
		}
		// A stale fingerprint writes nothing.
		res = uploadWith(t, w, c, "/api/v1/people/import", edited, map[string]string{"mode": "update", "expect": "stale"})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "import_stale") {
			t.Fatalf("stale confirmation: %d %s", res.Status, res.Body)
		}
		res = uploadWith(t, w, c, "/api/v1/people/import", edited, map[string]string{"mode": "update", "expect": preview.Fingerprint})
		if a := decodeImport(t, res); res.Status != http.StatusOK || a.Updated != 3 || a.Preview {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		for _, ch := range preview.Changes {
			p := c.Get("/api/v1/people/" + webtest.Itoa(ch.PersonID))
			if !strings.Contains(p.Body, strings.TrimPrefix(got[ch.Fields[0].Column], strings.Split(got[ch.Fields[0].Column], "→")[0]+"→")) &&
				ch.Fields[0].Column != "联系电话" {
				t.Fatalf("%s after the update: %s", ch.Name, p.Body)
			}
			entries, _, err := w.Store.AuditEntries(context.Background(), audit.Filter{Action: "person.update", ObjectID: strconv.FormatInt(ch.PersonID, 10)})
			if err != nil || len(entries) != 1 || entries[0].Username != "committee" {
				t.Fatalf("audit of %s: %v %+v", ch.Name, err, entries)
			}
		}
		if p, _ := w.Store.Person(context.Background(), w.Users["committee"].Scope(), w.P2.ID); p.Phone != "13812345679" {
			t.Fatalf("phone %q", p.Phone)
		}
		// The history has the four runs.
		hist := c.Get("/api/v1/people/imports")
		if hist.Status != http.StatusOK || strings.Count(hist.Body, `"mode":"update"`) != 4 || !strings.Contains(hist.Body, `"updated":3,"problems":0,"outcome":"imported"`) {
			t.Fatalf("history: %s", hist.Body)
		}
	})
}

// From the page: the update is previewed and written only on 确认更新; a
// file naming a unit the tree lacks gets a report that offers to create it,
// its error list, and, once created, imports every row.
func TestPageUpdatePreviewConfirmAndResolve(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		data := []byte(c.Get("/api/v1/people/export.xlsx").Body)
		f, _ := excelize.OpenReader(bytes.NewReader(data))
		rows, _ := f.GetRows(f.GetSheetName(0))
		f.Close()
		edited := setCells(t, data, map[[2]string]string{{"张伟", "职务"}: "副主任"}, func(name string) int {
			for i, r := range rows {
				if len(r) > 1 && r[1] == name {
					return i + 1
				}
			}
			return 0
		})
		res := uploadWith(t, w, c, "/people/import", edited, map[string]string{"mode": "update"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		page := waitImport(t, c, res.Header.Get("Location"))
		if !strings.Contains(page.Body, `id="import-preview"`) || strings.Count(page.Body, `class="change"`) != 1 ||
			!strings.Contains(page.Body, "副主任") || !strings.Contains(page.Body, "确认更新 1 人") {
			t.Fatalf("preview page: %s", page.Body)
		}
		res = c.Form(res.Header.Get("Location")+"/confirm", url.Values{})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		if page = waitImport(t, c, res.Header.Get("Location")); !strings.Contains(page.Body, "已更新 1 人") {
			t.Fatalf("after confirming: %s", page.Body)
		}
		if p, _ := w.Store.Person(context.Background(), w.Users["committee"].Scope(), w.P1.ID); p.Position != "副主任" {
			t.Fatalf("position %q", p.Position)
		}

		// Two rows in a unit the tree lacks.
		file := sheetOf(t, [][]any{
			{"姓名", "身份证号", "人员类别", "工作单位", "所在支部", "入党时间", "转正时间"},
			{"王一", webtest.ValidID("19800101", "301"), "正式党员", "市委党校", "第二党支部", "2010-07-01", "2011-07-01"},
			{"王二", webtest.ValidID("19810101", "302"), "正式党员", "市委党校", "第二党支部", "2010-07-01", "2011-07-01"},
			{"王三", webtest.ValidID("19820101", "303"), "正式党员", "", "第二党支部", "2010-07-01", "2011-07-01"},
		})
		res = c.Upload("/people/import", "新单位.xlsx", file)
		job := res.Header.Get("Location")
		page = waitImport(t, c, job)
		if page.Status != http.StatusUnprocessableEntity || strings.Count(page.Body, `class="missing-item"`) != 1 ||
			!strings.Contains(page.Body, "市委党校") || !strings.Contains(page.Body, "2 行") {
			t.Fatalf("report: %d %s", page.Status, page.Body)
		}
		// The error list: the sheet as uploaded with a 错误说明 column.
		el := c.Get(job + "/errors.xlsx")
		ef, err := excelize.OpenReader(strings.NewReader(el.Body))
		if el.Status != http.StatusOK || err != nil {
			t.Fatalf("error list: %d %v", el.Status, err)
		}
		erows, _ := ef.GetRows(ef.GetSheetName(0))
		ef.Close()
		if len(erows) != 4 || erows[0][7] != "错误说明" || !strings.Contains(erows[1][7], "市委党校") || len(erows[3]) > 7 || erows[1][1] != webtest.ValidID("19800101", "301") {
			t.Fatalf("error list rows %q", erows)
		}
		// Create it under the committee: every row goes in.
		res = c.Form(job+"/resolve", url.Values{"action_0": {"create"}, "parent_0": {webtest.Itoa(w.Root.ID)}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("resolve: %d %s", res.Status, res.Body)
		}
		if page = waitImport(t, c, res.Header.Get("Location")); !strings.Contains(page.Body, "已导入 3 人") {
			t.Fatalf("after creating the unit: %s", page.Body)
		}
		if n, _ := w.Store.People(context.Background(), w.Users["committee"].Scope(), store.PersonFilter{Limit: 1, Query: "王"}); n.Total != 3 {
			t.Fatalf("%d imported", n.Total)
		}
	})
}

// An upload over the limit is refused with the importer's own message.
func TestOversizedUploadSaysTheLimit(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	big := bytes.Repeat([]byte("x"), 11<<20)
	res := c.Upload("/people/import", "大.xlsx", big)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "文件超过10 MB") {
		t.Fatalf("page: %d %.300s", res.Status, res.Body)
	}
	res = c.Upload("/api/v1/people/import", "大.xlsx", big)
	if res.Status != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "文件超过10 MB") {
		t.Fatalf("api: %d %s", res.Status, res.Body)
	}
}

func sheetOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A branch secretary, who may not create organisations, is offered only to
// take an existing organisation for a missing one; creating is refused and
// nothing is created.
func TestResolveWithoutOrgRights(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch1")
	file := sheetOf(t, [][]any{
		{"姓名", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间"},
		{"孙一", webtest.ValidID("19800101", "501"), "正式党员", "第一党支部第一党小组", "2010-07-01", "2011-07-01"},
	})
	res := c.Upload("/people/import", "小组.xlsx", file)
	job := res.Header.Get("Location")
	page := waitImport(t, c, job)
	if page.Status != http.StatusUnprocessableEntity || strings.Contains(page.Body, `id="action-create-0"`) || !strings.Contains(page.Body, `id="action-map-0" checked`) {
		t.Fatalf("report for a branch secretary: %d %s", page.Status, page.Body)
	}
	res = c.Form(job+"/resolve", url.Values{"action_0": {"create"}, "parent_0": {webtest.Itoa(w.Branch1.ID)}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "需要组织管理权限") {
		t.Fatalf("create without the right: %d %.300s", res.Status, res.Body)
	}
	if list, _ := w.Store.Orgs(context.Background(), w.Users["committee"].Scope(), store.OrgFilter{}); len(list) != 5 {
		t.Fatalf("%d organisations", len(list))
	}
	res = c.Form(job+"/resolve", url.Values{"action_0": {"map"}, "target_0": {webtest.Itoa(w.Group1.ID)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("map: %d %.300s", res.Status, res.Body)
	}
	if page = waitImport(t, c, res.Header.Get("Location")); !strings.Contains(page.Body, "已导入 1 人") {
		t.Fatalf("after mapping: %s", page.Body)
	}
	if p, _ := w.Store.People(context.Background(), w.Users["branch1"].Scope(), store.PersonFilter{Limit: 5, OrgID: w.Group1.ID}); p.Total != 1 {
		t.Fatalf("%d people in the group", p.Total)
	}
}

// TestResolveOffersTheTreeAroundTheChoice: a missing name's selects hold
// the tree opened down to the choice — not every organisation of the
// scope, which for a province is fifteen thousand in every select — and
// what comes back is checked: another branch's organisation, a 党小组 to
// hold a branch, a closed branch are each refused in words and nothing is
// created.
func TestResolveOffersTheTreeAroundTheChoice(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	deep := org.Org{ParentID: w.Root.ID, Kind: org.Committee, Name: "第二机关党委"}
	if err := w.Store.CreateOrg(ctx, audit.System, auth.Everything, &deep); err != nil {
		t.Fatal(err)
	}
	inner := org.Org{ParentID: deep.ID, Kind: org.Branch, Name: "深处党支部"}
	closed := org.Org{ParentID: deep.ID, Kind: org.Branch, Name: "撤销的党支部"}
	for _, o := range []*org.Org{&inner, &closed} {
		if err := w.Store.CreateOrg(ctx, audit.System, auth.Everything, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Store.CloseOrg(ctx, audit.System, auth.Everything, closed.ID, date.MustParse("2026-06-01")); err != nil {
		t.Fatal(err)
	}
	c := w.Login(t, "committee")
	file := sheetOf(t, [][]any{
		{"姓名", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间"},
		{"孙一", webtest.ValidID("19800101", "601"), "正式党员", "新的党支部", "2010-07-01", "2011-07-01"},
	})
	job := c.Upload("/people/import", "新支部.xlsx", file).Header.Get("Location")
	page := waitImport(t, c, job)
	if page.Status != http.StatusUnprocessableEntity || !strings.Contains(page.Body, `id="parent-0"`) {
		t.Fatalf("report: %d %.500s", page.Status, page.Body)
	}
	// Opened at the committee's own level: 第二机关党委 is offered, its
	// branch inside is not until it is chosen.
	if !strings.Contains(page.Body, "第二机关党委") || strings.Contains(page.Body, "深处党支部") || !strings.Contains(page.Body, `hx-get="/orgs/options?`) {
		t.Fatalf("the selects do not hold the tree around the choice:\n%s", page.Body)
	}
	before, _ := w.Store.Orgs(ctx, auth.Everything, store.OrgFilter{IncludeClosed: true})
	for _, c0 := range []struct {
		name string
		form url.Values
		want string
	}{
		{"a 党小组 to hold a branch", url.Values{"action_0": {"create"}, "parent_0": {webtest.Itoa(w.Group1.ID)}}, "请选择新建在哪个组织之下"},
		{"a closed branch to stand for it", url.Values{"action_0": {"map"}, "target_0": {webtest.Itoa(closed.ID)}}, "请选择对应的已有组织"},
		{"an organisation that does not exist", url.Values{"action_0": {"map"}, "target_0": {"999999"}}, "请选择对应的已有组织"},
	} {
		res := c.Form(job+"/resolve", c0.form)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, c0.want) {
			t.Errorf("%s: %d, want 422 saying %q", c0.name, res.Status, c0.want)
		}
	}
	// Another branch's secretary cannot take the first branch's group.
	b2 := w.Login(t, "branch2")
	res := b2.Upload("/people/import", "小组.xlsx", sheetOf(t, [][]any{
		{"姓名", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间"},
		{"孙二", webtest.ValidID("19800101", "602"), "正式党员", "第二党支部第九党小组", "2010-07-01", "2011-07-01"},
	}))
	b2job := res.Header.Get("Location")
	waitImport(t, b2, b2job)
	if res := b2.Form(b2job+"/resolve", url.Values{"action_0": {"map"}, "target_0": {webtest.Itoa(w.Group1.ID)}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "请选择对应的已有组织") {
		t.Errorf("another branch's group taken: %d", res.Status)
	}
	if after, _ := w.Store.Orgs(ctx, auth.Everything, store.OrgFilter{IncludeClosed: true}); len(after) != len(before) {
		t.Fatalf("refused choices created organisations: %d → %d", len(before), len(after))
	}
	// A branch created inside 第二机关党委, chosen in the tree.
	res = c.Form(job+"/resolve", url.Values{"action_0": {"create"}, "parent_0": {webtest.Itoa(deep.ID)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create inside: %d %.300s", res.Status, res.Body)
	}
	if page := waitImport(t, c, res.Header.Get("Location")); !strings.Contains(page.Body, "已导入 1 人") {
		t.Fatalf("after creating the branch: %.500s", page.Body)
	}
}
