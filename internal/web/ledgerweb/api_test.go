package ledgerweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// lifeMeeting holds a 组织生活会 of 第一党支部 that began an hour ago, so its
// list (张伟) is frozen.
func lifeMeeting(t *testing.T, w *webtest.World) *event.Event {
	t.Helper()
	ctx := context.Background()
	kinds, err := w.Store.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kind int64
	for _, k := range kinds {
		if k.Code == "org_life" {
			kind = k.ID
		}
	}
	start := w.Clock.Now().Add(-time.Hour)
	e := &event.Event{OrgID: w.Branch1.ID, KindID: kind, Title: "2026年度组织生活会", PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		Status: event.Held, HeldStart: start, HeldEnd: start.Add(2 * time.Hour)}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

func wantStatus(t *testing.T, what string, res webtest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d: %.400s", what, res.Status, want, res.Body)
	}
}

// TestLedgerThroughTheAPI: a participant's record and problem at a 组织生活会,
// the problem turned into a ledger item, edited (version required), moved on
// with progress, refused a closure without its result, closed; the list
// filters it, another branch cannot see it, and the Excel export holds it.
func TestLedgerThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "branch1")
		e := lifeMeeting(t, w)
		base := "/api/v1/events/" + webtest.Itoa(e.ID) + "/life"

		res := c.JSON("POST", base, map[string]any{"person_id": w.P1.ID, "self_criticism": "理论学习不够系统", "criticism_received": "联系群众不够"})
		wantStatus(t, "a record", res, http.StatusOK)
		rec := res.Decode(t)
		res = c.JSON("POST", base, map[string]any{"id": rec["id"], "version": rec["version"], "criticism_given": "对李娜：学习抓得不紧"})
		wantStatus(t, "an edit of one text", res, http.StatusOK)
		if got := res.Decode(t); got["self_criticism"] != "理论学习不够系统" || got["criticism_given"] != "对李娜：学习抓得不紧" || got["version"].(float64) != 2 {
			t.Fatalf("after editing one text: %v", got)
		}
		res = c.JSON("POST", "/api/v1/events/"+webtest.Itoa(e.ID)+"/life", map[string]any{"person_id": w.P1.ID})
		wantStatus(t, "a second record of one person", res, http.StatusConflict)
		res = c.JSON("POST", base+"/problems", map[string]any{"record_id": rec["id"], "content": ""})
		wantStatus(t, "an empty problem", res, http.StatusUnprocessableEntity)
		if f := webtest.Fields(t, res); f["content"] != "请填写问题" {
			t.Fatalf("the message of an empty problem: %v", f)
		}
		res = c.JSON("POST", base+"/problems", map[string]any{"record_id": rec["id"], "content": "理论学习不够系统深入"})
		wantStatus(t, "a problem", res, http.StatusCreated)
		problem := res.Decode(t)
		res = c.JSON("POST", "/api/v1/life-problems/"+strconv.Itoa(int(problem["id"].(float64)))+"/ledger", map[string]any{"measures": "每周四集中学习"})
		wantStatus(t, "to the ledger", res, http.StatusCreated)
		item := res.Decode(t)
		id := strconv.Itoa(int(item["id"].(float64)))
		if item["source"] != "life_problem" || item["source_text"] != "2026年度组织生活会 · 张伟" || item["owner"] != "张伟" ||
			item["status_label"] != "整改中" || item["deadline"] != "2026-09-28" {
			t.Fatalf("the item from the problem: %v", item)
		}
		life := c.Get(base).Decode(t)["items"].([]any)
		if p := life[0].(map[string]any)["problems"].([]any)[0].(map[string]any); strconv.Itoa(int(p["item_id"].(float64))) != id {
			t.Fatalf("the problem does not point to its item: %v", p)
		}

		wantStatus(t, "PATCH without version", c.JSON("PATCH", "/api/v1/ledger/"+id, map[string]any{"deadline": "2026-08-31"}), http.StatusUnprocessableEntity)
		res = c.JSON("PATCH", "/api/v1/ledger/"+id, map[string]any{"deadline": "2026-08-31", "version": 1})
		wantStatus(t, "PATCH", res, http.StatusOK)
		if got := res.Decode(t); got["deadline"] != "2026-08-31" || got["measures"] != "每周四集中学习" {
			t.Fatalf("after PATCH: %v", got)
		}
		res = c.JSON("POST", "/api/v1/ledger/"+id+"/progress", map[string]any{"on": "2026-06-30", "note": "制定学习计划"})
		wantStatus(t, "progress", res, http.StatusCreated)
		version := res.Decode(t)["version"]
		res = c.JSON("POST", "/api/v1/ledger/"+id+"/close", map[string]any{"closed_on": "2026-06-30", "version": version})
		wantStatus(t, "a closure without its result", res, http.StatusUnprocessableEntity)
		if f := webtest.Fields(t, res); f["closure"] != "请填写整改结果" {
			t.Fatalf("the message: %v", f)
		}
		res = c.JSON("POST", "/api/v1/ledger/"+id+"/close", map[string]any{"closed_on": "2026-06-30", "closure": "建立学习制度", "version": version})
		wantStatus(t, "close", res, http.StatusOK)
		if got := res.Decode(t); got["status"] != "done" || got["on_time"] != true || len(got["progress"].([]any)) != 1 {
			t.Fatalf("closed: %v", got)
		}

		list := c.Get("/api/v1/ledger?status=done").Decode(t)
		if list["total"].(float64) != 1 {
			t.Fatalf("done list: %v", list)
		}
		if list := c.Get("/api/v1/ledger?status=open").Decode(t); list["total"].(float64) != 0 {
			t.Fatalf("open list: %v", list)
		}
		other := w.Login(t, "branch2")
		wantStatus(t, "another branch reads the item", other.Get("/api/v1/ledger/"+id), http.StatusNotFound)
		if list := other.Get("/api/v1/ledger").Decode(t); list["total"].(float64) != 0 {
			t.Fatalf("another branch's list: %v", list)
		}

		x := c.Get("/ledger.xlsx?status=done")
		wantStatus(t, "export", x, http.StatusOK)
		book, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows("整改台账")
		if err != nil || len(rows) != 2 || rows[1][2] != "理论学习不够系统深入" || rows[1][8] != "已完成" || rows[1][11] != "2026-06-30 制定学习计划" {
			t.Fatalf("the workbook: %v %v", rows, err)
		}

		doc := c.Get("/api/v1/openapi.json")
		for _, p := range []string{"/api/v1/ledger/{id}/close", "/api/v1/life-problems/{id}/ledger", "/api/v1/campaigns/{id}"} {
			if !strings.Contains(doc.Body, p) {
				t.Errorf("the OpenAPI document lacks %s", p)
			}
		}
	})
}

// TestLedgerPagesRefuseBadInputInChinese: a manual item without its problem
// and with a deadline before its opening is refused beside each field, and
// nothing is saved; a good one lands on its page.
func TestLedgerPagesRefuseBadInputInChinese(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "branch1")
	res := c.Form("/ledger", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "owner_id": {webtest.Itoa(w.P1.ID)}, "deadline": {"2026-01-01"}})
	wantStatus(t, "a bad item", res, http.StatusUnprocessableEntity)
	for _, want := range []string{"请填写问题", "整改时限不能早于立项日期"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the form does not say %q", want)
		}
	}
	// The owner, chosen with the person picker, is named again on the refused form.
	if !strings.Contains(res.Body, `name="owner_id" value="`+webtest.Itoa(w.P1.ID)+`"`) || !strings.Contains(res.Body, w.P1.Name) {
		t.Error("the refused form lost the chosen 整改责任人")
	}
	if list := c.Get("/api/v1/ledger").Decode(t); list["total"].(float64) != 0 {
		t.Fatalf("a refused item was saved: %v", list)
	}
	res = c.Form("/ledger", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "owner_id": {webtest.Itoa(w.P1.ID)}, "deadline": {"2026-07-31"},
		"problem": {"支部台账不规范"}, "measures": {"逐月整理"}})
	wantStatus(t, "a good item", res, http.StatusSeeOther)
	page := c.Get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "支部台账不规范") || !strings.Contains(page.Body, "整改中") {
		t.Fatalf("the item page: %.500s", page.Body)
	}
	list := c.Get("/ledger")
	if !strings.Contains(list.Body, "支部台账不规范") {
		t.Fatal("the list lacks the item")
	}
}

// TestWorkPageWarnsOfOverdueItems: the 工作台 of 第一党支部's secretary says
// how many items are overdue and how many fall due within the week, each
// linking to the list of exactly those; 第二党支部's says nothing.
func TestWorkPageWarnsOfOverdueItems(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite) // today is 30 June 2026
	ctx := context.Background()
	for _, deadline := range []string{"2026-06-10", "2026-06-20", "2026-07-03", "2026-09-30"} {
		i := &ledger.Item{OrgID: w.Branch1.ID, Problem: "问题" + deadline, OwnerID: w.P1.ID, OpenedOn: date.MustParse("2026-06-01"), Deadline: date.MustParse(deadline)}
		if err := w.Store.CreateLedgerItem(ctx, audit.System, auth.Everything, i); err != nil {
			t.Fatal(err)
		}
	}
	c := w.Login(t, "branch1")
	home := c.Get("/")
	for _, want := range []string{"整改台账：2项整改事项已逾期", "整改台账：1项整改事项将在7天内到期"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("the 工作台 does not say %q", want)
		}
	}
	soon := c.Get("/ledger?status=open&deadline_from=2026-06-30&deadline_to=2026-07-07")
	if !strings.Contains(soon.Body, "问题2026-07-03") || strings.Contains(soon.Body, "问题2026-09-30") || strings.Contains(soon.Body, "问题2026-06-10") {
		t.Fatalf("the list behind the warning: %.800s", soon.Body)
	}
	if home := w.Login(t, "branch2").Get("/"); strings.Contains(home.Body, "项整改事项") {
		t.Fatal("第二党支部's 工作台 warns of 第一党支部's items")
	}
}
