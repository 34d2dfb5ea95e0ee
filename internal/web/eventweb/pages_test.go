package eventweb_test

import (
	"context"
	"dangjian/internal/audit"
	"dangjian/internal/learning"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// TestPagesShowWhatTheyHold opens every page of the area as the role that
// uses it and checks what a person would look for on it.
func TestPagesShowWhatTheyHold(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	secretary(t, w)
	e := meeting(t, w, w.Branch1.ID, "branch_committee")
	id := strconv.FormatInt(e.ID, 10)
	b1 := w.Login(t, "branch1")
	month := w.Clock.Now().In(China).Format("2006-01")
	for _, c := range []struct {
		path  string
		wants []string
	}{
		{"/events?month=" + month, []string{"组织生活 · 第一党支部", "支委会", "组织生活达标情况", "本月到期", "关闭扫码签到"}},
		{"/events/new", []string{"新建活动", "支部党员大会", "专题读书班", "同时计为"}},
		{"/events/" + id, []string{"支委会", "计划时间", "投屏签到二维码", "登记为已召开", "名单尚未确定"}},
		{"/events/" + id + "/qr", []string{"请用手机扫码签到", "data:image/png;base64,", "/signin/" + id + "?c="}},
		{"/events/figures", []string{"组织生活与学习统计", "参学人次", "学习覆盖率", "上年同期"}},
	} {
		res := b1.Get(c.path)
		wantStatus(t, c.path, res, http.StatusOK)
		for _, want := range c.wants {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s does not show %q", c.path, want)
			}
		}
	}
	// The quarter's calendar; a month typed wrong is refused in words.
	quarter := b1.Get("/events?quarter=2026-Q2")
	wantStatus(t, "the quarter", quarter, http.StatusOK)
	if !strings.Contains(quarter.Body, "2026年二季度") {
		t.Error("the quarter's calendar does not name it")
	}
	wantStatus(t, "a bad month", b1.Get("/api/v1/events/calendar?month=2026-13"), http.StatusUnprocessableEntity)
	// The form shows each problem beside its field and saves nothing.
	bad := b1.Form("/events", url.Values{"org_id": {webtest.Itoa(w.Branch1.ID)}, "kind_id": {webtest.Itoa(e.KindID)},
		"planned_start": {"2026-06-30T09:00"}, "planned_end": {"明天"}, "place": {strings.Repeat("地", 101)}, "status": {"planned"}})
	wantStatus(t, "a bad event", bad, http.StatusUnprocessableEntity)
	for _, want := range []string{"时间格式不正确", "地点不超过100个字"} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("the refused form does not say %q", want)
		}
	}
	if page, _ := w.Store.Events(context.Background(), auth.Everything, store.EventFilter{}); page.Total != 1 {
		t.Errorf("%d events after a refused form, want 1", page.Total)
	}
	admin := w.Login(t, "sysadmin")
	res := admin.Get("/events/kinds")
	wantStatus(t, "kinds", res, http.StatusOK)
	for _, want := range []string{"活动类型与组织生活规定", "理论学习中心组学习", "走访户数", "每季度", "连续未开展活动超过（天）"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("/events/kinds does not show %q", want)
		}
	}
	// The system administrator adds a kind with a measure; a bad one is
	// refused with the message beside its field.
	res = admin.Form("/events/kinds", url.Values{"name": {strings.Repeat("类", 31)}, "category": {"practice"}, "audience": {"chosen"}})
	wantStatus(t, "a kind with a long name", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "类型名称不超过30个字") {
		t.Error("no message beside the name")
	}
	res = admin.Form("/events/kinds", url.Values{"name": {"法治宣传"}, "category": {"practice"}, "audience": {"chosen"},
		"measures.id": {"", ""}, "measures.name": {"受众", ""}, "measures.unit": {"人次", ""}, "measures.aggregate": {"sum", "sum"}})
	wantStatus(t, "a new kind", res, http.StatusSeeOther)
	if k := kinds(t, w); len(k) < 21 {
		t.Errorf("%d kinds after adding one", len(k))
	}
	// The member's own page; a member has no calendar.
	m := w.Login(t, "member")
	wantStatus(t, "a member's calendar", m.Get("/events"), http.StatusForbidden)
	mine := m.Get("/my/events")
	wantStatus(t, "a member's own page", mine, http.StatusOK)
	// 张伟 sits on 第一党支部's committee: 56 学时, not the members' 32.
	for _, want := range []string{"今年学时", "/ 56 学时", "支委会"} {
		if !strings.Contains(mine.Body, want) {
			t.Errorf("the member's page does not show %q", want)
		}
	}
	// The requirement is the one the administrator set.
	if err := w.Store.SaveLearningRequirement(context.Background(), audit.System, learning.Requirement{Member: 400, Committee: 600}); err != nil {
		t.Fatal(err)
	}
	if mine := m.Get("/my/events"); !strings.Contains(mine.Body, "/ 60 学时") {
		t.Errorf("after the committee's requirement became 60 the member's page shows %.300s", mine.Body[strings.Index(mine.Body, "今年学时"):])
	}
	// The 工作台 lists what is due.
	home := b1.Get("/")
	if !strings.Contains(home.Body, "第一党支部") || !strings.Contains(home.Body, "支部党员大会") {
		t.Errorf("the 工作台 does not list what is due:\n%.2000s", home.Body)
	}
}
