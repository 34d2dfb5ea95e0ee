package store

import "strings"

// Sealer protects sensitive columns (ID number, phone, authenticator keys).
// Seal and Open wrap the value stored; Index is the exact-match blind index
// stored beside it, so a sealed column can still be searched and kept
// unique. Without keys configured the plain sealer stores the text as it
// is; with them, SM4 seals and HMAC-SM3 indexes (sealer_sm4.go).
type Sealer interface {
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
	Index(plain string) string
}

type plainSealer struct{}

func (plainSealer) Seal(p string) (string, error) { return p, nil }
func (plainSealer) Open(s string) (string, error) { return s, nil }
func (plainSealer) Index(p string) string         { return strings.ToUpper(p) }
