package event

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Mark is what the attendance record says of one person on one day.
type Mark string

const (
	Unmarked Mark = "unmarked" // nobody has said yet; counts as absent once the event is held
	Present  Mark = "present"
	Leave    Mark = "leave" // 请假, with a reason
	Absent   Mark = "absent"
)

// Marks in display order.
var Marks = []Mark{Present, Leave, Absent, Unmarked}

// Valid reports whether m is a known mark.
func (m Mark) Valid() bool { return oneOf(m, Marks) }

// Source is how the last mark came in: the secretary's batch marking, an
// Excel import of a paper sheet, or the person's own QR sign-in.
type Source string

const (
	ByNobody    Source = ""
	BySecretary Source = "mark"
	ByImport    Source = "import"
	ByQR        Source = "qr"
)

// Attendance is one person's record for one day of an event. The list is
// frozen (taken from the roster) once, so people who join or leave later do
// not change history; Expected is false for a walk-in who signed in.
type Attendance struct {
	EventID     int64     `json:"event_id"`
	PersonID    int64     `json:"person_id"`
	Name        string    `json:"name"`     // filled on read
	OrgName     string    `json:"org_name"` // filled on read
	Day         date.Date `json:"day"`
	Expected    bool      `json:"expected"`
	Mark        Mark      `json:"mark"`
	LeaveReason string    `json:"leave_reason"`
	MadeUpOn    date.Date `json:"made_up_on"` // 补课: when, for one on leave or absent
	MakeupHow   string    `json:"makeup_how"` // 补课: how (自学材料、观看录像 …)
	Source      Source    `json:"source"`
	MarkedAt    time.Time `json:"marked_at"`
}

// Limits of attendance texts, in characters.
const (
	MaxLeaveReason = 100
	MaxMakeupHow   = 100
	MaxBatch       = 20000
)

// MarkInput is one change of the attendance: a mark for a person and day,
// with the reason of a leave and the make-up of one who missed it.
type MarkInput struct {
	PersonID    int64
	Day         date.Date // zero: the event's first day
	Mark        Mark
	LeaveReason string
	MadeUpOn    date.Date
	MakeupHow   string
}

// Validate checks a mark for an event of the given days and kind. field
// prefixes the field names (a batch names its rows).
func (m *MarkInput) Validate(days []date.Date, k *Kind, field string) error {
	var v errs.Invalid
	m.LeaveReason, m.MakeupHow = strings.TrimSpace(m.LeaveReason), strings.TrimSpace(m.MakeupHow)
	if m.PersonID == 0 {
		v.Add(field+"person_id", "required")
	}
	if m.Day.IsZero() && len(days) > 0 {
		m.Day = days[0]
	}
	if !oneOf(m.Day, days) {
		v.Add(field+"day", "event.day_outside")
	}
	if !m.Mark.Valid() {
		v.Add(field+"mark", "event.mark_unknown")
	}
	checkText(&v, field+"leave_reason", m.LeaveReason, MaxLeaveReason, "event.leave_reason_too_long", false)
	checkText(&v, field+"makeup_how", m.MakeupHow, MaxMakeupHow, "event.makeup_how_too_long", false)
	if m.Mark == Leave && m.LeaveReason == "" {
		v.Add(field+"leave_reason", "event.leave_reason_required")
	}
	if m.Mark != Leave && m.LeaveReason != "" {
		v.Add(field+"leave_reason", "event.leave_reason_only_leave")
	}
	if !m.MadeUpOn.IsZero() || m.MakeupHow != "" {
		switch {
		case k != nil && !k.AllowsMakeup:
			v.Add(field+"made_up_on", "event.makeup_not_allowed")
		case m.Mark != Leave && m.Mark != Absent:
			v.Add(field+"made_up_on", "event.makeup_only_missed")
		case m.MadeUpOn.IsZero():
			v.Add(field+"made_up_on", "event.makeup_date_required")
		case m.MadeUpOn.Before(m.Day):
			v.Add(field+"made_up_on", "event.makeup_before_day")
		case m.MakeupHow == "":
			v.Add(field+"makeup_how", "event.makeup_how_required")
		}
	}
	return v.Err()
}

// Quorum is the quorum of a day of an event whose kind needs one: more than
// half of those expected present (支委会: of the committee). It is shown as a
// warning, never enforced: the record says what happened.
type Quorum struct {
	Day      date.Date `json:"day"`
	Expected int       `json:"expected"`
	Present  int       `json:"present"`
	Needed   int       `json:"needed"` // the fewest present that make a quorum
	Met      bool      `json:"met"`
}

// QuorumOf counts a day's quorum.
func QuorumOf(day date.Date, expected, present int) Quorum {
	needed := expected/2 + 1
	return Quorum{Day: day, Expected: expected, Present: present, Needed: needed, Met: expected > 0 && present >= needed}
}
