package eventweb

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// A member scans the code on the projector with their phone: the sign-in
// page checks the code at once and turns it into a pass good for ten
// minutes, so logging in first does not make it expire; the member then taps
// 签到 (a POST: nothing changes on a GET). A second scan says they signed in
// already and changes nothing; a person not expected is refused unless the
// organiser takes walk-ins. QR is convenience, not proof: the secretary
// corrects any mark on the event page, and every correction is audited.

// signinErr is a refused sign-in: its status and what the person is told.
type signinErr struct {
	status int
	code   string
	text   string
}

func (e *signinErr) Error() string { return "sign-in refused: " + e.code }

func refusal(status int, code, text string) *signinErr { return &signinErr{status, code, text} }

// signinRefusal says why a sign-in error refuses, in the person's words.
func signinRefusal(err error, e *event.Event) error {
	var se *signinErr
	switch {
	case errors.As(err, &se):
		return se
	case errors.Is(err, event.ErrCodeExpired):
		return refusal(http.StatusGone, "expired", msg.Text("signin.expired"))
	case errors.Is(err, event.ErrCodeInvalid):
		return refusal(http.StatusBadRequest, "invalid", msg.Text("signin.invalid"))
	case errors.Is(err, event.ErrNotOpen):
		return refusal(http.StatusConflict, "not_open", msg.Format("signin.not_open", e.QRMargin))
	case errors.Is(err, event.ErrClosed):
		return refusal(http.StatusConflict, "closed", msg.Text("signin.closed"))
	case errors.Is(err, event.ErrNotExpected):
		return refusal(http.StatusForbidden, "not_expected", msg.Text("signin.not_expected"))
	case errors.Is(err, event.ErrCancelled):
		return refusal(http.StatusConflict, "cancelled", msg.Text("signin.cancelled"))
	}
	return err
}

// signinMessage is the text of a refusal.
func signinMessage(err error, e *event.Event) string {
	var se *signinErr
	if errors.As(signinRefusal(err, e), &se) {
		return se.text
	}
	return msg.Text("error.internal")
}

// signinOff says why an event takes no QR sign-in at all, or nil.
func signinOff(t *store.SignInTarget) *signinErr {
	switch {
	case t.Status == event.Cancelled:
		return refusal(http.StatusConflict, "cancelled", msg.Text("signin.cancelled"))
	case !t.TakesAttendance:
		return refusal(http.StatusConflict, "no_attendance", msg.Text("signin.no_attendance"))
	case !t.QRSignIn:
		return refusal(http.StatusConflict, "disabled", msg.Text("signin.disabled"))
	}
	return nil
}

// signinPage is the phone's page.
type signinPage struct {
	web.Layout
	Event   *event.Event
	Pass    string
	Result  string // what happened, on success
	Refused string // why not
	Done    bool   // signed in (now or before): no button
}

// When is the event's time as the phone shows it.
func (p signinPage) When() string { return clock(p.Event.Start()) + " 至 " + clock(p.Event.End()) }

func (s *area) signinPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	target, err := s.st.SignInEvent(ctx, id)
	if err != nil {
		return err
	}
	e := &target.Event
	secret, err := s.signinSecret(ctx)
	if err != nil {
		return err
	}
	p := signinPage{Layout: s.Base(c, "扫码签到", ""), Event: e}
	now := s.st.Now()
	self := "/signin/" + strconv.FormatInt(id, 10)
	if code := r.URL.Query().Get("c"); code != "" {
		if err := event.CheckCode(secret, id, code, now, e.QRStep); err != nil {
			return s.refused(w, r, p, signinRefusal(err, e))
		}
		next := self + "?p=" + url.QueryEscape(event.Pass(secret, id, now))
		if c.User == nil {
			next = "/login?next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p.Pass = r.URL.Query().Get("p")
	if err := event.CheckPass(secret, id, p.Pass, now); err != nil {
		return s.refused(w, r, p, signinRefusal(err, e))
	}
	if c.User == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return nil
	}
	if off := signinOff(target); off != nil {
		return s.refused(w, r, p, off)
	}
	if c.User.PersonID == 0 {
		return s.refused(w, r, p, refusal(http.StatusForbidden, "no_person", msg.Text("signin.no_person")))
	}
	if day, err := e.SignInDay(now); err == nil {
		if at, ok := s.signedAt(ctx, c.User.PersonID, id, day); ok {
			p.Result, p.Done = msg.Format("signin.already", clock(at.MarkedAt)), true
		}
	}
	return s.Render(w, r, http.StatusOK, "signin", p)
}

// signedAt finds a person's present mark of a day, if there is one.
func (s *area) signedAt(ctx context.Context, personID, eventID int64, day date.Date) (event.Attendance, bool) {
	list, err := s.st.EventAttendance(ctx, auth.Scope{OrgPath: "/", PersonID: personID}, eventID)
	if err != nil {
		return event.Attendance{}, false
	}
	for _, a := range list {
		if a.Day == day && a.Mark == event.Present {
			return a, true
		}
	}
	return event.Attendance{}, false
}

func (s *area) refused(w http.ResponseWriter, r *http.Request, p signinPage, err error) error {
	var se *signinErr
	if !errors.As(err, &se) {
		return err
	}
	p.Refused = se.text
	return s.Render(w, r, se.status, "signin", p)
}

// signIn signs the caller in with a code (from the API) or a pass (from the
// page), and says what happened.
func (s *area) signIn(r *http.Request, c *web.Call, id int64, code, pass string) (*event.Event, event.SignedIn, error) {
	ctx := r.Context()
	target, err := s.st.SignInEvent(ctx, id)
	if err != nil {
		return nil, event.SignedIn{}, err
	}
	e := &target.Event
	secret, err := s.signinSecret(ctx)
	if err != nil {
		return e, event.SignedIn{}, err
	}
	now := s.st.Now()
	if code != "" {
		err = event.CheckCode(secret, id, code, now, e.QRStep)
	} else {
		err = event.CheckPass(secret, id, pass, now)
	}
	if err != nil {
		return e, event.SignedIn{}, signinRefusal(err, e)
	}
	if off := signinOff(target); off != nil {
		return e, event.SignedIn{}, off
	}
	if c.User.PersonID == 0 {
		return e, event.SignedIn{}, refusal(http.StatusForbidden, "no_person", msg.Text("signin.no_person"))
	}
	day, err := e.SignInDay(now)
	if err != nil {
		return e, event.SignedIn{}, signinRefusal(err, e)
	}
	out, err := s.st.SignIn(ctx, c.Actor, id, c.User.PersonID, day)
	if err != nil {
		return e, out, signinRefusal(err, e)
	}
	return e, out, nil
}

// signedText is what a person is told after a sign-in that was taken.
func signedText(out event.SignedIn) string {
	switch {
	case out.Already:
		return msg.Format("signin.already", clock(out.At))
	case out.WalkIn:
		return msg.Text("signin.walk_in")
	}
	return msg.Text("signin.ok")
}

func (s *area) signinSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	e, out, err := s.signIn(r, c, id, "", in.Str("p"))
	if e == nil {
		return err
	}
	p := signinPage{Layout: s.Base(c, "扫码签到", ""), Event: e, Pass: in.Str("p")}
	if err != nil {
		return s.refused(w, r, p, err)
	}
	p.Result, p.Done = signedText(out), true
	return s.Render(w, r, http.StatusOK, "signin", p)
}

// signinOut is the outcome of a sign-in through the API.
type signinOut struct {
	Message string `json:"message"`
	event.SignedIn
}

func (s *area) apiSignIn(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	_, out, err := s.signIn(r, c, id, in.Str("code"), in.Str("pass"))
	var se *signinErr
	if errors.As(err, &se) {
		web.WriteJSON(w, se.status, web.ErrorBody{Error: web.ErrorDetail{Code: se.code, Message: se.text, Fields: map[string]string{}}})
		return nil
	}
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, signinOut{Message: signedText(out), SignedIn: out})
	return nil
}
