// Package webtest is what the web areas' tests share: a small 政法委 with one
// account per role served over real HTTP by the whole site (every area
// mounted, as the binary mounts them), an HTTP client that behaves like a
// browser, and real Chromium driven through chromedp.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
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

// Password satisfies the default policy for every test account.
const Password = "Kaifa#2026test"

// World is a small 政法委 with one account per role, served over real HTTP.
type World struct {
	URL    string
	Store  *store.Store
	Clock  *storetest.Clock
	Server *web.Server
	// organisations
	Root, Branch1, Branch2, Group1, Court org.Org
	// one person in each branch
	P1, P2 people.Person
	// accounts by username: sysadmin, secadmin, auditor, committee, branch1, branch2, member
	Users map[string]*auth.User
	// Secrets are the authenticators' keys of the accounts that have one
	// (the three administrators, who always need a second factor).
	Secrets map[string]string

	mu    sync.Mutex
	steps map[string]int64 // the last step of each account's codes made by Code
}

// worlds finds a world by its address, for a browser tab that logs in.
var worlds sync.Map

// NewWorld builds the world on a fresh database of the dialect.
func NewWorld(t *testing.T, d store.Dialect) *World {
	t.Helper()
	return NewWorldWith(t, d, func(*config.Config) {})
}

// NewWorldWith builds the world with a configuration changed by adjust.
func NewWorldWith(t *testing.T, d store.Dialect, adjust func(*config.Config)) *World {
	t.Helper()
	clock := storetest.NewClock()
	st := storetest.Open(t, d, clock.Now)
	cfg := config.Default()
	cfg.LoginPerMin = 1000
	cfg.DataDir, cfg.BackupDir = t.TempDir(), t.TempDir() // never the package directory
	adjust(&cfg)
	// The server's warnings and errors (a job handed back, a failed
	// write in the background) are shown when the test fails.
	logs := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	srv, err := web.New(st, cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Areas()...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	if err := srv.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ts.Close()
		srv.Drain(context.Background())
	})
	w := &World{URL: ts.URL, Store: st, Clock: clock, Server: srv, Users: map[string]*auth.User{}, Secrets: map[string]string{},
		steps: map[string]int64{}}
	worlds.Store(w.URL, w)
	t.Cleanup(func() { worlds.Delete(w.URL) })
	ctx := context.Background()
	a := audit.System
	mk := func(o *org.Org, parent int64, kind org.Kind, name string) {
		*o = org.Org{ParentID: parent, Kind: kind, Name: name}
		if err := st.CreateOrg(ctx, a, auth.Everything, o); err != nil {
			t.Fatal(err)
		}
	}
	mk(&w.Root, 0, org.Committee, "市委政法委机关党委")
	mk(&w.Branch1, w.Root.ID, org.Branch, "第一党支部")
	mk(&w.Branch2, w.Root.ID, org.Branch, "第二党支部")
	mk(&w.Group1, w.Branch1.ID, org.Group, "第一党小组")
	mk(&w.Court, w.Root.ID, org.Unit, "市中级人民法院")
	w.P1 = MustPerson(t, st, w.Branch1.ID, "张伟", "19850312", "111")
	w.P2 = MustPerson(t, st, w.Branch2.ID, "李娜", "19900505", "222")
	hash, err := auth.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*auth.User{
		{Username: "sysadmin", Role: auth.SystemAdmin},
		{Username: "secadmin", Role: auth.SecurityAdmin},
		{Username: "auditor", Role: auth.AuditAdmin},
		{Username: "committee", Role: auth.CommitteeAdmin, OrgID: w.Root.ID},
		{Username: "branch1", Role: auth.BranchAdmin, OrgID: w.Branch1.ID},
		{Username: "branch2", Role: auth.BranchAdmin, OrgID: w.Branch2.ID},
		{Username: "member", Role: auth.Member, OrgID: w.Branch1.ID, PersonID: w.P1.ID},
	} {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		if u.Role.IsAdmin() {
			w.Enrol(t, u)
		}
		w.Users[u.Username] = u
	}
	return w
}

// Enrol gives an account an authenticator whose key the world keeps, as its
// owner's phone would.
func (w *World) Enrol(t *testing.T, u *auth.User) {
	t.Helper()
	secret, err := auth.NewTOTPSecret(u.Username)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Store.Enrol(context.Background(), audit.System, store.Enrolment{UserID: u.ID, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	w.Secrets[u.Username] = secret
	u.TOTPEnrolledAt = w.Clock.Now()
}

// Code is what the account's authenticator shows: a code of a step the
// server has not seen from it yet. The server takes a code one step either
// side of its clock, once; a test that logs in more often than that moves
// the world's clock on to the next step, as a person would wait for it.
func (w *World) Code(t *testing.T, username string) string {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	secret, ok := w.Secrets[username]
	if !ok {
		t.Fatalf("%s has no authenticator in this world", username)
	}
	now := auth.TOTPStepAt(w.Clock.Now())
	step := max(now-1, w.steps[username]+1)
	if step > now+1 {
		w.Clock.Advance(time.Duration(step-now-1) * auth.TOTPStep)
	}
	w.steps[username] = step
	code, err := auth.TOTPCode(secret, time.Unix(step*int64(auth.TOTPStep/time.Second), 0))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// ValidID makes a GB 11643 number for a birth date (YYYYMMDD) and sequence.
func ValidID(birth, seq string) string {
	first := "370102" + birth + seq
	return first + string(people.IDCheckChar(first))
}

func MustPerson(t *testing.T, st *store.Store, orgID int64, name, birth, seq string) people.Person {
	t.Helper()
	b := date.MustParse(birth[:4] + "-" + birth[4:6] + "-" + birth[6:])
	p := people.Person{OrgID: orgID, Name: name, Status: people.Full, IDNumber: ValidID(birth, seq), Phone: "13912345678",
		JoinedOn: b.AddDate(23, 0, 0), FullOn: b.AddDate(24, 0, 0), Education: "大学本科", Ethnic: "汉族"}
	p.Normalize()
	if err := p.Validate(date.MustParse("2026-06-30")); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePerson(context.Background(), audit.System, auth.Everything, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Client is a browser-like HTTP client with its own cookie jar that does not
// follow redirects, so tests see where the server sends them.
type Client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (w *World) Client(t *testing.T) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: w.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Login signs in through the JSON API, with the second step when the
// account has an authenticator, and fails the test if it does not work.
func (w *World) Login(t *testing.T, username string) *Client {
	t.Helper()
	c := w.Client(t)
	res := c.JSON("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": Password})
	if res.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.Status, res.Body)
	}
	var out struct {
		SecondStep *struct{ Challenge string } `json:"second_step"`
	}
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatalf("login %s: %v in %s", username, err, res.Body)
	}
	if out.SecondStep != nil {
		res = c.JSON("POST", "/api/v1/auth/second-step", map[string]any{"challenge": out.SecondStep.Challenge, "code": w.Code(t, username)})
		if res.Status != http.StatusOK {
			t.Fatalf("login %s, second step: %d %s", username, res.Status, res.Body)
		}
	}
	return c
}

// Response is an answer as a test reads it.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

// decode parses a JSON body.
func (r Response) Decode(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.Status, r.Body)
	}
	return m
}

func (c *Client) Do(req *http.Request) Response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{res.StatusCode, string(b), res.Header}
}

func (c *Client) JSON(method, path string, body any) Response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Do(req)
}

func (c *Client) Get(path string) Response {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.Do(req)
}

func (c *Client) Form(path string, vals url.Values) Response {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// lockedBuffer collects a server's log lines from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
