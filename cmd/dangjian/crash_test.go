package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// TestMain lets the test binary be the server too: with DANGJIAN_TEST_MAIN
// set it runs the command line it was given, as the real binary would, so a
// test can start it as a separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("DANGJIAN_TEST_MAIN") == "1" {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "dangjian:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashServer is the platform running as a separate process on a data directory.
type crashServer struct {
	cmd *exec.Cmd
	url string
}

func startServer(t *testing.T, dir string) *crashServer {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--login-per-minute", "1000", "--backup-every", "0")
	cmd.Env = append(os.Environ(), "DANGJIAN_TEST_MAIN=1", "DATABASE_URL=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var url string
	for lines.Scan() {
		if m := regexp.MustCompile(`http://localhost:\d+`).FindString(lines.Text()); m != "" {
			url = m
			break
		}
	}
	go io.Copy(io.Discard, out)
	if url == "" {
		cmd.Process.Kill()
		t.Fatal("the server printed no address")
	}
	return &crashServer{cmd: cmd, url: url}
}

// kill ends the process at once, as a power cut or the OOM killer would.
func (s *crashServer) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

func (s *crashServer) login(t *testing.T, username, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	b, _ := json.Marshal(map[string]string{"username": username, "password": password})
	res, err := c.Post(s.url+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", res.StatusCode)
	}
	return c
}

// TestAcknowledgedWritesSurviveKill: clients create people as fast as they
// can while the server is killed (SIGKILL) at several moments; after each
// restart every person the server acknowledged is there, every person there
// has the audit record written with it, and SQLite's integrity check passes.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server several times")
	}
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.SeedDicts(ctx); err != nil {
		t.Fatal(err)
	}
	branch := org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &branch); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("Kaifa#2026crash")
	admin := &auth.User{Username: "committee", Role: auth.CommitteeAdmin, OrgID: branch.ID, PasswordHash: hash}
	if err := st.CreateUser(ctx, audit.System, admin); err != nil {
		t.Fatal(err)
	}
	st.Close()

	acked := map[string]bool{} // ID numbers the server answered 201 for
	var mu sync.Mutex
	seq := 0
	for round, after := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		srv := startServer(t, dir)
		c := srv.login(t, "committee", "Kaifa#2026crash")
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					seq++
					n := seq
					mu.Unlock()
					first := fmt.Sprintf("370102%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format("20060102"), n%1000)
					id := first + string(people.IDCheckChar(first))
					body, _ := json.Marshal(map[string]any{"org_id": branch.ID, "name": "测试党员",
						"status": "full", "id_number": id, "joined_on": "2000-07-01", "full_on": "2001-07-01"})
					res, err := c.Post(srv.url+"/api/v1/people", "application/json", bytes.NewReader(body))
					if err != nil {
						return // the server is gone
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusCreated {
						t.Errorf("round %d: create answered %d", round, res.StatusCode)
						return
					}
					mu.Lock()
					acked[id] = true
					mu.Unlock()
				}
			})
		}
		time.Sleep(after)
		srv.kill()
		close(stop)
		wg.Wait()
		checkAfterCrash(t, dir, acked)
		t.Logf("round %d: killed after %v, %d writes acknowledged so far", round, after, len(acked))
	}
	if len(acked) < 10 {
		t.Fatalf("only %d writes were acknowledged before the kills: the test did not load the server", len(acked))
	}
}

// checkAfterCrash opens the data directory as a restarted server would and
// checks what the crash may not have lost or half-written.
func checkAfterCrash(t *testing.T, dir string, acked map[string]bool) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer st.Close()
	stored := map[string]bool{}
	for f := (store.PersonFilter{Limit: 500}); ; f.Offset += f.Limit {
		page, err := st.People(ctx, auth.Everything, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			stored[p.IDNumber] = true
		}
		if len(page.Items) < f.Limit {
			break
		}
	}
	for id := range acked {
		if !stored[id] {
			t.Errorf("person %s was acknowledged but is gone after the kill", id)
		}
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "dangjian.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check after the kill: %q %v", check, err)
	}
	var people, created int
	db.QueryRow("SELECT COUNT(*) FROM people").Scan(&people)
	db.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'person.create'").Scan(&created)
	if people != created || people != len(stored) {
		t.Fatalf("after the kill: %d people, %d creation records, %d listed: a write was half done", people, created, len(stored))
	}
}
