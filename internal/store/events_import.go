package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
)

// EventImport is one event written by ImportEvents: the event as CreateEvent
// takes it, the chosen people when its audience is a chosen list, and the
// marks MarkAttendance would apply to its frozen list.
type EventImport struct {
	Event    event.Event
	Invitees []int64
	Marks    []event.MarkInput
	// MarkFor, when set, is asked for the mark of each row of the frozen
	// list (in the list's order: day, then person ID) once it is taken, and
	// its marks join Marks; a generator uses it to mark people it has not
	// listed itself. ok false leaves the row unmarked.
	MarkFor func(personID int64, day date.Date) (m event.MarkInput, ok bool)
}

// ImportEvents writes many events at once, in one transaction: the bulk path
// of the province-scale generator and of migrations from older systems. Each
// event is checked as CreateEvent checks it, its list is frozen from the
// roster as it is now, and its marks are checked as MarkAttendance checks
// them and written with the list, so an imported event reads back exactly
// like one created and then marked (source event.BySecretary). Each event
// gets one audit record (event.import) holding the event and the number of
// marks. One bad event or mark changes nothing. Only a held event may carry
// marks.
func (s *Store) ImportEvents(ctx context.Context, a audit.Actor, sc auth.Scope, list []EventImport) error {
	return s.inTx(ctx, func(t *tx) error {
		// The roster does not change inside the transaction: a subtree's
		// expected list is read once per organisation and audience.
		lists := map[string][]int64{}
		kinds := map[int64]*event.Kind{}
		for i := range list {
			if err := t.importEvent(ctx, a, sc, &list[i], lists, kinds); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *tx) importEvent(ctx context.Context, a audit.Actor, sc auth.Scope, in *EventImport, lists map[string][]int64, kinds map[int64]*event.Kind) error {
	e := &in.Event
	if (len(in.Marks) > 0 || in.MarkFor != nil) && e.Status != event.Held {
		return errs.Field("marks", "event.marks_not_held")
	}
	o, k, err := t.eventRefs(ctx, sc, e, in.Invitees)
	if err != nil {
		return err
	}
	if k != nil {
		kinds[k.ID] = k
	}
	if (len(in.Marks) > 0 || in.MarkFor != nil) && (k == nil || !k.TakesAttendance) {
		return errs.NewConflict("", "event.no_attendance")
	}
	now := t.s.Now()
	e.OrgPath, e.OrgName, e.HeldOn = o.Path, o.Name, heldOn(e)
	var frozen any
	if e.Status == event.Held {
		frozen, e.FrozenAt = now, now
	}
	// The row carries its kinds and learning flag from the start (rather
	// than by an update once the links are written): a generated province
	// imports hundreds of thousands of events, each written under the
	// subtree totals above it.
	learning, largs := learningOfKinds(e.Kinds())
	id, err := t.insert(ctx, `INSERT INTO events (org_id, org_path, kind_id, title, status, planned_start, planned_end, held_start, held_end, held_on,
		place, host, recorder, topics, minutes, cancel_reason, audience, credit_tenths, campaign_id, walk_ins, qr_step, qr_margin,
		version, created_at, updated_at, frozen_at, kinds, learning) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, `+
		learning+`)`,
		append([]any{e.OrgID, o.Path, e.KindID, e.Title, e.Status, e.PlannedStart.UTC(), e.PlannedEnd.UTC(), nullTime(e.HeldStart), nullTime(e.HeldEnd),
			e.HeldOn, e.Place, e.Host, e.Recorder, e.Topics, e.Minutes, e.CancelReason, e.Audience, e.Credit, nullID(e.CampaignID),
			e.WalkIns, e.QRStep, e.QRMargin, now, now, frozen, kindList(e.Kinds())}, largs...)...)
	if err != nil {
		return err
	}
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = id, 1, now, now
	t.heldChanged(o.Path, e.HeldOn)
	if err := t.insertEventParts(ctx, e); err != nil {
		return err
	}
	var invitees []int64
	for _, p := range in.Invitees {
		if !containsID(invitees, p) {
			invitees = append(invitees, p)
		}
	}
	if err := t.insertRows(ctx, "event_invitees (event_id, person_id)", 2, len(invitees), func(i int) []any { return []any{id, invitees[i]} }); err != nil {
		return err
	}
	if e.Status == event.Held {
		if err := t.importAttendance(ctx, e, k, in, lists); err != nil {
			return err
		}
	}
	snap := withInvitees(eventSnapshot(e), invitees)
	snap["marks"] = len(in.Marks) // MarkFor's marks joined them
	return t.audit(ctx, a, Change{Action: "event.import", ObjectType: "event", ObjectID: id, OrgPath: o.Path, After: snap})
}

func containsID(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// insertEventParts writes the kinds, speakers, decisions and measures of a
// new event whose row already carries its kinds.
func (t *tx) insertEventParts(ctx context.Context, e *event.Event) error {
	ks := e.Kinds()
	if err := t.insertRows(ctx, "event_kind_links (event_id, kind_id)", 2, len(ks), func(i int) []any { return []any{e.ID, ks[i]} }); err != nil {
		return err
	}
	if err := t.insertRows(ctx, "event_speakers (event_id, person_id, name, title, topic, sort_order)", 6, len(e.Speakers), func(i int) []any {
		sp := e.Speakers[i]
		return []any{e.ID, nullID(sp.PersonID), sp.Name, sp.Title, sp.Topic, i}
	}); err != nil {
		return err
	}
	if err := t.insertRows(ctx, "event_decisions (event_id, content, sort_order)", 3, len(e.Decisions), func(i int) []any {
		return []any{e.ID, e.Decisions[i].Content, i}
	}); err != nil {
		return err
	}
	return t.insertRows(ctx, "event_measures (event_id, measure_id, value)", 3, len(e.Measures), func(i int) []any {
		return []any{e.ID, e.Measures[i].MeasureID, e.Measures[i].Value}
	})
}

// importAttendance writes the frozen list of a held event with its marks:
// every expected person on every day, unmarked unless a mark names them.
func (t *tx) importAttendance(ctx context.Context, e *event.Event, k *event.Kind, in *EventImport, lists map[string][]int64) error {
	var people []int64
	key := e.OrgPath + "|" + string(e.Audience)
	switch e.Audience {
	case event.Members, event.Everyone:
		var ok bool
		if people, ok = lists[key]; !ok {
			var err error
			if people, err = t.s.expectedPeople(ctx, t, e); err != nil {
				return err
			}
			lists[key] = people
		}
	default:
		var err error
		if people, err = t.s.expectedPeople(ctx, t, e); err != nil {
			return err
		}
	}
	days := e.Days()
	if in.MarkFor != nil {
		for _, d := range days {
			for _, p := range people {
				if m, ok := in.MarkFor(p, d); ok {
					m.PersonID, m.Day = p, d
					in.Marks = append(in.Marks, m)
				}
			}
		}
	}
	marks := in.Marks
	if len(marks) > event.MaxBatch*max(1, len(days)) {
		return errs.Field("marks", "event.batch_too_large")
	}
	for i := range marks {
		if err := marks[i].Validate(days, k, ""); err != nil {
			return err
		}
	}
	type slot struct {
		person int64
		day    string
	}
	byRow := make(map[slot]*event.MarkInput, len(marks))
	for i := range marks {
		byRow[slot{marks[i].PersonID, marks[i].Day.String()}] = &marks[i]
	}
	type row struct {
		person int64
		day    any
		m      *event.MarkInput
	}
	rows := make([]row, 0, len(people)*len(days))
	for _, d := range days {
		for _, p := range people {
			k := slot{p, d.String()}
			rows = append(rows, row{p, d, byRow[k]})
			delete(byRow, k)
		}
	}
	if len(byRow) > 0 {
		return errs.Field("person_id", "event.not_on_list")
	}
	now := t.s.Now()
	return t.insertRows(ctx, "event_attendance (event_id, person_id, day, expected, mark, leave_reason, made_up_on, makeup_how, source, marked_at)", 10, len(rows),
		func(i int) []any {
			r := rows[i]
			if r.m == nil || r.m.Mark == event.Unmarked {
				return []any{e.ID, r.person, r.day, true, event.Unmarked, "", nil, "", "", nil}
			}
			var madeUp any
			if !r.m.MadeUpOn.IsZero() {
				madeUp = r.m.MadeUpOn
			}
			return []any{e.ID, r.person, r.day, true, r.m.Mark, r.m.LeaveReason, madeUp, r.m.MakeupHow, event.BySecretary, now}
		})
}

// insertRows inserts n rows of cols values each into table (with its
// column list), many rows a statement.
func (t *tx) insertRows(ctx context.Context, table string, cols, n int, row func(i int) []any) error {
	per := max(1, 900/cols)
	one := "(?" + repeatString(", ?", cols-1) + ")"
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		q := "INSERT INTO " + table + " VALUES " + one + repeatString(", "+one, end-start-1)
		args := make([]any, 0, cols*(end-start))
		for i := start; i < end; i++ {
			args = append(args, row(i)...)
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

func repeatString(s string, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}
