package ledgerweb

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/ledger"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// campaignsPage lists the campaigns the caller sees, with the form to set
// one up.
type campaignsPage struct {
	web.Layout
	Campaigns []ledger.Campaign
	Form      ledger.Campaign
	Orgs      web.OrgTree
	Groups    []web.Option
	Kinds     []web.Option
	CanWrite  bool
}

func (s *area) campaignChoices(r *http.Request, c *web.Call, chosen int64, orgs *web.OrgTree, groups, kinds *[]web.Option) error {
	ctx := r.Context()
	var err error
	if *orgs, err = s.OrgTree(ctx, c, chosen); err != nil {
		return err
	}
	gs, err := s.st.WorkingGroups(ctx, c.Scope)
	if err != nil {
		return err
	}
	for _, g := range gs {
		*groups = append(*groups, web.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
	}
	for _, k := range ledger.CampaignKinds {
		*kinds = append(*kinds, web.Option{Value: string(k), Label: msg.Text("campaign_kind." + string(k))})
	}
	return nil
}

func (s *area) campaignsData(r *http.Request, c *web.Call) (*campaignsPage, error) {
	p := &campaignsPage{Layout: s.Base(c, "专题教育", "/campaigns"), CanWrite: c.Can(auth.EventWrite)}
	var err error
	if p.Campaigns, err = s.st.Campaigns(r.Context(), c.Scope); err != nil {
		return nil, err
	}
	if c.User != nil {
		p.Form.OrgID = c.User.OrgID
	}
	p.Form.Kind = ledger.StudyCampaign
	if err := s.campaignChoices(r, c, p.Form.OrgID, &p.Orgs, &p.Groups, &p.Kinds); err != nil {
		return nil, err
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) campaignsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.campaignsData(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "campaigns", p)
}

// readCampaign fills a campaign from the request: every field on create,
// those sent on an update.
func readCampaign(in web.Input, cp *ledger.Campaign, create bool, v *errs.Invalid) {
	want := func(name string) bool { return create || in.Has(name) }
	if create {
		cp.OrgID = in.ID("org_id", v)
	}
	if want("name") {
		cp.Name = in.Text("name", ledger.MaxCampaignName, v)
	}
	if want("kind") {
		cp.Kind = ledger.CampaignKind(in.Str("kind"))
	}
	if want("starts_on") {
		cp.StartsOn = in.Date("starts_on", v)
	}
	if want("ends_on") {
		cp.EndsOn = in.Date("ends_on", v)
	}
	if want("group_id") {
		cp.GroupID = in.ID("group_id", v)
	}
	if want("plan") {
		cp.Plan = in.Text("plan", ledger.MaxPlan, v)
	}
}

func (s *area) saveCampaign(r *http.Request, c *web.Call, id int64) (*ledger.Campaign, error) {
	cp := &ledger.Campaign{}
	if id != 0 {
		old, err := s.st.Campaign(r.Context(), c.Scope, id)
		if err != nil {
			return nil, err
		}
		cp = old
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return cp, err
	}
	var v errs.Invalid
	version := int64(0)
	if id != 0 {
		version = in.Version(&v)
	}
	readCampaign(in, cp, id == 0, &v)
	if v.Err() != nil {
		probe := *cp
		probe.Normalize()
		if err := web.AddProblems(&v, probe.Validate()); err != nil {
			return cp, err
		}
		return cp, v.Err()
	}
	cp.Version = version
	return cp, s.st.SaveCampaign(r.Context(), c.Actor, c.Scope, cp)
}

func (s *area) campaignCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	cp, err := s.saveCampaign(r, c, 0)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.campaignsData(r, c)
		if err != nil {
			return err
		}
		p.Form, p.Errors = *cp, fields
		if p.Orgs, err = s.OrgTree(r.Context(), c, cp.OrgID); err != nil {
			return err
		}
		return s.Render(w, r, status, "campaigns", p)
	}, "/campaigns/"+strconv.FormatInt(cp.ID, 10)+"?notice=campaign_saved")
}

// campaignPage is a campaign with its figures, its events and its items.
type campaignPage struct {
	web.Layout
	Campaign ledger.Campaign
	Figures  store.CampaignFigures
	Events   []eventRow
	Items    int
	Form     ledger.Campaign
	Orgs     web.OrgTree
	Groups   []web.Option
	Kinds    []web.Option
	CanEdit  bool // the caller's scope holds the organisation that set it up
}

type eventRow struct {
	ID                    int64
	Title, Org, Kind, Day string
	Status                string
}

func (s *area) campaignData(r *http.Request, c *web.Call, id int64) (*campaignPage, error) {
	ctx := r.Context()
	cp, err := s.st.Campaign(ctx, c.Scope, id)
	if err != nil {
		return nil, err
	}
	p := &campaignPage{Layout: s.Base(c, cp.Name, "/campaigns"), Campaign: *cp, Form: *cp,
		CanEdit: c.Can(auth.EventWrite) && c.Scope.Includes(cp.OrgPath)}
	if p.Figures, err = s.st.CampaignFigures(ctx, c.Scope, id); err != nil {
		return nil, err
	}
	events, err := s.st.CampaignEvents(ctx, c.Scope, id, 200)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		p.Events = append(p.Events, eventRow{ID: e.ID, Title: e.Title, Org: e.OrgName, Kind: e.KindName,
			Day: e.Start().In(web.China).Format("2006-01-02"), Status: msg.Text("event_status." + string(e.Status))})
	}
	if p.CanEdit {
		if err := s.campaignChoices(r, c, p.Form.OrgID, &p.Orgs, &p.Groups, &p.Kinds); err != nil {
			return nil, err
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) campaignPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.campaignData(r, c, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "campaign_show", p)
}

func (s *area) campaignEdit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	cp, err := s.saveCampaign(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.campaignData(r, c, id)
		if err != nil {
			return err
		}
		p.Form, p.Errors = *cp, fields
		return s.Render(w, r, status, "campaign_show", p)
	}, "/campaigns/"+strconv.FormatInt(id, 10)+"?notice=campaign_saved")
}

// planName is an uploaded 实施方案's name as web.DocumentName keeps it, or
// 实施方案 when its base is longer than 100 characters.
func planName(name, ext string) string {
	name = web.DocumentName(name, ext, "实施方案")
	if utf8.RuneCountInString(name) > 100+len(ext) {
		name = "实施方案" + ext
	}
	return name
}

func (s *area) uploadPlan(r *http.Request, c *web.Call, id int64) error {
	// The campaign first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.Campaign(r.Context(), c.Scope, id); err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errs.Field("file", "ledger.plan_too_large")
		}
		return errs.Field("file", "ledger.plan_required")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return errs.Field("file", "ledger.plan_required")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, ledger.MaxPlanFile+1))
	if err != nil {
		return err
	}
	if len(data) > ledger.MaxPlanFile {
		return errs.Field("file", "ledger.plan_too_large")
	}
	ct, ext := web.SniffDocument(data, web.PDFType, web.JPEGType, web.PNGType, web.DOCXType)
	if ct == "" {
		return errs.Field("file", "ledger.plan_type")
	}
	return s.st.SetCampaignPlanFile(r.Context(), c.Actor, c.Scope, id, planName(h.Filename, ext), ct, data)
}

func (s *area) planUpload(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	err = s.uploadPlan(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.campaignData(r, c, id)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "campaign_show", p)
	}, "/campaigns/"+strconv.FormatInt(id, 10)+"?notice=campaign_plan")
}

// planDownload sends the 实施方案, always as a download.
func (s *area) planDownload(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	name, ct, data, err := s.st.CampaignPlanFile(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	s.Attachment(w, ct, name, len(data))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(data)
	return err
}

// --- JSON API ---

func (s *area) apiCampaigns(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.st.Campaigns(r.Context(), c.Scope)
	if err != nil {
		return err
	}
	out := web.Items[campaignOut]{Items: []campaignOut{}}
	for i := range list {
		out.Items = append(out.Items, newCampaignOut(&list[i]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) answerCampaign(w http.ResponseWriter, r *http.Request, c *web.Call, id int64, status int) error {
	cp, err := s.st.Campaign(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	f, err := s.st.CampaignFigures(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	out := newCampaignOut(cp)
	out.Figures = &f
	web.WriteJSON(w, status, out)
	return nil
}

func (s *area) apiCampaignCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	cp, err := s.saveCampaign(r, c, 0)
	if err != nil {
		return err
	}
	return s.answerCampaign(w, r, c, cp.ID, http.StatusCreated)
}

func (s *area) apiCampaign(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.answerCampaign(w, r, c, id, http.StatusOK)
}

func (s *area) apiCampaignPatch(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.saveCampaign(r, c, id); err != nil {
		return err
	}
	return s.answerCampaign(w, r, c, id, http.StatusOK)
}
