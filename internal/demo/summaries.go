package demo

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/indicator"
	"dangjian/internal/store"
	sums "dangjian/internal/summary"
)

// The demo committee's work summaries: the figures finance and the other
// systems report (填报) for this year and the last, shaped like the second
// seed (公务接待费用同比下降15%, 工作任务完成率98%, 线上参与不足), and the
// 上半年 and 全年 summaries generated from whatever records the demo holds,
// so they are there on the first day. Generation reads only the catalogue:
// it works on any data, and gets fuller as modules add records to the demo
// (run this step after them).

// reportedYear is one year's reported figures of the committee: the first
// half, and the whole year (or the year so far).
type reportedYear struct {
	code           string
	half, wholeish float64
}

func reportedFigures(thisYear bool) []reportedYear {
	if thisYear {
		return []reportedYear{
			{"reported.reception_cost", 86000, 150000}, {"reported.funds_saved", 86000, 152000},
			{"reported.doc_days", 3, 3.2}, {"reported.documents", 70, 131}, {"reported.task_completion", 98, 97.5},
			{"reported.books", 1200, 1500}, {"reported.disclosed", 150, 281}, {"reported.party_staff", 2, 2},
			{"reported.online_rate", 45, 48},
		}
	}
	return []reportedYear{
		{"reported.reception_cost", 101176, 205000}, {"reported.funds_saved", 52000, 98000},
		{"reported.doc_days", 3.75, 3.9}, {"reported.documents", 100, 196}, {"reported.task_completion", 91, 92},
		{"reported.books", 800, 950}, {"reported.disclosed", 120, 236}, {"reported.party_staff", 2, 2},
		{"reported.online_rate", 52, 55},
	}
}

// demoPeriods are the periods of the demo's summaries on a day: the last
// first half-year that has ended, and this year so far (全年, written as the
// year draws to its end, compared with the same days a year earlier).
func demoPeriods(today date.Date) (half, year indicator.Period) {
	y := today.Year()
	half = indicator.HalfYear(y, 1)
	if today.Before(half.To) {
		half = indicator.HalfYear(y-1, 1)
	}
	return half, indicator.Period{From: date.Of(y, time.January, 1), To: today, Label: fmt.Sprintf("%d年", y)}
}

// writeSummaries enters the reported figures and generates the two summaries.
func writeSummaries(ctx context.Context, st *store.Store, tr *tree, today date.Date, cat *indicator.Catalogue) error {
	// The built-in event kinds, which the server seeds at start, are what
	// the events' indicators count by.
	if err := st.SeedEvents(ctx); err != nil {
		return err
	}
	half, year := demoPeriods(today)
	evidence := map[bool]string{true: "财务处、办公室、考核办报表（演示数据）", false: "上年度财务处、办公室、考核办报表（演示数据）"}
	for _, this := range []bool{true, false} {
		h, whole := half, year
		if !this {
			h, whole = half.YearEarlier(), year.YearEarlier()
		}
		for _, r := range reportedFigures(this) {
			entries := []sums.Reported{{OrgID: tr.root.ID, Code: r.code, From: h.From, To: h.To, Value: r.half, Evidence: evidence[this]}}
			if whole.From != h.From || whole.To != h.To {
				entries = append(entries, sums.Reported{OrgID: tr.root.ID, Code: r.code, From: whole.From, To: whole.To, Value: r.wholeish, Evidence: evidence[this]})
			}
			for _, e := range entries {
				if err := st.SaveReported(ctx, audit.System, auth.Everything, &e); err != nil {
					return fmt.Errorf("demo: reported %s: %w", r.code, err)
				}
			}
		}
	}
	periods := []indicator.Period{half, year}
	// And the campaign's (党史学习教育), like the first seed, when the demo has one.
	camps, err := st.Campaigns(ctx, auth.Scope{OrgPath: tr.root.Path})
	if err != nil {
		return err
	}
	if len(camps) > 0 && !camps[0].StartsOn.After(today) {
		to := camps[0].EndsOn
		if to.After(today) {
			to = today
		}
		periods = append(periods, indicator.Period{From: camps[0].StartsOn, To: to, Label: camps[0].Name})
	}
	for _, p := range periods {
		if _, err := st.GenerateSummary(ctx, audit.System, auth.Everything, cat, store.SummaryRequest{OrgID: tr.root.ID, Period: p}); err != nil {
			return fmt.Errorf("demo: %s summary: %w", p.Label, err)
		}
	}
	return nil
}
