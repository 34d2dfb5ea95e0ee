// Package indicator is the catalogue of figures the platform reports: each a
// named, documented computation over the records for an organisation subtree
// and a period, with the same figure a year earlier and the change written
// the way a work summary writes it (较上年同期提升15%, 提高5个百分点). Modules
// register their indicators (the store computes them); the summary, the
// dashboard and the exports only ever ask the catalogue.
package indicator

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"dangjian/internal/auth"
)

// Kind says what sort of figure an indicator is, which decides how its
// change on last year is written.
type Kind string

const (
	Count       Kind = "count"        // things that happened or exist: 次, 人, 项 — change in percent
	PersonTimes Kind = "person_times" // 人次 — change in percent
	Amount      Kind = "amount"       // sums of outcome measures: 元, 件, 字 — change in percent
	PerCapita   Kind = "per_capita"   // an amount per person on the roster — change in percent
	Rate        Kind = "rate"         // a ratio in percent (覆盖率, 办结率) — change in 百分点
	Share       Kind = "share"        // a part of a population in percent (35岁以下占比) — change in 百分点
	Average     Kind = "average"      // an average score or duration (分, 个工作日) — change in its own unit
)

// Value is a figure's outcome. Rates and shares keep their numerator and
// denominator, so a drill-down can show both and a change is exact.
type Value struct {
	Value    float64
	Num, Den float64
	// Known is false when there is nothing to compute over (a rate of nobody).
	Known bool
}

// Of is a known value.
func Of(v float64) Value { return Value{Value: v, Known: true} }

// Ratio is num/den in percent, unknown when den is 0.
func Ratio(num, den float64) Value {
	if den == 0 {
		return Value{Num: num, Den: den}
	}
	return Value{Value: num / den * 100, Num: num, Den: den, Known: true}
}

// PerHead is amount/people, unknown when there are no people.
func PerHead(amount, people float64) Value {
	if people == 0 {
		return Value{Num: amount, Den: people}
	}
	return Value{Value: amount / people, Num: amount, Den: people, Known: true}
}

// Indicator is one figure of the catalogue.
type Indicator struct {
	Code       string // module.name, stable: templates and links use it ("people.members")
	Name       string // the Chinese name; templates may use it instead of the code
	Unit       string // 人, 次, 人次, %, 字, 元, 分, 个工作日 …
	Kind       Kind
	Module     string // the module that owns the records, in Chinese
	Definition string // exactly what is counted, in Chinese, for users and auditors
	Compute    func(ctx context.Context, sc auth.Scope, p Period) (Value, error)
	// Drill is the address of the records the figure was computed from,
	// filtered as the computation filtered them; nil when there is no list.
	Drill func(sc auth.Scope, orgID int64, p Period) string
}

// Format writes a value the way a summary does: whole numbers for counts,
// rates to 0.1 % without a trailing .0, large amounts of 字 and 元 in 万.
func (in Indicator) Format(v Value) string {
	if !v.Known {
		return "—"
	}
	switch in.Kind {
	case Rate, Share:
		return decimal(v.Value) + "%"
	}
	if (in.Unit == "字" || in.Unit == "元") && math.Abs(v.Value) >= 10000 {
		return decimal(v.Value/10000) + "万" + in.Unit
	}
	if in.Kind == PerCapita || in.Kind == Average {
		return decimal(v.Value) + in.Unit
	}
	return strconv.FormatFloat(math.Round(v.Value), 'f', 0, 64) + in.Unit
}

// decimal rounds to one decimal place and drops a trailing ".0".
func decimal(f float64) string {
	s := strconv.FormatFloat(math.Round(f*10)/10, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// Change writes how now compares with the same period a year earlier, as
// the seeds do: percent for counts and amounts, 百分点 for rates and shares,
// the unit itself for averages; "" when there is nothing to compare with.
func (in Indicator) Change(now, before Value) string {
	if !now.Known || !before.Known {
		return ""
	}
	var diff float64
	var unit string
	switch in.Kind {
	case Rate, Share:
		diff, unit = math.Round((now.Value-before.Value)*10)/10, "个百分点"
	case Average:
		diff, unit = math.Round((now.Value-before.Value)*10)/10, in.Unit
	default:
		if before.Value == 0 {
			if now.Value == 0 {
				return "与上年同期持平"
			}
			return "上年同期为0"
		}
		diff, unit = math.Round((now.Value-before.Value)/before.Value*100), "%"
	}
	switch {
	case diff > 0:
		return "较上年同期" + rise(in.Kind) + decimal(diff) + unit
	case diff < 0:
		return "较上年同期" + fall(in.Kind) + decimal(-diff) + unit
	}
	return "与上年同期持平"
}

func rise(k Kind) string {
	if k == Rate || k == Share {
		return "提高"
	}
	return "提升"
}

func fall(k Kind) string {
	if k == Rate || k == Share {
		return "降低"
	}
	return "下降"
}

// Figure is an indicator computed for a scope and period, with last year's.
type Figure struct {
	Indicator
	Period     Period
	Now        Value
	YearBefore Value
	Text       string // Now, formatted
	ChangeText string // against YearBefore, "" when not comparable
}

// Catalogue is every indicator of the mounted modules, by code and by name.
type Catalogue struct {
	list   []Indicator
	byCode map[string]int
	byName map[string]int
}

// NewCatalogue collects the modules' indicators; two with the same code or
// name, or one without a computation, are refused.
func NewCatalogue(sets ...[]Indicator) (*Catalogue, error) {
	c := &Catalogue{byCode: map[string]int{}, byName: map[string]int{}}
	for _, set := range sets {
		for _, in := range set {
			switch {
			case in.Code == "" || in.Name == "" || in.Compute == nil || in.Definition == "":
				return nil, fmt.Errorf("indicator %q: code, name, definition and computation are required", in.Code)
			case c.has(in.Code) || c.has(in.Name):
				return nil, fmt.Errorf("indicator %q (%s) is declared twice", in.Code, in.Name)
			}
			c.byCode[in.Code], c.byName[in.Name] = len(c.list), len(c.list)
			c.list = append(c.list, in)
		}
	}
	return c, nil
}

func (c *Catalogue) has(key string) bool {
	_, a := c.byCode[key]
	_, b := c.byName[key]
	return a || b
}

// All lists the indicators in the order the modules registered them.
func (c *Catalogue) All() []Indicator { return c.list }

// Lookup finds an indicator by its code or its Chinese name.
func (c *Catalogue) Lookup(key string) (Indicator, bool) {
	if i, ok := c.byCode[key]; ok {
		return c.list[i], true
	}
	if i, ok := c.byName[key]; ok {
		return c.list[i], true
	}
	return Indicator{}, false
}

// ErrUnknown names an indicator the catalogue does not have.
type ErrUnknown struct{ Key string }

func (e *ErrUnknown) Error() string { return "unknown indicator " + strconv.Quote(e.Key) }

// Figure computes an indicator for the scope and period, and for the same
// period a year earlier.
func (c *Catalogue) Figure(ctx context.Context, key string, sc auth.Scope, p Period) (Figure, error) {
	in, ok := c.Lookup(key)
	if !ok {
		return Figure{}, &ErrUnknown{key}
	}
	// The period and the year before read different records: at once, so
	// a figure over a province waits for the longer read, not both.
	var before Value
	var beforeErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		before, beforeErr = in.Compute(ctx, sc, p.YearEarlier())
	}()
	now, err := in.Compute(ctx, sc, p)
	<-done
	if err != nil {
		return Figure{}, fmt.Errorf("%s: %w", in.Code, err)
	}
	if beforeErr != nil {
		return Figure{}, fmt.Errorf("%s a year earlier: %w", in.Code, beforeErr)
	}
	return Figure{Indicator: in, Period: p, Now: now, YearBefore: before, Text: in.Format(now), ChangeText: in.Change(now, before)}, nil
}
