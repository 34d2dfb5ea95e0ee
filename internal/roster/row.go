package roster

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
)

// cell is one spreadsheet cell as read: its raw text (a number as Excel
// stores it, not as it displays it) and whether Excel holds it as a number.
type cell struct {
	text    string
	numeric bool
}

// row is one data row of the sheet.
type row struct {
	num   int // as Excel shows it
	cells [numFields]cell
	// idSkipped: the row's ID number repeats an earlier row's; it is
	// reported once and not read, so nothing is derived from it.
	idSkipped bool
}

// empty is true for a row with nothing but perhaps a 序号: offices number
// a few hundred rows in advance and fill them over the years.
func (r *row) empty() bool {
	for f := fName; f < numFields; f++ {
		if strings.TrimSpace(strings.ReplaceAll(r.cells[f].text, "\u3000", "")) != "" {
			return false
		}
	}
	return true
}

// exampleMark in the 序号 column marks the template's example row, which the
// import skips so a filled-in template imports as it is.
const exampleMark = "示例"

// env is what a row is checked against: the organisations and dictionaries
// of the installation and the day of the import. It holds no connection, so
// rows parse (and fuzz) without a database.
type env struct {
	names     *Names           // organisations of the importer's scope, units everywhere
	orgMap    map[string]int64 // organisations the importer chose for names the tree lacks
	education dict.Lookup
	ethnic    dict.Lookup
	today     date.Date
	date1904  bool
}

// statusOfText maps the words offices use for 人员类别 / 政治面貌.
var statusOfText = map[string]people.Status{
	"正式党员": people.Full, "中共党员": people.Full, "党员": people.Full,
	"预备党员": people.Probationary, "中共预备党员": people.Probationary,
	"发展对象":   people.Candidate,
	"入党积极分子": people.Activist, "积极分子": people.Activist,
	"入党申请人": people.Applicant, "申请人": people.Applicant,
	"群众": people.Masses,
}

// fieldOfKey maps the field names of people.Person.Validate to columns.
var fieldOfKey = map[string]field{
	"name": fName, "org_id": fOrg, "status": fStatus, "id_number": fIDNumber, "sex": fSex,
	"birth_date": fBirth, "phone": fPhone, "applied_on": fApplied, "activist_on": fActivist, "candidate_on": fCandidate, "joined_on": fJoined, "full_on": fFull, "unit_id": fUnit,
	"ethnic": fEthnic, "education": fEducation, "position": fPosition,
}

// parseRow turns one row into a person, or says everything wrong with it.
// The person is normalized and validated when no problem is returned.
//
// base, when not nil, is the person the row updates: a column the file
// lacks keeps base's value.
func parseRow(e *env, l *layout, r *row, base *people.Person) (people.Person, []Problem) {
	var p people.Person
	var probs []Problem
	var fieldOf []field // the field of each problem, for the order
	bad := map[field]bool{}
	add := func(f field, key string, args ...any) {
		if !bad[f] {
			bad[f] = true
			probs = append(probs, problem(r.num, l.column(f), key, args...))
			fieldOf = append(fieldOf, f)
		}
	}
	text := func(f field) string {
		return strings.TrimSpace(strings.ReplaceAll(r.cells[f].text, "\u3000", " "))
	}

	p.Name = people.NormalizeName(r.cells[fName].text)

	switch s := text(fSex); s {
	case "":
	case "男", "男性":
		p.Sex = people.Male
	case "女", "女性":
		p.Sex = people.Female
	default:
		add(fSex, "roster.sex_unknown")
	}
	if s := text(fEthnic); s != "" {
		if p.Ethnic = lookup(e.ethnic, s); p.Ethnic == "" {
			add(fEthnic, "roster.ethnic_unknown", s)
		}
	}
	if s := text(fEducation); s != "" {
		if p.Education = lookup(e.education, s); p.Education == "" {
			add(fEducation, "roster.education_unknown", s)
		}
	}
	if p.Position = text(fPosition); utf8.RuneCountInString(p.Position) > 40 {
		add(fPosition, "too_long")
	}

	if s := text(fStatus); s == "" {
		add(fStatus, "required")
	} else if st, ok := statusOfText[strings.ReplaceAll(s, " ", "")]; ok {
		p.Status = st
	} else {
		add(fStatus, "roster.status_unknown", s)
	}
	if s := text(fOrg); s == "" {
		add(fOrg, "required")
	} else if o, res := e.findOrg(s, p.Status); res == unknown {
		add(fOrg, "roster.org_unknown", s)
	} else if res == ambiguous {
		add(fOrg, "roster.org_ambiguous", s)
	} else if p.Status != "" && p.Status != people.Masses && !o.Kind.IsParty() {
		add(fOrg, "roster.org_not_party", s)
	} else {
		p.OrgID = o.ID
	}
	if s := text(fUnit); s != "" {
		if u, res := e.names.Unit(s); res == unknown {
			add(fUnit, "roster.unit_unknown", s)
		} else if res == ambiguous {
			add(fUnit, "roster.unit_ambiguous", s)
		} else if res == notUnit {
			add(fUnit, "person.unit_not_unit")
		} else {
			p.UnitID = u.ID
		}
	}

	birthMonthOnly := false
	dates := []struct {
		f         field
		to        *date.Date
		monthOnly bool // a year and month is enough
	}{{fBirth, &p.BirthDate, true}, {fApplied, &p.AppliedOn, false}, {fActivist, &p.ActivistOn, false},
		{fCandidate, &p.CandidateOn, false}, {fJoined, &p.JoinedOn, false}, {fFull, &p.FullOn, false}}
	for _, d := range dates {
		if text(d.f) == "" {
			continue
		}
		v, monthOnly, key := cellDate(r.cells[d.f], e.date1904)
		switch {
		case key != "":
			add(d.f, key)
		case monthOnly && !d.monthOnly:
			add(d.f, "roster.date_need_day")
		default:
			*d.to = v
			if d.f == fBirth {
				birthMonthOnly = monthOnly
			}
		}
	}

	if key, id := idNumber(r.cells[fIDNumber]); key != "" {
		add(fIDNumber, key)
	} else {
		p.IDNumber = id
	}
	if key, phone := phoneNumber(r.cells[fPhone]); key != "" {
		add(fPhone, key)
	} else {
		p.Phone = phone
	}

	// 出生年月 gives no day: when the ID number agrees on year and month,
	// the ID's exact date stands (Validate derives it).
	if birthMonthOnly && p.IDNumber != "" {
		if info, k := people.CheckIDNumber(people.NormalizeIDNumber(p.IDNumber)); k == "" &&
			info.BirthDate.Year() == p.BirthDate.Year() && info.BirthDate.Month() == p.BirthDate.Month() {
			p.BirthDate = date.Date{}
		}
	}

	if base != nil {
		keepAbsent(l, &p, base)
	}
	p.Normalize()
	var inv *errs.Invalid
	if err := p.Validate(e.today); errors.As(err, &inv) {
		// An ID number was given but is wrong: sex and birth date, which
		// it would have given, are not missing as well.
		idGiven := text(fIDNumber) != "" || r.idSkipped
		for k, key := range inv.Fields {
			f, known := fieldOfKey[k]
			switch {
			case !known:
				probs = append(probs, problem(r.num, "", key))
				fieldOf = append(fieldOf, numFields)
			case idGiven && key == "required" && (f == fSex || f == fBirth):
			default:
				add(f, key)
			}
		}
	}
	// Left to right, as the row reads.
	sort.Stable(byField{probs, fieldOf})
	return p, probs
}

// byField sorts a row's problems by the position of their column.
type byField struct {
	probs []Problem
	field []field
}

func (b byField) Len() int           { return len(b.probs) }
func (b byField) Less(i, j int) bool { return b.field[i] < b.field[j] }
func (b byField) Swap(i, j int) {
	b.probs[i], b.probs[j] = b.probs[j], b.probs[i]
	b.field[i], b.field[j] = b.field[j], b.field[i]
}

func lookup(l dict.Lookup, s string) string {
	if v, ok := l.Resolve(s); ok {
		return v
	}
	// "汉 族", "大学 本科": spaces typed inside a word.
	v, _ := l.Resolve(strings.ReplaceAll(s, " ", ""))
	return v
}

// idNumber reads the 身份证号 cell. A number cell, or the "3.70102E+17" that
// a number cell displays, has lost its last digits for good: Excel keeps 15
// significant digits. Only the office can re-enter the number, as text.
func idNumber(c cell) (key, id string) {
	s := strings.TrimPrefix(strings.TrimSpace(halfWidth(c.text)), "'")
	if s == "" {
		return "", ""
	}
	if c.numeric || strings.ContainsAny(s, "Ee") && looksNumber(s) {
		return "roster.id_number_numeric", ""
	}
	if strings.Contains(s, "*") {
		return "roster.id_number_masked", ""
	}
	return "", people.NormalizeIDNumber(s)
}

// phoneNumber reads the 联系电话 cell. An 11-digit mobile number fits a
// number cell without loss, so a number cell is fine; only its notation
// (1.38001380E+10) is undone.
func phoneNumber(c cell) (key, phone string) {
	s := strings.TrimSpace(halfWidth(c.text))
	if s == "" {
		return "", ""
	}
	if strings.Contains(s, "*") {
		return "roster.phone_masked", ""
	}
	if c.numeric || looksNumber(s) && strings.ContainsAny(s, "Ee.") {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v >= 1e15 || v != math.Trunc(v) {
			return "phone.format", ""
		}
		s = strconv.FormatInt(int64(v), 10)
	}
	s = people.NormalizePhone(s)
	// 138-0013-8000: dashes inside a mobile number.
	if d := strings.ReplaceAll(s, "-", ""); len(d) == 11 && d[0] == '1' && people.CheckPhone(d) == "" {
		s = d
	}
	return "", s
}

// looksNumber is true for text that reads as a decimal number, as Excel
// writes one (370102198907046000, 3.70102E+17).
func looksNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// findOrg finds the organisation of 所在支部: among party organisations for
// those in the pipeline, among every organisation (a unit too) for 群众. A
// member written into a unit is found as such, so the message can say so.
func (e *env) findOrg(s string, st people.Status) (*org.Org, findResult) {
	if id, ok := e.orgMap[s]; ok {
		if o, ok := e.names.OrgByID(id); ok {
			return o, found
		}
	}
	party := func(o *org.Org) bool { return o.Kind.IsParty() }
	if st == people.Masses {
		return e.names.Org(s, nil)
	}
	if o, res := e.names.Org(s, party); res != unknown {
		return o, res
	}
	return e.names.Org(s, nil)
}

// keepAbsent gives the fields whose column the file lacks base's values.
func keepAbsent(l *layout, p, base *people.Person) {
	absent := func(f field) bool { return l.col[f] < 0 }
	if absent(fName) {
		p.Name = base.Name
	}
	if absent(fSex) {
		p.Sex = base.Sex
	}
	if absent(fEthnic) {
		p.Ethnic = base.Ethnic
	}
	if absent(fBirth) {
		p.BirthDate = base.BirthDate
	}
	if absent(fEducation) {
		p.Education = base.Education
	}
	if absent(fUnit) {
		p.UnitID = base.UnitID
	}
	if absent(fPosition) {
		p.Position = base.Position
	}
	if absent(fStatus) {
		p.Status = base.Status
	}
	if absent(fApplied) {
		p.AppliedOn = base.AppliedOn
	}
	if absent(fActivist) {
		p.ActivistOn = base.ActivistOn
	}
	if absent(fCandidate) {
		p.CandidateOn = base.CandidateOn
	}
	if absent(fJoined) {
		p.JoinedOn = base.JoinedOn
	}
	if absent(fFull) {
		p.FullOn = base.FullOn
	}
	if absent(fPhone) {
		p.Phone = base.Phone
	}
	if absent(fOrg) {
		p.OrgID = base.OrgID
	}
}
