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

// dictItemIn is the body of POST /api/v1/dicts/{name} and PATCH
// /api/v1/dicts/{name}/{id} as the OpenAPI document describes it. aliases
// may also be one text separated by 、 , ， ； or spaces.
type dictItemIn struct {
	Label     string   `json:"label" maxLength:"40"`
	Aliases   []string `json:"aliases" maxLength:"40"` // at most 20
	SortOrder int      `json:"sort_order"`
	Disabled  bool     `json:"disabled"`
	Version   int64    `json:"version"` // required on PATCH
}

// saveMode says how a save reads its item: a page form posts every field of
// a new item or of the item named by its id; the API creates with POST and
// changes the fields present with PATCH, the item named by the path.
type saveMode int

const (
	pageSave saveMode = iota
	apiCreate
	apiPatch
)

// saveDictItem creates or updates an item of the dictionary in the path.
func (s *area) saveDictItem(r *http.Request, c *web.Call, mode saveMode) (dictItemForm, *dict.Item, error) {
	name := r.PathValue("name")
	if !knownDict(name) {
		return dictItemForm{}, nil, errs.ErrNotFound
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return dictItemForm{}, nil, err
	}
	var v errs.Invalid
	form := dictItemForm{Label: in.Str("label"), Aliases: strings.Join(in.Values["aliases"], "、"),
		SortOrder: in.Str("sort_order"), Disabled: in.Flag("disabled")}
	switch mode {
	case pageSave:
		form.ID = in.ID("id", &v)
		if v.Err() != nil {
			return form, nil, errs.ErrNotFound // a malformed id names no item
		}
	case apiCreate:
		if in.Has("id") {
			return form, nil, errs.Field("id", "api.use_patch")
		}
	case apiPatch:
		if form.ID, err = web.PathID(r, "id"); err != nil {
			return form, nil, err
		}
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
		it.Version = in.Version(&v)
		form.Version = it.Version
	}
	// A page posts every field (an unticked box is absent: not disabled);
	// PATCH changes the fields present.
	all := mode != apiPatch
	if all || in.Has("label") {
		it.Label = in.Text("label", dict.MaxLabel, &v)
	}
	if all || in.Has("aliases") {
		it.Aliases = splitAliases(in.Values["aliases"])
	}
	if all || in.Has("disabled") {
		it.Disabled = in.Check("disabled", &v)
	}
	if form.SortOrder != "" {
		n := in.Int("sort_order", &v)
		if n < 0 || n > 1_000_000 {
			v.Add("sort_order", "number.format")
		}
		it.SortOrder = int(n)
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
	form, it, err := s.saveDictItem(r, c, pageSave)
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

// dictItemOut is an item as the API answers it.
type dictItemOut struct {
	ID        int64    `json:"id"`
	Dict      string   `json:"dict"`
	Label     string   `json:"label"`
	Aliases   []string `json:"aliases"`
	SortOrder int      `json:"sort_order"`
	Disabled  bool     `json:"disabled"`
	Version   int64    `json:"version"`
}

func newDictItemOut(it *dict.Item) dictItemOut {
	aliases := it.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return dictItemOut{ID: it.ID, Dict: it.Dict, Label: it.Label, Aliases: aliases, SortOrder: it.SortOrder,
		Disabled: it.Disabled, Version: it.Version}
}

// dictOut is a whole dictionary: its name, title and items.
type dictOut struct {
	Name  string        `json:"name"`
	Title string        `json:"title"`
	Items []dictItemOut `json:"items"`
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
	out := dictOut{Name: name, Title: dictTitle(name), Items: make([]dictItemOut, 0, len(items))}
	for i := range items {
		out.Items = append(out.Items, newDictItemOut(&items[i]))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiDictCreate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	_, it, err := s.saveDictItem(r, c, apiCreate)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newDictItemOut(it))
	return nil
}

func (s *area) apiDictUpdate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	_, it, err := s.saveDictItem(r, c, apiPatch)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, newDictItemOut(it))
	return nil
}
