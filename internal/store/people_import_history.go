package store

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/org"
)

// ImportRecord is one roster import as its history shows it.
type ImportRecord struct {
	ID       int64
	At       time.Time
	UserID   int64
	Username string
	OrgPath  string // the importer's scope
	FileName string
	Mode     string // create, update
	Rows     int
	Created  int
	Updated  int
	Problems int
	Outcome  string // imported, previewed, rejected, unchanged
}

// maxFileName bounds the file name kept; browsers send what the disk had.
const maxFileName = 200

// RecordImport adds an import to the history, as the importer and within
// their scope. The people it wrote have their own audit records; this is
// the office's list of what was imported when.
func (s *Store) RecordImport(ctx context.Context, a audit.Actor, sc auth.Scope, r *ImportRecord) error {
	if utf8.RuneCountInString(r.FileName) > maxFileName {
		r.FileName = string([]rune(r.FileName)[:maxFileName])
	}
	r.At, r.UserID, r.Username, r.OrgPath = s.Now(), a.UserID, a.Username, sc.OrgPath
	return s.inTx(ctx, func(t *tx) error {
		id, err := t.insert(ctx, `INSERT INTO import_history (at, user_id, username, org_path, file_name, mode, rows_read, created, updated,
			problems, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.At, nullID(r.UserID), r.Username, r.OrgPath, r.FileName,
			r.Mode, r.Rows, r.Created, r.Updated, r.Problems, r.Outcome)
		r.ID = id
		return err
	})
}

// ImportHistory lists the newest imports made within the scope (by anyone
// whose scope lay inside it), newest first.
func (s *Store) ImportHistory(ctx context.Context, sc auth.Scope, limit int) ([]ImportRecord, error) {
	lo, hi := sc.PathRange()
	rows, err := s.query(ctx, `SELECT id, at, COALESCE(user_id, 0), username, org_path, file_name, mode, rows_read, created, updated,
		problems, outcome FROM import_history WHERE org_path >= ? AND org_path < ? ORDER BY at DESC, id DESC LIMIT ?`, lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.OrgPath, &r.FileName, &r.Mode, &r.Rows, &r.Created,
			&r.Updated, &r.Problems, &r.Outcome); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// maxAlias bounds an alias like an organisation's name.
const maxAlias = org.MaxName

// UnitAliases maps the other names of units to the units. Units are found
// across the whole tree, as a person's unit may lie outside a branch
// secretary's subtree (see personRefs), so the scope only bounds nothing
// more than the caller may name: a member's scope sees none.
func (s *Store) UnitAliases(ctx context.Context, sc auth.Scope) (map[string]int64, error) {
	out := map[string]int64{}
	if sc.PersonID != 0 {
		return out, nil
	}
	rows, err := s.query(ctx, `SELECT a.alias, a.org_id FROM unit_aliases a JOIN orgs o ON o.id = a.org_id WHERE o.closed_on IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var alias string
		var id int64
		if err := rows.Scan(&alias, &id); err != nil {
			return nil, mapErr(err)
		}
		out[alias] = id
	}
	return out, rows.Err()
}

// AddUnitAlias records another name of a unit (市委政法委 for 市委政法委机关),
// audited. The unit must be a unit, not a party organisation, and the alias
// must not be any organisation's own name nor another unit's alias.
func (s *Store) AddUnitAlias(ctx context.Context, a audit.Actor, sc auth.Scope, alias string, unitID int64) error {
	alias = strings.TrimSpace(alias)
	switch n := utf8.RuneCountInString(alias); {
	case n == 0:
		return errs.Field("alias", "required")
	case n > maxAlias:
		return errs.Field("alias", "too_long")
	}
	return s.inTx(ctx, func(t *tx) error {
		u, err := t.org(ctx, auth.Everything, unitID)
		if err != nil {
			return notFoundAs(err, "unit_id", "org.unknown")
		}
		if u.Kind.IsParty() {
			return errs.Field("unit_id", "person.unit_not_unit")
		}
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM orgs WHERE name = ?", alias).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n > 0 {
			return errs.Field("alias", "roster.alias_is_name")
		}
		if _, err := t.exec(ctx, "INSERT INTO unit_aliases (alias, org_id, created_at) VALUES (?, ?, ?)", alias, unitID, t.s.Now()); err != nil {
			return duplicateAs(err, "alias", "roster.alias_taken")
		}
		return t.audit(ctx, a, Change{Action: "org.alias", ObjectType: "org", ObjectID: unitID, OrgPath: u.Path,
			After: map[string]any{"alias": alias, "unit": u.Name}})
	})
}
