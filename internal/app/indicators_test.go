package app_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/app"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite docs/indicators.md from the catalogue")

// TestIndicatorsDocIsCurrent: docs/indicators.md is what the catalogue and
// the seed map make of it (go test ./internal/app -update rewrites it), every
// seed figure names an indicator that exists or the module that is missing.
func TestIndicatorsDocIsCurrent(t *testing.T) {
	cat, err := app.Catalogue(storetest.Open(t, store.SQLite, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range app.SeedFigures() {
		if (f.Code == "") == (f.Gap == "") {
			t.Errorf("%q: give an indicator or a gap, one of them", f.Figure)
		}
		if _, ok := cat.Lookup(f.Code); f.Code != "" && !ok {
			t.Errorf("%q maps to %s, which the catalogue does not have", f.Figure, f.Code)
		}
	}
	doc := app.IndicatorsDoc(cat)
	path := filepath.Join("..", "..", "docs", "indicators.md")
	if *update {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(path)
	if err != nil || string(committed) != doc {
		t.Fatalf("docs/indicators.md is not what the catalogue makes: run go test ./internal/app -run TestIndicatorsDocIsCurrent -update")
	}
	if !strings.Contains(doc, "people.under35_share") || !strings.Contains(doc, "35岁以下党员占比38%") {
		t.Fatal("the document lacks the catalogue or the seed map")
	}
}
