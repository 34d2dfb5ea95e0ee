package auditweb_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// admEditPosition changes 张伟's position through the API as branch1.
func admEditPosition(t *testing.T, w *webtest.World, c *webtest.Client, position string) {
	t.Helper()
	path := "/api/v1/people/" + webtest.Itoa(w.P1.ID)
	body := map[string]any{"position": position, "version": c.Get(path).Decode(t)["version"]}
	if res := c.JSON("PATCH", path, body); res.Status != http.StatusOK {
		t.Fatalf("edit: %d %s", res.Status, res.Body)
	}
}

func TestAuditorSeesWhatChangedAndExports(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		admEditPosition(t, w, w.Login(t, "branch1"), "科长")
		w.Login(t, "branch2") // noise from another user
		au := w.Login(t, "auditor")

		// Filter by user and action: the edit, with its before and after.
		res := au.Get("/api/v1/audit?username=branch1&action=person.")
		if res.Status != http.StatusOK {
			t.Fatalf("audit API: %d %s", res.Status, res.Body)
		}
		got := res.Decode(t)
		items := got["items"].([]any)
		if got["total"].(float64) != 1 || len(items) != 1 {
			t.Fatalf("filtered log: %s", res.Body)
		}
		e := items[0].(map[string]any)
		if e["action"] != "person.update" || e["action_label"] != "修改人员" || e["username"] != "branch1" ||
			e["before"].(map[string]any)["position"] != "" || e["after"].(map[string]any)["position"] != "科长" {
			t.Fatalf("entry: %v", e)
		}
		changes := e["changes"].([]any)
		if len(changes) != 1 || changes[0].(map[string]any)["field"] != "position" || changes[0].(map[string]any)["after"] != "科长" {
			t.Fatalf("changes: %v", changes)
		}
		res = au.Get("/api/v1/audit?username=branch1&action=login.")
		if res.Decode(t)["total"].(float64) != 1 || strings.Contains(res.Body, "person.update") {
			t.Fatalf("login filter: %s", res.Body)
		}
		// The page shows the same, newest first, with the field that changed.
		page := au.Get("/audit?username=branch1&action=person.")
		for _, want := range []string{"修改人员", "职务", "<del>（空）</del> → <ins>科长</ins>", "人员 张伟（第一党支部）", "127.0.0.1"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("audit page lacks %q", want)
			}
		}
		if strings.Contains(page.Body, `data-action="login.success"`) {
			t.Error("the page ignores the action filter")
		}

		// Dates are days in China time: 00:00 on 1 July in Beijing is 16:00 UTC on 30 June.
		w.Clock.Advance(7 * time.Hour) // 2026-06-30 16:00 UTC
		admEditPosition(t, w, w.Login(t, "branch1"), "副科长")
		au = w.Login(t, "auditor")
		for query, want := range map[string]float64{
			"from=2026-06-30&to=2026-06-30": 1, "from=2026-07-01&to=2026-07-01": 1, "from=2026-06-30": 2, "to=2026-06-29": 0,
		} {
			res := au.Get("/api/v1/audit?username=branch1&action=person.&" + query)
			if n := res.Decode(t)["total"].(float64); n != want {
				t.Errorf("%s: %v entries, want %v", query, n, want)
			}
		}
		res = au.Get("/api/v1/audit?from=2026/06/30&to=x")
		if res.Status != http.StatusUnprocessableEntity || webtest.Fields(t, res)["from"] != "日期格式不正确，请按 2006-01-02 填写" {
			t.Fatalf("bad date: %d %s", res.Status, res.Body)
		}
		if res := au.Get("/audit?from=2026-07-02&to=2026-07-01"); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, `data-field="to"`) || !strings.Contains(res.Body, "结束日期不能早于开始日期") {
			t.Fatalf("bad range on the page: %d", res.Status)
		}

		// Export: the filtered log as a workbook, read back with a real reader.
		res = au.Get("/audit/export.xlsx?username=branch1&action=person.")
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", res.Status, res.Header)
		}
		book, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows("审计日志")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "时间" || rows[0][3] != "操作" {
			t.Fatalf("export rows: %q", rows)
		}
		newest, oldest := rows[1], rows[2]
		if newest[0] != "2026-07-01 00:00:00" || newest[1] != "branch1" || newest[3] != "修改人员" || newest[4] != "人员 张伟（第一党支部）" ||
			newest[5] != "第一党支部" || newest[6] != "职务：科长 → 副科长" || oldest[0] != "2026-06-30 17:00:00" || oldest[6] != "职务：（空） → 科长" {
			t.Fatalf("export content: %q", rows[1:])
		}
		// The export is itself in the log.
		entries, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("auditor", "audit.export"))
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"rows":2`) {
			t.Fatalf("export audit: %v %v", entries, err)
		}
	})
}

// TestNoRouteChangesTheLog: the audit log is read-only on every surface.
func TestNoRouteChangesTheLog(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		srv, err := web.New(w.Store, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range srv.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if strings.Contains(pattern, "audit") && method != "GET" {
				t.Errorf("route %s writes to the audit log", rt.Pattern)
			}
		}
		before, total, err := w.Store.AuditEntries(t.Context(), audit.Filter{Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"auditor", "sysadmin", "secadmin", "committee"} {
			c := w.Login(t, who)
			for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
				for _, path := range []string{"/api/v1/audit", "/api/v1/audit/" + webtest.Itoa(before[0].ID), "/audit", "/audit/" + webtest.Itoa(before[0].ID)} {
					res := c.JSON(method, path, map[string]any{"action": "forged", "username": "nobody"})
					if res.Status != http.StatusMethodNotAllowed && res.Status != http.StatusNotFound {
						t.Errorf("%s %s as %s: %d", method, path, who, res.Status)
					}
				}
			}
			if who == "auditor" {
				res := c.Form("/audit", url.Values{"action": {"forged"}})
				if res.Status != http.StatusMethodNotAllowed {
					t.Errorf("form POST /audit: %d", res.Status)
				}
			}
		}
		after, _, err := w.Store.AuditEntries(t.Context(), audit.Filter{Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		// Only the four logins were added (with the second step of the three
		// administrators'); every earlier entry is as it was.
		added := 4 + 3
		if len(after) != total+added {
			t.Fatalf("log grew from %d to %d", total, len(after))
		}
		for _, e := range after[:added] {
			if !strings.HasPrefix(e.Action, "login.") {
				t.Errorf("added: %s by %s", e.Action, e.Username)
			}
		}
		for i, e := range before {
			a := after[i+added]
			if a.ID != e.ID || !a.At.Equal(e.At) || a.Username != e.Username || a.IP != e.IP || a.Action != e.Action ||
				a.ObjectType != e.ObjectType || a.ObjectID != e.ObjectID || a.Before != e.Before || a.After != e.After {
				t.Fatalf("entry %d changed: %+v → %+v", e.ID, e, a)
			}
		}
		for _, e := range after {
			if e.Action == "forged" || e.Username == "nobody" {
				t.Fatal("a forged entry was written")
			}
		}
	})
}

// The audit record of a person keeps the ID number sealed for restoring; the
// auditor's page, API and export show only its mask.
func TestAuditorNeverSeesSealedNumbers(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	admEditPosition(t, w, w.Login(t, "branch1"), "科长")
	au := w.Login(t, "auditor")
	full := webtest.ValidID("19850312", "111")
	export := au.Get("/audit/export.xlsx?action=person.")
	book, err := excelize.OpenReader(bytes.NewReader([]byte(export.Body)))
	if err != nil {
		t.Fatalf("export: %d %v", export.Status, err)
	}
	rows, _ := book.GetRows(book.GetSheetName(0))
	var cells strings.Builder
	for _, row := range rows {
		cells.WriteString(strings.Join(row, "\t"))
	}
	for what, text := range map[string]string{"API": au.Get("/api/v1/audit?action=person.").Body, "page": au.Get("/audit?action=person.").Body,
		"export": cells.String()} {
		if !strings.Contains(text, "370***********") || strings.Contains(text, full) || strings.Contains(text, "_sealed") || strings.Contains(text, "13912345678") {
			t.Errorf("the audit %s shows a sealed number, or not the mask", what)
		}
	}
}

// The log's organisation filter offers the tree opened down to the
// organisation asked about, closed ones too (the log keeps what happened in
// them), not every organisation of the province; choosing another asks for
// the tree again with the closed ones.
func TestAuditOrgFilterOffersClosedOrganisationsAroundTheChoice(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	third := &org.Org{Kind: org.Branch, Name: "第三党支部", ParentID: w.Root.ID}
	if err := w.Store.CreateOrg(ctx, audit.System, auth.Everything, third); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.CloseOrg(ctx, audit.System, auth.Everything, third.ID, date.MustParse("2026-03-01")); err != nil {
		t.Fatal(err)
	}
	auditor := w.Login(t, "auditor")
	option := func(o org.Org) string { return `<option value="` + webtest.Itoa(o.ID) + `"` }
	page := auditor.Get("/audit?org=" + webtest.Itoa(third.ID))
	if page.Status != http.StatusOK || !strings.Contains(page.Body, option(*third)+" selected") || !strings.Contains(page.Body, option(w.Branch1)) {
		t.Fatalf("the log asked about the closed 第三党支部: %d, its filter %.2000s", page.Status, page.Body)
	}
	if strings.Contains(page.Body, option(w.Group1)) {
		t.Error("the filter opened at 第三党支部 lists 第一党支部's group: the whole tree, not the way down")
	}
	if !strings.Contains(page.Body, "/orgs/options?closed=1") {
		t.Error("choosing another organisation would ask for the tree without the closed ones")
	}
	with := auditor.Get("/orgs/options?closed=1&kinds=&name=org&org=" + webtest.Itoa(w.Branch1.ID))
	without := auditor.Get("/orgs/options?kinds=&name=org&org=" + webtest.Itoa(w.Branch1.ID))
	if !strings.Contains(with.Body, option(*third)) || !strings.Contains(with.Body, option(w.Group1)) || strings.Contains(without.Body, option(*third)) {
		t.Errorf("the tree opened at 第一党支部 with closed ones: %s; without: %s", with.Body, without.Body)
	}
}
