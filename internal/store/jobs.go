package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"dangjian/internal/errs"
)

// Job is a piece of durable background work (package jobs runs them). Its
// Input (an uploaded file) is kept only until the job ends.
type Job struct {
	ID        int64
	Kind      string
	DedupeKey string // when set, a second job with the same key is not added
	UserID    int64  // who asked; 0 for the system's own work
	Label     string // what the user sees, e.g. the file name
	Payload   string // the job's arguments as JSON
	Input     []byte
	Status    string // pending, running, done, failed
	DueAt     time.Time
	Attempts  int
	Done      int // progress: Done of Total
	Total     int
	Result    string // the outcome as JSON, when done
	Error     string // why it failed
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ErrJobLost means a job is no longer held by the instance that asked: its
// lease ran out and another instance took it over.
var ErrJobLost = errors.New("job lease lost")

const jobCols = `id, kind, COALESCE(dedupe_key, ''), COALESCE(user_id, 0), label, payload, status, due_at, attempts, done, total,
	result, error, created_at, updated_at`

func scanJob(r scanner, withInput bool) (*Job, error) {
	var j Job
	dest := []any{&j.ID, &j.Kind, &j.DedupeKey, &j.UserID, &j.Label, &j.Payload, &j.Status, &j.DueAt, &j.Attempts, &j.Done, &j.Total,
		&j.Result, &j.Error, &j.CreatedAt, &j.UpdatedAt}
	if withInput {
		dest = append(dest, &j.Input)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, mapErr(err)
	}
	return &j, nil
}

// EnqueueJob adds a pending job, due at j.DueAt (now when zero), and sets its
// ID. A job whose DedupeKey is already taken is not added: added is false and
// j is left as it was, so two instances scheduling the same reminder make one.
func (s *Store) EnqueueJob(ctx context.Context, j *Job) (added bool, err error) {
	now := s.Now()
	if j.DueAt.IsZero() {
		j.DueAt = now
	}
	err = s.inTx(ctx, func(t *tx) error {
		id, err := t.insert(ctx, `INSERT INTO jobs (kind, dedupe_key, user_id, label, payload, input, status, due_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
			j.Kind, nullString(j.DedupeKey), nullID(j.UserID), j.Label, j.Payload, j.Input, j.DueAt.UTC(), now, now)
		j.ID = id
		return err
	})
	var c *errs.Conflict
	if j.DedupeKey != "" && errors.As(err, &c) && c.Key == "conflict.duplicate" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	j.Status, j.CreatedAt, j.UpdatedAt = "pending", now, now
	return true, nil
}

// ClaimJob takes the next due job of the given kinds for an instance, for
// the length of a lease, in one conditional UPDATE: a pending job that is
// due, or a running one whose lease ran out (its instance died). Two
// instances never hold the same job: the second's UPDATE finds the job no
// longer claimable and changes nothing. errs.ErrNotFound when nothing is due.
func (s *Store) ClaimJob(ctx context.Context, kinds []string, instance string, lease time.Duration) (*Job, error) {
	if len(kinds) == 0 {
		return nil, errs.ErrNotFound
	}
	now := s.Now()
	claimable := "((status = 'pending' AND due_at <= ?) OR (status = 'running' AND lease_until < ?)) AND kind IN (" + placeholders(len(kinds)) + ")"
	args := []any{now, now}
	for _, k := range kinds {
		args = append(args, k)
	}
	var j *Job
	err := s.inTx(ctx, func(t *tx) error {
		q := `UPDATE jobs SET status = 'running', claimed_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = (SELECT id FROM jobs WHERE ` + claimable + ` ORDER BY due_at, id LIMIT 1) AND ` + claimable +
			` RETURNING ` + jobCols + `, input`
		all := append([]any{instance, now.Add(lease), now}, args...)
		var err error
		j, err = scanJob(t.queryRow(ctx, q, append(all, args...)...), true)
		return err
	})
	return j, err
}

// RenewJob extends the lease of a job the instance holds and records its
// progress; ErrJobLost when the job is no longer the instance's.
func (s *Store) RenewJob(ctx context.Context, id int64, instance string, lease time.Duration, done, total int) error {
	now := s.Now()
	return s.ownJob(ctx, `UPDATE jobs SET lease_until = ?, done = ?, total = ?, updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'running'`,
		now.Add(lease), done, total, now, id, instance)
}

// FinishJob records the end of a job the instance holds: done with its
// result, or failed with the reason. The input is dropped.
func (s *Store) FinishJob(ctx context.Context, id int64, instance string, failed bool, result, reason string) error {
	status := "done"
	if failed {
		status = "failed"
	}
	return s.ownJob(ctx, `UPDATE jobs SET status = ?, result = ?, error = ?, input = NULL, lease_until = NULL, updated_at = ?
		WHERE id = ? AND claimed_by = ? AND status = 'running'`, status, result, cut(reason, 2000), s.Now(), id, instance)
}

// ReleaseJob hands a job the instance holds back, due at dueAt: when the
// instance stops before the job ends, or to try a failed job again later.
func (s *Store) ReleaseJob(ctx context.Context, id int64, instance string, dueAt time.Time, reason string) error {
	return s.ownJob(ctx, `UPDATE jobs SET status = 'pending', claimed_by = '', lease_until = NULL, due_at = ?, error = ?, updated_at = ?
		WHERE id = ? AND claimed_by = ? AND status = 'running'`, dueAt.UTC(), cut(reason, 2000), s.Now(), id, instance)
}

func (s *Store) ownJob(ctx context.Context, q string, args ...any) error {
	return s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(ErrJobLost, err)
		}
		return nil
	})
}

// JobOf reads a job of the user (its input left out); other users' jobs are
// not found.
func (s *Store) JobOf(ctx context.Context, userID, id int64) (*Job, error) {
	return scanJob(s.queryRow(ctx, "SELECT "+jobCols+" FROM jobs WHERE id = ? AND user_id = ?", id, userID), false)
}

// JobByKey reads the job with a dedupe key (its input left out).
func (s *Store) JobByKey(ctx context.Context, key string) (*Job, error) {
	return scanJob(s.queryRow(ctx, "SELECT "+jobCols+" FROM jobs WHERE dedupe_key = ?", key), false)
}

// cut keeps a text within n bytes, on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// LastJob reads the most recently ended job of a kind (done or failed).
func (s *Store) LastJob(ctx context.Context, kind string) (*Job, error) {
	return scanJob(s.queryRow(ctx, "SELECT "+jobCols+` FROM jobs WHERE kind = ? AND status IN ('done', 'failed')
		ORDER BY updated_at DESC, id DESC LIMIT 1`, kind), false)
}

// JobCounts counts the jobs by kind and status, for monitoring.
func (s *Store) JobCounts(ctx context.Context) (map[[2]string]int, error) {
	rows, err := s.query(ctx, "SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]int{}
	for rows.Next() {
		var kind, status string
		var n int
		if err := rows.Scan(&kind, &status, &n); err != nil {
			return nil, err
		}
		out[[2]string{kind, status}] = n
	}
	return out, rows.Err()
}
