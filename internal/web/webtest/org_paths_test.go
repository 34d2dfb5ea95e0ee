package webtest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// Every branch of the demo has a 第一党小组 and a 第二党小组. Walking the demo
// as the committee administrator, a branch secretary and a member — every
// page and every API answer each can open, people and organisations among
// them, the member's own pages — no such name appears without enough of its
// path before it (第一党支部 › 第一党小组).
func TestNoAmbiguousOrganisationNameWithoutItsPath(t *testing.T) {
	clock := storetest.NewClock()
	st := storetest.Open(t, store.SQLite, clock.Now)
	ctx := context.Background()
	res, err := demo.Load(ctx, st, date.MustParse("2026-06-30"), 2026)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.LoginPerMin = 1000
	cfg.DataDir, cfg.BackupDir = t.TempDir(), t.TempDir()
	srv, err := web.New(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Areas()...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	w := &webtest.World{URL: ts.URL, Store: st, Clock: clock, Server: srv}

	orgs, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{IncludeClosed: true})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, o := range orgs {
		count[o.Name]++
	}
	var ambiguous []string
	var groups []org.Org
	for _, o := range orgs {
		if count[o.Name] > 1 {
			if !contains(ambiguous, o.Name) {
				ambiguous = append(ambiguous, o.Name)
			}
			groups = append(groups, o)
		}
	}
	if len(ambiguous) == 0 {
		t.Fatal("the demo has no organisation names that need their path")
	}
	// Some people of those groups, to open their pages.
	var people []int64
	for _, g := range groups[:2] {
		page, err := st.People(ctx, auth.Everything, store.PersonFilter{OrgID: g.ID, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			people = append(people, p.ID)
		}
	}

	var paths []string
	for _, rt := range srv.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method != "GET" || strings.HasSuffix(pattern, ".xlsx") || strings.HasSuffix(pattern, ".docx") || strings.HasSuffix(pattern, ".png") {
			continue
		}
		switch {
		case !strings.Contains(pattern, "{"):
			paths = append(paths, pattern)
		case strings.Count(pattern, "{") == 1 && (strings.HasPrefix(pattern, "/people/{id}") || strings.HasPrefix(pattern, "/api/v1/people/{id}")):
			for _, id := range people {
				paths = append(paths, strings.Replace(pattern, "{id}", webtest.Itoa(id), 1))
			}
		case strings.Count(pattern, "{") == 1 && (strings.HasPrefix(pattern, "/orgs/{id}") || strings.HasPrefix(pattern, "/api/v1/orgs/{id}")):
			for _, g := range groups[:2] {
				paths = append(paths, strings.Replace(pattern, "{id}", webtest.Itoa(g.ID), 1))
			}
		}
	}
	// Each listing as a whole too, not only its first page.
	paths = append(paths, "/people?page_size=100&org=", "/api/v1/people?page_size=200")
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	history := regexp.MustCompile(`(?s)<h2>沿革</h2>.*?</section>`)
	tree := regexp.MustCompile(`(?s)<ul class="tree" id="org-tree">.*?</section>`)
	walked, labelled := 0, 0
	for _, a := range res.Accounts {
		if a.Username != "committee" && a.Username != "branch1" && a.Username != "member" {
			continue
		}
		c := w.Client(t)
		if r := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": a.Username, "password": a.Password}); r.Status != http.StatusOK {
			t.Fatalf("login %s: %d %s", a.Username, r.Status, r.Body)
		}
		for _, path := range paths {
			if strings.HasSuffix(path, "/history") {
				continue // 沿革 in the API: the names an organisation had itself, as they were
			}
			r := c.Get(path)
			if r.Status != http.StatusOK {
				continue
			}
			walked++
			text := r.Body
			if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				// 沿革 on an organisation's own page lists the names it had
				// itself, as they were: history, not a reference to another.
				text = history.ReplaceAllString(text, "")
				// The organisation tree shows each organisation inside its
				// parent's open branch: the tree itself is the path.
				text = tree.ReplaceAllString(text, "")
				text = tags.ReplaceAllString(text, "\n")
			} else {
				// An organisation's own record names it by its name field;
				// what must carry the path are the places that name it
				// for a reader.
				text = regexp.MustCompile(`"name":"[^"]*"`).ReplaceAllString(text, "")
			}
			labelled += strings.Count(text, org.PathSeparator)
			for _, name := range ambiguous {
				for i := 0; ; {
					j := strings.Index(text[i:], name)
					if j < 0 {
						break
					}
					at := i + j
					// The roster file writes a path with "/" (第一党支部/第一党小组).
					if !strings.HasSuffix(text[:at], org.PathSeparator) && !strings.HasSuffix(text[:at], "/") {
						t.Errorf("%s: GET %s shows %q without its path: …%s…", a.Username, path, name, text[max(0, at-60):min(len(text), at+len(name)+30)])
						break
					}
					i = at + len(name)
				}
			}
		}
	}
	if walked < 30 || labelled < 100 {
		t.Fatalf("only %d answers walked, %d organisations shown with their path", walked, labelled)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
