package webtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/learning"
	"dangjian/internal/ledger"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
	"dangjian/internal/web/webtest"
)

// TestEveryRouteRefusesAnotherBranch walks every route of both surfaces — as
// the site mounts them, so a new area's routes are walked too — as the
// secretary of 第二党支部, aimed at 第一党支部's organisation, people, seats and
// events (越权). Each answer must be the exact refusal of its reason:
//
//   - a route the role has no permission for: 403;
//   - a route that names one of 第一党支部's things in its address: 404, the
//     same as a thing that does not exist;
//   - a route that creates, with a body naming 第一党支部: 422, beside the
//     field that names it;
//   - a list: a page or answer without 第一党支部's data.
//
// Then 第一党支部's own secretary sends the same requests: they are not
// refused for scope, so the refusals above were the scope check's and not
// some other objection to the body. In between, nothing of 第一党支部 changed.
func TestEveryRouteRefusesAnotherBranch(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		x := newTargets(t, w)
		before := snapshot(t, w)
		attacker, owner := w.Login(t, "branch2"), w.Login(t, "branch1")
		routes := w.Server.Routes()
		if len(routes) < 100 {
			t.Fatalf("only %d routes walked: the walk no longer sees the site", len(routes))
		}
		var controls []probe
		for _, rt := range routes {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if rt.Perm == web.Public || rt.Perm == web.OwnAccount {
				continue // open to anyone, or about the caller's own account
			}
			p := probe{rt: rt, method: method, path: x.fill(pattern), form: x.body(pattern), file: x.roster}
			res := p.send(attacker)
			switch want := expectation(rt, pattern); want {
			case http.StatusForbidden, http.StatusNotFound:
				if res.Status != want {
					t.Errorf("%s %s as branch2: %d, want %d %.200s", method, p.path, res.Status, want, res.Body)
				}
				if want == http.StatusNotFound {
					controls = append(controls, p)
				}
			case http.StatusUnprocessableEntity:
				if res.Status != want || !namesReference(res, rt.API) {
					t.Errorf("%s %s as branch2: %d, want 422 beside the field naming 第一党支部 %.300s", method, p.path, res.Status, res.Body)
				}
				controls = append(controls, p)
			case http.StatusOK: // a list or a form
				if res.Status == http.StatusOK && (strings.Contains(res.Body, w.P1.Name) || strings.Contains(res.Body, x.eventTopic)) {
					t.Errorf("%s %s as branch2 shows 第一党支部's data", method, p.path)
				} else if res.Status != http.StatusOK && !(res.Status == http.StatusUnprocessableEntity && namesReference(res, rt.API)) {
					t.Errorf("%s %s as branch2: %d %.200s", method, p.path, res.Status, res.Body)
				}
			case signInRefused:
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("%s %s as branch2 without a code: %d", method, p.path, res.Status)
				}
			case selfOnly:
				if strings.Contains(res.Body, w.P1.Name) {
					t.Errorf("%s %s as branch2 shows 第一党支部's member", method, p.path)
				}
			case importRefused:
				if res.Status != http.StatusSeeOther {
					t.Fatalf("%s %s as branch2: %d", method, p.path, res.Status)
				}
				outcome := waitForJob(t, attacker, res.Header.Get("Location"))
				if outcome.Status != http.StatusUnprocessableEntity || !strings.Contains(outcome.Body, "管理范围内没有") {
					t.Errorf("the import job of branch2's upload: %d %.300s", outcome.Status, outcome.Body)
				}
			}
		}
		if after := snapshot(t, w); after != before {
			t.Errorf("branch 1 changed:\nbefore %s\nafter  %s", before, after)
		}
		// The owner is not refused for scope: the body was good, the address right.
		for _, p := range controls {
			res := p.send(owner)
			if res.Status == http.StatusNotFound || res.Status == http.StatusForbidden || (res.Status == http.StatusUnprocessableEntity && namesReference(res, p.rt.API)) {
				t.Errorf("%s %s as branch1 (the owner): %d %.200s — so the refusal above proves nothing", p.method, p.path, res.Status, res.Body)
			}
		}
	})
}

// signInRefused: signing in to another branch's event without its rotating
// code is refused like any wrong code (the code, not the scope, is the key).
const signInRefused = 1

// expectation is the refusal a route owes 第二党支部's secretary.
func expectation(rt web.RouteInfo, pattern string) int {
	switch {
	case rt.Perm != web.LoggedIn && !auth.BranchAdmin.Can(rt.Perm):
		return http.StatusForbidden
	case strings.Contains(pattern, "signin"):
		return signInRefused
	case rt.Perm == auth.SelfRead:
		return selfOnly
	case strings.Contains(pattern, "{id}") || strings.Contains(pattern, "{mid}") || strings.Contains(pattern, "{fid}"):
		return http.StatusNotFound // the address names one of 第一党支部's things ({name} names a dictionary, shared by all)
	case strings.HasPrefix(rt.Pattern, "GET "):
		return http.StatusOK
	case !rt.API && strings.HasSuffix(pattern, "/people/import"):
		return importRefused
	}
	return http.StatusUnprocessableEntity
}

// selfOnly: a member's own pages show the caller's own record, or nothing.
const selfOnly = 2

// importRefused: a page import runs in the background; its outcome, on the
// job's page, refuses every row naming 第一党支部.
const importRefused = 3

// namesReference reports a 422 whose message sits beside a field that names
// another organisation or person (or, for an import, a row whose
// organisation is not found).
func namesReference(res webtest.Response, api bool) bool {
	if res.Status != http.StatusUnprocessableEntity {
		return false
	}
	refs := []string{"org_id", "org", "parent_id", "person_id", "to_org_id", "members"}
	if api {
		var e struct {
			Error struct {
				Fields   map[string]string
				Problems []struct{ Column, Message string }
				Missing  []struct{ Kind, Message string } // organisations the importer's scope lacks, each once
			}
		}
		if json.Unmarshal([]byte(res.Body), &e) != nil {
			return false
		}
		for f := range e.Error.Fields {
			if slices.Contains(refs, f) {
				return true
			}
		}
		for _, p := range e.Error.Problems {
			if strings.Contains(p.Message, "组织") {
				return true
			}
		}
		for _, m := range e.Error.Missing {
			if m.Kind == "org" && strings.Contains(m.Message, "管理范围内没有") {
				return true
			}
		}
		return false
	}
	for _, f := range refs {
		if strings.Contains(res.Body, `data-field="`+f+`"`) {
			return true
		}
	}
	return strings.Contains(res.Body, "管理范围内没有")
}

// probe is one request of the walk.
type probe struct {
	rt     web.RouteInfo
	method string
	path   string
	form   url.Values
	file   []byte // an upload: a roster of 第一党支部's people
}

func (p probe) send(c *webtest.Client) webtest.Response {
	switch {
	case p.method == "GET":
		return c.Get(p.path)
	case strings.HasSuffix(p.path, "/import"):
		return c.Upload(p.path, "roster.xlsx", p.file)
	case p.rt.API:
		body := map[string]any{}
		for k, v := range p.form {
			if len(v) == 1 {
				body[k] = v[0]
			} else {
				body[k] = v
			}
		}
		return c.JSON(p.method, p.path, body)
	}
	return c.Form(p.path, p.form)
}

// targets are 第一党支部's things the walk aims at.
type targets struct {
	w          *webtest.World
	seat       int64
	event      int64
	eventTopic string
	kind       int64
	file       int64  // an attachment of the event
	importJob  int64  // an import of 第一党支部's secretary
	roster     []byte // a roster file of people of 第一党支部
	summary    int64  // a work summary of 第一党支部
	correction int64  // 张伟's report of a wrong entry in his record
	// the ledger's: an item, a problem found at a 组织生活会, a campaign
	item, problem, campaign int64
	plan                    int64 // a study plan of 第一党支部
	material                int64 // a material of 第一党支部's library
}

func newTargets(t *testing.T, w *webtest.World) *targets {
	t.Helper()
	ctx := context.Background()
	seat := &org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", From: date.MustParse("2024-01-01")}
	if err := w.Store.AddCommitteeMember(ctx, audit.System, auth.Everything, seat); err != nil {
		t.Fatal(err)
	}
	kinds, err := w.Store.EventKinds(ctx)
	if err != nil || len(kinds) == 0 {
		t.Fatalf("event kinds: %v", err)
	}
	var kind event.Kind
	for _, k := range kinds {
		if k.Code == "study_session" {
			kind = k
		}
	}
	start := w.Clock.Now().Add(24 * time.Hour)
	e := &event.Event{OrgID: w.Branch1.ID, KindID: kind.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		Topics: "第一党支部的集中学习", QRStep: event.DefaultQRStep, QRMargin: event.DefaultQRMargin}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	file := &store.EventFile{EventID: e.ID, Name: "学习材料.pdf", ContentType: "application/pdf", Data: pdf}
	if err := w.Store.AddEventFile(ctx, audit.System, auth.Everything, file); err != nil {
		t.Fatal(err)
	}
	job := &store.Job{Kind: "roster.import", UserID: w.Users["branch1"].ID, Label: "第一党支部.xlsx", DueAt: w.Clock.Now().Add(24 * time.Hour)}
	if _, err := w.Store.EnqueueJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	material := &learning.Material{OrgID: w.Branch1.ID, Title: "第一党支部的学习资料", FileName: "学习材料.pdf", ContentType: "application/pdf", Data: pdf}
	if err := w.Store.AddLearningMaterial(ctx, audit.System, auth.Everything, material); err != nil {
		t.Fatal(err)
	}
	plan := &learning.Plan{OrgID: w.Branch1.ID, Title: "第一党支部的学习计划", From: date.MustParse("2026-07-01"), To: date.MustParse("2026-07-31"),
		Schedules: []learning.Schedule{{KindID: kind.ID, Title: "周四集中学习", Repeat: learning.Weekly, Weekday: time.Thursday, Start: "15:00", Minutes: 120}}}
	if err := w.Store.SaveLearningPlan(ctx, audit.System, auth.Everything, plan); err != nil {
		t.Fatal(err)
	}
	cat, err := app.Catalogue(w.Store)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := w.Store.GenerateSummary(ctx, audit.System, auth.Everything, cat, store.SummaryRequest{OrgID: w.Branch1.ID, Period: indicator.HalfYear(2026, 1)})
	if err != nil {
		t.Fatal(err)
	}
	x := &targets{w: w, seat: seat.ID, event: e.ID, eventTopic: e.Topics, kind: kind.ID, file: file.ID, importJob: job.ID,
		roster: webtest.RosterFile(t, 3), summary: sum.ID, plan: plan.ID, material: material.ID}
	x.ledgerTargets(t, kinds)
	corr := &people.Correction{PersonID: w.P1.ID, Text: "出生日期登记有误"} // 张伟 reports his own record
	if err := w.Store.RequestCorrection(ctx, audit.System, w.Users["member"].Scope(), corr); err != nil {
		t.Fatal(err)
	}
	x.correction = corr.ID
	return x
}

// ledgerTargets adds 第一党支部's ledger item, a problem found at its
// 组织生活会 (not yet in the ledger) and its own campaign with a 实施方案 file.
func (x *targets) ledgerTargets(t *testing.T, kinds []event.Kind) {
	t.Helper()
	ctx, w := context.Background(), x.w
	var life event.Kind
	for _, k := range kinds {
		if k.Code == "org_life" {
			life = k
		}
	}
	start := w.Clock.Now().Add(-time.Hour)
	e := &event.Event{OrgID: w.Branch1.ID, KindID: life.ID, PlannedStart: start, PlannedEnd: start.Add(time.Hour), Status: event.Held,
		HeldStart: start, HeldEnd: start.Add(time.Hour)}
	if err := w.Store.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
		t.Fatal(err)
	}
	rec := &ledger.LifeRecord{EventID: e.ID, PersonID: w.P1.ID, SelfCriticism: "对照检查"}
	if err := w.Store.SaveLifeRecord(ctx, audit.System, auth.Everything, rec); err != nil {
		t.Fatal(err)
	}
	p := &ledger.Problem{EventID: e.ID, RecordID: rec.ID, Content: "学习不深入"}
	if err := w.Store.AddLifeProblem(ctx, audit.System, auth.Everything, p); err != nil {
		t.Fatal(err)
	}
	item := &ledger.Item{OrgID: w.Branch1.ID, Problem: "台账不规范", OwnerID: w.P1.ID, Deadline: date.MustParse("2026-12-31")}
	if err := w.Store.CreateLedgerItem(ctx, audit.System, auth.Everything, item); err != nil {
		t.Fatal(err)
	}
	c := &ledger.Campaign{OrgID: w.Branch1.ID, Name: "第一党支部读书月", StartsOn: date.MustParse("2026-06-01"), EndsOn: date.MustParse("2026-06-30")}
	if err := w.Store.SaveCampaign(ctx, audit.System, auth.Everything, c); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.SetCampaignPlanFile(ctx, audit.System, auth.Everything, c.ID, "实施方案.pdf", "application/pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
		t.Fatal(err)
	}
	x.item, x.problem, x.campaign = item.ID, p.ID, c.ID
}

// fill puts 第一党支部's things into a route's address.
func (x *targets) fill(pattern string) string {
	w := x.w
	id := map[string]int64{
		"/orgs/": w.Branch1.ID, "/people/": w.P1.ID, "/events/": x.event, "/signin/": x.event, "/event-settings/": w.Branch1.ID,
		"/users/": w.Users["branch1"].ID, "/security/": w.Users["branch1"].ID, "/imports/": x.importJob, "/event-kinds/": x.kind,
		"/event-rules/": 1, "/dicts/": 1, "/groups/": 1, "/summaries/": x.summary,
		"/ledger/": x.item, "/life-problems/": x.problem, "/campaigns/": x.campaign,
		"/learning/plans/": x.plan, "/learning/materials/": x.material, "/corrections/": x.correction,
	}
	out := pattern
	for prefix, n := range id {
		if strings.Contains(pattern, prefix+"{id}") || strings.Contains(pattern, prefix+"{name}/{id}") {
			out = strings.ReplaceAll(out, "{id}", strconv.FormatInt(n, 10))
		}
	}
	out = strings.NewReplacer("{mid}", strconv.FormatInt(x.seat, 10), "{fid}", strconv.FormatInt(x.file, 10), "{name}", "education").Replace(out)
	return strings.TrimSuffix(out, "{$}")
}

// body is a request body that would be good coming from 第一党支部's
// secretary: every reference names 第一党支部 or its people.
func (x *targets) body(pattern string) url.Values {
	w := x.w
	b := url.Values{
		"org_id": {webtest.Itoa(w.Branch1.ID)}, "org": {webtest.Itoa(w.Branch1.ID)}, "parent_id": {webtest.Itoa(w.Branch1.ID)},
		"person_id": {webtest.Itoa(w.P1.ID)}, "to_org_id": {webtest.Itoa(w.Branch1.ID)},
		"version": {"1"}, "decision": {"decline"}, "answer": {"与档案一致"},
	}
	set := func(kv ...string) {
		for i := 0; i+1 < len(kv); i += 2 {
			b.Set(kv[i], kv[i+1])
		}
	}
	switch {
	case strings.HasSuffix(pattern, "/people"):
		set("name", "越权", "sex", "male", "status", "full", "id_number", webtest.ValidID("19800101", "999"),
			"birth_date", "1980-01-01", "joined_on", "2005-01-01", "full_on", "2006-01-01", "ethnic", "汉族", "education", "大学本科")
	case strings.HasSuffix(pattern, "/orgs"):
		set("kind", "group", "name", "越权小组")
	case strings.HasSuffix(pattern, "/groups"):
		set("name", "越权小组", "set_up_on", "2025-01-01", "members.person_id", webtest.Itoa(w.P1.ID), "members.role", "leader")
		b.Del("person_id")
	case strings.HasSuffix(pattern, "/events"):
		start := w.Clock.Now().Add(48 * time.Hour).In(web.China)
		set("kind", webtest.Itoa(x.kind), "kind_id", webtest.Itoa(x.kind), "topics", "越权的学习",
			"planned_start", start.Format("2006-01-02T15:04"), "planned_end", start.Add(2*time.Hour).Format("2006-01-02T15:04"))
	case strings.HasSuffix(pattern, "/transfer") || strings.HasSuffix(pattern, "/transfers"):
		set("direction", "move", "on", "2026-06-01", "note", "越权")
	case strings.HasSuffix(pattern, "/committee"):
		set("position", "组织委员", "from", "2026-01-01")
	case strings.HasSuffix(pattern, "/end"):
		set("to", "2026-06-01")
	case strings.HasSuffix(pattern, "/close"):
		set("closed_on", "2026-06-01")
	case strings.HasSuffix(pattern, "/move"):
		b.Set("parent_id", webtest.Itoa(w.Root.ID))
	case strings.HasSuffix(pattern, "/{id}"):
		set("name", "越权", "position", "书记", "topics", "越权")
	}
	return b
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
	events, err := w.Store.Events(ctx, b1, store.EventFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events.Items {
		sb.WriteString(" event:" + e.Topics + "/" + strconv.FormatInt(e.Version, 10) + "/" + string(e.Status))
	}
	u, err := w.Store.User(ctx, w.Users["branch1"].ID)
	if err != nil {
		t.Fatal(err)
	}
	sb.WriteString(" user:" + strconv.FormatInt(u.Version, 10) + strconv.FormatBool(u.Disabled))
	return sb.String()
}

// waitForJob follows an import job's page until its outcome shows.
func waitForJob(t *testing.T, c *webtest.Client, path string) webtest.Response {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res := c.Get(path); !strings.Contains(res.Body, `id="import-progress"`) {
			return res
		}
	}
	t.Fatalf("the job at %s never ended", path)
	return webtest.Response{}
}
