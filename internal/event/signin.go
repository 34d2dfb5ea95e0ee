package event

import (
	"crypto/hmac"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"dangjian/internal/date"
)

// The sign-in code on the projector rotates: it names the event and a time
// step (QRStep seconds long) and is signed with HMAC-SM3 under a secret kept
// in the database, so any instance checks a code another made. A code is
// good during its own step and the next one (the grace for a slow scan). QR
// sign-in is convenience, not proof: a code can be forwarded for a minute,
// and the secretary corrects any mark.

// Why a code or a pass is refused.
var (
	ErrCodeInvalid = errors.New("sign-in code invalid")
	ErrCodeExpired = errors.New("sign-in code expired")
	ErrNotOpen     = errors.New("sign-in not open yet")
	ErrClosed      = errors.New("sign-in closed")
)

// PassLife is how long a scanned code stays good for the person who scanned
// it, so that logging in on the phone first does not make it expire.
const PassLife = 10 * time.Minute

// macLen is how many bytes of the HMAC a code carries: 80 bits, far beyond
// guessing within a step, and short enough for a QR code phones read at a glance.
const macLen = 10

// Step is the number of the step a moment falls in.
func Step(now time.Time, seconds int) int64 { return now.Unix() / int64(max(seconds, 1)) }

func mac(secret []byte, parts ...string) string {
	h := hmac.New(sm3.New, secret)
	h.Write([]byte(strings.Join(parts, "|")))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:macLen])
}

// Code is the sign-in code of an event for the step now falls in.
func Code(secret []byte, eventID int64, now time.Time, stepSeconds int) string {
	step := strconv.FormatInt(Step(now, stepSeconds), 36)
	return step + "." + mac(secret, "code", strconv.FormatInt(eventID, 10), step)
}

// CheckCode accepts a code of the event made during this step or the one
// before; an older one has expired.
func CheckCode(secret []byte, eventID int64, code string, now time.Time, stepSeconds int) error {
	stepText, sum, ok := strings.Cut(code, ".")
	if !ok || len(code) > 40 {
		return ErrCodeInvalid
	}
	step, err := strconv.ParseInt(stepText, 36, 64)
	if err != nil || stepText != strconv.FormatInt(step, 36) {
		return ErrCodeInvalid
	}
	if subtle.ConstantTimeCompare([]byte(sum), []byte(mac(secret, "code", strconv.FormatInt(eventID, 10), stepText))) != 1 {
		return ErrCodeInvalid
	}
	switch cur := Step(now, stepSeconds); {
	case step > cur:
		return ErrCodeInvalid // from the future: not made by this clock
	case step < cur-1:
		return ErrCodeExpired
	}
	return nil
}

// Pass is what a person who scanned a good code carries to the sign-in
// page: good for PassLife, for this event only.
func Pass(secret []byte, eventID int64, now time.Time) string {
	at := strconv.FormatInt(now.Unix(), 36)
	return at + "." + mac(secret, "pass", strconv.FormatInt(eventID, 10), at)
}

// CheckPass accepts a pass of the event made less than PassLife ago.
func CheckPass(secret []byte, eventID int64, pass string, now time.Time) error {
	atText, sum, ok := strings.Cut(pass, ".")
	if !ok || len(pass) > 40 {
		return ErrCodeInvalid
	}
	at, err := strconv.ParseInt(atText, 36, 64)
	if err != nil || atText != strconv.FormatInt(at, 36) {
		return ErrCodeInvalid
	}
	if subtle.ConstantTimeCompare([]byte(sum), []byte(mac(secret, "pass", strconv.FormatInt(eventID, 10), atText))) != 1 {
		return ErrCodeInvalid
	}
	issued := time.Unix(at, 0)
	if issued.After(now.Add(time.Minute)) {
		return ErrCodeInvalid
	}
	if now.Sub(issued) > PassLife {
		return ErrCodeExpired
	}
	return nil
}

// SignInDay is the day a sign-in at now counts for, or an error when
// sign-in is not open: each day of the event from its start's time of day
// less the margin to its end's time of day plus the margin (a five-day 读书班
// signs in every morning).
func (e *Event) SignInDay(now time.Time) (date.Date, error) {
	margin := time.Duration(e.QRMargin) * time.Minute
	start, end := e.Start().In(China), e.End().In(China)
	days := e.Days()
	if now.Before(start.Add(-margin)) {
		return date.Date{}, ErrNotOpen
	}
	if now.After(end.Add(margin)) {
		return date.Date{}, ErrClosed
	}
	if len(days) == 1 {
		return days[0], nil
	}
	today := date.FromTime(now.In(China))
	for _, d := range days {
		if d != today {
			continue
		}
		open := at(d, start).Add(-margin)
		shut := at(d, end).Add(margin)
		if !shut.After(open) { // an overnight event: the whole day
			return d, nil
		}
		switch {
		case now.Before(open):
			return date.Date{}, ErrNotOpen
		case now.After(shut):
			return date.Date{}, ErrClosed
		}
		return d, nil
	}
	return date.Date{}, ErrClosed
}

// at is the moment of day d at clock's time of day, in China.
func at(d date.Date, clock time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, China)
}

// Why the store refuses a sign-in.
var (
	ErrNotExpected = errors.New("not on the list of the event")
	ErrCancelled   = errors.New("event cancelled")
)

// SignedIn is the outcome of a QR sign-in that was taken.
type SignedIn struct {
	Day     date.Date `json:"day"`
	At      time.Time `json:"at"`      // when the person was marked present
	Already bool      `json:"already"` // they had signed in before: nothing changed
	WalkIn  bool      `json:"walk_in"` // not expected; added because walk-ins are allowed
}
