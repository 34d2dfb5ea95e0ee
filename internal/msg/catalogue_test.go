package msg_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/msg"
)

var keyShape = regexp.MustCompile(`^[a-z_]+(\.[a-z_0-9]+)*$`)

// TestEveryProblemKeyHasChineseText reads the source of every package for the
// message keys it reports — errs.Field, errs.NewConflict and Invalid.Add with a
// literal key — and checks that the catalogue has a text for each, so no user
// ever sees a bare 〔key〕.
func TestEveryProblemKeyHasChineseText(t *testing.T) {
	fset := token.NewFileSet()
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Field" && sel.Sel.Name != "NewConflict" && sel.Sel.Name != "Add") {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); sel.Sel.Name == "Add" && (!ok || (x.Name != "v" && x.Name != "inv")) {
				return true // url.Values and other Adds
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			if !keyShape.MatchString(key) {
				return true
			}
			seen++
			if !msg.Has(key) {
				t.Errorf("%s: message key %q has no Chinese text", fset.Position(lit.Pos()), key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d keys checked", seen)
	if seen < 50 {
		t.Fatalf("found only %d message keys in the source; the scan is broken", seen)
	}
}
