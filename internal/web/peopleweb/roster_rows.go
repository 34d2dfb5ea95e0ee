package peopleweb

import (
	"html/template"
	"strconv"
	"strings"

	"dangjian/internal/web"
)

// The roster table's body and the filter form's option lists are written
// here, in Go, rather than in people.html: they are the page's only loops
// (20 rows of 11 cells, some 60 options), and html/template runs every value
// through a reflective call of its escaper — for this page most of its
// rendering time. Each value is escaped here exactly as html/template
// escapes text (roster_rows_test.go holds the two to the same bytes), and
// the template writes each row, and each list, with one action.

// rosterColumns are the table's columns: the header in people.html follows
// the same order. On a phone a row is a compact card of name, status and
// organisation; the cells marked "more" wait behind a tap on the name.
var rosterColumns = [...]struct{ label, class string }{
	{"姓名", "name"}, {"性别", "more"}, {"年龄", "more"}, {"人员类别", ""}, {"所在组织", ""}, {"工作单位", "more"}, {"职务", "more"},
	{"学历", "more"}, {"入党时间", "more"}, {"身份证号", "id-number more"}, {"联系电话", "more"},
}

// rosterRow is one person's row of the table.
func rosterRow(v *personView) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	cell := func(i int) {
		b.WriteString(`<td data-label="`)
		b.WriteString(rosterColumns[i].label)
		if c := rosterColumns[i].class; c != "" {
			b.WriteString(`" class="`)
			b.WriteString(c)
		}
		b.WriteString(`">`)
	}
	text := func(i int, s string) {
		cell(i)
		b.WriteString(escapeText(s))
		b.WriteString("</td>")
	}
	b.WriteString("<tr>")
	cell(0)
	b.WriteString(`<a href="/people/`)
	b.WriteString(strconv.FormatInt(v.ID, 10))
	b.WriteString(`">`)
	b.WriteString(escapeText(v.Name))
	b.WriteString("</a>")
	if v.Left {
		b.WriteString(` <span class="tag">已转出</span>`)
	}
	if v.Honoured {
		b.WriteString(` <span class="tag ok">光荣在党`)
		b.WriteString(strconv.Itoa(v.PartyYears))
		b.WriteString("年</span>")
	}
	b.WriteString("</td>")
	for i, s := range [...]string{v.SexLabel, strconv.Itoa(v.Age), v.StatusLabel} {
		text(i+1, s)
	}
	cell(4) // 所在组织 leads to the organisation
	if v.OrgID != 0 {
		b.WriteString(`<a href="/orgs/`)
		b.WriteString(strconv.FormatInt(v.OrgID, 10))
		b.WriteString(`">`)
		b.WriteString(escapeText(v.OrgName))
		b.WriteString("</a></td>")
	} else {
		b.WriteString(escapeText(v.OrgName))
		b.WriteString("</td>")
	}
	for i, s := range [...]string{v.UnitName, v.Position, v.Education, v.JoinedOn.String(), v.IDNumber, v.Phone} {
		text(i+5, s)
	}
	b.WriteString("</tr>\n")
	return template.HTML(b.String())
}

// optionsHTML are a dropdown's options, the chosen one marked.
func optionsHTML(opts []web.Option, chosen string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(escapeText(o.Value))
		if o.Value == chosen {
			b.WriteString(`" selected>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString(escapeText(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// escapeText escapes s as html/template escapes a value in text or in a
// quoted attribute: the same characters, the same entities.
var escapeText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace
