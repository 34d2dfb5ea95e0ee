package store

import (
	"context"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/learning"
)

// LearningIndicators are the figures of study notes, reflections and 学时
// in the catalogue: per capita over the people on the scope's roster at the
// end of the period (as every per-capita figure), and the share of members
// who reached their 学时.
func (s *Store) LearningIndicators() []indicator.Indicator {
	const module = "组织生活与学习"
	input := func(ctx context.Context, sc auth.Scope, p indicator.Period) (event.FigureInput, error) {
		return s.EventFigureInput(ctx, sc, 0, spanOf(p))
	}
	return []indicator.Indicator{
		{Code: "learning.note_chars", Name: "学习笔记字数", Unit: "字", Kind: indicator.Amount, Module: module,
			Definition: "期内撰写（按撰写日期）的学习笔记字数之和，笔记计入撰写人撰写时所在的组织；字数为正文中除空格、换行以外的字符数（汉字、字母、数字、标点各计一字）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				in, err := input(ctx, sc, p)
				return indicator.Of(float64(in.NoteChars)), err
			},
			Drill: notesLink(learning.StudyNote)},
		{Code: "learning.notes_per_capita", Name: "人均笔记字数", Unit: "字", Kind: indicator.PerCapita, Module: module,
			Definition: "学习笔记字数 ÷ 期末在册人数（党员和干部职工，期末前未转出）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				in, err := input(ctx, sc, p)
				return indicator.PerHead(float64(in.NoteChars), float64(in.Roster)), err
			},
			Drill: notesLink(learning.StudyNote)},
		{Code: "learning.reflections", Name: "心得体会篇数", Unit: "篇", Kind: indicator.Count, Module: module,
			Definition: "期内撰写（按撰写日期）的心得体会篇数，计入撰写人撰写时所在的组织。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				in, err := input(ctx, sc, p)
				return indicator.Of(float64(in.Reflections)), err
			},
			Drill: notesLink(learning.Reflection)},
		{Code: "learning.reflections_per_capita", Name: "心得体会人均篇数", Unit: "篇", Kind: indicator.PerCapita, Module: module,
			Definition: "心得体会篇数 ÷ 期末在册人数（党员和干部职工，期末前未转出）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				in, err := input(ctx, sc, p)
				return indicator.PerHead(float64(in.Reflections), float64(in.Roster)), err
			},
			Drill: notesLink(learning.Reflection)},
		{Code: "learning.hours_met", Name: "学时达标率", Unit: "%", Kind: indicator.Rate, Module: module,
			Definition: "期末在册党员中，期内学时达到要求的人所占比例。学时为期内出席或补课的学习活动每天计入的学时之和；" +
				"要求为全年学时要求（默认党员32学时，党支部书记和委员等期内在任的班子成员56学时，可配置）按期内天数折算（一年及以上按全年，不足0.1学时的部分进为0.1学时）。",
			Compute: func(ctx context.Context, sc auth.Scope, p indicator.Period) (indicator.Value, error) {
				span := spanOf(p)
				list, _, err := s.learningHours(ctx, sc, 0, span, hoursRead{})
				if err != nil {
					return indicator.Value{}, err
				}
				r := learning.MetShare(list)
				return indicator.Ratio(float64(r.Num), float64(r.Den)), nil
			},
			Drill: func(_ auth.Scope, org int64, p indicator.Period) string {
				return "/learning/hours?" + learningLinkValues(org, p).Encode()
			}},
	}
}

func learningLinkValues(org int64, p indicator.Period) url.Values {
	q := url.Values{}
	if org != 0 {
		q.Set("org", strconv.FormatInt(org, 10))
	}
	q.Set("from", p.From.String())
	q.Set("to", p.To.String())
	return q
}

// notesLink is the list of notes behind a notes figure.
func notesLink(kind learning.NoteKind) func(auth.Scope, int64, indicator.Period) string {
	return func(_ auth.Scope, org int64, p indicator.Period) string {
		q := learningLinkValues(org, p)
		q.Set("kind", string(kind))
		return "/learning/notes/all?" + q.Encode()
	}
}
