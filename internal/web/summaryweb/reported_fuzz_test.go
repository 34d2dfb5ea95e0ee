package summaryweb

import (
	"net/url"
	"testing"

	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// FuzzReportedForm feeds arbitrary form bodies to the parser of a figure a
// branch reports by hand: it never panics, and what it accepts passes the
// domain's own check or is refused by it.
func FuzzReportedForm(f *testing.F) {
	for _, seed := range []string{"org_id=2&code=reported.x&from=2026-01-01&to=2026-06-30&value=3&version=1", "value=NaN", "value=1e400&version=-1",
		"value=-0&from=x", "value=Inf&code=%00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		r := parseReported(web.Input{Values: q}, &v)
		if v.Err() == nil {
			_ = r.Validate()
		}
	})
}
