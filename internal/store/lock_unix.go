//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// ErrInUse refuses a restore while any process has the database open.
var ErrInUse = errors.New("the database is in use: stop the service (and any other dangjian command) first")

// lockFile takes a lock on dataDir's lock file: shared for every process
// that opens the database, exclusive for a restore, which must be alone.
func lockFile(path string, exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, err
	}
	return f, nil
}
