package ledgerweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// lifePage is the criticism and self-criticism of a 组织生活会 / 民主生活会:
// each participant's record with the problems found, and the form to add one.
type lifePage struct {
	web.Layout
	Event      *event.Event
	Life       bool // the event is a 组织生活会 or 民主生活会
	Records    []ledger.LifeRecord
	Candidates []web.Option // people on the event's list without a record yet
	People     []web.Option // the scope's people, for a participant not on the list
	CanWrite   bool
	Form       ledger.LifeRecord // a refused new record, shown again
	Problem    problemIn         // a refused problem, shown again
}

func (s *area) lifeData(r *http.Request, c *web.Call, eventID int64) (*lifePage, error) {
	ctx := r.Context()
	e, err := s.st.Event(ctx, c.Scope, eventID)
	if err != nil {
		return nil, err
	}
	p := &lifePage{Layout: s.Base(c, e.Title+" · 批评与自我批评", "/events"), Event: e, CanWrite: c.Can(auth.EventWrite)}
	if p.Life, err = s.st.IsLifeEvent(ctx, c.Scope, eventID); err != nil || !p.Life {
		return p, err
	}
	if p.Records, err = s.st.LifeRecords(ctx, c.Scope, eventID); err != nil {
		return nil, err
	}
	has := map[int64]bool{}
	for _, rec := range p.Records {
		has[rec.PersonID] = true
	}
	list, err := s.st.EventAttendance(ctx, c.Scope, eventID)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if !has[a.PersonID] {
			has[a.PersonID] = true
			p.Candidates = append(p.Candidates, web.Option{Value: strconv.FormatInt(a.PersonID, 10), Label: a.Name + "（" + a.OrgName + "）"})
		}
	}
	if len(list) == 0 && p.CanWrite {
		// The list is not frozen yet: anyone of the scope may be recorded.
		people, err := s.st.People(ctx, c.Scope, store.PersonFilter{OrgID: e.OrgID, Sort: "org", Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, m := range people.Items {
			if !has[m.ID] {
				p.Candidates = append(p.Candidates, web.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name + "（" + m.OrgLabel + "）"})
			}
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) lifePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.lifeData(r, c, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "life", p)
}

// saveRecord reads a participant's record (new without id, an edit with id
// and version) and saves it.
func (s *area) saveRecord(r *http.Request, c *web.Call, eventID int64) (*ledger.LifeRecord, error) {
	rec := &ledger.LifeRecord{EventID: eventID}
	// The meeting first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.Event(r.Context(), c.Scope, eventID); err != nil {
		return rec, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return rec, err
	}
	var v errs.Invalid
	rec.ID = in.ID("id", &v)
	if rec.ID == 0 {
		rec.PersonID = in.ID("person_id", &v)
	} else {
		// An edit keeps its person and changes only the texts sent.
		list, err := s.st.LifeRecords(r.Context(), c.Scope, eventID)
		if err != nil {
			return rec, err
		}
		found := false
		for _, old := range list {
			if old.ID == rec.ID {
				*rec, found = old, true
			}
		}
		if !found {
			return rec, errs.ErrNotFound
		}
		rec.Version = in.Version(&v)
	}
	for name, dst := range map[string]*string{"self_criticism": &rec.SelfCriticism, "criticism_given": &rec.CriticismGiven,
		"criticism_received": &rec.CriticismReceived} {
		if rec.ID == 0 || in.Has(name) {
			*dst = in.Text(name, ledger.MaxCriticism, &v)
		}
	}
	if err := v.Err(); err != nil {
		return rec, err
	}
	return rec, s.st.SaveLifeRecord(r.Context(), c.Actor, c.Scope, rec)
}

func (s *area) lifeSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.saveRecord(r, c, id)
	return s.lifeSubmitted(w, r, c, id, err, func(p *lifePage) {
		if rec.ID == 0 {
			p.Form = *rec
		}
	}, "life_saved", rec.ID)
}

// lifeSubmitted answers a form posted on a meeting's 组织生活会 page: back
// to the page with what was sent and its errors, or on to the record with
// the notice. keep puts the posted values back into the page.
func (s *area) lifeSubmitted(w http.ResponseWriter, r *http.Request, c *web.Call, eventID int64, err error, keep func(*lifePage), notice string, recordID int64) error {
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.lifeData(r, c, eventID)
		if err != nil {
			return err
		}
		keep(p)
		p.Errors = fields
		return s.Render(w, r, status, "life", p)
	}, "/events/"+strconv.FormatInt(eventID, 10)+"/life?notice="+notice+"#record-"+strconv.FormatInt(recordID, 10))
}

func (s *area) addProblem(r *http.Request, c *web.Call, eventID int64) (*ledger.Problem, error) {
	p := &ledger.Problem{EventID: eventID}
	// The meeting first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.Event(r.Context(), c.Scope, eventID); err != nil {
		return p, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return p, err
	}
	var v errs.Invalid
	p.RecordID = in.ID("record_id", &v)
	p.Content = in.Text("content", ledger.MaxProblemText, &v)
	if p.RecordID == 0 {
		v.Add("record_id", "ledger.person_required")
	}
	if err := v.Err(); err != nil {
		return p, err
	}
	return p, s.st.AddLifeProblem(r.Context(), c.Actor, c.Scope, p)
}

func (s *area) problemAdd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := s.addProblem(r, c, id)
	return s.lifeSubmitted(w, r, c, id, err, func(p *lifePage) {
		p.Problem = problemIn{RecordID: pr.RecordID, Content: pr.Content}
	}, "life_problem", pr.RecordID)
}

// toLedger turns a problem into a ledger item; the body may set the
// deadline, owner and measures, or leave the defaults.
func (s *area) toLedger(r *http.Request, c *web.Call, problemID int64) (*ledger.Item, error) {
	item := &ledger.Item{}
	in, err := web.ReadInput(r)
	if err != nil {
		return item, err
	}
	var v errs.Invalid
	item.Measures = in.Text("measures", ledger.MaxMeasures, &v)
	item.OwnerID = in.ID("owner_id", &v)
	if in.Str("deadline") != "" {
		item.Deadline = in.Date("deadline", &v)
	}
	if err := v.Err(); err != nil {
		return item, err
	}
	return item, s.st.LedgerFromProblem(r.Context(), c.Actor, c.Scope, problemID, item)
}

func (s *area) problemToLedger(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	item, err := s.toLedger(r, c, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/ledger/"+strconv.FormatInt(item.ID, 10)+"?notice=ledger_created", http.StatusSeeOther)
	return nil
}

// --- JSON API ---

func (s *area) apiLife(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.LifeRecords(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := web.Items[recordOut]{Items: []recordOut{}}
	for i := range list {
		out.Items = append(out.Items, newRecordOut(&list[i]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiLifeSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.saveRecord(r, c, id)
	if err != nil {
		return err
	}
	list, err := s.st.LifeRecords(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].ID == rec.ID {
			web.WriteJSON(w, http.StatusOK, newRecordOut(&list[i]))
			return nil
		}
	}
	return errs.ErrNotFound
}

func (s *area) apiProblemAdd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.addProblem(r, c, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, *p)
	return nil
}

func (s *area) apiProblemToLedger(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	item, err := s.toLedger(r, c, id)
	if err != nil {
		return err
	}
	return s.answerItem(w, r, c, item.ID, http.StatusCreated)
}
