package org

import "strings"

// PathSeparator joins the names of a path as users read it: 第一党支部 › 第一党小组.
const PathSeparator = " › "

// PathLabels names every organisation of the tree by as little of its path as
// tells it apart from every other: its own name when that is unique
// (市中级人民法院), else its parent's name before it (第一党支部 › 第一党小组),
// and so on up while names still collide. Every branch of a 政法委 has a
// 第一党小组, so a bare group name never says which one. all must hold the
// whole tree (closed organisations too: old records point at them);
// organisations whose parent is missing are labelled as far as known.
func PathLabels(all []Org) map[int64]string {
	byID := make(map[int64]*Org, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	// chain[id] is the path of names so far, nearest last; top[id] the
	// topmost organisation it reaches.
	chain := make(map[int64][]string, len(all))
	top := make(map[int64]*Org, len(all))
	pending := make([]int64, 0, len(all))
	for i := range all {
		o := &all[i]
		chain[o.ID], top[o.ID] = []string{o.Name}, o
		pending = append(pending, o.ID)
	}
	for len(pending) > 0 {
		// Group the still ambiguous ones with everyone by their current chain.
		groups := map[string][]int64{}
		for id := range chain {
			k := strings.Join(chain[id], "\x00")
			groups[k] = append(groups[k], id)
		}
		var next []int64
		for _, id := range pending {
			if len(groups[strings.Join(chain[id], "\x00")]) < 2 {
				continue
			}
			if p, ok := byID[top[id].ParentID]; ok {
				chain[id], top[id] = append([]string{p.Name}, chain[id]...), p
				next = append(next, id)
			}
		}
		if len(next) == 0 {
			break
		}
		pending = next
	}
	out := make(map[int64]string, len(all))
	for id, c := range chain {
		out[id] = strings.Join(c, PathSeparator)
	}
	return out
}
