package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/msg"
)

//go:embed templates static
var files embed.FS

// views are the parsed templates and the static assets. Templates are parsed
// once at start; a page that is missing fails start-up, not a request.
type views struct {
	pages  map[string]*template.Template
	assets *assets
}

func loadViews(areas []Area) (*views, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"t":     msg.Text,
		"label": func(prefix string, v any) string { return msg.Text(prefix + "." + fmt.Sprint(v)) },
		"asset": a.url,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(China).Format("2006-01-02 15:04:05")
		},
		"add":      func(a, b int) int { return a + b },
		"roles":    func() []auth.Role { return auth.Roles },
		"field":    newField,
		"orglabel": OrgLabel,
		"picker":   newPicker,
		"seq":      func(n int) []int { return make([]int, max(n, 0)) },
		"has": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}, assets: a}
	// The kernel's own pages (the error page) and then each area's.
	sources := []fs.FS{mustSub(files, "templates")}
	for _, ar := range areas {
		if t, ok := ar.(Templates); ok {
			sources = append(sources, t.Templates())
		}
	}
	for _, src := range sources {
		if err := v.addPages(base, src); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// addPages parses each page of a templates directory over the layout, with
// the directory's shared blocks ("_*.html").
func (v *views) addPages(base *template.Template, src fs.FS) error {
	names, err := fs.Glob(src, "*.html")
	if err != nil {
		return err
	}
	shared, err := fs.Glob(src, "_*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		name := strings.TrimSuffix(n, ".html")
		if strings.HasPrefix(n, "_") || kernelTemplates[n] {
			continue
		}
		if _, dup := v.pages[name]; dup {
			return fmt.Errorf("template %s: two areas have a page of that name", n)
		}
		t := template.Must(base.Clone())
		if len(shared) > 0 {
			if t, err = t.ParseFS(src, shared...); err != nil {
				return fmt.Errorf("template %s: %w", n, err)
			}
		}
		if t, err = t.ParseFS(src, n); err != nil {
			return fmt.Errorf("template %s: %w", n, err)
		}
		v.pages[name] = t
	}
	return nil
}

// kernelTemplates are the kernel's files that every page already holds.
var kernelTemplates = map[string]bool{"layout.html": true, "partials.html": true}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // an embedded directory that does not exist: a build mistake
	}
	return sub
}

// Render writes a full page (or, for an htmx request, just its content block).
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	// An htmx request that targets an element whose id names a block of this
	// page (content, roster-results …) gets just that block.
	block := "layout.html"
	if target := r.Header.Get("HX-Target"); r.Header.Get("HX-Request") == "true" && target != "" && t.Lookup(target) != nil {
		block = target
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// renderError shows an error page in the layout when possible.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, p problem) {
	c, _ := s.authenticate(r)
	if c == nil {
		c = &Call{}
	}
	data := struct {
		Layout
		Status  int
		Message string
	}{s.Base(c, "出错了", ""), p.status, p.message}
	if err := s.Render(w, r, p.status, "error", data); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, p.message, p.status)
	}
}

// assets serves the embedded static files under content-hashed names, so
// browsers may cache them forever and a new release is fetched at once.
type assets struct {
	byName map[string]string // "app.css" → "/static/app.1a2b3c4d.css"
	files  map[string][]byte // "/static/app.1a2b3c4d.css" → content
	types  map[string]string
	// missing answers an address that is no asset (an old hash): the
	// site's own Chinese 404.
	missing http.Handler
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, files: map[string][]byte{}, types: map[string]string{}}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		hashed := "/static/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byName[e.Name()], a.files[hashed] = hashed, b
		a.types[hashed] = map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}[ext]
	}
	return a, nil
}

func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := a.files[r.URL.Path]
	if !ok {
		if a.missing != nil {
			a.missing.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.types[r.URL.Path])
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// field is what the form partials need to draw one input with its label, its
// current value and, beside it, the message of what is wrong with it.
type field struct {
	// ID is the control's id, "f-" and the name unless an "id:…" argument
	// says otherwise: a page with the same field twice (a filter and a
	// form, repeated rows) gives each its own, so each label points at
	// its own control.
	ID                              string
	Name, Label, Value, Error, Type string
	Options                         []choice
	Required                        bool
	// Reload is where a select of organisations asks for its options
	// opened down to another choice (OrgTree), "" for a fixed list.
	Reload string
	// AriaLabel names a control drawn without its label (option
	// "unlabelled": a select in a row of choices).
	AriaLabel string
}

// Option is one choice of a dropdown.
type Option struct{ Value, Label string }

// choice is an option as a form draws it, marked when it is the field's value.
type choice struct {
	Value, Label string
	Selected     bool
}

// newField is called from templates: field "name" "姓名" value errors ["required"] [type] [options].
func newField(name, label string, value any, errors map[string]string, more ...any) field {
	f := field{ID: "f-" + name, Name: name, Label: label, Value: fmt.Sprint(value), Error: errors[name], Type: "text"}
	if value == nil {
		f.Value = ""
	}
	for _, m := range more {
		switch x := m.(type) {
		case string:
			if id, ok := strings.CutPrefix(x, "id:"); ok {
				f.ID = id
			} else if x == "required" {
				f.Required = true
			} else if x == "unlabelled" {
				f.AriaLabel = f.Label
			} else {
				f.Type = x
			}
		case []Option:
			f.Options, f.Type = choices(x, f.Value), "select"
		case OrgTree:
			f.Options, f.Type = choices(x.Options, f.Value), "select"
			f.Reload = x.reload + "&" + url.Values{"name": {name}}.Encode()
		}
	}
	return f
}

// choices copies a list with the chosen one marked: the list may serve
// several fields of a page, and a flag is cheaper to render than a comparison.
func choices(list []Option, value string) []choice {
	out := make([]choice, len(list))
	for i, o := range list {
		out[i] = choice{o.Value, o.Label, o.Value == value}
	}
	return out
}
