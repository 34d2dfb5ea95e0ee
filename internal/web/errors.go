package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"dangjian/internal/errs"
	"dangjian/internal/msg"
)

var (
	errCrossOrigin = errors.New("cross-origin request")
	errRateLimited = errors.New("rate limited")
	errBadRequest  = errors.New("bad request")
	errPasswordDue = errors.New("password change required")
)

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
	var refused *loginError
	switch {
	case errors.As(err, &refused):
		return problem{refused.status, strings.TrimPrefix(refused.key, "login."), msg.Text(refused.key), nil}
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
	case errors.Is(err, errRateLimited):
		return problem{http.StatusTooManyRequests, "rate_limited", msg.Text("error.rate_limited"), nil}
	case errors.Is(err, errBadRequest):
		return problem{http.StatusBadRequest, "bad_request", msg.Text("error.bad_request"), nil}
	case errors.As(err, &tooBig):
		return problem{http.StatusRequestEntityTooLarge, "too_large", msg.Text("error.too_large"), nil}
	}
	return problem{http.StatusInternalServerError, "internal", msg.Text("error.internal"), nil}
}

// fail writes an error response in the surface's own form.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, err error) {
	p := classify(err)
	if p.status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if api {
		writeJSON(w, p.status, map[string]any{"error": map[string]any{"code": p.code, "message": p.message, "fields": orEmpty(p.fields)}})
		return
	}
	s.renderError(w, r, p)
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// nilTime shows a zero time as JSON null.
func nilTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
