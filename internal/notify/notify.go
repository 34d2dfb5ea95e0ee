// Package notify is what the platform tells people without being asked: a
// reminder (an event tomorrow, a required meeting due in a week or overdue,
// a make-up outstanding) is made once, waits for its due time, and is then
// delivered through every Sender — the in-app notification centre always,
// SMS or e-mail where an installation plugs one in. The package holds the
// types and the rules of when and to whom; it imports neither SQL nor HTTP.
package notify

import (
	"context"
	"time"
)

// Kind is what a reminder is about.
type Kind string

const (
	EventTomorrow  Kind = "event_tomorrow"  // to those expected at an event the next day
	MeetingDue     Kind = "meeting_due"     // a required meeting not yet held, its period ends within a week
	MeetingOverdue Kind = "meeting_overdue" // the period ended without it
	Makeup         Kind = "makeup"          // a missed learning session not yet made up
)

// Kinds in display order.
var Kinds = []Kind{EventTomorrow, MeetingDue, MeetingOverdue, Makeup}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Reminder is one message to one user, due at a time. Key makes it unique:
// whoever scans twice, or two instances scanning at once, make one.
type Reminder struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Kind      Kind      `json:"kind"`
	UserID    int64     `json:"user_id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link"` // the page it is about, a path on this site
	DueAt     time.Time `json:"due_at"`
	SentAt    time.Time `json:"sent_at"`
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error"`
	CreatedAt time.Time `json:"created_at"`
}

// Notification is a delivered reminder in a user's notification centre.
type Notification struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	Kind      Kind      `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	ReadAt    time.Time `json:"read_at"` // zero while unread
}

// Unread reports whether the user has not read it yet.
func (n Notification) Unread() bool { return n.ReadAt.IsZero() }

// Sender delivers a reminder through one channel. Send must be safe to call
// again for the same reminder (a delivery cut short is tried again): the
// in-app sender keeps one notification per reminder; an SMS or e-mail
// gateway should pass r.Key as its idempotency key where it has one.
type Sender interface {
	// Name names the channel in logs and in a failed reminder's error.
	Name() string
	Send(ctx context.Context, r Reminder) error
}
