package web

import (
	"strings"
	"testing"
)

// FuzzReadJSON feeds arbitrary bodies to the JSON decoder every API write
// uses: it may refuse them, never panic, and what it accepts reads back.
func FuzzReadJSON(f *testing.F) {
	for _, seed := range []string{`{"name":"张伟","org_id":3}`, `{"members":[{"person_id":1,"role":"leader"}]}`,
		`{"a":[1,2,"x"],"b":null,"c":true}`, `{"deep":{"x":1}}`, `[]`, `nul`, `{"name":"\u0000"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, err := readJSON(strings.NewReader(body))
		if err != nil {
			return
		}
		for k := range in.Values {
			_ = in.Str(k)
		}
	})
}
