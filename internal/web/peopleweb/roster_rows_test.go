package peopleweb

import (
	"html/template"
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/web"
)

// The rows and options the roster writes in Go must come out as
// html/template would write them — the same markup, every value escaped the
// same way — for any text a person's record or an organisation's name can
// hold, markup and broken bytes included.
func TestRosterRowsEscapeAsHTMLTemplate(t *testing.T) {
	row := template.Must(template.New("row").Parse(`<tr><td data-label="姓名" class="name"><a href="/people/{{.ID}}">{{.Name}}</a>` +
		`{{if .Left}} <span class="tag">已转出</span>{{end}}{{if .Honoured}} <span class="tag ok">光荣在党{{.PartyYears}}年</span>{{end}}</td>` +
		`<td data-label="性别" class="more">{{.SexLabel}}</td><td data-label="年龄" class="more">{{.Age}}</td><td data-label="人员类别">{{.StatusLabel}}</td>` +
		`<td data-label="所在组织">{{if .OrgID}}<a href="/orgs/{{.OrgID}}">{{.OrgName}}</a>{{else}}{{.OrgName}}{{end}}</td>` +
		`<td data-label="工作单位" class="more">{{.UnitName}}</td><td data-label="职务" class="more">{{.Position}}</td>` +
		`<td data-label="学历" class="more">{{.Education}}</td><td data-label="入党时间" class="more">{{.JoinedOn}}</td>` +
		`<td data-label="身份证号" class="id-number more">{{.IDNumber}}</td><td data-label="联系电话" class="more">{{.Phone}}</td></tr>` + "\n"))
	options := template.Must(template.New("options").Parse(
		`{{range .}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}`))

	hostile := []string{"张伟", `<script>alert('x')</script>`, `a&b "c" +1 > 0`, "nul\x00byte", "broken \xff\xfe utf-8",
		"{{.Name}}", "&amp;", "\u2028line", "javascript:alert(1)", ""}
	for i, s := range hostile {
		v := personView{ID: int64(i + 1), OrgID: int64(i % 2), Name: s, SexLabel: s, Age: 40 + i, StatusLabel: s, OrgName: s, UnitName: s, Position: s,
			Education: s, JoinedOn: date.MustParse("2001-07-01"), IDNumber: s, Phone: s, Left: i%2 == 0, Honoured: i%3 == 0, PartyYears: 50 + i}
		var want strings.Builder
		if err := row.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		if got := string(rosterRow(&v)); got != want.String() {
			t.Errorf("row for %q:\ngot  %s\nwant %s", s, got, want.String())
		}

		opts := []web.Option{{Value: s, Label: s}, {Value: "x" + s, Label: "　" + s}}
		type choice struct {
			Value, Label string
			Selected     bool
		}
		var wantOpts strings.Builder
		if err := options.Execute(&wantOpts, []choice{{s, s, true}, {"x" + s, "　" + s, false}}); err != nil {
			t.Fatal(err)
		}
		if got := string(optionsHTML(opts, s)); got != wantOpts.String() {
			t.Errorf("options for %q:\ngot  %s\nwant %s", s, got, wantOpts.String())
		}
	}
}
