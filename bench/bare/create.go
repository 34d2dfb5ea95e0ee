package bare

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/mozillazg/go-pinyin"

	"dangjian/internal/date"
	"dangjian/internal/msg"
	"dangjian/internal/people"
)

// newPerson is the body the load posts; the bare server trusts it as it is.
type newPerson struct {
	OrgID     int64     `json:"org_id"`
	UnitID    int64     `json:"unit_id"`
	Name      string    `json:"name"`
	Sex       string    `json:"sex"`
	BirthDate date.Date `json:"birth_date"`
	Ethnic    string    `json:"ethnic"`
	Education string    `json:"education"`
	Position  string    `json:"position"`
	Status    string    `json:"status"`
	JoinedOn  date.Date `json:"joined_on"`
	FullOn    date.Date `json:"full_on"`
	Phone     string    `json:"phone"`
	IDNumber  string    `json:"id_number"`
}

// create is a bare INSERT of the posted person, answered with the person as
// the real API shows one.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	c, err := s.session(r)
	if err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	var in newPerson
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	var unit any
	if in.UnitID != 0 {
		unit = in.UnitID
	}
	var idx any
	if in.IDNumber != "" {
		idx = strings.ToUpper(in.IDNumber)
	}
	now := s.now().UTC()
	lo, hi := pathRange(c.orgPath)
	var p person
	err = s.stmts["insert"].QueryRowContext(r.Context(), unit, in.Name, people.Initials(in.Name), nameSort(in.Name), in.Sex, in.BirthDate,
		in.Ethnic, in.Education, in.Position, in.Status, date.Date{}, date.Date{}, date.Date{}, in.JoinedOn, in.FullOn, in.Phone,
		strings.ToUpper(in.Phone), in.IDNumber, idx, now, now, in.OrgID, lo, hi).Scan(&p.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		fail(w, http.StatusUnprocessableEntity, errors.New("organisation not in scope"))
		return
	case err != nil:
		fail(w, http.StatusInternalServerError, err)
		return
	}
	p.Name, p.OrgID, p.UnitID, p.Sex, p.BirthDate, p.Ethnic, p.Education, p.Position, p.Status = in.Name, in.OrgID, in.UnitID,
		in.Sex, in.BirthDate, in.Ethnic, in.Education, in.Position, in.Status
	p.SexLabel, p.StatusLabel, p.JoinedOn, p.FullOn, p.Version, p.UpdatedAt = msg.Text("sex."+p.Sex), msg.Text("status."+p.Status),
		in.JoinedOn, in.FullOn, 1, now
	p.IDNumber, p.Phone, p.Masked = people.MaskIDNumber(in.IDNumber), people.MaskPhone(in.Phone), true
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(p)
}

// nameSort is the store's full-pinyin sort key of a name.
func nameSort(name string) string {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{string(r)} }
	var parts []string
	for _, p := range pinyin.Pinyin(name, a) {
		parts = append(parts, p...)
	}
	return strings.Join(parts, " ")
}
