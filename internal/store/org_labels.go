package store

import (
	"context"
	"strconv"
	"sync"

	"dangjian/internal/org"
)

// orgLabelCache keeps org.PathLabels of the whole tree. Pages read labels on
// every request and the tree changes seldom, so the labels are rebuilt only
// when the tree's signature (how many organisations, the sum of their
// versions: every create, rename, move and close changes it) differs — also
// when another instance changed the tree.
type orgLabelCache struct {
	mu     sync.Mutex
	sig    string
	labels map[int64]string
}

// OrgLabels names every organisation by as much of its path as tells it
// apart from the others (org.PathLabels): 第一党支部 › 第一党小组. It reads the
// whole tree, closed organisations included, whatever the caller's scope:
// a label only names what the caller already shows.
func (s *Store) OrgLabels(ctx context.Context) (map[int64]string, error) {
	var n, versions, maxID int64
	if err := s.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(id), 0) FROM orgs").Scan(&n, &versions, &maxID); err != nil {
		return nil, mapErr(err)
	}
	sig := strconv.FormatInt(n, 10) + "/" + strconv.FormatInt(versions, 10) + "/" + strconv.FormatInt(maxID, 10)
	c := &s.orgLabels
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.labels != nil && c.sig == sig {
		return c.labels, nil
	}
	rows, err := s.query(ctx, "SELECT id, COALESCE(parent_id, 0), name FROM orgs")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []org.Org
	for rows.Next() {
		var o org.Org
		if err := rows.Scan(&o.ID, &o.ParentID, &o.Name); err != nil {
			return nil, err
		}
		all = append(all, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.sig, c.labels = sig, org.PathLabels(all)
	return c.labels, nil
}

// OrgLabel is one organisation's label (OrgLabels); "" for 0 or an unknown id.
func (s *Store) OrgLabel(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	l, err := s.OrgLabels(ctx)
	return l[id], err
}

// labelOrgs fills each organisation's Label.
func (s *Store) labelOrgs(ctx context.Context, list []org.Org) error {
	if len(list) == 0 {
		return nil
	}
	l, err := s.OrgLabels(ctx)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Label = labelOr(l, list[i].ID, list[i].Name)
	}
	return nil
}

// labelPeople fills the labels of each person's organisation and unit.
func (s *Store) labelPeople(ctx context.Context, list []PersonRow) error {
	if len(list) == 0 {
		return nil
	}
	l, err := s.OrgLabels(ctx)
	if err != nil {
		return err
	}
	for i := range list {
		p := &list[i]
		p.OrgLabel, p.UnitLabel = labelOr(l, p.OrgID, p.OrgName), labelOr(l, p.UnitID, p.UnitName)
	}
	return nil
}

func labelOr(l map[int64]string, id int64, name string) string {
	if s, ok := l[id]; ok && id != 0 {
		return s
	}
	return name
}
