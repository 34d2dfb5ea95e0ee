package dictweb

import (
	"strings"
	"testing"
)

// FuzzSplitAliases: typed aliases never come back empty or holding a separator.
func FuzzSplitAliases(f *testing.F) {
	f.Add("本科、大本, 学士；  本 科")
	f.Add("|||")
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range splitAliases([]string{s}) {
			if a == "" || strings.ContainsAny(a, "、,，;；| \t\n") {
				t.Fatalf("alias %q from %q", a, s)
			}
		}
	})
}
