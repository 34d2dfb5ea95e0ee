// Package audit is the append-only record of who changed what, from where,
// with the state before and after. Storage writes an Entry in the same
// transaction as the change it describes; nothing edits or deletes one.
package audit

import "time"

// Actor is who makes a change and from where.
type Actor struct {
	UserID   int64
	Username string
	IP       string
}

// System is the actor for changes made by the operator's own commands.
var System = Actor{Username: "system", IP: "local"}

// Entry is one audit record. Before and After are JSON of the object.
type Entry struct {
	ID         int64
	At         time.Time
	UserID     int64
	Username   string
	IP         string
	Action     string // e.g. person.create, login.failure
	ObjectType string
	ObjectID   string
	OrgPath    string // where the object sits, so scoped auditors could filter
	Before     string
	After      string
}

// Filter selects entries; zero fields do not filter.
type Filter struct {
	From, To   time.Time
	Username   string
	Action     string // prefix match: "person." selects every person action
	ObjectType string
	ObjectID   string
	// PersonIDs selects the records concerning any of these people: their
	// own record's changes and every record whose object names them (a
	// committee seat, a working group, an account linked to them).
	PersonIDs []int64
	// OrgPath selects the records of objects that sit in this subtree
	// ("/1/4/": the branch and its groups).
	OrgPath string
	Limit   int
	Offset  int
}
