package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"dangjian/internal/org"
	"dangjian/internal/store"
)

// OrgOptions are organisations as dropdown options, indented by depth so the
// tree shows in the list.
func OrgOptions(list []org.Org) []Option {
	out := make([]Option, 0, len(list))
	for _, o := range list {
		out = append(out, Option{strconv.FormatInt(o.ID, 10), strings.Repeat("　", o.Depth()) + OrgLabel(o)})
	}
	return out
}

// OrgTree is a dropdown of organisations opened down to the chosen one
// (store.OrgsAround): the way from the top of the caller's scope with each
// step's children. Choosing another asks the server (OrgTreeOptions) for
// the tree opened down to it, so a province's lists hold its cities and the
// way down, never fifteen thousand organisations; without JavaScript the
// list stays as it came. A field draws it as a select: field "org_id" "组织"
// value errors .Orgs.
type OrgTree struct {
	Options []Option
	Chosen  org.Org // the chosen organisation as read; zero when none
	reload  string
}

// OrgTree reads the tree of the kinds asked opened down to the chosen
// organisation (0, or one outside the scope: the scope's top).
func (s *Server) OrgTree(ctx context.Context, c *Call, chosen int64, kinds ...org.Kind) (OrgTree, error) {
	return s.OrgTreeOf(ctx, c, chosen, store.OrgFilter{Kinds: kinds})
}

// OrgTreeOf is OrgTree of the organisations f asks for: closed ones too
// where records of the past are looked for (the audit log).
func (s *Server) OrgTreeOf(ctx context.Context, c *Call, chosen int64, f store.OrgFilter) (OrgTree, error) {
	list, err := s.st.OrgsAround(ctx, c.Scope, chosen, f)
	if err != nil {
		return OrgTree{}, err
	}
	var t OrgTree
	for _, o := range list {
		if o.ID == chosen {
			t.Chosen = o
		}
	}
	if t.Chosen.ID == 0 && chosen != 0 {
		if list, err = s.st.OrgsAround(ctx, c.Scope, 0, f); err != nil {
			return OrgTree{}, err
		}
	}
	names := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		names[i] = string(k)
	}
	q := url.Values{"kinds": {strings.Join(names, ",")}}
	if f.IncludeClosed {
		q.Set("closed", "1")
	}
	t.Options, t.reload = OrgOptions(list), "/orgs/options?"+q.Encode()
	return t, nil
}

// Without leaves an organisation out of the tree, now and when it is asked
// for again: an organisation cannot move under itself, so its move form
// does not offer it (nor, as it cannot be chosen, anything under it).
func (t OrgTree) Without(id int64) OrgTree {
	value := strconv.FormatInt(id, 10)
	t.Options = slices.DeleteFunc(slices.Clone(t.Options), func(o Option) bool { return o.Value == value })
	t.reload += "&" + url.Values{"except": {value}}.Encode()
	return t
}

// OrgTreeOptions answers a select of organisations whose choice changed:
// its options opened down to the new choice, as the fragment htmx puts in
// the select (the kinds and the field's name in the query, its value under
// that name).
func (s *Server) OrgTreeOptions(w http.ResponseWriter, r *http.Request, c *Call) error {
	q := r.URL.Query()
	var kinds []org.Kind
	for k := range strings.SplitSeq(q.Get("kinds"), ",") {
		if k != "" && org.Kind(k).Valid() {
			kinds = append(kinds, org.Kind(k))
		}
	}
	value := q.Get(q.Get("name"))
	chosen, _ := strconv.ParseInt(value, 10, 64)
	tree, err := s.OrgTreeOf(r.Context(), c, chosen, store.OrgFilter{Kinds: kinds, IncludeClosed: q.Get("closed") == "1"})
	if err != nil {
		return err
	}
	if except, err := strconv.ParseInt(q.Get("except"), 10, 64); err == nil {
		tree = tree.Without(except)
	}
	return s.renderBlock(w, "select-options", choices(tree.Options, value))
}

// DictOptions are a dictionary's enabled items as dropdown options.
func (s *Server) DictOptions(r *http.Request, name string) ([]Option, error) {
	items, err := s.st.DictItems(r.Context(), name)
	if err != nil {
		return nil, err
	}
	var out []Option
	for _, it := range items {
		if !it.Disabled {
			out = append(out, Option{it.Label, it.Label})
		}
	}
	return out, nil
}
