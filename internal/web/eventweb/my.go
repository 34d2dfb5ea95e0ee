package eventweb

import (
	"context"
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// 我的组织生活: a member's meetings and sessions on their phone, what the
// record says of them, and their 学时 this year against what the rules ask
// of them (the learning module's count and requirement: 32, or 56 with a
// committee seat, as configured).

type myEventView struct {
	store.MyEvent
	When   string
	Marks  string // their marks in words
	Hours  event.Hours
	Coming bool
}

type myPage struct {
	web.Layout
	Items    []myEventView
	Hours    event.Hours
	Required event.Hours
	Percent  int
	NoPerson bool
}

// myEvents reads the caller's events of the last twelve months and the next
// three, with the 学时 this calendar year.
func (s *area) myEvents(ctx context.Context, c *web.Call) (myPage, error) {
	var p myPage
	if c.User.PersonID == 0 {
		p.NoPerson = true
		return p, nil
	}
	now := s.st.Now()
	list, err := s.st.MyEvents(ctx, selfScope(c), now.AddDate(-1, 0, 0), now.AddDate(0, 3, 0))
	if err != nil {
		return p, err
	}
	year := s.Today().Year()
	for _, m := range list {
		v := myEventView{MyEvent: m, When: clock(m.Start()), Coming: m.Status == event.Planned && m.Start().After(now)}
		for i, a := range m.Marks {
			if i > 0 {
				v.Marks += "、"
			}
			v.Marks += msg.Text("event_mark." + string(a.Mark))
			if !a.MadeUpOn.IsZero() {
				v.Marks += "（已补课）"
			}
			if m.Learning && m.Status == event.Held && (a.Mark == event.Present || !a.MadeUpOn.IsZero()) {
				v.Hours += m.Credit
			}
		}
		p.Items = append(p.Items, v)
	}
	standing, _, err := s.st.LearningHours(ctx, selfScope(c), c.User.OrgID, store.YearSpan(year))
	if err != nil {
		return p, err
	}
	if len(standing) == 1 { // a member on the roster this year
		p.Hours, p.Required, p.Percent = standing[0].Earned, standing[0].Required, standing[0].Percent()
	}
	return p, nil
}

// selfScope is the scope of the caller's own record, whatever their role.
func selfScope(c *web.Call) auth.Scope { return auth.Scope{OrgPath: "/", PersonID: c.User.PersonID} }

func (s *area) myPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.myEvents(r.Context(), c)
	if err != nil {
		return err
	}
	p.Layout = s.Base(c, "我的组织生活", "/my/events")
	return s.Render(w, r, http.StatusOK, "my_events", p)
}

// myOut is a member's own events and 学时 as the API answers them.
type myOut struct {
	Items    []myItemOut `json:"items"`
	Hours    event.Hours `json:"hours"`    // 学时 this year
	Required event.Hours `json:"required"` // 学时 the rules ask a year
}

type myItemOut struct {
	eventOut
	Marks []event.Attendance `json:"marks"`
	Hours event.Hours        `json:"hours"`
}

func (s *area) apiMy(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.myEvents(r.Context(), c)
	if err != nil {
		return err
	}
	out := myOut{Items: []myItemOut{}, Hours: p.Hours, Required: p.Required}
	for _, it := range p.Items {
		out.Items = append(out.Items, myItemOut{eventOut: newEventOut(&it.Event), Marks: orEmpty(it.MyEvent.Marks), Hours: it.Hours})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
