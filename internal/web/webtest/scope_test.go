package webtest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// TestEveryRouteRefusesAnotherBranch walks every route of both surfaces as the
// secretary of 第二党支部, aimed at 第一党支部's organisation, people and seats
// (越权). Every answer must be a refusal or a page without their data, and
// afterwards nothing of 第一党支部 has changed.
func TestEveryRouteRefusesAnotherBranch(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		ctx := context.Background()
		seat := &org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", From: date.MustParse("2024-01-01")}
		if err := w.Store.AddCommitteeMember(ctx, audit.System, auth.Everything, seat); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, w)
		srv, err := web.New(w.Store, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		c := w.Login(t, "branch2")
		ids := map[string]string{"id": "", "mid": strconv.FormatInt(seat.ID, 10), "name": "education"}
		// A body that points every reference at 第一党支部.
		hostile := url.Values{
			"org_id": {webtest.Itoa(w.Branch1.ID)}, "parent_id": {webtest.Itoa(w.Branch1.ID)}, "person_id": {webtest.Itoa(w.P1.ID)},
			"to_org_id": {webtest.Itoa(w.Branch1.ID)}, "name": {"越权"}, "kind": {"group"}, "status": {"full"},
			"id_number": {webtest.ValidID("19800101", "999")}, "joined_on": {"2005-01-01"}, "full_on": {"2006-01-01"},
			"position": {"书记"}, "from": {"2025-01-01"}, "to": {"2025-06-01"}, "on": {"2025-06-01"},
			"direction": {"move"}, "closed_on": {"2025-06-01"}, "set_up_on": {"2025-01-01"}, "version": {"1"},
			"members.person_id": {webtest.Itoa(w.P1.ID)}, "members.role": {"leader"},
		}
		for _, rt := range srv.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if rt.Perm == "public" || strings.HasSuffix(pattern, "/logout") || strings.Contains(pattern, "password") {
				continue
			}
			var targets []string
			if strings.Contains(pattern, "{id}") {
				switch {
				case strings.Contains(pattern, "/orgs/"):
					targets = []string{fill(pattern, ids, w.Branch1.ID), fill(pattern, ids, w.Group1.ID)}
				case strings.Contains(pattern, "/people/"):
					targets = []string{fill(pattern, ids, w.P1.ID)}
				default: // accounts: the first branch's secretary
					targets = []string{fill(pattern, ids, w.Users["branch1"].ID)}
				}
			} else {
				targets = []string{fill(pattern, ids, 0)}
			}
			for _, target := range targets {
				target = strings.TrimSuffix(target, "{$}")
				var res webtest.Response
				if method == "GET" {
					res = c.Get(target + "?org=" + webtest.Itoa(w.Branch1.ID))
				} else if rt.API {
					body := map[string]any{}
					for k, v := range hostile {
						body[k] = v[0]
					}
					res = c.JSON(method, target, body)
				} else {
					res = c.Form(target, hostile)
				}
				ok := res.Status == http.StatusForbidden || res.Status == http.StatusNotFound || res.Status == http.StatusUnprocessableEntity
				if method == "GET" && res.Status == http.StatusOK {
					ok = !strings.Contains(res.Body, w.P1.Name) && !strings.Contains(res.Body, w.Branch1.Name)
				}
				if !ok {
					t.Errorf("%s %s as branch2: %d %.300s", method, target, res.Status, res.Body)
				}
			}
		}
		if after := snapshot(t, w); after != before {
			t.Errorf("branch 1 changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func fill(pattern string, ids map[string]string, id int64) string {
	out := strings.ReplaceAll(pattern, "{id}", webtest.Itoa(id))
	for k, v := range ids {
		if k != "id" {
			out = strings.ReplaceAll(out, "{"+k+"}", v)
		}
	}
	return out
}

// snapshot is everything of 第一党支部 a hostile request could change.
func snapshot(t *testing.T, w *webtest.World) string {
	t.Helper()
	ctx := context.Background()
	b1 := auth.Scope{OrgPath: w.Branch1.Path}
	var sb strings.Builder
	orgs, err := w.Store.Orgs(ctx, b1, store.OrgFilter{IncludeClosed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		sb.WriteString(o.Name + "/" + o.Path + "/" + strconv.FormatInt(o.Version, 10) + "/" + o.ClosedOn.String() + ";")
	}
	page, err := w.Store.People(ctx, b1, store.PersonFilter{IncludeLeft: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		sb.WriteString(p.Name + "/" + strconv.FormatInt(p.Version, 10) + "/" + p.LeftOn.String() + ";")
	}
	seats, err := w.Store.Committee(ctx, b1, w.Branch1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seats {
		sb.WriteString(s.Position + "/" + s.To.String() + ";")
	}
	groups, err := w.Store.WorkingGroups(ctx, auth.Everything)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString("groups:" + strconv.Itoa(len(groups)))
	tr, err := w.Store.Transfers(ctx, b1, w.P1.ID)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString(" transfers:" + strconv.Itoa(len(tr)))
	u, err := w.Store.User(ctx, w.Users["branch1"].ID)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString(" user:" + strconv.FormatInt(u.Version, 10) + strconv.FormatBool(u.Disabled))
	return sb.String()
}
