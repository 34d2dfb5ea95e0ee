package store

import (
	"context"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/learning"
)

// LearningRequirement is the yearly 学时 requirement in force.
func (s *Store) LearningRequirement(ctx context.Context) (learning.Requirement, error) {
	var r learning.Requirement
	err := s.queryRow(ctx, "SELECT member_tenths, committee_tenths FROM learning_settings WHERE id = 1").Scan(&r.Member, &r.Committee)
	if mapErr(err) != nil {
		return learning.DefaultRequirement, mapErr(err)
	}
	return r, nil
}

// SaveLearningRequirement changes the yearly 学时 requirement (an
// administrator's setting).
func (s *Store) SaveLearningRequirement(ctx context.Context, a audit.Actor, r learning.Requirement) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		var old learning.Requirement
		if err := t.queryRow(ctx, "SELECT member_tenths, committee_tenths FROM learning_settings WHERE id = 1").Scan(&old.Member, &old.Committee); err != nil {
			return mapErr(err)
		}
		if _, err := t.exec(ctx, "UPDATE learning_settings SET member_tenths = ?, committee_tenths = ?, version = version + 1 WHERE id = 1",
			r.Member, r.Committee); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "learning.requirement", ObjectType: "learning_settings", ObjectID: 1, OrgPath: "/",
			Before: old, After: r})
	})
}

// LearningHours is each party member's 学时 in a span (a year, usually) in
// the subtree of orgID inside the scope (a member's scope: theirs alone):
// the members on the roster at the span's end, in roster order, each with
// the credit of every day they were present at or made up a held learning
// session, their notes and reflections, against the requirement — the
// higher one for whoever held a committee seat during the span, and a
// span shorter than a year needs its share of the yearly requirement.
func (s *Store) LearningHours(ctx context.Context, sc auth.Scope, orgID int64, span event.Span) ([]learning.Standing, learning.Requirement, error) {
	return s.learningHours(ctx, sc, orgID, span, hoursRead{page: true})
}

// hoursRead is how learningHours reads: with the names, roster order and
// notes a page shows (page), or only what 学时达标率 counts; the credit
// from the rows the database keeps where the span allows, or from the
// marks alone (marks: to check those rows against).
type hoursRead struct{ page, marks bool }

func (s *Store) learningHours(ctx context.Context, sc auth.Scope, orgID int64, span event.Span, how hoursRead) ([]learning.Standing, learning.Requirement, error) {
	req, err := s.LearningRequirement(ctx)
	if err != nil {
		return nil, req, err
	}
	req = req.ForDays(event.DaysFrom(span.Start, span.End))
	sub := sc
	if sc.PersonID == 0 {
		if sub, err = s.subtree(ctx, sc, orgID); err != nil {
			return nil, req, err
		}
	}
	lo, hi := sub.PathRange()
	last := span.Last()
	who, args := "p.org_path >= ? AND p.org_path < ?", []any{lo, hi}
	if sc.PersonID != 0 {
		who, args = "p.id = ?", []any{sc.PersonID}
	}
	members := who + ` AND p.status IN ('probationary', 'full') AND (p.left_on IS NULL OR p.left_on > ?)
		AND (p.joined_on IS NULL OR p.joined_on <= ?)`
	people := "FROM people p WHERE " + members
	pargs := append(append([]any{}, args...), last, last)
	committee := `EXISTS (SELECT 1 FROM committee_members c WHERE c.person_id = p.id AND c.from_date <= ? AND (c.to_date IS NULL OR c.to_date >= ?))`
	peopleSQL, peopleArgs := `SELECT p.id, '', '', `+committee+`, 0, 0 `+people, append([]any{last, span.Start}, pargs...)
	// 学时达标率 of whole years reads each member with their years' rows
	// (y) in one statement: the members are found once, not again for
	// their credit.
	yearsJoined := !how.page && !how.marks && wholeYears(span)
	if yearsJoined {
		years := yearArgs(span.Start, span.End)
		credit, group := "COALESCE(y.credit_tenths, 0), COALESCE(y.days, 0)", ""
		if len(years) > 1 { // a row a year: added up (one year is not grouped, which sorts)
			credit, group = "COALESCE(SUM(y.credit_tenths), 0), COALESCE(SUM(y.days), 0)", " GROUP BY p.id"
		}
		peopleSQL = `SELECT p.id, '', '', ` + committee + `, ` + credit + `
		FROM people p LEFT JOIN learning_credit_year y ON y.person_id = p.id AND y.year IN (` + placeholders(len(years)) + `)
		WHERE ` + members + group
		peopleArgs = append(append([]any{last, span.Start}, years...), pargs...)
	}
	if how.page {
		peopleSQL = `SELECT p.id, p.name, ` + orgLabel + `, ` + committee + `, 0, 0
		FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id IN (SELECT p.id ` + people + `) ORDER BY o.path, p.name_sort, p.id`
	}
	rows, err := s.query(ctx, peopleSQL, peopleArgs...)
	if err != nil {
		return nil, req, err
	}
	var list []learning.Standing
	var credits []learning.Credit
	index := map[int64]int{}
	for rows.Next() {
		var st learning.Standing
		c := learning.Credit{}
		if err := rows.Scan(&st.PersonID, &st.Name, &st.OrgName, &st.Committee, &c.Credit, &c.Days); err != nil {
			rows.Close()
			return nil, req, err
		}
		index[st.PersonID] = len(list)
		list = append(list, st)
		if yearsJoined {
			c.PersonID = st.PersonID
			credits = append(credits, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, req, err
	}
	if len(list) == 0 {
		return nil, req, nil
	}
	creditSQL := `SELECT a.person_id, SUM(e.credit_tenths), COUNT(*) FROM event_attendance a JOIN events e ON e.id = a.event_id
		WHERE e.status = 'held' AND ` + learningCond + ` AND a.day >= ? AND a.day < ?
		AND (a.mark = 'present' OR a.made_up_on IS NOT NULL) AND a.person_id IN (SELECT p.id ` + people + `) GROUP BY a.person_id`
	cargs := []any{span.Start, span.End}
	switch {
	case how.marks: // as above
	case wholeYears(span):
		// 全年: each member's row of the year (learning_credit_year).
		// The years listed rather than a range, so that each member's rows
		// are found by their key and come in the order they are added up in.
		cargs = yearArgs(span.Start, span.End)
		creditSQL = `SELECT c.person_id, SUM(c.credit_tenths), SUM(c.days) FROM learning_credit_year c
			WHERE c.year IN (` + placeholders(len(cargs)) + `) AND c.person_id IN (SELECT p.id ` + people + `) GROUP BY c.person_id`
	case wholeMonths(span):
		// 上半年, a quarter, a month: the months' rows (learning_credit).
		creditSQL = `SELECT c.person_id, SUM(c.credit_tenths), SUM(c.days) FROM learning_credit c
			WHERE c.month >= ? AND c.month < ? AND c.person_id IN (SELECT p.id ` + people + `) GROUP BY c.person_id`
	}
	if !yearsJoined {
		crows, err := s.query(ctx, creditSQL, append(cargs, pargs...)...)
		if err != nil {
			return nil, req, err
		}
		for crows.Next() {
			var c learning.Credit
			if err := crows.Scan(&c.PersonID, &c.Credit, &c.Days); err != nil {
				crows.Close()
				return nil, req, err
			}
			credits = append(credits, c)
		}
		crows.Close()
		if err := crows.Err(); err != nil {
			return nil, req, err
		}
	}
	list = learning.Tally(list, credits, req)
	if !how.page {
		return list, req, nil
	}
	nrows, err := s.query(ctx, `SELECT n.person_id, n.kind, COUNT(*), SUM(n.chars) FROM learning_notes n
		WHERE n.written_on >= ? AND n.written_on < ? AND n.person_id IN (SELECT p.id `+people+`) GROUP BY n.person_id, n.kind`,
		append([]any{span.Start, span.End}, pargs...)...)
	if err != nil {
		return nil, req, err
	}
	defer nrows.Close()
	for nrows.Next() {
		var id int64
		var kind learning.NoteKind
		var n, chars int
		if err := nrows.Scan(&id, &kind, &n, &chars); err != nil {
			return nil, req, err
		}
		if i, ok := index[id]; ok {
			if kind == learning.StudyNote {
				list[i].Notes, list[i].NoteChars = n, chars
			} else {
				list[i].Reflects = n
			}
		}
	}
	return list, req, nrows.Err()
}

// wholeMonths reports whether span begins on a month's first day and ends
// before another's.
func wholeMonths(span event.Span) bool {
	return span.Start.Day() == 1 && span.End.Day() == 1 && span.Start.Before(span.End)
}

// wholeYears reports whether span is one or more calendar years.
func wholeYears(span event.Span) bool {
	return wholeMonths(span) && span.Start.Month() == 1 && span.End.Month() == 1
}

// YearSpan is a calendar year as a span.
func YearSpan(year int) event.Span {
	return event.Span{Start: date.Of(year, 1, 1), End: date.Of(year+1, 1, 1)}
}
