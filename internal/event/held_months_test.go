package event

import (
	"reflect"
	"testing"
)

// TestCountHeldByOrganisationYearAndMonth: an event counts once under each
// of its kinds in its own organisation, year and month, and as a talk only
// where the secretary spoke; taking it away leaves nothing.
func TestCountHeldByOrganisationYearAndMonth(t *testing.T) {
	got := CountHeld([]HeldEvent{
		{OrgID: 3, Kinds: []int64{congress, committee, congress}, On: d("2026-04-01")},
		{OrgID: 3, Kinds: []int64{committee}, On: d("2026-04-30")},
		{OrgID: 3, Kinds: []int64{lecture}, On: d("2026-12-31"), BySecretary: true},
		{OrgID: 3, Kinds: []int64{lecture}, On: d("2025-12-31")},
		{OrgID: 4, Kinds: []int64{committee}, On: d("2026-01-01")},
	})
	if len(got) != 3 || got[0].OrgID != 3 || got[0].Year != 2026 || got[1].Year != 2025 || got[2].OrgID != 4 {
		t.Fatalf("organisations and years: %+v", got)
	}
	this := got[0].Kinds
	if this[congress].Held[3] != 1 || this[committee].Held[3] != 2 || this[lecture].Held[11] != 1 || this[lecture].Talks[11] != 1 ||
		this[committee].Talks != ([12]int{}) || len(this) != 3 {
		t.Errorf("2026 of branch 3: congress %v, committee %v, lecture %v", *this[congress], *this[committee], *this[lecture])
	}
	if last := got[1].Kinds[lecture]; last.Held[11] != 1 || last.Talks[11] != 0 {
		t.Errorf("2025's lecture, not by the secretary: %+v", *last)
	}
	h := got[0]
	h.Add(HeldEvent{OrgID: 3, Kinds: []int64{lecture}, On: d("2026-12-31"), BySecretary: true}, -1)
	if h.Kinds[lecture].Held != ([12]int{}) || h.Kinds[lecture].Talks != ([12]int{}) {
		t.Errorf("the talk taken away: %+v", *h.Kinds[lecture])
	}
	if enc := h.Encode(); enc != "1:0,0,0,1,0,0,0,0,0,0,0,0;2:0,0,0,2,0,0,0,0,0,0,0,0" {
		t.Errorf("encoded without the emptied kind: %q", enc)
	}
}

// TestHeldMonthsReadBackAsWritten: what Encode writes, DecodeHeldMonths
// reads back; what it did not write is refused, not misread.
func TestHeldMonthsReadBackAsWritten(t *testing.T) {
	h := CountHeld([]HeldEvent{
		{OrgID: 1, Kinds: []int64{12, 7}, On: d("2026-02-03"), BySecretary: true},
		{OrgID: 1, Kinds: []int64{7}, On: d("2026-11-30")},
		{OrgID: 1, Kinds: []int64{7}, On: d("2026-11-01")},
	})[0]
	enc := h.Encode()
	if enc != "7:0,1,0,0,0,0,0,0,0,0,2,0|0,1,0,0,0,0,0,0,0,0,0,0;12:0,1,0,0,0,0,0,0,0,0,0,0|0,1,0,0,0,0,0,0,0,0,0,0" {
		t.Errorf("encoded: %q", enc)
	}
	back, err := DecodeHeldMonths(enc)
	if err != nil || !reflect.DeepEqual(back, h.Kinds) {
		t.Errorf("read back %v (%v), want %v", back, err, h.Kinds)
	}
	if empty, err := DecodeHeldMonths(""); err != nil || len(empty) != 0 {
		t.Errorf("nothing held: %v %v", empty, err)
	}
	for _, bad := range []string{"7", "7:1,2", "x:0,0,0,0,0,0,0,0,0,0,0,0", "7:0,0,0,0,0,0,0,0,0,0,0,0,0",
		"7:0,0,0,0,0,0,0,0,0,0,0,0|1", "7:0,0,0,0,0,0,0,0,0,0,0,0;7:0,0,0,0,0,0,0,0,0,0,0,0", "7:0,0,0,0,0,0,0,0,0,0,0,a"} {
		if _, err := DecodeHeldMonths(bad); err == nil {
			t.Errorf("%q read without complaint", bad)
		}
	}
}

func FuzzDecodeHeldMonths(f *testing.F) {
	f.Add("7:0,1,0,0,0,0,0,0,0,0,2,0|0,1,0,0,0,0,0,0,0,0,0,0;12:0,1,0,0,0,0,0,0,0,0,0,0")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		kinds, err := DecodeHeldMonths(s)
		if err != nil {
			return
		}
		again, err := DecodeHeldMonths(HeldMonths{Kinds: kinds}.Encode())
		if err != nil {
			t.Fatalf("re-encoded %q does not read: %v", s, err)
		}
		for k, c := range kinds {
			if *c == (MonthCounts{}) {
				continue // an empty kind is left out
			}
			if *again[k] != *c {
				t.Fatalf("%q: kind %d %v, read back %v", s, k, *c, *again[k])
			}
		}
	})
}
