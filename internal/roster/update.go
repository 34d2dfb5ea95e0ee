package roster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/msg"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Mode is what an import does with the people of the file.
type Mode string

const (
	// Create adds every row as a new person; an ID number already on the
	// roster is a problem.
	Create Mode = "create"
	// Update changes the people found by ID number to what the file says;
	// a column the file lacks is left as it is.
	Update Mode = "update"
)

// Options steer an import.
type Options struct {
	Mode Mode
	// Confirm writes an update whose preview had Expect as its Fingerprint;
	// without it an update only previews.
	Confirm bool
	Expect  string
	// OrgMap maps an organisation as the file writes it to the existing
	// organisation the importer chose for it.
	OrgMap map[string]int64
	// Unmask shows phone numbers in full in the preview (the role may).
	Unmask bool
	// FileName is what the history calls the file.
	FileName string
}

// PersonChange is one person an update changes.
type PersonChange struct {
	Row      int
	PersonID int64
	Name     string
	Fields   []FieldChange
}

// FieldChange is one field of a person, from what to what, as the roster
// writes them ("" for empty).
type FieldChange struct {
	Column string
	From   string
	To     string
}

// updates collects the changes of an update run.
type updates struct {
	people  []people.Person
	rows    []int
	changes []PersonChange
	raw     []string // what the fingerprint is made of
	same    int
}

// add compares the person the row makes with the one it updates. A move to
// another organisation is refused: that is a transfer (组织关系转接).
func (u *updates) add(e *env, l *layout, num int, base *store.PersonRow, p people.Person, unmask bool) (Problem, bool) {
	if p.OrgID != base.OrgID {
		return problem(num, l.column(fOrg), "roster.update_org_via_transfer", e.names.OrgLabel(base.OrgID, base.OrgName)), false
	}
	p.ID, p.Version, p.LeftOn, p.CreatedAt, p.UpdatedAt = base.ID, base.Version, base.LeftOn, base.CreatedAt, base.UpdatedAt
	var fields []FieldChange
	var raw []string
	diff := func(f field, from, to, rawFrom, rawTo string) {
		if rawFrom != rawTo {
			fields = append(fields, FieldChange{Column: headers[f][0], From: from, To: to})
			raw = append(raw, fmt.Sprintf("%d:%q>%q", f, rawFrom, rawTo))
		}
	}
	text := func(f field, from, to string) { diff(f, from, to, from, to) }
	day := func(f field, from, to date.Date) { text(f, dateText(from), dateText(to)) }
	b := &base.Person
	text(fName, b.Name, p.Name)
	diff(fSex, label("sex.", string(b.Sex)), label("sex.", string(p.Sex)), string(b.Sex), string(p.Sex))
	text(fEthnic, b.Ethnic, p.Ethnic)
	day(fBirth, b.BirthDate, p.BirthDate)
	text(fEducation, b.Education, p.Education)
	diff(fUnit, e.unitLabel(b.UnitID), e.unitLabel(p.UnitID), fmt.Sprint(b.UnitID), fmt.Sprint(p.UnitID))
	text(fPosition, b.Position, p.Position)
	diff(fStatus, label("status.", string(b.Status)), label("status.", string(p.Status)), string(b.Status), string(p.Status))
	day(fApplied, b.AppliedOn, p.AppliedOn)
	day(fActivist, b.ActivistOn, p.ActivistOn)
	day(fCandidate, b.CandidateOn, p.CandidateOn)
	day(fJoined, b.JoinedOn, p.JoinedOn)
	day(fFull, b.FullOn, p.FullOn)
	from, to := b.Phone, p.Phone
	if !unmask {
		from, to = people.MaskPhone(from), people.MaskPhone(to)
	}
	diff(fPhone, from, to, b.Phone, p.Phone)
	if len(fields) == 0 {
		u.same++
		return Problem{}, true
	}
	u.people = append(u.people, p)
	u.rows = append(u.rows, num)
	u.changes = append(u.changes, PersonChange{Row: num, PersonID: p.ID, Name: p.Name, Fields: fields})
	u.raw = append(u.raw, fmt.Sprintf("%d@%d[%s]", p.ID, p.Version, strings.Join(raw, ",")))
	return Problem{}, true
}

// fingerprint identifies a set of changes: the people, the versions they
// were read at, and every field's old and new value.
func (u *updates) fingerprint() string {
	raw := append([]string(nil), u.raw...)
	sort.Strings(raw)
	h := sha256.Sum256([]byte(strings.Join(raw, "\n")))
	return hex.EncodeToString(h[:16])
}

func label(prefix, v string) string {
	if v == "" {
		return ""
	}
	return msg.Text(prefix + v)
}

func dateText(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func (e *env) unitLabel(id int64) string {
	if id == 0 {
		return ""
	}
	return e.names.UnitLabel(id, fmt.Sprint("#", id))
}

// writeUpdates ends an update run: a report of the problems, a preview of
// the changes, or, confirmed, the changes written in one transaction.
func writeUpdates(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, opt Options, out Report, u *updates,
	progress func(done int)) (Report, error) {
	if out.Rejected() {
		out.Problems = tidy(out.Problems)
		return out, nil
	}
	out.Changes, out.Unchanged, out.Fingerprint = u.changes, u.same, u.fingerprint()
	if !opt.Confirm {
		out.Preview = true
		return out, nil
	}
	if opt.Expect != out.Fingerprint {
		out.Stale = true
		return out, nil
	}
	if len(u.people) == 0 {
		return out, nil
	}
	err := st.UpdatePeople(ctx, a, sc, u.people, progress)
	var ie *store.ImportError
	if errors.As(err, &ie) && ie.Index >= 0 && ie.Index < len(u.rows) {
		// Someone changed the person between the preview and now.
		if p, ok := storeProblem(u.rows[ie.Index], nil, ie.Err); ok {
			out.Problems = []Problem{p}
		} else {
			out.Problems = []Problem{problem(u.rows[ie.Index], "", "roster.update_failed")}
		}
		out.Changes = nil
		return out, nil
	}
	if err != nil {
		return Report{}, err
	}
	out.Updated = len(u.people)
	return out, nil
}

// record enters a run in the import history.
func record(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, opt Options, rep Report) error {
	h := store.ImportRecord{FileName: opt.FileName, Mode: string(rep.Mode), Rows: rep.Rows, Created: rep.Imported,
		Updated: rep.Updated, Problems: len(rep.Problems) + len(rep.Missing)}
	if h.Mode == "" {
		h.Mode = string(Create)
	}
	switch {
	case rep.Rejected():
		h.Outcome = "rejected"
	case rep.Preview:
		h.Outcome = "previewed"
	case rep.Imported == 0 && rep.Updated == 0:
		h.Outcome = "unchanged"
	default:
		h.Outcome = "imported"
	}
	return st.RecordImport(ctx, a, sc, &h)
}
