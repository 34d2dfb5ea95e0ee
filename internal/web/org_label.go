package web

import (
	"context"

	"dangjian/internal/org"
)

// OrgLabel is how a page names an organisation: with as much of its path as
// tells it apart (org.Org.Label, filled by the store: 第一党支部 › 第一党小组),
// or its name when the organisation was not read through the store's lists.
// Templates call it as {{orglabel .Org}}.
func OrgLabel(o org.Org) string {
	if o.Label != "" {
		return o.Label
	}
	return o.Name
}

// OrgLabelOf names an organisation known only by its id the same way; "" for
// 0. For a page that holds an id and not the organisation.
func (s *Server) OrgLabelOf(ctx context.Context, id int64) (string, error) {
	return s.st.OrgLabel(ctx, id)
}
