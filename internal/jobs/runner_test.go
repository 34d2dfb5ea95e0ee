package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"dangjian/internal/jobs"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fast settings: tests wait for work, never for a poll interval.
var fast = jobs.Settings{Poll: 10 * time.Millisecond, Lease: time.Minute, MaxAttempts: 3, Workers: 4}

// waitFor polls until cond holds; the limit only keeps a broken test from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

func status(t *testing.T, st *store.Store, key string) *store.Job {
	t.Helper()
	j, err := st.JobByKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func enqueue(t *testing.T, st *store.Store, kind, key string, due time.Time) {
	t.Helper()
	if _, err := st.EnqueueJob(context.Background(), &store.Job{Kind: kind, DedupeKey: key, DueAt: due}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryJobRunsOnceAcrossTwoInstances: two instances on one database
// share fifty due jobs; each runs exactly once.
func TestEveryJobRunsOnceAcrossTwoInstances(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		a, b := storetest.OpenTwice(t, d, nil)
		var mu sync.Mutex
		runs := map[string]int{}
		h := map[string]jobs.Handler{"count": func(ctx context.Context, j *store.Job, p jobs.Progress) (any, error) {
			mu.Lock()
			runs[j.DedupeKey]++
			mu.Unlock()
			return j.DedupeKey, nil
		}}
		for i := range 50 {
			enqueue(t, a, "count", fmt.Sprintf("job-%d", i), time.Time{})
		}
		ra, rb := jobs.New(a, quiet, h, fast), jobs.New(b, quiet, h, fast)
		ra.Start()
		rb.Start()
		waitFor(t, "fifty jobs done", func() bool {
			for i := range 50 {
				if status(t, a, fmt.Sprintf("job-%d", i)).Status != "done" {
					return false
				}
			}
			return true
		})
		ra.Drain(context.Background())
		rb.Drain(context.Background())
		for i := range 50 {
			key := fmt.Sprintf("job-%d", i)
			if runs[key] != 1 {
				t.Errorf("%s ran %d times", key, runs[key])
			}
			if j := status(t, a, key); j.Result != `"`+key+`"` || j.Attempts != 1 {
				t.Errorf("%s: result %s after %d attempts", key, j.Result, j.Attempts)
			}
		}
	})
}

// TestJobOfADeadInstanceIsTakenOver: an instance claims a job and dies; once
// its lease has run out another instance runs the job.
func TestJobOfADeadInstanceIsTakenOver(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock()
		a, b := storetest.OpenTwice(t, d, clock.Now)
		enqueue(t, a, "work", "orphan", time.Time{})
		if _, err := a.ClaimJob(context.Background(), []string{"work"}, "dead-instance", time.Minute); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{}, 1)
		r := jobs.New(b, quiet, map[string]jobs.Handler{"work": func(context.Context, *store.Job, jobs.Progress) (any, error) {
			done <- struct{}{}
			return nil, nil
		}}, fast)
		r.Start()
		defer r.Drain(context.Background())
		time.Sleep(50 * time.Millisecond) // several polls: the lease still holds
		if j := status(t, b, "orphan"); j.Status != "running" {
			t.Fatalf("a job under a live lease was taken: %s", j.Status)
		}
		clock.Advance(2 * time.Minute)
		r.Wake()
		waitFor(t, "the orphan done", func() bool { return status(t, b, "orphan").Status == "done" })
		if j := status(t, b, "orphan"); j.Attempts != 2 {
			t.Fatalf("attempts %d, want 2 (the dead one and the takeover)", j.Attempts)
		}
	})
}

// TestWorkDueDuringDowntimeRunsAtStart: jobs that fell due while no
// instance ran are found by the first look after start; future ones wait.
func TestWorkDueDuringDowntimeRunsAtStart(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock()
		st := storetest.Open(t, d, clock.Now)
		enqueue(t, st, "remind", "yesterday", clock.Now().Add(-24*time.Hour))
		enqueue(t, st, "remind", "next-week", clock.Now().Add(7*24*time.Hour))
		r := jobs.New(st, quiet, map[string]jobs.Handler{"remind": func(context.Context, *store.Job, jobs.Progress) (any, error) { return nil, nil }}, fast)
		r.Start()
		defer r.Drain(context.Background())
		waitFor(t, "yesterday's reminder sent", func() bool { return status(t, st, "yesterday").Status == "done" })
		if j := status(t, st, "next-week"); j.Status != "pending" {
			t.Fatalf("next week's reminder is %s already", j.Status)
		}
	})
}

// TestDrainHandsBackAJobCutOff: stopping with a job still running cancels it
// after the deadline and hands it back; the next instance runs it whole.
func TestDrainHandsBackAJobCutOff(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		st := storetest.Open(t, d, nil)
		enqueue(t, st, "long", "import", time.Time{})
		started := make(chan struct{})
		r := jobs.New(st, quiet, map[string]jobs.Handler{"long": func(ctx context.Context, j *store.Job, p jobs.Progress) (any, error) {
			close(started)
			<-ctx.Done() // a job that takes longer than the drain allows
			return nil, ctx.Err()
		}}, fast)
		r.Start()
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		r.Drain(ctx)
		if j := status(t, st, "import"); j.Status != "pending" || j.Error == "" {
			t.Fatalf("after the drain the job is %s (%q), want pending with the reason", j.Status, j.Error)
		}
		again := jobs.New(st, quiet, map[string]jobs.Handler{"long": func(context.Context, *store.Job, jobs.Progress) (any, error) { return "whole", nil }}, fast)
		again.Start()
		defer again.Drain(context.Background())
		waitFor(t, "the job run again", func() bool { return status(t, st, "import").Status == "done" })
	})
}

// TestFailingJobIsRetriedThenFailed: an error is tried again later, up to
// the limit; then the job is failed with the reason.
func TestFailingJobIsRetriedThenFailed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clock := storetest.NewClock()
		st := storetest.Open(t, d, clock.Now)
		enqueue(t, st, "flaky", "flaky", time.Time{})
		enqueue(t, st, "broken", "broken", time.Time{})
		var mu sync.Mutex
		tries := 0
		slow := fast
		slow.Lease = time.Hour // the test moves the clock on by minutes: no lease may run out meanwhile
		r := jobs.New(st, quiet, map[string]jobs.Handler{
			"flaky": func(context.Context, *store.Job, jobs.Progress) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				if tries++; tries < 3 {
					return nil, errors.New("database busy")
				}
				return "ok", nil
			},
			"broken": func(context.Context, *store.Job, jobs.Progress) (any, error) { panic("bug") },
		}, slow)
		r.Start()
		defer r.Drain(context.Background())
		ended := func(j *store.Job) bool { return j.Status == "done" || j.Status == "failed" }
		waitFor(t, "both ended", func() bool {
			f, b := status(t, st, "flaky"), status(t, st, "broken")
			if ended(f) && ended(b) {
				return true
			}
			if f.Status != "running" && b.Status != "running" { // a retry is due later: let time pass
				clock.Advance(5 * time.Minute)
				r.Wake()
			}
			return false
		})
		if f, b := status(t, st, "flaky"), status(t, st, "broken"); f.Status != "done" || f.Attempts != 3 || b.Status != "failed" {
			t.Fatalf("flaky %s after %d attempts (want done after 3), broken %s", f.Status, f.Attempts, b.Status)
		}
		if j := status(t, st, "broken"); j.Attempts != 3 || j.Error == "" {
			t.Fatalf("broken job: %d attempts, reason %q", j.Attempts, j.Error)
		}
	})
}

// TestSameKeyIsOneJob: scheduling the same reminder twice makes one job.
func TestSameKeyIsOneJob(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		st := storetest.Open(t, d, nil)
		ctx := context.Background()
		first, err := st.EnqueueJob(ctx, &store.Job{Kind: "remind", DedupeKey: "meeting-7-2026-07"})
		if err != nil || !first {
			t.Fatalf("first: %v %v", first, err)
		}
		second, err := st.EnqueueJob(ctx, &store.Job{Kind: "remind", DedupeKey: "meeting-7-2026-07"})
		if err != nil || second {
			t.Fatalf("second enqueue of the same key: added=%v %v", second, err)
		}
	})
}
