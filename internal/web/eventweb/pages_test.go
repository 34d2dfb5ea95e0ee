package eventweb_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
	for _, want := range []string{"今年学时", "/ 32 学时", "支委会"} {
		if !strings.Contains(mine.Body, want) {
			t.Errorf("the member's page does not show %q", want)
		}
	}
	// The 工作台 lists what is due.
	home := b1.Get("/")
	if !strings.Contains(home.Body, "第一党支部") || !strings.Contains(home.Body, "支部党员大会") {
		t.Errorf("the 工作台 does not list what is due:\n%.2000s", home.Body)
	}
}
