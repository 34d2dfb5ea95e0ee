package event

import (
	"errors"

	"dangjian/internal/errs"
)

// fieldsOf returns the field problems of a validation error.
func fieldsOf(err error) map[string]string {
	var inv *errs.Invalid
	if errors.As(err, &inv) {
		return inv.Fields
	}
	return map[string]string{"": "invalid"}
}
