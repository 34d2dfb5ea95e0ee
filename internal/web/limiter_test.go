package web

import (
	"testing"
	"time"
)

func TestLoginLimiterPerAddress(t *testing.T) {
	l := newLimiter(30, time.Minute)
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	allow := func(addr string, at time.Time) bool { ok, _ := l.allow(addr, at); return ok }
	for i := 0; i < 30; i++ {
		if !allow("10.0.0.1", now) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if allow("10.0.0.1", now) {
		t.Fatal("the 31st attempt in a minute was allowed")
	}
	if !allow("10.0.0.2", now) {
		t.Fatal("another address was refused")
	}
	if !allow("10.0.0.1", now.Add(5*time.Second)) {
		t.Fatal("no attempt regained after 5 seconds (30 a minute refill one every 2 s)")
	}
	// Quiet addresses are forgotten, so the table does not grow without bound.
	allow("10.0.0.3", now.Add(3*time.Minute))
	if len(l.clients) != 1 {
		t.Fatalf("%d addresses remembered after they went quiet", len(l.clients))
	}
}

// TestRefusedLoginsReportedOncePerWindow: a flood of refused attempts from one
// address is due for the audit log once a minute with its count, not once a
// request; what is left when the address goes quiet comes out with the sweep.
func TestRefusedLoginsReportedOncePerWindow(t *testing.T) {
	l := newLimiter(2, time.Minute)
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	var due []Refusals
	allowed := 0
	for i := 0; i < 1300; i++ { // one attempt every 50 ms for 65 s
		ok, d := l.allow("10.0.0.9", now.Add(time.Duration(i)*50*time.Millisecond))
		due = append(due, d...)
		if ok {
			allowed++
		}
	}
	refused := 1300 - allowed
	if len(due) != 2 {
		t.Fatalf("%d reports for 65 s of refusals, want 2 (at once, then a minute later): %+v", len(due), due)
	}
	if due[0].Count != 1 || due[0].From.Sub(now) > time.Second {
		t.Errorf("first report %+v, want the first refusal alone, at once", due[0])
	}
	if gap := due[1].To.Sub(due[0].To); gap < time.Minute || gap > time.Minute+time.Second {
		t.Errorf("second report %v after the first, want a minute", gap)
	}
	// The address goes quiet; what it was not yet told comes out when it is forgotten.
	_, d := l.allow("10.0.0.1", now.Add(5*time.Minute))
	if len(d) != 1 || d[0].Addr != "10.0.0.9" {
		t.Fatalf("sweep: %+v", d)
	}
	if total := due[0].Count + due[1].Count + d[0].Count; total != refused {
		t.Errorf("reports count %d refusals, %d were refused", total, refused)
	}
}
