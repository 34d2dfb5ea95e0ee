package store

import (
	"context"
	"strings"

	"github.com/mozillazg/go-pinyin"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

// PersonRow is a person as lists show them: with the names of their
// organisation and unit.
type PersonRow struct {
	people.Person
	OrgName  string
	UnitName string
	OrgPath  string
	// OrgLabel and UnitLabel name the organisation and the unit by as much
	// of their path as tells them apart (orgs.label); show these.
	OrgLabel, UnitLabel string
}

const personCols = `p.id, p.org_id, COALESCE(p.unit_id, 0), p.name, p.sex, p.birth_date, p.ethnic, p.education, p.position, p.status,
	p.applied_on, p.activist_on, p.candidate_on, p.joined_on, p.full_on, p.phone, p.id_number, p.left_on, p.version, p.created_at, p.updated_at,
	o.name, COALESCE(u.name, ''), p.org_path, o.label, COALESCE(u.label, '')`

// personColsSQLite is personCols for SQLite, with the DATE and TIMESTAMP
// columns read as plain text: for a declared column the driver first tries
// to parse the text as a time in several layouts, each failure allocating an
// error, before date.Date parses it again. A "|| ”" expression has no
// declared type, so the text comes through as stored ("2006-01-02", or
// NULL), and timeCol reads the timestamps.
var personColsSQLite = strings.NewReplacer(
	"p.birth_date,", "p.birth_date || '',",
	"p.applied_on,", "p.applied_on || '',",
	"p.activist_on,", "p.activist_on || '',",
	"p.candidate_on,", "p.candidate_on || '',",
	"p.joined_on,", "p.joined_on || '',",
	"p.full_on,", "p.full_on || '',",
	"p.left_on,", "p.left_on || '',",
	"p.created_at,", "p.created_at || '',",
	"p.updated_at,", "p.updated_at || '',",
).Replace(personCols)

// personColumns is the person column list for the store's dialect.
func (s *Store) personColumns() string {
	if s.dialect == SQLite {
		return personColsSQLite
	}
	return personCols
}

const personFrom = ` FROM people p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs u ON u.id = p.unit_id`

func (s *Store) scanPerson(r scanner) (PersonRow, error) {
	var p PersonRow
	err := r.Scan(&p.ID, &p.OrgID, &p.UnitID, &p.Name, &p.Sex, &p.BirthDate, &p.Ethnic, &p.Education, &p.Position, &p.Status,
		&p.AppliedOn, &p.ActivistOn, &p.CandidateOn, &p.JoinedOn, &p.FullOn, &p.Phone, &p.IDNumber, &p.LeftOn, &p.Version,
		timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, &p.OrgName, &p.UnitName, &p.OrgPath, &p.OrgLabel, &p.UnitLabel)
	if err != nil {
		return p, mapErr(err)
	}
	p.OrgLabel, p.UnitLabel = labelOr(p.OrgLabel, p.OrgName), labelOr(p.UnitLabel, p.UnitName)
	if p.Phone, err = s.seal.Open(p.Phone); err != nil {
		return p, err
	}
	p.IDNumber, err = s.seal.Open(p.IDNumber)
	return p, err
}

// scopeCond is the data-scope condition on people p.
func scopeCond(sc auth.Scope) (string, []any) {
	lo, hi := sc.PathRange()
	if sc.PersonID != 0 {
		return "p.id = ? AND p.org_path >= ? AND p.org_path < ?", []any{sc.PersonID, lo, hi}
	}
	return "p.org_path >= ? AND p.org_path < ?", []any{lo, hi}
}

// Person reads one person inside the scope.
func (s *Store) Person(ctx context.Context, sc auth.Scope, id int64) (*PersonRow, error) {
	return s.personIn(ctx, s, sc, id)
}

func (t *tx) person(ctx context.Context, sc auth.Scope, id int64) (*PersonRow, error) {
	return t.s.personIn(ctx, t, sc, id)
}

func (s *Store) personIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*PersonRow, error) {
	cond, args := scopeCond(sc)
	p, err := s.scanPerson(q.queryRow(ctx, "SELECT "+s.personColumns()+personFrom+" WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// sealedKey holds, in a person's audit snapshot, the sensitive fields as the
// sealer stores them (encrypted once the SM4 sealer is in), not masked: an
// erroneous edit of an ID number can then be undone (RestorePersonField).
// The audit log never shows this part (AuditEntries leaves it out).
const sealedKey = "_sealed"

// personSnapshot is what the audit log keeps of a person: the sensitive
// fields masked where the log is read, and sealed under sealedKey, so the
// log does not become a readable second copy of them yet loses nothing.
func (s *Store) personSnapshot(p *people.Person) (map[string]any, error) {
	phone, idNumber, err := s.sealPerson(p)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"id": p.ID, "org_id": p.OrgID, "unit_id": p.UnitID, "name": p.Name, "sex": p.Sex, "birth_date": p.BirthDate,
		"ethnic": p.Ethnic, "education": p.Education, "position": p.Position, "status": p.Status,
		"applied_on": p.AppliedOn, "activist_on": p.ActivistOn, "candidate_on": p.CandidateOn,
		"joined_on": p.JoinedOn, "full_on": p.FullOn, "left_on": p.LeftOn,
		"phone": people.MaskPhone(p.Phone), "id_number": people.MaskIDNumber(p.IDNumber),
		sealedKey: map[string]string{"phone": phone, "id_number": idNumber},
	}, nil
}

// nameSort is the full pinyin of a name, so rosters sort the way people
// expect a Chinese list to sort.
func nameSort(name string) string {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{string(r)} }
	var parts []string
	for _, p := range pinyin.Pinyin(name, a) {
		parts = append(parts, p...)
	}
	return strings.Join(parts, " ")
}

// personRefs checks the organisation and unit a person points to, inside the
// scope, and returns the organisation's path.
func (t *tx) personRefs(ctx context.Context, sc auth.Scope, p *people.Person) (string, error) {
	o, err := t.org(ctx, sc, p.OrgID)
	if err != nil {
		return "", notFoundAs(err, "org_id", "org.unknown")
	}
	if !o.ClosedOn.IsZero() {
		return "", errs.Field("org_id", "org.closed")
	}
	if p.UnitID != 0 {
		// A unit may lie outside a branch secretary's subtree (the court's
		// staff sit in the court's branch), so it is checked for existence only.
		u, err := t.org(ctx, auth.Everything, p.UnitID)
		if err != nil {
			return "", notFoundAs(err, "unit_id", "org.unknown")
		}
		if u.Kind.IsParty() {
			return "", errs.Field("unit_id", "person.unit_not_unit")
		}
	}
	return o.Path, nil
}

// CreatePerson adds a person to an organisation inside the scope. The person
// must already be normalized and validated; the rules that need the database
// (the organisation and unit, the dictionaries, a unique ID number) are
// checked here, for every caller.
func (s *Store) CreatePerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	return s.inTx(ctx, func(t *tx) error { return t.createPerson(ctx, a, sc, p) })
}

func (t *tx) createPerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	path, err := t.personRefs(ctx, sc, p)
	if err != nil {
		return err
	}
	if err := personDicts(ctx, t, p, nil, nil); err != nil {
		return err
	}
	idx := t.s.index(p.IDNumber)
	phone, idNumber, err := t.s.sealPerson(p)
	if err != nil {
		return err
	}
	now := t.s.Now()
	id, err := t.insert(ctx, `INSERT INTO people (org_id, org_path, unit_id, name, name_initials, name_sort, sex, birth_date, ethnic, education,
		position, status, applied_on, activist_on, candidate_on, joined_on, full_on, phone, phone_idx, id_number, id_number_idx, left_on,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		p.OrgID, path, nullID(p.UnitID), p.Name, people.Initials(p.Name), nameSort(p.Name), p.Sex, p.BirthDate, p.Ethnic, p.Education,
		p.Position, p.Status, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn, phone, t.s.seal.Index(p.Phone),
		idNumber, nullString(idx), p.LeftOn, now, now)
	if err != nil {
		return duplicateAs(err, "id_number", "person.id_number_taken")
	}
	t.rosterChanged(path)
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
	after, err := t.s.personSnapshot(p)
	if err != nil {
		return err
	}
	return t.audit(ctx, a, Change{Action: "person.create", ObjectType: "person", ObjectID: id, OrgPath: path, After: after})
}

func (s *Store) index(v string) string {
	if v == "" {
		return ""
	}
	return s.seal.Index(v)
}

func (s *Store) sealPerson(p *people.Person) (phone, idNumber string, err error) {
	if phone, err = s.seal.Seal(p.Phone); err != nil {
		return
	}
	idNumber, err = s.seal.Seal(p.IDNumber)
	return
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// UpdatePerson saves an edited person; p.Version must be the version the
// edit started from. Moving to another organisation goes through Transfer.
// A dictionary value the record already held stands even if its item has
// been disabled since; a changed one must be in the dictionary.
func (s *Store) UpdatePerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	return s.inTx(ctx, func(t *tx) error { return t.updatePerson(ctx, a, sc, p) })
}

// updatePerson is UpdatePerson inside a transaction (an import updates many).
func (t *tx) updatePerson(ctx context.Context, a audit.Actor, sc auth.Scope, p *people.Person) error {
	old, err := t.person(ctx, sc, p.ID)
	if err != nil {
		return err
	}
	if old.OrgID != p.OrgID {
		return errs.Field("org_id", "person.org_via_transfer")
	}
	path, err := t.personRefs(ctx, sc, p)
	if err != nil {
		return err
	}
	if err := personDicts(ctx, t, p, &old.Person, nil); err != nil {
		return err
	}
	idx := t.s.index(p.IDNumber)
	phone, idNumber, err := t.s.sealPerson(p)
	if err != nil {
		return err
	}
	now := t.s.Now()
	if err := t.update(ctx, `UPDATE people SET unit_id = ?, name = ?, name_initials = ?, name_sort = ?, sex = ?, birth_date = ?, ethnic = ?,
		education = ?, position = ?, status = ?, applied_on = ?, activist_on = ?, candidate_on = ?, joined_on = ?, full_on = ?,
		phone = ?, phone_idx = ?, id_number = ?, id_number_idx = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`,
		nullID(p.UnitID), p.Name, people.Initials(p.Name), nameSort(p.Name), p.Sex, p.BirthDate, p.Ethnic,
		p.Education, p.Position, p.Status, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn,
		phone, t.s.seal.Index(p.Phone), idNumber, nullString(idx), now, p.ID, p.Version); err != nil {
		return duplicateAs(err, "id_number", "person.id_number_taken")
	}
	t.rosterChanged(path)
	p.LeftOn, p.CreatedAt, p.UpdatedAt, p.Version = old.LeftOn, old.CreatedAt, now, p.Version+1
	return t.auditPerson(ctx, a, "person.update", path, &old.Person, p)
}

// auditPerson records a change of a person with both snapshots.
func (t *tx) auditPerson(ctx context.Context, a audit.Actor, action, path string, before, after *people.Person) error {
	b, err := t.s.personSnapshot(before)
	if err != nil {
		return err
	}
	af, err := t.s.personSnapshot(after)
	if err != nil {
		return err
	}
	return t.audit(ctx, a, Change{Action: action, ObjectType: "person", ObjectID: after.ID, OrgPath: path, Before: b, After: af})
}
