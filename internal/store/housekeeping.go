package store

import (
	"context"
	"time"

	"dangjian/internal/audit"
)

// What the platform keeps only for a while: the runs of background work
// that ended (each hour's reminder scan and fold leave one, some 17,000 a
// year) and the notifications their readers have read. The audit log and
// everything people entered are kept for good.

// Pruned is what one clearing removed.
type Pruned struct {
	Jobs          int `json:"jobs"`
	Notifications int `json:"notifications"`
}

// PruneFinished removes the jobs that ended before jobsBefore and the
// notifications read before readBefore (unread ones stay however old), and
// records what it removed in the audit log.
func (s *Store) PruneFinished(ctx context.Context, a audit.Actor, jobsBefore, readBefore time.Time) (Pruned, error) {
	var p Pruned
	err := s.inTx(ctx, func(t *tx) error {
		p = Pruned{}
		res, err := t.exec(ctx, "DELETE FROM jobs WHERE status IN ('done', 'failed') AND updated_at < ?", jobsBefore)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		p.Jobs = int(n)
		if res, err = t.exec(ctx, "DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?", readBefore); err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		p.Notifications = int(n)
		if p == (Pruned{}) {
			return nil
		}
		return t.audit(ctx, a, Change{Action: "system.prune", ObjectType: "system", OrgPath: "/",
			After: map[string]any{"jobs": p.Jobs, "jobs_ended_before": jobsBefore, "notifications": p.Notifications, "read_before": readBefore}})
	})
	return p, err
}
