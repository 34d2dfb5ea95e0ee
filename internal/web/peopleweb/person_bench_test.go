//go:build unix

package peopleweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
)

// BenchmarkAPICreatePerson times POST /api/v1/people through the whole
// server on SQLite: input, checks, the write transaction and its audit
// record, as a client (or an import job) adding people one by one sees it.
// Besides the wall time, which the synchronous commit dominates, it reports
// the CPU time of the whole process per person (cpu-µs/op): client, server
// and database together, what the people on one machine share.
func BenchmarkAPICreatePerson(b *testing.B) {
	h, branch := benchServer(b)
	ts := httptest.NewServer(h)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, body any) int {
		js, _ := json.Marshal(body)
		res, err := client.Post(ts.URL+path, "application/json", bytes.NewReader(js))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	if status := post("/api/v1/auth/login", map[string]string{"username": "committee", "password": benchPassword}); status != http.StatusOK {
		b.Fatalf("login: %d", status)
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.ResetTimer()
	start := cpu()
	for i := range b.N {
		first := fmt.Sprintf("370102%04d%02d%02d%03d", 1950+i%50, 1+i/50%12, 1+i/600%28, i/16800%1000)
		body := map[string]any{"org_id": branch.ID, "name": "测试人员", "status": "full", "id_number": first + string(people.IDCheckChar(first)),
			"joined_on": "2020-07-01", "full_on": "2021-07-01", "education": "大学本科", "ethnic": "汉族", "phone": "13912345678"}
		if status := post("/api/v1/people", body); status != http.StatusCreated {
			b.Fatalf("create %d: %d", i, status)
		}
	}
	b.ReportMetric(float64((cpu()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

const benchPassword = "Kaifa#2026bench"

// benchServer is the whole server on an empty SQLite store with a 机关党委,
// its 第一党支部 and the committee's account (benchPassword), as the
// benchmarks of this package drive it.
func benchServer(b *testing.B) (http.Handler, org.Org) {
	ctx := context.Background()
	st := storetest.Open(b, store.SQLite, nil)
	cfg := config.Default()
	cfg.LoginPerMin = 1000
	srv, err := web.New(st, cfg, slog.New(slog.DiscardHandler), app.Areas()...)
	if err != nil {
		b.Fatal(err)
	}
	root := org.Org{Kind: org.Committee, Name: "机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		b.Fatal(err)
	}
	branch := org.Org{ParentID: root.ID, Kind: org.Branch, Name: "第一党支部"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &branch); err != nil {
		b.Fatal(err)
	}
	hash, _ := auth.HashPassword(benchPassword)
	if err := st.CreateUser(ctx, audit.System, &auth.User{Username: "committee", Role: auth.CommitteeAdmin, OrgID: root.ID, PasswordHash: hash}); err != nil {
		b.Fatal(err)
	}
	return srv.Handler(), branch
}
