package roster

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var tester = audit.Actor{Username: "tester", IP: "127.0.0.1"}

// world is an installation as the fixture expects it: the units as roots and
// the commission's committee with three branches.
type world struct {
	st        *store.Store
	committee org.Org
	branches  map[string]org.Org
	units     map[string]org.Org
	scope     auth.Scope
}

func newWorld(t *testing.T, d store.Dialect) *world {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock() // 2026-06-30
	w := &world{st: storetest.Open(t, d, clock.Now), branches: map[string]org.Org{}, units: map[string]org.Org{}}
	mk := func(parent int64, kind org.Kind, name string) org.Org {
		o := org.Org{ParentID: parent, Kind: kind, Name: name}
		if err := w.st.CreateOrg(ctx, tester, auth.Everything, &o); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	for _, u := range []string{"市委政法委", "市中级人民法院", "市人民检察院", "市公安局", "市司法局", "市法学会"} {
		w.units[u] = mk(0, org.Unit, u)
	}
	w.committee = mk(w.units["市委政法委"].ID, org.Committee, "市委政法委机关党委")
	for _, b := range []string{"第一党支部", "第二党支部", "第三党支部"} {
		w.branches[b] = mk(w.committee.ID, org.Branch, b)
	}
	w.scope = auth.Scope{OrgPath: w.committee.Path}
	return w
}

// all lists everyone in the installation, by ID number.
func (w *world) all(t *testing.T) map[string]store.PersonRow {
	t.Helper()
	page, err := w.st.People(context.Background(), auth.Everything, store.PersonFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.PersonRow{}
	for _, p := range page.Items {
		out[p.IDNumber] = p
	}
	if len(out) != page.Total {
		t.Fatalf("listed %d of %d people", len(out), page.Total)
	}
	return out
}

func (w *world) count(t *testing.T) int {
	t.Helper()
	page, err := w.st.People(context.Background(), auth.Everything, store.PersonFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func (w *world) importBytes(t *testing.T, data []byte) Report {
	t.Helper()
	rep, err := Import(context.Background(), w.st, tester, w.scope, bytes.NewReader(data), nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	checkTexts(t, rep.Problems)
	return rep
}

// checkTexts fails on a problem a user could not read: a missing catalogue
// entry (〔key〕) or a format verb left unfilled.
func checkTexts(t *testing.T, probs []Problem) {
	t.Helper()
	for _, p := range probs {
		if p.Text == "" || strings.Contains(p.Text, "〔") || strings.Contains(p.Text, "%") {
			t.Fatalf("unreadable problem %+v", p)
		}
	}
}

// readFixture is the office roster of 40 people, as LibreOffice saves it
// (testdata/gen writes it).
func readFixture(t *testing.T) []byte { return readTestdata(t, "roster-office.xlsx") }

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("test workbook (go generate ./internal/roster/ writes it): %v", err)
	}
	return data
}

// sheet builds a workbook row by row; a value is written as its Go type, so
// a float64 becomes a number cell and a string a text cell.
func sheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// problemLine is a problem as a test compares it.
type problemLine struct {
	Row    int
	Column string
	Key    string
}

func lines(probs []Problem) []problemLine {
	out := make([]problemLine, len(probs))
	for i, p := range probs {
		out[i] = problemLine{p.Row, p.Column, p.Key}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Row != out[j].Row {
			return out[i].Row < out[j].Row
		}
		return out[i].Column < out[j].Column
	})
	return out
}

// names are the organisations as the world's committee sees them.
func (w *world) names(t *testing.T) *Names {
	t.Helper()
	n, err := LoadNames(context.Background(), w.st, w.scope)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
