package web

import (
	"context"
	"io/fs"
	"net/http"

	"dangjian/internal/auth"
	"dangjian/internal/jobs"
)

// Route is one entry of an area's route table. Everything the kernel needs to
// know about a route stands in it: the permission it needs, where it shows in
// the menu, how large a body it takes. So a new area adds routes and touches
// no central list.
type Route struct {
	Pattern string    // "METHOD /path/{id}"
	Perm    auth.Perm // what the user must hold; Public, LoggedIn and OwnAccount are the open ones
	Handle  Handler
	Summary string // the OpenAPI summary and what the route does, in Chinese
	Menu    *Menu  // a main-menu entry (GET page routes only); nil for none
	MaxBody int64  // request body limit in bytes; 0 means DefaultMaxBody
	// Out is the type the route answers with (API routes), so the OpenAPI
	// document describes the response body; nil for none or a download.
	Out any
	// In is the type of the request body (API routes), for the OpenAPI
	// document only: its json names, and for text a `maxLength:"N"` tag
	// with the limit the handler enforces. Handlers still read Input.
	In any
}

// Menu is a route's entry in the main menu. Entries appear in the order the
// areas are mounted, and within an area in route order.
type Menu struct {
	Label string
	// When, if set, hides the entry for callers it returns false for (a menu
	// entry the role may open but that leads nowhere for this user).
	When func(*Call) bool
}

// The open permissions: a route with one of these needs no role permission.
const (
	Public     auth.Perm = "public"      // no login needed
	LoggedIn   auth.Perm = "loggedin"    // any logged-in user
	OwnAccount auth.Perm = "own_account" // any logged-in user, even one who must change their password first
)

// DefaultMaxBody is the largest request body of a route that sets no MaxBody.
const DefaultMaxBody = 1 << 20

// Handler handles one request; it returns an error instead of writing one,
// and a single place (errors.go) turns errors into status codes and messages.
type Handler func(w http.ResponseWriter, r *http.Request, c *Call) error

// Area is one part of the site (organisations, people, the audit log …): its
// pages and its JSON API. Each area is its own package under internal/web;
// the app mounts them and the kernel never imports one.
type Area interface {
	Pages() []Route // the web pages
	API() []Route   // the JSON API under /api/v1
}

// NewArea builds an area over the kernel; app lists one per area.
type NewArea func(*Server) Area

// Templates is implemented by areas with pages: their templates directory.
// Each file is a page named after it ("org_show.html" → "org_show"); files
// starting with "_" hold blocks shared by the area's pages.
type Templates interface {
	Templates() fs.FS
}

// JobHandlers is implemented by areas with durable background work: the
// handler of each kind of job they enqueue (Server.Enqueue).
type JobHandlers interface {
	Jobs() map[string]jobs.Handler
}

// Scheduler is implemented by areas with recurring work: when the server
// starts its jobs, Schedule makes sure the next run is in the queue (once
// across instances: give the job a DedupeKey).
type Scheduler interface {
	Schedule(ctx context.Context) error
}

// RouteInfo describes a route for tests and documentation.
type RouteInfo struct {
	Pattern string
	Perm    auth.Perm
	Summary string
	API     bool
	MaxBody int64
}

// Routes lists every route of both surfaces.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range s.pages {
		out = append(out, RouteInfo{rt.Pattern, rt.Perm, rt.Summary, false, rt.maxBody()})
	}
	for _, rt := range s.api {
		out = append(out, RouteInfo{rt.Pattern, rt.Perm, rt.Summary, true, rt.maxBody()})
	}
	return out
}

func (rt Route) maxBody() int64 {
	if rt.MaxBody > 0 {
		return rt.MaxBody
	}
	return DefaultMaxBody
}
