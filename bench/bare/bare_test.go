package bare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"dangjian/bench"
	"dangjian/bench/bare"
	"dangjian/internal/app"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// The bare server is a measure only if it does the real server's work: for
// every request the load makes it must answer the same bytes — the JSON
// list, and the results block of the page, walking by cursor both ways and
// jumping by number — and the person it inserts must be the person the real
// server would have stored.
func TestBareAnswersWhatTheRealServerAnswers(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		cfg := config.Default()
		cfg.Addr, cfg.BaseURL, cfg.TLSCert, cfg.TLSKey, cfg.SecureCookies, cfg.TrustProxy = "127.0.0.1:0", "", "", "", false, false
		if d == store.Postgres {
			cfg.DatabaseURL = storetest.PostgresDatabase(t)
		} else {
			cfg.DataDir, cfg.DatabaseURL = t.TempDir(), ""
		}
		a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		r, err := bench.Fill(ctx, a.Store(), 1500, date.FromTime(time.Now()), 7, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Listen(); err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- a.Run(runCtx) }()
		t.Cleanup(func() { stop(); <-done })
		real := "http://127.0.0.1:" + mustPort(t, a.URL())
		b, err := bare.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.Session.Idle)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		bs := httptest.NewServer(b.Handler())
		t.Cleanup(bs.Close)

		org := strconv.FormatInt(r.Branch.ID, 10)
		for _, acc := range []struct{ user, pass, api string }{
			{"branch1", "Demo#2026zb1", "/api/v1/people?"}, {"committee", "Demo#2026jgdw", "/api/v1/people?org=" + org + "&"},
		} {
			c := login(t, real, acc.user, acc.pass)
			// The API: page 1, three pages on by cursor, one back, a jump.
			path := acc.api + "page=1"
			for step := range 6 {
				got := same(t, c, real, bs.URL, path, false)
				var l struct{ Next, Prev string }
				if err := json.Unmarshal(got, &l); err != nil || l.Next == "" {
					t.Fatalf("%s %s: %v, no next page: %.200s", acc.user, path, err, got)
				}
				switch step {
				case 0, 1, 2:
					path = acc.api + "after=" + url.QueryEscape(l.Next) + "&page=" + strconv.Itoa(step+2)
				case 3:
					path = acc.api + "before=" + url.QueryEscape(l.Prev) + "&page=3"
				case 4:
					path = acc.api + "page=7"
				}
			}
			// The page's results block, by its own links.
			path = "/people?org=" + org + "&tab=all"
			for step := range 4 {
				got := same(t, c, real, bs.URL, path, true)
				link := map[bool][]byte{true: []byte(`rel="prev">`), false: []byte(`rel="next">`)}[step == 2]
				i := bytes.Index(got, link)
				if i < 0 {
					t.Fatalf("%s %s: no %s link", acc.user, path, link)
				}
				href := got[bytes.LastIndex(got[:i], []byte(`href="`))+len(`href="`) : i]
				path = html.UnescapeString(string(href[:bytes.IndexByte(href, '"')]))
			}
		}

		// A person the bare server inserts is stored as the real server
		// stores one: found by pinyin initials, shown with the same fields.
		c := login(t, real, "committee", "Demo#2026jgdw")
		first := "110105" + "19800314" + "135"
		body, _ := json.Marshal(map[string]any{"org_id": r.Branch.ID, "name": "欧阳振华", "sex": "male", "birth_date": "1980-03-14",
			"ethnic": "汉族", "education": "大学本科", "position": "科员", "status": "full", "joined_on": "2005-07-01",
			"full_on": "2006-07-01", "phone": "13912345678", "id_number": first + string(people.IDCheckChar(first))})
		status, created := c.do(t, "POST", bs.URL+"/api/v1/people", body, false)
		if status != http.StatusCreated {
			t.Fatalf("bare create: %d %s", status, created)
		}
		var fromBare map[string]any
		json.Unmarshal(created, &fromBare)
		_, found := c.do(t, "GET", real+"/api/v1/people?q=oyzh&org="+org, nil, false)
		var list struct{ Items []map[string]any }
		json.Unmarshal(found, &list)
		if len(list.Items) != 1 {
			t.Fatalf("the real server does not find the bare server's person by initials: %s", found)
		}
		for _, k := range []string{"id", "name", "org_id", "sex", "birth_date", "status", "status_label", "joined_on", "full_on",
			"id_number", "phone", "education", "ethnic", "position", "masked", "version"} {
			if list.Items[0][k] != fromBare[k] {
				t.Errorf("%s: the real server shows %v, the bare one answered %v", k, list.Items[0][k], fromBare[k])
			}
		}
	})
}

// same asks both servers and fails unless they answer the same bytes.
func same(t *testing.T, c *client, real, bare, path string, htmx bool) []byte {
	t.Helper()
	s1, b1 := c.do(t, "GET", real+path, nil, htmx)
	s2, b2 := c.do(t, "GET", bare+path, nil, htmx)
	if s1 != http.StatusOK || s2 != http.StatusOK || !bytes.Equal(b1, b2) {
		i := 0
		for i < len(b1) && i < len(b2) && b1[i] == b2[i] {
			i++
		}
		t.Fatalf("%s: real %d, bare %d; they part at byte %d:\nreal …%.160s\nbare …%.160s", path, s1, s2, i, b1[max(0, i-40):], b2[max(0, i-40):])
	}
	return b1
}

type client struct{ http.Client }

// login signs in on the real server; the cookie serves the bare one too
// (cookies belong to the host, not the port).
func login(t *testing.T, base, user, pass string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{http.Client{Jar: jar}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	if status, b := c.do(t, "POST", base+"/api/v1/auth/login", body, false); status != http.StatusOK {
		t.Fatalf("log in %s: %d %s", user, status, b)
	}
	return c
}

func (c *client) do(t *testing.T, method, u string, body []byte, htmx bool) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "roster-results")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func mustPort(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}
