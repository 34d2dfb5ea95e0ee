package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"dangjian/internal/errs"
)

// The second factor is TOTP (RFC 6238) as every authenticator app reads it:
// SHA-1, six digits, a 30-second step. A code is accepted one step either
// side of the server's clock (phones drift), and never twice: the store
// keeps the last accepted step of each account.
const (
	TOTPStep      = 30 * time.Second
	totpSkew      = 1
	totpIssuer    = "政法党建云平台"
	RecoveryCount = 10 // recovery codes issued at a time
)

// ChallengeTTL is how long the second step of a login waits for its code.
const ChallengeTTL = 5 * time.Minute

var totpOpts = totp.ValidateOpts{Period: uint(TOTPStep / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret makes a fresh secret for an account's authenticator.
func NewTOTPSecret(username string) (string, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Period: totpOpts.Period,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return "", err
	}
	return k.Secret(), nil
}

// TOTPURL is the otpauth:// address a secret's QR code carries, in the
// form the authenticator apps read (Google Authenticator's Key URI format).
func TOTPURL(username, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", totpIssuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + username, RawQuery: v.Encode()}
	return u.String()
}

// TOTPCode is the code of a secret at a moment (tests and the demo's
// printed hints use it; a login never needs it).
func TOTPCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at, totpOpts)
}

// TOTPStepAt is the number of the step a moment falls in.
func TOTPStepAt(at time.Time) int64 { return at.Unix() / int64(TOTPStep/time.Second) }

// CheckTOTP finds the step a code belongs to, within the allowed skew of now,
// and later than after (the last step this account used): a code seen once
// is refused ever after, even inside its 30 seconds.
func CheckTOTP(secret, code string, now time.Time, after int64) (step int64, err error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return 0, errs.Field("code", "required")
	}
	if len(code) != totpOpts.Digits.Length() || strings.Trim(code, "0123456789") != "" {
		return 0, errs.Field("code", "totp.format")
	}
	now0 := TOTPStepAt(now)
	for d := -totpSkew; d <= totpSkew; d++ {
		step := now0 + int64(d)
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*int64(TOTPStep/time.Second), 0), totpOpts)
		if err != nil {
			return 0, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if step <= after {
				return 0, errs.Field("code", "totp.used")
			}
			return step, nil
		}
	}
	return 0, errs.Field("code", "totp.wrong")
}

// recoveryAlphabet has no letters that read as digits or each other
// (no 0/o, 1/l/i), so a code copied from paper types back right.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewRecoveryCodes makes the one-time codes that stand in for a lost phone,
// as shown once to the owner ("xxxxx-xxxxx", 49 bits each), and their
// hashes, which are all the database keeps.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic(err) // the system's randomness failing is not recoverable
		}
		var sb strings.Builder
		for i, c := range b {
			if i == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[int(c)%len(recoveryAlphabet)])
		}
		codes = append(codes, sb.String())
		hashes = append(hashes, HashRecoveryCode(sb.String()))
	}
	return codes, hashes
}

// HashRecoveryCode is how a typed recovery code is looked up: spaces, dashes
// and case do not matter.
func HashRecoveryCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, strings.TrimSpace(code))
	sum := sha256.Sum256([]byte("recovery:" + norm))
	return hex.EncodeToString(sum[:])
}

// LooksLikeRecoveryCode tells a recovery code from a six-digit TOTP code in
// the one box of the login's second step.
func LooksLikeRecoveryCode(code string) bool {
	return len(strings.TrimSpace(code)) > totpOpts.Digits.Length()
}

// Challenge is the second step of a login: the password was right, the
// session waits for a code. Only the hash of its token is stored.
type Challenge struct {
	TokenHash string
	UserID    int64
	// Enrol is set when the account has no authenticator yet: Secret is the
	// one offered, kept until the first code proves the phone has it.
	Enrol     bool
	Secret    string
	ExpiresAt time.Time
	// SignedIn marks an owner setting up an authenticator from their own
	// page, not a login.
	SignedIn bool
}

// SecondFactorPolicy says which roles must give a code at login. The three
// administrators always must, whatever the setting (SECURITY.md 3).
type SecondFactorPolicy map[Role]bool

// Requires reports whether an account of the role must use a second factor.
func (p SecondFactorPolicy) Requires(r Role) bool { return r.IsAdmin() || p[r] }
