package auth_test

import (
	"regexp"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// rfcSecret is the SHA-1 key of RFC 6238's test vectors, "12345678901234567890", in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// TestTOTPMatchesRFC6238: the codes are those of the RFC's test vectors
// (their last six digits), so any authenticator app agrees with the server.
func TestTOTPMatchesRFC6238(t *testing.T) {
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		got, err := auth.TOTPCode(rfcSecret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("code at %d: %q %v, want %q", unix, got, err, want)
		}
	}
}

func codeKey(err error) string {
	if inv, ok := err.(*errs.Invalid); ok {
		return inv.Fields["code"]
	}
	return ""
}

// TestCheckTOTPTakesOneStepEitherSideOnce: a phone a step fast or slow still
// logs in; two steps off does not; a code is never taken twice, nor an
// older one after a newer.
func TestCheckTOTPTakesOneStepEitherSideOnce(t *testing.T) {
	now := time.Unix(1234567890, 0)
	at := func(d time.Duration) string {
		c, err := auth.TOTPCode(rfcSecret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	here := auth.TOTPStepAt(now)
	for _, c := range []struct {
		name  string
		code  string
		after int64
		step  int64
		key   string
	}{
		{"now", at(0), 0, here, ""},
		{"a step slow", at(-auth.TOTPStep), 0, here - 1, ""},
		{"a step fast", at(auth.TOTPStep), 0, here + 1, ""},
		{"two steps slow", at(-2 * auth.TOTPStep), 0, 0, "totp.wrong"},
		{"two steps fast", at(2 * auth.TOTPStep), 0, 0, "totp.wrong"},
		{"used", at(0), here, 0, "totp.used"},
		{"older than the last used", at(-auth.TOTPStep), here, 0, "totp.used"},
		{"newer than the last used", at(auth.TOTPStep), here, here + 1, ""},
		{"letters", "12a456", 0, 0, "totp.format"},
		{"five digits", "12345", 0, 0, "totp.format"},
		{"empty", " ", 0, 0, "required"},
		{"spaces around", " " + at(0) + " ", 0, here, ""},
	} {
		step, err := auth.CheckTOTP(rfcSecret, c.code, now, c.after)
		if codeKey(err) != c.key || step != c.step || (c.key == "" && err != nil) {
			t.Errorf("%s: step %d err %v, want step %d key %q", c.name, step, err, c.step, c.key)
		}
	}
}

// TestRecoveryCodesAreDistinctAndForgiving: ten different codes that read
// unambiguously; typed in capitals, without the dash or with spaces they
// still match, and no two hash alike.
func TestRecoveryCodesAreDistinctAndForgiving(t *testing.T) {
	codes, hashes := auth.NewRecoveryCodes()
	if len(codes) != auth.RecoveryCount || len(hashes) != auth.RecoveryCount {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	shape := regexp.MustCompile(`^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q has an ambiguous letter or the wrong shape", c)
		}
		if seen[hashes[i]] {
			t.Errorf("code %q repeats", c)
		}
		seen[hashes[i]] = true
		for _, typed := range []string{c, " " + c + " ", c[:5] + c[6:], c[:5] + " " + c[6:], upper(c)} {
			if auth.HashRecoveryCode(typed) != hashes[i] {
				t.Errorf("%q typed as %q does not match", c, typed)
			}
		}
		if !auth.LooksLikeRecoveryCode(c) {
			t.Errorf("%q is taken for a six-digit code", c)
		}
	}
	if auth.LooksLikeRecoveryCode("123456") {
		t.Errorf("a six-digit code is taken for a recovery code")
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// TestAdministratorsAlwaysNeedASecondFactor: the switch cannot turn it off
// for the three administrators; other roles follow it.
func TestAdministratorsAlwaysNeedASecondFactor(t *testing.T) {
	off := auth.SecondFactorPolicy{auth.SystemAdmin: false, auth.SecurityAdmin: false, auth.AuditAdmin: false}
	for _, r := range auth.Roles {
		if got := off.Requires(r); got != r.IsAdmin() {
			t.Errorf("%s requires a second factor: %v", r, got)
		}
	}
	if !(auth.SecondFactorPolicy{auth.BranchAdmin: true}).Requires(auth.BranchAdmin) {
		t.Errorf("the switch for 支部书记 does not hold")
	}
}
