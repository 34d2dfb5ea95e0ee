package people

import (
	"strings"
	"testing"
)

// FuzzIDNumber feeds arbitrary text to the ID-number checks as a form or a
// spreadsheet cell would: no input panics, normalising twice changes
// nothing, an accepted number is 18 characters with its own check
// character and a birth date inside it, an offered 18-digit form of an old
// 15-digit number is itself accepted, and a mask hides the middle.
func FuzzIDNumber(f *testing.F) {
	for _, seed := range []string{"370102197401184448", " 37010219740118444x ", "370102740118444", "37010219740230444X",
		"３７０１０２", "370102190001014441", "37010219740118444", "", "X", "37010219740118444Ｘ", "370102197401184448\u3000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id := NormalizeIDNumber(raw)
		if NormalizeIDNumber(id) != id {
			t.Fatalf("normalising %q twice: %q then %q", raw, id, NormalizeIDNumber(id))
		}
		info, problem := CheckIDNumber(id)
		if problem == "" {
			if len(id) != 18 || id[17] != IDCheckChar(id[:17]) {
				t.Fatalf("accepted %q", id)
			}
			if info.BirthDate.IsZero() || info.BirthDate.Year() < 1900 || info.BirthDate.String() != id[6:10]+"-"+id[10:12]+"-"+id[12:14] {
				t.Fatalf("%q: birth date %v", id, info.BirthDate)
			}
			if info.Sex != Male && info.Sex != Female {
				t.Fatalf("%q: sex %q", id, info.Sex)
			}
			if m := MaskIDNumber(id); len(m) != len(id) || !IsMasked(m) || strings.Contains(m, id[6:14]) {
				t.Fatalf("%q masked as %q", id, m)
			}
		}
		if len(id) == 15 {
			if full, ok := UpgradeIDNumber(id); ok {
				if _, p := CheckIDNumber(full); p != "" {
					t.Fatalf("the 18-digit form %q offered for %q is refused: %s", full, id, p)
				}
			}
		}
		_ = MaskIDNumber(raw)
		_ = MaskPhone(raw)
	})
}
