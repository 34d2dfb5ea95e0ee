package store

import (
	"context"
	"time"
)

// ImportJob is a roster import running in the background. Its Report is the
// importer's outcome as JSON, written once when the job ends.
type ImportJob struct {
	ID        int64
	UserID    int64
	FileName  string
	Status    string // running, done, rejected (the file had problems), failed
	Done      int
	Total     int
	Report    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StaleAfter is how long a running job may go without progress before it is
// taken as cut off (its instance stopped).
const StaleAfter = 2 * time.Minute

// Stale reports whether a running job stopped moving.
func (j *ImportJob) Stale(now time.Time) bool {
	return j.Status == "running" && now.Sub(j.UpdatedAt) > StaleAfter
}

// StartImportJob records a job for the user and returns it.
func (s *Store) StartImportJob(ctx context.Context, userID int64, fileName string) (*ImportJob, error) {
	j := &ImportJob{UserID: userID, FileName: fileName, Status: "running", CreatedAt: s.Now(), UpdatedAt: s.Now()}
	err := s.inTx(ctx, func(t *tx) error {
		id, err := t.insert(ctx, `INSERT INTO import_jobs (user_id, file_name, status, done, total, report, created_at, updated_at)
			VALUES (?, ?, 'running', 0, 0, '', ?, ?)`, userID, fileName, j.CreatedAt, j.UpdatedAt)
		j.ID = id
		return err
	})
	return j, err
}

// ImportProgress records how far a running job has come.
func (s *Store) ImportProgress(ctx context.Context, id int64, done, total int) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE import_jobs SET done = ?, total = ?, updated_at = ? WHERE id = ? AND status = 'running'`),
		done, total, s.Now(), id)
	return mapErr(err)
}

// FinishImportJob records the outcome of a job.
func (s *Store) FinishImportJob(ctx context.Context, id int64, status, report string) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE import_jobs SET status = ?, report = ?, updated_at = ? WHERE id = ?`),
		status, report, s.Now(), id)
	return mapErr(err)
}

// ImportJobOf reads a job of the user; other users' jobs are not found.
func (s *Store) ImportJobOf(ctx context.Context, userID, id int64) (*ImportJob, error) {
	var j ImportJob
	err := s.queryRow(ctx, `SELECT id, user_id, file_name, status, done, total, report, created_at, updated_at
		FROM import_jobs WHERE id = ? AND user_id = ?`, id, userID).
		Scan(&j.ID, &j.UserID, &j.FileName, &j.Status, &j.Done, &j.Total, &j.Report, &j.CreatedAt, &j.UpdatedAt)
	if err != nil {
		return nil, mapErr(err)
	}
	return &j, nil
}
