package auditweb

// How an auditor reads a record: field names and values in Chinese, each
// object named (人员 张三（第一党支部）), only what changed, dates as dates.
// The stored record stays exactly as written; only its presentation is here.

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dangjian/internal/audit"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// fieldChange is one field of an object before and after a change, as read.
// Key is the field as stored (the API gives it for programs).
type fieldChange struct{ Key, Label, Before, After string }

// refKinds says which fields point at another object, and at which kind.
// Keys are in snake case (fieldKey): PersonID reads as person_id.
var refKinds = map[string]string{
	"org_id": "org", "parent_id": "org", "unit_id": "org", "from_org_id": "org", "to_org_id": "org",
	"person_id": "person", "invitees": "person",
	"kind_id": "event_kind", "also_kinds": "event_kind",
	"user_id": "user", "group_id": "working_group", "event_id": "event",
}

// hiddenFields are kept in the record but say nothing to a reader: the
// object is named already, versions and paths are bookkeeping.
var hiddenFields = map[string]bool{"id": true, "version": true, "path": true, "created": true, "created_at": true, "updated_at": true,
	"kind_name": true} // a name kept beside kind_id, which is named already

// enumLabels says where a field's values are labelled in the catalogue,
// by object type ("" for any object).
var enumLabels = map[string]map[string]string{
	"": {"sex": "sex", "status": "status", "role": "role", "direction": "transfer", "audience": "event_audience", "category": "event_category",
		"period": "event_period", "org_kind": "kind", "mark": "event_mark", "reason": "audit_reason", "source": "audit_source", "method": "audit_method",
		"fields": "audit_field", "aggregate": "event_aggregate"},
	"login":            {"second_factor": "audit_factor", "step": "audit_step"},
	"org":              {"kind": "kind"},
	"event":            {"status": "event_status"},
	"working_group":    {"role": "group_role"},
	"committee_member": {},
}

// fieldKey is a stored key in snake case: Go field names (PersonID,
// SetUpOn) as struct snapshots write them, map keys as they are.
func fieldKey(k string) string {
	if strings.ToLower(k) == k {
		return k
	}
	var b strings.Builder
	rs := []rune(k)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fieldLabel is the Chinese name of a field of an object type: the
// object's own word when it has one (audit_field.org.name 组织名称), else
// the common one (audit_field.name 名称). ok is false when the catalogue
// has neither — a gap the tests catch.
func fieldLabel(typ, key string) (string, bool) {
	for _, k := range []string{"audit_field." + typ + "." + key, "audit_field." + key} {
		if msg.Has(k) {
			return msg.Text(k), true
		}
	}
	return key, false
}

// presenter reads the records of one page with the names of what they mention.
type presenter struct {
	names map[string]map[int64]string
}

// newPresenter looks up, in one go, every object the entries mention.
func newPresenter(ctx context.Context, st *store.Store, list []audit.Entry) (*presenter, error) {
	refs := store.AuditRefs{}
	for _, e := range list {
		if id, err := strconv.ParseInt(e.ObjectID, 10, 64); err == nil {
			refs.Add(e.ObjectType, id)
		}
		for _, js := range []string{e.Before, e.After} {
			collectRefs(decode(js), refs)
		}
	}
	names, err := st.AuditNames(ctx, refs)
	if err != nil {
		return nil, err
	}
	return &presenter{names: names}, nil
}

// decode reads stored JSON keeping numbers exact; nil for "" or non-JSON.
func decode(js string) any {
	if js == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}

func collectRefs(v any, refs store.AuditRefs) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if kind, ok := refKinds[fieldKey(k)]; ok {
				for _, id := range ids(sub) {
					refs.Add(kind, id)
				}
				continue
			}
			collectRefs(sub, refs)
		}
	case []any:
		for _, sub := range x {
			collectRefs(sub, refs)
		}
	}
}

// ids reads one id or a list of them.
func ids(v any) []int64 {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil && n != 0 {
			return []int64{n}
		}
	case []any:
		var out []int64
		for _, sub := range x {
			out = append(out, ids(sub)...)
		}
		return out
	}
	return nil
}

var personNumber = regexp.MustCompile(`（#\d+）`)

// objectName names the object of an entry: 人员 张三（第一党支部）.
func (p *presenter) objectName(e audit.Entry) string {
	typ := objectLabel(e.ObjectType)
	if e.ObjectType == "" {
		return ""
	}
	id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
	if name := p.names[e.ObjectType][id]; name != "" {
		return typ + " " + name
	}
	// Since removed, or never stored by id: the name the record holds.
	for _, js := range []string{e.After, e.Before} {
		if m, ok := decode(js).(map[string]any); ok {
			if inner, ok := m[e.ObjectType].(map[string]any); ok {
				m = inner
			}
			for _, k := range []string{"name", "Name", "title", "username", "label", "Label", "kind_name"} {
				if s, ok := m[k].(string); ok && s != "" {
					return typ + " " + s
				}
			}
			if role, ok := m["role"].(string); ok && msg.Has("role."+role) { // a role's policy
				return typ + " " + msg.Text("role."+role)
			}
		}
	}
	if id != 0 {
		return typ + "（编号" + e.ObjectID + "）"
	}
	return typ
}

// flatten turns a snapshot into fields: a snapshot wrapping the object
// itself under its type ({"person": {...}, "transfer": {...}}) is unwrapped,
// other nested objects become "transfer.on" and the like.
func flatten(typ string, v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return map[string]any{}
		}
		return map[string]any{"value": v}
	}
	out := map[string]any{}
	if inner, ok := m[typ].(map[string]any); ok {
		for k, sub := range inner {
			out[fieldKey(k)] = sub
		}
	}
	for k, sub := range m {
		if k == typ {
			if _, ok := sub.(map[string]any); ok {
				continue
			}
		}
		if inner, ok := sub.(map[string]any); ok && !strings.HasPrefix(k, "_") {
			for ik, isub := range inner {
				out[fieldKey(k)+"."+fieldKey(ik)] = isub
			}
			continue
		}
		out[fieldKey(k)] = sub
	}
	return out
}

// changes is what an entry changed, field by field, worded for a reader:
// a creation lists what it set, a removal what was there, an update only
// the fields that differ.
func (p *presenter) changes(e audit.Entry) []fieldChange {
	bv, av := decode(e.Before), decode(e.After)
	if (e.Before != "" && bv == nil) || (e.After != "" && av == nil) {
		return []fieldChange{{Label: "内容", Before: e.Before, After: e.After}} // not JSON: shown whole
	}
	b, a := flatten(e.ObjectType, bv), flatten(e.ObjectType, av)
	typ := e.ObjectType
	if strings.HasPrefix(e.Action, "login.") || e.Action == "logout" {
		typ = "login" // a login's record says how, not what the account is
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
		if strings.HasPrefix(k, "_") || hiddenFields[k] || hiddenFields[lastPart(k)] || (k == "transfer.person_id" && e.ObjectType == "person") {
			continue
		}
		before, after := p.value(typ, k, b[k]), p.value(typ, k, a[k])
		if before == after {
			continue
		}
		label, _ := p.label(typ, k)
		switch {
		case e.Before == "":
			out = append(out, fieldChange{Key: k, Label: label, After: after})
		case e.After == "":
			out = append(out, fieldChange{Key: k, Label: label, Before: orEmptyMark(before), After: "（无）"})
		default:
			out = append(out, fieldChange{Key: k, Label: label, Before: orEmptyMark(before), After: orEmptyMark(after)})
		}
	}
	return out
}

func lastPart(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

// label names a field, a nested one as "转接·日期".
func (p *presenter) label(typ, k string) (string, bool) {
	if l, ok := fieldLabel(typ, k); ok {
		return l, true
	}
	if head, tail, ok := strings.Cut(k, "."); ok {
		hl, ok1 := fieldLabel(typ, head)
		tl, ok2 := fieldLabel(head, tail)
		return hl + "·" + tl, ok1 && ok2
	}
	return k, false
}

func orEmptyMark(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// value words one value: names for references, labels for enumerations,
// 是/否, dates and times in China time, lists joined with 、; nothing for an
// empty value or a zero time.
func (p *presenter) value(typ, key string, v any) string {
	field := lastPart(key)
	if kind, ok := refKinds[field]; ok {
		var parts []string
		for _, id := range ids(v) {
			parts = append(parts, p.ref(kind, id))
		}
		if len(parts) > 0 || v == nil {
			return strings.Join(parts, "、")
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "是"
		}
		return "否"
	case json.Number:
		return x.String()
	case string:
		return p.text(typ, field, x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, sub := range x {
			if s := p.value(typ, key, sub); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "、")
	case map[string]any:
		return p.object(typ, x)
	}
	return ""
}

// ref names a referenced object.
func (p *presenter) ref(kind string, id int64) string {
	if name := p.names[kind][id]; name != "" {
		return name
	}
	return objectLabel(kind) + "（编号" + strconv.FormatInt(id, 10) + "）"
}

// text words a string value: an enumeration's label, a time, an org path.
func (p *presenter) text(typ, field, s string) string {
	if s == "" {
		return ""
	}
	for _, scope := range []string{typ, ""} {
		if prefix, ok := enumLabels[scope][field]; ok {
			if msg.Has(prefix + "." + s) {
				return msg.Text(prefix + "." + s)
			}
			break
		}
	}
	// An attendance record names its person "张伟（#12）2026-06-29": the
	// number is for the record, the reader gets the name and the day.
	s = personNumber.ReplaceAllString(s, " ")
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if t.IsZero() || t.Year() <= 1 {
			return ""
		}
		return t.In(web.China).Format("2006-01-02 15:04:05")
	}
	if strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") && field == "path" {
		parts := strings.Split(strings.Trim(s, "/"), "/")
		if id, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil {
			return p.ref("org", id)
		}
	}
	return s
}

// object words a nested object (a working group's member, an event's
// speaker): 王伟东（组长）, or its fields one after another.
func (p *presenter) object(typ string, m map[string]any) string {
	f := flatten("", m)
	name, _ := f["name"].(string)
	if id := ids(f["person_id"]); len(id) == 1 {
		name = p.ref("person", id[0]) // with the organisation, unlike the stored name
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != "name" && k != "person_id" && !hiddenFields[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var rest []string
	for _, k := range keys {
		s := p.value(typ, k, f[k])
		if s == "" {
			continue
		}
		if k == "role" || k == "title" {
			rest = append([]string{s}, rest...)
			continue
		}
		l, _ := p.label(typ, k)
		rest = append(rest, l+"："+s)
	}
	switch {
	case name != "" && len(rest) > 0:
		return name + "（" + strings.Join(rest, "，") + "）"
	case name != "":
		return name
	}
	return strings.Join(rest, "，")
}

// changesText is the changes of an entry as lines of text (the export):
// the same words as the page.
func changesText(list []fieldChange) string {
	lines := make([]string, 0, len(list))
	for _, c := range list {
		var b strings.Builder
		if c.Label != "" {
			b.WriteString(c.Label + "：")
		}
		if c.Before != "" {
			b.WriteString(c.Before + " → ")
		}
		b.WriteString(c.After)
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n")
}

// orgOfPath names the organisation at the end of a stored path.
func (p *presenter) orgOfPath(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if id, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil {
		return p.ref("org", id)
	}
	return ""
}
