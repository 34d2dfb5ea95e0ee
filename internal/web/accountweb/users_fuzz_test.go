package accountweb

import (
	"net/url"
	"testing"

	"dangjian/internal/auth"
)

// FuzzUserQuery feeds arbitrary query strings to the account lists' filter:
// any address yields a filter within bounds and a known role or none.
func FuzzUserQuery(f *testing.F) {
	for _, seed := range []string{"q=zhang&role=branch_admin&page=2", "pending=1&page=-3", "role=boss&page=99999999999999999999", "q=%00%27;drop"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		uq := parseUserQuery(q)
		if uq.Page < 1 || (uq.Role != "" && !auth.Role(uq.Role).Valid()) {
			t.Fatalf("out of bounds: %+v", uq)
		}
		if f := uq.filter(userPageSize); f.Offset < 0 || f.Limit != userPageSize {
			t.Fatalf("filter: %+v", f)
		}
	})
}
