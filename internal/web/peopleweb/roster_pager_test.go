package peopleweb_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

var (
	rowLink   = regexp.MustCompile(`<a href="/people/(\d+)">`)
	pagerLink = func(rel string) *regexp.Regexp { return regexp.MustCompile(`<a href="([^"]+)" rel="` + rel + `">`) }
	pageLabel = regexp.MustCompile(`第 (\d+) / (\d+) 页，共 (\d+) 条`)
)

// rosterPage is what a roster page shows: its rows, its label and its links.
type rosterPage struct {
	ids        []string
	label      string
	next, prev string
	form       bool
}

func readRoster(t *testing.T, res webtest.Response) rosterPage {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %.300s", res.Status, res.Body)
	}
	var p rosterPage
	for _, m := range rowLink.FindAllStringSubmatch(res.Body, -1) {
		p.ids = append(p.ids, m[1])
	}
	if m := pageLabel.FindStringSubmatch(res.Body); m != nil {
		p.label = m[0]
	}
	if m := pagerLink("next").FindStringSubmatch(res.Body); m != nil {
		p.next = html.UnescapeString(m[1])
	}
	if m := pagerLink("prev").FindStringSubmatch(res.Body); m != nil {
		p.prev = html.UnescapeString(m[1])
	}
	p.form = strings.Contains(res.Body, `class="card filters"`)
	return p
}

// Without JavaScript the pager is plain links: 下一页 and 上一页 load whole
// pages that follow one another without a gap or a repeat, keep the filter,
// and a page number in the address still jumps to that page.
func TestRosterPagerWithoutJavaScript(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		addPeople(t, w, 45) // with the world's two, 47 members
		c := w.Login(t, "committee")

		first := readRoster(t, c.Get("/people?status=full"))
		if first.label != "第 1 / 3 页，共 47 条" || len(first.ids) != 20 || first.prev != "" || first.next == "" || !first.form {
			t.Fatalf("first page: %q, %d rows, prev %q, next %q", first.label, len(first.ids), first.prev, first.next)
		}
		if !strings.Contains(first.next, "status=full") || !strings.Contains(first.next, "after=") {
			t.Fatalf("the next page's link %q loses the filter or has no cursor", first.next)
		}
		second := readRoster(t, c.Get(first.next))
		third := readRoster(t, c.Get(second.next))
		if second.label != "第 2 / 3 页，共 47 条" || third.label != "第 3 / 3 页，共 47 条" || len(second.ids) != 20 || len(third.ids) != 7 ||
			third.next != "" || !second.form {
			t.Fatalf("pages 2 and 3: %q with %d rows, %q with %d rows, next %q", second.label, len(second.ids), third.label, len(third.ids), third.next)
		}
		all := slices.Concat(first.ids, second.ids, third.ids)
		if seen := slices.Compact(slices.Sorted(slices.Values(all))); len(seen) != 47 {
			t.Fatalf("walking forward showed %d different people in %d rows, want 47", len(seen), len(all))
		}
		back := readRoster(t, c.Get(third.prev))
		if !slices.Equal(back.ids, second.ids) || back.label != second.label {
			t.Fatalf("上一页 from page 3 shows %v (%s), want page 2's %v", back.ids, back.label, second.ids)
		}
		if jump := readRoster(t, c.Get("/people?status=full&page=3")); !slices.Equal(jump.ids, third.ids) || jump.label != third.label {
			t.Fatalf("page 3 by number shows %v (%s), want %v", jump.ids, jump.label, third.ids)
		}
	})
}

// addPeople adds n full members to branch 1 in one import.
func addPeople(t *testing.T, w *webtest.World, n int) {
	t.Helper()
	names := []string{"王伟", "李娜", "张敏", "刘洋", "陈静"}
	list := make([]people.Person, n)
	for i := range list {
		birth := date.Of(1980, time.Month(1+i%12), 1+i%28)
		list[i] = people.Person{OrgID: w.Branch1.ID, Name: names[i%len(names)], Status: people.Full, Education: "大学本科", Ethnic: "汉族",
			IDNumber: webtest.ValidID(strings.ReplaceAll(birth.String(), "-", ""), fmt.Sprintf("%03d", 300+i)),
			JoinedOn: birth.AddDate(25, 0, 0), FullOn: birth.AddDate(26, 0, 0)}
		if err := list[i].Validate(date.MustParse("2026-06-30")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Store.ImportPeople(context.Background(), audit.System, auth.Everything, list, nil); err != nil {
		t.Fatal(err)
	}
}

// With JavaScript the pager swaps the results block in place (htmx): the
// filter form stays as it was, the address follows each page so it can be
// bookmarked, and 上一页 brings back exactly the rows that were there.
func TestBrowserRosterPager(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	addPeople(t, w, 45)
	tb := b.NewTab(t, w.URL)
	tb.LoginOK("committee")
	if status := tb.Open("/people"); status != http.StatusOK {
		t.Fatalf("open the roster: %d", status)
	}
	rows := func() []string {
		return webtest.Eval[[]string](tb, `Array.from(document.querySelectorAll("#roster tbody td.name a")).map(a => a.getAttribute("href"))`)
	}
	first := rows()
	if len(first) != 20 || !strings.Contains(tb.Text(".pager span"), "第 1 / 3 页") {
		t.Fatalf("first page: %d rows, pager %q", len(first), tb.Text(".pager span"))
	}
	// A value typed into the filter form and not submitted survives paging:
	// only the results block is swapped.
	tb.TypeInto("#f-q", "未提交")

	tb.Step("click 下一页", chromedp.Click(chromedp.CSS(`a[rel="next"]`)))
	tb.WaitFor("page 2", `document.querySelector(".pager span").textContent.includes("第 2 / 3 页")`)
	second := rows()
	if len(second) != 20 || slices.ContainsFunc(second, func(h string) bool { return slices.Contains(first, h) }) {
		t.Fatalf("page 2 shows %d rows, some of page 1's: %v", len(second), second)
	}
	if p := tb.Path(); !strings.Contains(p, "after=") || !strings.Contains(p, "page=2") {
		t.Errorf("after 下一页 the address is %s; want the page's own address (after=…&page=2)", p)
	}
	if v := tb.Value("#f-q"); v != "未提交" {
		t.Errorf("the filter form was redrawn: the search box holds %q", v)
	}

	tb.Step("click 上一页", chromedp.Click(chromedp.CSS(`a[rel="prev"]`)))
	tb.WaitFor("page 1", `document.querySelector(".pager span").textContent.includes("第 1 / 3 页")`)
	if back := rows(); !slices.Equal(back, first) {
		t.Fatalf("上一页 shows %v, want page 1's %v", back, first)
	}

	tb.Step("jump to page 3", chromedp.SetValue(chromedp.CSS(`.pager input[name="page"]`), "3"),
		chromedp.Click(chromedp.CSS(`.pager button`)))
	tb.WaitFor("page 3", `document.querySelector(".pager span").textContent.includes("第 3 / 3 页")`)
	if third := rows(); len(third) != 7 {
		t.Fatalf("page 3 shows %d rows, want 7", len(third))
	}
}
