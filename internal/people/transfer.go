package people

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Direction of an 组织关系转接.
type Direction string

const (
	TransferIn   Direction = "in"   // arrives from outside (or from another branch)
	TransferOut  Direction = "out"  // leaves to an organisation outside the platform
	TransferMove Direction = "move" // moves between two organisations on the platform
)

// Transfer is one step of a person's organisational history.
type Transfer struct {
	ID        int64
	PersonID  int64
	Direction Direction
	On        date.Date
	FromOrgID int64  // 0 when from outside
	ToOrgID   int64  // 0 when to outside
	External  string // the outside organisation's name, at most MaxExternal characters
	Note      string // at most MaxNote characters
	CreatedAt time.Time
}

// Validate checks a transfer request.
func (t *Transfer) Validate(today date.Date) error {
	var v errs.Invalid
	t.External = strings.TrimSpace(t.External)
	v.MaxLen("external", t.External, MaxExternal)
	v.MaxLen("note", t.Note, MaxNote)
	if t.On.IsZero() {
		v.Add("on", "required")
	} else if t.On.After(today) {
		v.Add("on", "date.out_of_range")
	}
	switch t.Direction {
	case TransferOut:
		if t.External == "" {
			v.Add("external", "required")
		}
	case TransferIn:
		if t.External == "" {
			v.Add("external", "required")
		}
		if t.ToOrgID == 0 {
			v.Add("to_org_id", "required")
		}
	case TransferMove:
		if t.ToOrgID == 0 {
			v.Add("to_org_id", "required")
		}
	default:
		v.Add("direction", "invalid")
	}
	return v.Err()
}
