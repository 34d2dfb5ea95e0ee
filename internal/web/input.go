package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Input is a request's fields, the same whether they came from an HTML form
// or a JSON body, so one parser per form serves both surfaces. JSON arrays of
// scalars become repeated values; arrays of objects become parallel values
// named "array.key" — what an HTML form with repeated inputs sends.
//
// Body fields are read with the methods that take an *errs.Invalid (Text,
// Date, ID, Int): they refuse a value sent twice (a JSON array where one value
// belongs) and a text over its limit, each beside its field, instead of
// quietly keeping the first value or the whole text.
type Input struct{ url.Values }

// MaxValueLen is the longest value any body field may carry, in characters,
// whatever route it is sent to. Each text field has its own, smaller limit
// (Input.Text); this one stops what no handler reads from reaching anything.
const MaxValueLen = 2000

// ReadInput reads the body of a POST/PUT/PATCH (form or JSON) or the query of a GET.
func ReadInput(r *http.Request) (Input, error) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return Input{r.URL.Query()}, nil
	}
	var in Input
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var err error
		if in, err = readJSON(r.Body); err != nil {
			return in, err
		}
	} else {
		// A body over the route's limit is 413, not a form whose fields are
		// missing: ParseMultipartForm drops ParseForm's error on a form that
		// is not multipart, so the plain form is parsed first.
		var tooBig *http.MaxBytesError
		if err := r.ParseForm(); errors.As(err, &tooBig) {
			return Input{}, tooBig
		}
		if err := r.ParseMultipartForm(DefaultMaxBody); err != nil && err != http.ErrNotMultipart {
			if errors.As(err, &tooBig) {
				return Input{}, tooBig
			}
			if err := r.ParseForm(); err != nil {
				return Input{}, fmt.Errorf("%w: %v", ErrBadRequest, err)
			}
		}
		in = Input{r.PostForm}
	}
	var v errs.Invalid
	for name, vals := range in.Values {
		for _, s := range vals {
			v.MaxLen(name, s, MaxValueLen)
			if hasControl(s) {
				v.Add(name, "input.control_chars")
			}
		}
	}
	return in, v.Err()
}

func readJSON(body io.Reader) (Input, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		var tooBig *http.MaxBytesError
		if ok := asMaxBytes(err, &tooBig); ok {
			return Input{}, tooBig
		}
		return Input{}, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	vals := url.Values{}
	for k, v := range obj {
		if err := flatten(vals, k, v); err != nil {
			return Input{}, err
		}
	}
	return Input{vals}, nil
}

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	e, ok := err.(*http.MaxBytesError)
	if ok {
		*target = e
	}
	return ok
}

func flatten(vals url.Values, key string, v any) error {
	switch x := v.(type) {
	case nil:
		vals.Add(key, "")
	case string:
		vals.Add(key, x)
	case json.Number:
		vals.Add(key, x.String())
	case bool:
		vals.Add(key, strconv.FormatBool(x))
	case []any:
		if len(x) == 0 {
			// An empty list is sent, not absent: a PATCH that empties it.
			if _, ok := vals[key]; !ok {
				vals[key] = []string{}
			}
		}
		for _, item := range x {
			if obj, ok := item.(map[string]any); ok {
				for k, iv := range obj {
					if err := flatten(vals, key+"."+k, iv); err != nil {
						return err
					}
				}
				continue
			}
			if err := flatten(vals, key, item); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: field %s has an unsupported type", ErrBadRequest, key)
	}
	return nil
}

// Str is a trimmed field, for query parameters, where a missing or odd value
// falls back to a default. Body fields go through Text.
func (in Input) Str(name string) string { return strings.TrimSpace(in.Get(name)) }

// Has reports whether the field was sent at all.
func (in Input) Has(name string) bool { _, ok := in.Values[name]; return ok }

// single is the one trimmed value of a field; a field sent more than once
// (a JSON array, or two inputs of one name) is recorded as a problem, not
// cut to its first value.
func (in Input) single(name string, v *errs.Invalid) string {
	vals := in.Values[name]
	if len(vals) > 1 {
		v.Add(name, "input.repeated")
	}
	if len(vals) == 0 {
		return ""
	}
	return strings.TrimSpace(vals[0])
}

// Text is a trimmed text field of at most max characters; a longer one is
// recorded against the field with its limit ("不能超过40个字"). The text
// comes back whole, so a form shown again holds what was typed.
func (in Input) Text(name string, max int, v *errs.Invalid) string {
	s := in.single(name, v)
	v.MaxLen(name, s, max)
	return s
}

// Date parses 'YYYY-MM-DD'; a bad value is recorded against the field.
func (in Input) Date(name string, v *errs.Invalid) date.Date {
	s := in.single(name, v)
	d, err := date.Parse(s)
	if err != nil {
		v.Add(name, "date.format")
	}
	return d
}

// ID parses a positive integer identifier; empty is 0.
func (in Input) ID(name string, v *errs.Invalid) int64 {
	s := in.single(name, v)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		v.Add(name, "number.format")
		return 0
	}
	return n
}

// Int parses an integer field (a sort order, a version); empty is 0, a
// malformed one is recorded against the field.
func (in Input) Int(name string, v *errs.Invalid) int64 {
	s := in.single(name, v)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		v.Add(name, "number.format")
		return 0
	}
	return n
}

// Version is the version an edit started from: required, so a client that
// never read the record cannot overwrite it (409 when it is stale).
func (in Input) Version(v *errs.Invalid) int64 {
	if !in.Has("version") || in.Get("version") == "" {
		v.Add("version", "required")
		return 0
	}
	return in.Int("version", v)
}

// Check is a checkbox or a JSON boolean of a body; sent twice it is refused.
func (in Input) Check(name string, v *errs.Invalid) bool {
	s := in.single(name, v)
	return s == "true" || s == "on" || s == "1"
}

// Num parses an integer, with a default when empty or malformed (for query
// parameters such as page numbers, where a default is friendlier than an error).
func (in Input) Num(name string, def int) int {
	n, err := strconv.Atoi(in.Str(name))
	if err != nil {
		return def
	}
	return n
}

// MaxPage keeps list offsets far from overflow; nobody pages past 20 million rows.
const MaxPage = 1_000_000

// Page is a list's page number from the "page" parameter: 1 when empty or
// malformed, at most MaxPage, so (page-1)*size never overflows.
func (in Input) Page() int { return min(max(in.Num("page", 1), 1), MaxPage) }

// Flag is a checkbox or a JSON boolean.
func (in Input) Flag(name string) bool {
	s := in.Str(name)
	return s == "true" || s == "on" || s == "1"
}

// Bool is Flag for a body field: a value that is neither yes nor no (a
// checkbox not ticked sends nothing, which is no) is refused beside its field.
func (in Input) Bool(name string, v *errs.Invalid) bool {
	switch in.Str(name) {
	case "true", "on", "1":
		return true
	case "", "false", "off", "0":
		return false
	}
	v.Add(name, "input.bool")
	return false
}

// PathID reads a numeric path segment; a malformed one is simply not found.
func PathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.ErrNotFound
	}
	return n, nil
}

// hasControl reports a control character other than tab and line breaks: a
// NUL, which PostgreSQL refuses in text (a 500 instead of a message) and
// SQLite would keep, or another that no one types.
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return true
		}
	}
	return false
}
