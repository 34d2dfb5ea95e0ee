package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// rosterWithTies fills a tree with people who share names (so the same
// pinyin key), organisations, birth dates and dates of joining, and 群众
// without a joining date: every order has runs of equal keys that only the
// id tells apart.
func rosterWithTies(t *testing.T, s *store.Store, tr tree, n, from int) []int64 {
	t.Helper()
	names := []string{"王伟", "王伟", "李娜", "张伟", "王伟", "刘洋", "阿依古丽·买买提"}
	births := []string{"19850312", "19900101", "19850312", "19700505"}
	orgs := []int64{tr.b1.ID, tr.g1.ID, tr.b1.ID, tr.b2.ID}
	list := make([]people.Person, 0, n)
	for i := from; i < from+n; i++ {
		p := newPerson(orgs[i%len(orgs)], names[i%len(names)], births[i%len(births)], fmt.Sprintf("%03d", i%1000))
		if i >= 1000 { // another region: the same birth date and sequence make another number
			first := fmt.Sprintf("37%04d", i/1000) + p.IDNumber[6:17]
			p.IDNumber = first + string(people.IDCheckChar(first))
		}
		if i%3 == 0 {
			p.Status, p.JoinedOn, p.FullOn = people.Masses, date.Date{}, date.Date{}
		}
		list = append(list, p)
	}
	// One transaction: on a busy disk each commit is a wait for fsync.
	if err := s.ImportPeople(context.Background(), admin, auth.Everything, list, nil); err != nil {
		t.Fatalf("create people %d…: %v", from, err)
	}
	ids := make([]int64, n)
	for i := range list {
		ids[i] = list[i].ID
	}
	return ids
}

// walk pages through a listing by its cursors: forward from the first page
// to the last, then backward to the first again. between runs before each
// request after the first, so rows can change under the walk.
func walk(t *testing.T, s *store.Store, sc auth.Scope, f store.PersonFilter, between func()) (forward, backward []int64) {
	t.Helper()
	ctx := context.Background()
	page, err := s.People(ctx, sc, f)
	if err != nil {
		t.Fatal(err)
	}
	if page.Prev != "" {
		t.Fatal("the first page offers a previous one")
	}
	pages := []store.PersonPage{page}
	for page.Next != "" {
		if len(pages) > 1000 {
			t.Fatal("the walk does not end")
		}
		between()
		g := f
		g.After = page.Next
		if page, err = s.People(ctx, sc, g); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
	}
	for _, p := range pages {
		forward = append(forward, ids(p.Items)...)
	}
	backward = ids(page.Items)
	for page.Prev != "" {
		between()
		g := f
		g.Before = page.Prev
		if page, err = s.People(ctx, sc, g); err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			t.Fatal("an empty page going back")
		}
		backward = append(ids(page.Items), backward...)
	}
	return forward, backward
}

func ids(rows []store.PersonRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// sortOrders are every order the roster offers, both ways.
var sortOrders = func() (out []store.PersonFilter) {
	for _, s := range []string{"org", "name", "birth_date", "joined_on"} {
		out = append(out, store.PersonFilter{Sort: s}, store.PersonFilter{Sort: s, Desc: true})
	}
	return out
}()

// Paging by cursor shows every person exactly once, in the listing's order,
// walking forward and walking back, for every order, whole subtree or
// filtered, in a branch's scope or through the committee's ?org=.
func TestRosterCursorsVisitEveryoneOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		rosterWithTies(t, s, tr, 47, 0)
		committee, b1 := auth.Scope{OrgPath: tr.committee.Path}, auth.Scope{OrgPath: tr.b1.Path}
		for _, o := range sortOrders {
			for _, c := range []struct {
				name string
				sc   auth.Scope
				f    store.PersonFilter
			}{
				{"branch", b1, o},
				{"committee?org=b1", committee, store.PersonFilter{Sort: o.Sort, Desc: o.Desc, OrgID: tr.b1.ID}},
				{"whole tree, members only", committee, store.PersonFilter{Sort: o.Sort, Desc: o.Desc, Statuses: []people.Status{people.Full}}},
			} {
				name := fmt.Sprintf("%s desc=%v %s", o.Sort, o.Desc, c.name)
				f := c.f
				f.Limit = 500
				all, err := s.People(ctx, c.sc, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(all.Items) < 10 || all.Total != len(all.Items) || all.Next != "" {
					t.Fatalf("%s: the whole listing has %d of %d people, next %q", name, len(all.Items), all.Total, all.Next)
				}
				checkOrder(t, name, f, all.Items)
				f.Limit = 4
				forward, backward := walk(t, s, c.sc, f, func() {})
				if want := ids(all.Items); !slices.Equal(forward, want) || !slices.Equal(backward, want) {
					t.Errorf("%s:\nforward  %v\nbackward %v\nwant     %v", name, forward, backward, want)
				}
			}
		}
	})
}

// checkOrder checks the whole listing against its order where a row shows
// its key: dates ascending or descending, and people without a joining date
// last either way on both databases.
func checkOrder(t *testing.T, name string, f store.PersonFilter, rows []store.PersonRow) {
	t.Helper()
	key := func(p store.PersonRow) string {
		switch f.Sort {
		case "birth_date":
			return p.BirthDate.String()
		case "joined_on":
			return p.JoinedOn.String()
		case "org":
			return p.OrgPath
		}
		return ""
	}
	for i := 1; i < len(rows); i++ {
		a, b := key(rows[i-1]), key(rows[i])
		if f.Sort == "joined_on" && (a == "" || b == "") {
			if a == "" && b != "" {
				t.Fatalf("%s: a person without a joining date before one with", name)
			}
			continue
		}
		if (!f.Desc && a > b) || (f.Desc && a < b) {
			t.Fatalf("%s: %q before %q", name, a, b)
		}
		if a == b && f.Sort != "org" && f.Sort != "name" && (rows[i-1].ID > rows[i].ID) != f.Desc {
			t.Fatalf("%s: equal keys not in id order", name)
		}
	}
}

// People added and transferred out while someone pages through the roster
// neither repeat anyone nor hide anyone who was there all along, and the
// total on each page is the count at that moment.
func TestRosterCursorsUnderChanges(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		present := rosterWithTies(t, s, tr, 24, 0)
		sc := auth.Scope{OrgPath: tr.committee.Path}
		next, turn := 100, 0
		for _, o := range sortOrders {
			name := fmt.Sprintf("%s desc=%v", o.Sort, o.Desc)
			start := slices.Clone(present)
			var gone []int64
			f := o
			f.Limit = 5
			forward, backward := walk(t, s, sc, f, func() {
				// Before every request a newcomer — the names and dates
				// repeat, so newcomers land on both sides of the walk —
				// and someone transferred out.
				turn++
				present = append(present, rosterWithTies(t, s, tr, 1, next)...)
				next++
				id := present[(turn*7)%len(present)]
				err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: id, Direction: people.TransferOut,
					On: date.MustParse("2026-06-01"), External: "省委政法委"})
				if err != nil {
					t.Fatal(err)
				}
				present, gone = slices.DeleteFunc(present, func(x int64) bool { return x == id }), append(gone, id)
				page, err := s.People(ctx, sc, f)
				if err != nil || page.Total != len(present) {
					t.Fatalf("%s: total %d, want %d (%v)", name, page.Total, len(present), err)
				}
			})
			for dir, seen := range map[string][]int64{"forward": forward, "backward": backward} {
				counts := map[int64]int{}
				for _, id := range seen {
					if counts[id]++; counts[id] == 2 {
						t.Errorf("%s, %s: person %d listed twice", name, dir, id)
					}
				}
				for _, id := range start {
					if counts[id] == 0 && !slices.Contains(gone, id) {
						t.Errorf("%s, %s: person %d, there all along, never listed", name, dir, id)
					}
				}
			}
		}
	})
}

// A page number still jumps (by offset), a cursor that does not fit the
// order is ignored in favour of the page number, a page past the end is
// empty with the right total, and ?org= outside the scope is refused even
// when the page is empty.
func TestRosterPagesByNumberAndStrayCursors(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		rosterWithTies(t, s, tr, 30, 0)
		sc := auth.Scope{OrgPath: tr.committee.Path}
		all, err := s.People(ctx, sc, store.PersonFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		third, err := s.People(ctx, sc, store.PersonFilter{Limit: 4, Offset: 8})
		if err != nil || !slices.Equal(ids(third.Items), ids(all.Items[8:12])) || third.Prev == "" || third.Next == "" {
			t.Fatalf("page 3 by number: %v, prev %q next %q (%v)", ids(third.Items), third.Prev, third.Next, err)
		}
		fourth, _ := s.People(ctx, sc, store.PersonFilter{Limit: 4, After: third.Next})
		second, _ := s.People(ctx, sc, store.PersonFilter{Limit: 4, Before: third.Prev})
		if !slices.Equal(ids(fourth.Items), ids(all.Items[12:16])) || !slices.Equal(ids(second.Items), ids(all.Items[4:8])) {
			t.Fatalf("from page 3: next %v, previous %v", ids(fourth.Items), ids(second.Items))
		}
		byName, _ := s.People(ctx, sc, store.PersonFilter{Limit: 4, Sort: "name"})
		for _, stray := range []string{"garbage!", third.Next + "x", byName.Next, "", "MTIz"} {
			got, err := s.People(ctx, sc, store.PersonFilter{Limit: 4, Offset: 8, After: stray})
			if err != nil || !slices.Equal(ids(got.Items), ids(third.Items)) {
				t.Errorf("cursor %q: %v (%v), want page 3 by number", stray, ids(got.Items), err)
			}
		}
		past, err := s.People(ctx, sc, store.PersonFilter{Limit: 4, Offset: 400})
		if err != nil || len(past.Items) != 0 || past.Total != all.Total || past.Next != "" {
			t.Fatalf("past the end: %d items, total %d, next %q (%v)", len(past.Items), past.Total, past.Next, err)
		}
		var inv *errs.Invalid
		for _, f := range []store.PersonFilter{{OrgID: tr.b1.ID, Offset: 400}, {OrgID: tr.b1.ID}} {
			_, err = s.People(ctx, auth.Scope{OrgPath: tr.b2.Path}, f)
			if !errors.As(err, &inv) || inv.Fields["org_id"] != "org.unknown" {
				t.Errorf("?org= outside the scope, offset %d: %v", f.Offset, err)
			}
		}
	})
}

// Going back to the start after someone on the first page left shows what
// is left of the first page: nobody twice, nobody skipped.
func TestRosterBackToTheStartAfterDepartures(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		rosterWithTies(t, s, tr, 12, 0)
		sc := auth.Scope{OrgPath: tr.committee.Path}
		f := store.PersonFilter{Limit: 5, Sort: "birth_date"}
		first, _ := s.People(ctx, sc, f)
		f.After = first.Next
		second, _ := s.People(ctx, sc, f)
		err := s.Transfer(ctx, admin, auth.Everything, &people.Transfer{PersonID: first.Items[2].ID, Direction: people.TransferOut,
			On: date.MustParse("2026-06-01"), External: "省委政法委"})
		if err != nil {
			t.Fatal(err)
		}
		f.After, f.Before = "", second.Prev
		back, err := s.People(ctx, sc, f)
		want := append(ids(first.Items[:2]), ids(first.Items[3:])...)
		if err != nil || !slices.Equal(ids(back.Items), want) || back.Prev != "" || back.Next == "" || back.Total != 11 {
			t.Fatalf("back to the start: %v, want %v; prev %q, next %q, total %d (%v)", ids(back.Items), want, back.Prev, back.Next, back.Total, err)
		}
	})
}

// The filter form offers every open work unit and the education levels in
// use, in their order — the same lists, from one statement, on both
// databases (its party organisations are the tree opened down to the one
// chosen: TestOrgsAroundTheChosenOne).
func TestRosterChoices(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		closed := org.Org{ParentID: tr.committee.ID, Kind: org.Unit, Name: "已撤销单位"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &closed); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseOrg(ctx, admin, auth.Everything, closed.ID, date.MustParse("2026-01-01")); err != nil {
			t.Fatal(err)
		}
		items, err := s.DictItems(ctx, "education")
		if err != nil || len(items) < 3 {
			t.Fatalf("education items: %v %v", items, err)
		}
		off := items[1]
		off.Disabled = true
		if err := s.SaveDictItem(ctx, admin, &off); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, it := range items {
			if it.ID != off.ID {
				want = append(want, it.Label)
			}
		}
		names := func(list []org.Org) (out []string) {
			for _, o := range list {
				out = append(out, o.Name)
			}
			return out
		}
		got, err := s.RosterChoices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(got.Units), []string{"市中级人民法院"}) || !slices.Equal(got.Educations, want) {
			t.Errorf("units %v, educations %v; want [市中级人民法院], %v", names(got.Units), got.Educations, want)
		}
	})
}
