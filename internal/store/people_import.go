package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

// importBatch is how many people one INSERT writes: 500 rows of 25 values
// stay well inside the bind-parameter limits of SQLite (32,766) and
// PostgreSQL (65,535).
const importBatch = 500

// ImportPeople adds many people in one transaction: all of them or none.
// Callers validate every row first and report all problems at once; this is
// the last line, which still refuses the whole batch on any error.
//
// SQLite has one writer, and every save and login waits while an import
// holds it. So all that needs no lock happens first: ID numbers are checked
// against each other and the roster, names turned into pinyin, sensitive
// fields sealed and indexed, audit snapshots encoded. The transaction then
// checks each distinct organisation and unit once, takes ids, and writes the
// people and their audit records 500 to an INSERT through prepared
// statements. progress, when not nil, hears how many people are written,
// batch by batch, from inside the transaction.
func (s *Store) ImportPeople(ctx context.Context, a audit.Actor, sc auth.Scope, list []people.Person, progress func(done int)) error {
	rows, err := s.prepareImport(ctx, list)
	if err != nil {
		return err
	}
	now := s.Now()
	var ids []int64
	err = s.inTx(ctx, func(t *tx) error {
		ids = nil
		paths, err := t.importRefs(ctx, sc, list)
		if err != nil {
			return err
		}
		if ids, err = t.newPersonIDs(ctx, len(list)); err != nil {
			return err
		}
		t.rosterChanged(slices.Collect(maps.Values(paths))...)
		w, err := t.newImportWriter(ctx, a, now)
		if err != nil {
			return err
		}
		defer w.close()
		for start := 0; start < len(list); start += importBatch {
			end := min(start+importBatch, len(list))
			if err := w.people(ctx, list[start:end], rows[start:end], ids[start:end], paths); err != nil {
				return err
			}
			if err := w.audits(ctx, rows[start:end], ids[start:end], paths, list[start:end]); err != nil {
				return err
			}
			if progress != nil {
				progress(end)
			}
		}
		return t.audit(ctx, a, Change{Action: "person.import", ObjectType: "person", OrgPath: sc.OrgPath,
			After: map[string]any{"count": len(list)}})
	})
	var c *errs.Conflict
	if errors.As(err, &c) && c.Key == "conflict.duplicate" {
		// Someone added one of these ID numbers between the check and the
		// write: say which row.
		if i, found, ferr := s.firstTaken(ctx, rows); ferr == nil && found {
			return &ImportError{Index: i, Err: errs.NewConflict("id_number", "person.id_number_taken")}
		}
	}
	if err != nil {
		return err
	}
	for i := range list {
		list[i].ID, list[i].Version, list[i].CreatedAt, list[i].UpdatedAt = ids[i], 1, now, now
	}
	return nil
}

// ImportError says which item of a batch failed.
type ImportError struct {
	Index int
	Err   error
}

func (e *ImportError) Error() string { return e.Err.Error() }
func (e *ImportError) Unwrap() error { return e.Err }

// importRow is what a person is stored as, worked out before the write.
type importRow struct {
	initials, sort  string
	phone, phoneIdx string // sealed, and its blind index
	idNumber        string // sealed
	idIdx           any    // blind index, or NULL without an ID number
	after           string // the audit snapshot without its id, from the first key on: `"activist_on":…}`
}

// prepareImport works out every row's stored form, refusing ID numbers
// given twice in the list or already on the roster.
func (s *Store) prepareImport(ctx context.Context, list []people.Person) ([]importRow, error) {
	rows := make([]importRow, len(list))
	first := make(map[string]int, len(list)) // ID number index → first row
	pinyin := map[string][2]string{}         // name → initials, sort key
	labels := map[[2]string]string{}         // dictionary, value → its label ("" unknown)
	for i := range list {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p, r := &list[i], &rows[i]
		py, ok := pinyin[p.Name]
		if !ok {
			py = [2]string{people.Initials(p.Name), nameSort(p.Name)}
			pinyin[p.Name] = py
		}
		r.initials, r.sort = py[0], py[1]
		// Dictionary values are folded here, with the rest of the
		// preparation, so SQLite's writer is not held for the look-ups.
		if err := personDicts(ctx, s, p, nil, labels); err != nil {
			return nil, &ImportError{Index: i, Err: err}
		}
		var err error
		if r.phone, r.idNumber, err = s.sealPerson(p); err != nil {
			return nil, err
		}
		r.phoneIdx = s.seal.Index(p.Phone)
		if idx := s.index(p.IDNumber); idx != "" {
			if _, dup := first[idx]; dup {
				return nil, &ImportError{Index: i, Err: errs.NewConflict("id_number", "person.id_number_taken")}
			}
			first[idx], r.idIdx = i, idx
		}
		snap, err := s.personSnapshot(p)
		if err != nil {
			return nil, err
		}
		delete(snap, "id") // known only in the transaction
		b, err := json.Marshal(snap)
		if err != nil {
			return nil, err
		}
		r.after = string(b[1:])
	}
	if i, found, err := s.firstTaken(ctx, rows); err != nil {
		return nil, err
	} else if found {
		return nil, &ImportError{Index: i, Err: errs.NewConflict("id_number", "person.id_number_taken")}
	}
	return rows, nil
}

// firstTaken finds the first row whose ID number someone on the roster has.
func (s *Store) firstTaken(ctx context.Context, rows []importRow) (int, bool, error) {
	var idx []string
	at := map[string]int{}
	for i, r := range rows {
		if v, ok := r.idIdx.(string); ok {
			idx, at[v] = append(idx, v), i
		}
	}
	taken, err := s.indexesTaken(ctx, idx)
	if err != nil || len(taken) == 0 {
		return 0, false, err
	}
	first := len(rows)
	for v := range taken {
		first = min(first, at[v])
	}
	return first, true, nil
}

// importRefs checks each distinct organisation and unit of the list once,
// inside the transaction, by the rules of a single person (personRefs),
// and returns the organisations' paths.
func (t *tx) importRefs(ctx context.Context, sc auth.Scope, list []people.Person) (map[int64]string, error) {
	paths := map[int64]string{}
	seen := map[[2]int64]bool{}
	for i := range list {
		p := &list[i]
		if seen[[2]int64{p.OrgID, p.UnitID}] {
			continue
		}
		seen[[2]int64{p.OrgID, p.UnitID}] = true
		path, err := t.personRefs(ctx, sc, p)
		if err != nil {
			return nil, &ImportError{Index: i, Err: err}
		}
		paths[p.OrgID] = path
	}
	return paths, nil
}

// newPersonIDs takes n ids for new people. On SQLite the write transaction
// holds the only writer, so the ids after the largest are free; PostgreSQL
// hands them out from the column's own sequence.
func (t *tx) newPersonIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if t.s.dialect != Postgres {
		var last int64
		if err := t.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM people").Scan(&last); err != nil {
			return nil, mapErr(err)
		}
		for i := range n {
			ids = append(ids, last+1+int64(i))
		}
		return ids, nil
	}
	rows, err := t.query(ctx, "SELECT nextval(pg_get_serial_sequence('people', 'id')) FROM generate_series(1, ?)", n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

const (
	personInsert = `INSERT INTO people (id, org_id, org_path, unit_id, name, name_initials, name_sort, sex, birth_date, ethnic, education,
		position, status, applied_on, activist_on, candidate_on, joined_on, full_on, phone, phone_idx, id_number, id_number_idx, left_on,
		version, created_at, updated_at) VALUES `
	personValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
	auditInsert  = `INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, org_path, before_json, after_json) VALUES `
	auditValues  = "(?, ?, ?, ?, 'person.create', 'person', ?, ?, '', ?)"
)

// importWriter writes batches of people and their audit records through
// statements prepared once for a full batch.
type importWriter struct {
	t                     *tx
	a                     audit.Actor
	now                   time.Time
	personStmt, auditStmt *batchStmt
	args                  []any
}

func (t *tx) newImportWriter(ctx context.Context, a audit.Actor, now time.Time) (*importWriter, error) {
	w := &importWriter{t: t, a: a, now: now}
	var err error
	if w.personStmt, err = t.prepareBatch(ctx, personInsert, personValues); err != nil {
		return nil, err
	}
	if w.auditStmt, err = t.prepareBatch(ctx, auditInsert, auditValues); err != nil {
		w.personStmt.close()
		return nil, err
	}
	return w, nil
}

func (w *importWriter) close() {
	w.personStmt.close()
	w.auditStmt.close()
}

func (w *importWriter) people(ctx context.Context, list []people.Person, rows []importRow, ids []int64, paths map[int64]string) error {
	args := w.args[:0]
	for i := range list {
		p, r := &list[i], &rows[i]
		args = append(args, ids[i], p.OrgID, paths[p.OrgID], nullID(p.UnitID), p.Name, r.initials, r.sort, p.Sex, p.BirthDate, p.Ethnic,
			p.Education, p.Position, p.Status, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn, r.phone, r.phoneIdx,
			r.idNumber, r.idIdx, p.LeftOn, w.now, w.now)
	}
	w.args = args
	return w.personStmt.exec(ctx, len(list), args)
}

// audits writes one person.create record per person, as CreatePerson does.
func (w *importWriter) audits(ctx context.Context, rows []importRow, ids []int64, paths map[int64]string, list []people.Person) error {
	args := w.args[:0]
	for i := range rows {
		id := strconv.FormatInt(ids[i], 10)
		args = append(args, w.now, nullID(w.a.UserID), w.a.Username, w.a.IP, id, paths[list[i].OrgID], `{"id":`+id+`,`+rows[i].after)
	}
	w.args = args
	return w.auditStmt.exec(ctx, len(rows), args)
}

// batchStmt is a multi-row INSERT: prepared for a full batch, built ad hoc
// for the last, shorter one.
type batchStmt struct {
	t              *tx
	insert, values string
	full           *sql.Stmt
}

func (t *tx) prepareBatch(ctx context.Context, insert, values string) (*batchStmt, error) {
	b := &batchStmt{t: t, insert: insert, values: values}
	st, err := t.sql.PrepareContext(ctx, t.s.rebind(b.text(importBatch)))
	if err != nil {
		return nil, mapErr(err)
	}
	b.full = st
	return b, nil
}

func (b *batchStmt) text(n int) string {
	return b.insert + strings.TrimSuffix(strings.Repeat(b.values+", ", n), ", ")
}

func (b *batchStmt) exec(ctx context.Context, n int, args []any) error {
	if n == importBatch {
		_, err := b.full.ExecContext(ctx, args...)
		return mapErr(err)
	}
	_, err := b.t.exec(ctx, b.text(n), args...)
	return err
}

func (b *batchStmt) close() { b.full.Close() }

// IDNumbersTaken returns which of the given ID numbers already belong to
// someone, so an import can report duplicates row by row before writing.
func (s *Store) IDNumbersTaken(ctx context.Context, ids []string) (map[string]bool, error) {
	back := make(map[string]string, len(ids))
	idx := make([]string, 0, len(ids))
	for _, id := range ids {
		v := s.index(id)
		back[v] = id
		idx = append(idx, v)
	}
	found, err := s.indexesTaken(ctx, idx)
	if err != nil {
		return nil, err
	}
	taken := make(map[string]bool, len(found))
	for v := range found {
		taken[back[v]] = true
	}
	return taken, nil
}

// indexesTaken returns which ID-number blind indexes the roster holds.
func (s *Store) indexesTaken(ctx context.Context, idx []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for start := 0; start < len(idx); start += importBatch {
		chunk := idx[start:min(start+importBatch, len(idx))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		rows, err := s.query(ctx, "SELECT id_number_idx FROM people WHERE id_number_idx IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			taken[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}
