package opsweb

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"time"

	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// 定时任务: the system administrator's view of the durable job queue — each
// kind of work with its last run, outcome and next run, the latest runs,
// and the reminders waiting to go out.

type jobKindView struct {
	Kind, Label        string
	LastAt, LastStatus string
	LastOutcome        string
	LastFailed         bool
	Next               string
	Pending, Running   int
	Done, Failed       int
}

type jobRunView struct {
	ID                 int64
	Label, KindLabel   string
	Status, StatusText string
	Due, Updated       string
	Attempts           int
	Outcome            string
}

type jobsPage struct {
	web.Layout
	Kinds                                   []jobKindView
	Runs                                    []jobRunView
	RemindWaiting, RemindSent, RemindFailed int
	RemindNext                              string
}

func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(web.China).Format("2006-01-02 15:04")
}

func kindLabel(k string) string {
	if msg.Has("job_kind." + k) {
		return msg.Text("job_kind." + k)
	}
	return k
}

// handledKinds are the kinds the mounted areas run.
func (s *area) handledKinds() []string {
	var kinds []string
	for _, a := range s.Areas() {
		if j, ok := a.(web.JobHandlers); ok {
			kinds = append(kinds, slices.Collect(maps.Keys(j.Jobs()))...)
		}
	}
	slices.Sort(kinds)
	return kinds
}

func outcome(j *store.Job) string {
	if j.Status == "failed" {
		return j.Error
	}
	return j.Result
}

// outcomeText is a run's outcome in words where its kind reports counts
// (the reminder scan), otherwise as it was stored.
func outcomeText(j *store.Job) string {
	var pruned store.Pruned
	if j.Status == "done" && j.Kind == housekeepingKind && json.Unmarshal([]byte(j.Result), &pruned) == nil {
		return msg.Format("job.housekeeping_outcome", pruned.Jobs, pruned.Notifications)
	}
	var counts struct {
		Added, Sent, Failed *int
	}
	if j.Status != "done" || j.Kind != "remind.scan" || json.Unmarshal([]byte(j.Result), &counts) != nil ||
		counts.Added == nil || counts.Sent == nil || counts.Failed == nil {
		return outcome(j)
	}
	return msg.Format("job.remind_outcome", *counts.Added, *counts.Sent, *counts.Failed)
}

func (s *area) jobsData(r *http.Request) (jobsPage, error) {
	ctx := r.Context()
	var p jobsPage
	kinds, err := s.st.JobRuns(ctx, s.handledKinds())
	if err != nil {
		return p, err
	}
	for _, k := range kinds {
		v := jobKindView{Kind: k.Kind, Label: kindLabel(k.Kind), Next: clock(k.NextDue), Pending: k.Pending, Running: k.Running, Done: k.Done, Failed: k.Failed}
		if k.Last != nil {
			v.LastAt, v.LastStatus, v.LastOutcome, v.LastFailed = clock(k.Last.UpdatedAt), msg.Text("job_status."+k.Last.Status), outcomeText(k.Last), k.Last.Status == "failed"
		}
		p.Kinds = append(p.Kinds, v)
	}
	runs, err := s.st.RecentJobs(ctx, 50)
	if err != nil {
		return p, err
	}
	for _, j := range runs {
		p.Runs = append(p.Runs, jobRunView{ID: j.ID, Label: j.Label, KindLabel: kindLabel(j.Kind), Status: j.Status, StatusText: msg.Text("job_status." + j.Status),
			Due: clock(j.DueAt), Updated: clock(j.UpdatedAt), Attempts: j.Attempts, Outcome: outcomeText(&j)})
	}
	if p.RemindWaiting, p.RemindSent, p.RemindFailed, err = s.st.ReminderCounts(ctx); err != nil {
		return p, err
	}
	next, err := s.st.NextReminderDue(ctx)
	p.RemindNext = clock(next)
	return p, err
}

func (s *area) jobsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.jobsData(r)
	if err != nil {
		return err
	}
	p.Layout = s.Base(c, "定时任务", "/admin/jobs")
	return s.Render(w, r, http.StatusOK, "jobs", p)
}

// jobKindOut is a kind of background work as the API shows it.
type jobKindOut struct {
	Kind        string   `json:"kind"`
	Label       string   `json:"label"`
	LastAt      web.Time `json:"last_at"`
	LastStatus  string   `json:"last_status"` // done or failed; empty before the first run ends
	LastOutcome string   `json:"last_outcome"`
	NextDue     web.Time `json:"next_due"`
	Pending     int      `json:"pending"`
	Running     int      `json:"running"`
	Done        int      `json:"done"`
	Failed      int      `json:"failed"`
}

type remindersOut struct {
	Waiting int      `json:"waiting"`
	Sent    int      `json:"sent"`
	Failed  int      `json:"failed"`
	NextDue web.Time `json:"next_due"`
}

type jobsOut struct {
	Kinds     []jobKindOut `json:"kinds"`
	Reminders remindersOut `json:"reminders"`
}

func (s *area) apiJobs(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	kinds, err := s.st.JobRuns(ctx, s.handledKinds())
	if err != nil {
		return err
	}
	out := jobsOut{Kinds: []jobKindOut{}}
	for _, k := range kinds {
		o := jobKindOut{Kind: k.Kind, Label: kindLabel(k.Kind), NextDue: web.Time{Time: k.NextDue}, Pending: k.Pending, Running: k.Running, Done: k.Done, Failed: k.Failed}
		if k.Last != nil {
			o.LastAt, o.LastStatus, o.LastOutcome = web.Time{Time: k.Last.UpdatedAt}, k.Last.Status, outcome(k.Last)
		}
		out.Kinds = append(out.Kinds, o)
	}
	if out.Reminders.Waiting, out.Reminders.Sent, out.Reminders.Failed, err = s.st.ReminderCounts(ctx); err != nil {
		return err
	}
	next, err := s.st.NextReminderDue(ctx)
	if err != nil {
		return err
	}
	out.Reminders.NextDue = web.Time{Time: next}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
