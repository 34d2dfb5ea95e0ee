package summary

import (
	"fmt"
	"sort"
	"strings"

	"dangjian/internal/event"
	"dangjian/internal/indicator"
)

// 存在的问题 from the data: rules that each look at one thing the records
// show and write a sentence naming the organisation and what is missing.
// Every rule can be switched off and its threshold changed (the store keeps
// the settings); docs/summary.md lists them. A module adds a rule by adding
// a RuleDef here and a finder in the store (store/summary_weakspots.go):
// the ledger's overdue items are the next one.

// WeakSpot is one weak spot found in the data.
type WeakSpot struct {
	Rule    string `json:"rule"`
	OrgID   int64  `json:"org_id,omitempty"`
	OrgName string `json:"org_name,omitempty"`
	Text    string `json:"text"`
}

// RuleDef is one weak-spot rule.
type RuleDef struct {
	Code         string
	Name         string
	Doc          string  // what it finds, for users
	Threshold    float64 // the default; 0 and Unit "" when it takes none
	Unit         string
	HasThreshold bool
}

// Rule codes.
const (
	RuleMeetings = "meetings_missed"
	RuleCoverage = "learning_coverage"
	RuleFell     = "figure_fell"
	RuleOnline   = "online_low"
	RuleLedger   = "ledger_overdue"
)

// RuleDefs are the rules, in the order their findings are written.
var RuleDefs = []RuleDef{
	{RuleMeetings, "规定会议未召开", "按组织生活规定（合规日历），统计期内已经结束的每个月、季度、年度中，应召开而未召开或召开次数不足的会议，逐个组织列出（如“第三党支部二季度未召开支部党员大会”）。", 0, "", false},
	{RuleCoverage, "学习覆盖率偏低", "统计范围内各党支部的学习覆盖率（learning.coverage）低于阈值时列出该支部。", 90, "%", true},
	{RuleFell, "指标同比下降", "总结引用的指标较上年同期下降：计数、人次、金额、人均类下降幅度达到阈值（%），比率、占比类降低达到阈值（百分点）时列出；费用、时限等越低越好的填报指标不列。", 10, "%或百分点", true},
	{RuleOnline, "线上参与度偏低", "填报的党员线上活动参与率（reported.online_rate）低于阈值时列出。", 60, "%", true},
	{RuleLedger, "整改事项逾期", "统计期末逾期未完成的整改事项（ledger.overdue 的口径）达到阈值（项）的责任组织逐个列出（如“第一党支部有3项整改事项逾期未完成”）。", 1, "项", true},
}

// RuleDefOf finds a rule by code.
func RuleDefOf(code string) (RuleDef, bool) {
	for _, d := range RuleDefs {
		if d.Code == code {
			return d, true
		}
	}
	return RuleDef{}, false
}

// RuleSetting is a rule as an installation configured it.
type RuleSetting struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Doc       string  `json:"doc"`
	Unit      string  `json:"unit"`
	Enabled   bool    `json:"enabled"`
	Threshold float64 `json:"threshold"`
	Version   int64   `json:"version"`
}

// Settings index rule settings by code.
type Settings map[string]RuleSetting

// On reports whether a rule is switched on (a rule never configured is on).
func (s Settings) On(code string) bool {
	r, ok := s[code]
	return !ok || r.Enabled
}

// Threshold is a rule's threshold, its default when never configured.
func (s Settings) Threshold(code string) float64 {
	if r, ok := s[code]; ok {
		return r.Threshold
	}
	d, _ := RuleDefOf(code)
	return d.Threshold
}

var quarterNames = []string{"一", "二", "三", "四"}

// MissedMeetings writes the checks of the compliance calendar whose period
// ended without the required meetings: one sentence per organisation and
// rule, the months or quarters joined ("第三党支部4月、5月未召开支委会").
func MissedMeetings(checks []event.Check) []WeakSpot {
	type key struct {
		org  int64
		rule int64
	}
	var order []key
	groups := map[key][]event.Check{}
	years := map[int]bool{}
	for _, c := range checks {
		if c.State != event.Missed {
			continue
		}
		k := key{c.OrgID, c.Rule.ID}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
		years[c.Span.Start.Year()] = true
	}
	var out []WeakSpot
	for _, k := range order {
		cs := groups[k]
		sort.Slice(cs, func(i, j int) bool { return cs[i].Span.Start.Before(cs[j].Span.Start) })
		var none, short []string
		for _, c := range cs {
			name := spanName(c, len(years) > 1)
			if c.Held == 0 {
				none = append(none, name)
			} else {
				short = append(short, fmt.Sprintf("%s仅召开%d次（应%d次）", name, c.Held, c.Required))
			}
		}
		r := cs[0].Rule
		kind := r.KindName
		if r.BySecretary {
			kind = "书记讲" + kind
		}
		var parts []string
		if len(none) > 0 {
			parts = append(parts, strings.Join(none, "、")+"未召开"+kind)
		}
		if len(short) > 0 {
			parts = append(parts, kind+strings.Join(short, "，"))
		}
		out = append(out, WeakSpot{Rule: RuleMeetings, OrgID: k.org, OrgName: cs[0].OrgName,
			Text: cs[0].OrgName + strings.Join(parts, "，")})
	}
	return out
}

func spanName(c event.Check, withYear bool) string {
	y := ""
	if withYear {
		y = fmt.Sprintf("%d年", c.Span.Start.Year())
	}
	switch c.Rule.Period {
	case event.Monthly:
		return fmt.Sprintf("%s%d月", y, int(c.Span.Start.Month()))
	case event.Quarterly:
		return y + quarterNames[event.Quarter(c.Span.Start)-1] + "季度"
	}
	if withYear {
		return y
	}
	return "全年"
}

// OrgFigure is one organisation's value of a figure.
type OrgFigure struct {
	OrgID   int64
	OrgName string
	Figure  indicator.Figure
}

// LowCoverage names the branches whose learning coverage is below the
// threshold (percent).
func LowCoverage(orgs []OrgFigure, threshold float64) []WeakSpot {
	var out []WeakSpot
	for _, o := range orgs {
		v := o.Figure.Now
		if !v.Known || v.Value >= threshold {
			continue
		}
		out = append(out, WeakSpot{Rule: RuleCoverage, OrgID: o.OrgID, OrgName: o.OrgName,
			Text: fmt.Sprintf("%s学习覆盖率为%s，低于%s%%的要求", o.OrgName, o.Figure.Format(v), trimFloat(threshold))})
	}
	return out
}

// Fell names the figures that fell against a year earlier by threshold or
// more (percent for counts and amounts, 百分点 for rates and shares).
func Fell(figs []Figure, threshold float64) []WeakSpot {
	var out []WeakSpot
	for _, f := range figs {
		if d, ok := ReportedDefOf(f.Code); ok && d.LowerIsBetter {
			continue
		}
		if !f.Now.Known || !f.Before.Known || f.Now.Value >= f.Before.Value || f.Change == "" {
			continue
		}
		var drop float64
		switch f.Kind {
		case indicator.Rate, indicator.Share, indicator.Average:
			drop = f.Before.Value - f.Now.Value
		default:
			if f.Before.Value == 0 {
				continue
			}
			drop = (f.Before.Value - f.Now.Value) / f.Before.Value * 100
		}
		if drop+1e-9 < threshold {
			continue
		}
		out = append(out, WeakSpot{Rule: RuleFell, Text: f.Name + "为" + f.Text + "，" + f.Change})
	}
	return out
}

// OnlineLow names a low online participation rate.
func OnlineLow(f Figure, threshold float64) []WeakSpot {
	if !f.Now.Known || f.Now.Value >= threshold {
		return nil
	}
	return []WeakSpot{{Rule: RuleOnline, Text: fmt.Sprintf("党员参与线上活动的积极性有待提升，线上活动参与率为%s，低于%s%%", f.Text, trimFloat(threshold))}}
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".")
}
