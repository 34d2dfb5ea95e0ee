package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/org"
)

// CalendarData is what the compliance calendar is computed from, for the
// organisations of a subtree: the rules, what they held by kind and month
// in the years of a range, and (for the idle watch) the last day anything
// was held in each organisation's subtree.
type CalendarData struct {
	Orgs       []event.CalendarOrg
	Rules      []event.Rule
	Held       []event.HeldMonths
	LastByPath map[string]date.Date
}

// subtree narrows the scope to an organisation inside it (0: the scope itself).
func (s *Store) subtree(ctx context.Context, sc auth.Scope, orgID int64) (auth.Scope, error) {
	if orgID == 0 {
		return sc, nil
	}
	o, err := s.Org(ctx, sc, orgID)
	if err != nil {
		return sc, notFoundAs(err, "org", "org.unknown")
	}
	return auth.Scope{OrgPath: o.Path}, nil
}

// EventCalendarData reads what the compliance calendar of the subtree of
// orgID (inside the scope) needs for the days [from, to), and the last held
// dates up to today (the idle watch's).
func (s *Store) EventCalendarData(ctx context.Context, sc auth.Scope, orgID int64, from, to, today date.Date) (*CalendarData, error) {
	return s.EventCalendarFrom(ctx, sc, orgID, func(event.Rule) date.Date { return from }, to, today)
}

// EventCalendarFrom reads what event.ComplianceFrom needs to judge each
// rule from its own first day, from(rule), up to to, and what
// event.Idleness needs on today.
func (s *Store) EventCalendarFrom(ctx context.Context, sc auth.Scope, orgID int64, from func(event.Rule) date.Date, to, today date.Date) (*CalendarData, error) {
	if sc.PersonID != 0 {
		return &CalendarData{}, nil
	}
	sub, err := s.subtree(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	orgs, err := s.Orgs(ctx, sub, OrgFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	d, err := s.complianceData(ctx, sub, orgs, from, to, today)
	if err != nil {
		return nil, err
	}
	d.LastByPath, err = s.lastHeld(ctx, sub, today)
	return d, err
}

// complianceData is EventCalendarFrom without the idle watch, for the
// organisations of the subtree sub (read by the caller, closed ones too):
// what each held by kind and month in the years between (held_months, kept
// with the events) — a province's 工作台 and dashboard add up some ten
// thousand rows, not every meeting of two years.
func (s *Store) complianceData(ctx context.Context, sub auth.Scope, orgs []org.Org, from func(event.Rule) date.Date, to, today date.Date) (*CalendarData, error) {
	d := &CalendarData{}
	orgAt := make(map[string]int64, len(orgs))
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, event.CalendarOrg{ID: o.ID, Name: o.Label, Kind: o.Kind, Path: o.Path,
			Since: date.FromTime(o.CreatedAt.In(event.China)), Closed: o.ClosedOn})
		orgAt[o.Path] = o.ID
	}
	var err error
	if d.Rules, err = s.EventRules(ctx); err != nil {
		return nil, err
	}
	lo, hi := sub.PathRange()
	if err := s.firstHeld(ctx, d, lo, hi); err != nil {
		return nil, err
	}
	var earliest date.Date // the first day any rule is judged from
	for _, r := range d.Rules {
		if f := from(r); !r.Disabled && r.Period != event.Idle && (earliest.IsZero() || f.Before(earliest)) {
			earliest = f
		}
	}
	if earliest.IsZero() || !earliest.Before(to) {
		return d, nil // nothing to judge but idleness
	}
	d.Held, err = s.heldMonths(ctx, orgAt, lo, hi, earliest, to, today)
	return d, err
}

// firstHeld judges each organisation from its own first recorded event
// when that came before it was entered: records kept before the system
// came in (or the demo's year and a half) show their gaps too. The least of
// its years' first days in held_months, not a look-up in the events per
// organisation.
func (s *Store) firstHeld(ctx context.Context, d *CalendarData, lo, hi string) error {
	first, err := s.dayByPath(ctx, `SELECT org_path, MIN(first_held) FROM held_months WHERE org_path >= ? AND org_path < ? GROUP BY org_path`, lo, hi)
	for i, o := range d.Orgs {
		if on, ok := first[o.Path]; ok && on.Before(o.Since) {
			d.Orgs[i].Since = on
		}
	}
	return err
}

// lastHeld is, by the path of each organisation of the subtree, the last
// day anything was held in its own subtree up to today (from the subtree's
// totals): the idle watch's.
func (s *Store) lastHeld(ctx context.Context, sub auth.Scope, today date.Date) (map[string]date.Date, error) {
	lo, hi := sub.PathRange()
	return s.dayByPath(ctx, `SELECT o.path, (SELECT MAX(t.held_on) FROM event_totals t WHERE t.org_path = o.path AND t.held_on <= ?)
		FROM orgs o WHERE o.path >= ? AND o.path < ?`, today, lo, hi)
}

// dayByPath reads a query of organisations' paths each with a day (NULL
// for none) into a map of the days there are.
func (s *Store) dayByPath(ctx context.Context, q string, args ...any) (map[string]date.Date, error) {
	out := map[string]date.Date{}
	err := s.eachRow(ctx, q, args, func(scan func(...any) error) error {
		var path string
		var on date.Date
		if err := scan(&path, &on); err != nil {
			return err
		}
		if !on.IsZero() {
			out[path] = on
		}
		return nil
	})
	return out, err
}
