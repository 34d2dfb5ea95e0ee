package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// TestTwoInstancesOnePostgres: two instances behind a load balancer without
// sticky sessions — a session started on one works on the other, a lockout
// on one holds on the other, a logout on one ends the session on both, a
// roster import queued on one is run once by the two instances' job
// runners and followed on the other, and a file uploaded to one downloads
// from the other. (The per-address login rate limit is per instance, as the
// README says; the account lockout above is the guard both share.)
func TestTwoInstancesOnePostgres(t *testing.T) {
	db := storetest.PostgresDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var urls []string
	var apps []*app.App
	for range 2 {
		cfg := config.Default()
		cfg.Addr, cfg.DatabaseURL, cfg.LoginPerMin = "127.0.0.1:0", db, 1000
		a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		u, err := a.Listen()
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		defer func() { cancel(); <-done }()
		urls, apps = append(urls, u), append(apps, a)
	}
	st := apps[0].Store()
	root := org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("Kaifa#2026two")
	for _, name := range []string{"alice", "bob"} {
		if err := st.CreateUser(ctx, audit.System, &auth.User{Username: name, Role: auth.CommitteeAdmin, OrgID: root.ID, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	call := func(base, method, path string, body any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// A session started on one instance works on the other.
	if s := call(urls[0], "POST", "/api/v1/auth/login", map[string]string{"username": "alice", "password": "Kaifa#2026two"}); s != http.StatusOK {
		t.Fatalf("login on the first: %d", s)
	}
	if s := call(urls[1], "GET", "/api/v1/me", nil); s != http.StatusOK {
		t.Fatalf("the session on the second instance: %d", s)
	}
	// A logout on the second ends it on the first.
	if s := call(urls[1], "POST", "/api/v1/auth/logout", nil); s != http.StatusNoContent {
		t.Fatalf("logout on the second: %d", s)
	}
	if s := call(urls[0], "GET", "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Fatalf("the session on the first after logging out on the second: %d", s)
	}
	// A roster import queued through the page of the second instance: both
	// instances' runners poll the queue, one runs it, the first shows it done.
	if s := call(urls[0], "POST", "/api/v1/auth/login", map[string]string{"username": "alice", "password": "Kaifa#2026two"}); s != http.StatusOK {
		t.Fatalf("login again: %d", s)
	}
	branch := org.Org{ParentID: root.ID, Kind: org.Branch, Name: "第一党支部"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &branch); err != nil {
		t.Fatal(err)
	}
	upload := func(base, path string, data []byte) *http.Response {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "花名册.xlsx")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", base+path, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		nofollow := *c
		nofollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := nofollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := upload(urls[1], "/people/import", webtest.RosterFile(t, 30))
	res.Body.Close()
	job := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, "/imports/") {
		t.Fatalf("queue an import: %d %s", res.StatusCode, job)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := c.Get(urls[0] + job)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(page), "已导入 30 人") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish: %s", page)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if page, err := st.People(ctx, auth.Everything, store.PersonFilter{Limit: 1}); err != nil || page.Total != 30 {
		t.Fatalf("after the import: %d people (%v)", page.Total, err)
	}
	if _, n, err := st.AuditEntries(ctx, audit.Filter{Action: "person.import", Limit: 10}); err != nil || n != 1 {
		t.Fatalf("the import ran %d times (%v)", n, err)
	}
	// A file uploaded to an event on one instance downloads from the other.
	if err := st.SeedEvents(ctx); err != nil {
		t.Fatal(err)
	}
	kinds, err := st.EventKinds(ctx)
	if err != nil || len(kinds) == 0 {
		t.Fatalf("event kinds: %v", err)
	}
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	ev := &event.Event{OrgID: branch.ID, KindID: kinds[0].ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour)}
	if err := st.CreateEvent(ctx, audit.System, auth.Everything, ev, nil); err != nil {
		t.Fatal(err)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("会议纪要 "), 200)...)
	res = upload(urls[0], fmt.Sprintf("/api/v1/events/%d/files", ev.ID), pdf)
	var file struct{ ID int64 }
	json.NewDecoder(res.Body).Decode(&file)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || file.ID == 0 {
		t.Fatalf("upload to the first: %d", res.StatusCode)
	}
	res, err = c.Get(fmt.Sprintf("%s/events/%d/files/%d", urls[1], ev.ID, file.ID))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Fatalf("download from the second: %d, %d bytes of %d", res.StatusCode, len(got), len(pdf))
	}

	// Five failures spread over both instances lock the account on both.
	for i := range 5 {
		call(urls[i%2], "POST", "/api/v1/auth/login", map[string]string{"username": "bob", "password": "wrong-password"})
	}
	for i, u := range urls {
		if s := call(u, "POST", "/api/v1/auth/login", map[string]string{"username": "bob", "password": "Kaifa#2026two"}); s == http.StatusOK {
			t.Fatalf("instance %d let a locked account in", i+1)
		}
	}
}
