package peopleweb

import (
	"net/http"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// A member cannot edit their own record. From 我的档案 they report what is
// wrong; the report reaches whoever keeps their branch's roster (the scope
// that holds them), who accepts it (and corrects the record through the
// ordinary edit) or declines it with a reason the member reads.

// selfScope is a member's one-person scope: their own record only.
func selfScope(c *web.Call) auth.Scope { return auth.Scope{OrgPath: "/", PersonID: c.User.PersonID} }

func (s *area) requestCorrection(r *http.Request, c *web.Call) (people.Correction, error) {
	if c.User.PersonID == 0 {
		return people.Correction{}, errs.ErrNotFound
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return people.Correction{}, err
	}
	var v errs.Invalid
	corr := people.Correction{PersonID: c.User.PersonID, Text: in.Text("text", people.MaxCorrection, &v)}
	if err := v.Err(); err != nil {
		return corr, err
	}
	return corr, s.st.RequestCorrection(r.Context(), c.Actor, selfScope(c), &corr)
}

func (s *area) correctionRequest(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	corr, err := s.requestCorrection(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.selfPage(r, c)
		if err != nil {
			return err
		}
		p.Errors, p.CorrectionText = fields, corr.Text
		return s.Render(w, r, status, "person", p)
	}, "/me?notice=correction_sent#corrections")
}

type correctionsPage struct {
	web.Layout
	Items   []correctionView
	All     bool
	Pending int
	ErrID   int64 // the report whose decision was refused
}

// correctionView is a report as pages and the API show it.
type correctionView struct {
	ID         int64                  `json:"id"`
	PersonID   int64                  `json:"person_id"`
	PersonName string                 `json:"person_name"`
	OrgName    string                 `json:"org_name"`
	Text       string                 `json:"text"`
	State      people.CorrectionState `json:"state"`
	StateLabel string                 `json:"state_label"`
	Answer     string                 `json:"answer"`
	CreatedAt  time.Time              `json:"created_at"`
	DecidedAt  web.Time               `json:"decided_at"`
}

func correctionViews(rows []store.CorrectionRow) []correctionView {
	out := make([]correctionView, 0, len(rows))
	for _, r := range rows {
		out = append(out, correctionView{ID: r.ID, PersonID: r.PersonID, PersonName: r.PersonName, OrgName: r.OrgName, Text: r.Text,
			State: r.State, StateLabel: msg.Text("correction." + string(r.State)), Answer: r.Answer, CreatedAt: r.CreatedAt,
			DecidedAt: web.Time{Time: r.DecidedAt}})
	}
	return out
}

func (s *area) correctionList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	all := r.URL.Query().Get("all") == "1"
	rows, err := s.st.Corrections(r.Context(), c.Scope, store.CorrectionFilter{PendingOnly: !all})
	if err != nil {
		return err
	}
	p := correctionsPage{Layout: s.Base(c, "档案更正申请", "/corrections"), Items: correctionViews(rows), All: all}
	for _, it := range p.Items {
		if it.State == people.CorrectionPending {
			p.Pending++
		}
	}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "corrections", p)
}

// decide reads a decision: accept or decline, and the answer.
func (s *area) decide(r *http.Request, c *web.Call) (bool, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return false, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return false, err
	}
	var v errs.Invalid
	decision := people.Decision(in.Text("decision", maxChoice, &v))
	answer := in.Text("answer", people.MaxCorrection, &v)
	if err := v.Err(); err != nil {
		return false, err
	}
	// The decision itself is checked by the store, after the report is
	// found in the scope: another branch learns nothing about it.
	return decision == people.Accept, s.st.DecideCorrection(r.Context(), c.Actor, c.Scope, id, decision, answer)
}

func (s *area) correctionDecide(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	accept, err := s.decide(r, c)
	next := "/corrections?notice=correction_declined"
	if accept {
		next = "/corrections?notice=correction_accepted"
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		rows, err := s.st.Corrections(r.Context(), c.Scope, store.CorrectionFilter{PendingOnly: true})
		if err != nil {
			return err
		}
		p := correctionsPage{Layout: s.Base(c, "档案更正申请", "/corrections"), Items: correctionViews(rows), Pending: len(rows)}
		p.Errors = fields
		p.ErrID, _ = web.PathID(r, "id") // the report the message is about
		return s.Render(w, r, status, "corrections", p)
	}, next)
}

// --- JSON API ---

type correctionIn struct {
	Text string `json:"text" maxLength:"500"`
}

type decisionIn struct {
	Decision string `json:"decision" maxLength:"20"` // accept or decline
	Answer   string `json:"answer" maxLength:"500"`  // required to decline
}

func (s *area) apiCorrectionRequest(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	corr, err := s.requestCorrection(r, c)
	if err != nil {
		return err
	}
	rows, err := s.st.Corrections(r.Context(), selfScope(c), store.CorrectionFilter{PersonID: c.User.PersonID})
	if err != nil {
		return err
	}
	for _, v := range correctionViews(rows) {
		if v.ID == corr.ID {
			web.WriteJSON(w, http.StatusCreated, v)
			return nil
		}
	}
	return errs.ErrNotFound
}

func (s *area) apiMyCorrections(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if c.User.PersonID == 0 {
		return errs.ErrNotFound
	}
	rows, err := s.st.Corrections(r.Context(), selfScope(c), store.CorrectionFilter{PersonID: c.User.PersonID})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[correctionView]{Items: correctionViews(rows)})
	return nil
}

func (s *area) apiCorrections(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	rows, err := s.st.Corrections(r.Context(), c.Scope, store.CorrectionFilter{PendingOnly: r.URL.Query().Get("all") != "1"})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[correctionView]{Items: correctionViews(rows)})
	return nil
}

func (s *area) apiCorrectionDecide(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if _, err := s.decide(r, c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
