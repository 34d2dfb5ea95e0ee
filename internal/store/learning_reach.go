package store

import (
	"strings"

	"dangjian/internal/date"
	"dangjian/internal/event"
)

// learning_reach (migration 00210) keeps, per organisation, year and
// person, the first and last day the person was expected at a learning
// event the organisation held, and the first and last day they were present
// or made it up. Whole years, and the part of a year after a day or before
// one, then count their distinct people from a row per person instead of
// every mark.

// reachSpan is the condition on learning_reach rows r of a person expected
// at a learning event held in span and of one present or made up, with
// their arguments, and the years to read. ok is false for a
// span inside one year that touches neither of its ends: only the marks say
// who came between two days.
func reachSpan(span event.Span) (r reachTerms, ok bool) {
	var exp, cov []string
	for y := span.Start.Year(); y <= span.Last().Year(); y++ {
		first, next := date.Of(y, 1, 1), date.Of(y+1, 1, 1)
		from, to := latest(span.Start, first), earliest(span.End, next)
		opens, closes := !from.After(first), !to.Before(next) // the span holds the year's first day, its last
		r.years = append(r.years, y)
		switch {
		case opens && closes:
			exp, cov = append(exp, "r.year = ?"), append(cov, "(r.year = ? AND r.first_covered IS NOT NULL)")
			r.expArgs, r.covArgs = append(r.expArgs, y), append(r.covArgs, y)
		case opens:
			exp, cov = append(exp, "(r.year = ? AND r.first_expected < ?)"), append(cov, "(r.year = ? AND r.first_covered < ?)")
			r.expArgs, r.covArgs = append(r.expArgs, y, to), append(r.covArgs, y, to)
		case closes:
			exp, cov = append(exp, "(r.year = ? AND r.last_expected >= ?)"), append(cov, "(r.year = ? AND r.last_covered >= ?)")
			r.expArgs, r.covArgs = append(r.expArgs, y, from), append(r.covArgs, y, from)
		default:
			return reachTerms{}, false
		}
	}
	r.expectedCond, r.coveredCond = "("+strings.Join(exp, " OR ")+")", "("+strings.Join(cov, " OR ")+")"
	return r, true
}

type reachTerms struct {
	years                     []int
	expectedCond, coveredCond string
	expArgs, covArgs          []any
}

// covered is the query of learning_reach's rows r of organisations in
// [lo, hi) whose person was expected in the span, grouped by group (columns
// of r), each group with a column covered: 1 when its person was present
// or made up in the span.
func (r reachTerms) covered(group, lo, hi string) (string, []any) {
	return r.query(group, lo, hi, true)
}

// coveredByOrganisation is covered grouped by organisation and person. A
// year holds one row per organisation and person (the table's key), so
// the rows of a span inside one year are read as they are: grouping them
// would sort a province's hundred thousand for nothing.
func (r reachTerms) coveredByOrganisation(lo, hi string) (string, []any) {
	return r.query("r.org_path, r.person_id", lo, hi, len(r.years) > 1)
}

func (r reachTerms) query(group, lo, hi string, grouped bool) (string, []any) {
	args := make([]any, 0, len(r.covArgs)+len(r.years)+2+len(r.expArgs))
	args = append(args, r.covArgs...)
	for _, y := range r.years {
		args = append(args, y)
	}
	args = append(append(args, lo, hi), r.expArgs...)
	covered, groupBy := "CASE WHEN "+r.coveredCond+" THEN 1 ELSE 0 END", ""
	if grouped {
		covered, groupBy = "MAX("+covered+")", " GROUP BY "+group
	}
	return "SELECT " + group + ", " + covered + " AS covered FROM learning_reach r WHERE r.year IN (" +
		placeholders(len(r.years)) + ") AND r.org_path >= ? AND r.org_path < ? AND " + r.expectedCond + groupBy, args
}

func latest(a, b date.Date) date.Date {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b date.Date) date.Date {
	if a.Before(b) {
		return a
	}
	return b
}
