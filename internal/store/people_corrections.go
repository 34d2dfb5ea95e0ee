package store

import (
	"context"
	"database/sql"
	"errors"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

// CorrectionRow is a report of a wrong entry with whose record it concerns.
type CorrectionRow struct {
	people.Correction
	PersonName string
	OrgName    string
}

// RequestCorrection records a member's report that their own record is
// wrong. sc is the member's own one-person scope: nobody reports on
// someone else's record.
func (s *Store) RequestCorrection(ctx context.Context, a audit.Actor, sc auth.Scope, c *people.Correction) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		p, err := t.person(ctx, sc, c.PersonID)
		if err != nil {
			return err
		}
		c.State, c.RequestedBy, c.CreatedAt = people.CorrectionPending, a.UserID, t.s.Now()
		if c.ID, err = t.insert(ctx, `INSERT INTO person_corrections (person_id, org_path, text, state, requested_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.PersonID, p.OrgPath, c.Text, c.State, nullID(a.UserID), c.CreatedAt); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "person.correction_request", ObjectType: "person", ObjectID: c.PersonID, OrgPath: p.OrgPath,
			After: map[string]any{"correction_id": c.ID, "text": c.Text}})
	})
}

// CorrectionFilter narrows the reports listed.
type CorrectionFilter struct {
	PersonID    int64 // one person's reports; 0 for all in the scope
	PendingOnly bool
}

const correctionCols = `c.id, c.person_id, c.text, c.state, c.answer, COALESCE(c.requested_by, 0), COALESCE(c.decided_by, 0),
	c.created_at, c.decided_at, p.name, COALESCE(NULLIF(o.label, ''), o.name)`

const correctionFrom = ` FROM person_corrections c JOIN people p ON p.id = c.person_id JOIN orgs o ON o.id = p.org_id`

func scanCorrection(r scanner) (CorrectionRow, error) {
	var c CorrectionRow
	var decided sql.NullTime
	err := r.Scan(&c.ID, &c.PersonID, &c.Text, &c.State, &c.Answer, &c.RequestedBy, &c.DecidedBy, &c.CreatedAt, &decided, &c.PersonName, &c.OrgName)
	if decided.Valid {
		c.DecidedAt = decided.Time
	}
	return c, err
}

// Corrections lists the reports on records in the scope, newest first;
// a member's own scope lists their own.
func (s *Store) Corrections(ctx context.Context, sc auth.Scope, f CorrectionFilter) ([]CorrectionRow, error) {
	cond, args := scopeCond(sc)
	q := "SELECT " + correctionCols + correctionFrom + " WHERE " + cond
	if f.PersonID != 0 {
		q += " AND c.person_id = ?"
		args = append(args, f.PersonID)
	}
	if f.PendingOnly {
		q += " AND c.state = 'pending'"
	}
	rows, err := s.query(ctx, q+" ORDER BY c.created_at DESC, c.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CorrectionRow
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DecideCorrection accepts or declines a pending report on a record in the
// scope. Accepting says the record was (or will be) corrected through the
// ordinary edit, which is audited on its own; a decline needs a reason the
// member reads on their page.
func (s *Store) DecideCorrection(ctx context.Context, a audit.Actor, sc auth.Scope, id int64, d people.Decision, answer string) error {
	return s.inTx(ctx, func(t *tx) error {
		cond, args := scopeCond(sc)
		c, err := scanCorrection(t.queryRow(ctx, "SELECT "+correctionCols+correctionFrom+" WHERE c.id = ? AND "+cond, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		}
		if err != nil {
			return mapErr(err)
		}
		before := map[string]any{"state": c.State}
		if err := c.Decide(d, answer); err != nil {
			return err
		}
		c.DecidedBy, c.DecidedAt = a.UserID, t.s.Now()
		res, err := t.exec(ctx, `UPDATE person_corrections SET state = ?, answer = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = 'pending'`,
			c.State, c.Answer, nullID(a.UserID), c.DecidedAt, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errs.NewConflict("", "correction.already_decided")
		}
		var path string
		if err := t.queryRow(ctx, "SELECT org_path FROM person_corrections WHERE id = ?", id).Scan(&path); err != nil {
			return mapErr(err)
		}
		return t.audit(ctx, a, Change{Action: "person.correction_" + string(c.State), ObjectType: "person", ObjectID: c.PersonID, OrgPath: path,
			Before: before, After: map[string]any{"correction_id": id, "text": c.Text, "state": c.State, "answer": c.Answer}})
	})
}

// Contact is whom a member turns to about their record: the 书记 of their
// organisation or, when it has none seated, of the nearest one above.
type Contact struct {
	Name  string
	Org   string
	OrgID int64
	Seat  string
}

// ContactFor finds the serving 书记 nearest to a person (their organisation
// first, then upwards); ok is false when no organisation on the way has one.
func (s *Store) ContactFor(ctx context.Context, sc auth.Scope, personID int64) (Contact, bool, error) {
	p, err := s.Person(ctx, sc, personID)
	if err != nil {
		return Contact{}, false, err
	}
	var c Contact
	err = s.queryRow(ctx, `SELECT pp.name, COALESCE(NULLIF(o.label, ''), o.name), o.id, cm.position FROM committee_members cm
		JOIN orgs o ON o.id = cm.org_id JOIN people pp ON pp.id = cm.person_id
		WHERE cm.position = '书记' AND cm.to_date IS NULL AND ? LIKE o.path || '%'
		ORDER BY LENGTH(o.path) DESC, cm.id LIMIT 1`, p.OrgPath).Scan(&c.Name, &c.Org, &c.OrgID, &c.Seat)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, false, nil
	}
	if err != nil {
		return Contact{}, false, mapErr(err)
	}
	return c, true, nil
}
