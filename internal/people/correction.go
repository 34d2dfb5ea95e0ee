package people

import (
	"strings"
	"time"

	"dangjian/internal/errs"
)

// CorrectionState is where a member's report of a wrong entry in their own
// record stands: the secretary of their branch accepts it (and corrects the
// record) or declines it with a reason.
type CorrectionState string

const (
	CorrectionPending  CorrectionState = "pending"
	CorrectionAccepted CorrectionState = "accepted"
	CorrectionDeclined CorrectionState = "declined"
)

// MaxCorrection is the longest report or answer, in characters.
const MaxCorrection = 500

// Correction is a member's report that their record is wrong ("出生日期应为
// 1985-03-12"). Members cannot edit their own record: the report goes to
// whoever keeps their branch's roster, and both sides are audited.
type Correction struct {
	ID          int64
	PersonID    int64
	Text        string // what is wrong and what it should be
	State       CorrectionState
	Answer      string // the secretary's note, required when declining
	RequestedBy int64  // the member's user id
	DecidedBy   int64
	CreatedAt   time.Time
	DecidedAt   time.Time
}

// Normalize trims the free text.
func (c *Correction) Normalize() {
	c.Text, c.Answer = strings.TrimSpace(c.Text), strings.TrimSpace(c.Answer)
}

// Validate checks a new report.
func (c *Correction) Validate() error {
	var v errs.Invalid
	if c.Text == "" {
		v.Add("text", "required")
	}
	v.MaxLen("text", c.Text, MaxCorrection)
	return v.Err()
}

// Decision is the branch's answer to a report: accept or decline.
type Decision string

const (
	Accept  Decision = "accept"
	Decline Decision = "decline"
)

// Decide checks a decision on a pending report: a decline says why.
func (c *Correction) Decide(d Decision, answer string) error {
	var v errs.Invalid
	answer = strings.TrimSpace(answer)
	accept := d == Accept
	if d != Accept && d != Decline {
		v.Add("decision", "required")
	} else if !accept && answer == "" {
		v.Add("answer", "correction.decline_reason")
	}
	v.MaxLen("answer", answer, MaxCorrection)
	if err := v.Err(); err != nil {
		return err
	}
	if c.State != CorrectionPending {
		return errs.NewConflict("", "correction.already_decided")
	}
	c.Answer = answer
	c.State = CorrectionDeclined
	if accept {
		c.State = CorrectionAccepted
	}
	return nil
}
