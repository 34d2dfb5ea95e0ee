package org

import (
	"strings"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// GroupRole is a seat in a working group.
type GroupRole string

const (
	Leader       GroupRole = "leader"        // 组长
	DeputyLeader GroupRole = "deputy_leader" // 副组长
	GroupMember  GroupRole = "member"        // 成员
	OfficeHead   GroupRole = "office_head"   // 办公室主任
)

// GroupRoles in display order.
var GroupRoles = []GroupRole{Leader, DeputyLeader, GroupMember, OfficeHead}

// WorkingGroup is a 领导小组 or 党员攻坚小组 set up by an organisation for a task,
// with an office that runs it day to day.
type WorkingGroup struct {
	ID       int64
	OrgID    int64
	Name     string // at most MaxName characters
	Purpose  string // 主要职责 / 攻坚目标, at most MaxPurpose characters
	Office   string // 办公室 (where it sits), at most MaxOffice characters
	SetUpOn  date.Date
	ClosedOn date.Date
	// Members are the seats a reader may see: the people inside their own
	// scope. A 领导小组 spans units, so a branch secretary reading it learns
	// only how many Others sit in it, not who they are.
	Members []WorkingGroupMember
	Others  int
	Version int64 // optimistic lock: an edit based on a stale copy is refused
}

// WorkingGroupMember is one person's seat in a working group.
type WorkingGroupMember struct {
	PersonID int64
	Role     GroupRole
	Name     string // filled on read
}

// Validate checks the group and its seats.
func (g *WorkingGroup) Validate() error {
	var v errs.Invalid
	g.Name = strings.TrimSpace(g.Name)
	if g.Name == "" {
		v.Add("name", "required")
	}
	v.MaxLen("name", g.Name, MaxName)
	v.MaxLen("purpose", g.Purpose, MaxPurpose)
	v.MaxLen("office", g.Office, MaxOffice)
	if g.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if g.SetUpOn.IsZero() {
		v.Add("set_up_on", "required")
	}
	seen := map[int64]bool{}
	for _, m := range g.Members {
		if seen[m.PersonID] {
			v.Add("members", "group.duplicate_member")
		}
		seen[m.PersonID] = true
		valid := false
		for _, r := range GroupRoles {
			valid = valid || r == m.Role
		}
		if !valid {
			v.Add("members", "invalid")
		}
	}
	return v.Err()
}
