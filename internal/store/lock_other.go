//go:build !unix

package store

import (
	"errors"
	"os"
)

// ErrInUse refuses a restore while any process has the database open.
var ErrInUse = errors.New("the database is in use: stop the service (and any other dangjian command) first")

// lockFile is not enforced where the system has no flock: the operator
// stops the service before a restore.
func lockFile(path string, exclusive bool) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
}
