package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/audit"
)

// Change describes one audited change: what, and the object before and after.
// Before or After is nil for a creation or a removal.
type Change struct {
	Action     string
	ObjectType string
	ObjectID   int64
	OrgPath    string
	Before     any
	After      any
}

// audit writes the record of a change inside the change's own transaction,
// so there is never a change without its record or a record without a change.
func (t *tx) audit(ctx context.Context, a audit.Actor, c Change) error {
	return t.s.writeAudit(ctx, t, a, c)
}

// LogEvent writes an audit record that is not part of a data change: logins,
// a full view of an ID number, an export.
func (s *Store) LogEvent(ctx context.Context, a audit.Actor, c Change) error {
	return s.inTx(ctx, func(t *tx) error { return t.audit(ctx, a, c) })
}

func (s *Store) writeAudit(ctx context.Context, t *tx, a audit.Actor, c Change) error {
	id := ""
	if c.ObjectID != 0 {
		id = strconv.FormatInt(c.ObjectID, 10)
	}
	_, err := t.exec(ctx, `INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, org_path, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.Now(), nullID(a.UserID), a.Username, a.IP, c.Action, c.ObjectType, id, c.OrgPath, toJSON(c.Before), toJSON(c.After))
	return err
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return `{"error":"unencodable"}`
	}
	return string(b)
}

// AuditEntries lists the log newest first with the total matching the filter.
// Only the audit administrator's routes call it.
func (s *Store) AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, int, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	if f.Username != "" {
		where, args = append(where, "username = ?"), append(args, f.Username)
	}
	if f.Action != "" {
		where, args = append(where, `action LIKE ? ESCAPE '\'`), append(args, likePrefix(f.Action))
	}
	if f.ObjectType != "" {
		where, args = append(where, "object_type = ?"), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where, args = append(where, "object_id = ?"), append(args, f.ObjectID)
	}
	if len(f.PersonIDs) > 0 {
		var or []string
		for _, id := range f.PersonIDs {
			n := strconv.FormatInt(id, 10)
			or, args = append(or, "(object_type = 'person' AND object_id = ?)"), append(args, n)
			// Snapshots are JSON written by encoding/json: a reference to
			// the person is "person_id":N or "PersonID":N, then , or }.
			for _, key := range []string{`"person_id":`, `"PersonID":`} {
				for _, end := range []string{",", "}"} {
					or = append(or, `after_json LIKE ? ESCAPE '\'`, `before_json LIKE ? ESCAPE '\'`)
					pat := "%" + likeEscape(key+n+end) + "%"
					args = append(args, pat, pat)
				}
			}
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if f.OrgPath != "" {
		where, args = append(where, `org_path LIKE ? ESCAPE '\'`), append(args, likePrefix(f.OrgPath))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 50
	}
	rows, err := s.query(ctx, `SELECT id, at, COALESCE(user_id, 0), username, ip, action, object_type, object_id, org_path, before_json, after_json
		FROM audit_log`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at time.Time
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.IP, &e.Action, &e.ObjectType, &e.ObjectID, &e.OrgPath, &e.Before, &e.After); err != nil {
			return nil, 0, err
		}
		e.At, e.Before, e.After = at, withoutSealed(e.Before), withoutSealed(e.After)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// withoutSealed is a snapshot as the audit log shows it: without the parts
// kept sealed for restoring (keys starting with "_", such as sealedKey), at
// any depth (a transfer nests the person's snapshot).
func withoutSealed(js string) string {
	if !strings.Contains(js, `"_`) {
		return js
	}
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return js
	}
	b, err := json.Marshal(dropHidden(v))
	if err != nil {
		return js
	}
	return string(b)
}

func dropHidden(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if strings.HasPrefix(k, "_") {
				delete(x, k)
				continue
			}
			x[k] = dropHidden(sub)
		}
	case []any:
		for i := range x {
			x[i] = dropHidden(x[i])
		}
	}
	return v
}

// likePrefix escapes LIKE wildcards in a user-typed prefix.
func likePrefix(s string) string { return likeEscape(s) + "%" }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
