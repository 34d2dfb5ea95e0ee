package ledgerweb

import (
	"time"

	"dangjian/internal/date"
	"dangjian/internal/ledger"
	"dangjian/internal/msg"
	"dangjian/internal/store"
)

// itemOut is a ledger item as the API answers it.
type itemOut struct {
	ID          int64             `json:"id"`
	OrgID       int64             `json:"org_id"`
	OrgName     string            `json:"org_name"`
	Source      ledger.Source     `json:"source"`
	SourceID    int64             `json:"source_id"`
	SourceText  string            `json:"source_text"`
	EventID     int64             `json:"event_id"` // the meeting a problem was found at
	CampaignID  int64             `json:"campaign_id"`
	Campaign    string            `json:"campaign"`
	Problem     string            `json:"problem"`
	Measures    string            `json:"measures"`
	OwnerID     int64             `json:"owner_id"`
	Owner       string            `json:"owner"`
	OpenedOn    date.Date         `json:"opened_on"`
	Deadline    date.Date         `json:"deadline"`
	ClosedOn    date.Date         `json:"closed_on"`
	Closure     string            `json:"closure"`
	Status      ledger.Status     `json:"status"` // open, overdue (open past its deadline today), done
	StatusLabel string            `json:"status_label"`
	OnTime      bool              `json:"on_time"` // closed by its deadline
	Progress    []ledger.Progress `json:"progress"`
	Version     int64             `json:"version"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

func newItemOut(i *ledger.Item, today date.Date) itemOut {
	st := i.StatusOn(today)
	out := itemOut{ID: i.ID, OrgID: i.OrgID, OrgName: i.OrgName, Source: i.Source, SourceID: i.SourceID, SourceText: i.SourceText,
		EventID: i.EventID, CampaignID: i.CampaignID, Campaign: i.Campaign, Problem: i.Problem, Measures: i.Measures, OwnerID: i.OwnerID,
		Owner: i.Owner, OpenedOn: i.OpenedOn, Deadline: i.Deadline, ClosedOn: i.ClosedOn, Closure: i.Closure, Status: st,
		StatusLabel: msg.Text("ledger_status." + string(st)), OnTime: i.OnTime(), Progress: i.Progress, Version: i.Version,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if out.Progress == nil {
		out.Progress = []ledger.Progress{}
	}
	return out
}

// itemIn documents the body of an item's creation or change.
type itemIn struct {
	OrgID      int64  `json:"org_id"`
	Problem    string `json:"problem" maxLength:"1000"`
	Measures   string `json:"measures" maxLength:"2000"`
	OwnerID    int64  `json:"owner_id"`
	Deadline   string `json:"deadline"`  // YYYY-MM-DD
	OpenedOn   string `json:"opened_on"` // YYYY-MM-DD, today when left out
	CampaignID int64  `json:"campaign_id"`
	Version    int64  `json:"version"` // PATCH only
}

type progressIn struct {
	On   string `json:"on"` // YYYY-MM-DD
	Note string `json:"note" maxLength:"1000"`
}

type closeIn struct {
	ClosedOn string `json:"closed_on"` // YYYY-MM-DD
	Closure  string `json:"closure" maxLength:"1000"`
	Version  int64  `json:"version"`
}

// recordOut is a participant's record as the API answers it.
type recordOut struct {
	ID                int64        `json:"id"`
	EventID           int64        `json:"event_id"`
	PersonID          int64        `json:"person_id"`
	Name              string       `json:"name"`
	SelfCriticism     string       `json:"self_criticism"`
	CriticismGiven    string       `json:"criticism_given"`
	CriticismReceived string       `json:"criticism_received"`
	Problems          []problemOut `json:"problems"`
	Version           int64        `json:"version"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

type problemOut = ledger.Problem

func newRecordOut(r *ledger.LifeRecord) recordOut {
	out := recordOut{ID: r.ID, EventID: r.EventID, PersonID: r.PersonID, Name: r.Name, SelfCriticism: r.SelfCriticism,
		CriticismGiven: r.CriticismGiven, CriticismReceived: r.CriticismReceived, Problems: r.Problems, Version: r.Version, UpdatedAt: r.UpdatedAt}
	if out.Problems == nil {
		out.Problems = []problemOut{}
	}
	return out
}

type recordIn struct {
	ID                int64  `json:"id"`
	PersonID          int64  `json:"person_id"`
	SelfCriticism     string `json:"self_criticism" maxLength:"2000"`
	CriticismGiven    string `json:"criticism_given" maxLength:"2000"`
	CriticismReceived string `json:"criticism_received" maxLength:"2000"`
	Version           int64  `json:"version"`
}

type problemIn struct {
	RecordID int64  `json:"record_id"`
	Content  string `json:"content" maxLength:"500"`
}

// campaignOut is a campaign as the API answers it, with its own figures
// when read one at a time.
type campaignOut struct {
	ID        int64                  `json:"id"`
	OrgID     int64                  `json:"org_id"`
	OrgName   string                 `json:"org_name"`
	Name      string                 `json:"name"`
	Kind      ledger.CampaignKind    `json:"kind"`
	KindLabel string                 `json:"kind_label"`
	StartsOn  date.Date              `json:"starts_on"`
	EndsOn    date.Date              `json:"ends_on"`
	GroupID   int64                  `json:"group_id"`
	Group     string                 `json:"group"`
	Plan      string                 `json:"plan"`
	PlanFile  string                 `json:"plan_file"` // the 实施方案 file's name, "" when none
	Figures   *store.CampaignFigures `json:"figures,omitempty"`
	Version   int64                  `json:"version"`
}

func newCampaignOut(c *ledger.Campaign) campaignOut {
	return campaignOut{ID: c.ID, OrgID: c.OrgID, OrgName: c.OrgName, Name: c.Name, Kind: c.Kind, KindLabel: msg.Text("campaign_kind." + string(c.Kind)),
		StartsOn: c.StartsOn, EndsOn: c.EndsOn, GroupID: c.GroupID, Group: c.Group, Plan: c.Plan, PlanFile: c.PlanName, Version: c.Version}
}

type campaignIn struct {
	OrgID    int64  `json:"org_id"`
	Name     string `json:"name" maxLength:"100"`
	Kind     string `json:"kind"`      // study (专项学习教育) or theme (主题教育)
	StartsOn string `json:"starts_on"` // YYYY-MM-DD
	EndsOn   string `json:"ends_on"`
	GroupID  int64  `json:"group_id"`
	Plan     string `json:"plan" maxLength:"2000"`
	Version  int64  `json:"version"` // PATCH only
}
