package demo

import (
	"dangjian/internal/people"
)

// branchPlan is the make-up of one branch, in people. Over the three branches
// it gives the seed's figures: 320 党员 (317 正式, 3 预备), 5 发展对象,
// 12 入党积极分子, and 122 members under 35 (38%).
type branchPlan struct {
	units                          string // units its people work in, weighted
	veteran, retired, young, older int    // 正式党员 by age band (older: 35–60)
	probationary, candidate        int
	activist, applicant            int
	arrivals                       int // of young: came this half-year by 组织关系转接
}

var branchPlans = [3]branchPlan{
	{units: unitOffice, veteran: 2, retired: 5, young: 41, older: 61,
		probationary: 1, candidate: 2, activist: 4, applicant: 2, arrivals: 2},
	{units: unitCourt + ":1 " + unitProcur + ":1", veteran: 2, retired: 4, young: 40, older: 59,
		probationary: 1, candidate: 2, activist: 4, applicant: 1, arrivals: 2},
	{units: unitPolice + ":5 " + unitJustice + ":3 " + unit610 + ":1 " + unitLawSoc + ":1", veteran: 1, retired: 4, young: 38, older: 60,
		probationary: 1, candidate: 1, activist: 4, applicant: 1, arrivals: 1},
}

// massesPlan is the staff outside the party, by unit.
var massesPlan = newWeighted(unitOffice + ":5 " + unitCourt + ":2 " + unitProcur + ":2 " + unitPolice + ":3 " +
	unitJustice + ":2 " + unit610 + ":1 " + unitLawSoc + ":1")

// Committee seats of a branch, in the order cast.committees holds them.
var branchSeats = [4]struct{ position, duty string }{
	{"书记", "主持支部全面工作，落实管党治党责任"},
	{"组织委员", "负责组织发展、党员教育管理和党费收缴"},
	{"宣传委员", "负责理论学习、宣传思想和意识形态工作"},
	{"纪检委员", "负责党风廉政建设、纪律监督和制度执行检查"},
}

// cast is everyone the demo creates, and who plays which part: indexes into
// list (imported in one go) or arrivals (created with their transfer-in).
type cast struct {
	list     []people.Person
	arrivals []people.Person
	leaving  []int // transferred out to another city organisation
	moving   int   // moved from one 党小组 to the other

	secretary, execDeputy, deputy int // 政法委书记, 常务副书记, 副书记
	head610, lawSociety           int // 610办主任, 法学会 vice-president
	officeHead                    int // 领导小组办公室主任 (a 副科级 cadre)
	committees                    [3][4]int
	groupLeaders                  [3][2]int
	member                        int // the demo member account's person
}

// newCast lays out the people of the tree: the leaders first, with ages and
// titles that fit their parts, then everyone else in random order.
func newCast(g *gen, tr *tree) *cast {
	c := &cast{}
	add := func(s spec) int {
		c.list = append(c.list, g.person(s))
		return len(c.list) - 1
	}
	office := tr.units[unitOffice].ID
	b1 := tr.groups[0]
	c.secretary = add(spec{status: people.Full, band: middle, orgID: b1[0].ID, unitID: office, position: "书记", minAge: 52, maxAge: 58, education: "研究生"})
	c.execDeputy = add(spec{status: people.Full, band: middle, orgID: b1[0].ID, unitID: office, position: "副书记", minAge: 48, maxAge: 56, education: "研究生"})
	c.deputy = add(spec{status: people.Full, band: middle, orgID: b1[1].ID, unitID: office, position: "副书记", minAge: 44, maxAge: 53, education: "大学本科"})
	c.officeHead = add(spec{status: people.Full, band: middle, orgID: b1[1].ID, unitID: office, position: "副科长", minAge: 36, maxAge: 44, education: "大学本科"})
	b3 := tr.groups[2]
	c.head610 = add(spec{status: people.Full, band: middle, orgID: b3[0].ID, unitID: tr.units[unit610].ID, position: "主任", minAge: 46, maxAge: 56, education: "大学本科"})
	c.lawSociety = add(spec{status: people.Full, band: middle, orgID: b3[1].ID, unitID: tr.units[unitLawSoc].ID, position: "副主任", minAge: 45, maxAge: 58, education: "研究生"})
	explicitOlder := [3]int{4, 0, 2} // older members of each branch made above

	for i, plan := range branchPlans {
		units := newWeighted(plan.units)
		unit := func() int64 { return tr.units[units.pick(g.rng)].ID }
		group := func(k int) int64 { return tr.groups[i][k%2].ID }
		// The branch committee: secretary and members elected at the term
		// start, so old enough to have been 正式党员 for years by then.
		titles := [4]string{"科长", "副科长", "二级主任科员", "一级主任科员"}
		for k := range branchSeats {
			c.committees[i][k] = add(spec{status: people.Full, band: middle, orgID: group(k), unitID: unit(), position: titles[k], minAge: 38, maxAge: 55})
		}
		for k := range 2 {
			c.groupLeaders[i][k] = add(spec{status: people.Full, band: middle, orgID: group(k), unitID: unit(), minAge: 36, maxAge: 57})
		}
		var specs []spec
		rep := func(n int, s spec) {
			for range n {
				specs = append(specs, s)
			}
		}
		rep(plan.veteran, spec{status: people.Full, band: veteran})
		rep(plan.retired, spec{status: people.Full, band: retired})
		rep(plan.young-plan.arrivals, spec{status: people.Full, band: young})
		rep(plan.older-len(branchSeats)-2-explicitOlder[i], spec{status: people.Full, band: middle})
		rep(plan.probationary, spec{status: people.Probationary, band: young})
		rep(plan.candidate, spec{status: people.Candidate, band: young})
		rep(plan.activist-1, spec{status: people.Activist, band: young})
		rep(1, spec{status: people.Activist, band: middle, maxAge: 42})
		rep(plan.applicant, spec{status: people.Applicant, band: young})
		g.rng.Shuffle(len(specs), func(a, b int) { specs[a], specs[b] = specs[b], specs[a] })
		for k, s := range specs {
			s.orgID, s.unitID = group(k), unit()
			n := add(s)
			if i == 0 && c.member == 0 && s.band == young && s.status == people.Full {
				c.member = n
			}
			if i == 0 && c.moving == 0 && s.band == middle && s.status == people.Full && k%2 == 0 {
				c.moving = n
			}
		}
		// Newly recruited civil servants whose membership arrived from their
		// university or previous unit this half-year.
		for k := range plan.arrivals {
			c.arrivals = append(c.arrivals, g.person(spec{status: people.Full, band: young, orgID: group(k), unitID: unit(), maxAge: 30}))
		}
		// One member of the second and third branch left for another post:
		// still on record, no longer on the roster.
		if i > 0 {
			c.leaving = append(c.leaving, add(spec{status: people.Full, band: middle, orgID: group(i), unitID: unit()}))
		}
	}
	for range 16 {
		u := tr.units[massesPlan.pick(g.rng)].ID
		b := middle
		if g.rng.IntN(100) < 35 {
			b = young
		}
		add(spec{status: people.Masses, band: b, orgID: u, unitID: u})
	}
	return c
}
