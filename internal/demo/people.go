package demo

import (
	"math/rand/v2"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/org"
	"dangjian/internal/people"
)

// band is an age group; it decides the age range, education, job title and
// how long ago someone joined the party.
type band int

const (
	young   band = iota // 23–34, serving
	middle              // 35–60, serving
	retired             // 61–76, retired cadres who stay in their branch
	veteran             // born in the 1940s (for today's date), ≥ 50 years in the party
)

// ages is the band's age range in whole years on today.
func (b band) ages() (lo, hi int) {
	switch b {
	case young:
		return 23, 34
	case middle:
		return 35, 60
	case retired:
		return 61, 76
	}
	return 77, 85
}

// spec says what kind of person to make; zero fields are drawn at random.
type spec struct {
	status         people.Status
	band           band
	orgID, unitID  int64
	position       string
	minAge, maxAge int
	education      string
}

var (
	ethnics = newWeighted(`汉族:960 回族:20 满族:10 蒙古族:6 朝鲜族:4`)

	educationBy = map[band]weighted{
		young:   newWeighted(`研究生:36 大学本科:58 大学专科:6`),
		middle:  newWeighted(`研究生:15 大学本科:62 大学专科:15 中专:5 高中:3`),
		retired: newWeighted(`大学本科:25 大学专科:35 中专:25 高中:15`),
		veteran: newWeighted(`大学专科:20 中专:40 高中:40`),
	}
	// Job titles of serving staff by age (dictionary "position"): a young
	// civil servant starts as 科员, 科长 come in their forties. Staff outside
	// the party are mostly 工勤 and 办事员. Retirees have none.
	positionsUnder27 = newWeighted(`科员:40 二级科员:25 一级科员:15 办事员:12 工勤人员:8`)
	positionsUnder35 = newWeighted(`四级主任科员:35 一级科员:25 副科长:12 三级主任科员:10 科员:10 工勤人员:8`)
	positionsUnder45 = newWeighted(`三级主任科员:25 四级主任科员:20 副科长:20 科长:15 二级主任科员:12 工勤人员:5 一级科员:3`)
	positionsOlder   = newWeighted(`二级主任科员:25 一级主任科员:25 科长:20 三级主任科员:12 副科长:10 工勤人员:8`)
	positionsMasses  = newWeighted(`工勤人员:45 办事员:25 科员:15 四级主任科员:10 三级主任科员:5`)
	// Those in 工勤 posts rarely hold a degree.
	educationWorker = newWeighted(`大学专科:45 中专:30 高中:25`)
)

// gen makes people. It remembers the ID numbers, phones and names it gave out,
// so every number is unique and names repeat no more than they do in life.
type gen struct {
	rng   *rand.Rand
	today date.Date
	// recent is how many days back the latest pipeline step of those on the
	// way in (申请人 … 预备党员) may lie.
	recent int
	ids    map[string]struct{}
	phones map[string]struct{}
	names  map[string]struct{}
}

func newGen(rng *rand.Rand, today date.Date, recent, size int) *gen {
	return &gen{rng: rng, today: today, recent: recent,
		ids: make(map[string]struct{}, size), phones: make(map[string]struct{}, size), names: make(map[string]struct{}, size)}
}

// People generates n realistic people spread over the given organisations:
// members and those on the way in go to orgs (party branches or groups),
// 群众 staff to units when there are any; everyone works in one of units.
// About 86% are 正式党员, 38% of members are under 35 and 1.5% have 50 years
// in the party. The result is the same for the same seed, every ID number is
// unique, and every person passes Normalize and Validate(today). The benchmark
// makes 100,000 people with it.
func People(rng *rand.Rand, orgs []org.Org, units []org.Org, n int, today date.Date) []people.Person {
	if len(orgs) == 0 || n <= 0 {
		return nil
	}
	g := newGen(rng, today, 360, n)
	statuses := newWeighted(`full:865 probationary:10 candidate:15 activist:35 applicant:15 masses:60`)
	out := make([]people.Person, 0, n)
	for range n {
		s := spec{status: people.Status(statuses.pick(rng))}
		x := rng.IntN(1000)
		switch {
		case s.status == people.Masses:
			s.band = pick2(x < 350, young, middle)
		case s.status != people.Full && s.status != people.Probationary:
			s.band = pick2(x < 850, young, middle)
		case s.status == people.Probationary || x < 380:
			s.band = young
		case x < 395:
			s.band = veteran
		case x < 445:
			s.band = retired
		default:
			s.band = middle
		}
		if len(units) > 0 {
			s.unitID = units[rng.IntN(len(units))].ID
		}
		s.orgID = orgs[rng.IntN(len(orgs))].ID
		if s.status == people.Masses && s.unitID != 0 {
			s.orgID = s.unitID
		}
		out = append(out, g.person(s))
	}
	return out
}

func pick2(cond bool, a, b band) band {
	if cond {
		return a
	}
	return b
}

// person makes one person to the spec.
func (g *gen) person(s spec) people.Person {
	lo, hi := s.band.ages()
	if s.minAge > 0 {
		lo = s.minAge
	}
	if s.maxAge > 0 {
		hi = s.maxAge
	}
	age := lo + g.rng.IntN(hi-lo+1)
	// Born between today minus age+1 years (exclusive) and today minus age years.
	birth := g.between(g.today.AddDate(-age-1, 0, 1), yearsBefore(g.today, age))

	maleShare := 60
	if s.band >= retired {
		maleShare = 75
	}
	sex := people.Female
	if g.rng.IntN(100) < maleShare {
		sex = people.Male
	}
	p := people.Person{
		OrgID:     s.orgID,
		UnitID:    s.unitID,
		Name:      g.name(sex, birth.Year()),
		Sex:       sex,
		BirthDate: birth,
		Ethnic:    ethnics.pick(g.rng),
		Education: s.education,
		Position:  s.position,
		Status:    s.status,
		IDNumber:  idNumber(g.rng, birth, sex, g.ids),
	}
	if p.Education == "" {
		p.Education = educationBy[s.band].pick(g.rng)
	}
	if p.Position == "" && s.band <= middle {
		p.Position = position(g.rng, age, s.status)
		if p.Position == "工勤人员" && s.education == "" {
			p.Education = educationWorker.pick(g.rng)
		}
	}
	if s.band == veteran && g.rng.IntN(2) == 0 {
		p.Phone = g.landline()
	} else {
		p.Phone = mobile(g.rng, g.phones)
	}
	g.steps(&p, s.band)
	return p
}

// position draws a job title fitting the age.
func position(rng *rand.Rand, age int, status people.Status) string {
	switch {
	case status == people.Masses:
		return positionsMasses.pick(rng)
	case age < 27:
		return positionsUnder27.pick(rng)
	case age < 35:
		return positionsUnder35.pick(rng)
	case age < 45:
		return positionsUnder45.pick(rng)
	}
	return positionsOlder.pick(rng)
}

// name draws a name, trying a few times for one not yet given out.
func (g *gen) name(sex people.Sex, year int) string {
	var n string
	for range 4 {
		n = name(g.rng, sex, year)
		if _, taken := g.names[n]; !taken {
			break
		}
	}
	g.names[n] = struct{}{}
	return n
}

// landline is a 济南 number (0531, eight digits starting 8), as older members
// often give.
func (g *gen) landline() string {
	for {
		n := "0531-8" + strconv.Itoa(1000000+g.rng.IntN(9000000))
		if _, taken := g.phones[n]; !taken {
			g.phones[n] = struct{}{}
			return n
		}
	}
}

// steps dates the development pipeline the way 《中国共产党发展党员工作细则》
// orders it: applied at 18 or later, 积极分子 observed more than a year
// before becoming 发展对象, admitted (入党时间) two to six months later, and
// 转正 one year after that, now and then after an extended 预备期.
func (g *gen) steps(p *people.Person, b band) {
	t, birth := g.today, p.BirthDate
	switch p.Status {
	case people.Full:
		if b == veteran {
			// Joined between 18 and 30, and full members (党龄 counts from
			// 转正, a year later) at least 50 years ago.
			hi := minDate(birth.AddDate(30, 0, 0), t.AddDate(-51, 0, -1))
			p.JoinedOn = g.between(birth.AddDate(18, 0, 1), hi)
			p.FullOn = p.JoinedOn.AddDate(1, 0, 0)
			return
		}
		// Joined at 22 or later (at university or at work), at least a year ago.
		hi := minDate(birth.AddDate(38, 0, 0), t.AddDate(-1, 0, -1))
		if b == retired {
			hi = birth.AddDate(35, 0, 0)
		}
		p.JoinedOn = g.between(birth.AddDate(22, 0, 0), hi)
		p.FullOn = p.JoinedOn.AddDate(1, 0, 0)
		if g.rng.IntN(100) < 3 { // 延长预备期 6–12 months
			if ext := p.FullOn.AddDate(0, 6+g.rng.IntN(7), 0); !ext.After(t) {
				p.FullOn = ext
			}
		}
		// Records of those who joined in the last 30 years carry every step.
		if p.JoinedOn.After(t.AddDate(-30, 0, 0)) {
			g.stepsBefore(p, p.JoinedOn)
		}
	case people.Probationary:
		p.JoinedOn = t.AddDate(0, 0, -1-g.rng.IntN(g.recent))
		g.stepsBefore(p, p.JoinedOn)
	case people.Candidate:
		p.CandidateOn = t.AddDate(0, 0, -1-g.rng.IntN(g.recent))
		g.activistBefore(p, p.CandidateOn)
	case people.Activist:
		p.ActivistOn = t.AddDate(0, 0, -1-g.rng.IntN(g.recent))
		p.AppliedOn = p.ActivistOn.AddDate(0, 0, -20-g.rng.IntN(300))
	case people.Applicant:
		p.AppliedOn = t.AddDate(0, 0, -1-g.rng.IntN(g.recent))
	}
}

// stepsBefore dates 发展对象, 积极分子 and 申请 before an admission.
func (g *gen) stepsBefore(p *people.Person, joined date.Date) {
	p.CandidateOn = joined.AddDate(0, 0, -60-g.rng.IntN(121))
	g.activistBefore(p, p.CandidateOn)
}

// activistBefore dates 积极分子 more than a year before becoming 发展对象, and
// the application one to ten months before that.
func (g *gen) activistBefore(p *people.Person, candidate date.Date) {
	p.ActivistOn = candidate.AddDate(-1, 0, -2-g.rng.IntN(240))
	p.AppliedOn = p.ActivistOn.AddDate(0, 0, -20-g.rng.IntN(300))
}

// between returns a day in [lo, hi], uniformly; lo when hi is before lo.
func (g *gen) between(lo, hi date.Date) date.Date {
	days := int(hi.Time().Sub(lo.Time()).Hours() / 24)
	if days <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, g.rng.IntN(days+1))
}

// yearsBefore is the last day on which someone born then is n years old on
// d: 29 February less n years is the 28th, not 1 March, in a common year.
func yearsBefore(d date.Date, n int) date.Date {
	r := d.AddDate(-n, 0, 0)
	if r.Month() != d.Month() {
		r = r.AddDate(0, 0, -r.Day())
	}
	return r
}

func minDate(a, b date.Date) date.Date {
	if b.Before(a) {
		return b
	}
	return a
}
