package store

import (
	"context"
	"database/sql"

	"dangjian/internal/audit"
	"dangjian/internal/notify"
)

// DeliverInApp puts a reminder in its user's notification centre. A
// reminder delivered twice (a delivery cut short and tried again) is there
// once.
func (s *Store) DeliverInApp(ctx context.Context, r notify.Reminder) error {
	return s.inTx(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO notifications (user_id, reminder_id, kind, title, body, link, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reminder_id) DO NOTHING`,
			r.UserID, nullID(r.ID), string(r.Kind), r.Title, r.Body, r.Link, s.Now())
		return err
	})
}

// NotificationFilter narrows a user's notifications.
type NotificationFilter struct {
	UnreadOnly bool
	Limit      int // default 20, at most 100
	Offset     int
}

const notificationCols = `id, user_id, kind, title, body, link, created_at, read_at`

func scanNotification(r scanner) (notify.Notification, error) {
	var n notify.Notification
	var read sql.NullTime
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read)
	n.ReadAt = read.Time
	return n, mapErr(err)
}

// Notifications lists a user's notifications newest first, a page at a
// time, with the number matching the filter. Nobody reads another's.
func (s *Store) Notifications(ctx context.Context, userID int64, f NotificationFilter) ([]notify.Notification, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Limit = min(f.Limit, 100)
	where := "user_id = ?"
	if f.UnreadOnly {
		where += " AND read_at IS NULL"
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE "+where, userID).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := s.query(ctx, "SELECT "+notificationCols+" FROM notifications WHERE "+where+" ORDER BY id DESC LIMIT ? OFFSET ?",
		userID, f.Limit, max(f.Offset, 0))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []notify.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// UnreadCount is the number the page header shows: one indexed count.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n)
	return n, mapErr(err)
}

// ReadNotification marks one of the user's notifications read (reading it
// again changes nothing) and returns it; another user's is not found.
func (s *Store) ReadNotification(ctx context.Context, a audit.Actor, userID, id int64) (*notify.Notification, error) {
	var out notify.Notification
	err := s.inTx(ctx, func(t *tx) error {
		n, err := scanNotification(t.queryRow(ctx, "SELECT "+notificationCols+" FROM notifications WHERE id = ? AND user_id = ?", id, userID))
		if err != nil {
			return err
		}
		out = n
		if !n.Unread() {
			return nil
		}
		out.ReadAt = s.Now()
		if _, err := t.exec(ctx, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", out.ReadAt, id); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "notification.read", ObjectType: "notification", ObjectID: id,
			Before: map[string]any{"read": false}, After: map[string]any{"read": true}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ReadAllNotifications marks every unread notification of the user read and
// returns how many were.
func (s *Store) ReadAllNotifications(ctx context.Context, a audit.Actor, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", s.Now(), userID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return t.audit(ctx, a, Change{Action: "notification.read_all", ObjectType: "notification", After: map[string]any{"read": n}})
	})
	return int(n), err
}
