package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
)

// CalendarData is what the compliance calendar is computed from, for the
// organisations of a subtree: the rules, the events they held in a range,
// and the last day anything was held in each organisation's subtree.
type CalendarData struct {
	Orgs       []event.CalendarOrg
	Rules      []event.Rule
	Held       []event.HeldEvent
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
// dates up to today.
func (s *Store) EventCalendarData(ctx context.Context, sc auth.Scope, orgID int64, from, to, today date.Date) (*CalendarData, error) {
	return s.EventCalendarFrom(ctx, sc, orgID, func(event.Rule) date.Date { return from }, to, today)
}

// EventCalendarFrom reads what event.ComplianceFrom needs to judge each
// rule from its own first day, from(rule), up to to: every held event from
// the latest of those days on; before it only the events of the kinds
// whose rules reach further back, each from its rule's day, and the
// secretaries' talks — a province's 工作台 reads the last weeks of every
// meeting, not two years of them.
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
	d := &CalendarData{LastByPath: map[string]date.Date{}}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, event.CalendarOrg{ID: o.ID, Name: o.Label, Kind: o.Kind, Path: o.Path,
			Since: date.FromTime(o.CreatedAt.In(event.China)), Closed: o.ClosedOn})
	}
	if d.Rules, err = s.EventRules(ctx); err != nil {
		return nil, err
	}
	lo, hi := sub.PathRange()
	// Events name their organisation by path, which the index of held
	// events carries: a province's events are read from the index alone.
	orgAt := make(map[string]int64, len(d.Orgs))
	for _, o := range d.Orgs {
		orgAt[o.Path] = o.ID
	}
	if err := s.firstAndLastHeld(ctx, d, orgAt, lo, hi, today); err != nil {
		return nil, err
	}
	// The first day each rule is judged from. A rule counting only the
	// secretary's talks (书记讲党课) needs those talks alone, found apart;
	// every other reaches back for its kind. From the latest such day
	// (recent) every held event is read.
	var earliest, recent, talksFrom date.Date
	reach := map[int64]date.Date{}
	for _, r := range d.Rules {
		if r.Disabled || r.Period == event.Idle {
			continue
		}
		f := from(r)
		if earliest.IsZero() || f.Before(earliest) {
			earliest = f
		}
		if f.After(recent) {
			recent = f
		}
		if r.BySecretary {
			if talksFrom.IsZero() || f.Before(talksFrom) {
				talksFrom = f
			}
		} else if k, ok := reach[r.KindID]; !ok || f.Before(k) {
			reach[r.KindID] = f
		}
	}
	if recent.IsZero() {
		return d, nil // nothing to judge but idleness
	}
	kindsOf := map[string][]int64{} // a province's events share a few lists of kinds: parsed once each
	scanHeld := func(scan func(...any) error) (int64, event.HeldEvent, error) {
		var id int64
		var path, kinds string
		var h event.HeldEvent
		if err := scan(&id, &path, &h.On, &kinds); err != nil {
			return 0, h, err
		}
		h.OrgID = orgAt[path]
		var ok bool
		if h.Kinds, ok = kindsOf[kinds]; !ok {
			var err error
			if h.Kinds, err = parseKinds(kinds); err != nil {
				return 0, h, err
			}
			kindsOf[kinds] = h.Kinds
		}
		return id, h, nil
	}
	// The events where the organisation's secretary of the day spoke, from
	// the scope's secretaries and what each spoke at — a few thousand in a
	// province — rather than by testing every held event for such a
	// speaker, or reading two years of 党课 for a yearly rule.
	talks := map[int64]event.HeldEvent{}
	if !talksFrom.IsZero() {
		err = s.eachRow(ctx, `SELECT se.id, se.org_path, se.held_on, se.kinds FROM orgs o JOIN committee_members c ON c.org_id = o.id
			JOIN event_speakers sp ON sp.person_id = c.person_id JOIN events se ON se.id = sp.event_id AND se.org_id = c.org_id
			WHERE o.path >= ? AND o.path < ? AND c.position = '书记' AND se.status = 'held' AND se.held_on >= ? AND se.held_on < ?
			AND c.from_date <= se.held_on AND (c.to_date IS NULL OR c.to_date >= se.held_on)`, []any{lo, hi, earliest, to},
			func(scan func(...any) error) error {
				id, h, err := scanHeld(scan)
				h.BySecretary = true
				talks[id] = h
				return err
			})
		if err != nil {
			return nil, err
		}
	}
	early := map[int64]bool{} // an event before recent read through two of its kinds counts once
	read := func(scan func(...any) error) error {
		id, h, err := scanHeld(scan)
		if err != nil {
			return err
		}
		if h.On.Before(recent) {
			if early[id] {
				return nil
			}
			early[id] = true
		}
		if _, ok := talks[id]; ok {
			h.BySecretary = true
			delete(talks, id)
		}
		d.Held = append(d.Held, h)
		return nil
	}
	// Before recent, each kind whose rules reach back, through its links
	// (read first: SQLite keeps the written order of a CROSS JOIN).
	for kind, f := range reach {
		if !f.Before(recent) {
			continue
		}
		held, args := heldBetween("e", sub, f, recent)
		err := s.eachRow(ctx, `SELECT e.id, e.org_path, e.held_on, e.kinds FROM event_kind_links l CROSS JOIN events e
			WHERE l.kind_id = ? AND e.id = l.event_id AND `+held, append([]any{kind}, args...), read)
		if err != nil {
			return nil, err
		}
	}
	// From recent on, every held event: the index of held events carries
	// the kinds (events.kinds) too.
	held, args := heldBetween("e", sub, recent, to)
	if err = s.eachRow(ctx, `SELECT e.id, e.org_path, e.held_on, e.kinds FROM events e WHERE `+held, args, read); err != nil {
		return nil, err
	}
	// The talks no other rule read.
	for _, h := range talks {
		d.Held = append(d.Held, h)
	}
	return d, nil
}

// firstAndLastHeld reads, per organisation, the last day anything was held
// in its subtree up to today (LastByPath, from the subtree's totals), and
// judges it from its own first recorded event when that came before it was
// entered: records kept before the system came in (or the demo's year and
// a half) show their gaps too. Two look-ups per organisation, not a read of
// every event of every year.
func (s *Store) firstAndLastHeld(ctx context.Context, d *CalendarData, orgAt map[string]int64, lo, hi string, today date.Date) error {
	first := map[int64]date.Date{}
	err := s.eachRow(ctx, `SELECT o.path, (SELECT MIN(e.held_on) FROM events e WHERE e.status = 'held' AND e.org_path = o.path),
			(SELECT MAX(t.held_on) FROM event_totals t WHERE t.org_path = o.path AND t.held_on <= ?)
		FROM orgs o WHERE o.path >= ? AND o.path < ?`, []any{today, lo, hi},
		func(scan func(...any) error) error {
			var path string
			var firstOn, lastOn date.Date
			if err := scan(&path, &firstOn, &lastOn); err != nil {
				return err
			}
			if !firstOn.IsZero() {
				first[orgAt[path]] = firstOn
			}
			if !lastOn.IsZero() {
				d.LastByPath[path] = lastOn
			}
			return nil
		})
	for i, o := range d.Orgs {
		if on, ok := first[o.ID]; ok && on.Before(o.Since) {
			d.Orgs[i].Since = on
		}
	}
	return err
}
