package auth

import (
	"errors"
	"strings"
	"testing"

	"dangjian/internal/errs"
)

// problemKey is the message key of a single-field problem, "" for none.
func problemKey(err error) string {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return ""
	}
	for _, k := range inv.Fields {
		return k
	}
	return ""
}

// TestMemberWithoutPersonSeesNothing: a member account that has lost its
// link to a person (an old duplicate unlinked by a migration) must see no
// record, not the whole tree a zero person id would otherwise leave open.
func TestMemberWithoutPersonSeesNothing(t *testing.T) {
	u := User{Role: Member, OrgPath: "/1/"}
	sc := u.Scope()
	if sc.PersonID == 0 || sc.Includes("/1/2/") {
		t.Fatalf("a member without a person has scope %+v", sc)
	}
	u.PersonID = 7
	if sc := u.Scope(); sc.PersonID != 7 {
		t.Fatalf("a member's scope %+v, want their person 7", sc)
	}
}

// TestCheckLoginName: a login's username is refused before any lookup when
// it is empty or longer than LoginNameMax characters (counted as characters,
// not bytes).
func TestCheckLoginName(t *testing.T) {
	for name, want := range map[string]string{
		"":                                  "required",
		"  ":                                "required",
		strings.Repeat("a", LoginNameMax+1): "login.username_too_long",
		strings.Repeat("张", LoginNameMax+1): "login.username_too_long",
	} {
		if got := problemKey(CheckLoginName(name)); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
	for _, ok := range []string{"committee", strings.Repeat("张", LoginNameMax)} { // 192 bytes, 64 characters
		if err := CheckLoginName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}
