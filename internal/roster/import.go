package roster

import (
	"context"
	"errors"
	"io"
	"sort"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Import reads an .xlsx roster and adds its people to the scope, all or
// nothing. Every problem of the file is in the report, each with its row
// and column; if there is any, nothing is written. The error is for
// failures that are not the file's fault (the database, a cancelled request).
//
// progress, when not nil, is called as rows are checked and then written:
// done runs from 0 to total, which is twice the number of rows.
//
// r is read in place when it can be read at any offset (a bytes.Reader, an
// io.SectionReader); otherwise at most MaxUploadSize bytes of it are read
// into memory. Reading stops as soon as ctx ends, and so does the import.
func Import(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, r io.Reader,
	progress func(done, total int)) (Report, error) {
	src, size, rep, err := upload(r)
	if err != nil || rep != nil {
		return deref(rep), err
	}
	sd, rep, err := readSheet(ctx, src, size)
	if err != nil || rep != nil {
		return deref(rep), err
	}

	e, err := loadEnv(ctx, st, sc)
	if err != nil {
		return Report{}, err
	}
	e.date1904 = sd.date1904
	n := len(sd.rows)
	report := func(done int) {
		if progress != nil {
			progress(done, 2*n)
		}
	}
	report(0)
	out := Report{Rows: n}
	list := make([]people.Person, 0, n)
	rowOf := make([]int, 0, n) // list index → spreadsheet row
	idRow := map[string]int{}  // first row of each ID number
	for i := range sd.rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return Report{}, err
			}
		}
		row := &sd.rows[i]
		p, probs := parseRow(e, sd.layout, row)
		out.Problems = append(out.Problems, probs...)
		if p.IDNumber != "" && !hasColumn(probs, sd.layout.column(fIDNumber)) {
			if first, dup := idRow[p.IDNumber]; dup {
				out.Problems = append(out.Problems,
					problem(row.num, sd.layout.column(fIDNumber), "roster.duplicate_in_file", first),
					problem(first, sd.layout.column(fIDNumber), "roster.duplicate_in_file", row.num))
			} else {
				idRow[p.IDNumber] = row.num
			}
		}
		if len(probs) == 0 {
			list, rowOf = append(list, p), append(rowOf, row.num)
		}
		report(i + 1)
	}
	sd.rows = nil // the people are what is written; the cells may go

	taken, err := st.IDNumbersTaken(ctx, keys(idRow))
	if err != nil {
		return Report{}, err
	}
	for id := range taken {
		out.Problems = append(out.Problems, problem(idRow[id], sd.layout.column(fIDNumber), "person.id_number_taken"))
	}
	if len(out.Problems) > 0 {
		out.Problems = tidy(out.Problems)
		return out, nil
	}

	err = st.ImportPeople(ctx, a, sc, list, func(done int) { report(n + done) })
	var ie *store.ImportError
	if errors.As(err, &ie) && ie.Index >= 0 && ie.Index < len(rowOf) {
		// Someone else changed the data between the checks and the write.
		if p, ok := storeProblem(rowOf[ie.Index], sd.layout, ie.Err); ok {
			out.Problems = []Problem{p}
			return out, nil
		}
	}
	if err != nil {
		return Report{}, err
	}
	out.Imported = len(list)
	return out, nil
}

func deref(r *Report) Report {
	if r == nil {
		return Report{}
	}
	return *r
}

// loadEnv reads the organisations and dictionaries rows are checked against.
func loadEnv(ctx context.Context, st *store.Store, sc auth.Scope) (*env, error) {
	e := &env{today: date.FromTime(st.Now())}
	var err error
	party := store.OrgFilter{Kinds: []org.Kind{org.Committee, org.GeneralBranch, org.Branch, org.Group}}
	if e.orgs, err = st.OrgsByName(ctx, sc, party); err != nil {
		return nil, err
	}
	// A unit may lie outside a branch secretary's subtree (the court's staff
	// sit in the court's branch), as store.CreatePerson allows.
	units := store.OrgFilter{Kinds: []org.Kind{org.Unit, org.School, org.Township, org.Village}}
	if e.units, err = st.OrgsByName(ctx, auth.Everything, units); err != nil {
		return nil, err
	}
	if e.education, err = st.DictLookup(ctx, dict.Education); err != nil {
		return nil, err
	}
	if e.ethnic, err = st.DictLookup(ctx, dict.Ethnic); err != nil {
		return nil, err
	}
	return e, nil
}

// storeProblem turns a refusal of the store into a row problem.
func storeProblem(rowNum int, l *layout, err error) (Problem, bool) {
	var c *errs.Conflict
	if errors.As(err, &c) {
		col := ""
		if f, ok := fieldOfKey[c.Field]; ok {
			col = l.column(f)
		}
		return problem(rowNum, col, c.Key), true
	}
	var inv *errs.Invalid
	if errors.As(err, &inv) {
		for k, key := range inv.Fields {
			f, ok := fieldOfKey[k]
			col := ""
			if ok {
				col = l.column(f)
			}
			return problem(rowNum, col, key), true
		}
	}
	return Problem{}, false
}

func hasColumn(probs []Problem, column string) bool {
	for _, p := range probs {
		if p.Column == column {
			return true
		}
	}
	return false
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// tidy sorts problems by row, keeping each row's left-to-right order, and
// cuts the list at MaxProblems with a line saying how many more there are.
func tidy(probs []Problem) []Problem {
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Row < probs[j].Row })
	if len(probs) > MaxProblems {
		more := len(probs) - MaxProblems
		probs = append(probs[:MaxProblems:MaxProblems], problem(0, "", "roster.more_problems", more))
	}
	return probs
}
