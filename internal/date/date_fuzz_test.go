package date

import (
	"testing"
	"time"
)

// FuzzParse: a date typed into any field either is refused or reads back
// as itself, survives the text form used in JSON, and is a real day.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"2026-06-30", "2024-02-29", "2025-02-29", "0000-01-01", "9999-12-31", "2026-6-3", " 2026-06-30", "2026-06-30T00:00:00Z", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		// The fast path for YYYY-MM-DD says what time.Parse says.
		if want, terr := time.Parse(layout, s); s != "" && ((terr == nil) != (err == nil) || err == nil && !d.t.Equal(want)) {
			t.Fatalf("%q: Parse gives %v (%v), time.Parse %v (%v)", s, d, err, want, terr)
		}
		if err != nil {
			return
		}
		if d.IsZero() {
			return
		}
		again, err := Parse(d.String())
		if err != nil || again != d {
			t.Fatalf("%q read as %v, which reads back as %v (%v)", s, d, again, err)
		}
		text, _ := d.MarshalText()
		var back Date
		if err := back.UnmarshalText(text); err != nil || back != d {
			t.Fatalf("%q through JSON text: %v (%v)", s, back, err)
		}
		if d.AddDate(0, 0, 1).Day() == d.Day() {
			t.Fatalf("%q: %v is not a day", s, d)
		}
	})
}
