package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// SessionPolicy is configuration: how long a session lives.
type SessionPolicy struct {
	Idle     time.Duration // ended after this long without a request
	Absolute time.Duration // ended this long after login whatever happens
}

// DefaultSessionPolicy: 30 idle minutes, 12 hours at most.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// LockoutPolicy is configuration: how many failures lock an account, for how long.
type LockoutPolicy struct {
	MaxFailures int
	LockFor     time.Duration
}

// DefaultLockoutPolicy: 5 failures lock for 30 minutes (等保).
var DefaultLockoutPolicy = LockoutPolicy{MaxFailures: 5, LockFor: 30 * time.Minute}

// NewToken returns a 256-bit random session token for the cookie and the hash
// the database keeps; a stolen database copy yields no usable session.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how a presented token is looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session is a login. Only the token's hash is stored, in the database, so any
// instance behind a load balancer can check it and logout ends it everywhere.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute end
	IP        string
	UserAgent string
}
