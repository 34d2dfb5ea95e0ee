package dictweb

// 数据字典: the system administrator edits the dictionaries behind the
// dropdowns (学历, 民族, 职务, 班子职务). Items are disabled, never deleted, so
// old records keep their values.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// dictNames are the dictionaries in the order the page shows them; any the
// code adds later follow in name order.
func dictNames() []string {
	names := []string{dict.Education, dict.Ethnic, dict.Position, dict.CommitteePosition}
	var more []string
	for n := range dict.Defaults {
		if !slices.Contains(names, n) {
			more = append(more, n)
		}
	}
	slices.Sort(more)
	return append(names, more...)
}

func knownDict(name string) bool { _, ok := dict.Defaults[name]; return ok }

func dictTitle(name string) string {
	if msg.Has("dict.name." + name) {
		return msg.Text("dict.name." + name)
	}
	return name
}

// splitAliases reads aliases typed in one box, separated by 、 , ， ； or spaces.
func splitAliases(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.FieldsFunc(v, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("、,，;；|", r)
		})...)
	}
	return out
}

// dictItemForm is an item as its form shows it: the stored values, or what
// was typed when a save was refused, with the messages beside the fields.
type dictItemForm struct {
	ID, Version int64
	Label       string
	Aliases     string
	SortOrder   string
	Disabled    bool
	Errors      map[string]string
}

// Other is the message of a problem not tied to a visible field (a stale edit).
func (f dictItemForm) Other() string {
	var out []string
	for k, m := range f.Errors {
		if k != "label" && k != "aliases" && k != "sort_order" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "；")
}

func itemForm(it dict.Item) dictItemForm {
	return dictItemForm{ID: it.ID, Version: it.Version, Label: it.Label, Aliases: strings.Join(it.Aliases, "、"),
		SortOrder: strconv.Itoa(it.SortOrder), Disabled: it.Disabled}
}

type dictSection struct {
	Name, Title string
	Items       []dictItemForm
	Add         dictItemForm
	Open        bool
}

type dictsPage struct {
	web.Layout
	Dicts []dictSection
}

func (s *area) dictsPage(r *http.Request, c *web.Call, open string) (*dictsPage, error) {
	p := &dictsPage{Layout: s.Base(c, "数据字典", "/dicts")}
	for _, name := range dictNames() {
		items, err := s.st.DictItems(r.Context(), name)
		if err != nil {
			return nil, err
		}
		sec := dictSection{Name: name, Title: dictTitle(name), Open: name == open}
		for _, it := range items {
			sec.Items = append(sec.Items, itemForm(it))
		}
		sec.Add.SortOrder = strconv.Itoa(nextSortOrder(items))
		p.Dicts = append(p.Dicts, sec)
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func nextSortOrder(items []dict.Item) int {
	n := 0
	for _, it := range items {
		n = max(n, it.SortOrder)
	}
	return (n/10 + 1) * 10
}

func (s *area) dictList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.dictsPage(r, c, r.URL.Query().Get("d"))
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "dicts", p)
}

// saveDictItem creates (no id) or updates (id and version) an item of the
// dictionary in the path. A page form sends every field, so a missing
// checkbox means "not disabled"; an API client may send only what changes.
func (s *area) saveDictItem(r *http.Request, c *web.Call, partial bool) (dictItemForm, *dict.Item, error) {
	name := r.PathValue("name")
	if !knownDict(name) {
		return dictItemForm{}, nil, errs.ErrNotFound
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return dictItemForm{}, nil, err
	}
	var v errs.Invalid
	form := dictItemForm{ID: in.ID("id", &v), Label: in.Str("label"), Aliases: strings.Join(in.Values["aliases"], "、"),
		SortOrder: in.Str("sort_order"), Disabled: in.Flag("disabled")}
	if v.Err() != nil {
		return form, nil, errs.ErrNotFound // a malformed id names no item
	}
	items, err := s.st.DictItems(r.Context(), name)
	if err != nil {
		return form, nil, err
	}
	it := &dict.Item{Dict: name, SortOrder: nextSortOrder(items)}
	if form.ID != 0 {
		i := slices.IndexFunc(items, func(x dict.Item) bool { return x.ID == form.ID })
		if i < 0 {
			return form, nil, errs.ErrNotFound
		}
		*it = items[i]
	}
	form.Version = it.Version
	if in.Has("version") {
		n, err := strconv.ParseInt(in.Str("version"), 10, 64)
		if err != nil {
			v.Add("version", "number.format")
		}
		form.Version, it.Version = n, n
	}
	if !partial || in.Has("label") {
		it.Label = form.Label
	}
	if !partial || in.Has("aliases") {
		it.Aliases = splitAliases(in.Values["aliases"])
	}
	if !partial || in.Has("disabled") {
		it.Disabled = form.Disabled
	}
	if form.SortOrder != "" {
		n, err := strconv.Atoi(form.SortOrder)
		if err != nil || n < 0 || n > 1_000_000 {
			v.Add("sort_order", "number.format")
		}
		it.SortOrder = n
	}
	for _, a := range it.Aliases {
		if utf8.RuneCountInString(a) > 40 {
			v.Add("aliases", "dict.alias_too_long")
		}
	}
	if err := web.AddProblems(&v, it.Validate()); err != nil {
		return form, nil, err
	}
	if err := v.Err(); err != nil {
		return form, nil, err
	}
	return form, it, s.st.SaveDictItem(r.Context(), c.Actor, it)
}

func (s *area) dictSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	form, it, err := s.saveDictItem(r, c, false)
	if fields := web.InvalidFields(err); fields != nil {
		name := r.PathValue("name")
		p, perr := s.dictsPage(r, c, name)
		if perr != nil {
			return perr
		}
		form.Errors = fields
		for i := range p.Dicts {
			sec := &p.Dicts[i]
			if sec.Name != name {
				continue
			}
			if form.ID == 0 {
				sec.Add = form
			}
			for j := range sec.Items {
				if sec.Items[j].ID != form.ID {
					continue
				}
				if _, stale := fields["version"]; stale {
					sec.Items[j].Errors = fields // show what the other edit saved
				} else {
					sec.Items[j] = form
				}
			}
		}
		return s.Render(w, r, web.Status(err), "dicts", p)
	}
	if err != nil {
		return err
	}
	done := "saved"
	if form.ID == 0 {
		done = "created"
	}
	http.Redirect(w, r, "/dicts?"+url.Values{"d": {it.Dict}, "notice": {done}}.Encode()+"#dict-"+it.Dict, http.StatusSeeOther)
	return nil
}

// --- JSON API ---

func dictItemJSON(it *dict.Item) map[string]any {
	aliases := it.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return map[string]any{"id": it.ID, "dict": it.Dict, "label": it.Label, "aliases": aliases, "sort_order": it.SortOrder,
		"disabled": it.Disabled, "version": it.Version}
}

// apiDictItems lists a dictionary, disabled items included and marked, so a
// client can show old values; forms offer only the enabled ones.
func (s *area) apiDictItems(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	name := r.PathValue("name")
	if !knownDict(name) {
		return errs.ErrNotFound
	}
	items, err := s.st.DictItems(r.Context(), name)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(items))
	for i := range items {
		out = append(out, dictItemJSON(&items[i]))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"name": name, "title": dictTitle(name), "items": out})
	return nil
}

func (s *area) apiDictSave(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	form, it, err := s.saveDictItem(r, c, true)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if form.ID == 0 {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, dictItemJSON(it))
	return nil
}
