// Package jobs runs durable background work inside the server: an import
// uploaded through one instance, a reminder due next week. Work is a row in
// the database (store.Job); any instance claims what is due with one
// conditional UPDATE and holds it on a lease it keeps renewing, so two
// instances never run a job twice, a job whose instance died is taken over
// when its lease runs out, and work that fell due while every instance was
// down is found at the next start. Stopping drains: no new claims, running
// jobs get until the deadline, then are cancelled and handed back.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"dangjian/internal/errs"
	"dangjian/internal/store"
)

// Handler does one kind of job. It reports progress as it goes and returns
// the outcome (stored as JSON) or an error; an error is tried again later,
// up to MaxAttempts. It must stop promptly when ctx is cancelled.
type Handler func(ctx context.Context, j *store.Job, progress Progress) (result any, err error)

// Progress records how far a job has come; it is cheap to call often.
type Progress func(done, total int)

// Settings tune a runner; the zero value of a field means its default.
type Settings struct {
	Poll        time.Duration // how often to look for due work when not woken (default 5 s)
	Lease       time.Duration // how long a claim holds without renewal (default 1 min)
	MaxAttempts int           // tries before a job is failed for good (default 3)
	Workers     int           // jobs run at once by this instance (default 2)
}

// Runner claims and runs due jobs of the kinds it has handlers for.
type Runner struct {
	st       *store.Store
	log      *slog.Logger
	handlers map[string]Handler
	kinds    []string
	set      Settings
	instance string // names this instance's claims

	wake    chan struct{}
	running sync.WaitGroup
	stop    context.CancelFunc // stops claiming
	cancel  context.CancelFunc // cancels running jobs (drain deadline passed)
	work    context.Context
}

// New prepares a runner; Start sets it going.
func New(st *store.Store, log *slog.Logger, handlers map[string]Handler, set Settings) *Runner {
	if set.Poll <= 0 {
		set.Poll = 5 * time.Second
	}
	if set.Lease <= 0 {
		set.Lease = time.Minute
	}
	if set.MaxAttempts <= 0 {
		set.MaxAttempts = 3
	}
	if set.Workers <= 0 {
		set.Workers = 2
	}
	b := make([]byte, 8)
	rand.Read(b)
	work, cancel := context.WithCancel(context.Background())
	return &Runner{st: st, log: log, handlers: handlers, kinds: slices.Sorted(maps.Keys(handlers)), set: set,
		instance: hex.EncodeToString(b), wake: make(chan struct{}, 1), work: work, cancel: cancel, stop: func() {}}
}

// Start claims and runs due work until Drain. Work that fell due while the
// service was down is due now, so the first look finds it.
func (r *Runner) Start() {
	ctx, stop := context.WithCancel(context.Background())
	r.stop = stop
	slots := make(chan struct{}, r.set.Workers)
	r.running.Go(func() {
		t := time.NewTicker(r.set.Poll)
		defer t.Stop()
		for {
			for r.claimOne(ctx, slots) {
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-r.wake:
			}
		}
	})
}

// Wake makes the runner look for due work now (after an enqueue).
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Drain stops claiming and waits for running jobs; when ctx ends first they
// are cancelled and handed back to be run again (by any instance).
func (r *Runner) Drain(ctx context.Context) {
	r.stop()
	finished := make(chan struct{})
	go func() { r.running.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-ctx.Done():
		r.cancel()
		<-finished
	}
}

// claimOne takes one due job if a worker slot is free, and reports whether
// it did (so the loop looks again at once).
func (r *Runner) claimOne(ctx context.Context, slots chan struct{}) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	// The claim is not cut short by Drain: cancelled between the database's
	// commit and its answer, it would leave the job claimed and run by no
	// one until its lease ran out. A job claimed as the runner stops is run
	// like the others (and handed back if the drain's deadline passes).
	j, err := r.st.ClaimJob(context.WithoutCancel(ctx), r.kinds, r.instance, r.set.Lease)
	if err != nil {
		<-slots
		if !errors.Is(err, errs.ErrNotFound) && ctx.Err() == nil {
			r.log.Error("claim a job", "err", err)
		}
		return false
	}
	r.running.Go(func() {
		defer func() { <-slots }()
		r.run(j)
	})
	return true
}

// run does one claimed job: renews its lease with its progress while it
// runs, then records the outcome.
func (r *Runner) run(j *store.Job) {
	ctx, cancel := context.WithCancel(r.work)
	defer cancel()
	var done, total atomic.Int64
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(min(r.set.Lease/3, time.Second))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				err := r.st.RenewJob(context.Background(), j.ID, r.instance, r.set.Lease, int(done.Load()), int(total.Load()))
				if errors.Is(err, store.ErrJobLost) {
					r.log.Warn("job taken over by another instance", "job", j.ID)
					cancel()
					return
				}
			}
		}
	}()
	result, err := r.call(ctx, j, func(d, t int) { done.Store(int64(d)); total.Store(int64(t)) })
	cancel()
	<-renewed
	bg := context.Background()
	if err := r.st.RenewJob(bg, j.ID, r.instance, r.set.Lease, int(done.Load()), int(total.Load())); errors.Is(err, store.ErrJobLost) {
		return // the instance that holds it now records the outcome
	} else if err != nil { // the last progress is lost, not the outcome
		r.log.Error("record a job's progress", "job", j.ID, "err", err)
	}
	switch {
	case err == nil:
		b, merr := json.Marshal(result)
		if merr != nil {
			err = merr
			break
		}
		if err := r.st.FinishJob(bg, j.ID, r.instance, false, string(b), ""); err != nil {
			r.log.Error("record a job's outcome", "job", j.ID, "err", err)
		}
		return
	case r.work.Err() != nil: // drained: someone runs it again from the start
		if err := r.st.ReleaseJob(bg, j.ID, r.instance, r.st.Now(), "服务停止时中断，将重新执行"); err != nil {
			r.log.Error("hand a job back", "job", j.ID, "err", err)
		}
		return
	}
	r.log.Error("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", err)
	if j.Attempts < r.set.MaxAttempts {
		retry := r.st.Now().Add(time.Duration(j.Attempts) * time.Minute)
		if err := r.st.ReleaseJob(bg, j.ID, r.instance, retry, err.Error()); err != nil {
			r.log.Error("hand a job back", "job", j.ID, "err", err)
		}
		return
	}
	if err := r.st.FinishJob(bg, j.ID, r.instance, true, "", err.Error()); err != nil {
		r.log.Error("record a job's failure", "job", j.ID, "err", err)
	}
}

// call runs the handler, turning a panic into an error so one bad job does
// not stop the instance.
func (r *Runner) call(ctx context.Context, j *store.Job, p Progress) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errors.New("job panicked")
			r.log.Error("job panicked", "job", j.ID, "kind", j.Kind, "panic", v)
		}
	}()
	return r.handlers[j.Kind](ctx, j, p)
}
