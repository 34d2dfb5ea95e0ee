package summary

import "strings"

// Span is a run of a summary's text: literal, or a figure with the code of
// its indicator (the page links it to its drill-down).
type Span struct {
	Text string `json:"text"`
	Code string `json:"code,omitempty"`
}

// Line is one block of a saved summary's text.
type Line struct {
	Kind  BlockKind  `json:"kind"`
	Spans []Span     `json:"spans,omitempty"`
	Rows  [][][]Span `json:"rows,omitempty"` // a table: rows of cells; the first row is the header
}

// Plain is the line's text without markers.
func (l Line) Plain() string { return plain(l.Spans) }

func plain(sp []Span) string {
	var b strings.Builder
	for _, s := range sp {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Cells are a table's rows as plain text.
func (l Line) Cells() [][]string {
	out := make([][]string, len(l.Rows))
	for i, r := range l.Rows {
		for _, c := range r {
			out[i] = append(out[i], plain(c))
		}
	}
	return out
}

// ReadBody splits a summary's saved text into its lines: "# " title,
// "## " and "### " headings, "| … |" table rows (consecutive ones make one
// table), anything else a paragraph; {{text|code}} is a figure.
func ReadBody(body string) []Line {
	var out []Line
	for _, raw := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
		case strings.HasPrefix(line, "|") && strings.HasSuffix(line, "|") && len(line) > 1:
			row := rejoin(line)
			if n := len(out); n > 0 && out[n-1].Kind == Table {
				out[n-1].Rows = append(out[n-1].Rows, row)
			} else {
				out = append(out, Line{Kind: Table, Rows: [][][]Span{row}})
			}
		case strings.HasPrefix(line, "###"):
			out = append(out, Line{Kind: Heading2, Spans: spans(strings.TrimSpace(line[3:]))})
		case strings.HasPrefix(line, "##"):
			out = append(out, Line{Kind: Heading1, Spans: spans(strings.TrimSpace(line[2:]))})
		case strings.HasPrefix(line, "#"):
			out = append(out, Line{Kind: Title, Spans: spans(strings.TrimSpace(line[1:]))})
		default:
			out = append(out, Line{Kind: Para, Spans: spans(line)})
		}
	}
	return out
}

// rejoin splits a table row on the bars outside markers.
func rejoin(line string) [][]Span {
	inner := line[1 : len(line)-1]
	var cells []string
	depth, start := 0, 0
	for i := 0; i < len(inner); i++ {
		switch {
		case strings.HasPrefix(inner[i:], "{{"):
			depth++
			i++
		case strings.HasPrefix(inner[i:], "}}") && depth > 0:
			depth--
			i++
		case inner[i] == '|' && depth == 0:
			cells = append(cells, inner[start:i])
			start = i + 1
		}
	}
	cells = append(cells, inner[start:])
	row := make([][]Span, len(cells))
	for i, c := range cells {
		row[i] = spans(strings.TrimSpace(c))
	}
	return row
}

// spans splits a line into text and figures.
func spans(s string) []Span {
	var out []Span
	for s != "" {
		open := strings.Index(s, "{{")
		if open < 0 {
			out = append(out, Span{Text: s})
			break
		}
		end := strings.Index(s[open:], "}}")
		if end < 0 {
			out = append(out, Span{Text: s})
			break
		}
		if open > 0 {
			out = append(out, Span{Text: s[:open]})
		}
		inner := s[open+2 : open+end]
		if text, code, ok := strings.Cut(inner, "|"); ok && code != "" {
			out = append(out, Span{Text: text, Code: strings.TrimSpace(code)})
		} else {
			out = append(out, Span{Text: inner})
		}
		s = s[open+end+2:]
	}
	return out
}
