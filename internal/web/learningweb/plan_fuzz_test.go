package learningweb

import (
	"net/url"
	"testing"

	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// FuzzPlanForm feeds arbitrary form bodies (the schedules' parallel rows
// included) to the learning plan's parser: it never panics, and a plan it
// reads without a problem passes the domain's own check or is refused by it.
func FuzzPlanForm(f *testing.F) {
	for _, seed := range []string{"org_id=2&title=学习计划&from=2026-01-01&to=2026-12-31&schedules.title=第一次&schedules.on=2026-03-01",
		"schedules.title=a&schedules.title=b&schedules.on=x", "readings=1&readings=abc&org_id=-1", "title=%00&from=2026-13-01"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var v errs.Invalid
		p, _ := parsePlan(web.Input{Values: q}, &v)
		if v.Err() == nil {
			_ = p.Validate(func(int64) bool { return true })
		}
	})
}
