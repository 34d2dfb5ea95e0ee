// Package opsweb is the platform's own upkeep: scheduled backups of the
// embedded database (kept on the durable job queue, so they run once across
// instances and catch up after downtime), a warning on the system
// administrator's 工作台 when they fail, the daily clearing of old job runs
// and read notifications, and the 定时任务 page where the
// system administrator sees every kind of scheduled work with its last run,
// outcome and next run.
package opsweb

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"path/filepath"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/jobs"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// backupKind is the job kind of a scheduled backup.
const backupKind = "backup"

// housekeepingKind is the job kind of the daily clearing; what it clears
// is kept this long.
const (
	housekeepingKind  = "housekeeping"
	jobsKept          = 90 * 24 * time.Hour
	notificationsKept = 180 * 24 * time.Hour
)

type area struct {
	*web.Server
	st *store.Store
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

//go:embed templates
var templates embed.FS

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /admin/jobs", Perm: auth.JobRead, Handle: s.jobsPage, Summary: "定时任务及其运行记录", Menu: &web.Menu{Label: "定时任务"}},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/admin/jobs", Perm: auth.JobRead, Handle: s.apiJobs, Summary: "定时任务：最近一次运行、结果、下次运行；提醒的发送情况", Out: jobsOut{}},
	}
}

// scheduled reports whether this installation backs itself up: SQLite only
// (PostgreSQL has its own tools), and not when turned off.
func (s *area) scheduled() bool {
	return s.st.Dialect() == store.SQLite && s.Config().BackupEvery > 0
}

func (s *area) dir() string {
	if d := s.Config().BackupDir; d != "" {
		return d
	}
	return filepath.Join(s.Config().DataDir, "backups")
}

func (s *area) Jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{backupKind: s.backup, housekeepingKind: s.clearings().Run(s.housekeeping)}
}

// Schedule puts today's clearing and the next backup in the queue; every
// instance asks, the dedupe keys keep one of each.
func (s *area) Schedule(ctx context.Context) error {
	if err := s.clearings().Schedule(ctx); err != nil || !s.scheduled() {
		return err
	}
	return s.enqueueNext(ctx)
}

func (s *area) clearings() jobs.Chain {
	return jobs.Chain{Store: s.st, Kind: housekeepingKind, Label: "清理过期记录", Every: 24 * time.Hour}
}

// housekeeping removes the job runs that ended more than jobsKept ago and
// the notifications read more than notificationsKept ago.
func (s *area) housekeeping(ctx context.Context, _ *store.Job, _ jobs.Progress) (any, error) {
	now := s.st.Now()
	return s.st.PruneFinished(ctx, audit.Actor{Username: "system", IP: "job"}, now.Add(-jobsKept), now.Add(-notificationsKept))
}

// nextSlot is the first backup time after now: 02:00 China time, then every
// BackupEvery.
func nextSlot(now time.Time, every time.Duration) time.Time {
	local := now.In(web.China)
	slot := time.Date(local.Year(), local.Month(), local.Day(), 2, 0, 0, 0, web.China)
	for !slot.After(now) {
		slot = slot.Add(every)
	}
	return slot
}

func (s *area) enqueueNext(ctx context.Context) error {
	slot := nextSlot(s.st.Now(), s.Config().BackupEvery)
	_, err := s.st.EnqueueJob(ctx, &store.Job{Kind: backupKind, DedupeKey: "backup@" + slot.UTC().Format(time.RFC3339),
		Label: "定时备份", DueAt: slot})
	return err
}

// backup schedules the next backup first (so a failure does not end the
// chain), then copies the database and keeps the newest copies.
func (s *area) backup(ctx context.Context, j *store.Job, _ jobs.Progress) (any, error) {
	if !s.scheduled() {
		return "scheduled backups are off", nil
	}
	if err := s.enqueueNext(ctx); err != nil {
		return nil, err
	}
	m, err := s.st.Backup(ctx, filepath.Join(s.dir(), store.BackupName(s.st.Now())))
	if err != nil {
		return nil, err
	}
	return m, store.PruneBackups(s.dir(), s.Config().BackupKeep)
}

// Due warns the system administrator when the last backup failed or none
// succeeded for two intervals.
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if !s.scheduled() || c.User == nil || c.User.Role != auth.SystemAdmin {
		return nil, nil
	}
	last, err := s.st.LastJob(ctx, backupKind)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return nil, err
	}
	switch {
	case last != nil && last.Status == "failed":
		return []web.DueItem{{Label: "最近一次定时备份失败", Detail: last.Error, Link: "/", Late: true}}, nil
	case last != nil && s.st.Now().Sub(last.UpdatedAt) > 2*s.Config().BackupEvery:
		return []web.DueItem{{Label: "已超过两个备份周期没有成功备份", Detail: "最近一次：" + last.UpdatedAt.In(web.China).Format("2006-01-02 15:04"), Link: "/", Late: true}}, nil
	}
	return nil, nil
}
