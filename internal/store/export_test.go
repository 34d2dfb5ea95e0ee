package store

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// TamperAuditForTest tries what an attacker with the application's database
// access would: edit an audit record. The schema must refuse it.
func (s *Store) TamperAuditForTest(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, "UPDATE audit_log SET username = 'nobody'")
	if err == nil {
		_, err = s.w.ExecContext(ctx, "DELETE FROM audit_log")
	}
	return err
}

// MigrateToForTest applies the migrations up to and including version, so a
// test can fill the schema as it stood before a later migration.
func (s *Store) MigrateToForTest(ctx context.Context, version int64) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return err
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, s.w, sub)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// ExecForTest runs a statement as it is, for data no store method would write.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.w.ExecContext(ctx, s.rebind(q), args...)
	return err
}
