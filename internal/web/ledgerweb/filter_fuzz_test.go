package ledgerweb

import (
	"net/url"
	"testing"

	"dangjian/internal/ledger"
)

// FuzzLedgerFilter feeds arbitrary query strings to the ledger list's
// filter: it never panics, and a filter it accepts holds only known
// statuses and sources and no negative ids.
func FuzzLedgerFilter(f *testing.F) {
	for _, seed := range []string{"status=open&source=manual&org=2", "status=boss&opened_from=2026-13-01", "org=-1&campaign=abc&event=1e9",
		"deadline_from=2026-06-30&deadline_to=0001-01-01&q=%00", "overdue_on=9999-12-31&page=99999999999999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		lf, err := parseFilter(q)
		if err != nil {
			return
		}
		if (lf.Status != "" && !lf.Status.Valid()) || (lf.Source != "" && !ledger.KnownSource(lf.Source)) || lf.OrgID < 0 || lf.CampaignID < 0 || lf.EventID < 0 {
			t.Fatalf("accepted %q as %+v", raw, lf)
		}
	})
}
