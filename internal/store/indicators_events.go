package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
)

// spanOf is a period as the days [From, To+1) event figures count over.
func spanOf(p indicator.Period) event.Span {
	return event.Span{Start: p.From, End: p.To.AddDate(0, 0, 1)}
}

// EventIndicators are the figures of organisational life and learning in
// the catalogue. Their definitions are event.Compute's (docs/events.md says
// what counts); each indicator reads the subtree's tallies for the period
// and picks its figure. Only the per-capita figure reads the roster too.
func (s *Store) EventIndicators() []indicator.Indicator {
	const module = "组织生活与学习"
	figures := func(ctx context.Context, sc auth.Scope, p indicator.Period) (event.Figures, error) {
		in, err := s.eventTallies(ctx, sc, 0, spanOf(p))
		return event.Compute(in), err
	}
	perCapita := func(ctx context.Context, sc auth.Scope, p indicator.Period) (event.Figures, error) {
		in, err := s.EventFigureInput(ctx, sc, 0, spanOf(p))
		return event.Compute(in), err
	}
	withFigures := func(read func(context.Context, auth.Scope, indicator.Period) (event.Figures, error), code, name, unit string,
		kind indicator.Kind, definition string, pick func(event.Figures) indicator.Value) indicator.Indicator {
		return indicator.Indicator{Code: code, Name: name, Unit: unit, Kind: kind, Module: module, Definition: definition,
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := read(ctx, sc, p)
				if err != nil {
					return indicator.Value{}, err
				}
				return pick(f), nil
			},
			Drill: func(_ auth.Scope, org int64, p indicator.Period) string { return eventsLink(org, p) }}
	}
	figure := func(code, name, unit string, kind indicator.Kind, definition string, pick func(event.Figures) indicator.Value) indicator.Indicator {
		return withFigures(figures, code, name, unit, kind, definition, pick)
	}
	count := func(n int) indicator.Value { return indicator.Of(float64(n)) }
	ratio := func(r event.Ratio) indicator.Value { return indicator.Ratio(float64(r.Num), float64(r.Den)) }
	list := []indicator.Indicator{
		figure("events.held", "开展组织生活和学习活动次数", "次", indicator.Count,
			"期内召开（已召开）的各类会议和活动次数；活动按开始日期计入期间，一次活动兼作几个类型时只计一次。",
			func(f event.Figures) indicator.Value { return count(f.Held) }),
		figure("learning.events", "学习活动次数", "次", indicator.Count,
			"期内已召开的、计入学习的活动次数（党课、主题党日、集中学习、专题研讨、读书班、辅导报告会、警示教育、现场教学、中心组学习等）。",
			func(f event.Figures) indicator.Value { return count(f.LearningEvents) }),
		figure("learning.person_times", "参学人次", "人次", indicator.PersonTimes,
			"学习活动中“出席”的签到人次（按人按天计，含临时参加者）；补课另计，不在其内。",
			func(f event.Figures) indicator.Value { return count(f.PersonTimes) }),
		figure("learning.made_up", "补课人次", "人次", indicator.PersonTimes,
			"学习活动中请假或缺席、事后补课的人次。",
			func(f event.Figures) indicator.Value { return count(f.MadeUp) }),
		figure("learning.coverage", "学习覆盖率", "%", indicator.Rate,
			"应参加过至少一次学习活动的人中，至少出席或补课一次的人所占比例（按人去重）。",
			func(f event.Figures) indicator.Value { return ratio(f.Coverage) }),
		figure("events.attendance", "出勤率", "%", indicator.Rate,
			"需考勤的已召开活动中，应到人次中实到的比例（临时参加者不计入分子分母）。",
			func(f event.Figures) indicator.Value { return ratio(f.Attendance) }),
		figure("learning.speaker_times", "授课人次", "人次", indicator.PersonTimes,
			"学习活动登记的授课人（本单位人员或邀请的校外人士）人次；一次两人授课计两人次。",
			func(f event.Figures) indicator.Value { return count(f.SpeakerTimes) }),
		figure("events.decisions", "集体决策事项数", "项", indicator.Count,
			"已召开会议记录的集体决策事项数。",
			func(f event.Figures) indicator.Value { return count(f.Decisions) }),
		figure("learning.hours", "学时合计", "学时", indicator.Amount,
			"学习活动每天计入的学时 ×（出席人次 + 补课人次）之和。",
			func(f event.Figures) indicator.Value { return indicator.Of(float64(f.Hours) / 10) }),
		withFigures(perCapita, "learning.hours_per_capita", "人均学时", "学时", indicator.PerCapita,
			"学时合计 ÷ 期末在册人数（党员和干部职工，期末前未转出）。",
			func(f event.Figures) indicator.Value {
				return indicator.PerHead(float64(f.Hours)/10, float64(f.Roster))
			}),
	}
	for _, k := range event.DefaultKinds {
		code := k.Code
		list = append(list, indicator.Indicator{Code: "events.held." + code, Name: k.Name + "次数", Unit: "次", Kind: indicator.Count,
			Module: module, Definition: "期内已召开的、类型为（或兼作）“" + k.Name + "”的活动次数。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				f, err := figures(ctx, sc, p)
				if err != nil {
					return indicator.Value{}, err
				}
				var id int64
				if err := s.queryRow(ctx, "SELECT id FROM event_kinds WHERE code = ?", code).Scan(&id); err != nil {
					return indicator.Value{}, mapErr(err)
				}
				return count(f.HeldByKind[id]), nil
			},
			Drill: func(_ auth.Scope, org int64, p indicator.Period) string { return eventsLink(org, p) }})
	}
	return list
}

// eventsLink is the list of events behind an event figure.
func eventsLink(org int64, p indicator.Period) string {
	q := rosterLinkValues(org)
	q.Set("from", p.From.String())
	q.Set("to", p.To.String())
	return "/events/figures?" + q.Encode()
}
