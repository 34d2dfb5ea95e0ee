package web

import (
	"net/http"
	"net/url"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/msg"
)

// Layout is what every page's template gets besides its own data.
type Layout struct {
	Title  string
	User   *auth.User
	Menu   []MenuItem
	Active string
	Notice string            // a one-line success message
	Errors map[string]string // field → Chinese message, beside each field
	// Crumbs lead from the 工作台 to the page: every page below the first
	// level has them (Base fills 工作台 › menu entry › page; a page deeper
	// down inserts its parents with AddCrumb).
	Crumbs []Crumb
}

// Crumb is one step of the breadcrumbs; the last has no link.
type Crumb struct{ Label, Link string }

// AddCrumb inserts a step before the page's own (the last) crumb: a person's
// organisation, an organisation's parent.
func (l *Layout) AddCrumb(label, link string) {
	if len(l.Crumbs) == 0 {
		return
	}
	last := l.Crumbs[len(l.Crumbs)-1]
	l.Crumbs = append(l.Crumbs[:len(l.Crumbs)-1], Crumb{label, link}, last)
}

// MenuItem is one entry of the main menu as the layout draws it.
type MenuItem struct {
	Path, Label string
	Active      bool
}

// Base fills the common part of a page for the caller: the menu lists what
// the role may open, from the menu entries of the mounted areas' routes, so
// nothing is shown that would be refused.
func (s *Server) Base(c *Call, title, active string) Layout {
	p := Layout{Title: title, User: c.User, Active: active}
	if c.User == nil {
		return p
	}
	for _, rt := range s.pages {
		if rt.Menu == nil {
			continue
		}
		if rt.Perm != LoggedIn && rt.Perm != OwnAccount && !c.User.Role.Can(rt.Perm) {
			continue
		}
		if rt.Menu.When != nil && !rt.Menu.When(c) {
			continue
		}
		path := menuPath(rt.Pattern)
		p.Menu = append(p.Menu, MenuItem{path, rt.Menu.Label, path == active})
	}
	p.Crumbs = crumbs(p.Menu, title, active)
	return p
}

// crumbs are a page's breadcrumbs: none on the 工作台 and on a menu entry's
// own page, 工作台 › entry › page below them.
func crumbs(menu []MenuItem, title, active string) []Crumb {
	if active == "/" && title == "工作台" {
		return nil
	}
	out := []Crumb{{"工作台", "/"}}
	for _, m := range menu {
		if m.Path == active && m.Path != "/" {
			if m.Label == title {
				return nil // a first-level page
			}
			out = append(out, Crumb{m.Label, m.Path})
		}
	}
	return append(out, Crumb{title, ""})
}

// BackTo is where 取消 and 返回 lead: the page the user came from (the
// form's "back" value, or the address they came from) when it is a page of
// this site, else fallback.
func BackTo(r *http.Request, fallback string) string {
	for _, cand := range []string{r.FormValue("back"), refererPath(r)} {
		if LocalPath(cand) && cand != r.URL.RequestURI() {
			return cand
		}
	}
	return fallback
}

// LocalPath reports an address of this site ("/people/3"), never one that
// a browser would take to another ("//evil.example", "/\\evil.example").
func LocalPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") && !strings.ContainsAny(p, "\r\n")
}

// refererPath is the path and query of a Referer from this same site.
func refererPath(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.Path == "" {
		return ""
	}
	return ref.RequestURI()
}

// menuPath is the address of a GET pattern ("GET /{$}" → "/").
func menuPath(pattern string) string {
	_, path, _ := strings.Cut(pattern, " ")
	return strings.TrimSuffix(path, "{$}")
}

// Notice turns a ?notice= code after a redirect into its one-line message.
func Notice(r *http.Request) string {
	n := r.URL.Query().Get("notice")
	if n == "" || !msg.Has("notice."+n) {
		return ""
	}
	return msg.Text("notice." + n)
}
