package jobs

import (
	"context"
	"time"

	"dangjian/internal/store"
)

// Chain is a job that runs every Every on slots aligned to it (the hour's
// reminder scan, the hourly fold). Schedule queues the current slot when
// the server starts — at each start what came due while it was down runs
// at once, and every instance asks for the same slot, so its dedupe key
// keeps one. Each run queues the next slot before its work, so a failure
// does not end the chain.
type Chain struct {
	Store *store.Store
	Kind  string
	Label string // 定时任务's name for it
	Every time.Duration
}

// Schedule queues the slot now falls in.
func (c Chain) Schedule(ctx context.Context) error {
	return c.enqueue(ctx, c.Store.Now().Truncate(c.Every))
}

// Run is the chain's handler: the next slot queued, then work.
func (c Chain) Run(work Handler) Handler {
	return func(ctx context.Context, j *store.Job, p Progress) (any, error) {
		if err := c.enqueue(ctx, c.Store.Now().Truncate(c.Every).Add(c.Every)); err != nil {
			return nil, err
		}
		return work(ctx, j, p)
	}
}

func (c Chain) enqueue(ctx context.Context, slot time.Time) error {
	_, err := c.Store.EnqueueJob(ctx, &store.Job{Kind: c.Kind, DedupeKey: c.Kind + "@" + slot.UTC().Format(time.RFC3339),
		Label: c.Label, DueAt: slot})
	return err
}
