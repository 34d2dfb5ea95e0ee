package roster

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/msg"
)

// Every message key the package uses has its Chinese text in the catalogue.
func TestMessageKeysExist(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if strings.HasPrefix(s, "roster.") && !strings.HasSuffix(s, ".") {
				n++
				if !msg.Has(s) {
					t.Errorf("%s: key %q has no text in package msg", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
	for _, k := range fieldKeys {
		if !msg.Has("roster.help." + k) {
			t.Errorf("no instructions for column %s", k)
		}
	}
	if n < 20 {
		t.Fatalf("found only %d keys; the scan is broken", n)
	}
}
