package people

import (
	"strings"
	"testing"
)

// FuzzCheckIDNumber feeds arbitrary text, as typed or pasted into a form or
// a roster cell, to the ID-number check: it never panics, and whatever it
// accepts is a normalized 18-character number whose check character holds.
func FuzzCheckIDNumber(f *testing.F) {
	for _, seed := range []string{"11010519491231002X", "110105194912310021", "110105491231002", " 11010519491231002x ", "１１０１０５", "", "X", "999999999999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id := NormalizeIDNumber(raw)
		if _, problem := CheckIDNumber(id); problem == "" {
			if len(id) != 18 || strings.ToUpper(id) != id || IDCheckChar(id[:17]) != id[17] {
				t.Fatalf("accepted %q (from %q)", id, raw)
			}
		}
		if up, ok := UpgradeIDNumber(id); ok {
			if _, problem := CheckIDNumber(up); problem != "" {
				t.Fatalf("upgraded %q to %q, which fails: %s", id, up, problem)
			}
		}
	})
}
