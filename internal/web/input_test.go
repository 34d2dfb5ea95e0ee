package web

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/errs"
	"dangjian/internal/msg"
)

// problems reads a body as the handlers do and returns the Chinese message
// of each field that was refused.
func problems(t *testing.T, contentType, body string, read func(Input, *errs.Invalid)) map[string]string {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	in, err := ReadInput(r)
	var v errs.Invalid
	if err == nil {
		read(in, &v)
		err = v.Err()
	}
	var inv *errs.Invalid
	if err != nil && !errors.As(err, &inv) {
		t.Fatalf("not a field problem: %v", err)
	}
	out := map[string]string{}
	if inv != nil {
		for f, k := range inv.Fields {
			out[f] = msg.Text(k)
		}
	}
	return out
}

// A JSON array sent where one value belongs was cut to its first value; it
// is refused beside its field, for text, dates, ids and numbers alike.
func TestJSONArrayForASingleValueIsRefused(t *testing.T) {
	got := problems(t, "application/json", `{"name":["张伟","李娜"],"joined_on":["2020-01-01"],"org_id":[1,2],"version":[1,2],"ok":"x"}`,
		func(in Input, v *errs.Invalid) {
			in.Text("name", 40, v)
			in.Date("joined_on", v)
			in.ID("org_id", v)
			in.Int("version", v)
			in.Text("ok", 40, v)
		})
	for _, f := range []string{"name", "org_id", "version"} {
		if got[f] != "此项只能填写一个值" {
			t.Errorf("%s: %q", f, got[f])
		}
	}
	if _, refused := got["joined_on"]; refused {
		t.Errorf("a one-element list is one value: %q", got["joined_on"])
	}
	if _, refused := got["ok"]; refused {
		t.Errorf("a plain value was refused: %v", got)
	}
	// Two inputs of one name in a form are the same mistake.
	got = problems(t, "application/x-www-form-urlencoded", "name=a&name=b", func(in Input, v *errs.Invalid) { in.Text("name", 40, v) })
	if got["name"] != "此项只能填写一个值" {
		t.Errorf("repeated form field: %v", got)
	}
}

// Each text field has a limit in characters (not bytes), reported with the
// limit; the text comes back whole, so a form can show what was typed.
func TestTextOverItsLimitIsRefusedWithTheLimit(t *testing.T) {
	var v errs.Invalid
	in := Input{url.Values{"name": {" " + strings.Repeat("张", 40) + " "}, "note": {strings.Repeat("字", 501)}}}
	if s := in.Text("name", 40, &v); s != strings.Repeat("张", 40) {
		t.Fatalf("trimmed text: %q", s)
	}
	if s := in.Text("note", 500, &v); len([]rune(s)) != 501 {
		t.Fatalf("the refused text was cut: %d", len([]rune(s)))
	}
	if v.Has("name") || msg.Text(v.Fields["note"]) != "不能超过500个字" {
		t.Fatalf("problems: %v", v.Fields)
	}
}

// Whatever a handler reads, no value of any body may be longer than
// MaxValueLen: a field nobody reads cannot fill the disk either.
func TestEveryBodyValueIsCapped(t *testing.T) {
	long := strings.Repeat("a", MaxValueLen+1)
	for ct, body := range map[string]string{
		"application/json":                  `{"anything":"` + long + `"}`,
		"application/x-www-form-urlencoded": "anything=" + long,
	} {
		got := problems(t, ct, body, func(Input, *errs.Invalid) {})
		if got["anything"] != "不能超过2000个字" {
			t.Errorf("%s: %v", ct, got)
		}
	}
	if got := problems(t, "application/json", `{"anything":"`+long[1:]+`"}`, func(Input, *errs.Invalid) {}); len(got) != 0 {
		t.Errorf("a value at the limit was refused: %v", got)
	}
}

// An empty JSON list is sent, not absent: a PATCH may empty a list.
func TestEmptyJSONListIsPresent(t *testing.T) {
	in, err := readJSON(strings.NewReader(`{"members":[]}`))
	if err != nil || !in.Has("members") || in.Has("other") {
		t.Fatalf("members present: %v %v", in.Has("members"), err)
	}
}

// Version is required of an edit: without it a client that never read the
// record could overwrite it.
func TestVersionIsRequired(t *testing.T) {
	var v errs.Invalid
	if (Input{url.Values{}}).Version(&v); v.Fields["version"] != "required" {
		t.Fatalf("missing version: %v", v.Fields)
	}
	v = errs.Invalid{}
	if n := (Input{url.Values{"version": {"3"}}}).Version(&v); n != 3 || v.Err() != nil {
		t.Fatalf("version 3: %d %v", n, v.Fields)
	}
}
