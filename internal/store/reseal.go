package store

import (
	"context"

	"dangjian/internal/audit"
)

// resealBatch is how many people one short transaction re-seals, so the
// service goes on writing between batches.
const resealBatch = 500

// Reseal brings every person's sealed fields under the current sealer: ID
// numbers and phones stored as plain text (before encryption was turned on)
// or under an older key are sealed again under the newest key, and their
// blind indexes recomputed. With plainOnly, values sealed under an older
// key are left as they are (start-up needs only the plain ones converted;
// `dangjian keys rotate` asks for all). It works in short batches while the
// service runs, and returns how many people it changed.
func (s *Store) Reseal(ctx context.Context, a audit.Actor, plainOnly bool, progress func(done int)) (int, error) {
	sm, ok := s.seal.(*sm4Sealer)
	if !ok {
		return 0, nil // no encryption configured: nothing to do
	}
	needs := func(stored string) bool {
		if stored == "" {
			return false
		}
		k := sealedUnder(stored)
		return k == 0 || (!plainOnly && k != sm.current)
	}
	changed, last := 0, int64(0)
	for {
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		type row struct {
			id              int64
			phone, idNumber string
		}
		var todo []row
		rows, err := s.query(ctx, "SELECT id, phone, id_number FROM people WHERE id > ? ORDER BY id LIMIT ?", last, resealBatch)
		if err != nil {
			return changed, err
		}
		n := 0
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.phone, &r.idNumber); err != nil {
				rows.Close()
				return changed, err
			}
			n, last = n+1, r.id
			if needs(r.phone) || needs(r.idNumber) {
				todo = append(todo, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return changed, err
		}
		if len(todo) > 0 {
			err := s.inTx(ctx, func(t *tx) error {
				for _, r := range todo {
					phone, err := s.seal.Open(r.phone)
					if err != nil {
						return err
					}
					idNumber, err := s.seal.Open(r.idNumber)
					if err != nil {
						return err
					}
					sp, err := s.seal.Seal(phone)
					if err != nil {
						return err
					}
					si, err := s.seal.Seal(idNumber)
					if err != nil {
						return err
					}
					// Only where the row still holds what was read: an edit in
					// between has sealed it afresh already.
					if _, err := t.exec(ctx, `UPDATE people SET phone = ?, phone_idx = ?, id_number = ?, id_number_idx = ?
						WHERE id = ? AND phone = ? AND id_number = ?`, sp, s.seal.Index(phone), si, nullString(s.index(idNumber)),
						r.id, r.phone, r.idNumber); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return changed, err
			}
			changed += len(todo)
		}
		if progress != nil {
			progress(changed)
		}
		if n < resealBatch {
			break
		}
	}
	secrets, err := s.resealSecrets(ctx, needs)
	if err != nil {
		return changed, err
	}
	if changed > 0 || secrets > 0 {
		err := s.LogEvent(ctx, a, Change{Action: "person.reseal", ObjectType: "person",
			After: map[string]any{"people": changed, "authenticators": secrets, "key": sm.current}})
		return changed + secrets, err
	}
	return changed, nil
}

// resealSecrets brings the authenticators' keys (accounts and waiting
// enrolments: a few rows, one transaction) under the current key.
func (s *Store) resealSecrets(ctx context.Context, needs func(string) bool) (int, error) {
	n := 0
	err := s.inTx(ctx, func(t *tx) error {
		for _, table := range []struct{ name, key, col string }{
			{"users", "id", "totp_secret"}, {"login_challenges", "token_hash", "secret"},
		} {
			rows, err := t.query(ctx, "SELECT "+table.key+", "+table.col+" FROM "+table.name+" WHERE "+table.col+" <> ''")
			if err != nil {
				return err
			}
			type row struct{ key, stored string }
			var todo []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.key, &r.stored); err != nil {
					rows.Close()
					return err
				}
				if needs(r.stored) {
					todo = append(todo, r)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, r := range todo {
				plain, err := s.seal.Open(r.stored)
				if err != nil {
					return err
				}
				sealed, err := s.seal.Seal(plain)
				if err != nil {
					return err
				}
				if _, err := t.exec(ctx, "UPDATE "+table.name+" SET "+table.col+" = ? WHERE "+table.key+" = ?", sealed, r.key); err != nil {
					return err
				}
			}
			n += len(todo)
		}
		return nil
	})
	return n, err
}
