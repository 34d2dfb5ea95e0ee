// Package remind makes and delivers reminders over the store: Scan reads
// what is coming and adds a reminder per person and matter (once, by key),
// Deliver claims what is due and sends it through every sender. Both are
// safe to run on any number of instances at once; the web area runs them
// on the durable job queue every hour, the demo replays its last days.
package remind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/notify"
	"dangjian/internal/store"
)

// Reminders makes and delivers the reminders of one instance.
type Reminders struct {
	st       *store.Store
	log      *slog.Logger
	senders  []notify.Sender
	instance string
}

// New prepares reminders over a store; the in-app sender is always there,
// others (SMS, e-mail) are added after it.
func New(st *store.Store, log *slog.Logger, instance string, more ...notify.Sender) *Reminders {
	return &Reminders{st: st, log: log, instance: instance, senders: append([]notify.Sender{InApp{st}}, more...)}
}

// InApp is the sender shipped: the user's notification centre.
type InApp struct{ St *store.Store }

func (InApp) Name() string { return "in-app" }

func (s InApp) Send(ctx context.Context, r notify.Reminder) error { return s.St.DeliverInApp(ctx, r) }

var system = audit.Actor{Username: "system", IP: "job"}

// Scanned says what one scan found and added.
type Scanned struct {
	Found int `json:"found"`
	Added int `json:"added"`
}

// Scan adds the reminders that are due by now or will be by the end of
// tomorrow: events starting from now to the end of tomorrow (due at 08:00
// the day before), required meetings whose period ends within a week or
// ended lately without them, and make-ups outstanding.
func (m *Reminders) Scan(ctx context.Context) (Scanned, error) { return m.ScanAt(ctx, m.st.Now()) }

// ScanAt is the scan as it would have run at now: what Replay uses.
func (m *Reminders) ScanAt(ctx context.Context, now time.Time) (Scanned, error) {
	today := date.FromTime(now.In(event.China))
	var list []notify.Reminder
	_, to := notify.Tomorrow(today)
	events, err := m.st.EventsStarting(ctx, now, to)
	if err != nil {
		return Scanned{}, fmt.Errorf("events: %w", err)
	}
	for _, ea := range events {
		e := ea.Event
		place := e.Place
		if place == "" {
			place = msg.Text("notify.place_unknown")
		}
		for _, u := range ea.Users {
			list = append(list, notify.Reminder{
				Key:  "event:" + id(e.ID) + ":" + strconv.FormatInt(e.PlannedStart.Unix(), 10) + ":" + id(u.UserID),
				Kind: notify.EventTomorrow, UserID: u.UserID, DueAt: notify.EventReminderDue(e.PlannedStart),
				Title: msg.Format("notify.event_title", e.Title),
				Body:  msg.Format("notify.event_body", e.PlannedStart.In(event.China).Format("1月2日 15:04"), place, e.OrgName),
				Link:  eventLink(u, e.ID),
			})
		}
	}
	cal, err := m.compliance(ctx, today)
	if err != nil {
		return Scanned{}, fmt.Errorf("calendar: %w", err)
	}
	list = append(list, cal...)
	makeups, err := m.st.OutstandingMakeups(ctx, today.AddDate(0, 0, -notify.MakeupDays))
	if err != nil {
		return Scanned{}, fmt.Errorf("make-ups: %w", err)
	}
	for _, mk := range makeups {
		list = append(list, notify.Reminder{
			Key:  "makeup:" + id(mk.EventID) + ":" + id(mk.User.UserID),
			Kind: notify.Makeup, UserID: mk.User.UserID,
			Title: msg.Format("notify.makeup_title", mk.Title),
			Body:  msg.Format("notify.makeup_body", chinaDate(mk.HeldOn)),
			Link:  eventLink(mk.User, mk.EventID),
		})
	}
	added, err := m.st.AddReminders(ctx, system, list)
	return Scanned{Found: len(list), Added: added}, err
}

// Replay runs the morning scans of the days before now as the hourly job
// would have run them, and the scan of now, then delivers what came due: an
// installation filled with a history (the demo) starts with the
// notifications its users would have had, made from its own records.
func (m *Reminders) Replay(ctx context.Context, now time.Time, days int) (Scanned, Delivered, error) {
	var total Scanned
	for d := days; d >= 0; d-- {
		day := now.In(event.China).AddDate(0, 0, -d)
		at := time.Date(day.Year(), day.Month(), day.Day(), notify.MorningHour, 0, 0, 0, event.China)
		if at.After(now) {
			at = now
		}
		got, err := m.ScanAt(ctx, at)
		if err != nil {
			return total, Delivered{}, err
		}
		total.Found += got.Found
		total.Added += got.Added
	}
	sent, err := m.Deliver(ctx)
	return total, sent, err
}

// compliance makes the reminders of required meetings: to the accounts
// that answer for each organisation (its staff and its 书记).
func (m *Reminders) compliance(ctx context.Context, today date.Date) ([]notify.Reminder, error) {
	from, to := notify.ComplianceRange(today)
	data, err := m.st.EventCalendarFrom(ctx, auth.Everything, 0, from, to, today)
	if err != nil {
		return nil, err
	}
	since := map[int64]date.Date{}
	for _, o := range data.Orgs {
		since[o.ID] = o.Since
	}
	picks := notify.Compliance(slices.Collect(event.ComplianceFrom(data.Orgs, data.Rules, data.Held, from, to, today)), since, today)
	var orgIDs []int64
	seen := map[int64]bool{}
	for _, list := range picks {
		for _, c := range list {
			if !seen[c.OrgID] {
				seen[c.OrgID] = true
				orgIDs = append(orgIDs, c.OrgID)
			}
		}
	}
	managers, err := m.st.OrgManagers(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	var out []notify.Reminder
	for _, kind := range []notify.Kind{notify.MeetingDue, notify.MeetingOverdue} {
		for _, c := range picks[kind] {
			period := periodName(c.Rule.Period, c.Span)
			title := msg.Format("notify.due_title", c.OrgName, period, c.Rule.KindName)
			body := msg.Format("notify.due_body", c.Required, c.Held, chinaDate(c.Span.Last()))
			if kind == notify.MeetingOverdue {
				title = msg.Format("notify.overdue_title", c.OrgName, period, c.Rule.KindName)
				body = msg.Format("notify.overdue_body", c.Required, c.Held)
			}
			for _, u := range managers[c.OrgID] {
				out = append(out, notify.Reminder{
					Key:  string(kind) + ":" + id(c.OrgID) + ":" + id(c.Rule.ID) + ":" + c.Span.Start.String() + ":" + id(u.UserID),
					Kind: kind, UserID: u.UserID, Title: title, Body: body, Link: calendarLink(c),
				})
			}
		}
	}
	return out, nil
}

// Delivered says what one delivery round did.
type Delivered struct {
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
}

// claimLease is how long a claimed reminder is held while it is sent; a
// holder that dies lets it go to another instance after this.
const claimLease = 2 * time.Minute

// Deliver claims and sends every due reminder, one at a time, until none
// is left or ctx ends. A failed delivery is tried again later (after 5, 10 …
// minutes), at most store.MaxReminderAttempts times.
func (m *Reminders) Deliver(ctx context.Context) (Delivered, error) {
	var d Delivered
	for ctx.Err() == nil {
		r, err := m.st.ClaimReminder(ctx, m.instance, claimLease)
		if errors.Is(err, errs.ErrNotFound) {
			return d, nil
		}
		if err != nil {
			return d, err
		}
		var failure error
		for _, s := range m.senders {
			if err := s.Send(ctx, *r); err != nil {
				failure = fmt.Errorf("%s: %w", s.Name(), err)
				break
			}
		}
		retry := m.st.Now().Add(time.Duration(r.Attempts) * 5 * time.Minute)
		if err := m.st.FinishReminder(context.WithoutCancel(ctx), r.ID, m.instance, failure, retry); err != nil {
			m.log.Warn("record a reminder's delivery", "reminder", r.ID, "err", err)
			continue
		}
		if failure != nil {
			m.log.Warn("reminder not delivered", "reminder", r.ID, "attempt", r.Attempts, "err", failure)
			d.Failed++
		} else {
			d.Sent++
		}
	}
	return d, ctx.Err()
}

// eventLink is the page an account opens for an event: the event itself
// for those who may read events, their own meetings for members.
func eventLink(u store.Recipient, eventID int64) string {
	if u.Role.Can(auth.EventRead) {
		return "/events/" + id(eventID)
	}
	return "/my/events#event-" + id(eventID)
}

// calendarLink opens the organisation's calendar on the period.
func calendarLink(c event.Check) string {
	l := "/events?org=" + id(c.OrgID)
	switch c.Rule.Period {
	case event.Monthly:
		l += "&month=" + c.Span.Start.Time().Format("2006-01")
	case event.Quarterly:
		l += "&quarter=" + strconv.Itoa(c.Span.Start.Year()) + "-Q" + strconv.Itoa(event.Quarter(c.Span.Start))
	}
	return l
}

var quarterNames = []string{"", "一", "二", "三", "四"}

// periodName is a period as a summary writes it: 2026年6月, 2026年二季度, 2026年.
func periodName(p event.Period, s event.Span) string {
	y := strconv.Itoa(s.Start.Year()) + "年"
	switch p {
	case event.Monthly:
		return y + strconv.Itoa(int(s.Start.Month())) + "月"
	case event.Quarterly:
		return y + quarterNames[event.Quarter(s.Start)] + "季度"
	}
	return y
}

func chinaDate(d date.Date) string {
	return strconv.Itoa(d.Year()) + "年" + strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
