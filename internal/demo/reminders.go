package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/notify/remind"
	"dangjian/internal/store"
)

// replayDays is how many days of reminders the demo's users find waiting:
// the scans of the last week, as the hourly job would have run them.
const replayDays = 7

// replayReminders gives the demo's users the notifications they would have
// had over the last week — made by the reminder job from the demo's own
// events, calendar and make-ups, as of today (late afternoon when today is
// not the store's day). It runs after everything else is made.
func replayReminders(ctx context.Context, st *store.Store, today date.Date) error {
	now := st.Now()
	if date.FromTime(now.In(event.China)) != today {
		now = time.Date(today.Year(), today.Month(), today.Day(), 17, 0, 0, 0, event.China)
	}
	if _, _, err := remind.New(st, slog.New(slog.DiscardHandler), "demo").Replay(ctx, now, replayDays); err != nil {
		return fmt.Errorf("demo: reminders: %w", err)
	}
	return nil
}
