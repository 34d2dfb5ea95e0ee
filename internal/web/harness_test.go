package web_test

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
	"testing"

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

// testPassword satisfies the default policy for every test account.
const testPassword = "Kaifa#2026test"

// world is a small 政法委 with one account per role, served over real HTTP.
type world struct {
	url   string
	st    *store.Store
	clock *storetest.Clock
	// organisations
	root, branch1, branch2, group1, court org.Org
	// one person in each branch
	p1, p2 people.Person
	// accounts by username: sysadmin, secadmin, auditor, committee, branch1, branch2, member
	users map[string]*auth.User
}

func newWorld(t *testing.T, d store.Dialect) *world {
	t.Helper()
	clock := storetest.NewClock()
	st := storetest.Open(t, d, clock.Now)
	cfg := config.Default()
	cfg.LoginPerMin = 1000
	srv, err := web.New(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	w := &world{url: ts.URL, st: st, clock: clock, users: map[string]*auth.User{}}
	ctx := context.Background()
	a := audit.System
	mk := func(o *org.Org, parent int64, kind org.Kind, name string) {
		*o = org.Org{ParentID: parent, Kind: kind, Name: name}
		if err := st.CreateOrg(ctx, a, auth.Everything, o); err != nil {
			t.Fatal(err)
		}
	}
	mk(&w.root, 0, org.Committee, "市委政法委机关党委")
	mk(&w.branch1, w.root.ID, org.Branch, "第一党支部")
	mk(&w.branch2, w.root.ID, org.Branch, "第二党支部")
	mk(&w.group1, w.branch1.ID, org.Group, "第一党小组")
	mk(&w.court, w.root.ID, org.Unit, "市中级人民法院")
	w.p1 = mustPerson(t, st, w.branch1.ID, "张伟", "19850312", "111")
	w.p2 = mustPerson(t, st, w.branch2.ID, "李娜", "19900505", "222")
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*auth.User{
		{Username: "sysadmin", Role: auth.SystemAdmin},
		{Username: "secadmin", Role: auth.SecurityAdmin},
		{Username: "auditor", Role: auth.AuditAdmin},
		{Username: "committee", Role: auth.CommitteeAdmin, OrgID: w.root.ID},
		{Username: "branch1", Role: auth.BranchAdmin, OrgID: w.branch1.ID},
		{Username: "branch2", Role: auth.BranchAdmin, OrgID: w.branch2.ID},
		{Username: "member", Role: auth.Member, OrgID: w.branch1.ID, PersonID: w.p1.ID},
	} {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		w.users[u.Username] = u
	}
	return w
}

// validID makes a GB 11643 number for a birth date (YYYYMMDD) and sequence.
func validID(birth, seq string) string {
	first := "370102" + birth + seq
	return first + string(people.IDCheckChar(first))
}

func mustPerson(t *testing.T, st *store.Store, orgID int64, name, birth, seq string) people.Person {
	t.Helper()
	b := date.MustParse(birth[:4] + "-" + birth[4:6] + "-" + birth[6:])
	p := people.Person{OrgID: orgID, Name: name, Status: people.Full, IDNumber: validID(birth, seq), Phone: "13912345678",
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

// client is a browser-like HTTP client with its own cookie jar that does not
// follow redirects, so tests see where the server sends them.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (w *world) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: w.url, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login signs in through the JSON API and fails the test if it does not work.
func (w *world) login(t *testing.T, username string) *client {
	t.Helper()
	c := w.client(t)
	res := c.json("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": testPassword})
	if res.status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.status, res.body)
	}
	return c
}

type response struct {
	status int
	body   string
	header http.Header
}

// decode parses a JSON body.
func (r response) decode(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, string(b), res.Header}
}

func (c *client) json(method, path string, body any) response {
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
	return c.do(req)
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) form(path string, vals url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}
