package store

import "context"

// TamperAuditForTest tries what an attacker with the application's database
// access would: edit an audit record. The schema must refuse it.
func (s *Store) TamperAuditForTest(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, "UPDATE audit_log SET username = 'nobody'")
	if err == nil {
		_, err = s.w.ExecContext(ctx, "DELETE FROM audit_log")
	}
	return err
}
