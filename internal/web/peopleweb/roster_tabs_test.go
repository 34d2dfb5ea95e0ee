package peopleweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// The 党员花名册 opens on the party members: 群众 staff sit behind their own
// tab, the total stands above the list, a page holds 20, 50 or 100 rows,
// and each row's organisation leads to the organisation.
func TestRosterShowsMembersFirst(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		addPeople(t, w, 30) // with the world's two, 32 members
		for i, name := range []string{"群众甲", "群众乙", "群众丙"} {
			p := people.Person{OrgID: w.Branch1.ID, Name: name, Status: people.Masses, IDNumber: webtest.ValidID("19900101", fmt.Sprintf("%03d", 700+i))}
			p.Normalize()
			if err := p.Validate(date.MustParse("2026-06-30")); err != nil {
				t.Fatal(err)
			}
			if err := w.Store.CreatePerson(context.Background(), audit.System, auth.Everything, &p); err != nil {
				t.Fatal(err)
			}
		}
		c := w.Login(t, "committee")

		page := c.Get("/people")
		rows := readRoster(t, page)
		if !strings.Contains(page.Body, "<h1>党员花名册</h1>") || !strings.Contains(page.Body, `共 <strong>32</strong> 人`) || len(rows.ids) != 20 {
			t.Fatalf("the roster's first page: %d rows, total shown: %v", len(rows.ids), strings.Contains(page.Body, "32"))
		}
		if strings.Contains(page.Body, "群众甲") {
			t.Fatal("群众 staff are listed among the party members")
		}
		if !strings.Contains(page.Body, fmt.Sprintf(`<a href="/orgs/%d">第一党支部</a>`, w.Branch1.ID)) {
			t.Fatal("所在组织 does not lead to the organisation")
		}
		if !strings.Contains(page.Body, `class="print-only print-heading">市委政法委机关党委 党员花名册（打印日期：`) {
			t.Fatal("the printed roster is not headed by the organisation and the date")
		}

		masses := c.Get("/people?tab=masses")
		if !strings.Contains(masses.Body, "群众甲") || !strings.Contains(masses.Body, `共 <strong>3</strong> 人`) || strings.Contains(masses.Body, "张伟") {
			t.Fatal("the 群众 tab does not list exactly the 群众 staff")
		}
		if all := c.Get("/people?tab=all&size=50"); len(readRoster(t, all).ids) != 35 {
			t.Fatalf("everyone on a page of 50: %d rows", len(readRoster(t, all).ids))
		}
		if big := readRoster(t, c.Get("/people?size=50")); len(big.ids) != 32 || big.label != "" {
			t.Fatalf("a page of 50 members: %d rows, pager %q", len(big.ids), big.label)
		}
		if odd := readRoster(t, c.Get("/people?size=7")); len(odd.ids) != 20 {
			t.Fatalf("a page size not offered: %d rows", len(odd.ids))
		}
		// The pager keeps the tab and the size.
		second := readRoster(t, c.Get("/people?tab=all&size=20"))
		if !strings.Contains(second.next, "tab=all") {
			t.Fatalf("the next page %q loses the tab", second.next)
		}
	})
}
