// Package homeweb is the 工作台: who you are, what you look after, and what
// needs doing — each area reports what is falling due through web.DueReporter.
package homeweb

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

//go:embed templates
var templates embed.FS

type area struct {
	*web.Server
	st *store.Store
}

// New mounts the area on the kernel.
func New(s *web.Server) web.Area { return &area{Server: s, st: s.Store()} }

func (s *area) Templates() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

func (s *area) Pages() []web.Route {
	return []web.Route{
		{Pattern: "GET /{$}", Perm: web.LoggedIn, Handle: s.home, Summary: "工作台", Menu: &web.Menu{Label: "工作台"}},
	}
}

func (s *area) API() []web.Route { return nil }

// stat is a count on the 工作台 and the filtered list it counts.
type stat struct{ Label, Value, Link string }

type homePage struct {
	web.Layout
	ScopeName string
	Stats     []stat
	Due       []web.DueItem
	// Mine is a member's own corner: their organisation and whom to ask.
	Mine *mine
}

type mine struct {
	OrgName string
	Contact *store.Contact
	Pending int // their reports of wrong entries not yet answered
}

func (s *area) home(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	p := homePage{Layout: s.Base(c, "工作台", "/")}
	p.Notice = web.Notice(r)
	var err error
	if p.Due, err = s.DueFor(ctx, c); err != nil {
		return err
	}
	if c.Can(auth.OrgRead) {
		if o, err := s.st.Org(ctx, c.Scope, c.User.OrgID); err == nil {
			p.ScopeName = o.Name
		}
	}
	if c.Can(auth.PersonRead) {
		counts, err := s.st.StatusCounts(ctx, c.Scope)
		if err != nil {
			return err
		}
		for _, group := range []struct {
			label, link string
			statuses    []people.Status
		}{
			{"党员", "/people?tab=members", []people.Status{people.Full, people.Probationary}},
			{"其中预备党员", "/people?status=probationary", []people.Status{people.Probationary}},
			{"发展对象", "/people?status=candidate", []people.Status{people.Candidate}},
			{"入党积极分子", "/people?status=activist", []people.Status{people.Activist}},
			{"入党申请人", "/people?status=applicant", []people.Status{people.Applicant}},
			{"群众（干部职工）", "/people?tab=masses", []people.Status{people.Masses}},
		} {
			n := 0
			for _, st := range group.statuses {
				n += counts[st]
			}
			p.Stats = append(p.Stats, stat{group.label, strconv.Itoa(n) + " 人", group.link})
		}
	}
	if c.Can(auth.PersonWrite) {
		pending, err := s.st.Corrections(ctx, c.Scope, store.CorrectionFilter{PendingOnly: true})
		if err != nil {
			return err
		}
		if len(pending) > 0 {
			p.Stats = append(p.Stats, stat{"待处理的档案更正申请", strconv.Itoa(len(pending)) + " 件", "/corrections"})
		}
	}
	if c.User.PersonID != 0 && c.Can(auth.SelfRead) {
		self := auth.Scope{OrgPath: "/", PersonID: c.User.PersonID}
		if me, err := s.st.Person(ctx, self, c.User.PersonID); err == nil {
			p.Mine = &mine{OrgName: me.OrgLabel}
			if contact, ok, err := s.st.ContactFor(ctx, self, me.ID); err != nil {
				return err
			} else if ok {
				p.Mine.Contact = &contact
			}
			mineList, err := s.st.Corrections(ctx, self, store.CorrectionFilter{PersonID: me.ID, PendingOnly: true})
			if err != nil {
				return err
			}
			p.Mine.Pending = len(mineList)
		}
	}
	return s.Render(w, r, http.StatusOK, "home", p)
}
