package auth

// Scope is the part of the organisation tree a request may touch. Every store
// query that reads or lists takes one explicitly; there is no implicit "all".
type Scope struct {
	// OrgPath is the subtree's root path ("/1/4/"); every org and person whose
	// path starts with it is inside.
	OrgPath string
	// PersonID, when set, narrows the scope to one person's own record (members).
	PersonID int64
}

// Everything is the scope of the whole tree. Only commands run by the operator
// (demo data, imports from the command line) and tests use it.
var Everything = Scope{OrgPath: "/"}

// Includes reports whether a node with the given path is inside the scope.
func (s Scope) Includes(path string) bool {
	return s.PersonID == 0 && len(s.OrgPath) > 0 && len(path) >= len(s.OrgPath) && path[:len(s.OrgPath)] == s.OrgPath
}

// PathRange returns the half-open text range [lo, hi) holding exactly the paths
// that start with OrgPath: '/' + 1 is '0', so "/1/4/" … "/1/40" is the subtree.
// An index on the path column answers it with one range scan.
func (s Scope) PathRange() (lo, hi string) {
	p := s.OrgPath
	return p, p[:len(p)-1] + "0"
}
