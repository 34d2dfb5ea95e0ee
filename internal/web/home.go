package web

import (
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

type stat struct{ Label, Value string }

type homePage struct {
	page
	ScopeName string
	Stats     []stat
	DueTerms  []orgView
}

// home is the landing page: who you are, what you look after, and what needs
// doing (branches whose 换届 is due).
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	p := homePage{page: s.base(c, "工作台", "/")}
	p.Notice = notice(r)
	if c.can(auth.OrgRead) {
		ctx := r.Context()
		orgs, err := s.st.Orgs(ctx, c.scope, store.OrgFilter{})
		if err != nil {
			return err
		}
		if len(orgs) > 0 {
			p.ScopeName = orgs[0].Name
		}
		for _, o := range orgs {
			if st := org.DefaultTermRules.Term(&o, s.today()); st == org.TermDueSoon || st == org.TermOverdue {
				p.DueTerms = append(p.DueTerms, s.orgView(o))
			}
		}
		counts, err := s.st.StatusCounts(ctx, c.scope)
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
	return s.render(w, r, http.StatusOK, "home", p)
}
