package store

import (
	"fmt"
	"strings"
	"time"
)

// timeCol scans a timestamp read without its declared type: PostgreSQL (and
// a declared SQLite column) hands over a time.Time, a SQLite expression such
// as "p.created_at || ”" the text as stored. The driver would parse a
// declared column itself, but it first tries time.Time.String's layout and
// allocates an error for each column of each row before it finds the one
// the store writes (_time_format=sqlite); here that layout comes first.
type timeCol struct{ t *time.Time }

// timeLayouts are the layouts the SQLite driver reads: first the one the
// store writes, then the driver's others, and time.Time.String's.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	if t, err := time.Parse(timeLayouts[0], s); err == nil {
		*c.t = t
		return nil
	}
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(s)); err == nil {
		*c.t = t
		return nil
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, ts); err == nil {
			*c.t = t
			return nil
		}
	}
	return fmt.Errorf("store: cannot read %q as a time", s)
}
