package ledger

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// CampaignKind tells a 专项学习教育 from a 主题教育.
type CampaignKind string

const (
	StudyCampaign CampaignKind = "study" // 专项学习教育（党史学习教育）
	ThemeCampaign CampaignKind = "theme" // 主题教育（政法队伍教育整顿）
)

// CampaignKinds in display order.
var CampaignKinds = []CampaignKind{StudyCampaign, ThemeCampaign}

// Limits of a campaign's texts.
const (
	MaxCampaignName = 100
	MaxPlan         = 2000 // a longer 实施方案 is uploaded as a file
	MaxPlanFile     = 20 << 20
)

// Campaign is a 专项学习教育 or 主题教育: its events and ledger items belong
// to it, so its figures can be drawn for it alone.
type Campaign struct {
	ID       int64
	OrgID    int64
	OrgPath  string
	OrgName  string
	Name     string
	Kind     CampaignKind
	StartsOn date.Date
	EndsOn   date.Date
	GroupID  int64  // its 领导小组 (a working group of the organisation tree)
	Group    string // filled on read
	Plan     string // 实施方案 as text
	PlanName string // 实施方案 as a file: its name and type; content read on download
	PlanType string

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Normalize trims the texts and fills the default kind.
func (c *Campaign) Normalize() {
	c.Name, c.Plan = strings.TrimSpace(c.Name), strings.TrimSpace(c.Plan)
	if c.Kind == "" {
		c.Kind = StudyCampaign
	}
}

// Validate checks a campaign as it is saved.
func (c *Campaign) Validate() error {
	var v errs.Invalid
	if c.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if c.Name == "" {
		v.Add("name", "ledger.campaign_name_required")
	}
	v.MaxLen("name", c.Name, MaxCampaignName)
	v.MaxLen("plan", c.Plan, MaxPlan)
	if c.Kind != StudyCampaign && c.Kind != ThemeCampaign {
		v.Add("kind", "ledger.campaign_kind_unknown")
	}
	if c.StartsOn.IsZero() {
		v.Add("starts_on", "ledger.date_required")
	}
	if c.EndsOn.IsZero() {
		v.Add("ends_on", "ledger.date_required")
	} else if !c.StartsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		v.Add("ends_on", "ledger.campaign_ends_before_start")
	}
	return v.Err()
}
