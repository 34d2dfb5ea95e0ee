package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"dangjian/internal/errs"
	"dangjian/internal/msg"
)

var (
	errCrossOrigin      = errors.New("cross-origin request")
	errPasswordDue      = errors.New("password change required")
	errNoRoute          = errors.New("no such address")
	errMethodNotAllowed = errors.New("method not allowed")
	// ErrRateLimited refuses a client that asks too often.
	ErrRateLimited = errors.New("rate limited")
	// ErrBadRequest refuses a body that cannot be read at all.
	ErrBadRequest = errors.New("bad request")
)

// Refusal is an error with its own status and message key, for answers the
// domain errors do not cover (a refused login says 401 or 423 in its own words).
type Refusal struct {
	Status int
	Key    string // message key; its last part is the code clients see
}

func (e *Refusal) Error() string { return "refused: " + e.Key }

// problem is an error as a client sees it: a status, a stable code, a Chinese
// message and, for bad input, a message per field.
type problem struct {
	status  int
	code    string
	message string
	fields  map[string]string
}

// classify maps domain errors to statuses; anything unknown is a 500 whose
// details go to the log, never to the client.
func classify(err error) problem {
	var inv *errs.Invalid
	var conflict *errs.Conflict
	var tooBig *http.MaxBytesError
	var refused *Refusal
	switch {
	case errors.As(err, &refused):
		code := refused.Key
		if i := lastDot(code); i >= 0 {
			code = code[i+1:]
		}
		return problem{refused.Status, code, msg.Text(refused.Key), nil}
	case errors.As(err, &inv):
		fields := map[string]string{}
		for f, k := range inv.Fields {
			fields[f] = msg.Text(k)
		}
		return problem{http.StatusUnprocessableEntity, "invalid", msg.Text("error.invalid"), fields}
	case errors.As(err, &conflict):
		p := problem{http.StatusConflict, "conflict", msg.Text(conflict.Key), nil}
		if conflict.Field != "" {
			p.fields = map[string]string{conflict.Field: msg.Text(conflict.Key)}
		}
		return p
	case errors.Is(err, errNoRoute):
		return problem{http.StatusNotFound, "not_found", msg.Text("error.no_route"), nil}
	case errors.Is(err, errMethodNotAllowed):
		return problem{http.StatusMethodNotAllowed, "method_not_allowed", msg.Text("error.method"), nil}
	case errors.Is(err, errs.ErrNotFound):
		return problem{http.StatusNotFound, "not_found", msg.Text("error.not_found"), nil}
	case errors.Is(err, errs.ErrForbidden):
		return problem{http.StatusForbidden, "forbidden", msg.Text("error.forbidden"), nil}
	case errors.Is(err, errs.ErrUnauthenticated):
		return problem{http.StatusUnauthorized, "unauthenticated", msg.Text("error.unauthenticated"), nil}
	case errors.Is(err, errPasswordDue):
		return problem{http.StatusForbidden, "password_change_required", msg.Text("password.change_required"), nil}
	case errors.Is(err, errCrossOrigin):
		return problem{http.StatusForbidden, "cross_origin", msg.Text("error.cross_origin"), nil}
	case errors.Is(err, ErrRateLimited):
		return problem{http.StatusTooManyRequests, "rate_limited", msg.Text("error.rate_limited"), nil}
	case errors.Is(err, ErrBadRequest):
		return problem{http.StatusBadRequest, "bad_request", msg.Text("error.bad_request"), nil}
	case errors.As(err, &tooBig):
		return problem{http.StatusRequestEntityTooLarge, "too_large", msg.Text("error.too_large"), nil}
	}
	return problem{http.StatusInternalServerError, "internal", msg.Text("error.internal"), nil}
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// Status is the HTTP status an error answers with.
func Status(err error) int { return classify(err).status }

// Fail writes an error response in the surface's own form: JSON under /api/,
// a page in the layout elsewhere.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	p := classify(err)
	if p.status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if IsAPI(r) {
		WriteJSON(w, p.status, ErrorBody{Error: ErrorDetail{Code: p.code, Message: p.message, Fields: orEmpty(p.fields)}})
		return
	}
	s.renderError(w, r, p)
}

// ErrorBody is every error answer of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code, a Chinese message and, for
// bad input, a message per field.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// Time is a time that is JSON null when zero.
type Time struct{ time.Time }

// MarshalJSON writes null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Time)
}

// InvalidFields returns the Chinese per-field messages of a bad-input error
// (validation or conflict), or nil for any other error, so a page can show
// the form again with each message beside its field.
func InvalidFields(err error) map[string]string {
	if err == nil {
		return nil
	}
	p := classify(err)
	if p.code != "invalid" && p.code != "conflict" {
		return nil
	}
	if len(p.fields) == 0 {
		return map[string]string{"": p.message}
	}
	return p.fields
}

// Submitted finishes a form post. Bad input shows the form again with each
// message beside its field (reshow renders it with the status given: 422, or
// 409 for a conflict); success sends the browser on to next, so a reload does
// not post twice.
func Submitted(w http.ResponseWriter, r *http.Request, err error, reshow func(status int, fields map[string]string) error, next string) error {
	if fields := InvalidFields(err); fields != nil {
		return reshow(Status(err), fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// AddProblems folds the field problems of err into v; any other error is
// returned as it is.
func AddProblems(v *errs.Invalid, err error) error {
	if err == nil {
		return nil
	}
	inv, ok := err.(*errs.Invalid)
	if !ok {
		return err
	}
	for f, k := range inv.Fields {
		v.Add(f, k)
	}
	return nil
}

// Message is the Chinese message an error answers with.
func Message(err error) string { return classify(err).message }
