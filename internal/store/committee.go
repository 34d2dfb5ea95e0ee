package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
)

// Committee lists an organisation's leadership seats, current ones first.
func (s *Store) Committee(ctx context.Context, sc auth.Scope, orgID int64) ([]org.CommitteeMember, error) {
	if _, err := s.Org(ctx, sc, orgID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT c.id, c.org_id, c.person_id, c.position, c.duty, c.from_date, c.to_date, p.name, c.created_at
		FROM committee_members c JOIN people p ON p.id = c.person_id WHERE c.org_id = ?
		ORDER BY CASE WHEN c.to_date IS NULL THEN 0 ELSE 1 END, c.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.CommitteeMember
	for rows.Next() {
		var m org.CommitteeMember
		if err := rows.Scan(&m.ID, &m.OrgID, &m.PersonID, &m.Position, &m.Duty, &m.From, &m.To, &m.Name, &m.Created); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddCommitteeMember seats a person of the organisation's subtree on its committee.
func (s *Store) AddCommitteeMember(ctx context.Context, a audit.Actor, sc auth.Scope, m *org.CommitteeMember) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, m.OrgID)
		if err != nil {
			return err
		}
		p, err := t.person(ctx, auth.Scope{OrgPath: o.Path}, m.PersonID)
		if err != nil {
			return notFoundAs(err, "person_id", "committee.person_outside")
		}
		if !p.Status.IsMember() {
			return errs.Field("person_id", "committee.not_member")
		}
		id, err := t.insert(ctx, `INSERT INTO committee_members (org_id, person_id, position, duty, from_date, to_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.OrgID, m.PersonID, m.Position, m.Duty, m.From, m.To, t.s.Now())
		if err != nil {
			return err
		}
		m.ID, m.Name = id, p.Name
		// A secretary's talks count for the organisation from their first day.
		if err := t.heldChangedEveryYear(ctx, o.Path); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "committee.add", ObjectType: "committee_member", ObjectID: id, OrgPath: o.Path, After: m})
	})
}

// EndCommitteeMember records that a seat ended (离任) on a day.
func (s *Store) EndCommitteeMember(ctx context.Context, a audit.Actor, sc auth.Scope, orgID, id int64, to date.Date) error {
	if to.IsZero() {
		return errs.Field("to", "required")
	}
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, orgID)
		if err != nil {
			return err
		}
		var from date.Date
		if err := t.queryRow(ctx, "SELECT from_date FROM committee_members WHERE id = ? AND org_id = ? AND to_date IS NULL", id, orgID).Scan(&from); err != nil {
			return mapErr(err)
		}
		if to.Before(from) {
			return errs.Field("to", "date.before_start")
		}
		if _, err := t.exec(ctx, "UPDATE committee_members SET to_date = ? WHERE id = ?", to, id); err != nil {
			return err
		}
		if err := t.heldChangedEveryYear(ctx, o.Path); err != nil { // and no longer after their last
			return err
		}
		return t.audit(ctx, a, Change{Action: "committee.end", ObjectType: "committee_member", ObjectID: id, OrgPath: o.Path,
			Before: map[string]any{"to": nil}, After: map[string]any{"to": to}})
	})
}

const groupCols = `g.id, g.org_id, g.name, g.purpose, g.office, g.set_up_on, g.closed_on, g.version`

func scanGroup(r scanner) (org.WorkingGroup, error) {
	var g org.WorkingGroup
	err := r.Scan(&g.ID, &g.OrgID, &g.Name, &g.Purpose, &g.Office, &g.SetUpOn, &g.ClosedOn, &g.Version)
	return g, mapErr(err)
}

// WorkingGroups lists the groups set up by organisations in the scope, each
// with the seats of the people inside the scope; the others are only counted.
func (s *Store) WorkingGroups(ctx context.Context, sc auth.Scope) ([]org.WorkingGroup, error) {
	lo, hi := sc.PathRange()
	rows, err := s.query(ctx, `SELECT `+groupCols+` FROM working_groups g JOIN orgs o ON o.id = g.org_id
		WHERE o.path >= ? AND o.path < ? ORDER BY g.set_up_on DESC, g.id`, lo, hi)
	if err != nil {
		return nil, err
	}
	var out []org.WorkingGroup
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := groupMembers(ctx, s, sc, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WorkingGroup reads one group set up by an organisation in the scope.
func (s *Store) WorkingGroup(ctx context.Context, sc auth.Scope, id int64) (*org.WorkingGroup, error) {
	return workingGroupIn(ctx, s, sc, id)
}

func workingGroupIn(ctx context.Context, q querier, sc auth.Scope, id int64) (*org.WorkingGroup, error) {
	lo, hi := sc.PathRange()
	g, err := scanGroup(q.queryRow(ctx, `SELECT `+groupCols+` FROM working_groups g JOIN orgs o ON o.id = g.org_id
		WHERE g.id = ? AND o.path >= ? AND o.path < ?`, id, lo, hi))
	if err != nil {
		return nil, err
	}
	return &g, groupMembers(ctx, q, sc, &g)
}

// groupMembers fills a group's seats: those of people inside the scope by
// name, the others only as a count, so a 领导小组 that spans branches tells a
// branch secretary nothing about the people of another branch.
func groupMembers(ctx context.Context, q querier, sc auth.Scope, g *org.WorkingGroup) error {
	rows, err := q.query(ctx, `SELECT m.person_id, m.role, p.name, p.org_path FROM working_group_members m JOIN people p ON p.id = m.person_id
		WHERE m.group_id = ? ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy_leader' THEN 1 WHEN 'office_head' THEN 2 ELSE 3 END, p.name_sort`, g.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	g.Members, g.Others = nil, 0
	for rows.Next() {
		var m org.WorkingGroupMember
		var path string
		if err := rows.Scan(&m.PersonID, &m.Role, &m.Name, &path); err != nil {
			return err
		}
		if !sc.Includes(path) {
			g.Others++
			continue
		}
		g.Members = append(g.Members, m)
	}
	return rows.Err()
}

// SaveWorkingGroup creates (ID 0) or updates a working group. Its seats are
// replaced by g.Members, which must be people of the scope: a 领导小组 spans
// units, so they may come from anywhere in it. Seats of people outside the
// scope, whom the editor was never shown, are kept as they are. An update
// must start from the group's current Version.
func (s *Store) SaveWorkingGroup(ctx context.Context, a audit.Actor, sc auth.Scope, g *org.WorkingGroup) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, g.OrgID)
		if err != nil {
			return notFoundAs(err, "org_id", "org.unknown")
		}
		for i, m := range g.Members {
			p, err := t.person(ctx, sc, m.PersonID)
			if err != nil {
				return notFoundAs(err, "members", "person.unknown")
			}
			g.Members[i].Name = p.Name
		}
		var before any
		if g.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO working_groups (org_id, name, purpose, office, set_up_on, closed_on, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
				g.OrgID, g.Name, g.Purpose, g.Office, g.SetUpOn, g.ClosedOn, t.s.Now())
			if err != nil {
				return err
			}
			g.ID, g.Version = id, 1
		} else {
			old, err := workingGroupIn(ctx, t, sc, g.ID)
			if err != nil {
				return err
			}
			before = old
			if err := t.update(ctx, `UPDATE working_groups SET org_id = ?, name = ?, purpose = ?, office = ?, set_up_on = ?, closed_on = ?, version = version + 1
				WHERE id = ? AND version = ?`, g.OrgID, g.Name, g.Purpose, g.Office, g.SetUpOn, g.ClosedOn, g.ID, g.Version); err != nil {
				return err
			}
			g.Version++
			lo, hi := sc.PathRange()
			if _, err := t.exec(ctx, `DELETE FROM working_group_members WHERE group_id = ?
				AND person_id IN (SELECT id FROM people WHERE org_path >= ? AND org_path < ?)`, g.ID, lo, hi); err != nil {
				return err
			}
			g.Others = old.Others
		}
		for _, m := range g.Members {
			if _, err := t.exec(ctx, "INSERT INTO working_group_members (group_id, person_id, role) VALUES (?, ?, ?)", g.ID, m.PersonID, m.Role); err != nil {
				return err
			}
		}
		return t.audit(ctx, a, Change{Action: "group.save", ObjectType: "working_group", ObjectID: g.ID, OrgPath: o.Path, Before: before, After: g})
	})
}
