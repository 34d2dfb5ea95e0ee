// Package summary is the work summary (工作总结) the platform writes: a
// template of headings and sentences that name indicators, filled in with
// the figures of a subtree and a period and their change on a year earlier,
// and a 存在的问题 section drafted from the weak spots the data shows. It is
// pure: the figures come from the indicator catalogue, the weak spots from
// the rules in weakspots.go over data the store reads.
//
// A template is lines of text:
//
//	# 标题                      the title (one, first)
//	## 一、以思想建设为根基      a first-level heading (黑体)
//	### （一）构建学习机制       a second-level heading (楷体)
//	{{存在的问题}}               the weak spots, one paragraph each
//	{{表格：代码或名称、……}}     a table of figures with last year's and the change
//	anything else               a paragraph
//
// In a paragraph, {{代码或名称}} is a figure ("16次"), {{代码或名称|同比}}
// its change on the same period a year earlier ("较上年同期提升15%"), and
// {{?代码或名称}} a figure whose sentence is left out when it is zero or
// missing. {{组织}} and {{期间}} are the scope's name and the period's.
package summary

import (
	"strings"
	"unicode/utf8"

	"dangjian/internal/errs"
)

// BlockKind is what a line of a template or a summary is.
type BlockKind string

const (
	Title    BlockKind = "title"
	Heading1 BlockKind = "h1"
	Heading2 BlockKind = "h2"
	Para     BlockKind = "p"
	Table    BlockKind = "table"
	Problems BlockKind = "problems"
)

// Ref is one reference to an indicator in a template.
type Ref struct {
	Key      string // as written: a code or a Chinese name
	Code     string // the indicator it names
	Change   bool   // its change on a year earlier, not its value
	Optional bool   // leave the sentence out when the figure is zero or missing
}

// Piece is literal text or a reference (Ref.Code != "") or a variable
// (Var: 组织, 期间).
type Piece struct {
	Text string
	Var  string
	Ref  *Ref
}

// Block is one line of a parsed template.
type Block struct {
	Kind   BlockKind
	Line   int
	Pieces []Piece // title, headings, paragraphs
	Codes  []string
}

// Template is a parsed template.
type Template struct {
	Blocks []Block
}

// Resolver turns a code or a Chinese name into an indicator's code.
type Resolver func(key string) (code string, ok bool)

// Variables a template may name besides indicators.
const (
	VarOrg    = "组织"
	VarPeriod = "期间"
)

const maxTemplate = 50000 // characters

// Parse reads a template; every indicator it names must resolve. The first
// problem is returned as a field error of "body" that names the line
// ("第3行：未知指标“参学人教”").
func Parse(src string, resolve Resolver) (*Template, error) {
	if utf8.RuneCountInString(src) > maxTemplate {
		return nil, errs.Field("body", errs.TooLong(maxTemplate))
	}
	if !utf8.ValidString(src) {
		return nil, errs.Field("body", "summary.not_text")
	}
	t := &Template{}
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		n := i + 1
		if line == "" {
			continue
		}
		fail := func(key string, args ...any) error {
			return errs.Field("body", errs.Keyed(key, append([]any{n}, args...)...))
		}
		kind, text := Para, line
		switch {
		case strings.HasPrefix(line, "###"):
			kind, text = Heading2, strings.TrimSpace(line[3:])
		case strings.HasPrefix(line, "##"):
			kind, text = Heading1, strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "#"):
			kind, text = Title, strings.TrimSpace(line[1:])
			if len(t.Blocks) > 0 {
				return nil, fail("summary.title_not_first")
			}
		}
		if text == "" {
			return nil, fail("summary.empty_line")
		}
		if kind == Para {
			if inner, ok := whole(text); ok {
				if inner == "存在的问题" {
					t.Blocks = append(t.Blocks, Block{Kind: Problems, Line: n})
					continue
				}
				if rest, ok := cutTable(inner); ok {
					b := Block{Kind: Table, Line: n}
					for _, key := range splitList(rest) {
						code, ok := resolve(key)
						if !ok {
							return nil, fail("summary.unknown_indicator", key)
						}
						b.Codes = append(b.Codes, code)
					}
					if len(b.Codes) == 0 {
						return nil, fail("summary.table_empty")
					}
					t.Blocks = append(t.Blocks, b)
					continue
				}
			}
		}
		pieces, err := pieces(text, resolve, fail)
		if err != nil {
			return nil, err
		}
		if kind != Para {
			for _, p := range pieces {
				if p.Ref != nil && p.Ref.Optional {
					return nil, fail("summary.optional_in_heading")
				}
			}
		}
		t.Blocks = append(t.Blocks, Block{Kind: kind, Line: n, Pieces: pieces})
	}
	if len(t.Blocks) == 0 {
		return nil, errs.Field("body", "summary.template_empty")
	}
	return t, nil
}

// whole reports whether the line is a single {{…}} and returns its inside.
func whole(line string) (string, bool) {
	if !strings.HasPrefix(line, "{{") || !strings.HasSuffix(line, "}}") || len(line) < 4 {
		return "", false
	}
	inner := line[2 : len(line)-2]
	if strings.Contains(inner, "{{") || strings.Contains(inner, "}}") {
		return "", false
	}
	return strings.TrimSpace(inner), true
}

func cutTable(inner string) (string, bool) {
	for _, p := range []string{"表格：", "表格:", "表格 "} {
		if rest, ok := strings.CutPrefix(inner, p); ok {
			return rest, true
		}
	}
	return "", inner == "表格"
}

// splitList splits "a、b，c,d" into its non-empty items.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == '，' || r == ',' || r == ' ' || r == '；' })
	return f
}

func pieces(text string, resolve Resolver, fail func(string, ...any) error) ([]Piece, error) {
	var out []Piece
	for text != "" {
		open := strings.Index(text, "{{")
		closing := strings.Index(text, "}}")
		if open < 0 {
			if closing >= 0 {
				return nil, fail("summary.unopened")
			}
			out = append(out, Piece{Text: text})
			break
		}
		if closing >= 0 && closing < open {
			return nil, fail("summary.unopened")
		}
		if open > 0 {
			out = append(out, Piece{Text: text[:open]})
		}
		rest := text[open+2:]
		end := strings.Index(rest, "}}")
		if end < 0 {
			return nil, fail("summary.unclosed")
		}
		inner := strings.TrimSpace(rest[:end])
		text = rest[end+2:]
		if strings.Contains(inner, "{{") {
			return nil, fail("summary.unclosed")
		}
		if inner == VarOrg || inner == VarPeriod {
			out = append(out, Piece{Var: inner})
			continue
		}
		r := &Ref{}
		if k, ok := strings.CutPrefix(inner, "?"); ok {
			r.Optional, inner = true, strings.TrimSpace(k)
		} else if k, ok := strings.CutPrefix(inner, "？"); ok {
			r.Optional, inner = true, strings.TrimSpace(k)
		}
		key, mod, hasMod := strings.Cut(inner, "|")
		key = strings.TrimSpace(key)
		if hasMod {
			switch strings.TrimSpace(mod) {
			case "同比":
				r.Change = true
			default:
				return nil, fail("summary.unknown_modifier", strings.TrimSpace(mod))
			}
		}
		if key == "" {
			return nil, fail("summary.empty_ref")
		}
		if key == "存在的问题" || strings.HasPrefix(key, "表格") {
			return nil, fail("summary.block_inline", key)
		}
		code, ok := resolve(key)
		if !ok {
			return nil, fail("summary.unknown_indicator", key)
		}
		r.Key, r.Code = key, code
		out = append(out, Piece{Ref: r})
	}
	return out, nil
}

// Codes lists the indicators the template names, each once, in order.
func (t *Template) Codes() []string {
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, b := range t.Blocks {
		for _, p := range b.Pieces {
			if p.Ref != nil {
				add(p.Ref.Code)
			}
		}
		for _, c := range b.Codes {
			add(c)
		}
	}
	return out
}
