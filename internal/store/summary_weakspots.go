package store

import (
	"context"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/summary"
)

// The weak spots (存在的问题) of a subtree and period, from the rules the
// installation switched on, with its thresholds.

// weakSpotInput is what every finder is given.
type weakSpotInput struct {
	sc       auth.Scope // the subtree
	org      *org.Org
	period   indicator.Period
	cat      *indicator.Catalogue
	figures  []summary.Figure // the summary's figures, with last year's
	today    date.Date
	settings summary.Settings
}

// weakSpotFinder finds the weak spots of one rule. A module adds its rule
// (the ledger's overdue items: RuleDef in package summary, a finder here)
// by adding one entry to weakSpotFinders.
type weakSpotFinder func(ctx context.Context, in weakSpotInput) ([]summary.WeakSpot, error)

func (s *Store) weakSpotFinders() map[string]weakSpotFinder {
	return map[string]weakSpotFinder{
		summary.RuleMeetings: s.missedMeetings,
		summary.RuleCoverage: s.lowCoverage,
		summary.RuleFell: func(_ context.Context, in weakSpotInput) ([]summary.WeakSpot, error) {
			return summary.Fell(in.figures, in.settings.Threshold(summary.RuleFell)), nil
		},
		summary.RuleOnline: s.onlineLow,
		summary.RuleLedger: s.ledgerOverdue,
	}
}

// WeakSpots runs the rules that are on, in the order of summary.RuleDefs.
func (s *Store) WeakSpots(ctx context.Context, sc auth.Scope, o *org.Org, p indicator.Period, cat *indicator.Catalogue,
	figures []summary.Figure, today date.Date) ([]summary.WeakSpot, error) {
	settings, _, err := s.SummaryRules(ctx)
	if err != nil {
		return nil, err
	}
	in := weakSpotInput{sc: sc, org: o, period: p, cat: cat, figures: figures, today: today, settings: settings}
	finders := s.weakSpotFinders()
	// The rules read different records: run them at once, keep their order.
	found := make([][]summary.WeakSpot, len(summary.RuleDefs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, d := range summary.RuleDefs {
		f, ok := finders[d.Code]
		if !ok || !settings.On(d.Code) {
			continue
		}
		g.Go(func() (err error) {
			found[i], err = f(gctx, in)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []summary.WeakSpot
	for _, spots := range found {
		out = append(out, spots...)
	}
	return out, nil
}

func (s *Store) missedMeetings(ctx context.Context, in weakSpotInput) ([]summary.WeakSpot, error) {
	if in.sc.PersonID != 0 {
		return nil, nil
	}
	end := in.period.To.AddDate(0, 0, 1)
	orgs, err := s.Orgs(ctx, in.sc, OrgFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	d, err := s.complianceData(ctx, in.sc, orgs, func(event.Rule) date.Date { return in.period.From }, end, in.today)
	if err != nil {
		return nil, err
	}
	// Only the months and quarters wholly inside the period are judged,
	// and only those missed are kept (a province has hundreds of thousands
	// of checks). A sentence names an organisation as its label (the
	// calendar's name of it) does, without the arrow: 第一党支部第二党小组,
	// not a bare 第二党小组 of two branches.
	var checks []event.Check
	for c := range event.Compliance(d.Orgs, d.Rules, d.Held, in.period.From, end, in.today) {
		if c.State == event.Missed && !c.Span.Start.Before(in.period.From) && !c.Span.End.After(end) {
			c.OrgName = strings.ReplaceAll(c.OrgName, org.PathSeparator, "")
			checks = append(checks, c)
		}
	}
	return summary.MissedMeetings(checks), nil
}

func (s *Store) lowCoverage(ctx context.Context, in weakSpotInput) ([]summary.WeakSpot, error) {
	cov, ok := in.cat.Lookup("learning.coverage")
	if !ok {
		return nil, nil
	}
	branches, err := s.branchesOf(ctx, in.org)
	if err != nil {
		return nil, err
	}
	byBranch, err := s.LearningCoverageBySubtree(ctx, auth.Scope{OrgPath: in.org.Path}, branches, spanOf(in.period))
	if err != nil {
		return nil, err
	}
	var figs []summary.OrgFigure
	for _, b := range branches {
		r := byBranch[b.ID]
		figs = append(figs, summary.OrgFigure{OrgID: b.ID, OrgName: b.Name,
			Figure: indicator.Figure{Indicator: cov, Now: indicator.Ratio(float64(r.Num), float64(r.Den))}})
	}
	return summary.LowCoverage(figs, in.settings.Threshold(summary.RuleCoverage)), nil
}

func (s *Store) onlineLow(ctx context.Context, in weakSpotInput) ([]summary.WeakSpot, error) {
	in2, ok := in.cat.Lookup("reported.online_rate")
	if !ok {
		return nil, nil
	}
	v, err := in2.Compute(ctx, in.sc, in.period)
	if err != nil {
		return nil, err
	}
	return summary.OnlineLow(summary.Figure{Now: v, Text: in2.Format(v)}, in.settings.Threshold(summary.RuleOnline)), nil
}

// SummaryRules are the weak-spot rules with the installation's settings.
func (s *Store) SummaryRules(ctx context.Context) (summary.Settings, []summary.RuleSetting, error) {
	saved := summary.Settings{}
	rows, err := s.query(ctx, "SELECT code, enabled, threshold, version FROM summary_rules")
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var r summary.RuleSetting
		if err := rows.Scan(&r.Code, &r.Enabled, &r.Threshold, &r.Version); err != nil {
			rows.Close()
			return nil, nil, err
		}
		saved[r.Code] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var list []summary.RuleSetting
	for _, d := range summary.RuleDefs {
		r, ok := saved[d.Code]
		if !ok {
			r = summary.RuleSetting{Code: d.Code, Enabled: true, Threshold: d.Threshold}
		}
		r.Name, r.Doc, r.Unit = d.Name, d.Doc, d.Unit
		saved[d.Code] = r
		list = append(list, r)
	}
	return saved, list, nil
}

// SaveSummaryRule switches a rule on or off and sets its threshold, audited.
// Version is what the editor saw (0 for a rule never saved).
func (s *Store) SaveSummaryRule(ctx context.Context, a audit.Actor, r *summary.RuleSetting) error {
	d, ok := summary.RuleDefOf(r.Code)
	if !ok {
		return errs.Field("code", "summary.rule_unknown")
	}
	if !d.HasThreshold {
		r.Threshold = 0
	} else if r.Threshold < 0 || r.Threshold > 100 {
		return errs.Field("threshold", "summary.threshold_range")
	}
	return s.inTx(ctx, func(t *tx) error {
		var before any
		var old summary.RuleSetting
		err := t.queryRow(ctx, "SELECT enabled, threshold, version FROM summary_rules WHERE code = ?", r.Code).Scan(&old.Enabled, &old.Threshold, &old.Version)
		switch mapErr(err) {
		case errs.ErrNotFound:
			if r.Version != 0 {
				return errStale
			}
			if _, err := t.exec(ctx, "INSERT INTO summary_rules (code, enabled, threshold, version) VALUES (?, ?, ?, 1)", r.Code, r.Enabled, r.Threshold); err != nil {
				return err
			}
			before = summary.RuleSetting{Code: r.Code, Enabled: true, Threshold: d.Threshold}
		case nil:
			before = old
			if err := t.update(ctx, "UPDATE summary_rules SET enabled = ?, threshold = ?, version = version + 1 WHERE code = ? AND version = ?",
				r.Enabled, r.Threshold, r.Code, r.Version); err != nil {
				return err
			}
		default:
			return err
		}
		r.Version++
		r.Name, r.Doc, r.Unit = d.Name, d.Doc, d.Unit
		return t.audit(ctx, a, Change{Action: "summary_rule.save", ObjectType: "summary_rule", Before: before, After: *r})
	})
}
