package store

import (
	"context"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/indicator"
	"dangjian/internal/people"
)

// People and organisation figures. "On the roster at a day" means: in the
// scope's subtree now (a person moved between branches counts where they
// are), arrived by that day (a transfer in after it does not count), and not
// transferred out by then. Party standing follows the records' dates, not
// today's status: a member who became full in May was probationary in March.
// Every figure reads the scope's headcounts (people.Headcounts, kept per
// organisation in roster_counts), once per request under WithFigureCache.

// headcountAt is measure m of the scope's headcounts at the period's end.
func (s *Store) headcountAt(ctx context.Context, sc auth.Scope, m people.Measure, p indicator.Period) (float64, error) {
	h, err := s.headcounts(ctx, sc)
	return float64(h.At(m, p.To)), err
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
				n, err := s.headcountAt(ctx, sc, people.MembersOnRoster, p)
				return indicator.Of(n), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string { return rosterLink(org, members) }},
		{Code: "people.probationary", Name: "预备党员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在册的预备党员人数：入党时间不晚于期末、尚未转正或转正时间晚于期末。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.headcountAt(ctx, sc, people.StillProbationary, p)
				return indicator.Of(n), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string {
				return rosterLink(org, url.Values{"status": {"probationary"}})
			}},
		{Code: "people.under35_share", Name: "35岁以下党员占比", Unit: "%", Kind: indicator.Share, Module: module,
			Definition: "期末在册党员中，期末当日未满35周岁者所占比例（保留一位小数）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				h, err := s.headcounts(ctx, sc)
				return indicator.Ratio(float64(h.At(people.YoungMembers, p.To)), float64(h.At(people.MembersOnRoster, p.To))), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string {
				return rosterLink(org, url.Values{"status": {"full", "probationary"}, "age": {"lt35"}})
			}},
		{Code: "people.honoured", Name: "光荣在党50年党员人数", Unit: "名", Kind: indicator.Count, Module: module,
			Definition: "期末在册的正式党员中，党龄（按党章第七条自转正之日起计算）满50年者人数。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				n, err := s.headcountAt(ctx, sc, people.HonouredMembers, p)
				return indicator.Of(n), err
			},
			Drill: func(_ auth.Scope, org int64, _ indicator.Period) string { return rosterLink(org, members) }},
		s.pipelineStep("people.new_activists", "确定入党积极分子人数", people.BecameActivist, "确定为入党积极分子的日期在期内的人数。"),
		s.pipelineStep("people.new_candidates", "确定发展对象人数", people.BecameCandidate, "确定为发展对象的日期在期内的人数。"),
		s.pipelineStep("people.new_probationary", "吸收预备党员人数", people.Admitted, "支部党员大会接收为预备党员之日（入党时间）在期内的人数。"),
		s.pipelineStep("people.new_full", "预备党员转正人数", people.BecameFull, "转为正式党员之日在期内的人数。"),
	}
}

// pipelineStep counts the people of the scope who took one step of the
// development pipeline within the period.
func (s *Store) pipelineStep(code, name string, step people.Measure, definition string) indicator.Indicator {
	return indicator.Indicator{Code: code, Name: name, Unit: "名", Kind: indicator.Count, Module: "党员与组织", Definition: definition,
		Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
			h, err := s.headcounts(ctx, sc)
			return indicator.Of(float64(h.Between(step, p.From, p.To))), err
		}}
}
