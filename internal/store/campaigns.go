package store

import (
	"strings"

	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
)

// A campaign is set up by an organisation and covers its subtree: a branch
// sees the campaigns of the organisations above it as well as its own, and
// its events and items may belong to them. Only those whose scope holds the
// organisation that set it up may change it.

const campaignCols = `c.id, c.org_id, c.org_path, o.name, c.name, c.kind, c.starts_on, c.ends_on, COALESCE(c.group_id, 0), COALESCE(g.name, ''),
	c.plan, c.plan_name, c.plan_type, c.version, c.created_at, c.updated_at`

const campaignFrom = ` FROM campaigns c JOIN orgs o ON o.id = c.org_id LEFT JOIN working_groups g ON g.id = c.group_id`

func scanCampaign(r scanner) (ledger.Campaign, error) {
	var c ledger.Campaign
	err := r.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.OrgName, &c.Name, &c.Kind, &c.StartsOn, &c.EndsOn, &c.GroupID, &c.Group,
		&c.Plan, &c.PlanName, &c.PlanType, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return c, mapErr(err)
}

// campaignScopeCond: the campaigns set up inside the scope, and those of the
// organisations above it, which cover it.
func campaignScopeCond(sc auth.Scope) (string, []any) {
	lo, hi := sc.PathRange()
	return "((c.org_path >= ? AND c.org_path < ?) OR ? LIKE c.org_path || '%')", []any{lo, hi, sc.OrgPath}
}

// Campaigns lists the campaigns a scope sees, the latest first.
func (s *Store) Campaigns(ctx context.Context, sc auth.Scope) ([]ledger.Campaign, error) {
	if sc.PersonID != 0 {
		return nil, nil
	}
	cond, args := campaignScopeCond(sc)
	rows, err := s.query(ctx, "SELECT "+campaignCols+campaignFrom+" WHERE "+cond+" ORDER BY c.starts_on DESC, c.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Campaign reads one campaign the scope sees.
func (s *Store) Campaign(ctx context.Context, sc auth.Scope, id int64) (*ledger.Campaign, error) {
	return campaignIn(ctx, s, sc, id)
}

func campaignIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*ledger.Campaign, error) {
	if sc.PersonID != 0 {
		return nil, errs.ErrNotFound
	}
	cond, args := campaignScopeCond(sc)
	c, err := scanCampaign(q.queryRow(ctx, "SELECT "+campaignCols+campaignFrom+" WHERE c.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func campaignSnapshot(c *ledger.Campaign) map[string]any {
	return map[string]any{"org_id": c.OrgID, "name": c.Name, "kind": c.Kind, "starts_on": c.StartsOn, "ends_on": c.EndsOn,
		"group_id": c.GroupID, "plan": c.Plan, "plan_name": c.PlanName}
}

// SaveCampaign creates (ID 0) or updates a campaign of an organisation in
// the scope; its working group must be one the scope's organisations set
// up. An update must start from the current Version; the organisation does
// not change.
func (s *Store) SaveCampaign(ctx context.Context, a audit.Actor, sc auth.Scope, c *ledger.Campaign) error {
	c.Normalize()
	return s.inTx(ctx, func(t *tx) error {
		var v errs.Invalid
		var old *ledger.Campaign
		if c.ID != 0 {
			var err error
			if old, err = campaignIn(ctx, t, sc, c.ID); err != nil {
				return err
			}
			if !sc.Includes(old.OrgPath) {
				return errs.ErrForbidden
			}
			c.OrgID = old.OrgID
		}
		if c.OrgID != 0 {
			o, err := t.org(ctx, sc, c.OrgID)
			if err != nil && err != errs.ErrNotFound {
				return err
			}
			if o == nil {
				v.Add("org_id", "org.unknown")
			} else {
				c.OrgPath, c.OrgName = o.Path, o.Name
			}
		}
		if c.GroupID != 0 {
			g, err := workingGroupIn(ctx, t, sc, c.GroupID)
			if err != nil && err != errs.ErrNotFound {
				return err
			}
			if g == nil {
				v.Add("group_id", "ledger.group_unknown")
			} else {
				c.Group = g.Name
			}
		}
		if err := addProblems(&v, c.Validate()); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := t.s.Now()
		if old == nil {
			id, err := t.insert(ctx, `INSERT INTO campaigns (org_id, org_path, name, kind, starts_on, ends_on, group_id, plan, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, c.OrgID, c.OrgPath, c.Name, c.Kind, c.StartsOn, c.EndsOn, nullID(c.GroupID), c.Plan, now, now)
			if err != nil {
				return err
			}
			c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, 1, now, now
			return t.audit(ctx, a, Change{Action: "campaign.create", ObjectType: "campaign", ObjectID: id, OrgPath: c.OrgPath, After: campaignSnapshot(c)})
		}
		if c.Version != old.Version {
			return errStale
		}
		if err := t.update(ctx, `UPDATE campaigns SET name = ?, kind = ?, starts_on = ?, ends_on = ?, group_id = ?, plan = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, c.Name, c.Kind, c.StartsOn, c.EndsOn, nullID(c.GroupID), c.Plan, now, c.ID, c.Version); err != nil {
			return err
		}
		c.PlanName, c.PlanType, c.CreatedAt, c.UpdatedAt, c.Version = old.PlanName, old.PlanType, old.CreatedAt, now, c.Version+1
		return t.audit(ctx, a, Change{Action: "campaign.update", ObjectType: "campaign", ObjectID: c.ID, OrgPath: c.OrgPath,
			Before: campaignSnapshot(old), After: campaignSnapshot(c)})
	})
}

// SetCampaignPlanFile stores the 实施方案 as a file whose type the caller
// checked by its content, replacing the one before.
func (s *Store) SetCampaignPlanFile(ctx context.Context, a audit.Actor, sc auth.Scope, id int64, name, contentType string, data []byte) error {
	return s.inTx(ctx, func(t *tx) error {
		c, err := campaignIn(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if !sc.Includes(c.OrgPath) {
			return errs.ErrForbidden
		}
		if err := t.update(ctx, "UPDATE campaigns SET plan_name = ?, plan_type = ?, plan_data = ?, version = version + 1, updated_at = ? WHERE id = ?",
			name, contentType, data, t.s.Now(), id); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "campaign.plan_file", ObjectType: "campaign", ObjectID: id, OrgPath: c.OrgPath,
			Before: map[string]any{"plan_name": c.PlanName}, After: map[string]any{"plan_name": name, "plan_type": contentType, "size": len(data)}})
	})
}

// CampaignPlanFile reads the 实施方案 file of a campaign the scope sees.
func (s *Store) CampaignPlanFile(ctx context.Context, sc auth.Scope, id int64) (name, contentType string, data []byte, err error) {
	c, err := s.Campaign(ctx, sc, id)
	if err != nil {
		return "", "", nil, err
	}
	if c.PlanName == "" {
		return "", "", nil, errs.ErrNotFound
	}
	err = mapErr(s.queryRow(ctx, "SELECT plan_data FROM campaigns WHERE id = ?", id).Scan(&data))
	return c.PlanName, c.PlanType, data, err
}

// CampaignFigures are a campaign's own figures inside a scope: its events
// held (by kind), their present marks, and its ledger items.
type CampaignFigures struct {
	EventsHeld   int            `json:"events_held"`
	HeldByKind   map[string]int `json:"held_by_kind"` // kind name → events
	PersonTimes  int            `json:"person_times"` // present marks at its held events
	ItemsOpened  int            `json:"items_opened"`
	ItemsClosed  int            `json:"items_closed"`
	ItemsOverdue int            `json:"items_overdue"` // open today past their deadline
	NoteChars    int            `json:"note_chars"`    // characters of the study notes that belong to it
	Reflections  int            `json:"reflections"`   // 心得体会 that belong to it
}

// CampaignFigures draws a campaign's figures alone, from the events and
// items in the scope that belong to it.
func (s *Store) CampaignFigures(ctx context.Context, sc auth.Scope, id int64) (CampaignFigures, error) {
	f := CampaignFigures{HeldByKind: map[string]int{}}
	if _, err := s.Campaign(ctx, sc, id); err != nil {
		return f, err
	}
	ecCond, ecArgs := eventScopeCond(sc)
	rows, err := s.query(ctx, `SELECT k.name, COUNT(*) FROM events e JOIN event_kinds k ON k.id = e.kind_id
		WHERE e.campaign_id = ? AND e.status = 'held' AND `+ecCond+` GROUP BY k.name ORDER BY k.name`, append([]any{id}, ecArgs...)...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.HeldByKind[name] = n
		f.EventsHeld += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM event_attendance a JOIN events e ON e.id = a.event_id
		WHERE e.campaign_id = ? AND e.status = 'held' AND a.mark = 'present' AND `+ecCond, append([]any{id}, ecArgs...)...).Scan(&f.PersonTimes); err != nil {
		return f, mapErr(err)
	}
	lc, largs := ledgerScopeCond(sc)
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.closed_on IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN i.closed_on IS NULL AND i.deadline < ? THEN 1 ELSE 0 END), 0)
		FROM ledger_items i WHERE i.campaign_id = ? AND `+lc, append([]any{s.today(), id}, largs...)...).Scan(&f.ItemsOpened, &f.ItemsClosed, &f.ItemsOverdue)
	if err != nil {
		return f, mapErr(err)
	}
	f.NoteChars, f.Reflections, err = s.CampaignNotes(ctx, sc, id)
	return f, err
}

// CampaignEvents lists the events in the scope that belong to a campaign,
// the latest first (at most limit).
func (s *Store) CampaignEvents(ctx context.Context, sc auth.Scope, id int64, limit int) ([]event.Event, error) {
	if _, err := s.Campaign(ctx, sc, id); err != nil {
		return nil, err
	}
	cond, args := eventScopeCond(sc)
	rows, err := s.query(ctx, "SELECT "+eventCols+eventFrom+" WHERE e.campaign_id = ? AND "+cond+" ORDER BY e.planned_start DESC, e.id DESC LIMIT ?",
		append(append([]any{id}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkEventCampaign checks the campaign an event of the organisation at
// path says it belongs to: one that covers the organisation.
func (t *tx) checkEventCampaign(ctx context.Context, path string, campaignID int64) error {
	if campaignID == 0 {
		return nil
	}
	c, err := campaignIn(ctx, t, auth.Everything, campaignID)
	if err != nil && err != errs.ErrNotFound {
		return err
	}
	if c == nil || !strings.HasPrefix(path, c.OrgPath) {
		return errs.Field("campaign_id", "ledger.campaign_unknown")
	}
	return nil
}
