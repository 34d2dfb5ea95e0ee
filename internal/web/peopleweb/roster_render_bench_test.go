package peopleweb

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web"
)

// BenchmarkRosterRender measures drawing the roster page from a listing the
// store has returned — the view, the rows, the filter form and the template —
// without the database: the whole page, and the results block that paging
// and filtering fetch.
//
//	go test -run '^$' -bench RosterRender ./internal/web/peopleweb/
func BenchmarkRosterRender(b *testing.B) {
	st := storetest.Open(b, store.SQLite, nil)
	srv, err := web.New(st, config.Default(), slog.New(slog.DiscardHandler), New)
	if err != nil {
		b.Fatal(err)
	}
	a := &area{Server: srv, st: st}
	u := &auth.User{ID: 1, Username: "committee", DisplayName: "张三", Role: auth.CommitteeAdmin, OrgPath: "/1/"}
	c := &web.Call{User: u, Scope: u.Scope()}
	var rows []store.PersonRow
	for i := range 20 {
		p := store.PersonRow{Person: people.Person{ID: int64(1000 + i), Name: "王建国", Sex: people.Male, BirthDate: date.MustParse("1975-03-12"),
			Ethnic: "汉族", Education: "大学本科", Position: "四级主任科员", Status: people.Full, JoinedOn: date.MustParse("2000-07-01"),
			FullOn: date.MustParse("2001-07-01"), Phone: "13912345678", IDNumber: "370102197503121234", UpdatedAt: time.Now()},
			OrgName: "第一党支部", UnitName: "市中级人民法院", OrgPath: "/1/2/"}
		rows = append(rows, p)
	}
	var choices store.RosterChoices
	var orgs []org.Org
	for i := range 30 {
		orgs = append(orgs, org.Org{ID: int64(i + 1), Kind: org.Group, Name: "第" + fmt.Sprint(i) + "党小组", Path: "/1/2/" + fmt.Sprint(i) + "/"})
	}
	choices.Units = orgs[:20]
	choices.Educations = []string{"研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学", "其他"}
	q := rosterQuery{OrgID: 2, Page: 3}
	res := store.PersonPage{Items: rows, Total: 31155, Next: "b3JnHy8xLzIvHndhbmcgd2VpHjEyMzQ", Prev: "b3JnHy8xLzIvHndhbmcgd2VpHjEyMzQ"}
	for _, target := range []string{"", "roster-results"} {
		b.Run("block="+target, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/people", nil)
			if target != "" {
				r.Header.Set("HX-Request", "true")
				r.Header.Set("HX-Target", target)
			}
			b.ReportAllocs()
			for b.Loop() {
				p := a.listPage(c, q, res)
				if target == "" {
					p.Orgs = web.OrgTree{Options: web.OrgOptions(orgs)}
					p.filterForm(q, choices)
				}
				w := httptest.NewRecorder()
				w.Body = nil
				if err := srv.Render(discard{w}, r, 200, "people", p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type discard struct{ *httptest.ResponseRecorder }

func (d discard) Write(b []byte) (int, error) { return io.Discard.Write(b) }
