package learningweb

import (
	"net/url"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// FuzzHoursQuery feeds arbitrary query strings to the learning hours'
// span: it never panics, and a span it accepts runs forwards and is at most
// a year and a day long.
func FuzzHoursQuery(f *testing.F) {
	for _, seed := range []string{"year=2026", "from=2026-01-01&to=2026-12-31", "from=2027-01-01&to=2026-01-01", "year=99999999999999999999&org=-1",
		"from=0001-01-01", "to=9999-12-31"} {
		f.Add(seed)
	}
	today := date.MustParse("2026-06-30")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		_, span := parseHours(web.Input{Values: q}, today, &v)
		if v.Err() == nil && (!span.Start.Before(span.End) || span.Start.AddDate(1, 0, 2).Before(span.End)) {
			t.Fatalf("accepted %q as %+v", raw, span)
		}
	})
}
