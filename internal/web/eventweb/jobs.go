package eventweb

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/event"
	"dangjian/internal/jobs"
	"dangjian/internal/store"
)

// freezeJob takes an event's expected list from the roster at its planned
// start, so the list is the roster of the day it began even when the
// secretary records it days later.
const freezeJob = "event.freeze"

type freezePayload struct {
	EventID int64 `json:"event_id"`
}

// scheduleFreeze queues the freeze of a planned event at its start; the
// dedupe key (event and start) keeps one job however often it is saved or
// on however many instances. A failure here is only logged: the list is
// frozen at the first mark or sign-in anyway.
func (s *area) scheduleFreeze(ctx context.Context, e *event.Event) {
	if e.Status != event.Planned || !e.FrozenAt.IsZero() {
		return
	}
	payload, _ := json.Marshal(freezePayload{e.ID})
	j := &store.Job{Kind: freezeJob, DedupeKey: freezeJob + ":" + strconv.FormatInt(e.ID, 10) + ":" + strconv.FormatInt(e.PlannedStart.Unix(), 10),
		Label: e.Title, Payload: string(payload), DueAt: e.PlannedStart}
	if err := s.Enqueue(ctx, j); err != nil {
		s.Log().Warn("schedule the freeze of an event's list", "event", e.ID, "err", err)
	}
}

func (s *area) runFreeze(ctx context.Context, j *store.Job, _ jobs.Progress) (any, error) {
	var p freezePayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return nil, err
	}
	err := s.st.FreezeEvent(ctx, audit.Actor{Username: "system", IP: "job"}, p.EventID)
	return map[string]int64{"event_id": p.EventID}, err
}

// foldJob folds the differences that marks left beside their events'
// tallies into the tallies (store.FoldTallies), every foldEvery. Only
// PostgreSQL leaves any: there sign-ins to one event must not queue on its
// row. The figures are right before a fold; folding keeps them fast.
const foldJob = "event.fold_tallies"

const foldEvery = time.Hour

func (s *area) folds() jobs.Chain {
	return jobs.Chain{Store: s.st, Kind: foldJob, Label: "活动统计汇总", Every: foldEvery}
}

func (s *area) runFold(ctx context.Context, _ *store.Job, _ jobs.Progress) (any, error) {
	n, err := s.st.FoldTallies(ctx)
	return map[string]int64{"folded": n}, err
}
