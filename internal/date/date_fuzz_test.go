package date

import "testing"

// FuzzParse feeds arbitrary text to the date parser behind every date field
// and query parameter: it never panics, and a date it accepts prints back as
// the text it was read from.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"2026-06-30", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2026-6-3", "", "2026-06-30T00:00:00Z"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil || d.IsZero() { // "" and 0001-01-01 are the zero Date, which prints empty
			return
		}
		if d.String() != s {
			t.Fatalf("Parse(%q) prints as %q", s, d.String())
		}
		var back Date
		if err := back.UnmarshalText([]byte(s)); err != nil || back != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v", s, back, err)
		}
	})
}
