package store

import (
	"context"
)

// TamperAuditForTest tries what an attacker with the application's database
// access would: edit an audit record, and delete one. The schema must refuse
// both; each attempt's error is returned on its own.
func (s *Store) TamperAuditForTest(ctx context.Context) (updateErr, deleteErr error) {
	_, updateErr = s.w.ExecContext(ctx, "UPDATE audit_log SET username = 'nobody'")
	_, deleteErr = s.w.ExecContext(ctx, "DELETE FROM audit_log")
	return updateErr, deleteErr
}

// DeleteAuditUpToForTest tries to delete the audit records up to an id
// directly, as a careless administrator with the database's password would.
func (s *Store) DeleteAuditUpToForTest(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM audit_log WHERE id <= ?"), id)
	return err
}

// LearningMismatchesForTest counts the events whose stored learning flag
// differs from the one computed from their kinds from scratch.
func (s *Store) LearningMismatchesForTest(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM events e WHERE e.learning <> "+learningOf("e.id")).Scan(&n)
	return n, err
}
