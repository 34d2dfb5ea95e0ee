package store

import (
	"context"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
)

// People and organisation figures. "On the roster at a day" means: in the
// scope's subtree now (a person moved between branches counts where they
// are), arrived by that day (a transfer in after it does not count), and not
// transferred out by then. Party standing follows the records' dates, not
// today's status: a member who became full in May was probationary in March.

// onRoster is the condition "person p was on the roster at day ?". The
// few transferred in later are listed once, not looked for person by person.
const onRoster = `(p.left_on IS NULL OR p.left_on > ?) AND p.id NOT IN (SELECT t.person_id FROM person_transfers t
	WHERE t.direction = 'in' AND t.on_date > ?)`

// isMember is the condition "person p was a party member (预备 or 正式) at day ?".
const isMember = `p.status IN ('full', 'probationary') AND p.joined_on IS NOT NULL AND p.joined_on <= ?`

// rosterFigures are the people figures of a scope and period: counted
// together in one pass over the scope's people (the index people_figures
// holds every column read), once per request under WithFigureCache.
type rosterFigures struct {
	members      float64            // party members on the roster at the period's end
	probationary float64            // of them, not yet full members that day
	young        float64            // of them, under 35 that day
	honoured     float64            // of them, full members for 50 years or more
	steps        map[string]float64 // pipeline column → people who took that step in the period
}

// pipelineColumns are the dated steps of the development pipeline.
var pipelineColumns = []string{"activist_on", "candidate_on", "joined_on", "full_on"}

func (s *Store) rosterFigures(ctx context.Context, sc auth.Scope, p indicator.Period) (rosterFigures, error) {
	return cached(ctx, figureKey{what: "roster", sc: sc, span: event.Span{Start: p.From, End: p.To}}, func() (rosterFigures, error) {
		scope, sargs := scopeCond(sc)
		q := `SELECT COUNT(*) FILTER (WHERE x.m), COUNT(*) FILTER (WHERE x.m AND (x.full_on IS NULL OR x.full_on > ?)),
			COUNT(*) FILTER (WHERE x.m AND x.birth_date > ?), COUNT(*) FILTER (WHERE x.m AND x.full_on IS NOT NULL AND x.full_on <= ?)`
		args := []any{p.To, p.To.AddDate(-35, 0, 0), p.To.AddDate(-50, 0, 0)}
		for _, col := range pipelineColumns {
			q += `, COUNT(*) FILTER (WHERE x.` + col + ` >= ? AND x.` + col + ` <= ?)`
			args = append(args, p.From, p.To)
		}
		q += ` FROM (SELECT p.full_on, p.birth_date, p.activist_on, p.candidate_on, p.joined_on, ` + isMember + ` AND ` + onRoster +
			` AS m FROM people p WHERE ` + scope + `) x`
		args = append(args, p.To, p.To, p.To)
		args = append(args, sargs...)
		f := rosterFigures{steps: map[string]float64{}}
		counts := []any{&f.members, &f.probationary, &f.young, &f.honoured}
		steps := make([]float64, len(pipelineColumns))
		for i := range steps {
			counts = append(counts, &steps[i])
		}
		if err := s.queryRow(ctx, q, args...).Scan(counts...); err != nil {
			return f, mapErr(err)
		}
		for i, col := range pipelineColumns {
			f.steps[col] = steps[i]
		}
		return f, nil
	})
}

// rosterLink is the roster filtered as a people figure counts, for its drill-down.
func rosterLink(orgID int64, q url.Values) string {
	for k, v := range rosterLinkValues(orgID) {
		q[k] = v
	}
	return "/people?" + q.Encode()
}

// rosterLinkValues narrows a drill-down list to an organisation's subtree.
func rosterLinkValues(orgID int64) url.Values {
	q := url.Values{}
	if orgID != 0 {
		q.Set("org", strconv.FormatInt(orgID, 10))
	}
	return q
}

// PeopleIndicators are the figures of the roster, the development pipeline
// and the organisation tree.
func (s *Store) PeopleIndicators() []indicator.Indicator {
	const module = "党员与组织"
	members := url.Values{"status": {"full", "probationary"}}
	return []indicator.Indicator{
		{Code: "people.members", Name: "党员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在册的党员（正式党员和预备党员）人数：入党时间不晚于期末、期末前未转出、期末前已转入本范围。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := s.rosterFigures(ctx, sc, p)
				return indicator.Of(f.members), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string { return rosterLink(org, members) }},
		{Code: "people.probationary", Name: "预备党员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在册的预备党员人数：入党时间不晚于期末、尚未转正或转正时间晚于期末。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := s.rosterFigures(ctx, sc, p)
				return indicator.Of(f.probationary), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string {
				return rosterLink(org, url.Values{"status": {"probationary"}})
			}},
		{Code: "people.under35_share", Name: "35岁以下党员占比", Unit: "%", Kind: indicator.Share, Module: module,
			Definition: "期末在册党员中，期末当日未满35周岁者所占比例（保留一位小数）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := s.rosterFigures(ctx, sc, p)
				return indicator.Ratio(f.young, f.members), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string {
				return rosterLink(org, url.Values{"status": {"full", "probationary"}, "age": {"lt35"}})
			}},
		{Code: "people.honoured", Name: "光荣在党50年党员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在册的正式党员中，党龄（按党章第七条自转正之日起计算）满50年者人数。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := s.rosterFigures(ctx, sc, p)
				return indicator.Of(f.honoured), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string { return rosterLink(org, members) }},
		s.pipelineStep("people.new_activists", "确定入党积极分子人数", "activist_on", "确定为入党积极分子的日期在期内的人数。"),
		s.pipelineStep("people.new_candidates", "确定发展对象人数", "candidate_on", "确定为发展对象的日期在期内的人数。"),
		s.pipelineStep("people.new_probationary", "吸收预备党员人数", "joined_on", "支部党员大会接收为预备党员之日（入党时间）在期内的人数。"),
		s.pipelineStep("people.new_full", "预备党员转正人数", "full_on", "转为正式党员之日在期内的人数。"),
	}
}

// pipelineStep counts the people of the scope who took one step of the
// development pipeline (the dated column) within the period.
func (s *Store) pipelineStep(code, name, column, definition string) indicator.Indicator {
	return indicator.Indicator{Code: code, Name: name, Unit: "名", Kind: indicator.Count, Module: "党员与组织", Definition: definition,
		Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
			f, err := s.rosterFigures(ctx, sc, p)
			return indicator.Of(f.steps[column]), err
		}}
}
