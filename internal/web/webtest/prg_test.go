package webtest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// postForm is a form of a page as a browser would submit it.
type postForm struct {
	action string
	values url.Values
}

// forms finds the POST forms of a page and fills each as a user would:
// hidden values as they are, the first choice of each list, a date, a
// number, and text for the rest. Uploads are left out (their own tests
// cover them), and so are the buttons of a form with several (the first
// is what Enter submits).
func forms(t *testing.T, page string, n *int) []postForm {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	has := func(n *html.Node, k string) bool {
		for _, a := range n.Attr {
			if a.Key == k {
				return true
			}
		}
		return false
	}
	var out []postForm
	var walk func(*html.Node, *postForm)
	walk = func(node *html.Node, f *postForm) {
		if node.Type == html.ElementNode {
			switch node.Data {
			case "form":
				if strings.EqualFold(attr(node, "method"), "post") && attr(node, "enctype") != "multipart/form-data" {
					nf := &postForm{action: attr(node, "action"), values: url.Values{}}
					for c := node.FirstChild; c != nil; c = c.NextSibling {
						walk(c, nf)
					}
					out = append(out, *nf)
					return
				}
			case "template", "noscript":
				return
			case "input":
				if f == nil || attr(node, "name") == "" {
					break
				}
				name, typ := attr(node, "name"), attr(node, "type")
				*n++
				switch typ {
				case "hidden":
					f.values.Add(name, attr(node, "value"))
				case "checkbox", "radio", "search", "file", "password":
				case "date":
					f.values.Set(name, "2026-01-05")
				case "number":
					f.values.Set(name, "1")
				default:
					if v := attr(node, "value"); v != "" {
						f.values.Set(name, v)
					} else {
						f.values.Set(name, fmt.Sprintf("测试%d", *n))
					}
				}
			case "textarea":
				if f != nil {
					f.values.Set(attr(node, "name"), "测试内容")
				}
			case "select":
				if f == nil {
					break
				}
				chosen := ""
				for o := node.FirstChild; o != nil; o = o.NextSibling {
					if o.Type == html.ElementNode && o.Data == "option" && attr(o, "value") != "" && (chosen == "" || has(o, "selected")) {
						chosen = attr(o, "value")
					}
				}
				f.values.Add(attr(node, "name"), chosen)
			case "button":
				if f != nil && attr(node, "name") != "" && !f.values.Has(attr(node, "name")) {
					f.values.Set(attr(node, "name"), attr(node, "value"))
				}
			}
		}
		for c := node.FirstChild; c != nil; c = c.NextSibling {
			walk(c, f)
		}
	}
	walk(doc, nil)
	return out
}

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// showsOnce are the forms whose answer shows a value exactly once — the
// full ID number after an audited reveal, a new account's temporary
// password — which must not travel in an address; they answer with the
// page itself, and a reload asks before sending again (a second reveal is
// audited again; a second account is refused).
func showsOnce(action string) bool {
	for _, end := range []string{"/reveal", "/account", "/reset", "/activate"} {
		if strings.HasSuffix(action, end) {
			return true
		}
	}
	return false
}

// Every form of the pages a user works in answers a good post with 303 See
// Other, so reloading the page it leads to never asks to send it again.
// Each form is posted as the page shows it, filled as a user would.
func TestEveryFormPostRedirects(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	n := 0
	var posted []string
	if res := w.Login(t, "member").Form("/logout", nil); res.Status != http.StatusSeeOther {
		t.Errorf("logout: %d", res.Status)
	}
	for _, tc := range []struct {
		user  string
		pages []string
		// fill overrides the generic values of a form, by action.
		fill map[string]url.Values
	}{
		{user: "committee", pages: []string{"/orgs/" + webtest.Itoa(w.Branch1.ID), "/people/" + webtest.Itoa(w.P2.ID), "/people/" + webtest.Itoa(w.P2.ID) + "/edit",
			"/orgs/" + webtest.Itoa(w.Branch2.ID), "/orgs/new", "/groups", "/orgs/" + webtest.Itoa(w.Branch1.ID)},
			fill: map[string]url.Values{
				"/people/" + webtest.Itoa(w.P2.ID) + "/transfer": {"direction": {"move"}, "to_org_id": {webtest.Itoa(w.Branch1.ID)}, "external": {""}},
				"/people/" + webtest.Itoa(w.P2.ID):               {"id_number": {""}, "sex": {"female"}, "birth_date": {"1990-05-05"}, "applied_on": {""}, "activist_on": {""}, "candidate_on": {""}, "joined_on": {"2013-05-05"}, "full_on": {"2014-05-05"}, "status": {"full"}, "phone": {""}},
				"/orgs/" + webtest.Itoa(w.Branch2.ID) + "/close": {"closed_on": {"2026-01-05"}},
				"/orgs": {"kind": {"branch"}, "parent_id": {webtest.Itoa(w.Root.ID)}},
				"/orgs/" + webtest.Itoa(w.Branch1.ID) + "/committee": {"person_id": {webtest.Itoa(w.P1.ID)}},
				"/groups": {"members.person_id": {webtest.Itoa(w.P1.ID)}, "members.role": {"leader"}},
				"/people/" + webtest.Itoa(w.P2.ID) + "/account": {"username": {"lina2026"}},
			}},
		{user: "member", pages: []string{"/me"}},
		{user: "branch1", pages: []string{"/corrections"}, fill: map[string]url.Values{}},
		{user: "sysadmin", pages: []string{"/users"}, fill: map[string]url.Values{
			"/users":       {"username": {"newuser1"}, "role": {"branch_admin"}, "org_id": {webtest.Itoa(w.Branch1.ID)}, "person_id": {""}},
			"/users/roots": {"kind": {"committee"}, "name": {"另一个党委"}},
		}},
		{user: "secadmin", pages: []string{"/security"}}, // last: it disables accounts
	} {
		c := w.Login(t, tc.user)
		for _, page := range tc.pages {
			open := func() []postForm {
				res := c.Get(page)
				if res.Status != http.StatusOK {
					t.Fatalf("%s opens %s: %d", tc.user, page, res.Status)
				}
				// Each label points at its own field: no id twice on a page.
				seen := map[string]bool{}
				for _, m := range idAttr.FindAllStringSubmatch(res.Body, -1) {
					if seen[m[1]] {
						t.Errorf("%s: the id %q is used twice", page, m[1])
					}
					seen[m[1]] = true
				}
				return forms(t, res.Body, &n)
			}
			var actions []string
			for _, f := range open() {
				actions = append(actions, f.action)
			}
			if len(actions) == 0 {
				t.Errorf("%s: no forms found on %s", tc.user, page)
			}
			// Each form from the page as it stands after the one before
			// (a save moves the version on, a seat adds its 离任 form).
			for _, action := range actions {
				var f postForm
				for _, g := range open() {
					if g.action == action {
						f = g
					}
				}
				if f.action == "" || f.action == "/logout" || showsOnce(f.action) {
					continue
				}
				b1, b2 := "/orgs/"+webtest.Itoa(w.Branch1.ID), "/orgs/"+webtest.Itoa(w.Branch2.ID)
				if page == b1 && (f.action == b1+"/move" || f.action == b1+"/close") || f.action == b2+"/committee" {
					continue // Branch 1 keeps its place and people; Branch 2, emptied by the transfer, is moved and closed
				}
				for k, v := range tc.fill[f.action] {
					f.values[k] = v
				}
				got := c.Form(f.action, f.values)
				posted = append(posted, f.action)
				if got.Status != http.StatusSeeOther {
					msg := ""
					if i := strings.Index(got.Body, `class="alert"`); i >= 0 {
						msg = got.Body[i:min(len(got.Body), i+200)]
					}
					t.Errorf("%s on %s posts %s: %d, want 303 (%v) %s", tc.user, page, f.action, got.Status, f.values, msg)
				}
			}
		}
	}
	if len(posted) < 16 {
		t.Errorf("only %d forms were posted: %v", len(posted), posted)
	}
	t.Logf("posted %d forms: %v", len(posted), posted)
}
