package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/people"
)

// UpdatePeople saves many edited people in one transaction: all of them or
// none. Each person is saved by the rules of UpdatePerson — the version the
// preview read, the organisation unchanged (a move is a transfer), the unit
// and dictionaries checked — and gets its own person.update record with the
// record before and after, as an edit on the person's page does. A summary
// person.import record closes the batch. progress, when not nil, hears how
// many people are saved.
func (s *Store) UpdatePeople(ctx context.Context, a audit.Actor, sc auth.Scope, list []people.Person, progress func(done int)) error {
	err := s.inTx(ctx, func(t *tx) error {
		for i := range list {
			if i%64 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			p := list[i] // a copy: a retried transaction starts from the versions read
			if err := t.updatePerson(ctx, a, sc, &p); err != nil {
				return &ImportError{Index: i, Err: err}
			}
			if progress != nil && (i%100 == 99 || i == len(list)-1) {
				progress(i + 1)
			}
		}
		return t.audit(ctx, a, Change{Action: "person.import", ObjectType: "person", OrgPath: sc.OrgPath,
			After: map[string]any{"count": len(list), "mode": "update"}})
	})
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Version++
	}
	return nil
}

// PeopleByID finds, inside the scope, the people of the given numbers (the
// roster export's 人员编号), by number; numbers outside the scope are absent.
func (s *Store) PeopleByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]PersonRow, error) {
	out := make(map[int64]PersonRow, len(ids))
	keys := make([]any, len(ids))
	for i, id := range ids {
		keys[i] = id
	}
	return out, s.peopleIn(ctx, sc, "p.id", keys, func(p PersonRow) { out[p.ID] = p })
}

// PeopleByIDNumber finds, inside the scope, the people holding the given ID
// numbers (normalized), by ID number. Numbers nobody in the scope holds are
// absent; so are numbers held outside it (the import then says they are
// already registered elsewhere).
func (s *Store) PeopleByIDNumber(ctx context.Context, sc auth.Scope, ids []string) (map[string]PersonRow, error) {
	out := make(map[string]PersonRow, len(ids))
	keys := make([]any, 0, len(ids))
	for _, id := range ids {
		if v := s.index(id); v != "" {
			keys = append(keys, v)
		}
	}
	return out, s.peopleIn(ctx, sc, "p.id_number_idx", keys, func(p PersonRow) { out[p.IDNumber] = p })
}

// peopleIn reads the people of the scope whose column is one of keys, a
// batch of keys a statement, handing each to found.
func (s *Store) peopleIn(ctx context.Context, sc auth.Scope, column string, keys []any, found func(PersonRow)) error {
	cond, cargs := scopeCond(sc)
	for start := 0; start < len(keys); start += importBatch {
		chunk := keys[start:min(start+importBatch, len(keys))]
		rows, err := s.query(ctx, "SELECT "+s.personColumns()+personFrom+" WHERE "+column+" IN ("+placeholders(len(chunk))+") AND "+cond,
			append(append([]any{}, chunk...), cargs...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			p, err := s.scanPerson(rows)
			if err != nil {
				rows.Close()
				return err
			}
			found(p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
