package store

import (
	"context"
	"encoding/json"
	"strconv"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// RestorePersonField puts back the value a sensitive field (id_number or
// phone) of a person had before the change recorded in audit entry entryID:
// the way to undo an edit that erased or mistyped an ID number, since the
// log shows it only masked. The person must be in the scope; the restore is
// itself a change, audited as person.restore.
func (s *Store) RestorePersonField(ctx context.Context, a audit.Actor, sc auth.Scope, entryID int64, field string) error {
	if field != "id_number" && field != "phone" {
		return errs.Field("field", "invalid")
	}
	return s.inTx(ctx, func(t *tx) error {
		var objectType, objectID, before string
		if err := t.queryRow(ctx, `SELECT object_type, object_id, before_json FROM audit_log WHERE id = ?`, entryID).
			Scan(&objectType, &objectID, &before); err != nil {
			return mapErr(err)
		}
		var snap struct {
			Sealed map[string]string `json:"_sealed"`
		}
		sealed, ok := "", false
		if objectType == "person" && json.Unmarshal([]byte(before), &snap) == nil {
			sealed, ok = snap.Sealed[field]
		}
		if !ok {
			return errs.Field("field", "person.nothing_to_restore")
		}
		value, err := t.s.seal.Open(sealed)
		if err != nil {
			return err
		}
		id, err := strconv.ParseInt(objectID, 10, 64)
		if err != nil {
			return errs.ErrNotFound
		}
		old, err := t.person(ctx, sc, id)
		if err != nil {
			return err
		}
		p := old.Person
		if field == "id_number" {
			p.IDNumber = value
		} else {
			p.Phone = value
		}
		phone, idNumber, err := t.s.sealPerson(&p)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if err := t.update(ctx, `UPDATE people SET phone = ?, phone_idx = ?, id_number = ?, id_number_idx = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, phone, t.s.seal.Index(p.Phone), idNumber, nullString(t.s.index(p.IDNumber)), now, p.ID, p.Version); err != nil {
			return duplicateAs(err, "id_number", "person.id_number_taken")
		}
		p.Version, p.UpdatedAt = p.Version+1, now
		return t.auditPerson(ctx, a, "person.restore", old.OrgPath, &old.Person, &p)
	})
}
