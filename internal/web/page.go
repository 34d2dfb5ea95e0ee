package web

import (
	"net/http"
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
	return p
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
