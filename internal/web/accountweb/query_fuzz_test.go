package accountweb

import (
	"net/url"
	"testing"

	"dangjian/internal/auth"
)

// FuzzUserQuery: any address typed for the account lists yields a filter
// the store can run: a known role or none, a page from 1, an offset from 0.
func FuzzUserQuery(f *testing.F) {
	for _, seed := range []string{"q=张&role=member&page=2", "role=root&page=-1", "pending=1&page=99999999999999999", "page=9223372036854775807", "q=%00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q := parseUserQuery(vals)
		if q.Page < 1 || (q.Role != "" && !auth.Role(q.Role).Valid()) {
			t.Fatalf("%q: %+v", raw, q)
		}
		if fl := q.filter(userPageSize); fl.Offset < 0 || fl.Limit != userPageSize {
			t.Fatalf("%q: filter %+v", raw, fl)
		}
	})
}
