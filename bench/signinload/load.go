package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// client is a browser or a phone: its own connection.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func login(ctx context.Context, base, username, password string) (*client, error) {
	c := newClient(base)
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	status, b, err := c.do(ctx, "POST", "/api/v1/auth/login", "", body)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("log in %s: %d %s", username, status, b)
	}
	return c, nil
}

// do sends a request, with a session cookie when given one.
func (c *client) do(ctx context.Context, method, path, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Cookie", "dangjian_session="+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// result is one phase's latencies and errors.
type result struct {
	name      string
	clients   int
	latencies []time.Duration
	errors    int
	samples   []string
	elapsed   time.Duration
}

func (r *result) fail(msg string) {
	r.errors++
	if len(r.samples) < 5 {
		r.samples = append(r.samples, msg)
	}
}

func (r *result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

// projector keeps the current code as the screen in the room does: it asks
// for it again every ten seconds (well within a 30-second step).
func projector(ctx context.Context, c *client, eventID int64) (*atomic.Value, error) {
	var code atomic.Value
	fetch := func() error {
		status, b, err := c.do(ctx, "GET", "/api/v1/events/"+strconv.FormatInt(eventID, 10)+"/qr", "", nil)
		if err != nil {
			return err
		}
		var v struct {
			Code string `json:"code"`
			Open bool   `json:"open"`
		}
		if status != http.StatusOK || json.Unmarshal(b, &v) != nil || !v.Open {
			return fmt.Errorf("the projector's code: %d %s", status, b)
		}
		code.Store(v.Code)
		return nil
	}
	if err := fetch(); err != nil {
		return nil, err
	}
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fetch()
			}
		}
	}()
	return &code, nil
}

// signInAll has every phone sign in once, clients at a time. In the first
// round each must be told 签到成功; in the second ("again") that they had
// signed in already.
func signInAll(ctx context.Context, base string, screen *client, eventID int64, phones []phone, clients int, round string) (result, error) {
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	code, err := projector(pctx, screen, eventID)
	if err != nil {
		return result{}, err
	}
	res := result{name: "QR sign-in, " + map[string]string{"signin": "first scan", "again": "second scan (changes nothing)"}[round], clients: clients}
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	path := "/api/v1/events/" + strconv.FormatInt(eventID, 10) + "/signin"
	start := time.Now()
	for range clients {
		c := newClient(base)
		wg.Go(func() {
			var mine []time.Duration
			for {
				i := int(next.Add(1)) - 1
				if i >= len(phones) || ctx.Err() != nil {
					break
				}
				body, _ := json.Marshal(map[string]string{"code": code.Load().(string)})
				t0 := time.Now()
				status, b, err := c.do(ctx, "POST", path, phones[i].token, body)
				mine = append(mine, time.Since(t0))
				var v struct {
					Already bool   `json:"already"`
					Message string `json:"message"`
				}
				problem := ""
				switch {
				case err != nil:
					problem = err.Error()
				case status != http.StatusOK || json.Unmarshal(b, &v) != nil:
					problem = fmt.Sprintf("status %d: %.200s", status, b)
				case round == "signin" && (v.Already || v.Message != "签到成功"):
					problem = "first scan told " + v.Message
				case round == "again" && !v.Already:
					problem = "second scan told " + v.Message
				}
				if problem != "" {
					mu.Lock()
					res.fail(fmt.Sprintf("person %d: %s", phones[i].personID, problem))
					mu.Unlock()
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res, ctx.Err()
}

// timed asks for one page again and again from n clients for d.
func timed(ctx context.Context, logged *client, base, name, path string, n int, d time.Duration) (result, error) {
	res := result{name: name, clients: n}
	var mu sync.Mutex
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for range n {
		c := &client{base: base, http: &http.Client{Jar: logged.http.Jar, Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}}
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				status, b, err := c.do(ctx, "GET", path, "", nil)
				mine = append(mine, time.Since(t0))
				if err != nil || status != http.StatusOK {
					mu.Lock()
					res.fail(fmt.Sprintf("%s: %d %v %.200s", path, status, err, b))
					mu.Unlock()
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res, ctx.Err()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// report prints the numbers as a table for RESULTS.md.
func report(out io.Writer, results []result) {
	fmt.Fprintln(out, "\n| phase | clients | requests | errors | seconds | req/s | p50 ms | p95 ms | p99 ms | max ms |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		n := len(r.latencies)
		fmt.Fprintf(out, "| %s | %d | %d | %d | %.2f | %.0f | %s | %s | %s | %s |\n", r.name, r.clients, n, r.errors, r.elapsed.Seconds(),
			float64(n)/r.elapsed.Seconds(), ms(r.quantile(0.50)), ms(r.quantile(0.95)), ms(r.quantile(0.99)), ms(r.quantile(1)))
	}
	for _, r := range results {
		for _, s := range r.samples {
			fmt.Fprintf(out, "error in %s: %s\n", r.name, s)
		}
	}
}
