package auth

import (
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
)

// Characters of temporary passwords, which are read out over the phone or
// copied from paper: no 0/O/o, 1/l/I, which are misread, and no %, which
// some input methods and URL-minded tools mangle; symbols that have a
// short spoken name.
const (
	pwLower  = "abcdefghijkmnpqrstuvwxyz"
	pwUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	pwDigit  = "23456789"
	pwSymbol = "#+=@?!"
)

// TemporaryGroup is how many characters a temporary password shows per
// group ("Ab3# kP7x …"), for reading it out in fours.
const TemporaryGroup = 4

// Temporary makes a random password that passes the configured policy,
// with one character of each class at least, a whole number of groups long
// (GroupForReading).
func (p PasswordPolicy) Temporary(username string) (string, error) {
	n := min(max(p.MinLength, 12)+2, 128)
	n = (n + TemporaryGroup - 1) / TemporaryGroup * TemporaryGroup
	for range 100 {
		pw, err := randomPassword(n)
		if err != nil {
			return "", err
		}
		if p.Check(username, pw) == nil {
			return pw, nil
		}
	}
	return "", errors.New("could not make a temporary password that passes the policy")
}

func randomPassword(n int) (string, error) {
	sets := []string{pwLower, pwUpper, pwDigit, pwSymbol}
	all := pwLower + pwUpper + pwDigit + pwSymbol
	b := make([]byte, n)
	for i := range b {
		set := all
		if i < len(sets) {
			set = sets[i]
		}
		k, err := randInt(len(set))
		if err != nil {
			return "", err
		}
		b[i] = set[k]
	}
	for i := len(b) - 1; i > 0; i-- { // Fisher–Yates, so the fixed classes are not at the front
		j, err := randInt(i + 1)
		if err != nil {
			return "", err
		}
		b[i], b[j] = b[j], b[i]
	}
	return string(b), nil
}

func randInt(n int) (int, error) {
	k, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, err
	}
	return int(k.Int64()), nil
}

// GroupForReading shows a temporary password in groups of four separated by
// spaces, the way it is read out: "Ab3# kP7x 9mQ= 2wEr". The spaces are not
// part of the password; VerifyLogin accepts it typed with or without them.
func GroupForReading(pw string) string {
	var b strings.Builder
	for i, r := range []rune(pw) {
		if i > 0 && i%TemporaryGroup == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// VerifyLogin checks a typed password against the account's. A temporary
// password (set by someone else, to be changed) has no spaces, and is shown
// in groups: typed as shown, with the spaces, it is accepted too.
func VerifyLogin(u *User, typed string) bool {
	if VerifyPassword(u.PasswordHash, typed) {
		return true
	}
	if u.MustChange && strings.ContainsAny(typed, " \u3000") {
		return VerifyPassword(u.PasswordHash, strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u3000' {
				return -1
			}
			return r
		}, typed))
	}
	return false
}
