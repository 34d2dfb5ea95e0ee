package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"

	"dangjian/internal/people"
)

// account is a demo account the clients sign in with (internal/demo/accounts.go).
type account struct{ role, username, password string }

var (
	branch1   = account{"branch1", "branch1", "Demo#2026zb1"}      // 第一党支部书记: the subtree is the scope
	committee = account{"committee", "committee", "Demo#2026jgdw"} // 机关党委: the subtree is ?org=
)

// client is one user's browser: its own cookie jar and connections.
type client struct {
	n    int
	role string
	http *http.Client
	rng  *rand.Rand
}

// logIn signs in n clients on the real server, taking turns among the
// given accounts.
func logIn(ctx context.Context, base string, n int, seed int64, accounts ...account) ([]*client, error) {
	out := make([]*client, n)
	for i := range out {
		acc := accounts[i%len(accounts)]
		jar, err := cookiejar.New(nil)
		if err != nil {
			return nil, err
		}
		c := &client{n: i, role: acc.role, rng: rand.New(rand.NewPCG(uint64(seed), uint64(i))),
			http: &http.Client{Jar: jar, Timeout: time.Minute,
				Transport:     &http.Transport{MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		body, _ := json.Marshal(map[string]string{"username": acc.username, "password": acc.password})
		status, b, err := c.do(ctx, "POST", base+"/api/v1/auth/login", body, false)
		if err != nil {
			return nil, fmt.Errorf("log in %s: %w", acc.username, err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("log in %s: %d %s", acc.username, status, b)
		}
		out[i] = c
	}
	return out, nil
}

// do sends a request and reads the whole answer, as a browser would; with
// htmx it asks, as the roster page's pager and filter do, for the results only.
func (c *client) do(ctx context.Context, method, u string, body []byte, htmx bool) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
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

// phase is one kind of request and what every answer must say.
type phase struct {
	name  string // api, page, results, create
	w     *world
	pages int
	nonce int // makes this run's ID numbers its own: set anew for every run
}

// walker is where a client is in the roster: the page it shows and the
// links to the neighbouring pages that answer offered.
type walker struct {
	page       int
	dir        int
	next, prev string
}

// step chooses the next request of a list phase: mostly the neighbouring
// page through the link the last answer gave (turning at either end), one
// time in ten a jump to a page by its number.
func (ph *phase) step(c *client, wk *walker) (path string, page int) {
	if wk.page == 0 || c.rng.IntN(10) == 0 {
		page = 1 + c.rng.IntN(ph.pages)
		return ph.numbered(c, page), page
	}
	if wk.dir == 0 || (wk.dir > 0 && wk.page >= ph.pages) || (wk.dir < 0 && wk.page <= 1) {
		wk.dir = map[bool]int{true: 1, false: -1}[wk.page < ph.pages]
	}
	page = wk.page + wk.dir
	if link := map[int]string{1: wk.next, -1: wk.prev}[wk.dir]; link != "" {
		return link, page
	}
	return ph.numbered(c, page), page
}

// numbered is the address of a page by its number: the branch secretary
// lists their own scope, the committee narrows its tree with ?org=.
func (ph *phase) numbered(c *client, page int) string {
	v := url.Values{"page": {strconv.Itoa(page)}}
	if ph.name != "api" {
		v.Set("tab", "all") // the page's 全部人员 tab: everyone, as the API lists
	}
	if ph.name != "api" || c.role == "committee" {
		v.Set("org", strconv.FormatInt(ph.w.roster.Branch.ID, 10))
	}
	if ph.name == "api" {
		return "/api/v1/people?" + v.Encode()
	}
	return "/people?" + v.Encode()
}

var (
	nextLink = regexp.MustCompile(`<a href="([^"]+)"[^>]*>下一页</a>`)
	prevLink = regexp.MustCompile(`<a href="([^"]+)"[^>]*>上一页</a>`)
)

// check says what is wrong with a list answer, or "" when it is what a user
// expects: a 200 with the subtree's total, the page asked for and 20 rows.
// It remembers the links to the neighbouring pages.
func (ph *phase) check(c *client, wk *walker, page, status int, body []byte) string {
	if status != http.StatusOK {
		return fmt.Sprintf("status %d: %.200s", status, body)
	}
	total := ph.w.roster.Subtree
	want := max(0, min(20, total-(page-1)*20))
	wk.page, wk.next, wk.prev = page, "", ""
	if ph.name == "api" {
		var v struct {
			Items []json.RawMessage `json:"items"`
			Total int               `json:"total"`
			Page  int               `json:"page"`
			Next  string            `json:"next"`
			Prev  string            `json:"prev"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return "not JSON: " + err.Error()
		}
		if v.Total != total || v.Page != page || len(v.Items) != want {
			return fmt.Sprintf("page %d: total %d, page %d, %d items; want total %d, %d items", page, v.Total, v.Page, len(v.Items), total, want)
		}
		base := ph.numbered(c, 0)
		base = base[:len(base)-len("page=0")]
		if v.Next != "" {
			wk.next = base + "after=" + url.QueryEscape(v.Next) + "&page=" + strconv.Itoa(page+1)
		}
		if v.Prev != "" {
			wk.prev = base + "before=" + url.QueryEscape(v.Prev) + "&page=" + strconv.Itoa(page-1)
		}
		return ""
	}
	if !bytes.Contains(body, []byte("共 "+strconv.Itoa(total)+" 条")) {
		return fmt.Sprintf("page %d does not show the total %d", page, total)
	}
	if !bytes.Contains(body, []byte("第 "+strconv.Itoa(page)+" / ")) {
		return fmt.Sprintf("page %d is not labelled so", page)
	}
	if got := bytes.Count(body, []byte(`<td data-label="姓名"`)); got != want {
		return fmt.Sprintf("page %d shows %d people, want %d", page, got, want)
	}
	if m := nextLink.FindSubmatch(body); m != nil {
		wk.next = html.UnescapeString(string(m[1]))
	}
	if m := prevLink.FindSubmatch(body); m != nil {
		wk.prev = html.UnescapeString(string(m[1]))
	}
	return ""
}

// run has every client send requests to base in a loop, each waiting for its
// answer before the next, until the deadline.
func (ph *phase) run(ctx context.Context, clients []*client, base string, deadline time.Time) result {
	per := make([]result, len(clients))
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range clients {
		wg.Go(func() {
			r := &per[i]
			var wk walker
			for ctx.Err() == nil && time.Now().Before(deadline) {
				var (
					status int
					body   []byte
					err    error
					page   int
					path   string
				)
				t0 := time.Now()
				if ph.name == "create" {
					status, body, err = c.do(ctx, "POST", base+"/api/v1/people", ph.newPerson(c, len(r.latencies)), false)
				} else {
					path, page = ph.step(c, &wk)
					status, body, err = c.do(ctx, "GET", base+path, nil, ph.name == "results")
				}
				r.latencies = append(r.latencies, time.Since(t0))
				problem := ""
				switch {
				case err != nil:
					problem = err.Error()
				case ph.name == "create":
					if status != http.StatusCreated {
						problem = fmt.Sprintf("create: status %d: %.200s", status, body)
					}
				default:
					problem = ph.check(c, &wk, page, status, body)
				}
				if problem != "" {
					wk = walker{} // start again from a page by number
					r.errors++
					if len(r.samples) < 3 {
						r.samples = append(r.samples, c.role+" "+path+": "+problem)
					}
				}
			}
		})
	}
	wg.Wait()
	all := result{elapsed: time.Since(start)}
	for i := range per {
		all.add(&per[i])
	}
	return all.done()
}

// newPerson is the body of the n-th person a client creates: valid for the
// real server's checks, with an ID number no one else holds, in the 机关党委.
func (ph *phase) newPerson(c *client, n int) []byte {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%10000)
	region := fmt.Sprintf("%06d", (ph.nonce*100+c.n)%1_000_000)
	first := region + birth.Format("20060102") + fmt.Sprintf("%03d", (n/10000)%500*2+1) // odd: male
	id := first + string(people.IDCheckChar(first))
	name := surnames[(c.n+n)%len(surnames)] + givenNames[(n/len(surnames)+c.n)%len(givenNames)]
	body, _ := json.Marshal(map[string]any{
		"org_id": ph.w.roster.Root.ID, "name": name, "sex": "male", "birth_date": birth.Format(time.DateOnly),
		"ethnic": "汉族", "education": "大学本科", "position": "干部", "status": "full",
		"joined_on": birth.AddDate(25, 0, 0).Format(time.DateOnly), "full_on": birth.AddDate(26, 0, 0).Format(time.DateOnly),
		"phone": fmt.Sprintf("139%08d", n), "id_number": id})
	return body
}

// Newcomers join the 机关党委 itself, outside the branch the list phases page
// through, so a later run lists what the first did.
var (
	surnames   = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"}
	givenNames = []string{"建国", "卫东", "海涛", "志强", "立新", "光明", "振华", "文斌", "晓燕", "丽娟", "国庆", "红梅", "春生", "秀英", "明辉", "玉兰"}
)
