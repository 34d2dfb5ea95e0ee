package eventweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// code reads the projector's current code through the API, as a screen would.
func code(t *testing.T, c *webtest.Client, id int64) (string, string) {
	t.Helper()
	res := c.Get("/api/v1/events/" + strconv.FormatInt(id, 10) + "/qr")
	wantStatus(t, "the projector's code", res, http.StatusOK)
	m := res.Decode(t)
	return m["code"].(string), m["url"].(string)
}

// TestSignInRules: through the API on both databases — once only, expired
// codes and closed windows refused in words, people not expected refused
// until walk-ins are allowed, nothing for an organisation that switched QR
// sign-in off.
func TestSignInRules(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		e := meeting(t, w, w.Branch1.ID, "branch_congress")
		id := strconv.FormatInt(e.ID, 10)
		b1 := w.Login(t, "branch1")
		member := w.Login(t, "member")
		cd, link := code(t, b1, e.ID)
		if !strings.Contains(link, "/signin/"+id+"?c=") {
			t.Fatalf("the QR code holds %s", link)
		}
		res := member.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "sign in", res, http.StatusOK)
		if m := res.Decode(t); m["message"] != "签到成功" || m["already"] != false {
			t.Fatalf("sign in: %v", m)
		}
		res = member.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "sign in again", res, http.StatusOK)
		if m := res.Decode(t); m["already"] != true || !strings.Contains(m["message"].(string), "无需重复签到") {
			t.Fatalf("a second sign-in: %v", m)
		}
		// 李娜 of 第二党支部 (with an account of her own) is not expected.
		other := &auth.User{Username: "lina", Role: auth.Member, OrgID: w.Branch2.ID, PersonID: w.P2.ID, PasswordHash: w.Users["member"].PasswordHash}
		if err := w.Store.CreateUser(context.Background(), audit.System, other); err != nil {
			t.Fatal(err)
		}
		lina := w.Login(t, "lina")
		res = lina.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "a person not expected", res, http.StatusForbidden)
		if !strings.Contains(res.Body, "不在本次活动的应到人员名单中") {
			t.Errorf("the refusal says %s", res.Body)
		}
		// The code rotates out: after two steps it has expired.
		w.Clock.Advance(61 * time.Second)
		res = member.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "an expired code", res, http.StatusGone)
		if !strings.Contains(res.Body, "二维码已过期") {
			t.Errorf("the refusal says %s", res.Body)
		}
		res = member.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd[:len(cd)-2] + "xx"})
		wantStatus(t, "a forged code", res, http.StatusBadRequest)
		// Walk-ins allowed: 李娜 is added, present but not expected.
		res = b1.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"walk_ins": true, "version": e.Version})
		wantStatus(t, "allow walk-ins", res, http.StatusOK)
		cd, _ = code(t, b1, e.ID)
		res = lina.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "a walk-in", res, http.StatusOK)
		if !strings.Contains(res.Body, "列席") {
			t.Errorf("a walk-in is told %s", res.Body)
		}
		// After the window, sign-in is closed.
		w.Clock.Advance(3 * time.Hour)
		b1, member = w.Login(t, "branch1"), w.Login(t, "member") // the sessions went idle
		cd, _ = code(t, b1, e.ID)
		res = member.JSON("POST", "/api/v1/events/"+id+"/signin", map[string]any{"code": cd})
		wantStatus(t, "after the event", res, http.StatusConflict)
		if !strings.Contains(res.Body, "签到已结束") {
			t.Errorf("after the event: %s", res.Body)
		}
		// 为基层减负: 第一党支部 switches QR sign-in off; its events show no code.
		res = b1.Form("/event-settings/"+strconv.FormatInt(w.Branch1.ID, 10), url.Values{})
		wantStatus(t, "switch QR sign-in off", res, http.StatusSeeOther)
		res = b1.Get("/api/v1/events/" + id + "/qr")
		wantStatus(t, "a code with QR sign-in off", res, http.StatusConflict)
		if !strings.Contains(res.Body, "已关闭扫码签到") {
			t.Errorf("with QR sign-in off: %s", res.Body)
		}
		list, err := w.Store.EventAttendance(context.Background(), auth.Everything, e.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("the list after it all: %+v %v", list, err)
		}
		entries, total, err := w.Store.AuditEntries(context.Background(), audit.Filter{Action: "event.signin", Limit: 10})
		if err != nil || total != 2 || entries[0].Username != "lina" {
			t.Errorf("%d sign-in records (%v), want 2, the last by lina", total, err)
		}
	})
}

// TestPhoneSignInPage follows the page flow over HTTP: the scanned link
// turns into a pass, the login in between keeps it, one tap signs in.
func TestPhoneSignInPage(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	e := meeting(t, w, w.Branch1.ID, "theme_day")
	id := strconv.FormatInt(e.ID, 10)
	_, link := code(t, w.Login(t, "branch1"), e.ID)
	u, _ := url.Parse(link)
	phone := w.Client(t)
	res := phone.Get(u.RequestURI())
	wantStatus(t, "scan before login", res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("sent to %s", loc)
	}
	next, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/login?next="))
	w.Clock.Advance(5 * time.Minute) // typing the password takes a while: the code itself has expired
	login := phone.Form("/login", url.Values{"username": {"member"}, "password": {webtest.Password}, "next": {next}})
	wantStatus(t, "login", login, http.StatusSeeOther)
	page := phone.Get(login.Header.Get("Location"))
	wantStatus(t, "the sign-in page", page, http.StatusOK)
	pass := between(page.Body, `name="p" value="`, `"`)
	if pass == "" || !strings.Contains(page.Body, "主题党日") {
		t.Fatalf("the sign-in page: %.1000s", page.Body)
	}
	res = phone.Form("/signin/"+id, url.Values{"p": {pass}})
	wantStatus(t, "tap 签到", res, http.StatusOK)
	if !strings.Contains(res.Body, "签到成功") {
		t.Errorf("after the tap: %.1000s", res.Body)
	}
	again := phone.Get(login.Header.Get("Location"))
	if !strings.Contains(again.Body, "无需重复签到") || strings.Contains(again.Body, `name="p"`) {
		t.Errorf("opening the page again offers to sign in again")
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}
