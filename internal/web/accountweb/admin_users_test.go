package accountweb_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func admUserCount(t *testing.T, w *webtest.World) int {
	t.Helper()
	n, err := w.Store.CountUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSystemAdminProposesSecurityAdminActivates: the system administrator
// proposes a branch secretary's account (checked field by field, refused
// without a trace), the security administrator activates it and hands over
// the temporary password, which works once, to choose the owner's own.
func TestSystemAdminProposesSecurityAdminActivates(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		sec := w.Login(t, "secadmin")
		users := admUserCount(t, w)

		// Bad input: 422 with the message beside each field, and no account.
		good := map[string]any{"username": "zhangsj", "display_name": "张书记", "role": "branch_admin", "org_id": w.Branch1.ID}
		for _, tc := range []struct {
			change      map[string]any
			field, want string
			status      int
		}{
			{map[string]any{"username": ""}, "username", "用户名须以字母开头", 422},
			{map[string]any{"role": "boss"}, "role", "角色不正确", 422},
			{map[string]any{"org_id": nil}, "org_id", "此项必填", 422},
			{map[string]any{"role": "member"}, "person_id", "党员账号须关联花名册中的人员", 422},
			{map[string]any{"role": "member", "org_id": w.Branch2.ID, "person_id": w.P1.ID}, "person_id", "所关联人员不在该账号的组织范围内", 422},
			{map[string]any{"role": "member", "person_id": w.P1.ID}, "person_id", "此人已开通账号", 409},
			{map[string]any{"username": "branch1"}, "username", "用户名已被使用", 409},
			{map[string]any{"username": "Branch1"}, "username", "用户名已被使用", 409},
		} {
			body := map[string]any{}
			for k, v := range good {
				body[k] = v
			}
			for k, v := range tc.change {
				body[k] = v
			}
			res := sa.JSON("POST", "/api/v1/users", body)
			if res.Status != tc.status {
				t.Fatalf("%v: %d %s", tc.change, res.Status, res.Body)
			}
			if got, _ := webtest.Fields(t, res)[tc.field].(string); !strings.Contains(got, tc.want) {
				t.Errorf("%v: fields %s", tc.change, res.Body)
			}
		}
		if n := admUserCount(t, w); n != users {
			t.Fatalf("refused accounts were created: %d → %d", users, n)
		}
		// The page shows the same messages beside its fields and keeps what was typed.
		res := sa.Form("/users", url.Values{"username": {""}, "display_name": {"张书记"}, "role": {"branch_admin"}, "org_id": {webtest.Itoa(w.Branch1.ID)}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("page refusal: %d", res.Status)
		}
		for _, want := range []string{`data-field="username"`, "用户名须以字母开头", `value="张书记"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("users page lacks %q", want)
			}
		}
		if strings.Contains(res.Body, `name="password"`) {
			t.Error("the system administrator's form still asks for a password")
		}

		// Proposed: pending, without a password.
		res = sa.JSON("POST", "/api/v1/users", good)
		if res.Status != http.StatusCreated {
			t.Fatalf("propose: %d %s", res.Status, res.Body)
		}
		got := res.Decode(t)
		if got["pending"] != true || got["status"] != "待核准激活" || got["role_label"] != "支部书记/支委" || got["org_name"] != "第一党支部" || got["temporary_password"] != nil {
			t.Fatalf("proposed: %v", got)
		}
		id := webtest.Itoa(int64(got["id"].(float64)))

		// The security administrator activates it as proposed (a role or
		// scope sent along is not theirs to change) and gets the temporary password.
		res = sec.JSON("POST", "/api/v1/users/"+id+"/activate", map[string]any{"role": "committee_admin", "org_id": w.Root.ID})
		if res.Status != http.StatusOK {
			t.Fatalf("activate: %d %s", res.Status, res.Body)
		}
		got = res.Decode(t)
		temp, _ := got["temporary_password"].(string)
		if got["pending"] != false || got["must_change"] != true || got["role"] != "branch_admin" || got["org_id"] != float64(w.Branch1.ID) || temp == "" {
			t.Fatalf("activated: %v", got)
		}
		if res := sec.JSON("POST", "/api/v1/users/"+id+"/activate", nil); res.Status != http.StatusConflict || !strings.Contains(res.Body, "该账号已激活或已被驳回") {
			t.Fatalf("activated twice: %d %s", res.Status, res.Body)
		}
		// The temporary password works once, to choose the owner's own.
		nc := w.Client(t)
		res = nc.JSON("POST", "/api/v1/auth/login", map[string]any{"username": "zhangsj", "password": temp})
		if res.Status != http.StatusOK || res.Decode(t)["password_change_required"] != true {
			t.Fatalf("first login: %d %s", res.Status, res.Body)
		}
		for _, path := range []string{"/api/v1/me", "/api/v1/people"} {
			res = nc.Get(path)
			if res.Status != http.StatusForbidden || res.Decode(t)["error"].(map[string]any)["code"] != "password_change_required" {
				t.Fatalf("%s before the change: %d %s", path, res.Status, res.Body)
			}
		}
		res = nc.JSON("POST", "/api/v1/me/password", map[string]any{"current": temp, "password": "Xinmima#2026ok"})
		if res.Status != http.StatusNoContent {
			t.Fatalf("change: %d %s", res.Status, res.Body)
		}
		res = nc.Get("/api/v1/people")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, w.P1.Name) || strings.Contains(res.Body, w.P2.Name) {
			t.Fatalf("the new secretary's roster: %d %s", res.Status, res.Body)
		}

		// The same through the pages.
		res = sa.Form("/users", url.Values{"username": {"wangzw"}, "display_name": {"王组委"}, "role": {"branch_admin"}, "org_id": {webtest.Itoa(w.Branch2.ID)}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/users?notice=user_proposed" {
			t.Fatalf("page propose: %d %s", res.Status, res.Header.Get("Location"))
		}
		res = sa.Get(res.Header.Get("Location") + "&q=wangzw")
		for _, want := range []string{"账号已提交，须由安全管理员核准激活后才能使用", "wangzw", "王组委", "支部书记/支委", "第二党支部", "待核准激活"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("account list lacks %q", want)
			}
		}
		page := sec.Get("/security")
		u, err := w.Store.UserByUsername(t.Context(), "wangzw")
		if err != nil {
			t.Fatal(err)
		}
		row := regexp.MustCompile(`(?s)<tr data-username="wangzw">.*?</tr>`).FindString(page.Body[strings.Index(page.Body, `id="pending-accounts"`):])
		for _, want := range []string{"王组委", "支部书记/支委", "第二党支部", "sysadmin", "/security/" + webtest.Itoa(u.ID) + "/activate"} {
			if !strings.Contains(row, want) {
				t.Errorf("the pending row lacks %q: %s", want, row)
			}
		}
		res = sec.Form("/security/"+webtest.Itoa(u.ID)+"/activate", nil)
		m := tempPasswordRe.FindStringSubmatch(res.Body)
		if res.Status != http.StatusOK || m == nil || !strings.Contains(res.Body, "账号已核准激活") {
			t.Fatalf("page activate: %d", res.Status)
		}
		pc := w.Client(t)
		res = pc.Form("/login", url.Values{"username": {"wangzw"}, "password": {html.UnescapeString(m[1])}, "next": {"/people"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("page login: %d", res.Status)
		}
		if res = pc.Get("/people"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/password" {
			t.Fatalf("first page after login: %d %s", res.Status, res.Header.Get("Location"))
		}
		u, err = w.Store.UserByUsername(t.Context(), "wangzw")
		if err != nil || u.Role != auth.BranchAdmin || u.OrgID != w.Branch2.ID || !u.MustChange || u.IssuedBy != "secadmin" {
			t.Fatalf("stored account: %+v %v", u, err)
		}
	})
}

// TestSecurityAdminRejectsProposal: a proposal the security administrator
// will not approve is removed, freeing its name; only pending accounts can be.
func TestSecurityAdminRejectsProposal(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		sec := w.Login(t, "secadmin")
		res := sa.JSON("POST", "/api/v1/users", map[string]any{"username": "wrongscope", "role": "committee_admin", "org_id": w.Branch2.ID})
		id := webtest.Itoa(int64(res.Decode(t)["id"].(float64)))
		res = sec.Form("/security/"+id+"/reject", nil)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/security?notice=rejected" {
			t.Fatalf("reject: %d %s", res.Status, res.Header.Get("Location"))
		}
		if _, err := w.Store.UserByUsername(t.Context(), "wrongscope"); err == nil {
			t.Fatal("the rejected account is still there")
		}
		if res := sec.JSON("POST", "/api/v1/users/"+webtest.Itoa(w.Users["branch1"].ID)+"/reject", nil); res.Status != http.StatusConflict {
			t.Fatalf("rejecting an active account: %d %s", res.Status, res.Body)
		}
		entries, _, err := w.Store.AuditEntries(t.Context(), webtest.AuditFilter("secadmin", "user.reject"))
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Before, "wrongscope") {
			t.Fatalf("reject audit: %+v %v", entries, err)
		}
	})
}

func TestSystemAdminCreatesTopOrganisations(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		sa := w.Login(t, "sysadmin")
		res := sa.Get("/users")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "顶级组织") || !strings.Contains(res.Body, w.Root.Name) {
			t.Fatalf("users page: %d", res.Status)
		}
		if strings.Contains(res.Body, w.P1.Name) {
			t.Fatal("the system administrator sees roster data")
		}
		count := func() int {
			list, err := w.Store.Orgs(t.Context(), auth.Everything, store.OrgFilter{IncludeClosed: true})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		n := count()
		for _, tc := range []struct {
			name, kind, want string
			status           int
		}{
			{"县委政法委", "branch", "顶级组织只能是党委、机关单位或乡镇/街道", 422},
			{"", "committee", "此项必填", 422},
			{w.Root.Name, "committee", "同一上级下已有同名组织", 409},
		} {
			res := sa.Form("/users/roots", url.Values{"name": {tc.name}, "kind": {tc.kind}})
			if res.Status != tc.status || !strings.Contains(res.Body, tc.want) {
				t.Errorf("%q %s: %d, lacks %q", tc.name, tc.kind, res.Status, tc.want)
			}
		}
		if count() != n {
			t.Fatal("a refused organisation was created")
		}
		res = sa.Form("/users/roots", url.Values{"name": {"县委政法委机关党委"}, "kind": {"committee"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/users?notice=root_created" {
			t.Fatalf("create root: %d %s", res.Status, res.Body)
		}
		list, err := w.Store.Orgs(t.Context(), auth.Everything, store.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, o := range list {
			found = found || (o.Name == "县委政法委机关党委" && o.ParentID == 0)
		}
		if !found {
			t.Fatal("the top organisation is missing")
		}
		// It is at once a scope an account can be given.
		res = sa.Get("/users")
		if !strings.Contains(res.Body, "县委政法委机关党委") {
			t.Fatal("the new top organisation is not offered")
		}
	})
}
