// Package people is the roster: party members, those on the way to membership
// and the staff (干部职工) of the units, with the rules a record must follow.
package people

import (
	"strings"
	"time"
	"unicode"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// Sex is stored as text; the Chinese label comes from the message catalogue.
type Sex string

const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Status is a person's political status: the five stages of the member
// development pipeline, or none (群众) for staff who are not in it.
type Status string

const (
	Applicant    Status = "applicant"    // 入党申请人
	Activist     Status = "activist"     // 入党积极分子
	Candidate    Status = "candidate"    // 发展对象
	Probationary Status = "probationary" // 预备党员
	Full         Status = "full"         // 正式党员
	Masses       Status = "masses"       // 群众 (staff outside the pipeline)
)

// Statuses in pipeline order, for dropdowns and filters.
var Statuses = []Status{Applicant, Activist, Candidate, Probationary, Full, Masses}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// IsMember is true for those the party counts as members (预备 and 正式).
func (s Status) IsMember() bool { return s == Probationary || s == Full }

// The longest text each field of a person may hold, in characters. Pages and
// the API refuse longer input beside its field ("不能超过40个字") before
// anything else; Validate refuses it from every other source (an import, a
// command), so nothing longer is ever stored.
const (
	MaxName      = 40  // 姓名: the longest minority names with their middle dots fit
	MaxPosition  = 60  // 职务: "二级高级法官、审判委员会委员" and the like
	MaxDictValue = 40  // 民族, 学历: a dictionary label (dict.MaxLabel)
	MaxIDNumber  = 30  // as typed, spaces included; 18 once normalized
	MaxPhone     = 20  // as typed: "+86 138 0013 8000", "0531-86001234"
	MaxExternal  = 100 // the organisation outside the platform of a transfer
	MaxNote      = 500 // free text
)

// Person is one record of the roster. IDNumber and Phone are sensitive: they are
// masked in lists and exports unless the viewer's role may see them.
type Person struct {
	ID        int64
	OrgID     int64  // the party organisation (branch or group) or, for staff, the unit
	UnitID    int64  // the work unit (机关单位); 0 when unknown
	Name      string // at most MaxName characters
	Sex       Sex
	BirthDate date.Date
	Ethnic    string // dictionary "ethnic", at most MaxDictValue characters
	Education string // dictionary "education", at most MaxDictValue characters
	Position  string // 职务, free text suggested by dictionary "position", at most MaxPosition characters
	Status    Status
	// Dated steps of the development pipeline; zero when not reached.
	AppliedOn   date.Date // 递交入党申请
	ActivistOn  date.Date // 确定为积极分子
	CandidateOn date.Date // 确定为发展对象
	JoinedOn    date.Date // 入党时间: the branch meeting admits as 预备党员
	FullOn      date.Date // 转正时间
	Phone       string    // at most MaxPhone characters as typed; CheckPhone's format once normalized
	IDNumber    string    // 18 characters (GB 11643); at most MaxIDNumber as typed
	LeftOn      date.Date // transferred out; zero while the person belongs here
	Version     int64     // optimistic lock: an edit based on a stale copy is refused
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NormalizeName removes the spaces offices pad two-character names with
// ("张　伟" → "张伟"), keeping the middle dot of minority names.
func NormalizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// Normalize tidies fields the way offices type them, before Validate.
func (p *Person) Normalize() {
	p.Name = NormalizeName(p.Name)
	p.Ethnic = strings.TrimSpace(p.Ethnic)
	p.Education = strings.TrimSpace(p.Education)
	p.Position = strings.TrimSpace(p.Position)
	p.IDNumber = NormalizeIDNumber(p.IDNumber)
	p.Phone = NormalizePhone(p.Phone)
}

// Validate checks the record on its own and derives birth date and sex from the
// ID number when one is given. today bounds the dates. Dictionary membership
// and the organisation are checked by the caller, who knows them.
func (p *Person) Validate(today date.Date) error {
	var v errs.Invalid
	if p.Name == "" {
		v.Add("name", "required")
	}
	v.MaxLen("name", p.Name, MaxName)
	v.MaxLen("position", p.Position, MaxPosition)
	v.MaxLen("ethnic", p.Ethnic, MaxDictValue)
	v.MaxLen("education", p.Education, MaxDictValue)
	if p.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if !p.Status.Valid() {
		v.Add("status", "status.unknown")
	}
	if IsMasked(p.IDNumber) {
		v.Add("id_number", "id_number.masked")
	} else if p.IDNumber != "" {
		info, problem := CheckIDNumber(p.IDNumber)
		if problem != "" {
			v.Add("id_number", problem)
		} else {
			if !p.BirthDate.IsZero() && p.BirthDate != info.BirthDate {
				v.Add("birth_date", "birth_date.mismatch_id")
			}
			if p.Sex != "" && p.Sex != info.Sex {
				v.Add("sex", "sex.mismatch_id")
			}
			p.BirthDate, p.Sex = info.BirthDate, info.Sex
		}
	}
	// Sex and birth date come from the ID number when there is one; a bad
	// number is one mistake, reported once, not three.
	idGiven := p.IDNumber != ""
	if p.Sex != Male && p.Sex != Female && !idGiven {
		v.Add("sex", "required")
	}
	if p.BirthDate.IsZero() {
		if !idGiven {
			v.Add("birth_date", "required")
		}
	} else if p.BirthDate.After(today) || p.BirthDate.Year() < 1900 {
		v.Add("birth_date", "date.out_of_range")
	}
	if IsMasked(p.Phone) {
		v.Add("phone", "phone.masked")
	} else if p.Phone != "" {
		if problem := CheckPhone(p.Phone); problem != "" {
			v.Add("phone", problem)
		}
	}
	p.checkSteps(&v, today)
	return v.Err()
}

// checkSteps enforces what a status implies about its dates: a member has an
// 入党时间, a 正式党员 a 转正时间 after it, and no step lies in the future.
func (p *Person) checkSteps(v *errs.Invalid, today date.Date) {
	steps := []struct {
		field string
		d     date.Date
	}{
		{"applied_on", p.AppliedOn}, {"activist_on", p.ActivistOn}, {"candidate_on", p.CandidateOn},
		{"joined_on", p.JoinedOn}, {"full_on", p.FullOn}, {"left_on", p.LeftOn},
	}
	for _, s := range steps {
		if !s.d.IsZero() && (s.d.After(today) || s.d.Year() < 1921) {
			v.Add(s.field, "date.out_of_range")
		}
	}
	if p.Status.IsMember() && p.JoinedOn.IsZero() {
		v.Add("joined_on", "joined_on.required_for_member")
	}
	if p.Status == Full && p.FullOn.IsZero() {
		v.Add("full_on", "full_on.required_for_full")
	}
	if !p.FullOn.IsZero() && !p.JoinedOn.IsZero() && !p.FullOn.After(p.JoinedOn) {
		v.Add("full_on", "full_on.before_joined")
	}
	if !p.JoinedOn.IsZero() && !p.BirthDate.IsZero() && p.BirthDate.YearsUntil(p.JoinedOn) < 18 {
		v.Add("joined_on", "joined_on.under_18")
	}
}

// Age is the person's age in whole years on day.
func (p *Person) Age(day date.Date) int { return p.BirthDate.YearsUntil(day) }

// PartyYears is the standing in the party (党龄) on day. 《中国共产党章程》第七条:
// "党员的党龄，从预备期满转为正式党员之日算起" — it counts from 转正时间, not from
// 入党时间, so a 预备党员 has none yet, and neither has anyone outside the party.
func (p *Person) PartyYears(day date.Date) int {
	if p.Status != Full || p.FullOn.IsZero() || day.Before(p.FullOn) {
		return 0
	}
	return p.FullOn.YearsUntil(day)
}

// HonourYears is the standing that earns the 光荣在党50年 commemorative badge.
const HonourYears = 50

// Honoured reports whether the person's 党龄 is HonourYears or more on day
// (counted from 转正 like every 党龄): found from the records, not kept by hand.
func (p *Person) Honoured(day date.Date) bool { return p.PartyYears(day) >= HonourYears }
