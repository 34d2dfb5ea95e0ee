package eventweb

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dangjian/internal/event"
	"dangjian/internal/web"
)

// signinSecret is the key of the sign-in codes, read from the database
// once (every instance shares it).
func (s *area) signinSecret(ctx context.Context) ([]byte, error) {
	s.secretOnce.Lock()
	defer s.secretOnce.Unlock()
	if s.secret == nil {
		k, err := s.st.SignInSecret(ctx)
		if err != nil {
			return nil, err
		}
		s.secret = k
	}
	return s.secret, nil
}

// baseURL is the address members' phones open: the configured public
// address, or the one this request came to.
func (s *area) baseURL(r *http.Request) string {
	if b := s.Config().BaseURL; b != "" {
		return trimSlash(b)
	}
	scheme := "http"
	if r.TLS != nil || s.Config().TLS() {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// qrOut is the code the projector shows now.
type qrOut struct {
	Code      string    `json:"code"`
	URL       string    `json:"url"` // what the QR code holds: the sign-in page with the code
	Step      int       `json:"step_seconds"`
	ExpiresAt time.Time `json:"expires_at"` // after this the code is refused (its step and one more)
	Open      bool      `json:"open"`       // sign-in is open now
	Message   string    `json:"message"`    // why not, when it is not
}

// current is the code of an event now, with the link it makes.
func (s *area) current(r *http.Request, e *event.Event) (qrOut, error) {
	secret, err := s.signinSecret(r.Context())
	if err != nil {
		return qrOut{}, err
	}
	now := s.st.Now()
	code := event.Code(secret, e.ID, now, e.QRStep)
	step := event.Step(now, e.QRStep)
	out := qrOut{Code: code, Step: e.QRStep, Open: true,
		URL:       s.baseURL(r) + "/signin/" + strconv.FormatInt(e.ID, 10) + "?c=" + url.QueryEscape(code),
		ExpiresAt: time.Unix((step+2)*int64(e.QRStep), 0).UTC()}
	if _, err := e.SignInDay(now); err != nil {
		out.Open, out.Message = false, signinMessage(err, e)
	}
	return out, nil
}

// projectorPage is the view shown on the screen in the room: the code, which
// the page fetches again (htmx) well within each step.
type projectorPage struct {
	web.Layout
	Event    *event.Event
	QR       qrOut
	Image    template.URL
	Refresh  int // seconds between fetches
	Signed   int
	Expected int
	Off      string // why there is no code (sign-in switched off, no attendance)
}

func (s *area) projector(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.st.Event(ctx, c.Scope, id)
	if err != nil {
		return err
	}
	p := projectorPage{Layout: s.Base(c, e.Title+" · 签到", "/events"), Event: e, Refresh: max(5, e.QRStep/3)}
	target, err := s.st.SignInEvent(ctx, id)
	if err != nil {
		return err
	}
	if off := signinOff(target); off != nil {
		p.Off = off.text
		return s.Render(w, r, http.StatusOK, "event_qr", p)
	}
	if p.QR, err = s.current(r, e); err != nil {
		return err
	}
	if p.Image, err = web.QRImage(p.QR.URL, 480); err != nil {
		return err
	}
	list, err := s.st.EventAttendance(ctx, c.Scope, id)
	if err != nil {
		return err
	}
	if day, derr := e.SignInDay(s.st.Now()); derr == nil {
		for _, a := range list {
			if a.Day != day {
				continue
			}
			if a.Expected {
				p.Expected++
			}
			if a.Mark == event.Present {
				p.Signed++
			}
		}
	}
	return s.Render(w, r, http.StatusOK, "event_qr", p)
}

func (s *area) apiQR(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.st.Event(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	target, err := s.st.SignInEvent(r.Context(), id)
	if err != nil {
		return err
	}
	if off := signinOff(target); off != nil {
		web.WriteJSON(w, off.status, web.ErrorBody{Error: web.ErrorDetail{Code: off.code, Message: off.text, Fields: map[string]string{}}})
		return nil
	}
	out, err := s.current(r, e)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
