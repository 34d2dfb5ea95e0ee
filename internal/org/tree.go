package org

import (
	"sort"
	"strings"
)

// SortTree orders a subtree for display: every node after its parent, siblings
// by sort order then name. Nodes whose parent is not in the list start a branch
// of their own (the top of a user's scope).
func SortTree(list []Org) []Org {
	byParent := map[int64][]Org{}
	present := map[int64]bool{}
	for _, o := range list {
		present[o.ID] = true
	}
	var roots []Org
	for _, o := range list {
		if o.ParentID == 0 || !present[o.ParentID] {
			roots = append(roots, o)
			continue
		}
		byParent[o.ParentID] = append(byParent[o.ParentID], o)
	}
	less := func(s []Org) {
		sort.SliceStable(s, func(i, j int) bool {
			if s[i].SortOrder != s[j].SortOrder {
				return s[i].SortOrder < s[j].SortOrder
			}
			if s[i].Kind.IsParty() != s[j].Kind.IsParty() {
				return s[i].Kind.IsParty()
			}
			return strings.Compare(s[i].Name, s[j].Name) < 0
		})
	}
	less(roots)
	out := make([]Org, 0, len(list))
	var walk func(o Org)
	walk = func(o Org) {
		out = append(out, o)
		kids := byParent[o.ID]
		less(kids)
		for _, k := range kids {
			walk(k)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}
