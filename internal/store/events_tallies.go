package store

import "context"

// FoldTallies adds the differences waiting in event_tally_deltas into their
// events' tallies and removes them, in one transaction, and says how many
// it folded. Figures are right either way (they add what waits); folding
// keeps what they add small. Instances folding at once never fold a
// difference twice: the one statement deletes what it adds, and a row
// another fold deleted first is skipped. Only PostgreSQL's marks leave
// differences.
func (s *Store) FoldTallies(ctx context.Context) (int64, error) {
	if s.dialect != Postgres {
		return 0, nil // SQLite's triggers update the tallies at once and leave none
	}
	var n int64
	err := s.inTx(ctx, func(t *tx) error {
		return t.queryRow(ctx, `WITH gone AS (DELETE FROM event_tally_deltas RETURNING *),
			sums AS (SELECT event_id, SUM(expected) AS expected, SUM(present) AS present, SUM(present_expected) AS present_expected,
				SUM(made_up) AS made_up, COUNT(*) AS n FROM gone GROUP BY event_id),
			folded AS (UPDATE events e SET tally_expected = e.tally_expected + s.expected, tally_present = e.tally_present + s.present,
				tally_present_expected = e.tally_present_expected + s.present_expected, tally_made_up = e.tally_made_up + s.made_up
				FROM sums s WHERE e.id = s.event_id RETURNING s.n)
			SELECT COALESCE(SUM(n), 0)::bigint FROM folded`).Scan(&n)
	})
	return n, err
}
