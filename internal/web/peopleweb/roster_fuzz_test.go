package peopleweb

import (
	"net/url"
	"testing"

	"dangjian/internal/date"
)

// FuzzRosterQuery feeds arbitrary query strings to the roster filter: any
// address a user can type yields a filter within bounds.
func FuzzRosterQuery(f *testing.F) {
	for _, seed := range []string{"q=zw&status=full&age=lt35&page=2", "org=-1&unit=abc&page=-5", "status=bogus&sort=;drop", "page=99999999999999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		rq := parseRosterQuery(q)
		if rq.Page < 1 || rq.OrgID < 0 || rq.UnitID < 0 {
			t.Fatalf("out of bounds: %+v", rq)
		}
		f := rq.filter(date.MustParse("2026-06-30"))
		if f.Limit != pageSize || f.Offset < 0 {
			t.Fatalf("filter: %+v", f)
		}
		_ = rq.values().Encode()
	})
}
