package date

import (
	"testing"
	"time"
)

func TestYearsUntilCountsWholeYears(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"1985-03-12", "2026-03-11", 40}, {"1985-03-12", "2026-03-12", 41},
		{"2000-02-29", "2026-02-28", 25}, {"2000-02-29", "2026-03-01", 26}, {"1976-07-01", "2026-07-01", 50},
	} {
		if got := MustParse(tc.from).YearsUntil(MustParse(tc.to)); got != tc.want {
			t.Errorf("%s → %s: %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestScanAcceptsBothDatabases(t *testing.T) {
	var d Date
	if err := d.Scan("1985-03-12"); err != nil || d.String() != "1985-03-12" {
		t.Fatalf("text: %v %s", err, d)
	}
	if err := d.Scan(time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)); err != nil || d.String() != "1985-03-12" {
		t.Fatalf("time: %v %s", err, d)
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Fatalf("null: %v %s", err, d)
	}
	if err := d.Scan("1985/03/12"); err == nil {
		t.Fatal("a malformed date was accepted")
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Fatalf("zero date stored as %v, want NULL", v)
	}
}
