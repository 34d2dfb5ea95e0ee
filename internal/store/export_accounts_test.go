package store

import (
	"context"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/pressly/goose/v3"
)

// MigrateToForTest applies the migrations up to a version, so a test can
// put data in an older schema and watch a later migration handle it.
func (s *Store) MigrateToForTest(ctx context.Context, version int64) error {
	p, err := s.gooseForTest()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// MigrateAgainForTest takes the migrations from version on down and applies
// them again as an upgrade does (Migrate), as on a database that held
// records before they landed.
func (s *Store) MigrateAgainForTest(ctx context.Context, version int64) error {
	p, err := s.gooseForTest()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version-1); err != nil {
		return err
	}
	_, err = s.Migrate(ctx)
	return err
}

func (s *Store) gooseForTest() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	return goose.NewProvider(d, s.w, sub)
}

// ExecForTest runs a statement as written ('?' placeholders), for data an
// older schema held.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.w.ExecContext(ctx, s.rebind(q), args...)
	return err
}

// MigrateWithoutForTest applies every migration but one, as a database
// migrated before that migration's branch landed would be.
func (s *Store) MigrateWithoutForTest(ctx context.Context, version int64) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return err
	}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return err
	}
	without := fstest.MapFS{}
	for _, e := range entries {
		var n int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &n); err == nil && n == version {
			continue
		}
		b, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			return err
		}
		without[e.Name()] = &fstest.MapFile{Data: b}
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, s.w, without)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}
