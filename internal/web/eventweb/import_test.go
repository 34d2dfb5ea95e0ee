package eventweb_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPaperSheetImport: a sheet with bad rows is refused with every bad row
// named and nothing marked; the corrected sheet marks everyone.
func TestPaperSheetImport(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		g := webtest.MustPerson(t, w.Store, w.Group1.ID, "王芳", "19920202", "333")
		e := meeting(t, w, w.Branch1.ID, "party_lecture")
		id := strconv.FormatInt(e.ID, 10)
		c := w.Login(t, "branch1")
		bad := workbook(t, []any{"第一党支部党课签到表"}, []any{"序号", "姓名", "出勤情况", "请假事由"},
			[]any{1, "张伟", "出席", ""}, []any{2, "王芳", "请假", ""}, []any{3, "赵六", "出席", ""})
		res := c.Upload("/api/v1/events/"+id+"/attendance/import", "签到表.xlsx", bad)
		wantStatus(t, "a sheet with bad rows", res, http.StatusUnprocessableEntity)
		body := res.Body
		for _, want := range []string{"第4行（请假事由）：请假须填写事由", "第5行（姓名）：“赵六”不在本次活动的应到名单中", "考勤表中有 2 处错误"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refusal lacks %q: %s", want, body)
			}
		}
		list, _ := w.Store.EventAttendance(context.Background(), auth.Everything, e.ID)
		for _, a := range list {
			if a.Mark != event.Unmarked {
				t.Errorf("a refused sheet marked %s", a.Name)
			}
		}
		good := workbook(t, []any{"序号", "姓名", "出勤情况", "请假事由", "补课日期", "补课方式"},
			[]any{1, "张伟", "出席", "", "", ""}, []any{2, "王芳", "请假", "出差", "2026-07-02", "自学讲稿"})
		res = c.Upload("/api/v1/events/"+id+"/attendance/import", "签到表.xlsx", good)
		wantStatus(t, "the corrected sheet", res, http.StatusOK)
		list, _ = w.Store.EventAttendance(context.Background(), auth.Everything, e.ID)
		marks := map[int64]event.Attendance{}
		for _, a := range list {
			marks[a.PersonID] = a
		}
		if marks[w.P1.ID].Mark != event.Present || marks[g.ID].Mark != event.Leave || marks[g.ID].MakeupHow != "自学讲稿" || marks[g.ID].Source != event.ByImport {
			t.Errorf("after the import: %+v", marks)
		}
		res = c.Upload("/api/v1/events/"+id+"/attendance/import", "签到表.xlsx", []byte("not a workbook"))
		wantStatus(t, "not a workbook", res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "Excel 工作簿") {
			t.Errorf("not a workbook: %s", res.Body)
		}
		// The sheet to print is the list itself.
		dl := c.Get("/events/" + id + "/attendance/sheet.xlsx")
		wantStatus(t, "the sheet to print", dl, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(dl.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 4 || rows[2][1] != "张伟" || rows[3][4] != "请假" {
			t.Errorf("the sheet to print: %v", rows)
		}
	})
}

// TestAttachmentsByContent: a file is taken by what it is, not by its
// name; an HTML page named .pdf is refused; downloads are never inline.
func TestAttachmentsByContent(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	e := meeting(t, w, w.Branch1.ID, "branch_congress")
	id := strconv.FormatInt(e.ID, 10)
	c := w.Login(t, "branch1")
	res := c.Upload("/events/"+id+"/files", "会议记录.pdf", []byte("<html><script>alert(1)</script></html>"))
	wantStatus(t, "an HTML page named .pdf", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "只能上传 PDF、图片") {
		t.Error("no message beside the file field")
	}
	res = c.Upload("/api/v1/events/"+id+"/files", "会议记录.txt", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"))
	wantStatus(t, "a PDF named .txt", res, http.StatusCreated)
	f := res.Decode(t)
	if f["name"] != "会议记录.pdf" || f["content_type"] != "application/pdf" {
		t.Errorf("stored as %v", f)
	}
	dl := c.Get("/events/" + id + "/files/" + strconv.Itoa(int(f["id"].(float64))))
	wantStatus(t, "download", dl, http.StatusOK)
	if cd := dl.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(dl.Body, "%PDF-") || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the download: %q %v", dl.Body[:5], dl.Header)
	}
}

// TestFiguresExport reads the exported workbook back.
func TestFiguresExport(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	e := meeting(t, w, w.Branch1.ID, "study_session")
	c := w.Login(t, "branch1")
	res := c.JSON("PATCH", "/api/v1/events/"+strconv.FormatInt(e.ID, 10), map[string]any{"status": "held", "version": e.Version})
	wantStatus(t, "hold", res, http.StatusOK)
	day := w.Clock.Now().In(China).Format("2006-01-02")
	res = c.JSON("POST", "/api/v1/events/"+strconv.FormatInt(e.ID, 10)+"/attendance", map[string]any{"marks": []map[string]any{
		{"person_id": w.P1.ID, "day": day, "mark": "present", "leave_reason": "", "made_up_on": "", "makeup_how": ""}}})
	wantStatus(t, "mark", res, http.StatusOK)
	dl := c.Get("/events/figures.xlsx?from=" + day + "&to=" + day)
	wantStatus(t, "export", dl, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(dl.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 3 || got[0] != "指标" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("指标")
	found := false
	for _, r := range rows {
		if len(r) >= 5 && r[4] == "learning.person_times" && r[1] == "1" {
			found = true
		}
	}
	if !found {
		t.Errorf("参学人次 1 not in %v", rows)
	}
	people, _ := f.GetRows("人员学时")
	if len(people) != 2 || people[1][0] != w.P1.Name || people[1][7] != "2" {
		t.Errorf("人员学时: %v", people)
	}
	entries, _, _ := w.Store.AuditEntries(context.Background(), webtest.AuditFilter("branch1", "event.export"))
	if len(entries) != 1 {
		t.Errorf("%d export records, want 1", len(entries))
	}
}
