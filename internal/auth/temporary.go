package auth

import (
	"crypto/rand"
	"errors"
	"math/big"
)

// Characters of temporary passwords: no 0/O, 1/l/I, which are misread when
// a password is read out or copied from paper.
const (
	pwLower  = "abcdefghijkmnpqrstuvwxyz"
	pwUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	pwDigit  = "23456789"
	pwSymbol = "#%+=@?!-"
)

// Temporary makes a random password that passes the configured
// policy, with one character of each class at least.
func (p PasswordPolicy) Temporary(username string) (string, error) {
	n := min(max(p.MinLength, 12)+2, 128)
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
