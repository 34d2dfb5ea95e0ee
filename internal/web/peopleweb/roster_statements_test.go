package peopleweb_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
)

// TestRosterStatementsOnPostgres counts what one roster request costs
// PostgreSQL in statements, each a round trip over the network to a
// database that may be on another machine: the session with its account,
// then the page of people with its total. PostgreSQL counts every statement
// outside a transaction block as a transaction of its own; the count of one
// run of n requests less that of a run of fewer cancels what a login and a
// fresh connection pool cost.
func TestRosterStatementsOnPostgres(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresDatabase(t)
	st, err := store.Open(ctx, store.Config{DatabaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.SeedDicts(ctx); err != nil {
		t.Fatal(err)
	}
	root := org.Org{Kind: org.Committee, Name: "机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &root); err != nil {
		t.Fatal(err)
	}
	branch := org.Org{ParentID: root.ID, Kind: org.Branch, Name: "第一党支部"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &branch); err != nil {
		t.Fatal(err)
	}
	var list []people.Person
	for i := range 60 {
		first := fmt.Sprintf("370102%04d0101%03d", 1940+i%40, i)
		p := people.Person{OrgID: branch.ID, Name: "测试党员", IDNumber: first + string(people.IDCheckChar(first)), Status: people.Full,
			JoinedOn: date.Of(2000, 7, 1), FullOn: date.Of(2001, 7, 1)}
		if err := p.Validate(date.Of(2026, 6, 30)); err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	if err := st.ImportPeople(ctx, audit.System, auth.Everything, list, nil); err != nil {
		t.Fatal(err)
	}
	const password = "Kaifa#2026count"
	hash, _ := auth.HashPassword(password)
	if err := st.CreateUser(ctx, audit.System, &auth.User{Username: "committee", Role: auth.CommitteeAdmin, OrgID: root.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// statements is how many transactions the database has counted; a
	// backend reports its counts when it exits, so every pool is closed
	// before this is read (and this connection with it).
	statements := func() int64 {
		time.Sleep(300 * time.Millisecond)
		admin.Exec("SELECT pg_stat_clear_snapshot()")
		var n int64
		if err := admin.QueryRow("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		admin.SetMaxIdleConns(0) // the next read opens a fresh backend
		admin.SetMaxIdleConns(2)
		return n
	}
	// run logs in on a fresh server and asks for the path n times.
	run := func(path string, n int) int64 {
		st, err := store.Open(ctx, store.Config{DatabaseURL: url})
		if err != nil {
			t.Fatal(err)
		}
		cfg := config.Default()
		srv, err := web.New(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Areas()...)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		before := statements()
		js, _ := json.Marshal(map[string]string{"username": "committee", "password": password})
		res, err := c.Post(ts.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(js))
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("login: %v %v", res.StatusCode, err)
		}
		res.Body.Close()
		for range n {
			res, err := c.Get(ts.URL + path)
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %v %v", path, res.StatusCode, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		ts.Close()
		srv.Drain(ctx)
		st.Close()
		return statements() - before
	}
	for _, c := range []struct {
		path string
		max  float64
	}{
		{fmt.Sprintf("/api/v1/people?org=%d", branch.ID), 2},
		{fmt.Sprintf("/api/v1/people?org=%d&page=2", branch.ID), 2},
		// and the filter form's lists: units and educations in one
		// statement, the organisations opened down to the chosen one in
		// another (a province's fifteen thousand are no longer read)
		{fmt.Sprintf("/people?org=%d", branch.ID), 4},
	} {
		few, many := run(c.path, 5), run(c.path, 45)
		per := float64(many-few) / 40
		t.Logf("GET %s: %.2f statements a request (%d for 5, %d for 45, login and pool included)", c.path, per, few, many)
		// The count also holds a session's last request (written at most once
		// a minute) and autovacuum's own transactions: a few in a run, while
		// one more statement a request would add 40.
		if per > c.max+0.5 {
			t.Errorf("GET %s costs %.2f statements a request on PostgreSQL; at most %v", c.path, per, c.max)
		}
	}
}
