package roster

import (
	"context"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Import reads an .xlsx roster and adds its people to the scope, all or
// nothing: ImportWith in the create mode.
func Import(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, r io.Reader,
	progress func(done, total int)) (Report, error) {
	return ImportWith(ctx, st, a, sc, r, Options{}, progress)
}

// ImportWith reads an .xlsx roster and, in the create mode, adds its people
// to the scope; in the update mode it changes the people it finds by ID
// number (a preview first, then, confirmed, the write). All or nothing:
// every problem of the file is in the report, each with its row and column;
// if there is any, nothing is written. Organisations and units the tree
// lacks are listed once each (Report.Missing), not once a row. The error is
// for failures that are not the file's fault (the database, a cancelled
// request). Each run is entered in the import history.
//
// progress, when not nil, is called as rows are checked and then written:
// done runs from 0 to total, which is twice the number of rows.
//
// r is read in place when it can be read at any offset (a bytes.Reader, an
// io.SectionReader); otherwise at most MaxUploadSize bytes of it are read
// into memory. Reading stops as soon as ctx ends, and so does the import.
func ImportWith(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, r io.Reader, opt Options,
	progress func(done, total int)) (Report, error) {
	rep, err := importFile(ctx, st, a, sc, r, opt, progress)
	if err != nil {
		return rep, err
	}
	return rep, record(ctx, st, a, sc, opt, rep)
}

func importFile(ctx context.Context, st *store.Store, a audit.Actor, sc auth.Scope, r io.Reader, opt Options,
	progress func(done, total int)) (Report, error) {
	if opt.Mode == "" {
		opt.Mode = Create
	}
	src, size, rep, err := upload(r)
	if err != nil || rep != nil {
		return withMode(rep, opt.Mode), err
	}
	sd, rep, err := readSheet(ctx, src, size)
	if err != nil || rep != nil {
		return withMode(rep, opt.Mode), err
	}

	e, err := loadEnv(ctx, st, sc)
	if err != nil {
		return Report{}, err
	}
	e.date1904, e.orgMap = sd.date1904, opt.OrgMap
	n := len(sd.rows)
	report := func(done int) {
		if progress != nil {
			progress(done, 2*n)
		}
	}
	report(0)
	out := Report{Rows: n, Mode: opt.Mode}
	idCol := sd.layout.column(fIDNumber)

	var existing map[string]store.PersonRow
	var numbered map[int64]store.PersonRow // by 人员编号, when the file has the column
	noCol := sd.layout.column(fPersonNo)
	if opt.Mode == Update {
		if existing, err = st.PeopleByIDNumber(ctx, sc, fileIDNumbers(sd.rows)); err != nil {
			return Report{}, err
		}
		if sd.layout.col[fPersonNo] >= 0 {
			if numbered, err = st.PeopleByID(ctx, sc, filePersonNumbers(sd.rows)); err != nil {
				return Report{}, err
			}
		}
	}
	noRow := map[int64]int{} // first row of each 人员编号
	list := make([]people.Person, 0, n)
	rowOf := make([]int, 0, n) // list index → spreadsheet row
	idRow := map[string]int{}  // first row of each ID number
	notFound := map[string]int{}
	missing := newMissingSet()
	var up updates
	for i := range sd.rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return Report{}, err
			}
		}
		row := &sd.rows[i]
		// The update mode finds a row's person by its 人员编号 first: an
		// export with masked ID numbers and phones updates too, the masks
		// standing for the values they hide.
		var base *store.PersonRow
		if numbered != nil {
			no, key := personNumber(row.cells[fPersonNo])
			b, found := numbered[no]
			first, dup := noRow[no]
			switch {
			case key == "" && no == 0: // a row without one: found by ID number
			case key == "" && dup:
				key = "roster.person_no_duplicate"
			case key == "" && !found:
				key = "roster.person_no_unknown"
			default:
				noRow[no], base = row.num, &b
				unmaskCells(row, &b.Person)
			}
			if key != "" { // the row's person is unknown: nothing more to say of it
				pr := problem(row.num, noCol, key)
				if dup {
					pr = problem(row.num, noCol, key, first)
				}
				out.Problems = append(out.Problems, pr)
				report(i + 1)
				continue
			}
		}
		// A repeated ID number is reported and not read further: nothing
		// is derived from another row's number.
		if key, id := idNumber(row.cells[fIDNumber]); key == "" && id != "" {
			if first, dup := idRow[id]; dup {
				out.Problems = append(out.Problems,
					problem(row.num, idCol, "roster.duplicate_in_file", first),
					problem(first, idCol, "roster.duplicate_in_file", row.num))
				row.cells[fIDNumber], row.idSkipped = cell{}, true
			} else {
				idRow[id] = row.num
			}
		}
		byNumber := base != nil
		if opt.Mode == Update && !row.idSkipped && base == nil {
			_, id := idNumber(row.cells[fIDNumber])
			if b, ok := existing[id]; ok {
				base = &b
			}
		}
		var baseP *people.Person
		if base != nil {
			baseP = &base.Person
		}
		p, probs := parseRow(e, sd.layout, row, baseP)
		probs = missing.take(row, probs)
		out.Problems = append(out.Problems, probs...)
		if opt.Mode == Update && !row.idSkipped && !hasColumn(probs, idCol) {
			switch {
			case byNumber && p.IDNumber != base.IDNumber:
				out.Problems = append(out.Problems, problem(row.num, idCol, "roster.update_id_changed"))
				probs = append(probs, Problem{})
			case byNumber:
			case p.IDNumber == "":
				out.Problems = append(out.Problems, problem(row.num, idCol, "roster.update_need_id"))
				probs = append(probs, Problem{})
			case base == nil:
				notFound[p.IDNumber] = row.num
				probs = append(probs, Problem{})
			}
		}
		if len(probs) == 0 && !row.idSkipped {
			if opt.Mode == Update {
				if pr, ok := up.add(e, sd.layout, row.num, base, p, opt.Unmask); !ok {
					out.Problems = append(out.Problems, pr)
				}
			} else {
				list, rowOf = append(list, p), append(rowOf, row.num)
			}
		}
		report(i + 1)
	}
	sd.rows = nil // the people are what is written; the cells may go
	out.Missing = missing.list()

	if opt.Mode == Update {
		// Numbers nobody in the scope holds: elsewhere, or nowhere.
		taken, err := st.IDNumbersTaken(ctx, keys(notFound))
		if err != nil {
			return Report{}, err
		}
		for id, num := range notFound {
			key := "roster.update_not_found"
			if taken[id] {
				key = "roster.update_out_of_scope"
			}
			out.Problems = append(out.Problems, problem(num, idCol, key))
		}
		return writeUpdates(ctx, st, a, sc, opt, out, &up, func(done int) {
			if len(up.people) > 0 {
				report(n + done*n/len(up.people))
			}
		})
	}

	taken, err := st.IDNumbersTaken(ctx, keys(idRow))
	if err != nil {
		return Report{}, err
	}
	for id := range taken {
		out.Problems = append(out.Problems, problem(idRow[id], idCol, "person.id_number_taken"))
	}
	if out.Rejected() {
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

// filePersonNumbers are the 人员编号 of the file that read as numbers.
func filePersonNumbers(rows []row) []int64 {
	var out []int64
	for i := range rows {
		if no, key := personNumber(rows[i].cells[fPersonNo]); key == "" && no != 0 {
			out = append(out, no)
		}
	}
	return out
}

// personNumber reads the 人员编号 cell: 0 when empty.
func personNumber(c cell) (int64, string) {
	s := strings.TrimSpace(halfWidth(c.text))
	if s == "" {
		return 0, ""
	}
	no, err := strconv.ParseInt(s, 10, 64)
	if err != nil || no <= 0 {
		return 0, "roster.person_no_format"
	}
	return no, ""
}

// unmaskCells puts back the values behind a row's masked ID number and
// phone where the mask is the person's own, as the export wrote it: the
// row then says "unchanged" for them. Any other masked value stays and is
// refused as masked.
func unmaskCells(r *row, p *people.Person) {
	masked := func(f field, full string, mask func(string) string) {
		s := strings.TrimSpace(halfWidth(r.cells[f].text))
		if full != "" && strings.Contains(s, "*") && s == mask(full) {
			r.cells[f].text = full
		}
	}
	masked(fIDNumber, p.IDNumber, people.MaskIDNumber)
	masked(fPhone, p.Phone, people.MaskPhone)
}

// fileIDNumbers lists the readable ID numbers of the rows.
func fileIDNumbers(rows []row) []string {
	var out []string
	for i := range rows {
		if key, id := idNumber(rows[i].cells[fIDNumber]); key == "" && id != "" {
			out = append(out, id)
		}
	}
	return out
}

func withMode(r *Report, m Mode) Report {
	out := deref(r)
	out.Mode = m
	return out
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
	// A unit may lie outside a branch secretary's subtree (the court's staff
	// sit in the court's branch), as store.CreatePerson allows.
	if e.names, err = LoadNames(ctx, st, sc); err != nil {
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
