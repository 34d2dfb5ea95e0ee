package ledger

import (
	"strings"
	"time"

	"dangjian/internal/errs"
)

// LifeKinds are the codes of the event kinds whose participants keep a
// record of criticism and self-criticism (批评与自我批评).
var LifeKinds = []string{"org_life", "democratic_life"}

// IsLifeKind reports whether an event kind's code keeps life records.
func IsLifeKind(code string) bool {
	for _, k := range LifeKinds {
		if k == code {
			return true
		}
	}
	return false
}

// Limits of a life record's texts, in characters.
const (
	MaxCriticism   = 2000
	MaxProblemText = 500
	MaxProblems    = 20
)

// LifeRecord is one participant's record at a 组织生活会 or 民主生活会.
type LifeRecord struct {
	ID       int64
	EventID  int64
	PersonID int64
	Name     string // filled on read

	SelfCriticism     string // 自我批评（对照检查）
	CriticismGiven    string // 对他人提出的批评意见
	CriticismReceived string // 他人提出的批评意见
	Problems          []Problem

	Version   int64
	UpdatedAt time.Time
}

// Problem is one problem a participant's record found (检视问题); it may
// become a ledger item, linked both ways.
type Problem struct {
	ID       int64  `json:"id"`
	RecordID int64  `json:"record_id"`
	EventID  int64  `json:"event_id"`
	Content  string `json:"content"`
	ItemID   int64  `json:"item_id"` // the ledger item it became; 0 until then
}

// Normalize trims the texts.
func (r *LifeRecord) Normalize() {
	r.SelfCriticism = strings.TrimSpace(r.SelfCriticism)
	r.CriticismGiven = strings.TrimSpace(r.CriticismGiven)
	r.CriticismReceived = strings.TrimSpace(r.CriticismReceived)
}

// Validate checks a record as it is saved.
func (r *LifeRecord) Validate() error {
	var v errs.Invalid
	if r.ID == 0 && r.PersonID == 0 { // an edit keeps its person
		v.Add("person_id", "ledger.person_required")
	}
	v.MaxLen("self_criticism", r.SelfCriticism, MaxCriticism)
	v.MaxLen("criticism_given", r.CriticismGiven, MaxCriticism)
	v.MaxLen("criticism_received", r.CriticismReceived, MaxCriticism)
	return v.Err()
}

// ValidateProblem checks a problem's text.
func ValidateProblem(p *Problem) error {
	var v errs.Invalid
	p.Content = strings.TrimSpace(p.Content)
	if p.Content == "" {
		v.Add("content", "ledger.problem_required")
	}
	v.MaxLen("content", p.Content, MaxProblemText)
	return v.Err()
}
