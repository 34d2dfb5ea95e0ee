package eventweb

import (
	"context"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// maxDue bounds what the 工作台 lists from this area.
const maxDue = 30

// Due tells the 工作台 what organisational life needs attention: for those
// who keep events, each rule due this month or missed in its last period,
// and organisations with no event for too long; for a member, the meetings
// of the coming week they are expected at. The reminders of part 2 use the
// same computation.
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if c.User == nil {
		return nil, nil
	}
	if c.Can(auth.EventRead) && c.Scope.PersonID == 0 && c.User.OrgID != 0 {
		return s.dueChecks(ctx, c)
	}
	if c.User.PersonID != 0 && c.Can(auth.SelfRead) {
		return s.dueMine(ctx, c)
	}
	return nil, nil
}

func (s *area) dueChecks(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	today := s.Today()
	// For each organisation and rule: the current period when it is due
	// this month, and the last period that ended when it was missed.
	from := event.SinceLastEnded(today)
	data, err := s.st.EventCalendarFrom(ctx, c.Scope, c.User.OrgID, from, today.AddDate(0, 0, 1), today)
	if err != nil {
		return nil, err
	}
	current, ended := map[[2]int64]event.Check{}, map[[2]int64]event.Check{}
	for ch := range event.ComplianceFrom(data.Orgs, data.Rules, data.Held, from, today.AddDate(0, 0, 1), today) {
		key := [2]int64{ch.OrgID, ch.Rule.ID}
		if ch.Span.Contains(today) {
			current[key] = ch
		} else if prev, ok := ended[key]; !ok || ch.Span.Start.After(prev.Span.Start) {
			ended[key] = ch
		}
	}
	var out []web.DueItem
	for _, o := range data.Orgs {
		for _, rl := range data.Rules {
			key := [2]int64{o.ID, rl.ID}
			link := "/events?org=" + strconv.FormatInt(o.ID, 10)
			if ch, ok := ended[key]; ok && ch.State == event.Missed {
				out = append(out, web.DueItem{Label: msg.Format("event.due.label", ch.OrgName, periodLabel(rl.Period, ch.Span), kindText(rl)), Link: link,
					Detail: msg.Format("event.due.detail_missed", periodLabel(rl.Period, ch.Span), ch.Held, ch.Required), Late: true})
			}
			if ch, ok := current[key]; ok && ch.State == event.Due {
				out = append(out, web.DueItem{Label: msg.Format("event.due.label", ch.OrgName, periodLabel(rl.Period, ch.Span), kindText(rl)), Link: link,
					Detail: msg.Format("event.due.detail_due", ch.Span.Last().String(), ch.Held)})
			}
		}
	}
	for _, idle := range event.Idleness(data.Orgs, data.Rules, data.LastByPath, today) {
		item := web.DueItem{Label: msg.Format("event.due.idle", idle.OrgName, idle.Days), Link: "/events?org=" + strconv.FormatInt(idle.OrgID, 10),
			Detail: msg.Text("event.due.idle_never"), Late: true}
		if !idle.Last.IsZero() {
			item.Detail = msg.Format("event.due.idle_detail", idle.Last.String())
		}
		out = append(out, item)
	}
	if len(out) > maxDue {
		out = out[:maxDue]
	}
	return out, nil
}

// kindText names what a rule asks for.
func kindText(rl event.Rule) string {
	if rl.BySecretary {
		return "书记讲" + rl.KindName
	}
	return rl.KindName
}

func (s *area) dueMine(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	now := s.st.Now()
	list, err := s.st.MyEvents(ctx, selfScope(c), now.Add(-12*60*60e9), now.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	var out []web.DueItem
	for i := len(list) - 1; i >= 0; i-- {
		e := list[i]
		if e.Status != event.Planned || e.End().Before(now) {
			continue
		}
		out = append(out, web.DueItem{Label: msg.Format("event.due.upcoming", clock(e.Start()), e.Title), Link: "/my/events", Detail: e.Place})
	}
	return out, nil
}
