// Package auth is who may do what: roles and their permissions (三员 kept
// apart), the organisation subtree a user works in, passwords and sessions.
package auth

// Role names one of the platform's roles. A user has exactly one.
type Role string

const (
	SystemAdmin    Role = "system_admin"    // 系统管理员: accounts, dictionaries, settings
	SecurityAdmin  Role = "security_admin"  // 安全管理员: unlock, reset, disable, role grants
	AuditAdmin     Role = "audit_admin"     // 审计管理员: reads the audit log, nothing else
	CommitteeAdmin Role = "committee_admin" // 党委管理员: the whole tree under their committee
	BranchAdmin    Role = "branch_admin"    // 支部书记/支委: their own branch
	Member         Role = "member"          // 党员/干部职工: their own record
)

// Roles in display order.
var Roles = []Role{SystemAdmin, SecurityAdmin, AuditAdmin, CommitteeAdmin, BranchAdmin, Member}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := grants[r]; return ok }

// IsAdmin is true for the three separated administrators, who manage the
// system but never its business records.
func (r Role) IsAdmin() bool { return r == SystemAdmin || r == SecurityAdmin || r == AuditAdmin }

// Perm is one permission; routes declare the one they need.
type Perm string

const (
	OrgRead        Perm = "org.read"
	OrgWrite       Perm = "org.write"
	PersonRead     Perm = "person.read"
	PersonWrite    Perm = "person.write"
	PersonImport   Perm = "person.import"
	PersonExport   Perm = "person.export"
	PersonSeeFull  Perm = "person.sensitive" // ID number and phone unmasked (each view audited)
	SelfRead       Perm = "self.read"
	MemberAccount  Perm = "member.account" // open a member's own login for a person in scope
	DictWrite      Perm = "dict.write"
	JobRead        Perm = "job.read"        // the scheduled jobs and their last runs (operations)
	UserRead       Perm = "user.read"       // list accounts (both account administrators)
	UserManage     Perm = "user.manage"     // create accounts and set their scope
	SecurityManage Perm = "security.manage" // unlock, reset password, disable, grant roles
	AuditRead      Perm = "audit.read"
	EventRead      Perm = "event.read"     // organisational life: calendar, events, attendance, figures
	EventWrite     Perm = "event.write"    // plan and record events, mark attendance, open QR sign-in
	EventConfig    Perm = "event.config"   // event kinds and the compliance rules (installation configuration)
	SummaryRead    Perm = "summary.read"   // work summaries, reported figures and the dashboard of the scope
	SummaryWrite   Perm = "summary.write"  // generate and edit summaries, enter reported figures
	SummaryConfig  Perm = "summary.config" // summary templates and the weak-spot rules
)

// grants is the permission table. The three administrators share nothing but the
// list of accounts, so no one of them can do another's job (等保2.0 三员分立).
var grants = map[Role][]Perm{
	SystemAdmin:    {UserRead, UserManage, DictWrite, EventConfig, JobRead},
	SecurityAdmin:  {UserRead, SecurityManage},
	AuditAdmin:     {AuditRead},
	CommitteeAdmin: {OrgRead, OrgWrite, PersonRead, PersonWrite, PersonImport, PersonExport, PersonSeeFull, SelfRead, MemberAccount, EventRead, EventWrite, SummaryRead, SummaryWrite, SummaryConfig},
	BranchAdmin:    {OrgRead, PersonRead, PersonWrite, PersonImport, PersonExport, SelfRead, MemberAccount, EventRead, EventWrite, SummaryRead, SummaryWrite},
	Member:         {SelfRead},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Perm) bool {
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// Perms lists the permissions of r.
func (r Role) Perms() []Perm { return append([]Perm(nil), grants[r]...) }
