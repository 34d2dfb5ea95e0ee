package store

import (
	"context"
	"time"
)

// JobKindRuns is one kind of background work as the operations page shows
// it: its last run that ended, the next run waiting, and how many are in
// each state.
type JobKindRuns struct {
	Kind    string
	Last    *Job // nil when none has ended yet
	NextDue time.Time
	Pending int
	Running int
	Done    int
	Failed  int
}

// JobRuns summarises the queue kind by kind, for the kinds named (the
// runner's) and any other found in the table.
func (s *Store) JobRuns(ctx context.Context, kinds []string) ([]JobKindRuns, error) {
	rows, err := s.query(ctx, `SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	byKind := map[string]*JobKindRuns{}
	var order []string
	get := func(k string) *JobKindRuns {
		if r, ok := byKind[k]; ok {
			return r
		}
		byKind[k] = &JobKindRuns{Kind: k}
		order = append(order, k)
		return byKind[k]
	}
	for _, k := range kinds {
		get(k)
	}
	for rows.Next() {
		var kind, status string
		var n int
		if err := rows.Scan(&kind, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		r := get(kind)
		switch status {
		case "pending":
			r.Pending = n
		case "running":
			r.Running = n
		case "done":
			r.Done = n
		case "failed":
			r.Failed = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]JobKindRuns, 0, len(order))
	for _, k := range order {
		r := byKind[k]
		if r.Pending > 0 {
			// SQLite gives an aggregate's time back as text: the earliest by ORDER BY.
			var due time.Time
			if err := s.queryRow(ctx, `SELECT due_at FROM jobs WHERE kind = ? AND status = 'pending' ORDER BY due_at LIMIT 1`, k).Scan(&due); err != nil {
				return nil, mapErr(err)
			}
			r.NextDue = due
		}
		if r.Done+r.Failed > 0 {
			if r.Last, err = s.LastJob(ctx, k); err != nil {
				return nil, err
			}
		}
		out = append(out, *r)
	}
	return out, nil
}

// RecentJobs lists the latest jobs of every kind, newest first (their
// input left out).
func (s *Store) RecentJobs(ctx context.Context, limit int) ([]Job, error) {
	rows, err := s.query(ctx, "SELECT "+jobCols+" FROM jobs ORDER BY updated_at DESC, id DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}
