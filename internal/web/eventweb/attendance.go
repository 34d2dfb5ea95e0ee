package eventweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// attendanceOut is an event's list and marks as the API answers it.
type attendanceOut struct {
	Frozen bool               `json:"frozen"` // false: nobody is on the list yet (it is taken when the event starts)
	Items  []event.Attendance `json:"items"`
	Quorum []event.Quorum     `json:"quorum"` // for kinds that need one: a warning, never enforced
}

// markedOut says how many rows a batch or an import changed.
type markedOut struct {
	Changed int `json:"changed"`
	Marks   int `json:"marks"`
}

// readMarks reads the rows of a batch: parallel lists marks.person_id,
// marks.day, marks.mark … (a form's table, or a JSON list of objects).
func readMarks(f form, v *errs.Invalid) []event.MarkInput {
	var out []event.MarkInput
	for i, r := range rows(f, "marks", []string{"person_id", "day", "mark", "leave_reason", "made_up_on", "makeup_how"}, v) {
		m := event.MarkInput{Mark: event.Mark(r[2]), LeaveReason: r[3], MakeupHow: r[5]}
		field := "marks." + strconv.Itoa(i) + "."
		id, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil || id <= 0 {
			v.Add(field+"person_id", "number.format")
		}
		m.PersonID = id
		var derr error
		if m.Day, derr = date.Parse(r[1]); derr != nil {
			v.Add(field+"day", "date.format")
		}
		if m.MadeUpOn, derr = date.Parse(r[4]); derr != nil {
			v.Add(field+"made_up_on", "date.format")
		}
		out = append(out, m)
	}
	if len(out) > event.MaxBatch {
		v.Add("marks", "event.batch_too_large")
	}
	return out
}

// mark applies a batch from the request; rowErrors holds a message per bad
// row (by its index) so the page shows it beside the row.
func (s *area) mark(r *http.Request, c *web.Call, id int64) (changed, n int, rowErrors map[int]string, err error) {
	// The event first: outside the scope it does not exist, whatever was sent.
	e, err := s.st.Event(r.Context(), c.Scope, id)
	if err != nil {
		return 0, 0, nil, err
	}
	f, err := readForm(r)
	if err != nil {
		return 0, 0, nil, err
	}
	var v errs.Invalid
	marks := readMarks(f, &v)
	if err := v.Err(); err != nil {
		return 0, 0, nil, err
	}
	if len(marks) == 0 {
		return 0, 0, nil, errs.Field("marks", "required")
	}
	kinds, err := s.st.EventKinds(r.Context())
	if err != nil {
		return 0, 0, nil, err
	}
	k := kindOf(kinds, e.KindID)
	days := e.Days()
	rowErrors = map[int]string{}
	var bad errs.Invalid
	for i := range marks {
		if err := marks[i].Validate(days, k, ""); err != nil {
			fields := web.InvalidFields(err)
			for field, text := range fields {
				rowErrors[i] = text
				bad.Add("marks."+strconv.Itoa(i)+"."+field, firstKey(err, field))
				break
			}
		}
	}
	if len(rowErrors) > 0 {
		return 0, len(marks), rowErrors, &bad
	}
	changed, err = s.st.MarkAttendance(r.Context(), c.Actor, c.Scope, id, marks, event.BySecretary)
	return changed, len(marks), nil, err
}

func firstKey(err error, field string) string {
	if inv, ok := err.(*errs.Invalid); ok {
		return inv.Fields[field]
	}
	return "invalid"
}

func kindOf(kinds []event.Kind, id int64) *event.Kind {
	for i := range kinds {
		if kinds[i].ID == id {
			return &kinds[i]
		}
	}
	return nil
}

func (s *area) markPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	_, _, rowErrors, err := s.mark(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, perr := s.eventPage(r, c, id)
		if perr != nil {
			return perr
		}
		p.Errors = fields
		if len(rowErrors) > 0 {
			// Show what was typed, with the message beside each bad row.
			f, _ := readForm(r)
			var v errs.Invalid
			typed := readMarks(f, &v)
			for i := range p.Rows {
				if i < len(typed) && typed[i].PersonID == p.Rows[i].PersonID {
					t := typed[i]
					p.Rows[i].Mark, p.Rows[i].LeaveReason, p.Rows[i].MadeUpOn, p.Rows[i].MakeupHow = t.Mark, t.LeaveReason, t.MadeUpOn, t.MakeupHow
				}
				p.Rows[i].Error = rowErrors[i]
			}
			p.Errors = map[string]string{"": msg.Text("error.invalid")}
		}
		return s.Render(w, r, status, "event_show", p)
	}, "/events/"+strconv.FormatInt(id, 10)+"?notice=marks_saved#attendance")
}

func (s *area) apiAttendance(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.eventPage(r, c, id)
	if err != nil {
		return err
	}
	list, err := s.st.EventAttendance(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, attendanceOut{Frozen: !p.Event.FrozenAt.IsZero(), Items: orEmpty(list), Quorum: orEmpty(p.Quorum)})
	return nil
}

func (s *area) apiMark(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	changed, n, _, err := s.mark(r, c, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, markedOut{Changed: changed, Marks: n})
	return nil
}
