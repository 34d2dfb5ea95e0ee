package roster_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/roster"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var tester = audit.Actor{Username: "tester", IP: "127.0.0.1"}

// sheetName is the roster's sheet in the export and the template.
const sheetName = "花名册"

// sample is the shared sample roster of an office (40 people), copied here.
func sample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "roster-sample.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// demoWorld is the demo 政法委 as its committee administrator sees it.
type demoWorld struct {
	st    *store.Store
	scope auth.Scope
}

// demoLoaded is the demo's roster, built once per database for the round
// trips; each gets its own copy.
var demoLoaded = &storetest.Snapshot{
	Fill: func(ctx context.Context, st *store.Store) error {
		_, err := demo.LoadRoster(ctx, st, date.FromTime(storetest.NewClock().Now()), 1)
		return err
	},
	Now: storetest.NewClock().Now,
}

func TestMain(m *testing.M) {
	code := m.Run()
	demoLoaded.Remove()
	os.Exit(code)
}

func newDemo(t *testing.T, d store.Dialect) *demoWorld {
	t.Helper()
	ctx := context.Background()
	st := demoLoaded.Open(t, d, storetest.NewClock().Now)
	orgs, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// The whole tree: units are roots beside the committee in some setups.
	path := "/"
	for _, o := range orgs {
		if o.ParentID == 0 && o.Kind == "committee" {
			path = o.Path
		}
	}
	return &demoWorld{st: st, scope: auth.Scope{OrgPath: path}}
}

// export writes the whole roster of the scope as the page's export does,
// for a role that sees ID numbers and phones in full.
func (w *demoWorld) export(t *testing.T) []byte {
	t.Helper()
	return w.exportAs(t, true)
}

// exportAs writes the roster with ID numbers and phones in full (unmask) or
// masked, as a role that may not see them gets it.
func (w *demoWorld) exportAs(t *testing.T, unmask bool) []byte {
	t.Helper()
	ctx := context.Background()
	names, err := roster.LoadNames(ctx, w.st, w.scope)
	if err != nil {
		t.Fatal(err)
	}
	x, err := roster.NewExporter(unmask, names)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	f := store.PersonFilter{Limit: 500}
	for {
		page, err := w.st.People(ctx, w.scope, f)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Add(page.Items...); err != nil {
			t.Fatal(err)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (w *demoWorld) run(t *testing.T, data []byte, opt roster.Options) roster.Report {
	t.Helper()
	rep, err := roster.ImportWith(context.Background(), w.st, tester, w.scope, bytes.NewReader(data), opt, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, p := range rep.Problems {
		if p.Text == "" || strings.Contains(p.Text, "〔") {
			t.Fatalf("unreadable problem %+v", p)
		}
	}
	return rep
}

// The demo roster, exported and imported back in the update mode, changes
// nothing; three cells edited in the export are exactly the three changes of
// the preview, and once confirmed they are on the records and in the audit
// log, and nothing else moved.
func TestDemoRosterRoundTrip(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newDemo(t, d)
		data := w.export(t)
		rep := w.run(t, data, roster.Options{Mode: roster.Update})
		if rep.Rejected() || len(rep.Changes) != 0 || rep.Rows < 300 || rep.Unchanged != rep.Rows || !rep.Preview {
			t.Fatalf("the export does not import back unchanged: %d rows, %d unchanged, problems %+v, missing %+v, changes %+v",
				rep.Rows, rep.Unchanged, rep.Problems[:min(len(rep.Problems), 5)], rep.Missing, rep.Changes[:min(len(rep.Changes), 3)])
		}
		// The create mode refuses every row of it: they are all there already.
		if again := w.run(t, data, roster.Options{}); !again.Rejected() || len(again.Problems) != again.Rows {
			t.Fatalf("create mode: %d problems of %d rows", len(again.Problems), again.Rows)
		}

		// Edit three cells of three people.
		f, rows, colOf := openRoster(t, data)
		col := func(h string) string { n, _ := excelize.ColumnNumberToName(colOf[h] + 1); return n }
		// Row 2 is the first person, then two more further down.
		set := func(r int, fl string, v string) {
			if err := f.SetCellStr(sheetName, col(fl)+strconv.Itoa(r), v); err != nil {
				t.Fatal(err)
			}
		}
		set(2, "职务", "三级调研员")
		set(10, "联系电话", "13912345678")
		set(20, "姓名", rows[19][colOf["姓名"]]+"改")
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		edited := buf.Bytes()

		preview := w.run(t, edited, roster.Options{Mode: roster.Update, Unmask: true})
		if preview.Rejected() || len(preview.Changes) != 3 {
			t.Fatalf("preview: %+v %+v", preview.Problems, preview.Changes)
		}
		want := []struct {
			row  int
			col  string
			from string
			to   string
		}{
			{2, "职务", rows[1][colOf["职务"]], "三级调研员"},
			{10, "联系电话", rows[9][colOf["联系电话"]], "13912345678"},
			{20, "姓名", rows[19][colOf["姓名"]], rows[19][colOf["姓名"]] + "改"},
		}
		for i, c := range preview.Changes {
			wc := want[i]
			if c.Row != wc.row || len(c.Fields) != 1 || c.Fields[0] != (roster.FieldChange{wc.col, wc.from, wc.to}) {
				t.Fatalf("change %d: %+v, want %+v", i, c, wc)
			}
		}
		// Nothing is written by the preview.
		p0, _ := w.st.Person(context.Background(), w.scope, preview.Changes[0].PersonID)
		if p0.Position == "三级调研员" {
			t.Fatal("the preview wrote")
		}
		// A confirmation of another preview writes nothing.
		if stale := w.run(t, edited, roster.Options{Mode: roster.Update, Confirm: true, Expect: "0000"}); !stale.Stale || stale.Updated != 0 {
			t.Fatalf("confirmation of another preview: %+v", stale)
		}
		done := w.run(t, edited, roster.Options{Mode: roster.Update, Confirm: true, Expect: preview.Fingerprint})
		if done.Rejected() || done.Updated != 3 {
			t.Fatalf("confirm: %+v", done)
		}
		for _, c := range preview.Changes {
			p, err := w.st.Person(context.Background(), w.scope, c.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{"职务": p.Position, "联系电话": p.Phone, "姓名": p.Name}[c.Fields[0].Column]
			if got != c.Fields[0].To {
				t.Fatalf("%s of person %d is %q, want %q", c.Fields[0].Column, c.PersonID, got, c.Fields[0].To)
			}
			entries, _, err := w.st.AuditEntries(context.Background(), audit.Filter{Action: "person.update", ObjectID: strconv.FormatInt(c.PersonID, 10)})
			if err != nil || len(entries) != 1 || entries[0].Username != tester.Username {
				t.Fatalf("audit of person %d: %v %+v", c.PersonID, err, entries)
			}
			if c.Fields[0].Column == "职务" && (!strings.Contains(entries[0].After, `"position":"三级调研员"`) || strings.Contains(entries[0].Before, "三级调研员")) {
				t.Fatalf("audit of the position: %+v", entries[0])
			}
		}
		// The whole roster exports as it was edited and imports back unchanged.
		if again := w.run(t, w.export(t), roster.Options{Mode: roster.Update}); again.Rejected() || len(again.Changes) != 0 {
			t.Fatalf("after the update: %+v %+v", again.Problems, again.Changes)
		}
		var history []string
		recs, _ := w.st.ImportHistory(context.Background(), w.scope, 20)
		for _, r := range recs {
			history = append(history, r.Mode+":"+r.Outcome)
		}
		if !reflect.DeepEqual(history, []string{"update:previewed", "update:imported", "update:rejected", "update:previewed", "create:rejected", "update:previewed"}) {
			t.Fatalf("history %v", history)
		}
	})
}

// The shared sample file of an office, and the template with its example
// row made a real row, import into the demo as they are.
func TestSampleAndTemplateImportIntoDemo(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newDemo(t, d)
		rep := w.run(t, sample(t), roster.Options{FileName: "roster-sample.xlsx"})
		if rep.Rejected() || rep.Imported != 40 {
			t.Fatalf("sample: %d imported, problems %+v, missing %+v", rep.Imported, rep.Problems, rep.Missing)
		}
		tpl, err := roster.Template()
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(tpl))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStr(sheetName, "A2", "1"); err != nil { // the example, no longer marked 示例
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rep = w.run(t, buf.Bytes(), roster.Options{})
		if rep.Rejected() || rep.Imported != 1 {
			t.Fatalf("template's example: %+v %+v", rep.Problems, rep.Missing)
		}
	})
}

// A role that sees ID numbers and phones masked exports the roster and
// imports it back in the update mode: each row finds its person by the
// export's 人员编号, the masks stand for the values they hide, and nothing
// changes; three edited cells (one a new phone number typed in full) are
// exactly the preview's three changes, and once confirmed they are stored
// and the masked ID numbers are kept. A 人员编号 nobody in the scope holds,
// or one repeated, is refused with the row and column.
func TestMaskedRosterRoundTrip(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newDemo(t, d)
		data := w.exportAs(t, false)
		if rep := w.run(t, data, roster.Options{Mode: roster.Update}); rep.Rejected() || len(rep.Changes) != 0 || rep.Unchanged != rep.Rows {
			t.Fatalf("the masked export does not import back unchanged: %d rows, %d unchanged, problems %+v",
				rep.Rows, rep.Unchanged, rep.Problems[:min(len(rep.Problems), 5)])
		}
		f, rows, colOf := openRoster(t, data)
		if !strings.Contains(rows[1][colOf["身份证号"]], "*") {
			t.Fatalf("the export is not masked: %v", rows[1])
		}
		set := func(r int, col, v string) {
			t.Helper()
			n, _ := excelize.ColumnNumberToName(colOf[col] + 1)
			if err := f.SetCellStr(sheetName, n+strconv.Itoa(r), v); err != nil {
				t.Fatal(err)
			}
		}
		edit := func(cells ...[3]string) []byte {
			t.Helper()
			for _, c := range cells {
				r, _ := strconv.Atoi(c[0])
				set(r, c[1], c[2])
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		edited := edit([3]string{"2", "职务", "三级调研员"}, [3]string{"10", "联系电话", "13912345678"}, [3]string{"20", "职务", "科员"})
		preview := w.run(t, edited, roster.Options{Mode: roster.Update})
		if preview.Rejected() || len(preview.Changes) != 3 {
			t.Fatalf("preview: %+v %+v", preview.Problems, preview.Changes)
		}
		for i, want := range []struct {
			row     int
			col, to string
		}{{2, "职务", "三级调研员"}, {10, "联系电话", "139****5678"}, {20, "职务", "科员"}} {
			c := preview.Changes[i]
			if c.Row != want.row || len(c.Fields) != 1 || c.Fields[0].Column != want.col || c.Fields[0].To != want.to {
				t.Fatalf("change %d: %+v, want row %d %s → %s (a phone shown masked)", i, c, want.row, want.col, want.to)
			}
		}
		before, _ := w.st.Person(context.Background(), w.scope, preview.Changes[1].PersonID)
		done := w.run(t, edited, roster.Options{Mode: roster.Update, Confirm: true, Expect: preview.Fingerprint})
		if done.Rejected() || done.Updated != 3 {
			t.Fatalf("confirm: %+v", done)
		}
		after, _ := w.st.Person(context.Background(), w.scope, preview.Changes[1].PersonID)
		if after.Phone != "13912345678" || after.IDNumber != before.IDNumber || after.IDNumber == "" || strings.Contains(after.IDNumber, "*") {
			t.Fatalf("after the update: phone %q, ID number %q (was %q)", after.Phone, after.IDNumber, before.IDNumber)
		}
		for _, c := range preview.Changes {
			entries, _, err := w.st.AuditEntries(context.Background(), audit.Filter{Action: "person.update", ObjectID: strconv.FormatInt(c.PersonID, 10)})
			if err != nil || len(entries) != 1 || entries[0].Username != tester.Username {
				t.Fatalf("audit of person %d after the masked update: %v %+v", c.PersonID, err, entries)
			}
		}

		// A number nobody in the scope holds, and a number twice.
		bad := edit([3]string{"3", "人员编号", "999999"}, [3]string{"5", "人员编号", rows[5][colOf["人员编号"]]})
		rep := w.run(t, bad, roster.Options{Mode: roster.Update})
		var got []string
		for _, p := range rep.Problems {
			got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Text))
		}
		// Row 5 now carries row 6's number: its masks are not that person's,
		// so they are refused as masked; row 6 repeats the number.
		if !rep.Rejected() || len(got) != 4 || got[0] != "3 人员编号 您的管理范围内没有该编号的人员" ||
			!strings.HasPrefix(got[1], "5 身份证号 身份证号含*号") || !strings.HasPrefix(got[2], "5 联系电话 联系电话含*号") || got[3] != "6 人员编号 与第5行的人员编号重复" {
			t.Fatalf("problems %q", got)
		}
	})
}

// openRoster opens an exported roster: the workbook, its rows, and each
// header's column index.
func openRoster(t *testing.T, data []byte) (*excelize.File, [][]string, map[string]int) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, _ := f.GetRows(sheetName)
	colOf := map[string]int{}
	for i, h := range rows[0] {
		colOf[h] = i
	}
	return f, rows, colOf
}
