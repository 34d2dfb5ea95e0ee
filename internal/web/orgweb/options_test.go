package orgweb_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// A select of organisations whose choice changed gets the tree opened down
// to the new choice, within the caller's scope: the committee's staff
// choosing 第一党支部 see its group; another branch's secretary asking for
// it gets only their own branch; a member gets nothing to choose.
func TestOrgSelectOpensDownToTheChoice(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ask := func(who string, chosen org.Org) string {
		t.Helper()
		res := w.Login(t, who).Get("/orgs/options?kinds=committee,branch,group&name=org&org=" + strconv.FormatInt(chosen.ID, 10))
		if res.Status != http.StatusOK {
			t.Fatalf("%s: status %d: %.300s", who, res.Status, res.Body)
		}
		return res.Body
	}
	option := func(o org.Org) string { return `<option value="` + strconv.FormatInt(o.ID, 10) + `"` }
	body := ask("committee", w.Branch1)
	for _, o := range []org.Org{w.Root, w.Branch1, w.Group1, w.Branch2} {
		if !strings.Contains(body, option(o)) {
			t.Errorf("the committee's list opened at 第一党支部 lacks %s: %s", o.Name, body)
		}
	}
	if !strings.Contains(body, option(w.Branch1)+" selected") {
		t.Errorf("第一党支部 is not the chosen one: %s", body)
	}
	if strings.Contains(body, "市中级人民法院") {
		t.Errorf("a unit is offered where party organisations are asked for: %s", body)
	}
	body = ask("branch2", w.Branch1)
	if strings.Contains(body, option(w.Branch1)) || !strings.Contains(body, option(w.Branch2)) {
		t.Errorf("第二党支部's secretary asking for 第一党支部 gets: %s", body)
	}
	if body := ask("member", w.Branch1); regexp.MustCompile(`<option value="\d`).MatchString(body) {
		t.Errorf("a member is offered organisations: %s", body)
	}
}
