package orgweb_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
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

// A branch's page offers to move it, among the organisations around its
// committee; the top of the caller's scope offers no move at all.
func TestMoveOffersTheTreeAroundTheParent(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	staff := w.Login(t, "committee")
	page := staff.Get("/orgs/" + strconv.FormatInt(w.Branch1.ID, 10))
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "新的上级组织") ||
		!strings.Contains(page.Body, `<option value="`+strconv.FormatInt(w.Root.ID, 10)+`"`) {
		t.Errorf("第一党支部's page does not offer a move under the committee: %d %.300s", page.Status, page.Body)
	}
	// A county's staff on their own county's page: it sits under the
	// city, but the city is not theirs to move it in.
	ctx := context.Background()
	county := &org.Org{ParentID: w.Root.ID, Kind: org.Committee, Name: "县委政法委机关党委"}
	if err := w.Store.CreateOrg(ctx, audit.System, auth.Everything, county); err != nil {
		t.Fatal(err)
	}
	// The committee's staff moving the county: it may go under another
	// committee, not under itself, now or when they choose again.
	option := func(o org.Org) string { return `<option value="` + strconv.FormatInt(o.ID, 10) + `"` }
	moving := staff.Get("/orgs/" + strconv.FormatInt(county.ID, 10))
	if moving.Status != http.StatusOK || !strings.Contains(moving.Body, option(w.Root)) || strings.Contains(moving.Body, option(*county)) ||
		!strings.Contains(moving.Body, "except="+strconv.FormatInt(county.ID, 10)) {
		t.Errorf("the county's move offers itself, or will when asked again: %d %.2000s", moving.Status, moving.Body)
	}
	again := staff.Get("/orgs/options?kinds=committee&name=parent_id&parent_id=" + strconv.FormatInt(w.Root.ID, 10) + "&except=" + strconv.FormatInt(county.ID, 10))
	if !strings.Contains(again.Body, option(w.Root)) || strings.Contains(again.Body, option(*county)) {
		t.Errorf("asked again, the move offers: %s", again.Body)
	}
	hash, err := auth.HashPassword(webtest.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Store.CreateUser(ctx, audit.System, &auth.User{Username: "county", Role: auth.CommitteeAdmin, OrgID: county.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	own := w.Login(t, "county").Get("/orgs/" + strconv.FormatInt(county.ID, 10))
	if own.Status != http.StatusOK || strings.Contains(own.Body, "新的上级组织") {
		t.Errorf("the county's staff are offered to move their own county, the top of their scope: %d", own.Status)
	}
}
