package store

import (
	"testing"
	"time"
)

// TestTimeColReadsWhatTheDriverReads: a timestamp read as text comes back
// as the same instant whichever layout wrote it.
func TestTimeColReadsWhatTheDriverReads(t *testing.T) {
	want := time.Date(2026, 11, 28, 9, 30, 15, 123456789, time.FixedZone("", 8*3600))
	for _, s := range []string{
		"2026-11-28 09:30:15.123456789+08:00", // the store's _time_format=sqlite
		"2026-11-28T09:30:15.123456789+08:00",
		"2026-11-28 09:30:15.123456789 +0800 +08 m=+0.001", // time.Time.String
		"2026-11-28T01:30:15.123456789Z",
		"2026-11-28 01:30:15.123456789",
	} {
		var got time.Time
		if err := (timeCol{&got}).Scan(s); err != nil || !got.Equal(want) {
			t.Errorf("%q: got %v, %v; want %v", s, got, err, want)
		}
	}
	var got time.Time
	if err := (timeCol{&got}).Scan("2026-11-28 09:30"); err != nil || got.Format("2006-01-02 15:04") != "2026-11-28 09:30" {
		t.Errorf("minutes: got %v, %v", got, err)
	}
	if err := (timeCol{&got}).Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("NULL: got %v, %v", got, err)
	}
	if err := (timeCol{&got}).Scan("gestern"); err == nil {
		t.Errorf("text that is no time was read as %v", got)
	}
}
