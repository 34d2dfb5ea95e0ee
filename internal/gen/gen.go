// Package gen builds a province-scale 政法系统 in a database, for load tests
// and benchmarks: a 省委政法委 over city committees (市委政法委) over county
// committees, about one party branch for every twenty people, each branch
// with two 党小组 and a committee (支委会), the people with their development
// dates, and years of organisational life in every module: each branch's
// required meetings at the rule frequencies with a few real gaps, attendance
// with leave and make-ups, learning sessions, study notes and a few
// rectification items. Everything is written through the store's own paths
// (ImportPeople, ImportEvents, RecordLearningNotes), so the data is what
// users would have entered, and the same seed gives the same contents.
package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/event"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Options say what to build.
type Options struct {
	People   int       // people on the roster (default 100,000)
	Seed     int64     // the same seed gives the same contents
	Years    int       // years of organisational life up to Today (default 2: a year and the year before)
	Today    date.Date // the day the records end (default: today)
	Progress io.Writer // a progress bar, when not nil (stderr)
}

// Result counts what was written.
type Result struct {
	Orgs, Branches, People, Events, Marks, Notes, LedgerItems int
	Province                                                  org.Org
}

// PerBranch is about how many people one party branch holds.
const PerBranch = 20

// eventBatch is how many events one ImportEvents transaction writes.
const eventBatch = 500

// Run builds the province into st, which must be migrated and hold no
// organisations yet.
func Run(ctx context.Context, st *store.Store, o Options) (*Result, error) {
	if o.People <= 0 {
		o.People = 100000
	}
	if o.Years <= 0 {
		o.Years = 2
	}
	if o.Today.IsZero() {
		o.Today = date.FromTime(time.Now().In(event.China))
	}
	existing, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("gen: the database already holds %d organisations; generate into an empty one", len(existing))
	}
	if err := st.SeedDicts(ctx); err != nil {
		return nil, err
	}
	if err := st.SeedEvents(ctx); err != nil {
		return nil, err
	}
	g := &generator{ctx: ctx, st: st, o: o, rng: rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15)), kinds: map[string]event.Kind{}}
	ks, err := st.EventKinds(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		if k.Code != "" {
			g.kinds[k.Code] = k
		}
	}
	g.bar = newBar(o.Progress)
	defer g.bar.done()
	if err := g.tree(); err != nil {
		return nil, err
	}
	if err := g.people(); err != nil {
		return nil, err
	}
	if err := g.st.RefreshStatistics(ctx); err != nil {
		return nil, err
	}
	if err := g.committees(); err != nil {
		return nil, err
	}
	if err := g.life(); err != nil {
		return nil, err
	}
	if err := g.notes(); err != nil {
		return nil, err
	}
	if err := g.ledger(); err != nil {
		return nil, err
	}
	// Every mark was written at once: fold what they left beside their
	// events' tallies (PostgreSQL) now rather than at the first hourly fold.
	if _, err := st.FoldTallies(ctx); err != nil {
		return nil, err
	}
	if err := st.RefreshStatistics(ctx); err != nil {
		return nil, err
	}
	g.res.Province = g.province
	return &g.res, nil
}

type branch struct {
	org     org.Org
	groups  [2]org.Org
	seats   []int64 // 书记, 组织委员, 宣传委员
	members int
}

type generator struct {
	ctx      context.Context
	st       *store.Store
	o        Options
	rng      *rand.Rand
	kinds    map[string]event.Kind
	bar      *bar
	res      Result
	province org.Org
	counties []org.Org
	units    []org.Org
	branches []*branch
	sort     int
}

var cityNames = []string{"江州", "临川", "青阳", "云岭", "东海", "南平", "西岭", "北川", "宁远", "安平", "永兴", "长乐", "清河", "石门"}

var countySuffix = []string{"区", "县", "市"}

// agencies are where a county's branches sit.
var agencies = []string{"政法委机关", "人民法院", "人民检察院", "公安局", "司法局"}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func cn(n int) string {
	switch {
	case n <= 10:
		return numerals[n-1]
	case n < 20:
		return "十" + numerals[n-11]
	case n%10 == 0:
		return numerals[n/10-1] + "十"
	default:
		return numerals[n/10-1] + "十" + numerals[n%10-1]
	}
}

func (g *generator) create(o *org.Org) error {
	g.sort++
	o.SortOrder = g.sort
	if err := g.st.CreateOrg(g.ctx, audit.System, auth.Everything, o); err != nil {
		return fmt.Errorf("gen: organisation %s: %w", o.Name, err)
	}
	g.res.Orgs++
	return nil
}

// tree builds 省委政法委 → 市委政法委 → county committees → branches with
// their groups, and a unit (the county's 政法机关) for the 群众 staff.
func (g *generator) tree() error {
	nBranches := max(1, g.o.People/PerBranch)
	nCounties := max(1, (nBranches+25)/50)
	nCities := min(len(cityNames), nCounties)
	g.bar.stage("组织", nBranches)
	g.province = org.Org{Kind: org.Committee, Name: "省委政法委机关党委", TermStart: g.o.Today.AddDate(-1, 0, 0)}
	if err := g.create(&g.province); err != nil {
		return err
	}
	var countyNames []string
	cities := make([]org.Org, nCities)
	for i := range cities {
		cities[i] = org.Org{ParentID: g.province.ID, Kind: org.Committee, Name: cityNames[i] + "市委政法委机关党委", TermStart: g.o.Today.AddDate(-1-g.rng.IntN(2), -g.rng.IntN(12), 0)}
		if err := g.create(&cities[i]); err != nil {
			return err
		}
	}
	for c := range nCounties {
		city := cities[c%nCities]
		name := fmt.Sprintf("%s第%s%s委政法委", cityNames[c%nCities], cn(c/nCities+1), countySuffix[c%len(countySuffix)])
		county := org.Org{ParentID: city.ID, Kind: org.Committee, Name: name + "机关党委", TermStart: g.o.Today.AddDate(-g.rng.IntN(3), -g.rng.IntN(12), 0)}
		if err := g.create(&county); err != nil {
			return err
		}
		unit := org.Org{ParentID: county.ID, Kind: org.Unit, Name: name + "政法机关"}
		if err := g.create(&unit); err != nil {
			return err
		}
		g.counties, g.units = append(g.counties, county), append(g.units, unit)
		countyNames = append(countyNames, strings.TrimSuffix(name, "委政法委"))
	}
	// Branches, then their groups, through ImportOrgs a batch at a time
	// (the labels are rewritten once a batch, not once a node).
	const orgBatch = 500
	for start := 0; start < nBranches; start += orgBatch {
		var level []*org.Org
		for b := start; b < min(start+orgBatch, nBranches); b++ {
			county := g.counties[b%nCounties]
			n := b / nCounties
			// Names carry the county, as real ones do (江州第一区公安局第三党支部):
			// the tree's labels tell same-named organisations apart by their
			// path, work that grows with how many share a name.
			name := fmt.Sprintf("%s%s第%s党支部", countyNames[b%nCounties], agencies[n%len(agencies)], cn(n/len(agencies)%99+1))
			if n >= len(agencies)*99 {
				name = fmt.Sprintf("%s%s第%d党支部", countyNames[b%nCounties], agencies[n%len(agencies)], n/len(agencies)+1)
			}
			g.sort++
			br := &branch{org: org.Org{ParentID: county.ID, Kind: org.Branch, Name: name, SortOrder: g.sort,
				TermStart: g.o.Today.AddDate(-g.rng.IntN(3), -g.rng.IntN(12), 0)}}
			g.branches = append(g.branches, br)
			level = append(level, &br.org)
		}
		if err := g.st.ImportOrgs(g.ctx, audit.System, auth.Everything, level); err != nil {
			return fmt.Errorf("gen: branches: %w", err)
		}
		var groups []*org.Org
		for _, br := range g.branches[start:] {
			for i, gn := range []string{"第一党小组", "第二党小组"} {
				g.sort++
				br.groups[i] = org.Org{ParentID: br.org.ID, Kind: org.Group, Name: br.org.Name + gn, SortOrder: g.sort}
				groups = append(groups, &br.groups[i])
			}
		}
		if err := g.st.ImportOrgs(g.ctx, audit.System, auth.Everything, groups); err != nil {
			return fmt.Errorf("gen: groups: %w", err)
		}
		g.res.Orgs += len(level) + len(groups)
		g.res.Branches += len(level)
		g.bar.add(len(level))
	}
	return nil
}

// people imports the roster through ImportPeople, 5,000 a transaction:
// members and those on the way in spread over the branches and groups,
// 群众 over the county units.
func (g *generator) people() error {
	var homes []org.Org
	for _, b := range g.branches {
		homes = append(homes, b.org, b.groups[0], b.groups[1])
	}
	list := demo.People(g.rng, homes, g.units, g.o.People, g.o.Today)
	g.bar.stage("人员", len(list))
	const batch = 5000
	for start := 0; start < len(list); start += batch {
		part := list[start:min(start+batch, len(list))]
		if err := g.st.ImportPeople(g.ctx, audit.System, auth.Everything, part, nil); err != nil {
			return fmt.Errorf("gen: people %d…%d: %w", start, start+len(part), err)
		}
		g.res.People += len(part)
		g.bar.add(len(part))
	}
	return nil
}

// committees seats three 正式党员 of each branch on its committee.
func (g *generator) committees() error {
	g.bar.stage("支委会", len(g.branches))
	for _, b := range g.branches {
		page, err := g.st.People(g.ctx, auth.Scope{OrgPath: b.org.Path}, store.PersonFilter{Statuses: []people.Status{people.Full, people.Probationary}, Limit: 1})
		if err != nil {
			return err
		}
		b.members = page.Total
		full, err := g.st.People(g.ctx, auth.Scope{OrgPath: b.org.Path}, store.PersonFilter{Statuses: []people.Status{people.Full}, Sort: "joined_on", Limit: 3})
		if err != nil {
			return err
		}
		for i, p := range full.Items {
			seat := org.CommitteeMember{OrgID: b.org.ID, PersonID: p.ID, Position: []string{"书记", "组织委员", "宣传委员"}[i], From: b.org.TermStart}
			if err := g.st.AddCommitteeMember(g.ctx, audit.System, auth.Everything, &seat); err != nil {
				return fmt.Errorf("gen: committee of %s: %w", b.org.Name, err)
			}
			b.seats = append(b.seats, p.ID)
		}
		g.bar.add(1)
	}
	return nil
}
