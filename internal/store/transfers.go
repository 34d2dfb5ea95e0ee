package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

// Transfer records an 组织关系转接 of a person in the scope: out of the
// platform (the person leaves every list but keeps their record), or moved to
// another organisation of the scope. Arrivals from outside are new people
// (CreatePerson) followed by an "in" record, written by TransferIn.
func (s *Store) Transfer(ctx context.Context, a audit.Actor, sc auth.Scope, tr *people.Transfer) error {
	return s.inTx(ctx, func(t *tx) error {
		p, err := t.person(ctx, sc, tr.PersonID)
		if err != nil {
			return err
		}
		if !p.LeftOn.IsZero() {
			return errs.NewConflict("person_id", "person.already_left")
		}
		before, err := t.s.personSnapshot(&p.Person)
		if err != nil {
			return err
		}
		tr.FromOrgID = p.OrgID
		t.rosterChanged(p.OrgPath)
		switch tr.Direction {
		case people.TransferOut:
			if _, err := t.exec(ctx, "UPDATE people SET left_on = ?, version = version + 1, updated_at = ? WHERE id = ?", tr.On, t.s.Now(), p.ID); err != nil {
				return err
			}
			p.LeftOn = tr.On
		case people.TransferMove:
			to, err := t.org(ctx, sc, tr.ToOrgID)
			if err != nil {
				return notFoundAs(err, "to_org_id", "org.unknown")
			}
			if !to.ClosedOn.IsZero() || !to.Kind.IsParty() && p.Status.IsMember() {
				return errs.Field("to_org_id", "transfer.target_invalid")
			}
			if _, err := t.exec(ctx, "UPDATE people SET org_id = ?, org_path = ?, version = version + 1, updated_at = ? WHERE id = ?",
				to.ID, to.Path, t.s.Now(), p.ID); err != nil {
				return err
			}
			t.rosterChanged(to.Path)
			p.OrgID = to.ID
		default:
			return errs.Field("direction", "invalid")
		}
		after, err := t.s.personSnapshot(&p.Person)
		if err != nil {
			return err
		}
		return t.insertTransfer(ctx, a, tr, p.OrgPath, before, after)
	})
}

// TransferIn creates a person who arrives from an organisation outside the
// platform, with the "in" record of their arrival, in one transaction.
func (s *Store) TransferIn(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person, tr *people.Transfer) error {
	return s.inTx(ctx, func(t *tx) error {
		if err := t.createPerson(ctx, a, sc, p); err != nil {
			return err
		}
		tr.PersonID, tr.Direction, tr.ToOrgID = p.ID, people.TransferIn, p.OrgID
		after, err := t.s.personSnapshot(p)
		if err != nil {
			return err
		}
		return t.insertTransfer(ctx, a, tr, "", nil, after)
	})
}

func (t *tx) insertTransfer(ctx context.Context, a audit.Actor, tr *people.Transfer, path string, before, after any) error {
	id, err := t.insert(ctx, `INSERT INTO person_transfers (person_id, direction, on_date, from_org_id, to_org_id, external, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tr.PersonID, tr.Direction, tr.On, nullID(tr.FromOrgID), nullID(tr.ToOrgID), tr.External, tr.Note, t.s.Now())
	if err != nil {
		return err
	}
	tr.ID = id
	return t.audit(ctx, a, Change{Action: "person.transfer", ObjectType: "person", ObjectID: tr.PersonID, OrgPath: path,
		Before: before, After: map[string]any{"person": after, "transfer": tr}})
}

// TransferRow is a transfer with the organisation names filled in.
type TransferRow struct {
	people.Transfer
	FromName, ToName string
}

// Transfers lists a person's organisational history, oldest first.
func (s *Store) Transfers(ctx context.Context, sc auth.Scope, personID int64) ([]TransferRow, error) {
	if _, err := s.Person(ctx, sc, personID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT t.id, t.person_id, t.direction, t.on_date, COALESCE(t.from_org_id, 0), COALESCE(t.to_org_id, 0), t.external, t.note,
		t.created_at, COALESCE(f.name, ''), COALESCE(o.name, '') FROM person_transfers t LEFT JOIN orgs f ON f.id = t.from_org_id
		LEFT JOIN orgs o ON o.id = t.to_org_id WHERE t.person_id = ? ORDER BY t.on_date, t.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TransferRow
	for rows.Next() {
		var r TransferRow
		if err := rows.Scan(&r.ID, &r.PersonID, &r.Direction, &r.On, &r.FromOrgID, &r.ToOrgID, &r.External, &r.Note, &r.CreatedAt, &r.FromName, &r.ToName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
