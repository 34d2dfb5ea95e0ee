package web

import (
	"testing"
	"time"
)

func TestLoginLimiterPerAddress(t *testing.T) {
	l := newLimiter(30, time.Minute)
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 30; i++ {
		if !l.allow("10.0.0.1", now) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.allow("10.0.0.1", now) {
		t.Fatal("the 31st attempt in a minute was allowed")
	}
	if !l.allow("10.0.0.2", now) {
		t.Fatal("another address was refused")
	}
	if !l.allow("10.0.0.1", now.Add(5*time.Second)) {
		t.Fatal("no attempt regained after 5 seconds (30 a minute refill one every 2 s)")
	}
	// Quiet addresses are forgotten, so the table does not grow without bound.
	l.allow("10.0.0.3", now.Add(3*time.Minute))
	if len(l.clients) != 1 {
		t.Fatalf("%d addresses remembered after they went quiet", len(l.clients))
	}
}
