package store

import (
	"context"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
)

// The rectification ledger keeps the responsible organisation's path beside
// it, as events do, so "every item under X" is one index range. An item's
// status is not stored: closed_on says done, and an open item is overdue
// from the day after its deadline.

const ledgerCols = `i.id, i.org_id, i.org_path, o.name, i.source, COALESCE(i.source_id, 0), COALESCE(i.campaign_id, 0), COALESCE(c.name, ''),
	i.problem, i.measures, i.owner_id, p.name, i.opened_on, i.deadline, i.closed_on, i.closure, i.version, i.created_at, i.updated_at,
	COALESCE(lp.event_id, 0), COALESCE(ev.title, ''), COALESCE(rp.name, ''),
	(SELECT g.on_date FROM ledger_progress g WHERE g.item_id = i.id ORDER BY g.on_date DESC, g.id DESC LIMIT 1),
	COALESCE((SELECT g.note FROM ledger_progress g WHERE g.item_id = i.id ORDER BY g.on_date DESC, g.id DESC LIMIT 1), '')`

const ledgerFrom = ` FROM ledger_items i JOIN orgs o ON o.id = i.org_id JOIN people p ON p.id = i.owner_id
	LEFT JOIN campaigns c ON c.id = i.campaign_id
	LEFT JOIN life_problems lp ON i.source = 'life_problem' AND lp.id = i.source_id
	LEFT JOIN life_records lr ON lr.id = lp.record_id
	LEFT JOIN people rp ON rp.id = lr.person_id
	LEFT JOIN events ev ON ev.id = lp.event_id`

func scanLedgerItem(r scanner) (ledger.Item, error) {
	var i ledger.Item
	var eventTitle, person string
	err := r.Scan(&i.ID, &i.OrgID, &i.OrgPath, &i.OrgName, &i.Source, &i.SourceID, &i.CampaignID, &i.Campaign,
		&i.Problem, &i.Measures, &i.OwnerID, &i.Owner, &i.OpenedOn, &i.Deadline, &i.ClosedOn, &i.Closure, &i.Version, &i.CreatedAt, &i.UpdatedAt,
		&i.EventID, &eventTitle, &person, &i.Latest.On, &i.Latest.Note)
	if i.EventID != 0 {
		i.SourceText = eventTitle + " · " + person
	}
	return i, mapErr(err)
}

// ledgerScopeCond is the data-scope condition on items i. A member's scope
// (their own record) holds the items they are responsible for.
func ledgerScopeCond(sc auth.Scope) (string, []any) {
	if sc.PersonID != 0 {
		return "i.owner_id = ?", []any{sc.PersonID}
	}
	lo, hi := sc.PathRange()
	return "i.org_path >= ? AND i.org_path < ?", []any{lo, hi}
}

// today is the date in China, the day an item's status is read on.
func (s *Store) today() date.Date { return date.FromTime(s.Now().In(event.China)) }

// LedgerItem reads one item in the scope with its progress.
func (s *Store) LedgerItem(ctx context.Context, sc auth.Scope, id int64) (*ledger.Item, error) {
	return ledgerItemIn(ctx, s, sc, id)
}

func ledgerItemIn(ctx context.Context, q querier, sc auth.Scope, id int64) (*ledger.Item, error) {
	cond, args := ledgerScopeCond(sc)
	i, err := scanLedgerItem(q.queryRow(ctx, "SELECT "+ledgerCols+ledgerFrom+" WHERE i.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, "SELECT id, on_date, note, created_at, created_by FROM ledger_progress WHERE item_id = ? ORDER BY on_date, id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p ledger.Progress
		if err := rows.Scan(&p.ID, &p.On, &p.Note, &p.CreatedAt, &p.CreatedBy); err != nil {
			return nil, err
		}
		i.Progress = append(i.Progress, p)
	}
	return &i, rows.Err()
}

// LedgerFilter narrows a listing of items. Zero fields do not filter.
type LedgerFilter struct {
	OrgID      int64         // this organisation's subtree (inside the scope)
	Status     ledger.Status // open (整改中, overdue included), overdue, done
	CampaignID int64
	Source     ledger.Source
	EventID    int64 // items raised at this meeting
	Query      string
	// OpenedFrom/OpenedTo and ClosedFrom/ClosedTo narrow by date (inclusive);
	// the indicators' drill-down links use them.
	OpenedFrom, OpenedTo date.Date
	ClosedFrom, ClosedTo date.Date
	// DeadlineFrom/DeadlineTo narrow by deadline (inclusive): what falls due soon.
	DeadlineFrom, DeadlineTo date.Date
	// OverdueOn lists the items overdue at the end of that day: opened by
	// then, not closed by then, deadline before it.
	OverdueOn date.Date
	Limit     int
	Offset    int
}

// LedgerPage is one page of items and the total that matched.
type LedgerPage struct {
	Items []ledger.Item
	Total int
}

// ledgerWhere builds the condition of a filtered listing.
func (s *Store) ledgerWhere(ctx context.Context, sc auth.Scope, f LedgerFilter) (string, []any, error) {
	if f.OrgID != 0 {
		o, err := s.Org(ctx, sc, f.OrgID)
		if err != nil {
			return "", nil, notFoundAs(err, "org", "org.unknown")
		}
		sc = auth.Scope{OrgPath: o.Path, PersonID: sc.PersonID}
	}
	cond, args := ledgerScopeCond(sc)
	where := " WHERE " + cond
	and := func(c string, a ...any) { where, args = where+" AND "+c, append(args, a...) }
	today := s.today()
	switch f.Status {
	case ledger.Done:
		and("i.closed_on IS NOT NULL")
	case ledger.Open:
		and("i.closed_on IS NULL")
	case ledger.Overdue:
		and("i.closed_on IS NULL AND i.deadline < ?", today)
	case "":
	default:
		return "", nil, errs.Field("status", "ledger.status_unknown")
	}
	if f.CampaignID != 0 {
		and("i.campaign_id = ?", f.CampaignID)
	}
	if f.Source != "" {
		and("i.source = ?", f.Source)
	}
	if f.EventID != 0 {
		and("i.source = 'life_problem' AND i.source_id IN (SELECT id FROM life_problems WHERE event_id = ?)", f.EventID)
	}
	if f.Query != "" {
		and(`i.problem LIKE ? ESCAPE '\'`, "%"+likeEscape(f.Query)+"%")
	}
	if !f.OpenedFrom.IsZero() {
		and("i.opened_on >= ?", f.OpenedFrom)
	}
	if !f.OpenedTo.IsZero() {
		and("i.opened_on <= ?", f.OpenedTo)
	}
	if !f.ClosedFrom.IsZero() {
		and("i.closed_on >= ?", f.ClosedFrom)
	}
	if !f.ClosedTo.IsZero() {
		and("i.closed_on <= ?", f.ClosedTo)
	}
	if !f.DeadlineFrom.IsZero() {
		and("i.deadline >= ?", f.DeadlineFrom)
	}
	if !f.DeadlineTo.IsZero() {
		and("i.deadline <= ?", f.DeadlineTo)
	}
	if !f.OverdueOn.IsZero() {
		and("i.opened_on <= ? AND (i.closed_on IS NULL OR i.closed_on > ?) AND i.deadline < ?", f.OverdueOn, f.OverdueOn, f.OverdueOn)
	}
	return where, args, nil
}

// LedgerItems lists items in the scope: open ones by deadline first, then
// the closed ones, newest first.
func (s *Store) LedgerItems(ctx context.Context, sc auth.Scope, f LedgerFilter) (LedgerPage, error) {
	where, args, err := s.ledgerWhere(ctx, sc, f)
	if err != nil {
		return LedgerPage{}, err
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM ledger_items i"+where, args...).Scan(&total); err != nil {
		return LedgerPage{}, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100000 {
		limit = 50
	}
	rows, err := s.query(ctx, "SELECT "+ledgerCols+ledgerFrom+where+
		" ORDER BY CASE WHEN i.closed_on IS NULL THEN 0 ELSE 1 END, i.deadline, i.id LIMIT ? OFFSET ?", append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return LedgerPage{}, err
	}
	defer rows.Close()
	page := LedgerPage{Total: total}
	for rows.Next() {
		i, err := scanLedgerItem(rows)
		if err != nil {
			return LedgerPage{}, err
		}
		page.Items = append(page.Items, i)
	}
	return page, rows.Err()
}

// ledgerSnapshot is what the audit log keeps of an item.
func ledgerSnapshot(i *ledger.Item) map[string]any {
	return map[string]any{"org_id": i.OrgID, "source": i.Source, "source_id": i.SourceID, "campaign_id": i.CampaignID,
		"problem": i.Problem, "measures": i.Measures, "owner_id": i.OwnerID, "owner": i.Owner, "opened_on": i.OpenedOn,
		"deadline": i.Deadline, "closed_on": nullDate(i.ClosedOn), "closure": i.Closure}
}

func nullDate(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// ledgerRefs checks what an item points to: its organisation and its owner
// inside the scope, its campaign one that covers the organisation.
func (t *tx) ledgerRefs(ctx context.Context, sc auth.Scope, i *ledger.Item) (string, error) {
	i.Normalize()
	var v errs.Invalid
	path := ""
	if i.OrgID != 0 {
		o, err := t.org(ctx, sc, i.OrgID)
		if err != nil && err != errs.ErrNotFound {
			return "", err
		}
		if o == nil {
			v.Add("org_id", "org.unknown")
		} else {
			path, i.OrgName = o.Path, o.Name
		}
	}
	if i.OwnerID != 0 {
		p, err := t.person(ctx, sc, i.OwnerID)
		if err != nil && err != errs.ErrNotFound {
			return "", err
		}
		if p == nil {
			v.Add("owner_id", "person.unknown")
		} else {
			i.Owner = p.Name
		}
	}
	if i.CampaignID != 0 && path != "" {
		c, err := campaignIn(ctx, t, auth.Everything, i.CampaignID)
		if err != nil && err != errs.ErrNotFound {
			return "", err
		}
		if c == nil || !strings.HasPrefix(path, c.OrgPath) {
			v.Add("campaign_id", "ledger.campaign_unknown")
		} else {
			i.Campaign = c.Name
		}
	}
	if err := addProblems(&v, i.Validate()); err != nil {
		return "", err
	}
	return path, v.Err()
}

// addProblems folds the problems of a validation error into v.
func addProblems(v *errs.Invalid, err error) error {
	if err == nil {
		return nil
	}
	inv, ok := err.(*errs.Invalid)
	if !ok {
		return err
	}
	for f, k := range inv.Fields {
		v.Add(f, k)
	}
	return nil
}

// CreateLedgerItem adds an item to the ledger of an organisation in the
// scope; it opens today unless OpenedOn says otherwise (an item entered
// after the fact).
func (s *Store) CreateLedgerItem(ctx context.Context, a audit.Actor, sc auth.Scope, i *ledger.Item) error {
	return s.inTx(ctx, func(t *tx) error { return t.createLedgerItem(ctx, a, sc, i) })
}

func (t *tx) createLedgerItem(ctx context.Context, a audit.Actor, sc auth.Scope, i *ledger.Item) error {
	today := t.s.today()
	if i.OpenedOn.IsZero() {
		i.OpenedOn = today
	} else if i.OpenedOn.After(today) {
		return errs.Field("opened_on", "ledger.date_future")
	}
	path, err := t.ledgerRefs(ctx, sc, i)
	if err != nil {
		return err
	}
	now := t.s.Now()
	id, err := t.insert(ctx, `INSERT INTO ledger_items (org_id, org_path, source, source_id, campaign_id, problem, measures, owner_id, opened_on, deadline,
		closure, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?)`,
		i.OrgID, path, i.Source, nullID(i.SourceID), nullID(i.CampaignID), i.Problem, i.Measures, i.OwnerID, i.OpenedOn, i.Deadline, now, now)
	if err != nil {
		return duplicateAs(err, "source_id", "ledger.problem_has_item")
	}
	i.ID, i.OrgPath, i.Version, i.CreatedAt, i.UpdatedAt = id, path, 1, now, now
	return t.audit(ctx, a, Change{Action: "ledger.create", ObjectType: "ledger_item", ObjectID: id, OrgPath: path, After: ledgerSnapshot(i)})
}

// UpdateLedgerItem saves an edited item (problem, measures, owner, deadline,
// campaign); i.Version must be the version the edit started from. Its
// organisation and source do not change.
func (s *Store) UpdateLedgerItem(ctx context.Context, a audit.Actor, sc auth.Scope, i *ledger.Item) error {
	return s.inTx(ctx, func(t *tx) error {
		old, err := ledgerItemIn(ctx, t, sc, i.ID)
		if err != nil {
			return err
		}
		if i.Version != old.Version {
			return errStale
		}
		i.OrgID, i.Source, i.SourceID, i.OpenedOn, i.ClosedOn, i.Closure = old.OrgID, old.Source, old.SourceID, old.OpenedOn, old.ClosedOn, old.Closure
		path, err := t.ledgerRefs(ctx, sc, i)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if err := t.update(ctx, `UPDATE ledger_items SET campaign_id = ?, problem = ?, measures = ?, owner_id = ?, deadline = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			nullID(i.CampaignID), i.Problem, i.Measures, i.OwnerID, i.Deadline, now, i.ID, i.Version); err != nil {
			return err
		}
		i.Version, i.UpdatedAt, i.Progress = i.Version+1, now, old.Progress
		return t.audit(ctx, a, Change{Action: "ledger.update", ObjectType: "ledger_item", ObjectID: i.ID, OrgPath: path,
			Before: ledgerSnapshot(old), After: ledgerSnapshot(i)})
	})
}

// AddLedgerProgress records a dated step of an open item.
func (s *Store) AddLedgerProgress(ctx context.Context, a audit.Actor, sc auth.Scope, itemID int64, p *ledger.Progress) error {
	return s.inTx(ctx, func(t *tx) error {
		i, err := ledgerItemIn(ctx, t, sc, itemID)
		if err != nil {
			return err
		}
		if err := ledger.ValidateProgress(i, p, t.s.today()); err != nil {
			return err
		}
		now := t.s.Now()
		id, err := t.insert(ctx, "INSERT INTO ledger_progress (item_id, on_date, note, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
			itemID, p.On, p.Note, now, a.Username)
		if err != nil {
			return err
		}
		// The item's version moves, so an edit begun before the step is told.
		if _, err := t.exec(ctx, "UPDATE ledger_items SET version = version + 1, updated_at = ? WHERE id = ?", now, itemID); err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.CreatedBy = id, now, a.Username
		return t.audit(ctx, a, Change{Action: "ledger.progress", ObjectType: "ledger_item", ObjectID: itemID, OrgPath: i.OrgPath,
			After: map[string]any{"on": p.On, "note": p.Note}})
	})
}

// CloseLedgerItem marks an item done on a day, saying how it was fixed;
// version must be the item's current one.
func (s *Store) CloseLedgerItem(ctx context.Context, a audit.Actor, sc auth.Scope, id, version int64, on date.Date, closure string) (*ledger.Item, error) {
	var out *ledger.Item
	err := s.inTx(ctx, func(t *tx) error {
		i, err := ledgerItemIn(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if err := ledger.ValidateClose(i, on, closure, t.s.today()); err != nil {
			return err
		}
		if version != i.Version {
			return errStale
		}
		before := ledgerSnapshot(i)
		now := t.s.Now()
		closure = strings.TrimSpace(closure)
		if err := t.update(ctx, "UPDATE ledger_items SET closed_on = ?, closure = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			on, closure, now, id, version); err != nil {
			return err
		}
		i.ClosedOn, i.Closure, i.Version, i.UpdatedAt = on, closure, i.Version+1, now
		out = i
		return t.audit(ctx, a, Change{Action: "ledger.close", ObjectType: "ledger_item", ObjectID: id, OrgPath: i.OrgPath,
			Before: before, After: ledgerSnapshot(i)})
	})
	return out, err
}

// ReopenLedgerItem takes back a closure made in error; version must be the
// item's current one.
func (s *Store) ReopenLedgerItem(ctx context.Context, a audit.Actor, sc auth.Scope, id, version int64) error {
	return s.inTx(ctx, func(t *tx) error {
		i, err := ledgerItemIn(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if i.ClosedOn.IsZero() {
			return errs.Field("closed_on", "ledger.not_closed")
		}
		if version != i.Version {
			return errStale
		}
		before := ledgerSnapshot(i)
		if err := t.update(ctx, "UPDATE ledger_items SET closed_on = NULL, closure = '', version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			t.s.Now(), id, version); err != nil {
			return err
		}
		i.ClosedOn, i.Closure = date.Date{}, ""
		return t.audit(ctx, a, Change{Action: "ledger.reopen", ObjectType: "ledger_item", ObjectID: id, OrgPath: i.OrgPath,
			Before: before, After: ledgerSnapshot(i)})
	})
}
