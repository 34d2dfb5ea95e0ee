package auth

import (
	"strings"
	"testing"
)

// Temporary passwords are read out over the phone: no look-alikes, no %,
// a whole number of groups of four, and typed back as shown (with the
// spaces) or without them, they log in.
func TestTemporaryPasswordsReadOutInFours(t *testing.T) {
	p := PasswordPolicy{MinLength: 10, MinClasses: 3}
	for range 200 {
		pw, err := p.Temporary("zhangwei")
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(pw, "l1IO0o% ") {
			t.Fatalf("%q has a look-alike character, a %% or a space", pw)
		}
		if len(pw)%TemporaryGroup != 0 || len(pw) < 12 {
			t.Fatalf("%q is not whole groups of four", pw)
		}
		shown := GroupForReading(pw)
		groups := strings.Split(shown, " ")
		if len(groups) != len(pw)/4 || strings.Join(groups, "") != pw {
			t.Fatalf("%q shown as %q", pw, shown)
		}
	}
	pw, _ := p.Temporary("zhangwei")
	hash, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	u := &User{PasswordHash: hash, MustChange: true}
	for _, typed := range []string{pw, GroupForReading(pw), strings.ReplaceAll(GroupForReading(pw), " ", "　")} {
		if !VerifyLogin(u, typed) {
			t.Errorf("%q typed as %q refused", pw, typed)
		}
	}
	if VerifyLogin(u, GroupForReading(pw)+"x") {
		t.Error("a wrong password accepted")
	}
	// A password the owner chose is exactly what they chose: spaces count.
	own, _ := HashPassword("Wo de mima#2026")
	if VerifyLogin(&User{PasswordHash: own}, "Wodemima#2026") {
		t.Error("spaces dropped from a password the owner chose")
	}
}
