package store

import (
	"context"
	"net/url"
	"strconv"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/indicator"
	"dangjian/internal/summary"
)

// Reported figures (填报): numbers kept outside the platform, entered per
// organisation, indicator and period with their evidence, audited, and
// counted by the catalogue like any other figure.

// ReportedIndicators are the reported figures in the catalogue: a sum (or
// for rates and averages the mean) of the entries of the subtree whose
// period lies inside the period asked for; unknown when there is none.
func (s *Store) ReportedIndicators() []indicator.Indicator {
	var out []indicator.Indicator
	for _, d := range summary.ReportedDefs {
		code := d.Code
		mean := d.Kind == indicator.Rate || d.Kind == indicator.Average
		out = append(out, indicator.Indicator{Code: d.Code, Name: d.Name, Unit: d.Unit, Kind: d.Kind, Module: "填报数据", Definition: d.Definition,
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				lo, hi := sc.PathRange()
				var sum float64
				var n int
				if err := s.queryRow(ctx, `SELECT COALESCE(SUM(r.value), 0), COUNT(*) FROM reported_figures r
					WHERE r.code = ? AND r.org_path >= ? AND r.org_path < ? AND `+reportedCounted,
					code, lo, hi, p.From, p.To, p.From, p.To).Scan(&sum, &n); err != nil {
					return indicator.Value{}, mapErr(err)
				}
				switch {
				case n == 0:
					return indicator.Value{}, nil
				case mean:
					return indicator.Of(sum / float64(n)), nil
				}
				return indicator.Of(sum), nil
			},
			Drill: func(_ auth.Scope, org int64, p indicator.Period) string { return ReportedLink(code, org, p) }})
	}
	return out
}

// reportedCounted is the condition "entry r counts for the period ?–?": its
// days lie inside the period, and no longer entry of the same organisation
// and indicator inside the period covers it (a year's figure replaces the
// half-year's when both were entered). Its arguments are the period twice.
const reportedCounted = `r.period_from >= ? AND r.period_to <= ? AND NOT EXISTS (SELECT 1 FROM reported_figures l
	WHERE l.org_id = r.org_id AND l.code = r.code AND l.id <> r.id AND l.period_from >= ? AND l.period_to <= ?
	AND l.period_from <= r.period_from AND l.period_to >= r.period_to)`

// ReportedLink is the list of entries behind a reported figure.
func ReportedLink(code string, org int64, p indicator.Period) string {
	q := url.Values{"code": {code}, "from": {p.From.String()}, "to": {p.To.String()}}
	if org != 0 {
		q.Set("org", strconv.FormatInt(org, 10))
	}
	return "/summaries/reported?" + q.Encode()
}

// SaveReported enters a figure (ID 0) or corrects one, audited. One entry
// per organisation, indicator and period.
func (s *Store) SaveReported(ctx context.Context, a audit.Actor, sc auth.Scope, r *summary.Reported) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, r.OrgID)
		if err != nil {
			return notFoundAs(err, "org_id", "org.unknown")
		}
		now := s.Now()
		var before any
		if r.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO reported_figures (org_id, org_path, code, period_from, period_to, value, evidence, entered_by, entered_at, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, o.ID, o.Path, r.Code, r.From, r.To, r.Value, r.Evidence, a.Username, now)
			if err != nil {
				return reportedTaken(err)
			}
			r.ID, r.Version = id, 1
		} else {
			old, err := reportedIn(ctx, t, sc, r.ID)
			if err != nil {
				return err
			}
			before = old
			if err := t.update(ctx, `UPDATE reported_figures SET org_id = ?, org_path = ?, code = ?, period_from = ?, period_to = ?, value = ?, evidence = ?,
				entered_by = ?, entered_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
				o.ID, o.Path, r.Code, r.From, r.To, r.Value, r.Evidence, a.Username, now, r.ID, r.Version); err != nil {
				return reportedTaken(err)
			}
			r.Version++
		}
		r.OrgName, r.EnteredBy, r.EnteredAt = o.Name, a.Username, now
		return t.audit(ctx, a, Change{Action: "reported_figure.save", ObjectType: "reported_figure", ObjectID: r.ID, OrgPath: o.Path, Before: before, After: *r})
	})
}

func reportedTaken(err error) error {
	if c, ok := err.(*errs.Conflict); ok && c.Key == "conflict.duplicate" {
		return errs.NewConflict("code", "summary.reported_taken")
	}
	return err
}

const reportedCols = `r.id, r.org_id, o.name, r.code, r.period_from, r.period_to, r.value, r.evidence, r.entered_by, r.entered_at, r.version`

func scanReported(sc interface{ Scan(...any) error }) (summary.Reported, error) {
	var r summary.Reported
	err := sc.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.Code, &r.From, &r.To, &r.Value, &r.Evidence, &r.EnteredBy, &r.EnteredAt, &r.Version)
	if d, ok := summary.ReportedDefOf(r.Code); ok {
		r.Name = d.Name
	}
	return r, mapErr(err)
}

func reportedIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (summary.Reported, error) {
	lo, hi := sc.PathRange()
	return scanReported(q.queryRow(ctx, "SELECT "+reportedCols+" FROM reported_figures r JOIN orgs o ON o.id = r.org_id WHERE r.id = ? AND r.org_path >= ? AND r.org_path < ?", id, lo, hi))
}

// Reported reads one entry inside the scope.
func (s *Store) Reported(ctx context.Context, sc auth.Scope, id int64) (summary.Reported, error) {
	return reportedIn(ctx, s, sc, id)
}

// ReportedFilter narrows the entries: the subtree of OrgID (0: the scope),
// one indicator, the entries inside From–To (as the figure counts them).
type ReportedFilter struct {
	OrgID    int64
	Code     string
	From, To date.Date
}

// ReportedList lists the entries, as the figure counted them.
func (s *Store) ReportedList(ctx context.Context, sc auth.Scope, f ReportedFilter) ([]summary.Reported, error) {
	sub, err := s.subtree(ctx, sc, f.OrgID)
	if err != nil {
		return nil, err
	}
	lo, hi := sub.PathRange()
	q := "SELECT " + reportedCols + " FROM reported_figures r JOIN orgs o ON o.id = r.org_id WHERE r.org_path >= ? AND r.org_path < ?"
	args := []any{lo, hi}
	if f.Code != "" {
		q += " AND r.code = ?"
		args = append(args, f.Code)
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		// As the figure counts them (a drill-down lists exactly these).
		q += " AND " + reportedCounted
		args = append(args, f.From, f.To, f.From, f.To)
	case !f.From.IsZero():
		q += " AND r.period_from >= ?"
		args = append(args, f.From)
	case !f.To.IsZero():
		q += " AND r.period_to <= ?"
		args = append(args, f.To)
	}
	rows, err := s.query(ctx, q+" ORDER BY r.period_from DESC, r.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []summary.Reported
	for rows.Next() {
		r, err := scanReported(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
