package store

import (
	"context"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
)

const planCols = `p.id, p.org_id, p.org_path, o.name, p.title, p.description, p.from_date, p.to_date, p.version, p.created_at,
	(SELECT COUNT(*) FROM learning_plan_sessions s WHERE s.plan_id = p.id)`

const planFrom = ` FROM learning_plans p JOIN orgs o ON o.id = p.org_id`

func scanPlan(r scanner) (learning.Plan, error) {
	var p learning.Plan
	err := r.Scan(&p.ID, &p.OrgID, &p.OrgPath, &p.OrgName, &p.Title, &p.Description, &p.From, &p.To, &p.Version, &p.CreatedAt, &p.Sessions)
	return p, mapErr(err)
}

// planScopeCond limits plans to the scope's subtree; a member's scope sees
// the plans of the organisations above them (they are what they study).
func planScopeCond(sc auth.Scope, alias string) (string, []any) {
	if sc.PersonID != 0 {
		return "EXISTS (SELECT 1 FROM people me WHERE me.id = ? AND me.org_path LIKE " + alias + ".org_path || '%')", []any{sc.PersonID}
	}
	lo, hi := sc.PathRange()
	return alias + ".org_path >= ? AND " + alias + ".org_path < ?", []any{lo, hi}
}

// LearningPlans lists the plans of the scope, newest first.
func (s *Store) LearningPlans(ctx context.Context, sc auth.Scope) ([]learning.Plan, error) {
	cond, args := planScopeCond(sc, "p")
	rows, err := s.query(ctx, "SELECT "+planCols+planFrom+" WHERE "+cond+" ORDER BY p.from_date DESC, p.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []learning.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// LearningPlan reads one plan with its schedules and readings.
func (s *Store) LearningPlan(ctx context.Context, sc auth.Scope, id int64) (*learning.Plan, error) {
	return s.plan(ctx, s, sc, id)
}

func (s *Store) plan(ctx context.Context, q querier, sc auth.Scope, id int64) (*learning.Plan, error) {
	cond, args := planScopeCond(sc, "p")
	p, err := scanPlan(q.queryRow(ctx, "SELECT "+planCols+planFrom+" WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, `SELECT id, kind_id, title, repeat_rule, weekday, month_day, start_clock, minutes, place
		FROM learning_schedules WHERE plan_id = ? ORDER BY sort_order, id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sch learning.Schedule
		var wd int
		if err := rows.Scan(&sch.ID, &sch.KindID, &sch.Title, &sch.Repeat, &wd, &sch.MonthDay, &sch.Start, &sch.Minutes, &sch.Place); err != nil {
			rows.Close()
			return nil, err
		}
		sch.Weekday = time.Weekday(wd)
		p.Schedules = append(p.Schedules, sch)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rrows, err := q.query(ctx, `SELECT r.material_id, m.title, r.required FROM learning_readings r JOIN learning_materials m ON m.id = r.material_id
		WHERE r.plan_id = ? ORDER BY r.sort_order, r.material_id`, id)
	if err != nil {
		return nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var r learning.Reading
		if err := rrows.Scan(&r.MaterialID, &r.Title, &r.Required); err != nil {
			return nil, err
		}
		p.Readings = append(p.Readings, r)
	}
	return &p, rrows.Err()
}

// planRefs checks what a plan refers to: its organisation in the scope,
// kinds that count as learning, materials the scope sees.
func (t *tx) planRefs(ctx context.Context, sc auth.Scope, p *learning.Plan) (string, error) {
	o, err := t.org(ctx, sc, p.OrgID)
	if err != nil {
		return "", notFoundAs(err, "org_id", "org.unknown")
	}
	p.OrgPath, p.OrgName = o.Path, o.Name
	learningKinds := map[int64]bool{}
	for _, sch := range p.Schedules {
		if k, err := t.kind(ctx, sch.KindID); err == nil && k.CountsAsLearning && !k.Disabled {
			learningKinds[k.ID] = true
		}
	}
	p.Normalize()
	if err := p.Validate(func(id int64) bool { return learningKinds[id] }); err != nil {
		return "", err
	}
	for i, r := range p.Readings {
		m, err := t.s.material(ctx, t, sc, r.MaterialID)
		if err != nil {
			return "", notFoundAs(err, "readings", "learning.reading_unknown")
		}
		p.Readings[i].Title = m.Title
	}
	return o.Path, nil
}

// SaveLearningPlan creates a plan (ID 0) or saves an edited one (its
// Version the one the edit started from), with its schedules and readings.
// Sessions already created stay; CreatePlanSessions adds the missing ones.
func (s *Store) SaveLearningPlan(ctx context.Context, a audit.Actor, sc auth.Scope, p *learning.Plan) error {
	return s.inTx(ctx, func(t *tx) error {
		var before *learning.Plan
		if p.ID != 0 {
			old, err := t.s.plan(ctx, t, sc, p.ID)
			if err != nil {
				return err
			}
			if old.OrgID != p.OrgID {
				return errs.Field("org_id", "learning.org_fixed")
			}
			before = old
		}
		path, err := t.planRefs(ctx, sc, p)
		if err != nil {
			return err
		}
		now := t.s.Now()
		if p.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO learning_plans (org_id, org_path, title, description, from_date, to_date, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, p.OrgID, path, p.Title, p.Description, p.From, p.To, now, now)
			if err != nil {
				return err
			}
			p.ID, p.Version, p.CreatedAt = id, 1, now
		} else {
			if err := t.update(ctx, `UPDATE learning_plans SET title = ?, description = ?, from_date = ?, to_date = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ?`, p.Title, p.Description, p.From, p.To, now, p.ID, p.Version); err != nil {
				return err
			}
			p.Version++
		}
		for _, table := range []string{"learning_schedules", "learning_readings"} {
			if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE plan_id = ?", p.ID); err != nil {
				return err
			}
		}
		for i := range p.Schedules {
			sch := &p.Schedules[i]
			id, err := t.insert(ctx, `INSERT INTO learning_schedules (plan_id, kind_id, title, repeat_rule, weekday, month_day, start_clock, minutes, place, sort_order)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, sch.KindID, sch.Title, sch.Repeat, int(sch.Weekday), sch.MonthDay, sch.Start, sch.Minutes, sch.Place, i)
			if err != nil {
				return err
			}
			sch.ID = id
		}
		for i, r := range p.Readings {
			if _, err := t.exec(ctx, "INSERT INTO learning_readings (plan_id, material_id, required, sort_order) VALUES (?, ?, ?, ?)",
				p.ID, r.MaterialID, r.Required, i); err != nil {
				return err
			}
		}
		action := "learning.plan_create"
		if before != nil {
			action = "learning.plan_update"
		}
		ch := Change{Action: action, ObjectType: "learning_plan", ObjectID: p.ID, OrgPath: path, After: p}
		if before != nil {
			ch.Before = before
		}
		return t.audit(ctx, a, ch)
	})
}

// CreatePlanSessions creates the planned sessions of a plan's schedules that
// do not exist yet, all in one transaction: each an event of the schedule's
// kind, of the plan's organisation, with the kind's audience and 学时. Days
// already past are skipped unless pastToo (a plan entered late records what
// was planned). It returns how many it created.
func (s *Store) CreatePlanSessions(ctx context.Context, a audit.Actor, sc auth.Scope, planID int64, pastToo bool) (int, error) {
	created := 0
	err := s.inTx(ctx, func(t *tx) error {
		created = 0
		p, err := t.s.plan(ctx, t, sc, planID)
		if err != nil {
			return err
		}
		today := date.FromTime(t.s.Now().In(event.China))
		for _, ses := range p.Planned(event.China) {
			if !pastToo && ses.Day.Before(today) {
				continue
			}
			var n int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM learning_plan_sessions WHERE plan_id = ? AND title = ? AND day = ?",
				p.ID, ses.Schedule.Title, ses.Day).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n > 0 {
				continue
			}
			e := event.Event{OrgID: p.OrgID, KindID: ses.Schedule.KindID, Title: ses.Schedule.Title, Status: event.Planned,
				PlannedStart: ses.Start, PlannedEnd: ses.End, Place: ses.Schedule.Place}
			if err := t.createEvent(ctx, a, sc, &e, nil); err != nil {
				return err
			}
			if _, err := t.exec(ctx, "INSERT INTO learning_plan_sessions (plan_id, event_id, title, day) VALUES (?, ?, ?, ?)",
				p.ID, e.ID, ses.Schedule.Title, ses.Day); err != nil {
				return err
			}
			created++
		}
		return t.audit(ctx, a, Change{Action: "learning.plan_sessions", ObjectType: "learning_plan", ObjectID: p.ID, OrgPath: p.OrgPath,
			After: map[string]any{"created": created}})
	})
	return created, err
}

// PlanSessions lists the events a plan created, by start.
func (s *Store) PlanSessions(ctx context.Context, sc auth.Scope, planID int64) ([]event.Event, error) {
	if _, err := s.LearningPlan(ctx, sc, planID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT "+eventCols+eventFrom+" JOIN learning_plan_sessions ps ON ps.event_id = e.id WHERE ps.plan_id = ? ORDER BY e.planned_start, e.id LIMIT 1000", planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
