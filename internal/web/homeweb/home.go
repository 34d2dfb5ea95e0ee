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

type stat struct{ Label, Value string }

type homePage struct {
	web.Layout
	ScopeName string
	Stats     []stat
	Due       []web.DueItem
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
			label    string
			statuses []people.Status
		}{
			{"党员", []people.Status{people.Full, people.Probationary}},
			{"其中预备党员", []people.Status{people.Probationary}},
			{"发展对象", []people.Status{people.Candidate}},
			{"入党积极分子", []people.Status{people.Activist}},
			{"入党申请人", []people.Status{people.Applicant}},
		} {
			n := 0
			for _, st := range group.statuses {
				n += counts[st]
			}
			p.Stats = append(p.Stats, stat{group.label, strconv.Itoa(n) + " 人"})
		}
	}
	return s.Render(w, r, http.StatusOK, "home", p)
}
