// Package notifyweb is the notification centre every user has (a list,
// read one, read all, the unread count in the page header) and the
// reminders that fill it: a scan on the durable job queue every hour makes
// the reminders of events tomorrow, required meetings due or overdue and
// make-ups outstanding, and delivers those that are due through the
// senders (in-app here; SMS or e-mail plug in as a notify.Sender).
package notifyweb

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"io/fs"
	"time"

	"dangjian/internal/jobs"
	"dangjian/internal/notify"
	"dangjian/internal/notify/remind"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed templates
var templates embed.FS

// scanKind is the job kind of the hourly reminder scan.
const scanKind = "remind.scan"

// ScanEvery is how often reminders are looked for and sent.
const ScanEvery = time.Hour

type area struct {
	*web.Server
	st        *store.Store
	reminders *remind.Reminders
}

// New mounts the area on the kernel, delivering in-app only.
func New(s *web.Server) web.Area { return WithSenders()(s) }

// WithSenders mounts the area delivering through more channels besides the
// in-app centre (an SMS gateway, e-mail): app.Areas lists
// notifyweb.WithSenders(sms) instead of notifyweb.New.
func WithSenders(more ...notify.Sender) web.NewArea {
	return func(s *web.Server) web.Area {
		b := make([]byte, 8)
		rand.Read(b)
		return &area{Server: s, st: s.Store(), reminders: remind.New(s.Store(), s.Log(), "remind-"+hex.EncodeToString(b), more...)}
	}
}

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Every route is about the caller's own notifications, never an
// organisation's data: they are the account's own (web.OwnAccount), like
// its password, and each store call takes the caller's user id.
func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /notifications", Perm: web.OwnAccount, Handle: s.listPage, Summary: "消息通知", Menu: &web.Menu{Label: "消息通知"}},
		{Pattern: "GET /notifications/badge", Perm: web.OwnAccount, Handle: s.badge, Summary: "未读通知数（页头）"},
		{Pattern: "GET /notifications/{id}/open", Perm: web.OwnAccount, Handle: s.open, Summary: "打开通知（标为已读并转到相关页面）"},
		{Pattern: "POST /notifications/{id}/read", Perm: web.OwnAccount, Handle: s.readPage, Summary: "通知标为已读"},
		{Pattern: "POST /notifications/read-all", Perm: web.OwnAccount, Handle: s.readAllPage, Summary: "全部标为已读"},
	}
}

func (s *area) API() []web.Route {
	return []web.Route{
		{Pattern: "GET /api/v1/notifications", Perm: web.OwnAccount, Handle: s.apiList, Summary: "我的消息通知（分页，unread=true 只看未读）", Out: web.List[notificationOut]{}},
		{Pattern: "GET /api/v1/notifications/unread-count", Perm: web.OwnAccount, Handle: s.apiUnread, Summary: "未读通知数", Out: unreadOut{}},
		{Pattern: "POST /api/v1/notifications/{id}/read", Perm: web.OwnAccount, Handle: s.apiRead, Summary: "通知标为已读", Out: notificationOut{}},
		{Pattern: "POST /api/v1/notifications/read-all", Perm: web.OwnAccount, Handle: s.apiReadAll, Summary: "全部标为已读", Out: readAllOut{}},
	}
}

// Jobs: the hourly reminder scan.
func (s *area) Jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{scanKind: s.scans().Run(s.scan)}
}

// Schedule puts this hour's scan in the queue: at each start the reminders
// that came due while the service was down go out at once.
func (s *area) Schedule(ctx context.Context) error { return s.scans().Schedule(ctx) }

func (s *area) scans() jobs.Chain {
	return jobs.Chain{Store: s.st, Kind: scanKind, Label: "提醒扫描与发送", Every: ScanEvery}
}

type scanResult struct {
	remind.Scanned
	remind.Delivered
}

// scan makes the reminders and delivers what is due.
func (s *area) scan(ctx context.Context, _ *store.Job, _ jobs.Progress) (any, error) {
	found, err := s.reminders.Scan(ctx)
	if err != nil {
		return nil, err
	}
	sent, err := s.reminders.Deliver(ctx)
	return scanResult{found, sent}, err
}
