package roster

import (
	"context"
	"strconv"
	"strings"

	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
)

// pathSep joins the names of an organisation's path as the roster writes
// it: 第一党支部/第一党小组. The importer also reads the separators offices
// and the platform's pages use.
const pathSep = "/"

var pathSeps = []string{"／", "›", "＞", ">", "\\"}

// Names finds organisations by the words a roster writes for them and
// writes them so they are found again: each by the shortest tail of its path
// that no other organisation shares (a bare name where it is unique,
// 第一党支部/第一党小组 where three branches have a 第一党小组). Organisations
// are those of the importer's scope; units are all units (a person's unit may
// lie outside a branch secretary's subtree), also under their aliases.
type Names struct {
	orgs    nameIndex
	units   nameIndex
	aliases map[string]int64
}

// nameIndex holds a set of organisations with the names along their paths.
type nameIndex struct {
	byID   map[int64]*entry
	byName map[string][]*entry
}

type entry struct {
	o     org.Org
	chain []string // names from the top of the known tree down to the organisation itself
	label string
}

// LoadNames reads the organisations of the scope and all units.
func LoadNames(ctx context.Context, st *store.Store, sc auth.Scope) (*Names, error) {
	orgs, err := st.Orgs(ctx, sc, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	units, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: unitKinds})
	if err != nil {
		return nil, err
	}
	aliases, err := st.UnitAliases(ctx, sc)
	if err != nil {
		return nil, err
	}
	return NewNames(orgs, units, aliases), nil
}

// unitKinds may be a person's 工作单位.
var unitKinds = []org.Kind{org.Unit, org.School, org.Township, org.Village}

func isUnitKind(k org.Kind) bool {
	for _, u := range unitKinds {
		if k == u {
			return true
		}
	}
	return false
}

// NewNames indexes organisations (any kinds) and units, with the units'
// aliases (alias → unit id).
func NewNames(orgs, units []org.Org, aliases map[string]int64) *Names {
	n := &Names{orgs: newIndex(orgs), aliases: aliases}
	var us []org.Org
	for _, u := range units {
		if isUnitKind(u.Kind) {
			us = append(us, u)
		}
	}
	n.units = newIndex(us)
	return n
}

func newIndex(list []org.Org) nameIndex {
	x := nameIndex{byID: map[int64]*entry{}, byName: map[string][]*entry{}}
	for _, o := range list {
		x.byID[o.ID] = &entry{o: o}
	}
	for _, e := range x.byID {
		for _, s := range strings.Split(strings.Trim(e.o.Path, "/"), "/") {
			id, _ := strconv.ParseInt(s, 10, 64)
			if a, ok := x.byID[id]; ok {
				e.chain = append(e.chain, a.o.Name)
			} else {
				e.chain = e.chain[:0] // above what is known: start again below it
			}
		}
		if len(e.chain) == 0 || e.chain[len(e.chain)-1] != e.o.Name {
			e.chain = append(e.chain, e.o.Name)
		}
		x.byName[e.o.Name] = append(x.byName[e.o.Name], e)
	}
	for _, e := range x.byID {
		e.label = x.shortest(e)
	}
	return x
}

// shortest is the shortest tail of e's path no other organisation shares.
func (x nameIndex) shortest(e *entry) string {
	for n := 1; n <= len(e.chain); n++ {
		tail := e.chain[len(e.chain)-n:]
		if len(x.match(tail, nil)) == 1 {
			return strings.Join(tail, pathSep)
		}
	}
	return strings.Join(e.chain, pathSep)
}

// match lists the organisations whose path ends in the names of tail and
// which keep passes (nil keeps all).
func (x nameIndex) match(tail []string, keep func(*org.Org) bool) []*entry {
	var out []*entry
	for _, e := range x.byName[tail[len(tail)-1]] {
		if len(e.chain) < len(tail) || keep != nil && !keep(&e.o) {
			continue
		}
		ok := true
		for i := range tail {
			if e.chain[len(e.chain)-len(tail)+i] != tail[i] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// splitPath reads what a cell names: the names of a path, outermost first.
func splitPath(s string) []string {
	for _, sep := range pathSeps {
		s = strings.ReplaceAll(s, sep, pathSep)
	}
	var out []string
	for _, part := range strings.Split(s, pathSep) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// findResult is the outcome of finding a name.
type findResult int

const (
	found findResult = iota
	unknown
	ambiguous
	notUnit // a party organisation written as a unit
)

// Org finds the organisation a cell of 所在支部 names, among those keep
// passes; a written path needs only as much of the path as tells it apart.
func (n *Names) Org(text string, keep func(*org.Org) bool) (*org.Org, findResult) {
	return n.orgs.find(splitPath(text), keep)
}

// Unit finds the unit a cell of 工作单位 names: by its name or path, or by
// one of its aliases.
func (n *Names) Unit(text string) (*org.Org, findResult) {
	tail := splitPath(text)
	o, res := n.units.find(tail, nil)
	if res == unknown && len(tail) == 1 {
		if id, ok := n.aliases[tail[0]]; ok {
			if e, ok := n.units.byID[id]; ok {
				return &e.o, found
			}
		}
	}
	if res == unknown {
		if _, r := n.orgs.find(tail, func(o *org.Org) bool { return o.Kind.IsParty() }); r != unknown {
			return nil, notUnit
		}
	}
	return o, res
}

func (x nameIndex) find(tail []string, keep func(*org.Org) bool) (*org.Org, findResult) {
	if len(tail) == 0 {
		return nil, unknown
	}
	switch m := x.match(tail, keep); len(m) {
	case 0:
		return nil, unknown
	case 1:
		return &m[0].o, found
	default:
		return nil, ambiguous
	}
}

// OrgLabel is how the roster writes an organisation: the shortest tail of
// its path that finds it again. An organisation the index does not hold is
// written by the name given.
func (n *Names) OrgLabel(id int64, name string) string {
	if e, ok := n.orgs.byID[id]; ok {
		return e.label
	}
	return name
}

// UnitLabel is how the roster writes a unit.
func (n *Names) UnitLabel(id int64, name string) string {
	if e, ok := n.units.byID[id]; ok {
		return e.label
	}
	return name
}

// OrgByID returns an organisation of the scope.
func (n *Names) OrgByID(id int64) (*org.Org, bool) {
	e, ok := n.orgs.byID[id]
	if !ok {
		return nil, false
	}
	return &e.o, true
}

// LastName is the organisation's own name in what a cell writes: the last
// name of a path.
func LastName(text string) string {
	parts := splitPath(text)
	if len(parts) == 0 {
		return strings.TrimSpace(text)
	}
	return parts[len(parts)-1]
}
