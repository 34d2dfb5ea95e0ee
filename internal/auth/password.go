package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"dangjian/internal/errs"
)

// PasswordPolicy is configuration; the default is 等保 level 3 strict.
type PasswordPolicy struct {
	MinLength  int
	MinClasses int // of: lower, upper, digit, symbol
	MaxAgeDays int // rotation; 0 disables
	// HistorySize is how many of an account's last chosen passwords a new
	// one may not repeat, so an administrator who took over an account
	// cannot hand the owner's old password back unnoticed; 0 disables.
	HistorySize int
}

// DefaultPasswordPolicy: 10 characters, 3 of 4 classes, rotate every 90
// days, none of the last 5 again.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 10, MinClasses: 3, MaxAgeDays: 90, HistorySize: 5}

// common passwords and keyboard walks that pass class rules but are guessed first.
var weakPasswords = []string{"password", "passw0rd", "admin", "qwerty", "123456", "abc123", "dangjian", "zhengfa", "p@ssw0rd", "1qaz2wsx"}

// Check returns the message key of the first rule the password breaks.
func (p PasswordPolicy) Check(username, password string) error {
	if password == "" {
		return errs.Field("password", "password.empty")
	}
	if utf8.RuneCountInString(password) < p.MinLength {
		return errs.Field("password", "password.too_short")
	}
	if len(password) > 128 {
		return errs.Field("password", "too_long")
	}
	var lower, upper, digit, symbol int
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			symbol = 1
		}
	}
	if lower+upper+digit+symbol < p.MinClasses {
		return errs.Field("password", "password.classes")
	}
	low := strings.ToLower(password)
	if username != "" && strings.Contains(low, strings.ToLower(username)) {
		return errs.Field("password", "password.contains_username")
	}
	for _, w := range weakPasswords {
		if strings.Contains(low, w) {
			return errs.Field("password", "password.weak")
		}
	}
	return nil
}

// argon2id parameters (RFC 9106's second recommendation, scaled to a 2-core
// server): 64 MiB would let a burst of logins exhaust memory, 19 MiB × 2 passes
// is OWASP's floor.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns a PHC-format argon2id hash with a fresh salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword compares in constant time; parameters come from the hash, so
// they can be raised later without invalidating old hashes. A hash that is
// empty (a pending account) or malformed never matches, and costs as much
// as one that is checked, so timing does not tell such accounts apart.
func VerifyPassword(hash, password string) bool {
	ok, checked := verify(hash, password)
	if !checked {
		verify(dummyHash, password)
	}
	return ok
}

// verify reports whether password matches hash, and whether the hash could
// be read at all.
func verify(hash, password string) (ok, checked bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, true
}

// dummyHash lets a login for an unknown user cost as much as a real one, so
// timing does not tell which usernames exist.
var dummyHash, _ = HashPassword("dummy-password-for-timing")

// BurnPasswordCheck spends the time of one verification.
func BurnPasswordCheck(password string) { verify(dummyHash, password) }
