// Package event is everything that happens on a date with people: every
// meeting of 三会一课, every learning session, practice activity, integrity
// talk and visit. Kinds are data (an administrator adds one without code);
// a kind says who is expected, whether attendance is taken, whether it counts
// as learning and for how many 学时, and which outcome measures it records.
// Attendance, QR sign-in, make-up, minutes, decisions and measures are written
// once here for all of them; ledgers, activities and cases copy the pattern.
//
// The package holds types, validation (message keys), and the rules that
// need no database: quorum, the sign-in code, the compliance calendar and the
// figures, each a function over plain data.
package event

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"dangjian/internal/errs"
)

// Category groups kinds the way offices speak of them: 会议, 学习, 活动 ….
type Category string

const (
	Meeting   Category = "meeting"   // 会议
	Learning  Category = "learning"  // 学习
	Practice  Category = "practice"  // 实践活动
	Integrity Category = "integrity" // 廉政
	Visit     Category = "visit"     // 走访
)

// Categories in display order.
var Categories = []Category{Meeting, Learning, Practice, Integrity, Visit}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return oneOf(c, Categories) }

// Audience says who is expected at an event of a kind.
type Audience string

const (
	// Members are the party members (正式 and 预备) of the event's
	// organisation and everything under it; for a 党小组 that is the group.
	Members Audience = "members"
	// Everyone is every current person of the subtree, staff included
	// (全体党员干部职工).
	Everyone Audience = "everyone"
	// CommitteeSeats are the current seats of the organisation's committee
	// (支委会, 书记办公会, 中心组).
	CommitteeSeats Audience = "committee"
	// Chosen is a list the organiser picks (座谈会, 专题会议).
	Chosen Audience = "chosen"
)

// Audiences in display order.
var Audiences = []Audience{Members, Everyone, CommitteeSeats, Chosen}

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool { return oneOf(a, Audiences) }

// Aggregate is how an outcome measure adds up over events: money and
// households are summed, a satisfaction score is averaged.
type Aggregate string

const (
	Sum     Aggregate = "sum"
	Average Aggregate = "avg"
	Maximum Aggregate = "max"
)

// Aggregates in display order.
var Aggregates = []Aggregate{Sum, Average, Maximum}

// Valid reports whether a is a known aggregate.
func (a Aggregate) Valid() bool { return oneOf(a, Aggregates) }

// Hours are 学时 in tenths, so 2.5 学时 is exact and sums never drift.
type Hours int

// String is "2.5", "2" or "0".
func (h Hours) String() string {
	s := strconv.Itoa(int(h) / 10)
	if f := int(h) % 10; f != 0 {
		s += "." + strconv.Itoa(abs(f))
	}
	if h < 0 && int(h) > -10 {
		s = "-" + s
	}
	return s
}

// MarshalText writes the hours as a decimal number.
func (h Hours) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// ParseHours reads "2", "2.5" or "" (zero) with one decimal at most.
func ParseHours(s string) (Hours, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || w > 1000 {
		return 0, false
	}
	f := 0
	if hasFrac {
		if len(frac) != 1 || frac[0] < '0' || frac[0] > '9' {
			return 0, false
		}
		f = int(frac[0] - '0')
	}
	return Hours(w*10 + f), true
}

// Measure is one outcome an event of a kind records (households visited,
// money donated, suggestions collected …): data, not a column.
type Measure struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	Aggregate Aggregate `json:"aggregate"`
	Disabled  bool      `json:"disabled"`
}

// Kind is a kind of event. Built-in kinds carry a Code (the compliance
// rules' defaults name them); kinds an administrator adds have none.
type Kind struct {
	ID               int64
	Code             string
	Name             string
	Category         Category
	Audience         Audience
	TakesAttendance  bool
	CountsAsLearning bool
	Credit           Hours // 学时 an attendee earns a day, when it counts as learning
	AllowsMakeup     bool  // 补课 may be recorded for those on leave or absent
	RecordsDecisions bool  // 集体决策事项 are recorded
	NeedsQuorum      bool  // more than half of those expected must be present
	SortOrder        int
	Disabled         bool
	Measures         []Measure
	Version          int64
}

// Limits of a kind's texts, in characters.
const (
	MaxKindName    = 30
	MaxMeasureName = 30
	MaxMeasureUnit = 10
	MaxMeasures    = 20
)

// Validate checks a kind and its measures.
func (k *Kind) Validate() error {
	var v errs.Invalid
	k.Name = strings.TrimSpace(k.Name)
	checkText(&v, "name", k.Name, MaxKindName, "event.kind_name_too_long", true)
	if !k.Category.Valid() {
		v.Add("category", "event.category_unknown")
	}
	if !k.Audience.Valid() {
		v.Add("audience", "event.audience_unknown")
	}
	if k.Credit < 0 || k.Credit > 240 {
		v.Add("credit", "event.credit_range")
	}
	if k.Credit > 0 && !k.CountsAsLearning {
		v.Add("credit", "event.credit_not_learning")
	}
	if (k.AllowsMakeup || k.NeedsQuorum) && !k.TakesAttendance {
		v.Add("takes_attendance", "event.attendance_needed")
	}
	if len(k.Measures) > MaxMeasures {
		v.Add("measures", "event.too_many_measures")
	}
	seen := map[string]bool{}
	for i := range k.Measures {
		m := &k.Measures[i]
		m.Name, m.Unit = strings.TrimSpace(m.Name), strings.TrimSpace(m.Unit)
		checkText(&v, "measures", m.Name, MaxMeasureName, "event.measure_name_too_long", true)
		checkText(&v, "measures", m.Unit, MaxMeasureUnit, "event.measure_unit_too_long", false)
		if m.Aggregate == "" {
			m.Aggregate = Sum
		}
		if !m.Aggregate.Valid() {
			v.Add("measures", "event.aggregate_unknown")
		}
		if seen[m.Name] {
			v.Add("measures", "event.measure_duplicate")
		}
		seen[m.Name] = true
	}
	return v.Err()
}

// checkText adds a problem when a text is missing (if required) or longer
// than max characters.
func checkText(v *errs.Invalid, field, s string, max int, tooLong string, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		v.Add(field, "required")
	case n > max:
		v.Add(field, tooLong)
	}
}

func oneOf[T comparable](x T, list []T) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
