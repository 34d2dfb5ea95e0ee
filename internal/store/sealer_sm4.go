package store

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// ErrTampered says a sealed value does not pass its authentication: it was
// changed in the database, or sealed under a key this installation lacks.
// It is reported, never shown as data.
var ErrTampered = errors.New("a sealed field fails its integrity check")

// Keys are the keys of field encryption, read from configuration (a file
// or the environment, never the database). Data keys are numbered: values
// are sealed under the highest, and read under the one their prefix names,
// so a key can be rotated while older values (and audit snapshots, which
// are never rewritten) stay readable. The index key makes the blind index;
// it does not rotate.
type Keys struct {
	Data  map[int][]byte // SM4 keys of 16 bytes, by number
	Index []byte         // HMAC-SM3 key, 32 bytes or more
}

// ParseKeys reads a key file: lines "index=<hex>" and "key.N=<hex>";
// blank lines and lines starting with # are ignored.
func ParseKeys(text string) (Keys, error) {
	k := Keys{Data: map[int][]byte{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		b, err := hex.DecodeString(strings.TrimSpace(value))
		if !ok || err != nil {
			return k, fmt.Errorf("key file line %d: want name=hex", n+1)
		}
		name = strings.TrimSpace(name)
		switch {
		case name == "index":
			if len(b) < 32 {
				return k, fmt.Errorf("key file line %d: the index key needs 32 bytes or more", n+1)
			}
			k.Index = b
		case strings.HasPrefix(name, "key."):
			id, err := strconv.Atoi(strings.TrimPrefix(name, "key."))
			if err != nil || id < 1 || len(b) != 16 {
				return k, fmt.Errorf("key file line %d: want key.N= followed by 32 hex digits (an SM4 key), N from 1", n+1)
			}
			k.Data[id] = b
		default:
			return k, fmt.Errorf("key file line %d: unknown name %q", n+1, name)
		}
	}
	if len(k.Data) == 0 || k.Index == nil {
		return k, errors.New("the key file needs an index key and at least one key.N")
	}
	return k, nil
}

// Current is the number of the key new values are sealed under.
func (k Keys) Current() int {
	top := 0
	for id := range k.Data {
		top = max(top, id)
	}
	return top
}

// sm4Sealer seals with SM4 in GCM mode (authenticated: a changed byte is
// detected) and indexes with HMAC-SM3. A sealed value reads
// "sm4:N:<base64 of nonce|ciphertext|tag>", N the key's number; a value
// without the prefix is plain text from before encryption was turned on
// (dangjian keys rotate seals those too).
type sm4Sealer struct {
	keys    Keys
	aeads   map[int]cipher.AEAD
	current int
}

const sealPrefix = "sm4:"

// NewSM4Sealer prepares the sealer for the keys.
func NewSM4Sealer(k Keys) (Sealer, error) {
	s := &sm4Sealer{keys: k, aeads: map[int]cipher.AEAD{}, current: k.Current()}
	for id, key := range k.Data {
		block, err := sm4.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.aeads[id] = aead
	}
	return s, nil
}

func (s *sm4Sealer) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	aead := s.aeads[s.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(sealPrefix))
	return sealPrefix + strconv.Itoa(s.current) + ":" + base64.RawStdEncoding.EncodeToString(out), nil
}

func (s *sm4Sealer) Open(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return sealed, nil // plain, from before encryption
	}
	num, body, ok := strings.Cut(rest, ":")
	id, err := strconv.Atoi(num)
	aead := s.aeads[id]
	if !ok || err != nil || aead == nil {
		return "", ErrTampered
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", ErrTampered
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(sealPrefix))
	if err != nil {
		return "", ErrTampered
	}
	return string(plain), nil
}

func (s *sm4Sealer) Index(plain string) string {
	m := hmac.New(sm3.New, s.keys.Index)
	m.Write([]byte(strings.ToUpper(plain)))
	return "h:" + hex.EncodeToString(m.Sum(nil))
}

// sealedUnder reports the key number a stored value is sealed under; 0 for
// plain text.
func sealedUnder(stored string) int {
	rest, ok := strings.CutPrefix(stored, sealPrefix)
	if !ok {
		return 0
	}
	num, _, _ := strings.Cut(rest, ":")
	n, _ := strconv.Atoi(num)
	return n
}
