package web_test

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
)

// TestEveryRouteRefusesAnotherBranch walks every route of both surfaces as the
// secretary of 第二党支部, aimed at 第一党支部's organisation, people and seats
// (越权). Every answer must be a refusal or a page without their data, and
// afterwards nothing of 第一党支部 has changed.
func TestEveryRouteRefusesAnotherBranch(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		ctx := context.Background()
		seat := &org.CommitteeMember{OrgID: w.branch1.ID, PersonID: w.p1.ID, Position: "书记", From: date.MustParse("2024-01-01")}
		if err := w.st.AddCommitteeMember(ctx, audit.System, auth.Everything, seat); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, w)
		srv, err := web.New(w.st, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		c := w.login(t, "branch2")
		ids := map[string]string{"id": "", "mid": strconv.FormatInt(seat.ID, 10), "name": "education"}
		// A body that points every reference at 第一党支部.
		hostile := url.Values{
			"org_id": {itoa(w.branch1.ID)}, "parent_id": {itoa(w.branch1.ID)}, "person_id": {itoa(w.p1.ID)},
			"to_org_id": {itoa(w.branch1.ID)}, "name": {"越权"}, "kind": {"group"}, "status": {"full"},
			"id_number": {validID("19800101", "999")}, "joined_on": {"2005-01-01"}, "full_on": {"2006-01-01"},
			"position": {"书记"}, "from": {"2025-01-01"}, "to": {"2025-06-01"}, "on": {"2025-06-01"},
			"direction": {"move"}, "closed_on": {"2025-06-01"}, "set_up_on": {"2025-01-01"}, "version": {"1"},
			"members.person_id": {itoa(w.p1.ID)}, "members.role": {"leader"},
		}
		for _, rt := range srv.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if rt.Perm == "public" || strings.HasSuffix(pattern, "/logout") || strings.Contains(pattern, "password") {
				continue
			}
			targets := []string{pattern}
			if strings.Contains(pattern, "{id}") {
				targets = nil
				switch {
				case strings.Contains(pattern, "/orgs/"):
					targets = []string{fill(pattern, ids, w.branch1.ID), fill(pattern, ids, w.group1.ID)}
				case strings.Contains(pattern, "/people/"):
					targets = []string{fill(pattern, ids, w.p1.ID)}
				default: // accounts: the first branch's secretary
					targets = []string{fill(pattern, ids, w.users["branch1"].ID)}
				}
			} else {
				targets = []string{fill(pattern, ids, 0)}
			}
			for _, target := range targets {
				target = strings.TrimSuffix(target, "{$}")
				var res response
				if method == "GET" {
					res = c.get(target + "?org=" + itoa(w.branch1.ID))
				} else if rt.API {
					body := map[string]any{}
					for k, v := range hostile {
						body[k] = v[0]
					}
					res = c.json(method, target, body)
				} else {
					res = c.form(target, hostile)
				}
				ok := res.status == http.StatusForbidden || res.status == http.StatusNotFound || res.status == http.StatusUnprocessableEntity
				if method == "GET" && res.status == http.StatusOK {
					ok = !strings.Contains(res.body, w.p1.Name) && !strings.Contains(res.body, w.branch1.Name)
				}
				if !ok {
					t.Errorf("%s %s as branch2: %d %.300s", method, target, res.status, res.body)
				}
			}
		}
		if after := snapshot(t, w); after != before {
			t.Errorf("branch 1 changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func fill(pattern string, ids map[string]string, id int64) string {
	out := strings.ReplaceAll(pattern, "{id}", itoa(id))
	for k, v := range ids {
		if k != "id" {
			out = strings.ReplaceAll(out, "{"+k+"}", v)
		}
	}
	return out
}

// snapshot is everything of 第一党支部 a hostile request could change.
func snapshot(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	b1 := auth.Scope{OrgPath: w.branch1.Path}
	var sb strings.Builder
	orgs, err := w.st.Orgs(ctx, b1, store.OrgFilter{IncludeClosed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		sb.WriteString(o.Name + "/" + o.Path + "/" + strconv.FormatInt(o.Version, 10) + "/" + o.ClosedOn.String() + ";")
	}
	page, err := w.st.People(ctx, b1, store.PersonFilter{IncludeLeft: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		sb.WriteString(p.Name + "/" + strconv.FormatInt(p.Version, 10) + "/" + p.LeftOn.String() + ";")
	}
	seats, err := w.st.Committee(ctx, b1, w.branch1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seats {
		sb.WriteString(s.Position + "/" + s.To.String() + ";")
	}
	groups, err := w.st.WorkingGroups(ctx, auth.Everything)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString("groups:" + strconv.Itoa(len(groups)))
	tr, err := w.st.Transfers(ctx, b1, w.p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString(" transfers:" + strconv.Itoa(len(tr)))
	u, err := w.st.User(ctx, w.users["branch1"].ID)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString(" user:" + strconv.FormatInt(u.Version, 10) + strconv.FormatBool(u.Disabled))
	return sb.String()
}
