package store

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/indicator"
	"dangjian/internal/org"
	"dangjian/internal/summary"
)

// The work summary (工作总结): its templates, the summaries generated from
// them — each kept with its template, scope, period and figures, so it reads
// the same next year after the records have changed — and the versions of
// its text.

// SummaryTemplate is a template staff keep; ID 0 is the built-in default.
type SummaryTemplate struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Body      string    `json:"body"`
	Version   int64     `json:"version"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitempty"`
}

// DefaultSummaryTemplate is the built-in template.
func DefaultSummaryTemplate() SummaryTemplate {
	return SummaryTemplate{Name: summary.DefaultName, Body: summary.Default}
}

// SummaryTemplates lists the built-in template and the saved ones.
func (s *Store) SummaryTemplates(ctx context.Context) ([]SummaryTemplate, error) {
	out := []SummaryTemplate{DefaultSummaryTemplate()}
	rows, err := s.query(ctx, "SELECT id, name, body, version, updated_by, updated_at FROM summary_templates ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t SummaryTemplate
		if err := rows.Scan(&t.ID, &t.Name, &t.Body, &t.Version, &t.UpdatedBy, &t.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SummaryTemplate reads one template (0: the built-in one).
func (s *Store) SummaryTemplate(ctx context.Context, id int64) (SummaryTemplate, error) {
	if id == 0 {
		return DefaultSummaryTemplate(), nil
	}
	var t SummaryTemplate
	err := s.queryRow(ctx, "SELECT id, name, body, version, updated_by, updated_at FROM summary_templates WHERE id = ?", id).
		Scan(&t.ID, &t.Name, &t.Body, &t.Version, &t.UpdatedBy, &t.UpdatedAt)
	if err != nil {
		return t, notFoundAs(mapErr(err), "template_id", "summary.template_unknown")
	}
	return t, nil
}

// SaveSummaryTemplate creates (ID 0) or changes a template. It must parse:
// every indicator it names must resolve, or it is refused with the line.
func (s *Store) SaveSummaryTemplate(ctx context.Context, a audit.Actor, resolve summary.Resolver, t *SummaryTemplate) error {
	var v errs.Invalid
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		v.Add("name", "required")
	}
	if t.Name == summary.DefaultName {
		v.Add("name", "summary.template_name_taken")
	}
	v.MaxLen("name", t.Name, 40)
	if _, err := summary.Parse(t.Body, resolve); err != nil {
		if iv, ok := err.(*errs.Invalid); ok {
			for f, k := range iv.Fields {
				v.Add(f, k)
			}
		} else {
			return err
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t2 *tx) error {
		now := s.Now()
		var before any
		if t.ID == 0 {
			id, err := t2.insert(ctx, "INSERT INTO summary_templates (name, body, version, updated_by, updated_at) VALUES (?, ?, 1, ?, ?)",
				t.Name, t.Body, a.Username, now)
			if err != nil {
				return duplicateName(err)
			}
			t.ID, t.Version = id, 1
		} else {
			old, err := s.summaryTemplateIn(ctx, t2, t.ID)
			if err != nil {
				return err
			}
			before = old
			if err := t2.update(ctx, "UPDATE summary_templates SET name = ?, body = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
				t.Name, t.Body, a.Username, now, t.ID, t.Version); err != nil {
				return duplicateName(err)
			}
			t.Version++
		}
		t.UpdatedBy, t.UpdatedAt = a.Username, now
		return t2.audit(ctx, a, Change{Action: "summary_template.save", ObjectType: "summary_template", ObjectID: t.ID, Before: before, After: *t})
	})
}

func duplicateName(err error) error {
	if c, ok := err.(*errs.Conflict); ok && c.Key == "conflict.duplicate" {
		return errs.NewConflict("name", "summary.template_name_taken")
	}
	return err
}

func (s *Store) summaryTemplateIn(ctx context.Context, q rowQuerier, id int64) (SummaryTemplate, error) {
	var t SummaryTemplate
	err := q.queryRow(ctx, "SELECT id, name, body, version, updated_by, updated_at FROM summary_templates WHERE id = ?", id).
		Scan(&t.ID, &t.Name, &t.Body, &t.Version, &t.UpdatedBy, &t.UpdatedAt)
	return t, notFoundAs(mapErr(err), "template_id", "summary.template_unknown")
}

// Summary is a generated work summary with its current text.
type Summary struct {
	ID           int64              `json:"id"`
	OrgID        int64              `json:"org_id"`
	OrgPath      string             `json:"-"`
	OrgName      string             `json:"org_name"`
	Title        string             `json:"title"`
	Period       indicator.Period   `json:"period"`
	TemplateName string             `json:"template_name"`
	TemplateBody string             `json:"template_body,omitempty"`
	Figures      []summary.Figure   `json:"figures,omitempty"`
	Problems     []summary.WeakSpot `json:"problems,omitempty"`
	Body         string             `json:"body,omitempty"`
	Versions     int                `json:"versions"`
	CreatedBy    string             `json:"created_by"`
	CreatedAt    time.Time          `json:"created_at"`
}

// Figure finds one of the summary's figures by code.
func (m *Summary) Figure(code string) (summary.Figure, bool) {
	for _, f := range m.Figures {
		if f.Code == code {
			return f, true
		}
	}
	return summary.Figure{}, false
}

// SummaryRequest is what to generate: a subtree, a period and a template.
type SummaryRequest struct {
	OrgID      int64
	Period     indicator.Period
	TemplateID int64
}

// maxPeriod is the longest period a summary covers.
const maxSummaryYears = 5

// GenerateSummary computes every figure the template names for the subtree
// and period (with the year before), finds the weak spots, writes the text
// and saves it as version 1, audited. The figures are kept with it.
func (s *Store) GenerateSummary(ctx context.Context, a audit.Actor, sc auth.Scope, cat *indicator.Catalogue, req SummaryRequest) (*Summary, error) {
	var v errs.Invalid
	if !req.Period.Valid() {
		v.Add("period", "summary.period_unknown")
	} else if req.Period.From.AddDate(maxSummaryYears, 0, 0).Before(req.Period.To) {
		v.Add("period", "summary.period_range")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	o, err := s.Org(ctx, sc, req.OrgID)
	if err != nil {
		return nil, notFoundAs(err, "org_id", "org.unknown")
	}
	tpl, err := s.SummaryTemplate(ctx, req.TemplateID)
	if err != nil {
		return nil, err
	}
	parsed, err := summary.Parse(tpl.Body, Resolver(cat))
	if err != nil {
		return nil, err
	}
	sub := auth.Scope{OrgPath: o.Path}
	ctx = WithFigureCache(ctx) // every event indicator of the period reads the same input once
	list, err := computeFigures(ctx, cat, parsed.Codes(), sub, req.Period)
	if err != nil {
		return nil, err
	}
	figs := map[string]summary.Figure{}
	for _, f := range list {
		figs[f.Code] = f
	}
	today := date.FromTime(s.Now().In(event.China))
	problems, err := s.WeakSpots(ctx, sub, o, req.Period, cat, list, today)
	if err != nil {
		return nil, err
	}
	body := summary.Render(parsed, summary.Vars{Org: o.Name, Period: periodWords(req.Period)}, figs, problems)
	title := o.Name + periodWords(req.Period) + "工作总结"
	if lines := summary.ReadBody(body); len(lines) > 0 && lines[0].Kind == summary.Title {
		title = lines[0].Plain()
	}
	m := &Summary{OrgID: o.ID, OrgPath: o.Path, OrgName: o.Name, Title: title, Period: req.Period, TemplateName: tpl.Name,
		TemplateBody: tpl.Body, Figures: list, Problems: problems, Body: body, Versions: 1, CreatedBy: a.Username}
	if m.Figures == nil {
		m.Figures = []summary.Figure{}
	}
	if m.Problems == nil {
		m.Problems = []summary.WeakSpot{}
	}
	figJSON, _ := json.Marshal(m.Figures)
	probJSON, _ := json.Marshal(m.Problems)
	err = s.inTx(ctx, func(t *tx) error {
		m.CreatedAt = s.Now()
		id, err := t.insert(ctx, `INSERT INTO summaries (org_id, org_path, org_name, title, period_from, period_to, period_label, template_name,
			template_body, figures, problems, versions, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			o.ID, o.Path, o.Name, m.Title, req.Period.From, req.Period.To, req.Period.Label, tpl.Name, tpl.Body, string(figJSON), string(probJSON),
			a.Username, m.CreatedAt)
		if err != nil {
			return err
		}
		m.ID = id
		if _, err := t.exec(ctx, "INSERT INTO summary_versions (summary_id, n, body, created_by, created_at) VALUES (?, 1, ?, ?, ?)",
			id, body, a.Username, m.CreatedAt); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "summary.generate", ObjectType: "summary", ObjectID: id, OrgPath: o.Path,
			After: map[string]any{"title": m.Title, "org": o.Name, "period": req.Period, "template": tpl.Name, "figures": len(list), "problems": problems}})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// periodWords is how the text names a period: 2026年上半年, 2026年.
func periodWords(p indicator.Period) string { return p.Label }

// Resolver finds an indicator of the catalogue by code or Chinese name.
func Resolver(cat *indicator.Catalogue) summary.Resolver {
	return func(key string) (string, bool) {
		in, ok := cat.Lookup(key)
		return in.Code, ok
	}
}

const summaryCols = `id, org_id, org_path, org_name, title, period_from, period_to, period_label, template_name, template_body,
	figures, problems, versions, created_by, created_at`

func scanSummary(sc interface{ Scan(...any) error }) (*Summary, error) {
	var m Summary
	var figs, probs string
	if err := sc.Scan(&m.ID, &m.OrgID, &m.OrgPath, &m.OrgName, &m.Title, &m.Period.From, &m.Period.To, &m.Period.Label,
		&m.TemplateName, &m.TemplateBody, &figs, &probs, &m.Versions, &m.CreatedBy, &m.CreatedAt); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal([]byte(figs), &m.Figures); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(probs), &m.Problems); err != nil {
		return nil, err
	}
	return &m, nil
}

// Summary reads a saved summary inside the scope, with its latest text.
func (s *Store) Summary(ctx context.Context, sc auth.Scope, id int64) (*Summary, error) {
	return s.summaryIn(ctx, s, sc, id)
}

func (s *Store) summaryIn(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*Summary, error) {
	lo, hi := sc.PathRange()
	m, err := scanSummary(q.queryRow(ctx, "SELECT "+summaryCols+" FROM summaries WHERE id = ? AND org_path >= ? AND org_path < ?", id, lo, hi))
	if err != nil {
		return nil, err
	}
	if err := q.queryRow(ctx, "SELECT body FROM summary_versions WHERE summary_id = ? AND n = ?", id, m.Versions).Scan(&m.Body); err != nil {
		return nil, mapErr(err)
	}
	return m, nil
}

// SummaryVersion is one saved text of a summary.
type SummaryVersion struct {
	N         int       `json:"n"`
	Body      string    `json:"body,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// SummaryVersions lists a summary's versions, newest first, with their text.
func (s *Store) SummaryVersions(ctx context.Context, sc auth.Scope, id int64) ([]SummaryVersion, error) {
	if _, err := s.Summary(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT n, body, created_by, created_at FROM summary_versions WHERE summary_id = ? ORDER BY n DESC", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SummaryVersion
	for rows.Next() {
		var v SummaryVersion
		if err := rows.Scan(&v.N, &v.Body, &v.CreatedBy, &v.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const maxSummaryBody = 100000

// EditSummary saves a new text as the next version. base is the version the
// editor started from: an edit over someone else's newer one is refused.
func (s *Store) EditSummary(ctx context.Context, a audit.Actor, sc auth.Scope, id int64, base int, body string) (int, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	var n int
	err := s.inTx(ctx, func(t *tx) error {
		// Outside the scope is not found, whatever the body.
		m, err := s.summaryIn(ctx, t, sc, id)
		if err != nil {
			return err
		}
		var v errs.Invalid
		if base < 1 {
			v.Add("base", "required")
		}
		if body == "" {
			v.Add("body", "summary.body_empty")
		}
		v.MaxLen("body", body, maxSummaryBody)
		if err := v.Err(); err != nil {
			return err
		}
		if m.Body == body {
			return errs.Field("body", "summary.unchanged")
		}
		if err := t.update(ctx, "UPDATE summaries SET versions = versions + 1 WHERE id = ? AND versions = ?", id, base); err != nil {
			return err
		}
		n = base + 1
		if _, err := t.exec(ctx, "INSERT INTO summary_versions (summary_id, n, body, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
			id, n, body, a.Username, s.Now()); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "summary.edit", ObjectType: "summary", ObjectID: id, OrgPath: m.OrgPath,
			Before: map[string]any{"version": m.Versions, "body": m.Body}, After: map[string]any{"version": n, "body": body}})
	})
	return n, err
}

// Summaries lists the saved summaries of the scope, newest first, without
// their text.
func (s *Store) Summaries(ctx context.Context, sc auth.Scope, limit, offset int) ([]Summary, int, error) {
	lo, hi := sc.PathRange()
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM summaries WHERE org_path >= ? AND org_path < ?", lo, hi).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := s.query(ctx, "SELECT "+summaryCols+" FROM summaries WHERE org_path >= ? AND org_path < ? ORDER BY id DESC LIMIT ? OFFSET ?",
		lo, hi, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		m, err := scanSummary(rows)
		if err != nil {
			return nil, 0, err
		}
		m.TemplateBody, m.Figures, m.Problems = "", nil, nil
		out = append(out, *m)
	}
	return out, total, rows.Err()
}

// branchesOf lists the open branches of a subtree.
func (s *Store) branchesOf(ctx context.Context, o *org.Org) ([]org.Org, error) {
	return s.Orgs(ctx, auth.Scope{OrgPath: o.Path}, OrgFilter{Kinds: []org.Kind{org.Branch}})
}

// computeFigures computes the figures of codes, in their order, several at
// once: each reads its own records (and the year before), so a province's
// summary keeps every core busy instead of one.
func computeFigures(ctx context.Context, cat *indicator.Catalogue, codes []string, sub auth.Scope, p indicator.Period) ([]summary.Figure, error) {
	list := make([]summary.Figure, len(codes))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, code := range codes {
		g.Go(func() error {
			f, err := cat.Figure(ctx, code, sub, p)
			if err != nil {
				return err
			}
			list[i] = summary.FromIndicator(f)
			return nil
		})
	}
	return list, g.Wait()
}

// SummaryOf is the latest summary of an organisation for exactly a period,
// 0 when there is none (the 工作台 asks whether the half-year's is written).
func (s *Store) SummaryOf(ctx context.Context, sc auth.Scope, orgID int64, p indicator.Period) (int64, error) {
	lo, hi := sc.PathRange()
	var id int64
	err := s.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM summaries WHERE org_id = ? AND period_from = ? AND period_to = ?
		AND org_path >= ? AND org_path < ?`, orgID, p.From, p.To, lo, hi).Scan(&id)
	return id, mapErr(err)
}
