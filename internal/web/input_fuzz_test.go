package web

import (
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/date"
)

// FuzzReadJSON feeds arbitrary bodies to the JSON decoder every API write
// uses: it may refuse them, never panic, and what it accepts reads back.
func FuzzReadJSON(f *testing.F) {
	for _, seed := range []string{`{"name":"张伟","org_id":3}`, `{"members":[{"person_id":1,"role":"leader"}]}`,
		`{"a":[1,2,"x"],"b":null,"c":true}`, `{"deep":{"x":1}}`, `[]`, `nul`, `{"name":"\u0000"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, err := readJSON(strings.NewReader(body))
		if err != nil {
			return
		}
		for k := range in.Values {
			_ = in.str(k)
		}
	})
}

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
