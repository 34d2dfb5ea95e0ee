package summary

import (
	"strconv"
	"strings"

	"dangjian/internal/indicator"
)

// Figure is an indicator's figure as a summary keeps it: the values, and
// the words they were written in, so a saved summary reads the same next
// year after the records have changed.
type Figure struct {
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	Unit       string          `json:"unit"`
	Kind       indicator.Kind  `json:"kind"`
	Now        indicator.Value `json:"now"`
	Before     indicator.Value `json:"before"`
	Text       string          `json:"text"` // "16次"
	BeforeText string          `json:"before_text"`
	Change     string          `json:"change"`   // "较上年同期提升15%", "" when not comparable
	Reported   bool            `json:"reported"` // entered by hand (填报), not computed from records
}

// FromIndicator keeps a computed figure.
func FromIndicator(f indicator.Figure) Figure {
	return Figure{Code: f.Code, Name: f.Name, Unit: f.Unit, Kind: f.Kind, Now: f.Now, Before: f.YearBefore,
		Text: f.Text, BeforeText: f.Format(f.YearBefore), Change: f.ChangeText, Reported: IsReported(f.Code)}
}

// Missing reports whether there is nothing worth a sentence: zero or unknown.
func (f Figure) Missing() bool { return !f.Now.Known || f.Now.Value == 0 }

// Vars are the names a template may use besides indicators.
type Vars struct {
	Org    string
	Period string
}

// NoProblems is what 存在的问题 says when no rule found a weak spot.
const NoProblems = "经对本期数据逐项分析，未发现组织生活、学习覆盖等方面的明显短板。"

// Render writes the summary's text from a template: each figure as
// {{16次|code}} (the page links it to its records, Word writes "16次"), its
// change in words, sentences whose optional figure is zero or missing left
// out, the weak spots as "一是……" paragraphs.
func Render(t *Template, v Vars, figs map[string]Figure, problems []WeakSpot) string {
	var out []string
	fig := func(code string) Figure {
		if f, ok := figs[code]; ok {
			return f
		}
		return Figure{Code: code, Text: "—"}
	}
	for _, b := range t.Blocks {
		switch b.Kind {
		case Title, Heading1, Heading2:
			prefix := map[BlockKind]string{Title: "# ", Heading1: "## ", Heading2: "### "}[b.Kind]
			out = append(out, prefix+paragraph(b.Pieces, v, fig))
		case Para:
			if p := paragraph(b.Pieces, v, fig); p != "" {
				out = append(out, p)
			}
		case Problems:
			if len(problems) == 0 {
				out = append(out, NoProblems)
			}
			for i, p := range problems {
				out = append(out, Ordinal(i+1)+"是"+strings.TrimSuffix(p.Text, "。")+"。")
			}
		case Table:
			out = append(out, "| 指标 | 本期 | 上年同期 | 同比 |")
			for _, c := range b.Codes {
				f := fig(c)
				change := f.Change
				if change == "" {
					change = "—"
				}
				before := f.BeforeText
				if before == "" {
					before = "—"
				}
				out = append(out, "| "+cell(f.Name)+" | "+marker(f)+" | "+cell(before)+" | "+cell(change)+" |")
			}
		}
	}
	return strings.Join(dropEmptySections(out), "\n")
}

// dropEmptySections leaves out a second-level heading whose sentences were
// all left out: it is followed by another heading or by nothing.
func dropEmptySections(lines []string) []string {
	heading := func(l string) bool { return strings.HasPrefix(l, "#") }
	var out []string
	for i, l := range lines {
		if strings.HasPrefix(l, "### ") && (i+1 == len(lines) || heading(lines[i+1])) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "｜") }

// marker is a figure in the saved text.
func marker(f Figure) string {
	return "{{" + strings.ReplaceAll(f.Text, "|", "｜") + "|" + f.Code + "}}"
}

// sentenceEnd ends a sentence: a sentence whose optional figure is missing
// is left out up to and including it.
func sentenceEnd(r rune) bool { return r == '。' || r == '；' || r == '！' || r == '？' }

func paragraph(ps []Piece, v Vars, fig func(string) Figure) string {
	var done, cur strings.Builder
	drop := false
	flush := func() {
		if !drop {
			done.WriteString(cur.String())
		}
		cur.Reset()
		drop = false
	}
	for _, p := range ps {
		switch {
		case p.Var == VarOrg:
			cur.WriteString(v.Org)
		case p.Var == VarPeriod:
			cur.WriteString(v.Period)
		case p.Ref != nil:
			f := fig(p.Ref.Code)
			if p.Ref.Optional && f.Missing() {
				drop = true
			}
			if p.Ref.Change {
				if f.Change == "" {
					s := strings.TrimRight(cur.String(), "，、,")
					cur.Reset()
					cur.WriteString(s)
				}
				cur.WriteString(f.Change)
			} else {
				cur.WriteString(marker(f))
			}
		default:
			for _, r := range p.Text {
				cur.WriteRune(r)
				if sentenceEnd(r) {
					flush()
				}
			}
		}
	}
	flush()
	s := strings.TrimRight(strings.TrimSpace(done.String()), "，、,")
	// A paragraph whose last sentence was left out ends on the ；that
	// separated them: it ends with a full stop instead.
	if t, ok := strings.CutSuffix(s, "；"); ok {
		s = t + "。"
	}
	return s
}

// Ordinal is 一, 二, … 九十九 — the numbering of 一是、二是.
func Ordinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0:
		return "零"
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return strconv.Itoa(n)
}
