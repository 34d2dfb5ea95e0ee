// Package org is the organisation tree: party organisations, government units and
// the governance grid, each a node with a kind. A node's path ("/1/4/9/") names
// its ancestors, so "everything under X" is one prefix.
package org

import (
	"strconv"
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Kind is what an organisation is; which kinds may sit under which is in parents.
type Kind string

const (
	Committee     Kind = "committee"      // 党委 (incl. 机关党委)
	GeneralBranch Kind = "general_branch" // 党总支
	Branch        Kind = "branch"         // 党支部
	Group         Kind = "group"          // 党小组
	Unit          Kind = "unit"           // 机关单位
	Township      Kind = "township"       // 乡镇/街道
	Village       Kind = "village"        // 村/社区
	Grid          Kind = "grid"           // 网格
	School        Kind = "school"         // 学校
)

// Kinds in display order.
var Kinds = []Kind{Committee, GeneralBranch, Branch, Group, Unit, Township, Village, Grid, School}

// parents lists the kinds each kind may be placed under; "" means it may be a root.
var parents = map[Kind][]Kind{
	Committee:     {"", Committee, Unit},
	GeneralBranch: {Committee},
	Branch:        {Committee, GeneralBranch, Unit, Township, Village, School},
	Group:         {Branch},
	Unit:          {"", Committee, Unit},
	Township:      {"", Committee, Unit},
	Village:       {Township},
	Grid:          {Village, Township},
	School:        {Committee, Unit, Township},
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := parents[k]; return ok }

// IsParty is true for the kinds that hold party members.
func (k Kind) IsParty() bool {
	return k == Committee || k == GeneralBranch || k == Branch || k == Group
}

// MayBeUnder reports whether a node of kind k may sit under a parent of kind p
// (p == "" for a root).
func (k Kind) MayBeUnder(p Kind) bool {
	for _, allowed := range parents[k] {
		if allowed == p {
			return true
		}
	}
	return false
}

// The longest text of organisations and their groups and committees, in
// characters. Pages and the API refuse longer input beside its field
// ("不能超过60个字"); Validate refuses it from every other source.
const (
	MaxName     = 60  // 组织名称, 小组名称: "市中级人民法院机关党委第一党支部" and longer
	MaxPosition = 40  // 班子职务: a dictionary label (dict.MaxLabel)
	MaxDuty     = 200 // 分工
	MaxOffice   = 60  // 小组办公室
	MaxPurpose  = 500 // 主要职责: free text
)

// Org is one node of the tree.
type Org struct {
	ID        int64
	ParentID  int64 // 0 for a root
	Kind      Kind
	Name      string    // unique among the open children of one parent; at most MaxName characters
	Path      string    // "/1/4/9/": ids from the root down to and including this node
	SortOrder int       // order among siblings
	TermStart date.Date // when the current committee was elected (换届)
	ClosedOn  date.Date // zero while open
	Version   int64
	CreatedAt time.Time
	// Label is the name with as much of the path as tells it apart from
	// every other organisation (PathLabels): 第一党支部 › 第一党小组. Filled on
	// read by the store's lists; show it wherever an organisation is named.
	Label string
	// UnderVillage is true inside a 村/社区 (filled on read like Label):
	// such a committee serves the grassroots term (TermRules).
	UnderVillage bool
}

// Depth is the number of ancestors.
func (o *Org) Depth() int { return strings.Count(o.Path, "/") - 2 }

// Contains reports whether other lies in o's subtree (o itself included).
func (o *Org) Contains(other *Org) bool { return strings.HasPrefix(other.Path, o.Path) }

// ChildPath is the path of a child with the given id.
func (o *Org) ChildPath(id int64) string { return o.Path + strconv.FormatInt(id, 10) + "/" }

// RootPath is the path of a root node.
func RootPath(id int64) string { return "/" + strconv.FormatInt(id, 10) + "/" }

// Validate checks the node's own fields; parent rules need the parent (CheckParent).
func (o *Org) Validate() error {
	var v errs.Invalid
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		v.Add("name", "required")
	}
	v.MaxLen("name", o.Name, MaxName)
	if !o.Kind.Valid() {
		v.Add("kind", "org.kind_unknown")
	}
	return v.Err()
}

// CheckParent says whether o may be placed under parent (nil for a root):
// only some kinds may stand at the top of a tree (MayBeUnder("")), and a
// node never goes under a closed one or into its own subtree.
func (o *Org) CheckParent(parent *Org) error {
	if parent == nil {
		if !o.Kind.MayBeUnder("") {
			return errs.Field("kind", "org.root_kind")
		}
		return nil
	}
	if !parent.ClosedOn.IsZero() {
		return errs.Field("parent_id", "org.parent_closed")
	}
	if parent.ID == o.ID || (o.Path != "" && strings.HasPrefix(parent.Path, o.Path)) {
		return errs.Field("parent_id", "org.move_into_self")
	}
	if !o.Kind.MayBeUnder(parent.Kind) {
		return errs.Field("parent_id", "org.parent_kind")
	}
	return nil
}
