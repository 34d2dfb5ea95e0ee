package store

import (
	"context"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
)

// What the reminder scan reads: whole-installation reads by the system's own
// job (no user's scope applies; each reminder goes to one user about what
// that user may see).

// Recipient is an account a reminder can go to.
type Recipient struct {
	UserID   int64
	Role     auth.Role
	PersonID int64
}

// EventAudience is a planned event with the accounts of the people expected
// at it.
type EventAudience struct {
	Event event.Event
	Users []Recipient
}

// EventsStarting lists the events (not cancelled) planned to start in
// [from, to) with the accounts of those expected: the frozen list when it
// is taken, otherwise the list the roster gives now.
func (s *Store) EventsStarting(ctx context.Context, from, to time.Time) ([]EventAudience, error) {
	rows, err := s.query(ctx, "SELECT "+eventCols+eventFrom+` WHERE e.status <> 'cancelled' AND e.planned_start >= ? AND e.planned_start < ?
		ORDER BY e.planned_start, e.id LIMIT 10000`, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	var list []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]EventAudience, 0, len(list))
	for _, e := range list {
		var people []int64
		if e.FrozenAt.IsZero() {
			people, err = s.expectedPeople(ctx, s, &e)
		} else {
			people, err = idList(ctx, s, "SELECT DISTINCT person_id FROM event_attendance WHERE event_id = ? AND expected ORDER BY person_id", e.ID)
		}
		if err != nil {
			return nil, err
		}
		users, err := s.accountsOf(ctx, people)
		if err != nil {
			return nil, err
		}
		out = append(out, EventAudience{Event: e, Users: users})
	}
	return out, nil
}

// accountsOf lists the working accounts of people, in batches.
func (s *Store) accountsOf(ctx context.Context, people []int64) ([]Recipient, error) {
	var out []Recipient
	for len(people) > 0 {
		n := min(len(people), 500)
		batch := people[:n]
		people = people[n:]
		rows, err := s.query(ctx, `SELECT id, role, person_id FROM users WHERE NOT disabled AND password_hash <> ''
			AND person_id IN (`+placeholders(len(batch))+`) ORDER BY id`, int64sAny(batch)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r Recipient
			if err := rows.Scan(&r.UserID, &r.Role, &r.PersonID); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OrgManagers lists, for each organisation, the accounts that answer for
// its organisational life: the accounts of branch or committee staff whose
// scope is that organisation, and the account of its sitting 书记.
func (s *Store) OrgManagers(ctx context.Context, orgIDs []int64) (map[int64][]Recipient, error) {
	out := map[int64][]Recipient{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	today := date.FromTime(s.Now().In(event.China))
	for len(orgIDs) > 0 {
		n := min(len(orgIDs), 400)
		batch := int64sAny(orgIDs[:n])
		orgIDs = orgIDs[n:]
		args := append(append([]any{}, batch...), today, today)
		args = append(args, batch...)
		rows, err := s.query(ctx, `SELECT c.org_id, u.id, u.role, COALESCE(u.person_id, 0) FROM committee_members c JOIN users u ON u.person_id = c.person_id
			WHERE c.org_id IN (`+placeholders(n)+`) AND c.position = '书记' AND c.from_date <= ? AND (c.to_date IS NULL OR c.to_date >= ?)
			AND NOT u.disabled AND u.password_hash <> ''
			UNION
			SELECT u.org_id, u.id, u.role, COALESCE(u.person_id, 0) FROM users u
			WHERE u.org_id IN (`+placeholders(n)+`) AND u.role IN ('branch_admin', 'committee_admin') AND NOT u.disabled AND u.password_hash <> ''
			ORDER BY 1, 2`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var org int64
			var r Recipient
			if err := rows.Scan(&org, &r.UserID, &r.Role, &r.PersonID); err != nil {
				rows.Close()
				return nil, err
			}
			out[org] = append(out[org], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OutstandingMakeup is a held session someone was expected at, missed (on
// leave or absent) and has not made up, though its kind allows make-up.
type OutstandingMakeup struct {
	EventID int64
	Title   string
	HeldOn  date.Date
	User    Recipient
}

// OutstandingMakeups lists the make-ups outstanding for sessions held on or
// after since, for the people who have an account.
func (s *Store) OutstandingMakeups(ctx context.Context, since date.Date) ([]OutstandingMakeup, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT e.id, e.title, e.held_on, u.id, u.role, u.person_id
		FROM event_attendance a JOIN events e ON e.id = a.event_id JOIN event_kinds k ON k.id = e.kind_id
		JOIN users u ON u.person_id = a.person_id
		WHERE e.status = 'held' AND e.held_on >= ? AND k.allows_makeup AND a.expected AND a.mark IN ('leave', 'absent')
		AND a.made_up_on IS NULL AND NOT u.disabled AND u.password_hash <> ''
		AND NOT EXISTS (SELECT 1 FROM event_attendance b WHERE b.event_id = a.event_id AND b.person_id = a.person_id AND b.made_up_on IS NOT NULL)
		ORDER BY e.id, u.id LIMIT 20000`, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutstandingMakeup
	for rows.Next() {
		var m OutstandingMakeup
		if err := rows.Scan(&m.EventID, &m.Title, &m.HeldOn, &m.User.UserID, &m.User.Role, &m.User.PersonID); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
