package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/msg"
	"dangjian/internal/store"
)

// The person picker: wherever a person is chosen (linking an account, the
// members of a working group, a committee seat, an event's host) the form
// has a search box that asks the server, as one types a name or its pinyin
// initials ("zw" finds 张伟), for one short page of matches in the caller's
// scope, and a tap adds the person. The partial "person-picker" draws the
// box, with the people already chosen; an area serves the matches from a
// route of its own (its permission, its scope) through PickPeople. Without
// JavaScript the box takes a person's number instead.

// pickerPageSize is how many matches a page of the picker shows.
const pickerPageSize = 8

// Picked is a person already chosen in a picker: their number, how the
// picker names them, and an extra value (a group member's role).
type Picked struct {
	ID    int64
	Label string
	Extra string
}

// picker is what the "person-picker" partial draws.
type picker struct {
	Name, Label, Source, Error string
	Multi, Required            bool
	Chosen                     []Picked
	Extra                      string   // the name of a per-person select (members.role), "" for none
	ExtraOptions               []Option // its choices
	// Include names other fields of the form sent with each search
	// (`[name=org_id]`: only people of the organisation chosen there).
	Include string
	// Blank makes a single picker always send one value, "" when nobody is
	// chosen, so that it lines up with the other fields of a row
	// (speakers.person_id beside speakers.name …); Row tells apart the
	// pickers of the rows on one page.
	Blank bool
	Row   string
}

// ID is the picker's element id, unique on the page for its field name.
func (p picker) ID() string {
	b := []byte("pick-")
	for _, r := range p.Name {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b = append(b, byte(r))
		} else {
			b = append(b, '-')
		}
	}
	if p.Row != "" {
		b = append(append(b, '-'), p.Row...)
	}
	return string(b)
}

// newPicker is called from templates: picker "members.person_id" "成员" "/people/pick" chosen errors ["multi"] ["required"]
// ["blank"] ["row:N"] ["include:selector"] [extra options].
func newPicker(name, label, source string, chosen []Picked, errors map[string]string, more ...any) picker {
	p := picker{Name: name, Label: label, Source: source, Chosen: chosen, Error: errors[name]}
	for i := 0; i < len(more); i++ {
		switch x := more[i].(type) {
		case string:
			switch x {
			case "multi":
				p.Multi = true
			case "required":
				p.Required = true
			case "blank":
				p.Blank = true
			default:
				if sel, ok := strings.CutPrefix(x, "include:"); ok {
					p.Include = sel
					continue
				}
				if row, ok := strings.CutPrefix(x, "row:"); ok {
					p.Row = row
					continue
				}
				p.Extra = x
			}
		case []Option:
			p.ExtraOptions = x
		}
	}
	return p
}

// pickerResults is one page of matches.
type pickerResults struct {
	Items         []pickerItem
	Query         string
	Page          int
	Next, Prev    string
	Empty, Prompt string
}

type pickerItem struct {
	ID           int64
	Name, Detail string
	Label        string // how the chosen person is named in the form
}

// PickPeople answers a picker's search: one page of the people of the scope
// (narrowed by base: statuses, an organisation's subtree) whose name or
// pinyin initials match q, by name, as the fragment the picker shows under
// its box.
func (s *Server) PickPeople(w http.ResponseWriter, r *http.Request, sc auth.Scope, base store.PersonFilter) error {
	q := r.URL.Query()
	in := Input{Values: q}
	query := in.Str("q")
	if len([]rune(query)) > 40 {
		query = string([]rune(query)[:40])
	}
	page := min(max(in.Num("page", 1), 1), 10000)
	out := pickerResults{Query: query, Page: page}
	if query == "" {
		out.Prompt = "输入姓名或拼音首字母查找"
		return s.renderBlock(w, "picker-results", out)
	}
	f := base
	f.Query, f.Sort, f.Today, f.Limit, f.Offset = query, "name", s.Today(), pickerPageSize, (page-1)*pickerPageSize
	res, err := s.st.People(r.Context(), sc, f)
	if err != nil {
		return err
	}
	for _, p := range res.Items {
		out.Items = append(out.Items, pickerItem{ID: p.ID, Name: p.Name, Detail: p.OrgLabel + " · " + msg.Text("status."+string(p.Status)),
			Label: p.Name + "（" + p.OrgLabel + "）"})
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + v.Encode()
	}
	if page > 1 {
		out.Prev = link(page - 1)
	}
	if page*pickerPageSize < res.Total {
		out.Next = link(page + 1)
	}
	if len(out.Items) == 0 {
		out.Empty = msg.Text("picker.none")
	}
	return s.renderBlock(w, "picker-results", out)
}

// renderBlock writes one of the kernel's shared blocks alone (an htmx fragment).
func (s *Server) renderBlock(w http.ResponseWriter, block string, data any) error {
	t, ok := s.views.pages["error"] // every page holds the shared blocks; the kernel's own always exists
	if !ok {
		return errNoRoute
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}
