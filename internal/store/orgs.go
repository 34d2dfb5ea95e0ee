package store

import (
	"context"
	"crypto/rand"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
)

const orgCols = `id, COALESCE(parent_id, 0), kind, name, label, under_village, path, sort_order, term_start, closed_on, version, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanOrg(r scanner) (org.Org, error) {
	var o org.Org
	err := r.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Label, &o.UnderVillage, &o.Path, &o.SortOrder, &o.TermStart, &o.ClosedOn, &o.Version, &o.CreatedAt)
	o.Label = labelOr(o.Label, o.Name)
	return o, mapErr(err)
}

// orgSnapshot is what the audit log keeps of an organisation.
func orgSnapshot(o *org.Org) map[string]any {
	return map[string]any{"id": o.ID, "parent_id": o.ParentID, "kind": o.Kind, "name": o.Name, "path": o.Path,
		"sort_order": o.SortOrder, "term_start": o.TermStart, "closed_on": o.ClosedOn}
}

// Org reads one organisation inside the scope; outside it is not found.
func (s *Store) Org(ctx context.Context, sc auth.Scope, id int64) (*org.Org, error) {
	return orgIn(ctx, s, sc, id)
}

func (t *tx) org(ctx context.Context, sc auth.Scope, id int64) (*org.Org, error) {
	return orgIn(ctx, t, sc, id)
}

func orgIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*org.Org, error) {
	lo, hi := sc.PathRange()
	o, err := scanOrg(q.queryRow(ctx, "SELECT "+orgCols+" FROM orgs WHERE id = ? AND path >= ? AND path < ?", id, lo, hi))
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// OrgFilter narrows Orgs.
type OrgFilter struct {
	Kinds         []org.Kind
	IncludeClosed bool
}

// Orgs lists the scope's subtree in tree order (parents before children,
// siblings by sort order then name).
func (s *Store) Orgs(ctx context.Context, sc auth.Scope, f OrgFilter) ([]org.Org, error) {
	if sc.PersonID != 0 {
		return nil, nil // a member's scope holds no organisations to browse
	}
	lo, hi := sc.PathRange()
	q := "SELECT " + orgCols + " FROM orgs WHERE path >= ? AND path < ?"
	args := []any{lo, hi}
	if !f.IncludeClosed {
		q += " AND closed_on IS NULL"
	}
	if len(f.Kinds) > 0 {
		q += " AND kind IN (" + placeholders(len(f.Kinds)) + ")"
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	return s.orgsInTreeOrder(ctx, q, args)
}

// OrgsAround lists what an organisation filter offers around one
// organisation of the scope (0: the scope's top): the tree opened along the
// way down to it from the top of the scope — each organisation on the way
// with its children (closed ones only with f.IncludeClosed) — in tree
// order, of the kinds f asks for (all when none); nothing for an
// organisation outside the scope. A province's pages offer its cities; a
// county chosen, the cities, the counties of its city and its own
// branches; never fifteen thousand organisations in one list. One
// statement: the way is walked up by parent from the chosen one.
func (s *Store) OrgsAround(ctx context.Context, sc auth.Scope, id int64, f OrgFilter) ([]org.Org, error) {
	if sc.PersonID != 0 {
		return nil, nil
	}
	lo, hi := sc.PathRange()
	var way string
	var args []any
	switch {
	case id != 0:
		way = `WITH RECURSIVE way(id, parent_id) AS (SELECT id, parent_id FROM orgs WHERE id = ? AND path >= ? AND path < ?
			UNION ALL SELECT o.id, o.parent_id FROM orgs o JOIN way w ON o.id = w.parent_id WHERE o.path >= ?) `
		args = []any{id, lo, hi, lo}
	case sc.OrgPath != "/":
		way, args = `WITH way(id) AS (SELECT id FROM orgs WHERE path = ?) `, []any{sc.OrgPath}
	default:
		way = `WITH way(id) AS (SELECT id FROM orgs WHERE parent_id IS NULL AND closed_on IS NULL) `
	}
	open := "parent_id IN (SELECT id FROM way)"
	if sc.OrgPath == "/" { // the whole tree: its roots too
		open += " OR parent_id IS NULL"
	}
	if !f.IncludeClosed {
		open = "(" + open + ") AND closed_on IS NULL"
	}
	q := way + "SELECT " + orgCols + " FROM orgs WHERE (id IN (SELECT id FROM way) OR (" + open + "))"
	if len(f.Kinds) > 0 {
		q += " AND kind IN (" + placeholders(len(f.Kinds)) + ")"
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	return s.orgsInTreeOrder(ctx, q, args)
}

// orgsInTreeOrder reads the organisations a query selects (orgCols), in
// tree order.
func (s *Store) orgsInTreeOrder(ctx context.Context, q string, args []any) ([]org.Org, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []org.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return org.SortTree(list), nil
}

// CreateOrg adds a node. A root (ParentID 0) may only be created with the
// whole tree in scope, and only of a kind that may stand at the top
// (org.Kind.MayBeUnder("")). Open siblings never share a name: the
// orgs_sibling_name index refuses it, even between two saves at once.
func (s *Store) CreateOrg(ctx context.Context, a audit.Actor, sc auth.Scope, o *org.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		if err := t.createOrg(ctx, a, sc, o); err != nil {
			return err
		}
		return t.relabelOrgs(ctx)
	})
}

// ImportOrgs adds many nodes in one transaction, as CreateOrg adds each,
// and rewrites the labels once at the end instead of after each node: the
// bulk path of the province-scale generator. A node's parent may be one
// created earlier in the same call only if its ID is known, so a tree is
// imported a level a call. One bad node writes nothing.
func (s *Store) ImportOrgs(ctx context.Context, a audit.Actor, sc auth.Scope, list []*org.Org) error {
	for _, o := range list {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(t *tx) error {
		for _, o := range list {
			if err := t.createOrg(ctx, a, sc, o); err != nil {
				return err
			}
		}
		return t.relabelOrgs(ctx)
	})
}

// createOrg is CreateOrg inside a transaction, without the labels.
func (t *tx) createOrg(ctx context.Context, a audit.Actor, sc auth.Scope, o *org.Org) error {
	s := t.s
	var parent *org.Org
	if o.ParentID != 0 {
		p, err := t.org(ctx, sc, o.ParentID)
		if err != nil {
			return notFoundAs(err, "parent_id", "org.parent_unknown")
		}
		parent = p
	} else if sc.OrgPath != "/" {
		return errs.Field("parent_id", "required")
	}
	if err := o.CheckParent(parent); err != nil {
		return err
	}
	now := s.Now()
	// The path needs the id, so insert with a placeholder path first,
	// one that no other insert at the same moment can share.
	id, err := t.insert(ctx, `INSERT INTO orgs (parent_id, kind, name, path, sort_order, term_start, version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?)`, nullID(o.ParentID), o.Kind, o.Name, "pending:"+rand.Text(), o.SortOrder, o.TermStart, now)
	if err != nil {
		return duplicateAs(err, "name", "org.name_taken")
	}
	o.ID, o.Version, o.CreatedAt = id, 1, now
	if parent != nil {
		o.Path = parent.ChildPath(id)
	} else {
		o.Path = org.RootPath(id)
	}
	if _, err := t.exec(ctx, "UPDATE orgs SET path = ? WHERE id = ?", o.Path, id); err != nil {
		return err
	}
	if err := t.insertOrgEvent(ctx, a, id, "create", "", o.Name); err != nil {
		return err
	}
	return t.audit(ctx, a, Change{Action: "org.create", ObjectType: "org", ObjectID: id, OrgPath: o.Path, After: orgSnapshot(o)})
}

// orgEvent writes a step of an organisation's history. Every change to the
// tree writes one, so this is where the labels follow the tree.
func (t *tx) orgEvent(ctx context.Context, a audit.Actor, orgID int64, action, from, to string) error {
	if err := t.insertOrgEvent(ctx, a, orgID, action, from, to); err != nil {
		return err
	}
	return t.relabelOrgs(ctx)
}

// insertOrgEvent writes the step without relabelling; its caller relabels.
func (t *tx) insertOrgEvent(ctx context.Context, a audit.Actor, orgID int64, action, from, to string) error {
	_, err := t.exec(ctx, `INSERT INTO org_events (org_id, at, action, from_value, to_value, username) VALUES (?, ?, ?, ?, ?, ?)`,
		orgID, t.s.Now(), action, from, to, a.Username)
	return err
}

// UpdateOrg renames a node and sets its sort order and committee term start.
// Kind and place in the tree change only through MoveOrg.
func (s *Store) UpdateOrg(ctx context.Context, a audit.Actor, sc auth.Scope, o *org.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		old, err := t.org(ctx, sc, o.ID)
		if err != nil {
			return err
		}
		if old.Kind != o.Kind {
			return errs.Field("kind", "org.kind_fixed")
		}
		if err := t.update(ctx, `UPDATE orgs SET name = ?, sort_order = ?, term_start = ?, version = version + 1 WHERE id = ? AND version = ?`,
			o.Name, o.SortOrder, o.TermStart, o.ID, o.Version); err != nil {
			return duplicateAs(err, "name", "org.name_taken")
		}
		if old.Name != o.Name {
			if err := t.orgEvent(ctx, a, o.ID, "rename", old.Name, o.Name); err != nil {
				return err
			}
		}
		o.ParentID, o.Path, o.ClosedOn, o.CreatedAt, o.Version = old.ParentID, old.Path, old.ClosedOn, old.CreatedAt, old.Version+1
		return t.audit(ctx, a, Change{Action: "org.update", ObjectType: "org", ObjectID: o.ID, OrgPath: o.Path, Before: orgSnapshot(old), After: orgSnapshot(o)})
	})
}

// movesWithOrg are the tables whose rows belong to an organisation and name
// it by path (a subtree is one range): they move with it — its people, its
// meetings, its ledgers, its summaries. The audit log keeps where things
// happened; the tallies that triggers keep by path (event_totals,
// learning_reach) follow the events. A test holds every table with an
// org_path to one side or the other.
var movesWithOrg = []string{"people", "roster_counts", "events", "held_months", "ledger_items", "campaigns", "learning_plans", "learning_materials",
	"learning_notes", "person_corrections", "summaries", "reported_figures", "import_history", "import_uploads"}

// MoveOrg places a node and its subtree under another parent inside the scope.
// Paths of the subtree and of the records kept in it are rewritten in the
// same transaction, so scopes and figures follow the move at once.
func (s *Store) MoveOrg(ctx context.Context, a audit.Actor, sc auth.Scope, id, newParentID, version int64) error {
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, id)
		if err != nil {
			return err
		}
		if o.Path == sc.OrgPath {
			return errs.Field("parent_id", "org.move_scope_root")
		}
		if o.Version != version {
			return errStale
		}
		parent, err := t.org(ctx, sc, newParentID)
		if err != nil {
			return notFoundAs(err, "parent_id", "org.parent_unknown")
		}
		if err := o.CheckParent(parent); err != nil {
			return err
		}
		if parent.ID == o.ParentID {
			return nil
		}
		before := *o
		oldPath, newPath := o.Path, parent.ChildPath(o.ID)
		sub := auth.Scope{OrgPath: oldPath}
		lo, hi := sub.PathRange()
		// Rewrite the prefix of every path in the subtree.
		if _, err := t.exec(ctx, `UPDATE orgs SET path = CAST(? AS TEXT) || substr(path, ?) WHERE path >= ? AND path < ?`,
			newPath, len(oldPath)+1, lo, hi); err != nil {
			return err
		}
		for _, table := range movesWithOrg {
			if _, err := t.exec(ctx, `UPDATE `+table+` SET org_path = CAST(? AS TEXT) || substr(org_path, ?) WHERE org_path >= ? AND org_path < ?`,
				newPath, len(oldPath)+1, lo, hi); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `UPDATE orgs SET parent_id = ?, version = version + 1 WHERE id = ?`, parent.ID, o.ID); err != nil {
			return duplicateAs(err, "parent_id", "org.name_taken")
		}
		o.ParentID, o.Path, o.Version = parent.ID, newPath, o.Version+1
		if err := t.orgEvent(ctx, a, o.ID, "move", oldPath, newPath); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "org.move", ObjectType: "org", ObjectID: o.ID, OrgPath: newPath, Before: orgSnapshot(&before), After: orgSnapshot(o)})
	})
}

// CloseOrg closes (撤销) a node. One with open children or current people in
// it must be emptied first, so nobody silently falls out of every scope.
func (s *Store) CloseOrg(ctx context.Context, a audit.Actor, sc auth.Scope, id int64, on date.Date) error {
	if on.IsZero() {
		return errs.Field("closed_on", "required")
	}
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, id)
		if err != nil {
			return err
		}
		if o.Path == sc.OrgPath {
			return errs.Field("closed_on", "org.close_scope_root")
		}
		if !o.ClosedOn.IsZero() {
			return errs.NewConflict("closed_on", "org.already_closed")
		}
		var children, members int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND closed_on IS NULL`, id).Scan(&children); err != nil {
			return mapErr(err)
		}
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE (org_id = ? OR unit_id = ?) AND left_on IS NULL`, id, id).Scan(&members); err != nil {
			return mapErr(err)
		}
		if children > 0 {
			return errs.NewConflict("closed_on", "org.close_has_children")
		}
		if members > 0 {
			return errs.NewConflict("closed_on", "org.close_has_people")
		}
		if _, err := t.exec(ctx, `UPDATE orgs SET closed_on = ?, version = version + 1 WHERE id = ?`, on, id); err != nil {
			return err
		}
		before := *o
		o.ClosedOn, o.Version = on, o.Version+1
		if err := t.orgEvent(ctx, a, id, "close", "", on.String()); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "org.close", ObjectType: "org", ObjectID: id, OrgPath: o.Path, Before: orgSnapshot(&before), After: orgSnapshot(o)})
	})
}

// OrgEvent is one line of an organisation's history.
type OrgEvent struct {
	At       time.Time
	Action   string
	From, To string
	Username string
}

// OrgHistory lists what happened to a node, oldest first.
func (s *Store) OrgHistory(ctx context.Context, sc auth.Scope, id int64) ([]OrgEvent, error) {
	if _, err := s.Org(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT at, action, from_value, to_value, username FROM org_events WHERE org_id = ? ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OrgEvent
	for rows.Next() {
		var e OrgEvent
		if err := rows.Scan(&e.At, &e.Action, &e.From, &e.To, &e.Username); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OrgsByName maps open organisation names in the scope (of the filter's kinds)
// to their records, for imports that name branches and units in words. A name
// used twice maps to nil: the importer reports it as ambiguous instead of guessing.
func (s *Store) OrgsByName(ctx context.Context, sc auth.Scope, f OrgFilter) (map[string]*org.Org, error) {
	list, err := s.Orgs(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*org.Org, len(list))
	for i := range list {
		o := &list[i]
		if _, dup := m[o.Name]; dup {
			m[o.Name] = nil
			continue
		}
		m[o.Name] = o
	}
	return m, nil
}

// notFoundAs turns a missing reference into a field problem.
func notFoundAs(err error, field, key string) error {
	if err == errs.ErrNotFound {
		return errs.Field(field, key)
	}
	return err
}
