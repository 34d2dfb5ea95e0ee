package eventweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// showPage is the event page: its record, its attendance with the form to
// mark it, its quorum, its files, and (for those who may) the edit form.
type showPage struct {
	formPage
	Event     *event.Event
	Kind      *event.Kind
	KindNames []string
	Days      []date.Date
	Rows      []markRow
	Counts    markCounts
	Quorum    []event.Quorum
	Files     []store.EventFile
	CanWrite  bool
	QROn      bool
	Problems  []string // of an imported sheet
	TooMany   bool     // the list is too long to mark on the page
	Life      bool     // a 组织生活会 / 民主生活会: its records of criticism live in ledgerweb
}

// markRow is one person on one day, as the batch form shows it.
type markRow struct {
	event.Attendance
	Index int
	Error string
}

// markCounts adds up the marks.
type markCounts struct {
	Expected, Present, Leave, Absent, Unmarked, MadeUp, WalkIns int
}

// maxPageRows is the longest list the page lets one mark row by row; a
// province-wide event is marked by import, QR or the API.
const maxPageRows = 1000

func (s *area) eventPage(r *http.Request, c *web.Call, id int64) (*showPage, error) {
	ctx := r.Context()
	e, err := s.st.Event(ctx, c.Scope, id)
	if err != nil {
		return nil, err
	}
	p := &showPage{formPage: formPage{Layout: s.Base(c, e.Title, "/events"), Form: eventForm{Event: *e}}, Event: e, Days: e.Days(), CanWrite: canWrite(c)}
	kinds, err := s.st.EventKinds(ctx)
	if err != nil {
		return nil, err
	}
	index := store.KindIndex(kinds)
	p.Kind = index[e.KindID]
	for _, k := range e.Kinds() {
		if kk, ok := index[k]; ok {
			p.KindNames = append(p.KindNames, kk.Name)
			p.Life = p.Life || ledger.IsLifeKind(kk.Code)
		}
	}
	list, err := s.st.EventAttendance(ctx, c.Scope, id)
	if err != nil {
		return nil, err
	}
	p.TooMany = len(list) > maxPageRows
	present := map[date.Date]int{}
	expected := map[date.Date]int{}
	for i, a := range list {
		if !p.TooMany {
			p.Rows = append(p.Rows, markRow{Attendance: a, Index: i})
		}
		if a.Expected {
			p.Counts.Expected++
			expected[a.Day]++
		} else {
			p.Counts.WalkIns++
		}
		switch a.Mark {
		case event.Present:
			p.Counts.Present++
			if a.Expected {
				present[a.Day]++
			}
		case event.Leave:
			p.Counts.Leave++
		case event.Absent:
			p.Counts.Absent++
		default:
			p.Counts.Unmarked++
		}
		if !a.MadeUpOn.IsZero() {
			p.Counts.MadeUp++
		}
	}
	if p.Kind != nil && p.Kind.NeedsQuorum && len(list) > 0 {
		for _, d := range p.Days {
			p.Quorum = append(p.Quorum, event.QuorumOf(d, expected[d], present[d]))
		}
	}
	if p.Files, err = s.st.EventFiles(ctx, c.Scope, id); err != nil {
		return nil, err
	}
	if p.QROn, err = s.st.QRSignInOn(ctx, c.Scope, e.OrgID); err != nil {
		return nil, err
	}
	if p.CanWrite {
		if p.Form.Invitees, err = s.invitees(r, c, e); err != nil {
			return nil, err
		}
		if err := s.formChoices(ctx, c, &p.formPage); err != nil {
			return nil, err
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

// invitees are the people chosen for an event, read from its list once
// frozen (the form shows who is on it).
func (s *area) invitees(r *http.Request, c *web.Call, e *event.Event) ([]int64, error) {
	if e.Audience != event.Chosen {
		return nil, nil
	}
	list, err := s.st.EventInvitees(r.Context(), c.Scope, e.ID)
	return list, err
}

func (s *area) show(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.eventPage(r, c, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "event_show", p)
}

// Helpers the templates call.

func (p *showPage) ID() string { return strconv.FormatInt(p.Event.ID, 10) }
