package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/roster"
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

// killPoints are the moments after a burst's first acknowledged write at
// which the server is killed: early in the burst, in mid-burst, and after
// the write-ahead log has grown and checkpoints have begun.
var killPoints = []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond}

// errGone means the server died under the request.
var errGone = errors.New("the server is gone")

// writer is one client's next write; it returns what the server
// acknowledged (keys the check must find afterwards), or errGone.
type writer func() ([]string, error)

// killTest drives one write path: the writers from start write as fast as
// they can while the server is killed (SIGKILL) at each kill point; after
// each kill the data directory is opened as a restarted server would open
// it, SQLite's integrity check must pass and check must find everything
// acknowledged and nothing half-written.
func killTest(t *testing.T, dir string, start func(srv *crashServer) []writer,
	check func(t *testing.T, st *store.Store, db *sql.DB, acked map[string]bool)) {
	t.Helper()
	acked := map[string]bool{}
	var mu sync.Mutex
	for round, after := range killPoints {
		srv := startServer(t, dir)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for _, write := range start(srv) {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					keys, err := write()
					if errors.Is(err, errGone) {
						return
					}
					if err != nil {
						t.Errorf("round %d: %v", round, err)
						return
					}
					mu.Lock()
					for _, k := range keys {
						acked[k] = true
					}
					mu.Unlock()
				}
			})
		}
		// The kill point counts from the burst's first acknowledged write, so
		// a slow start (the race detector, a loaded machine) still kills the
		// server in mid-burst.
		mu.Lock()
		before := len(acked)
		mu.Unlock()
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			started := len(acked) > before
			mu.Unlock()
			if started {
				break
			}
		}
		time.Sleep(after)
		srv.kill()
		close(stop)
		wg.Wait()
		reopen(t, dir, func(st *store.Store, db *sql.DB) { check(t, st, db, acked) })
		t.Logf("round %d: killed after %v, %d writes acknowledged so far", round, after, len(acked))
	}
	if len(acked) < 10 {
		t.Fatalf("only %d writes were acknowledged before the kills: the test did not load the server", len(acked))
	}
}

// reopen opens the data directory as a restarted server would (the store,
// which recovers the write-ahead log) and read-only beside it, and runs
// SQLite's integrity check before handing both to fn.
func reopen(t *testing.T, dir string, fn func(st *store.Store, db *sql.DB)) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer st.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "dangjian.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check after the kill: %q %v", check, err)
	}
	fn(st, db)
}

// count is one number from the database under test.
func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// crashWorld is a data directory with a committee, one branch and the
// committee's administrator, made before the first start.
type crashWorld struct {
	dir       string
	st        *store.Store
	committee org.Org
	branch    org.Org
}

const crashPassword = "Kaifa#2026crash"

func newCrashWorld(t *testing.T) *crashWorld {
	t.Helper()
	ctx := context.Background()
	w := &crashWorld{dir: t.TempDir()}
	st, err := store.Open(ctx, store.Config{DataDir: w.dir})
	if err != nil {
		t.Fatal(err)
	}
	w.st = st
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.SeedDicts(ctx); err != nil {
		t.Fatal(err)
	}
	w.committee = org.Org{Kind: org.Committee, Name: "市委政法委机关党委"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &w.committee); err != nil {
		t.Fatal(err)
	}
	w.branch = org.Org{ParentID: w.committee.ID, Kind: org.Branch, Name: "第一党支部"}
	if err := st.CreateOrg(ctx, audit.System, auth.Everything, &w.branch); err != nil {
		t.Fatal(err)
	}
	w.user(t, &auth.User{Username: "committee", Role: auth.CommitteeAdmin, OrgID: w.committee.ID})
	return w
}

func (w *crashWorld) user(t *testing.T, u *auth.User) {
	t.Helper()
	u.PasswordHash, _ = auth.HashPassword(crashPassword)
	if err := w.st.CreateUser(context.Background(), audit.System, u); err != nil {
		t.Fatal(err)
	}
}

// close hands the directory over to the server process.
func (w *crashWorld) close() { w.st.Close() }

// idNumber is a valid, distinct ID number for each n.
func idNumber(n int) string {
	first := fmt.Sprintf("370102%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format("20060102"), n%1000)
	return first + string(people.IDCheckChar(first))
}

// post sends one request and reads the answer; a dead server is errGone.
func post(c *http.Client, url, contentType string, body []byte) (int, []byte, error) {
	res, err := c.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		return 0, nil, errGone
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, errGone
	}
	return res.StatusCode, b, nil
}

// seq hands out numbers shared by a path's writers across its rounds.
type seq struct {
	mu sync.Mutex
	n  int
}

func (s *seq) next() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.n
}

// TestAcknowledgedPersonCreatesSurviveKill: people created one by one
// through the API. Every acknowledged person is there after each kill, and
// every person there has the audit record written with it.
func TestAcknowledgedPersonCreatesSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server several times")
	}
	w := newCrashWorld(t)
	w.close()
	var n seq
	killTest(t, w.dir, func(srv *crashServer) []writer {
		c := srv.login(t, "committee", crashPassword)
		var ws []writer
		for range 4 {
			ws = append(ws, func() ([]string, error) {
				id := idNumber(n.next())
				body, _ := json.Marshal(map[string]any{"org_id": w.branch.ID, "name": "测试党员",
					"status": "full", "id_number": id, "joined_on": "2000-07-01", "full_on": "2001-07-01"})
				status, b, err := post(c, srv.url+"/api/v1/people", "application/json", body)
				if err != nil {
					return nil, err
				}
				if status != http.StatusCreated {
					return nil, fmt.Errorf("create answered %d: %s", status, b)
				}
				return []string{id}, nil
			})
		}
		return ws
	}, func(t *testing.T, st *store.Store, db *sql.DB, acked map[string]bool) {
		stored := storedIDNumbers(t, st)
		for id := range acked {
			if !stored[id] {
				t.Errorf("person %s was acknowledged but is gone after the kill", id)
			}
		}
		people, created := count(t, db, "SELECT COUNT(*) FROM people"), count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.create'")
		if people != created || people != len(stored) {
			t.Fatalf("after the kill: %d people, %d creation records, %d listed: a write was half done", people, created, len(stored))
		}
	})
}

// storedIDNumbers lists every person's ID number through the store.
func storedIDNumbers(t *testing.T, st *store.Store) map[string]bool {
	t.Helper()
	stored := map[string]bool{}
	for f := (store.PersonFilter{Limit: 500}); ; f.Offset += f.Limit {
		page, err := st.People(context.Background(), auth.Everything, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			stored[p.IDNumber] = true
		}
		if len(page.Items) < f.Limit {
			return stored
		}
	}
}

// TestAcknowledgedImportsSurviveKill: roster files of four people each,
// imported through the API. Every acknowledged file is there after each
// kill, every file is there whole or not at all, and each imported person
// has its audit record.
func TestAcknowledgedImportsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server several times")
	}
	w := newCrashWorld(t)
	w.close()
	const perFile = 4
	var n seq
	var mu sync.Mutex
	var files [][]string // every file sent, acknowledged or not
	killTest(t, w.dir, func(srv *crashServer) []writer {
		c := srv.login(t, "committee", crashPassword)
		var ws []writer
		for range 3 {
			ws = append(ws, func() ([]string, error) {
				var rows []store.PersonRow
				var ids []string
				for range perFile {
					id := idNumber(n.next())
					ids = append(ids, id)
					rows = append(rows, store.PersonRow{OrgName: w.branch.Name, Person: people.Person{Name: "导入党员", IDNumber: id,
						Status: people.Full, JoinedOn: date.Of(2000, 7, 1), FullOn: date.Of(2001, 7, 1)}})
				}
				var xlsx bytes.Buffer
				if err := roster.Export(&xlsx, rows, true, roster.NewNames(nil, nil, nil)); err != nil { // bare names: the branch is unique
					return nil, err
				}
				mu.Lock()
				files = append(files, ids)
				mu.Unlock()
				body, contentType := multipartFile("file", "花名册.xlsx", xlsx.Bytes())
				status, b, err := post(c, srv.url+"/api/v1/people/import", contentType, body)
				if err != nil {
					return nil, err
				}
				if status != http.StatusOK {
					return nil, fmt.Errorf("import answered %d: %.300s", status, b)
				}
				return ids, nil
			})
		}
		return ws
	}, func(t *testing.T, st *store.Store, db *sql.DB, acked map[string]bool) {
		stored := storedIDNumbers(t, st)
		for id := range acked {
			if !stored[id] {
				t.Errorf("person %s of an acknowledged import is gone after the kill", id)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		whole := 0
		for _, ids := range files {
			in := 0
			for _, id := range ids {
				if stored[id] {
					in++
				}
			}
			if in != 0 && in != len(ids) {
				t.Errorf("a file of %d people is half imported after the kill: %d of them are there", len(ids), in)
			}
			if in == len(ids) {
				whole++
			}
		}
		people, created := count(t, db, "SELECT COUNT(*) FROM people"), count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.create'")
		imports := count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.import'")
		if people != created || people != len(stored) || imports != whole {
			t.Fatalf("after the kill: %d people, %d creation records, %d listed, %d import records for %d files in: a write was half done",
				people, created, len(stored), imports, whole)
		}
	})
}

// multipartFile is a form with one file field.
func multipartFile(field, name string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// TestAcknowledgedSignInsSurviveKill: members sign in to many events by QR
// code, as a room full of phones does; sign-ins arriving together share a
// commit. Every acknowledged sign-in is there after each kill with the
// audit record written with it, and every event's expected list is frozen
// whole or not at all.
func TestAcknowledgedSignInsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server several times")
	}
	ctx := context.Background()
	w := newCrashWorld(t)
	const members, events = 8, 150
	list := make([]people.Person, members)
	for i := range list {
		list[i] = people.Person{OrgID: w.branch.ID, Name: fmt.Sprintf("签到党员%d", i+1), IDNumber: idNumber(i + 1),
			Status: people.Full, JoinedOn: date.Of(2000, 7, 1), FullOn: date.Of(2001, 7, 1)}
		if err := list[i].Validate(date.FromTime(time.Now())); err != nil { // derives birth date and sex, as every import does
			t.Fatal(err)
		}
	}
	if err := w.st.ImportPeople(ctx, audit.System, auth.Everything, list, nil); err != nil {
		t.Fatal(err)
	}
	page, err := w.st.People(ctx, auth.Everything, store.PersonFilter{Limit: members})
	if err != nil || len(page.Items) != members {
		t.Fatalf("the members: %v", err)
	}
	personOf := map[string]int64{}
	for i, p := range page.Items {
		name := fmt.Sprintf("member%d", i+1)
		w.user(t, &auth.User{Username: name, Role: auth.Member, OrgID: w.branch.ID, PersonID: p.ID})
		personOf[name] = p.ID
	}
	if err := w.st.SeedEvents(ctx); err != nil {
		t.Fatal(err)
	}
	kinds, err := w.st.EventKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var study int64
	for _, k := range kinds {
		if k.Code == "study_session" {
			study = k.ID
		}
	}
	now := time.Now()
	ids := make([]int64, events)
	for i := range ids {
		e := &event.Event{OrgID: w.branch.ID, KindID: study, Title: fmt.Sprintf("集中学习%d", i+1),
			PlannedStart: now.Add(-10 * time.Minute), PlannedEnd: now.Add(3 * time.Hour), Audience: event.Everyone}
		if err := w.st.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
			t.Fatal(err)
		}
		ids[i] = e.ID
	}
	w.close()

	next := map[string]int{} // each member's next event, across rounds
	var mu sync.Mutex
	killTest(t, w.dir, func(srv *crashServer) []writer {
		screen := srv.login(t, "committee", crashPassword)
		codes := map[int64]string{} // the projector's code of each event, read once a start
		code := func(id int64) (string, error) {
			mu.Lock()
			cd, ok := codes[id]
			mu.Unlock()
			if ok {
				return cd, nil
			}
			res, err := screen.Get(srv.url + "/api/v1/events/" + strconv.FormatInt(id, 10) + "/qr")
			if err != nil {
				return "", errGone
			}
			defer res.Body.Close()
			var v struct{ Code string }
			if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&v) != nil {
				return "", fmt.Errorf("the projector's code: %d", res.StatusCode)
			}
			mu.Lock()
			codes[id] = v.Code
			mu.Unlock()
			return v.Code, nil
		}
		var ws []writer
		for name, person := range personOf {
			phone := srv.login(t, name, crashPassword)
			ws = append(ws, func() ([]string, error) {
				mu.Lock()
				i := next[name]
				mu.Unlock()
				if i == len(ids) {
					return nil, errGone // signed in everywhere
				}
				cd, err := code(ids[i])
				if err != nil {
					return nil, err
				}
				body, _ := json.Marshal(map[string]string{"code": cd})
				status, b, err := post(phone, srv.url+"/api/v1/events/"+strconv.FormatInt(ids[i], 10)+"/signin", "application/json", body)
				if err != nil {
					return nil, err
				}
				if status != http.StatusOK {
					return nil, fmt.Errorf("sign-in answered %d: %s", status, b)
				}
				mu.Lock()
				next[name] = i + 1
				mu.Unlock()
				return []string{fmt.Sprintf("%d/%d", ids[i], person)}, nil
			})
		}
		return ws
	}, func(t *testing.T, st *store.Store, db *sql.DB, acked map[string]bool) {
		present := map[string]bool{}
		rows, err := db.Query("SELECT event_id, person_id FROM event_attendance WHERE mark = 'present' AND source = 'qr'")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var e, p int64
			rows.Scan(&e, &p)
			present[fmt.Sprintf("%d/%d", e, p)] = true
		}
		rows.Close()
		for k := range acked {
			if !present[k] {
				t.Errorf("sign-in %s (event/person) was acknowledged but is gone after the kill", k)
			}
		}
		if signins := count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'event.signin'"); signins != len(present) {
			t.Fatalf("after the kill: %d sign-ins, %d sign-in records: a write was half done", len(present), signins)
		}
		if half := count(t, db, `SELECT COUNT(*) FROM events e WHERE (e.frozen_at IS NULL) <>
			((SELECT COUNT(*) FROM event_attendance a WHERE a.event_id = e.id) = 0)`); half != 0 {
			t.Fatalf("after the kill: %d events with an expected list frozen by half", half)
		}
		// An event that runs past midnight (China time) has a list for each day.
		if short := count(t, db, `SELECT COUNT(*) FROM (SELECT event_id, day, COUNT(*) AS n FROM event_attendance
			GROUP BY event_id, day) d WHERE d.n <> ?`, members); short != 0 {
			t.Fatalf("after the kill: %d event days without all %d members on the list", short, members)
		}
	})
}

// TestAcknowledgedLedgerUpdatesSurviveKill: rectification items opened and
// their progress recorded through the API, each client adding progress to
// the items it opened. Every acknowledged item and progress note is there
// after each kill, with the audit record written with it.
func TestAcknowledgedLedgerUpdatesSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server several times")
	}
	ctx := context.Background()
	w := newCrashWorld(t)
	owner := people.Person{OrgID: w.branch.ID, Name: "整改责任人", IDNumber: idNumber(1), Status: people.Full,
		JoinedOn: date.Of(2000, 7, 1), FullOn: date.Of(2001, 7, 1)}
	if err := owner.Validate(date.FromTime(time.Now())); err != nil {
		t.Fatal(err)
	}
	if err := w.st.ImportPeople(ctx, audit.System, auth.Everything, []people.Person{owner}, nil); err != nil {
		t.Fatal(err)
	}
	page, err := w.st.People(ctx, auth.Everything, store.PersonFilter{Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("the owner: %v", err)
	}
	ownerID := page.Items[0].ID
	w.close()
	var n seq
	killTest(t, w.dir, func(srv *crashServer) []writer {
		c := srv.login(t, "committee", crashPassword)
		var ws []writer
		for range 4 {
			var mine []int64 // the items this client opened, across its writes
			ws = append(ws, func() ([]string, error) {
				k := n.next()
				if len(mine) == 0 || k%3 == 0 {
					body, _ := json.Marshal(map[string]any{"org_id": w.branch.ID, "problem": fmt.Sprintf("整改问题%d", k),
						"measures": "制定整改措施", "owner_id": ownerID, "deadline": "2099-12-31"})
					status, b, err := post(c, srv.url+"/api/v1/ledger", "application/json", body)
					if err != nil {
						return nil, err
					}
					var item struct{ ID int64 }
					if status != http.StatusCreated || json.Unmarshal(b, &item) != nil || item.ID == 0 {
						return nil, fmt.Errorf("open an item answered %d: %.300s", status, b)
					}
					mine = append(mine, item.ID)
					return []string{fmt.Sprintf("item %d", item.ID)}, nil
				}
				id := mine[k%len(mine)]
				note := fmt.Sprintf("整改进展%d", k)
				// Today as the server dates the item: in China, a day ahead of UTC after 16:00.
				body, _ := json.Marshal(map[string]any{"on": time.Now().In(event.China).Format("2006-01-02"), "note": note})
				status, b, err := post(c, fmt.Sprintf("%s/api/v1/ledger/%d/progress", srv.url, id), "application/json", body)
				if err != nil {
					return nil, err
				}
				if status != http.StatusOK && status != http.StatusCreated {
					return nil, fmt.Errorf("progress answered %d: %.300s", status, b)
				}
				return []string{"progress " + note}, nil
			})
		}
		return ws
	}, func(t *testing.T, st *store.Store, db *sql.DB, acked map[string]bool) {
		stored := map[string]bool{}
		for _, q := range []string{"SELECT 'item ' || id FROM ledger_items", "SELECT 'progress ' || note FROM ledger_progress"} {
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k string
				rows.Scan(&k)
				stored[k] = true
			}
			rows.Close()
		}
		for k := range acked {
			if !stored[k] {
				t.Errorf("%s was acknowledged but is gone after the kill", k)
			}
		}
		items, opened := count(t, db, "SELECT COUNT(*) FROM ledger_items"), count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.create'")
		notes, recorded := count(t, db, "SELECT COUNT(*) FROM ledger_progress"), count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.progress'")
		if items != opened || notes != recorded {
			t.Fatalf("after the kill: %d items with %d records of opening, %d progress notes with %d records: a write was half done",
				items, opened, notes, recorded)
		}
	})
}
