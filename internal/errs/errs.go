// Package errs holds the domain errors every layer speaks. Storage turns driver
// errors into these; the HTTP layer turns these into status codes and Chinese
// messages. Messages are keys into the catalogue in package msg, never text.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

var (
	// ErrNotFound means the object does not exist or lies outside the caller's scope;
	// the two are deliberately indistinguishable to the caller.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the caller's role lacks the permission.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means no valid session.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// Conflict is a write refused because of the state of other records
// (a duplicate, a non-empty organisation being closed …).
type Conflict struct {
	Key   string // message key
	Field string // optional field the conflict belongs to
}

func (c *Conflict) Error() string { return "conflict: " + c.Key }

// NewConflict returns a Conflict with a message key.
func NewConflict(field, key string) error { return &Conflict{Key: key, Field: field} }

// Invalid collects per-field problems of one input, each a message key.
// The zero value is empty and ready to use.
type Invalid struct {
	Fields map[string]string
}

// Add records a problem for a field; the first problem of a field wins,
// because it is usually the most basic one (empty before malformed).
func (v *Invalid) Add(field, key string) {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = key
	}
}

// Has reports whether a field already has a problem.
func (v *Invalid) Has(field string) bool { _, ok := v.Fields[field]; return ok }

// Err returns nil when nothing was added, so callers can `return v.Err()`.
func (v *Invalid) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return v
}

func (v *Invalid) Error() string {
	keys := make([]string, 0, len(v.Fields))
	for f, k := range v.Fields {
		keys = append(keys, f+": "+k)
	}
	sort.Strings(keys)
	return "invalid: " + strings.Join(keys, "; ")
}

// Field returns an Invalid with a single problem.
func Field(field, key string) error {
	var v Invalid
	v.Add(field, key)
	return &v
}

// argSep separates a message key from the arguments it carries.
const argSep = "|"

// Keyed is a message key that carries the arguments its text needs, such as
// the limit of "不能超过%s个字": "too_long.max|40". It travels wherever a key
// does (Invalid, Conflict, an import report) and msg.Text fills it in, so
// no layer in between needs to know about arguments.
func Keyed(key string, args ...any) string {
	var b strings.Builder
	b.WriteString(key)
	for _, a := range args {
		b.WriteString(argSep)
		fmt.Fprint(&b, a)
	}
	return b.String()
}

// SplitKey parts a key made by Keyed into the key and its arguments.
func SplitKey(k string) (string, []any) {
	parts := strings.Split(k, argSep)
	if len(parts) == 1 {
		return k, nil
	}
	args := make([]any, len(parts)-1)
	for i, p := range parts[1:] {
		args[i] = p
	}
	return parts[0], args
}

// TooLong is the problem of a text longer than max characters.
func TooLong(max int) string { return Keyed("too_long.max", max) }

// MaxLen records a problem for field when s has more than max characters
// (characters, not bytes: a Chinese name of 40 characters is 120 bytes).
func (v *Invalid) MaxLen(field, s string, max int) {
	if len(s) > max && utf8.RuneCountInString(s) > max {
		v.Add(field, TooLong(max))
	}
}
