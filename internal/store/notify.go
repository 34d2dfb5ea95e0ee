package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/errs"
	"dangjian/internal/notify"
)

// Reminders and the notification centre. A reminder is added once by its
// key, claimed by one instance with one conditional UPDATE, and marked sent
// by the instance that holds it; its in-app notification is unique per
// reminder, so even a delivery tried twice shows once.

// MaxReminderAttempts is how often a reminder whose delivery fails is tried
// before it is left with its error.
const MaxReminderAttempts = 5

// AddReminders adds the reminders whose keys are new and returns how many
// were added; the others are already there (another scan, another instance)
// and are left as they are. The additions are audited as one record.
func (s *Store) AddReminders(ctx context.Context, a audit.Actor, list []notify.Reminder) (int, error) {
	if len(list) == 0 {
		return 0, nil
	}
	now := s.Now()
	added := 0
	err := s.inTx(ctx, func(t *tx) error {
		added = 0
		byKind := map[notify.Kind]int{}
		for _, r := range list {
			if !r.Kind.Valid() || r.UserID == 0 || r.Key == "" {
				return errs.Field("kind", "invalid")
			}
			due := r.DueAt
			if due.IsZero() {
				due = now
			}
			res, err := t.exec(ctx, `INSERT INTO reminders (dedupe_key, kind, user_id, title, body, link, due_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
				cut(r.Key, 500), string(r.Kind), r.UserID, cut(r.Title, 500), cut(r.Body, 2000), cut(r.Link, 500), due.UTC(), now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
				byKind[r.Kind]++
			}
		}
		if added == 0 {
			return nil
		}
		return t.audit(ctx, a, Change{Action: "reminder.add", ObjectType: "reminder", After: map[string]any{"added": added, "by_kind": byKind}})
	})
	return added, err
}

const reminderCols = `id, dedupe_key, kind, user_id, title, body, link, due_at, sent_at, attempts, error, created_at`

func scanReminder(r scanner) (*notify.Reminder, error) {
	var x notify.Reminder
	var sent sql.NullTime
	if err := r.Scan(&x.ID, &x.Key, &x.Kind, &x.UserID, &x.Title, &x.Body, &x.Link, &x.DueAt, &sent, &x.Attempts, &x.Error, &x.CreatedAt); err != nil {
		return nil, mapErr(err)
	}
	x.SentAt = sent.Time
	return &x, nil
}

// ClaimReminder takes the next due, unsent reminder for an instance for the
// length of a lease, in one conditional UPDATE: one that nobody holds, or
// whose holder's lease ran out (its instance died while sending). A second
// instance's UPDATE finds it no longer claimable and changes nothing.
// errs.ErrNotFound when nothing is due.
func (s *Store) ClaimReminder(ctx context.Context, instance string, lease time.Duration) (*notify.Reminder, error) {
	now := s.Now()
	claimable := `sent_at IS NULL AND due_at <= ? AND attempts < ? AND (claimed_until IS NULL OR claimed_until < ?)`
	args := []any{now, MaxReminderAttempts, now}
	var r *notify.Reminder
	err := s.inTx(ctx, func(t *tx) error {
		q := `UPDATE reminders SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM reminders WHERE ` + claimable + ` ORDER BY due_at, id LIMIT 1) AND ` + claimable +
			` RETURNING ` + reminderCols
		all := append([]any{instance, now.Add(lease)}, args...)
		var err error
		r, err = scanReminder(t.queryRow(ctx, q, append(all, args...)...))
		return err
	})
	return r, err
}

// ErrReminderLost means the reminder is no longer held by the instance that
// asked (its lease ran out and another took it, or it was sent).
var ErrReminderLost = errors.New("reminder claim lost")

// FinishReminder records the outcome of a delivery by the instance holding
// the reminder: sent, or failed with the reason and tried again at retry.
func (s *Store) FinishReminder(ctx context.Context, id int64, instance string, failure error, retry time.Time) error {
	now := s.Now()
	q, args := `UPDATE reminders SET sent_at = ?, claimed_until = NULL, error = '' WHERE id = ? AND claimed_by = ? AND sent_at IS NULL`,
		[]any{now, id, instance}
	if failure != nil {
		q, args = `UPDATE reminders SET claimed_by = '', claimed_until = NULL, due_at = ?, error = ? WHERE id = ? AND claimed_by = ? AND sent_at IS NULL`,
			[]any{retry.UTC(), cut(failure.Error(), 2000), id, instance}
	}
	return s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(ErrReminderLost, err)
		}
		return nil
	})
}

// Reminder reads one reminder.
func (s *Store) Reminder(ctx context.Context, id int64) (*notify.Reminder, error) {
	return scanReminder(s.queryRow(ctx, "SELECT "+reminderCols+" FROM reminders WHERE id = ?", id))
}

// ReminderCounts counts reminders waiting (unsent and still to be tried),
// sent, and given up on — the jobs page shows them.
func (s *Store) ReminderCounts(ctx context.Context) (waiting, sent, failed int, err error) {
	err = s.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts >= ? THEN 1 ELSE 0 END), 0) FROM reminders`,
		MaxReminderAttempts, MaxReminderAttempts).Scan(&waiting, &sent, &failed)
	return waiting, sent, failed, mapErr(err)
}

// NextReminderDue is the due time of the earliest unsent reminder (zero for none).
func (s *Store) NextReminderDue(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.queryRow(ctx, `SELECT due_at FROM reminders WHERE sent_at IS NULL AND attempts < ? ORDER BY due_at LIMIT 1`, MaxReminderAttempts).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return at, mapErr(err)
}
