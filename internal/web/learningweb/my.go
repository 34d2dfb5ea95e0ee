package learningweb

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// 我的学习: a member's own notes and reflections, written on their phone, and
// their 学时 for the year against the requirement.

// selfScope is the scope of the caller's own record, whatever their role.
func selfScope(c *web.Call) auth.Scope { return auth.Scope{OrgPath: "/", PersonID: c.User.PersonID} }

func noPerson(c *web.Call) error {
	if c.User.PersonID == 0 {
		return errs.NewConflict("", "learning.no_person")
	}
	return nil
}

type myData struct {
	Year      int
	Standing  learning.Standing
	HasHours  bool
	Notes     []learning.Note
	Total     int
	Materials []learning.Material
	Plans     []learning.Plan
	Sessions  []store.NoteSession // what a new note may be about
	Campaigns []ledger.Campaign   // the campaigns (专题学习教育) covering the member
}

func (s *area) my(ctx context.Context, c *web.Call) (*myData, error) {
	d := &myData{Year: s.Today().Year()}
	sc := selfScope(c)
	list, req, err := s.st.LearningHours(ctx, sc, 0, store.YearSpan(d.Year))
	if err != nil {
		return nil, err
	}
	if len(list) == 1 {
		d.Standing, d.HasHours = list[0], true
	} else {
		d.Standing.Required = req.Member
	}
	if d.Notes, d.Total, err = s.st.LearningNotes(ctx, sc, store.NoteFilter{Limit: 50}); err != nil {
		return nil, err
	}
	if d.Materials, err = s.st.LearningMaterials(ctx, sc); err != nil {
		return nil, err
	}
	if d.Plans, err = s.st.LearningPlans(ctx, sc); err != nil {
		return nil, err
	}
	if d.Sessions, err = s.st.NoteSessions(ctx, sc, s.Today().AddDate(0, 0, -90)); err != nil {
		return nil, err
	}
	me, err := s.st.Person(ctx, sc, c.User.PersonID)
	if err != nil {
		return nil, err
	}
	if d.Campaigns, err = s.st.Campaigns(ctx, auth.Scope{OrgPath: me.OrgPath}); err != nil {
		return nil, err
	}
	return d, nil
}

type myPage struct {
	web.Layout
	Data     *myData
	NoPerson bool
	Form     noteIn
}

func (s *area) renderMy(w http.ResponseWriter, r *http.Request, c *web.Call, status int, form noteIn, fields map[string]string) error {
	p := myPage{Layout: s.Base(c, "我的学习", "/my/learning"), Form: form}
	p.Notice = web.Notice(r)
	p.Errors = fields
	if c.User.PersonID == 0 {
		p.NoPerson = true
		return s.Render(w, r, status, "my_learning", p)
	}
	d, err := s.my(r.Context(), c)
	if err != nil {
		return err
	}
	p.Data = d
	return s.Render(w, r, status, "my_learning", p)
}

func (s *area) myPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.renderMy(w, r, c, http.StatusOK, noteIn{Kind: string(learning.StudyNote)}, nil)
}

// noteIn is a note as a form or the API sends it. The body may be long (a
// reflection of several thousand characters), so it is read here and not
// through web.ReadInput, whose fields stop at 2,000 characters.
type noteIn struct {
	Kind       string `json:"kind"` // note | reflection
	Title      string `json:"title" maxLength:"100"`
	Body       string `json:"body" maxLength:"50000"`
	EventID    int64  `json:"event_id"`
	MaterialID int64  `json:"material_id"`
	CampaignID int64  `json:"campaign_id"`
	Version    int64  `json:"version"`
}

func readNote(r *http.Request) (noteIn, error) {
	var in noteIn
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			if _, ok := err.(*http.MaxBytesError); ok {
				return in, errs.Field("body", "learning.body_too_long")
			}
			return in, fmt.Errorf("%w: %v", web.ErrBadRequest, err)
		}
		return in, nil
	}
	if err := r.ParseForm(); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return in, errs.Field("body", "learning.body_too_long")
		}
		return in, fmt.Errorf("%w: %v", web.ErrBadRequest, err)
	}
	var v errs.Invalid
	num := func(name string) int64 {
		s := strings.TrimSpace(r.PostForm.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			v.Add(name, "invalid")
		}
		return n
	}
	in = noteIn{Kind: r.PostForm.Get("kind"), Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"),
		EventID: num("event_id"), MaterialID: num("material_id"), CampaignID: num("campaign_id"), Version: num("version")}
	return in, v.Err()
}

func (in noteIn) note(personID int64) learning.Note {
	return learning.Note{PersonID: personID, Kind: learning.NoteKind(in.Kind), Title: in.Title, Body: in.Body,
		EventID: in.EventID, MaterialID: in.MaterialID, CampaignID: in.CampaignID, Version: in.Version}
}

func (s *area) saveNote(r *http.Request, c *web.Call, id int64) (*learning.Note, noteIn, error) {
	if err := noPerson(c); err != nil {
		return nil, noteIn{}, err
	}
	in, err := readNote(r)
	if err != nil {
		return nil, in, err
	}
	n := in.note(c.User.PersonID)
	n.ID = id
	return &n, in, s.st.SaveLearningNote(r.Context(), c.Actor, selfScope(c), &n)
}

func (s *area) noteCreatePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	n, in, err := s.saveNote(r, c, 0)
	next := ""
	if err == nil {
		next = "/my/learning?notice=note_saved&chars=" + strconv.Itoa(n.Chars) + "#notes"
	}
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		return s.renderMy(w, r, c, status, in, fields)
	}, next)
}

type notePage struct {
	web.Layout
	Note learning.Note
	Form noteIn
}

func (s *area) noteShow(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := noPerson(c); err != nil {
		return err
	}
	n, err := s.st.LearningNote(r.Context(), selfScope(c), id)
	if err != nil {
		return err
	}
	p := notePage{Layout: s.Base(c, n.Title, "/my/learning"), Note: *n,
		Form: noteIn{Kind: string(n.Kind), Title: n.Title, Body: n.Body, EventID: n.EventID, MaterialID: n.MaterialID, CampaignID: n.CampaignID,
			Version: n.Version}}
	p.Notice = web.Notice(r)
	return s.Render(w, r, http.StatusOK, "note", p)
}

func (s *area) noteEditPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	_, in, err := s.saveNote(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		n, err := s.st.LearningNote(r.Context(), selfScope(c), id)
		if err != nil {
			return err
		}
		p := notePage{Layout: s.Base(c, n.Title, "/my/learning"), Note: *n, Form: in}
		p.Errors = fields
		return s.Render(w, r, status, "note", p)
	}, "/my/learning/notes/"+strconv.FormatInt(id, 10)+"?notice=note_saved")
}

func (s *area) noteDeletePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := noPerson(c); err != nil {
		return err
	}
	if err := s.st.DeleteLearningNote(r.Context(), c.Actor, selfScope(c), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/my/learning?notice=note_deleted#notes", http.StatusSeeOther)
	return nil
}

// noteOut is a note as the API answers it.
type noteOut struct {
	learning.Note
}

// myOut is a member's own 学时 and notes.
type myOut struct {
	Year      int         `json:"year"`
	Earned    event.Hours `json:"earned"`   // 学时 this year, in tenths
	Required  event.Hours `json:"required"` // the requirement, in tenths
	Met       bool        `json:"met"`
	Notes     []noteOut   `json:"notes"`
	NoteChars int         `json:"note_chars"` // characters of study notes this year
	Reflects  int         `json:"reflections"`
}

func (s *area) apiMy(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if err := noPerson(c); err != nil {
		return err
	}
	d, err := s.my(r.Context(), c)
	if err != nil {
		return err
	}
	out := myOut{Year: d.Year, Earned: d.Standing.Earned, Required: d.Standing.Required, Met: d.HasHours && d.Standing.Met(),
		Notes: []noteOut{}, NoteChars: d.Standing.NoteChars, Reflects: d.Standing.Reflects}
	for _, n := range d.Notes {
		out.Notes = append(out.Notes, noteOut{Note: n})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiNoteCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	n, _, err := s.saveNote(r, c, 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, noteOut{Note: *n})
	return nil
}

func (s *area) apiNoteUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, _, err := s.saveNote(r, c, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, noteOut{Note: *n})
	return nil
}

func (s *area) apiNoteDelete(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := noPerson(c); err != nil {
		return err
	}
	if err := s.st.DeleteLearningNote(r.Context(), c.Actor, selfScope(c), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
