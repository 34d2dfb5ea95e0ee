package web

import (
	"net/http"
	"strconv"
	"strings"

	"dangjian/internal/org"
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
