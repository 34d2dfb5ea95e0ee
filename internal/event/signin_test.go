package event

import (
	"errors"
	"testing"
	"time"

	"dangjian/internal/date"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

// TestCodeRotates: a code is good in its own step and the next (the grace),
// expired after; a code of another event, another secret or edited is invalid.
func TestCodeRotates(t *testing.T) {
	t0 := time.Date(2026, 6, 30, 9, 0, 0, 0, China)
	code := Code(secret, 7, t0, 30)
	for _, c := range []struct {
		after time.Duration
		want  error
	}{
		{0, nil}, {29 * time.Second, nil}, {30 * time.Second, nil}, {59 * time.Second, nil},
		{60 * time.Second, ErrCodeExpired}, {10 * time.Minute, ErrCodeExpired},
	} {
		if err := CheckCode(secret, 7, code, t0.Add(c.after), 30); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("%s after it was shown: %v, want %v", c.after, err, c.want)
		}
	}
	if err := CheckCode(secret, 8, code, t0, 30); !errors.Is(err, ErrCodeInvalid) {
		t.Errorf("another event's code: %v", err)
	}
	if err := CheckCode([]byte("another secret"), 7, code, t0, 30); !errors.Is(err, ErrCodeInvalid) {
		t.Errorf("a code under another secret: %v", err)
	}
	if err := CheckCode(secret, 7, code[:len(code)-1]+"A", t0, 30); !errors.Is(err, ErrCodeInvalid) {
		t.Errorf("an edited code: %v", err)
	}
	if err := CheckCode(secret, 7, Code(secret, 7, t0.Add(time.Minute), 30), t0, 30); !errors.Is(err, ErrCodeInvalid) {
		t.Errorf("a code from the future: %v", err)
	}
	if next := Code(secret, 7, t0.Add(30*time.Second), 30); next == code {
		t.Error("the code did not change after one step")
	}
}

// TestPassOutlivesTheCode: a person who scanned a good code has ten minutes
// to log in on their phone and sign in.
func TestPassOutlivesTheCode(t *testing.T) {
	t0 := time.Date(2026, 6, 30, 9, 0, 0, 0, China)
	p := Pass(secret, 7, t0)
	if err := CheckPass(secret, 7, p, t0.Add(9*time.Minute)); err != nil {
		t.Errorf("9 minutes later: %v", err)
	}
	if err := CheckPass(secret, 7, p, t0.Add(11*time.Minute)); !errors.Is(err, ErrCodeExpired) {
		t.Errorf("11 minutes later: %v, want expired", err)
	}
	if err := CheckPass(secret, 8, p, t0); !errors.Is(err, ErrCodeInvalid) {
		t.Errorf("another event: %v", err)
	}
}

// TestSignInWindow: sign-in opens QRMargin minutes before the start and
// closes as long after the end; a five-day 读书班 opens every morning.
func TestSignInWindow(t *testing.T) {
	at := func(day, clock string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, China)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	meeting := Event{PlannedStart: at("2026-06-30", "09:00"), PlannedEnd: at("2026-06-30", "11:00"), QRMargin: 30}
	class := Event{PlannedStart: at("2026-06-15", "08:30"), PlannedEnd: at("2026-06-19", "17:00"), QRMargin: 30}
	for _, c := range []struct {
		e       *Event
		now     time.Time
		day     string
		wantErr error
	}{
		{&meeting, at("2026-06-30", "08:29"), "", ErrNotOpen},
		{&meeting, at("2026-06-30", "08:30"), "2026-06-30", nil},
		{&meeting, at("2026-06-30", "11:30"), "2026-06-30", nil},
		{&meeting, at("2026-06-30", "11:31"), "", ErrClosed},
		{&class, at("2026-06-17", "08:10"), "2026-06-17", nil},
		{&class, at("2026-06-17", "07:59"), "", ErrNotOpen},
		{&class, at("2026-06-17", "17:31"), "", ErrClosed},
		{&class, at("2026-06-19", "17:20"), "2026-06-19", nil},
		{&class, at("2026-06-20", "08:30"), "", ErrClosed},
	} {
		day, err := c.e.SignInDay(c.now)
		if !errors.Is(err, c.wantErr) || (c.wantErr == nil && day != date.MustParse(c.day)) {
			t.Errorf("at %s: day %s, %v; want %s, %v", c.now.Format("01-02 15:04"), day, err, c.day, c.wantErr)
		}
	}
	if n := len(class.Days()); n != 5 {
		t.Errorf("the 读书班 has %d days, want 5", n)
	}
}
