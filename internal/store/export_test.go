package store

import (
	"context"

	"dangjian/internal/auth"
	"dangjian/internal/event"
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

// EventsOneByOneForTest reads the held events of a subtree in a span one by
// one (each event's kinds, speakers, decisions and marks, learning computed
// from its kinds) and adds them up in Go, one tally per event: the oracle
// the grouped EventFigureInput must equal. The roster and notes are left
// out.
func (s *Store) EventsOneByOneForTest(ctx context.Context, sub auth.Scope, span event.Span) (event.FigureInput, error) {
	in := event.FigureInput{Span: span, HeldByKind: map[int64]int{}}
	cond, args := heldIn(sub, span)
	index := map[int64]int{}
	err := s.eachRow(ctx, `SELECT e.id, e.held_on, `+learningOf("e.id")+`, e.credit_tenths,
		(SELECT COUNT(*) FROM event_speakers sp WHERE sp.event_id = e.id), (SELECT COUNT(*) FROM event_decisions d WHERE d.event_id = e.id)
		FROM events e WHERE `+cond, args, func(scan func(...any) error) error {
		var id int64
		t := event.Tally{Events: 1}
		if err := scan(&id, &t.HeldOn, &t.Learning, &t.Credit, &t.Speakers, &t.Decisions); err != nil {
			return err
		}
		index[id] = len(in.Tallies)
		in.Tallies = append(in.Tallies, t)
		return nil
	})
	if err != nil {
		return in, err
	}
	if err := s.eachRow(ctx, `SELECT l.kind_id FROM event_kind_links l JOIN events e ON e.id = l.event_id WHERE `+cond, args,
		func(scan func(...any) error) error {
			var kind int64
			err := scan(&kind)
			in.HeldByKind[kind]++
			return err
		}); err != nil {
		return in, err
	}
	expected, covered := map[int64]bool{}, map[int64]bool{}
	err = s.eachRow(ctx, `SELECT a.event_id, a.person_id, a.expected, a.mark, a.made_up_on IS NOT NULL FROM event_attendance a JOIN events e ON e.id = a.event_id WHERE `+cond, args,
		func(scan func(...any) error) error {
			var id, person int64
			var exp, madeUp bool
			var mark event.Mark
			if err := scan(&id, &person, &exp, &mark, &madeUp); err != nil {
				return err
			}
			t := &in.Tallies[index[id]]
			if exp {
				t.Expected++
			}
			if mark == event.Present {
				t.Present++
				if exp {
					t.PresentExpected++
				}
			}
			if madeUp {
				t.MadeUp++
			}
			if t.Learning && exp {
				expected[person] = true
				if mark == event.Present || madeUp {
					covered[person] = true
				}
			}
			return nil
		})
	in.LearningExpected, in.LearningCovered = len(expected), len(covered)
	return in, err
}

// SettingForTest is a setting of PostgreSQL as a connection of the store
// sees it.
func (s *Store) SettingForTest(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&v)
	return v, err
}
