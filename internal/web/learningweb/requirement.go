package learningweb

import (
	"net/http"

	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/web"
)

// The yearly 学时 requirement is installation configuration, like the event
// kinds: the system administrator sets it (32 for members and 56 for
// secretaries and committee members unless the locality asks otherwise).

type requirementPage struct {
	web.Layout
	Member, Committee string
}

func (s *area) requirementPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	req, err := s.st.LearningRequirement(r.Context())
	if err != nil {
		return err
	}
	p := requirementPage{Layout: s.Base(c, "学时要求", "/learning/requirement"), Member: req.Member.String(), Committee: req.Committee.String()}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "requirement", p)
}

// readRequirement reads the two requirements, in 学时 with at most one
// decimal (32, 56, 40.5).
func readRequirement(in web.Input) (learning.Requirement, error) {
	var v errs.Invalid
	hours := func(name string) event.Hours {
		h, ok := event.ParseHours(in.Str(name))
		if !ok {
			v.Add(name, "learning.requirement_range")
		}
		return h
	}
	req := learning.Requirement{Member: hours("member"), Committee: hours("committee")}
	if err := v.Err(); err != nil {
		return req, err
	}
	return req, req.Validate()
}

func (s *area) requirementSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	req, err := readRequirement(in)
	if err == nil {
		err = s.st.SaveLearningRequirement(r.Context(), c.Actor, req)
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p := requirementPage{Layout: s.Base(c, "学时要求", "/learning/requirement"), Member: in.Str("member"), Committee: in.Str("committee")}
		p.Errors = fields
		return s.Render(w, r, status, "requirement", p)
	}, "/learning/requirement?notice=requirement_saved")
}
