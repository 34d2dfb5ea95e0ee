package peopleweb

import (
	"net/http"

	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// personPick serves the person picker (web.PickPeople) for the roster's
// readers: the people of their scope, only party members with ?members=1
// (a committee seat), only an organisation's subtree with ?org=N.
func (s *area) personPick(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q := parseRosterQuery(r.URL.Query())
	f := store.PersonFilter{OrgID: q.OrgID}
	if r.URL.Query().Get("members") == "1" {
		f.Statuses = []people.Status{people.Full, people.Probationary}
	}
	return s.PickPeople(w, r, c.Scope, f)
}
