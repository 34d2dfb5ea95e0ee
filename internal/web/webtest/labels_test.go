package webtest_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// Every page every role can open: ids are unique on the page, and every
// <label for=…> points at a field that exists, so a click on a label (or a
// screen reader) lands on its own field and not on another form's.
func TestEveryLabelPointsAtItsOwnField(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	fill := strings.NewReplacer("{id}", "", "{person}", webtest.Itoa(w.P1.ID), "{org}", webtest.Itoa(w.Branch1.ID))
	var paths []string
	for _, rt := range w.Server.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if rt.API || method != "GET" || strings.Contains(pattern, ".") {
			continue
		}
		switch {
		case strings.HasPrefix(pattern, "/people/{id}"):
			pattern = strings.Replace(pattern, "{id}", webtest.Itoa(w.P1.ID), 1)
		case strings.HasPrefix(pattern, "/orgs/{id}"):
			pattern = strings.Replace(pattern, "{id}", webtest.Itoa(w.Branch1.ID), 1)
		}
		if strings.Contains(pattern, "{") || strings.HasSuffix(pattern, "/badge") {
			continue // the bell's count is a fragment htmx picks out of the page, not a page
		}
		paths = append(paths, fill.Replace(pattern))
	}
	pages := 0
	for _, role := range []string{"committee", "branch1", "member", "sysadmin", "secadmin", "auditor"} {
		c := w.Login(t, role)
		for _, path := range paths {
			res := c.Get(path)
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			pages++
			checkLabels(t, role+" "+path, res.Body)
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages walked", pages)
	}
}

func checkLabels(t *testing.T, where, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	ids := map[string]int{}
	var fors []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "id" {
					ids[a.Val]++
				}
				if a.Key == "for" && n.Data == "label" {
					fors = append(fors, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", where, id, n)
		}
	}
	for _, f := range fors {
		if ids[f] == 0 {
			t.Errorf("%s: <label for=%q> points at no field", where, f)
		}
	}
}
