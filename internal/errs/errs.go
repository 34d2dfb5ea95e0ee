// Package errs holds the domain errors every layer speaks. Storage turns driver
// errors into these; the HTTP layer turns these into status codes and Chinese
// messages. Messages are keys into the catalogue in package msg, never text.
package errs

import (
	"errors"
	"sort"
	"strings"
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
