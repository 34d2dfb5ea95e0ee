package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/people"
)

// AuditRefs are the objects a page of the audit log mentions, by kind
// ("org", "person", "user", "event", "event_kind", "working_group",
// "committee_member", "dict_item") and id.
type AuditRefs map[string][]int64

// Add notes one object; zero ids are ignored.
func (r AuditRefs) Add(kind string, id int64) {
	if id != 0 && !slices.Contains(r[kind], id) {
		r[kind] = append(r[kind], id)
	}
}

// AuditNames names the objects an audit page mentions as an auditor reads
// them: a person with their organisation (张三（第一党支部）), an organisation
// by its path label, an account by its username and display name. Objects
// since removed have no name; the page falls back to what the record holds.
// It reads across the whole tree: only the audit administrator's routes call
// it, and they read the log of the whole tree.
func (s *Store) AuditNames(ctx context.Context, refs AuditRefs) (map[string]map[int64]string, error) {
	out := map[string]map[int64]string{}
	labels, err := s.OrgLabels(ctx)
	if err != nil {
		return nil, err
	}
	out["org"] = labels
	queries := map[string]string{
		"person":           "SELECT id, name, org_id FROM people WHERE id IN (%s)",
		"user":             "SELECT id, username, display_name FROM users WHERE id IN (%s)",
		"event":            "SELECT id, title, org_id FROM events WHERE id IN (%s)",
		"event_kind":       "SELECT id, name, '' FROM event_kinds WHERE id IN (%s)",
		"working_group":    "SELECT id, name, org_id FROM working_groups WHERE id IN (%s)",
		"committee_member": "SELECT c.id, p.name || '·' || c.position, c.org_id FROM committee_members c JOIN people p ON p.id = c.person_id WHERE c.id IN (%s)",
		"dict_item":        "SELECT id, label, '' FROM dict_items WHERE id IN (%s)",
	}
	for kind, ids := range refs {
		q, ok := queries[kind]
		if !ok || len(ids) == 0 {
			continue
		}
		names := map[int64]string{}
		for chunk := range slices.Chunk(ids, 500) {
			rows, err := s.query(ctx, strings.Replace(q, "%s", placeholders(len(chunk)), 1), int64sAny(chunk)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				var name, extra string
				if err := rows.Scan(&id, &name, &extra); err != nil {
					rows.Close()
					return nil, err
				}
				switch kind {
				case "user":
					if extra != "" && extra != name {
						name += "（" + extra + "）"
					}
				case "event_kind", "dict_item":
				default: // where it sits
					if orgID, err := strconv.ParseInt(extra, 10, 64); err == nil && labels[orgID] != "" {
						name += "（" + labels[orgID] + "）"
					}
				}
				names[id] = name
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
		out[kind] = names
	}
	return out, nil
}

// PeopleNamed lists the ids of everyone of that name (spaces as offices
// type them ignored), whatever their organisation: the audit log's filter
// by the person concerned.
func (s *Store) PeopleNamed(ctx context.Context, name string) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT id FROM people WHERE name = ? ORDER BY id", people.NormalizeName(name))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
