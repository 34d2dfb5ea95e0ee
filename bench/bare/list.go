package bare

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/msg"
	"dangjian/internal/people"
)

// person is one roster row as the real API shows it.
type person struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	OrgID       int64     `json:"org_id"`
	OrgName     string    `json:"org_name"`
	UnitID      int64     `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	Sex         string    `json:"sex"`
	SexLabel    string    `json:"sex_label"`
	BirthDate   date.Date `json:"birth_date"`
	Age         int       `json:"age"`
	Ethnic      string    `json:"ethnic"`
	Education   string    `json:"education"`
	Position    string    `json:"position"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	AppliedOn   date.Date `json:"applied_on"`
	ActivistOn  date.Date `json:"activist_on"`
	CandidateOn date.Date `json:"candidate_on"`
	JoinedOn    date.Date `json:"joined_on"`
	FullOn      date.Date `json:"full_on"`
	PartyYears  int       `json:"party_years"`
	Honoured    bool      `json:"honoured"`
	LeftOn      date.Date `json:"left_on"`
	Left        bool      `json:"-"`
	IDNumber    string    `json:"id_number"`
	Phone       string    `json:"phone"`
	Masked      bool      `json:"masked"`
	Version     int64     `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
	orgPath     string
}

// list is one page of the roster, as the real API answers it.
type list struct {
	Items    []person `json:"items"`
	Total    int      `json:"total"`
	Page     int      `json:"page"`
	PageSize int      `json:"page_size"`
	Next     string   `json:"next,omitempty"`
	Prev     string   `json:"prev,omitempty"`
}

const pageSize = 20

var china = time.FixedZone("CST", 8*3600)

// query is what the load asks: a page of the caller's subtree or of an
// organisation inside it, by number or from a cursor.
type query struct {
	org           int64
	page          int
	after, before string
}

func parseQuery(r *http.Request) query {
	v := r.URL.Query()
	q := query{page: 1, after: v.Get("after"), before: v.Get("before")}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 0 {
		q.page = n
	}
	q.org, _ = strconv.ParseInt(v.Get("org"), 10, 64)
	return q
}

// people runs the store's listing statement for a page of a subtree.
func (s *Server) people(ctx context.Context, c caller, q query) (list, error) {
	out := list{PageSize: pageSize, Items: []person{}}
	lo, hi := pathRange(c.orgPath)
	name, low, high := "list/scope/", []any{lo}, []any{hi}
	if q.org != 0 {
		name, low, high = "list/org/", []any{q.org, lo, hi}, []any{q.org, lo, hi}
	}
	args := slices.Concat(low, high) // the total's range
	from, offset := "offset", (q.page-1)*pageSize
	if key, ok := parseCursor(q.after); ok {
		from, offset, args = "after", 0, slices.Concat(args, key[:1], low, high, key)
	} else if key, ok := parseCursor(q.before); ok {
		from, offset, args = "before", 0, slices.Concat(args, low, key[:1], high, key)
	} else {
		args = slices.Concat(args, low, high)
	}
	if from == "offset" && offset == 0 {
		from = "first"
	} else if from == "offset" {
		args = append(args, offset)
	}
	rows, err := s.stmts[name+from].QueryContext(ctx, args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	today := date.FromTime(s.now().In(china))
	var keys []string
	for rows.Next() {
		var p person
		var created time.Time
		var nameSort string
		if err := rows.Scan(&out.Total, &nameSort, &p.ID, &p.OrgID, &p.UnitID, &p.Name, &p.Sex, &p.BirthDate, &p.Ethnic, &p.Education,
			&p.Position, &p.Status, &p.AppliedOn, &p.ActivistOn, &p.CandidateOn, &p.JoinedOn, &p.FullOn, &p.Phone, &p.IDNumber, &p.LeftOn,
			&p.Version, &created, &p.UpdatedAt, &p.OrgName, &p.UnitName, &p.orgPath); err != nil {
			return out, err
		}
		p.SexLabel, p.StatusLabel = msg.Text("sex."+p.Sex), msg.Text("status."+p.Status)
		p.Age = p.BirthDate.YearsUntil(today)
		if !p.FullOn.IsZero() && p.Status == "full" && !today.Before(p.FullOn) { // 党章第七条: from 转正
			p.PartyYears = p.FullOn.YearsUntil(today)
		}
		p.Honoured, p.Left = p.PartyYears >= people.HonourYears, !p.LeftOn.IsZero()
		p.IDNumber, p.Phone, p.Masked = people.MaskIDNumber(p.IDNumber), people.MaskPhone(p.Phone), true
		out.Items, keys = append(out.Items, p), append(keys, nameSort)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	// One row beyond the page tells whether there is more that way.
	more := len(out.Items) > pageSize
	if more && from == "before" {
		out.Items, keys = out.Items[1:], keys[1:]
	} else if more {
		out.Items, keys = out.Items[:pageSize], keys[:pageSize]
	}
	if n := len(out.Items); n > 0 {
		if (from == "before" && more) || from == "after" || from == "offset" {
			out.Prev = cursor(&out.Items[0], keys[0])
		}
		if from == "before" || more {
			out.Next = cursor(&out.Items[n-1], keys[n-1])
		}
	}
	out.Page = label(q.page, max(1, (out.Total+pageSize-1)/pageSize), out)
	return out, nil
}

// cursor and parseCursor are the store's cursor of the order by organisation.
func cursor(p *person, nameSort string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("org\x1f" + p.orgPath + "\x1f" + nameSort + "\x1f" + strconv.FormatInt(p.ID, 10)))
}

func parseCursor(c string) ([]any, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	parts := strings.Split(string(b), "\x1f")
	if c == "" || err != nil || len(parts) != 4 || parts[0] != "org" {
		return nil, false
	}
	id, err := strconv.ParseInt(parts[3], 10, 64)
	return []any{parts[1], parts[2], id}, err == nil
}

// label is the page's number as the real server shows it: exact at either end.
func label(asked, pages int, l list) int {
	switch {
	case len(l.Items) == 0:
		return asked
	case l.Prev == "":
		return 1
	case l.Next == "":
		return max(pages, 2)
	default:
		return min(max(asked, 2), max(pages-1, 2))
	}
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) {
	c, err := s.session(r)
	if err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	l, err := s.people(r.Context(), c, parseQuery(r))
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(l)
}
