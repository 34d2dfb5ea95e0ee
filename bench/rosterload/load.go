package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The demo accounts the clients sign in with (internal/demo/accounts.go).
var accounts = [2]struct{ role, username, password string }{
	{"branch1", "branch1", "Demo#2026zb1"},      // 第一党支部书记: the subtree is the scope
	{"committee", "committee", "Demo#2026jgdw"}, // 机关党委: the subtree is ?org=
}

// client is one user's browser: its own cookie jar and connections.
type client struct {
	role string
	base string
	http *http.Client
	rng  *rand.Rand
}

// logIn signs in n clients, alternating the branch secretary and the
// committee administrator.
func logIn(ctx context.Context, base string, n int, seed int64) ([]*client, error) {
	out := make([]*client, n)
	for i := range out {
		acc := accounts[i%2]
		jar, err := cookiejar.New(nil)
		if err != nil {
			return nil, err
		}
		c := &client{role: acc.role, base: base, rng: rand.New(rand.NewPCG(uint64(seed), uint64(i))),
			http: &http.Client{Jar: jar, Timeout: time.Minute,
				Transport:     &http.Transport{MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		body, _ := json.Marshal(map[string]string{"username": acc.username, "password": acc.password})
		req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/auth/login", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := c.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("log in %s: %w", acc.username, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("log in %s: %d %s", acc.username, res.StatusCode, b)
		}
		out[i] = c
	}
	return out, nil
}

// loadPhase is one kind of request, and what every answer must say.
type loadPhase struct {
	name     string // "api", "page" or "results" (the page's htmx results block)
	branchID int64
	total    int // the subtree's people, as the store counts them
	pages    int
}

// path is the address a client asks for: the branch secretary's own scope,
// or the committee's whole tree narrowed to the branch with ?org=.
func (lp loadPhase) path(c *client, page int) string {
	org := "&org=" + strconv.FormatInt(lp.branchID, 10)
	if lp.name == "page" || lp.name == "results" {
		return "/people?page=" + strconv.Itoa(page) + org
	}
	if c.role == "branch1" {
		return "/api/v1/people?page=" + strconv.Itoa(page)
	}
	return "/api/v1/people?page=" + strconv.Itoa(page) + org
}

// check says what is wrong with an answer, or "" when it is what a user
// expects: a 200 with the subtree's total and a full page.
func (lp loadPhase) check(page, status int, body []byte) string {
	if status != http.StatusOK {
		return fmt.Sprintf("status %d: %.200s", status, body)
	}
	want := max(0, min(20, lp.total-(page-1)*20)) // a page past the end is empty
	if lp.name == "page" || lp.name == "results" {
		if !bytes.Contains(body, []byte("共 "+strconv.Itoa(lp.total)+" 条")) {
			return fmt.Sprintf("page %d does not show the total %d", page, lp.total)
		}
		if got := bytes.Count(body, []byte(`<td data-label="姓名">`)); got != want {
			return fmt.Sprintf("page %d shows %d people, want %d", page, got, want)
		}
		return ""
	}
	var v struct {
		Items []json.RawMessage `json:"items"`
		Total int               `json:"total"`
		Page  int               `json:"page"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "not JSON: " + err.Error()
	}
	if v.Total != lp.total || v.Page != page || len(v.Items) != want {
		return fmt.Sprintf("page %d: total %d, page %d, %d items; want total %d, %d items", page, v.Total, v.Page, len(v.Items), lp.total, want)
	}
	return ""
}

// run has every client ask in a loop, each waiting for its answer before
// the next request, until the deadline or, when requests > 0, until that
// many were sent. It returns the results of all clients, then of each role.
func (lp loadPhase) run(ctx context.Context, clients []*client, deadline time.Time, requests int) []result {
	var sent atomic.Int64
	per := make([]result, len(clients))
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range clients {
		wg.Go(func() {
			r := &per[i]
			for ctx.Err() == nil {
				if requests > 0 {
					if sent.Add(1) > int64(requests) {
						break
					}
				} else if !time.Now().Before(deadline) {
					break
				}
				page := 1 + c.rng.IntN(lp.pages)
				t0 := time.Now()
				status, body, err := c.get(ctx, lp.path(c, page), lp.name == "results")
				r.latencies = append(r.latencies, time.Since(t0))
				problem := ""
				if err != nil {
					problem = err.Error()
				} else {
					problem = lp.check(page, status, body)
				}
				if problem != "" {
					r.errors++
					if len(r.samples) < 3 {
						r.samples = append(r.samples, c.role+": "+problem)
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := result{name: lp.name, elapsed: elapsed}
	byRole := map[string]*result{}
	var roles []string
	for i, c := range clients {
		all.add(&per[i])
		if byRole[c.role] == nil {
			byRole[c.role] = &result{name: lp.name + " · " + c.role, elapsed: elapsed}
			roles = append(roles, c.role)
		}
		byRole[c.role].add(&per[i])
		byRole[c.role].samples = nil // shown once, with all
	}
	out := []result{all.done()}
	for _, role := range roles {
		out = append(out, byRole[role].done())
	}
	return out
}

// get fetches a path and reads the whole answer, as a browser would; with
// htmx it asks, as the roster page's pager and filter do, for the results only.
func (c *client) get(ctx context.Context, path string, htmx bool) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "roster-results")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// result is what a phase measured.
type result struct {
	name      string
	clients   int
	elapsed   time.Duration
	cpu       time.Duration   // the process's CPU time over the phase, when known
	latencies []time.Duration // sorted once done
	errors    int
	samples   []string // the first few errors, to show
}

func (r *result) add(o *result) {
	r.clients++
	r.latencies = append(r.latencies, o.latencies...)
	r.errors += o.errors
	r.samples = append(r.samples, o.samples...)
	if len(r.samples) > 5 {
		r.samples = r.samples[:5]
	}
}

func (r *result) done() result {
	slices.Sort(r.latencies)
	return *r
}

func (r result) requests() int { return len(r.latencies) }

// rate is the requests answered per second of the phase.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.elapsed.Seconds()
}

// quantile is the nearest-rank q-quantile of the latencies.
func (r result) quantile(q float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.latencies[max(0, min(i, n-1))]
}

func (r result) max() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[len(r.latencies)-1]
}
