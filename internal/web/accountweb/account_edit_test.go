package accountweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// Linking an account to a person is done by picking them by name or pinyin
// initials (narrowed to the organisation chosen on the form), and an account
// is edited after creation; the username and role stay.
func TestAccountsLinkByPickerAndAreEditable(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		wang := webtest.MustPerson(t, w.Store, w.Branch1.ID, "王小明", "19950101", "321")
		sys := w.Login(t, "sysadmin")
		found := sys.Get("/users/pick-person?q=wxm")
		if found.Status != http.StatusOK || !strings.Contains(found.Body, fmt.Sprintf(`data-pick-id="%d" data-pick-label="王小明（第一党支部）"`, wang.ID)) ||
			strings.Contains(found.Body, "李娜") {
			t.Fatalf("picking by pinyin initials: %d %s", found.Status, found.Body)
		}
		if other := sys.Get(fmt.Sprintf("/users/pick-person?q=wxm&org_id=%d", w.Branch2.ID)); strings.Contains(other.Body, "王小明") ||
			!strings.Contains(other.Body, "没有找到符合条件的人员") {
			t.Fatalf("the picker ignores the organisation chosen: %s", other.Body)
		}
		if page := sys.Get("/users"); !strings.Contains(page.Body, `id="pick-person-id-q"`) || strings.Contains(page.Body, "地址 /people/ 后面的数字") {
			t.Fatal("the new-account form still asks for a person's number")
		}
		res := sys.Form("/users", url.Values{"username": {"wangxm"}, "role": {string(auth.Member)}, "org_id": {fmt.Sprint(w.Branch1.ID)},
			"person_id": {fmt.Sprint(wang.ID)}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("propose with a picked person: %d %s", res.Status, res.Body)
		}
		u, err := w.Store.UserByUsername(t.Context(), "wangxm")
		if err != nil || u.PersonID != wang.ID {
			t.Fatalf("the proposed account: %+v %v", u, err)
		}

		edit := sys.Get(fmt.Sprintf("/users/%d/edit", u.ID))
		if edit.Status != http.StatusOK || !strings.Contains(edit.Body, "王小明（第一党支部）") {
			t.Fatalf("the edit form does not show the linked person: %d", edit.Status)
		}
		bad := sys.Form(fmt.Sprintf("/users/%d", u.ID), url.Values{"display_name": {"张伟"}, "org_id": {fmt.Sprint(w.Branch1.ID)},
			"person_id": {fmt.Sprint(w.P2.ID)}, "version": {fmt.Sprint(u.Version)}})
		if bad.Status < 400 || bad.Status >= 500 {
			t.Fatalf("linking a person outside the organisation: %d", bad.Status)
		}
		ok := sys.Form(fmt.Sprintf("/users/%d", u.ID), url.Values{"display_name": {"王小明"}, "org_id": {fmt.Sprint(w.Root.ID)},
			"person_id": {fmt.Sprint(wang.ID)}, "version": {fmt.Sprint(u.Version)}})
		if ok.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", ok.Status, ok.Body)
		}
		if got, _ := w.Store.User(t.Context(), u.ID); got.DisplayName != "王小明" || got.OrgID != w.Root.ID || got.Role != auth.Member {
			t.Fatalf("after the edit: %+v", got)
		}
		// The security administrator may not edit accounts; nobody else may pick from the whole roster.
		if res := w.Login(t, "secadmin").Get(fmt.Sprintf("/users/%d/edit", u.ID)); res.Status != http.StatusForbidden {
			t.Fatalf("the security administrator edits accounts: %d", res.Status)
		}
		if res := w.Login(t, "branch2").Get("/users/pick-person?q=wxm"); res.Status != http.StatusForbidden {
			t.Fatalf("a branch secretary picks from the whole roster: %d", res.Status)
		}
	})
}
