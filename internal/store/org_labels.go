package store

import (
	"context"

	"dangjian/internal/errs"
	"dangjian/internal/org"
)

// Organisations are shown by their label (org.PathLabels: 第一党支部 ›
// 第一党小组), which depends on the whole tree: a new 第一党小组 elsewhere
// makes an existing one ambiguous. The labels are therefore a column of
// orgs, rewritten in the transaction of every change to the tree (each
// writes its history through orgEvent, which calls relabelOrgs), so a list
// reads them with its rows in the same statement and every instance agrees.

// relabelOrgs recomputes every label, and whether each organisation sits
// inside a 村/社区, and writes those that changed.
func (t *tx) relabelOrgs(ctx context.Context) error {
	if t.s.dialect == Postgres {
		// Two tree changes at once: the second relabels after the first
		// commits, so it sees both organisations.
		if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(7419001)"); err != nil {
			return err
		}
	}
	rows, err := t.query(ctx, "SELECT id, COALESCE(parent_id, 0), kind, name, label, under_village FROM orgs")
	if err != nil {
		return err
	}
	var all []org.Org
	for rows.Next() {
		var o org.Org
		if err := rows.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Label, &o.UnderVillage); err != nil {
			rows.Close()
			return err
		}
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	labels, under := org.PathLabels(all), underVillage(all)
	for _, o := range all {
		if l, u := labels[o.ID], under[o.ID]; l != o.Label || u != o.UnderVillage {
			if _, err := t.exec(ctx, "UPDATE orgs SET label = ?, under_village = ? WHERE id = ?", l, u, o.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// underVillage marks the organisations with a 村/社区 among their ancestors.
func underVillage(all []org.Org) map[int64]bool {
	byID := make(map[int64]org.Org, len(all))
	for _, o := range all {
		byID[o.ID] = o
	}
	under := map[int64]bool{}
	for _, o := range all {
		for p, ok := byID[o.ParentID]; ok; p, ok = byID[p.ParentID] {
			if p.Kind == org.Village {
				under[o.ID] = true
				break
			}
		}
	}
	return under
}

// OrgLabels names every organisation by its label, closed ones included,
// whatever the caller's scope: a label only names what the caller already
// shows (the audit log names the objects of its records with them).
func (s *Store) OrgLabels(ctx context.Context) (map[int64]string, error) {
	rows, err := s.query(ctx, "SELECT id, label, name FROM orgs")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var label, name string
		if err := rows.Scan(&id, &label, &name); err != nil {
			return nil, err
		}
		out[id] = labelOr(label, name)
	}
	return out, rows.Err()
}

// orgLabel is the label of the organisation o of a query, or its name
// while it has none: a read names organisations by their path without
// loading the whole tree.
const orgLabel = "COALESCE(NULLIF(o.label, ''), o.name)"

// OrgLabel is one organisation's label; "" for 0 or an unknown id.
func (s *Store) OrgLabel(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var label, name string
	err := s.queryRow(ctx, "SELECT label, name FROM orgs WHERE id = ?", id).Scan(&label, &name)
	if err = mapErr(err); err == errs.ErrNotFound {
		return "", nil
	}
	return labelOr(label, name), err
}

// labelOr is the label, or the name of an organisation not yet labelled.
func labelOr(label, name string) string {
	if label != "" {
		return label
	}
	return name
}
