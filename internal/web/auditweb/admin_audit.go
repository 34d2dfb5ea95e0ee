package auditweb

// 审计日志: the audit administrator reads and exports the log. Nothing here
// writes to it except the record of an export; nothing anywhere changes or
// deletes an entry (the database refuses it too).

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/audit"
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
	Page                                             int
}

// parseAuditQuery reads and checks the filter. Dates are days in China time
// (UTC+8), "to" included.
func parseAuditQuery(q url.Values) (auditQuery, audit.Filter, error) {
	in := web.Input{Values: q}
	aq := auditQuery{From: in.Str("from"), To: in.Str("to"), Username: in.Str("username"), Action: in.Str("action"),
		ObjectType: in.Str("object_type"), ObjectID: in.Str("object_id"), Page: in.Page()}
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
		"object_type": q.ObjectType, "object_id": q.ObjectID} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// fieldChange is one field of an object before and after a change.
type fieldChange struct{ Key, Before, After string }

// auditChanges compares an entry's before and after JSON key by key, so an
// auditor reads what changed instead of two blobs. Keys starting with "_"
// (what a record keeps to restore a field, such as a sealed ID number) are
// never shown. A creation lists every
// field it set; anything that is not a JSON object is shown whole.
func auditChanges(before, after string) []fieldChange {
	b, bok := jsonObject(before)
	a, aok := jsonObject(after)
	if !bok || !aok {
		return []fieldChange{{Before: compactJSON(before), After: compactJSON(after)}}
	}
	keys := make([]string, 0, len(a)+len(b))
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []fieldChange
	for _, k := range keys {
		if strings.HasPrefix(k, "_") { // kept sealed for restoring, never shown
			continue
		}
		bv, av := jsonText(b[k]), jsonText(a[k])
		switch {
		case before == "":
			if av != "" {
				out = append(out, fieldChange{Key: k, After: av})
			}
		case after == "":
			out = append(out, fieldChange{Key: k, Before: orEmptyMark(bv), After: "（无）"})
		case bv != av:
			out = append(out, fieldChange{Key: k, Before: orEmptyMark(bv), After: orEmptyMark(av)})
		}
	}
	return out
}

func orEmptyMark(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// jsonObject decodes an object; "" is an empty object, anything else fails.
func jsonObject(s string) (map[string]json.RawMessage, bool) {
	if s == "" {
		return nil, true
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, false
	}
	return m, true
}

// jsonText shows a JSON value: strings without quotes, null and absent as "".
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return compactJSON(string(raw))
}

func compactJSON(s string) string {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) != nil {
		return s
	}
	return buf.String()
}

// changesText is the changes of an entry as lines of text (for the export).
func changesText(list []fieldChange) string {
	lines := make([]string, 0, len(list))
	for _, c := range list {
		var b strings.Builder
		if c.Key != "" {
			b.WriteString(c.Key + ": ")
		}
		if c.Before != "" {
			b.WriteString(c.Before + " → ")
		}
		b.WriteString(c.After)
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n")
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
	Changes                  []fieldChange
}

func newAuditRow(e audit.Entry) auditRow {
	return auditRow{Entry: e, ActionLabel: actionLabel(e.Action), ObjectLabel: objectLabel(e.ObjectType),
		Changes: auditChanges(e.Before, e.After)}
}

type auditPage struct {
	web.Layout
	Q                  auditQuery
	Rows               []auditRow
	Total, Page, Pages int
	Actions, Types     []web.Option
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
	p.Total, p.Pages = total, (total+auditPageSize-1)/auditPageSize
	for _, e := range list {
		p.Rows = append(p.Rows, newAuditRow(e))
	}
	return s.Render(w, r, http.StatusOK, "audit", p)
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
	OrgPath     string          `json:"org_path"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	Changes     []changeOut     `json:"changes"`
}

// changeOut is one field an entry changed.
type changeOut struct {
	Field  string `json:"field"`
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
	list, total, err := s.st.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	out := web.List[entryOut]{Items: make([]entryOut, 0, len(list)), Total: total, Page: q.Page, PageSize: f.Limit}
	for _, e := range list {
		changes := make([]changeOut, 0)
		for _, ch := range auditChanges(e.Before, e.After) {
			changes = append(changes, changeOut{Field: ch.Key, Before: ch.Before, After: ch.After})
		}
		out.Items = append(out.Items, entryOut{ID: e.ID, At: e.At, UserID: e.UserID, Username: e.Username, IP: e.IP,
			Action: e.Action, ActionLabel: actionLabel(e.Action), ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			OrgPath: e.OrgPath, Before: shownJSON(e.Before), After: shownJSON(e.After), Changes: changes})
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
var auditExportColumns = []xlsx.Column{
	{Header: "时间", Width: 20}, {Header: "用户", Width: 14}, {Header: "地址", Width: 16}, {Header: "操作", Width: 18},
	{Header: "操作代码", Width: 20}, {Header: "对象类型", Width: 10}, {Header: "对象编号", Width: 10}, {Header: "组织路径", Width: 14},
	{Header: "变更内容", Width: 50}, {Header: "变更前", Width: 40}, {Header: "变更后", Width: 40},
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
		for _, e := range list {
			if e.ID >= last || written == auditExportMax {
				continue
			}
			last, written = e.ID, written+1
			if err := table.Add(e.At.In(web.China).Format("2006-01-02 15:04:05"), e.Username, e.IP, actionLabel(e.Action), e.Action,
				objectLabel(e.ObjectType), e.ObjectID, e.OrgPath, changesText(auditChanges(e.Before, e.After)), string(shownJSON(e.Before)), string(shownJSON(e.After))); err != nil {
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
