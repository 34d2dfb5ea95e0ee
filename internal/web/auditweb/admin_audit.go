package auditweb

// 审计日志: the audit administrator reads and exports the log. Nothing here
// writes to it except the record of an export; nothing anywhere changes or
// deletes an entry (the database refuses it too).

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
	"dangjian/internal/xlsx"
)

// auditPageSize is how many entries a page of the log shows.
const auditPageSize = 50

var (
	auditActionRe = regexp.MustCompile(`^[a-z_.]{1,64}$`)
	auditTypeRe   = regexp.MustCompile(`^[a-z_]{1,40}$`)
	auditIDRe     = regexp.MustCompile(`^[0-9]{1,19}$`)
)

// auditQuery is the log's filter as it appears in the address bar.
type auditQuery struct {
	From, To, Username, Action, ObjectType, ObjectID string
	Person                                           string // a person's name, or "#id" from a link
	Org                                              string // an organisation's id: the records of its subtree
	Page                                             int
}

// parseAuditQuery reads and checks the filter. Dates are days in China time
// (UTC+8), "to" included.
func parseAuditQuery(q url.Values) (auditQuery, audit.Filter, error) {
	in := web.Input{Values: q}
	aq := auditQuery{From: in.Str("from"), To: in.Str("to"), Username: in.Str("username"), Action: in.Str("action"),
		ObjectType: in.Str("object_type"), ObjectID: in.Str("object_id"), Person: in.Str("person"), Org: in.Str("org"),
		Page: in.Page()}
	var v errs.Invalid
	from, to := in.Date("from", &v), in.Date("to", &v)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to", "date.before_start")
	}
	if utf8.RuneCountInString(aq.Username) > 64 {
		v.Add("username", "too_long")
	}
	if aq.Action != "" && !auditActionRe.MatchString(aq.Action) {
		v.Add("action", "audit.action_unknown")
	}
	if aq.ObjectType != "" && !auditTypeRe.MatchString(aq.ObjectType) {
		v.Add("object_type", "invalid")
	}
	if aq.ObjectID != "" && !auditIDRe.MatchString(aq.ObjectID) {
		v.Add("object_id", "number.format")
	}
	if utf8.RuneCountInString(aq.Person) > 40 {
		v.Add("person", "too_long")
	}
	if aq.Org != "" && !auditIDRe.MatchString(aq.Org) {
		v.Add("org", "number.format")
	}
	f := audit.Filter{Username: aq.Username, Action: aq.Action, ObjectType: aq.ObjectType, ObjectID: aq.ObjectID,
		From: chinaMidnight(from), Limit: auditPageSize, Offset: (aq.Page - 1) * auditPageSize}
	if !to.IsZero() {
		f.To = chinaMidnight(to.AddDate(0, 0, 1))
	}
	return aq, f, v.Err()
}

// chinaMidnight is the instant a day begins in China; zero stays zero.
func chinaMidnight(d date.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, web.China)
}

func (q auditQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"from": q.From, "to": q.To, "username": q.Username, "action": q.Action,
		"object_type": q.ObjectType, "object_id": q.ObjectID, "person": q.Person, "org": q.Org} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

func actionLabel(action string) string {
	if msg.Has("action." + action) {
		return msg.Text("action." + action)
	}
	return action
}

func objectLabel(typ string) string {
	if msg.Has("object." + typ) {
		return msg.Text("object." + typ)
	}
	return typ
}

// auditRow is an entry as the page shows it.
type auditRow struct {
	audit.Entry
	ActionLabel, ObjectLabel string
	ObjectName               string // 人员 张三（第一党支部）
	PersonID                 string // for 该人员的全部记录
	Changes                  []fieldChange
}

func (p *presenter) row(e audit.Entry) auditRow {
	r := auditRow{Entry: e, ActionLabel: actionLabel(e.Action), ObjectLabel: objectLabel(e.ObjectType),
		ObjectName: p.objectName(e), Changes: p.changes(e)}
	if e.ObjectType == "person" {
		r.PersonID = e.ObjectID
	}
	return r
}

type auditPage struct {
	web.Layout
	Q                  auditQuery
	Rows               []auditRow
	Total, Page, Pages int
	Actions, Types     []web.Option
	Orgs               web.OrgTree
	ExportLink         string
}

// Link is the address of another page of the same listing.
func (p auditPage) Link(n int) string {
	v := p.Q.values()
	v.Set("page", strconv.Itoa(n))
	return "/audit?" + v.Encode()
}

// auditActionOptions are the action groups the filter offers: every
// "action_group." key of the message catalogue (an action prefix).
func auditActionOptions() []web.Option {
	groups := msg.Keys("action_group.")
	out := make([]web.Option, 0, len(groups))
	for _, g := range groups {
		out = append(out, web.Option{Value: g, Label: msg.Text("action_group." + g)})
	}
	return out
}

// auditTypeOptions are the object types the filter offers: every "object."
// key of the message catalogue.
func auditTypeOptions() []web.Option {
	types := msg.Keys("object.")
	out := make([]web.Option, 0, len(types))
	for _, t := range types {
		out = append(out, web.Option{Value: t, Label: objectLabel(t)})
	}
	return out
}

func (s *area) auditList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q, f, err := parseAuditQuery(r.URL.Query())
	p := auditPage{Layout: s.Base(c, "审计日志", "/audit"), Q: q, Page: q.Page, Actions: auditActionOptions(), Types: auditTypeOptions(),
		ExportLink: "/audit/export.xlsx?" + q.values().Encode()}
	// The tree opened down to the organisation asked about, closed ones
	// too: the log keeps what happened in organisations since closed.
	chosen, _ := strconv.ParseInt(q.Org, 10, 64)
	orgs, err2 := s.OrgTreeOf(r.Context(), c, chosen, store.OrgFilter{IncludeClosed: true})
	if err2 != nil {
		return err2
	}
	p.Orgs = orgs
	if err == nil {
		err = s.concerning(r.Context(), q, &f)
	}
	if fields := web.InvalidFields(err); fields != nil {
		p.Errors = fields
		return s.Render(w, r, http.StatusUnprocessableEntity, "audit", p)
	}
	if err != nil {
		return err
	}
	list, total, err := s.st.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	pr, err := newPresenter(r.Context(), s.st, list)
	if err != nil {
		return err
	}
	p.Total, p.Pages = total, (total+auditPageSize-1)/auditPageSize
	for _, e := range list {
		p.Rows = append(p.Rows, pr.row(e))
	}
	return s.Render(w, r, http.StatusOK, "audit", p)
}

// concerning turns the person and organisation of the filter into the
// store's filter: a name is every person of that name ("#12" one person,
// from a link), an organisation its subtree. A name nobody has matches
// nothing rather than everything.
func (s *area) concerning(ctx context.Context, q auditQuery, f *audit.Filter) error {
	if id, ok := strings.CutPrefix(q.Person, "#"); ok {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return errs.Field("person", "number.format")
		}
		f.PersonIDs = []int64{n}
	} else if q.Person != "" {
		ids, err := s.st.PeopleNamed(ctx, q.Person)
		if err != nil {
			return err
		}
		f.PersonIDs = append(ids, -1)
	}
	if q.Org != "" {
		n, _ := strconv.ParseInt(q.Org, 10, 64)
		o, err := s.st.Org(ctx, auth.Everything, n)
		if err != nil {
			return errs.Field("org", "org.unknown")
		}
		f.OrgPath = o.Path
	}
	return nil
}

// --- JSON API ---

// shownJSON passes stored JSON through as JSON, without the parts kept for
// restoring a record (top-level keys starting with "_", such as sealed ID
// numbers), which no reader of the log sees; "" is null.
func shownJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &obj) == nil {
		for k := range obj {
			if strings.HasPrefix(k, "_") {
				delete(obj, k)
			}
		}
		b, _ := json.Marshal(obj)
		return b
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// entryOut is an audit entry as the API answers it.
type entryOut struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	UserID      int64           `json:"user_id"`
	Username    string          `json:"username"`
	IP          string          `json:"ip"`
	Action      string          `json:"action"`
	ActionLabel string          `json:"action_label"`
	ObjectType  string          `json:"object_type"`
	ObjectID    string          `json:"object_id"`
	ObjectName  string          `json:"object_name"` // 人员 张三（第一党支部）
	OrgPath     string          `json:"org_path"`
	OrgLabel    string          `json:"org_label"` // where the object sits, by its path: 第一党支部 › 第一党小组
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	Changes     []changeOut     `json:"changes"`
}

// changeOut is one field an entry changed.
type changeOut struct {
	Field  string `json:"field"` // as stored
	Label  string `json:"label"` // as read: 职务
	Before string `json:"before"`
	After  string `json:"after"`
}

func (s *area) apiAuditList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q, f, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if n := (web.Input{Values: r.URL.Query()}).Num("page_size", auditPageSize); n > 0 && n <= 200 {
		f.Limit, f.Offset = n, (q.Page-1)*n
	}
	if err := s.concerning(r.Context(), q, &f); err != nil {
		return err
	}
	list, total, err := s.st.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	pr, err := newPresenter(r.Context(), s.st, list)
	if err != nil {
		return err
	}
	out := web.List[entryOut]{Items: make([]entryOut, 0, len(list)), Total: total, Page: q.Page, PageSize: f.Limit}
	for _, e := range list {
		changes := make([]changeOut, 0)
		for _, ch := range pr.changes(e) {
			changes = append(changes, changeOut{Field: ch.Key, Label: ch.Label, Before: ch.Before, After: ch.After})
		}
		out.Items = append(out.Items, entryOut{ID: e.ID, At: e.At, UserID: e.UserID, Username: e.Username, IP: e.IP,
			Action: e.Action, ActionLabel: actionLabel(e.Action), ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			ObjectName: pr.objectName(e), OrgPath: e.OrgPath, OrgLabel: pr.orgOfPath(e.OrgPath),
			Before: shownJSON(e.Before), After: shownJSON(e.After), Changes: changes})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// auditExportMax caps an export; the message of audit.export_too_many says it in words.
const auditExportMax = 100_000

// auditExportBatch is how many entries an export reads at a time.
const auditExportBatch = 1000

// auditExportColumns are the export's columns and their widths; the table
// writer cuts a value longer than a cell holds (a large before/after).
// The wording is the page's: the object named, the changes in Chinese.
var auditExportColumns = []xlsx.Column{
	{Header: "时间", Width: 20}, {Header: "用户", Width: 14}, {Header: "地址", Width: 16}, {Header: "操作", Width: 18},
	{Header: "对象", Width: 30}, {Header: "所在组织", Width: 24}, {Header: "变更内容", Width: 60},
}

// auditExport writes the filtered log as .xlsx. The export is itself
// recorded first, so no copy of the log leaves without a trace; a filter
// matching more than auditExportMax entries is refused rather than cut short.
func (s *area) auditExport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q, f, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.concerning(ctx, q, &f); err != nil {
		return err
	}
	f.Limit, f.Offset = 1, 0
	_, total, err := s.st.AuditEntries(ctx, f)
	if err != nil {
		return err
	}
	if total > auditExportMax {
		return errs.NewConflict("", "audit.export_too_many")
	}
	filter := map[string]string{}
	for k, v := range q.values() {
		filter[k] = v[0]
	}
	if err := s.st.LogEvent(ctx, c.Actor, store.Change{Action: "audit.export", ObjectType: "audit_log",
		After: map[string]any{"filter": filter, "rows": total}}); err != nil {
		return err
	}
	table, err := xlsx.NewTable("审计日志", auditExportColumns, false)
	if err != nil {
		return err
	}
	defer table.Close()
	// Page through newest first. Entries written meanwhile push older ones
	// down a page, so an entry may come twice; ids only grow, so skipping any
	// id not below the last one written drops exactly the repeats.
	written, last := 0, int64(1<<63-1)
	f.Limit = auditExportBatch
	for f.Offset = 0; written < auditExportMax; f.Offset += auditExportBatch {
		list, _, err := s.st.AuditEntries(ctx, f)
		if err != nil {
			return err
		}
		pr, err := newPresenter(ctx, s.st, list)
		if err != nil {
			return err
		}
		for _, e := range list {
			if e.ID >= last || written == auditExportMax {
				continue
			}
			last, written = e.ID, written+1
			if err := table.Add(e.At.In(web.China).Format("2006-01-02 15:04:05"), e.Username, e.IP, actionLabel(e.Action),
				pr.objectName(e), pr.orgOfPath(e.OrgPath), changesText(pr.changes(e))); err != nil {
				return err
			}
		}
		if len(list) < auditExportBatch {
			break
		}
	}
	name := "审计日志-" + s.st.Now().In(web.China).Format("20060102-150405") + ".xlsx"
	s.Attachment(w, web.XLSXType, name, -1)
	_, err = table.WriteTo(w)
	return err
}
