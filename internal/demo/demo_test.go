package demo_test

import (
	"context"
	"math/rand/v2"
	"os"
	"reflect"
	"sort"
	"sync"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/dict"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

var today = date.MustParse("2026-06-30")

// firstDay is the demo loaded as `dangjian demo` loads it, built once per
// database for the tests that read its first day; each gets its own copy.
// What Load returned is kept in loaded, by dialect.
var firstDay = &storetest.Snapshot{
	Fill: func(ctx context.Context, st *store.Store) error {
		res, err := demo.Load(ctx, st, today, 2026)
		loaded.Store(st.Dialect(), res)
		return err
	},
	Now: storetest.NewClock().Now,
}

var loaded sync.Map // store.Dialect → *demo.Result

func TestMain(m *testing.M) {
	code := m.Run()
	firstDay.Remove()
	os.Exit(code)
}

// The same seed gives the same roster, loaded with its year of life or
// without it (LoadRoster), and LoadRoster records no life.
func TestLoadIsDeterministic(t *testing.T) {
	people := func(st *store.Store) []string {
		var out []string
		for _, p := range roster(t, st, auth.Everything, true) {
			out = append(out, p.Name+p.IDNumber+p.OrgName+p.UnitName+p.JoinedOn.String())
		}
		sort.Strings(out)
		return out
	}
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite, nil)
	if _, err := demo.LoadRoster(ctx, st, today, 2026); err != nil {
		t.Fatal(err)
	}
	full := firstDay.Open(t, store.SQLite, nil)
	if a, b := people(st), people(full); len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("the same seed gave different rosters: %d and %d people", len(a), len(b))
	}
	// The ledger's items come with the few meetings they were raised at.
	events, err := st.Events(ctx, auth.Everything, store.EventFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	year, err := full.Events(ctx, auth.Everything, store.EventFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, notes, err := st.LearningNotes(ctx, auth.Everything, store.NoteFilter{Limit: 1})
	if err != nil || notes != 0 || events.Total*20 > year.Total {
		t.Fatalf("LoadRoster recorded %d learning notes (%v) and %d events of Load's %d", notes, err, events.Total, year.Total)
	}
}

func TestLoad(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		st := firstDay.Open(t, d, nil)
		v, _ := loaded.Load(d)
		res := v.(*demo.Result)
		all := roster(t, st, auth.Everything, false)
		if res.People != len(all) || res.Orgs != 25 {
			t.Fatalf("result says %d people, %d orgs; roster has %d", res.People, res.Orgs, len(all))
		}

		// The seed's figures: 320 党员, the half-year's pipeline, 38% under 35.
		count := map[people.Status]int{}
		members, young, fifty := 0, 0, 0
		for _, p := range all {
			count[p.Status]++
			checkPerson(t, &p.Person, today)
			if p.Status.IsMember() {
				members++
				if p.Age(today) < 35 {
					young++
				}
				if p.PartyYears(today) >= 50 {
					fifty++
				}
			}
		}
		if members != 320 || count[people.Probationary] != 3 || count[people.Candidate] != 5 || count[people.Activist] != 12 {
			t.Errorf("members %d, statuses %v", members, count)
		}
		if count[people.Applicant] < 2 || count[people.Applicant] > 6 || count[people.Masses] < 5 {
			t.Errorf("applicants and staff: %v", count)
		}
		if share := float64(young) / float64(members); share < 0.30 || share > 0.45 {
			t.Errorf("under 35: %d of %d (%.0f%%)", young, members, share*100)
		}
		if fifty < 4 {
			t.Errorf("%d members with 50 years in the party", fifty)
		}
		if left := roster(t, st, auth.Everything, true); len(left) != len(all)+2 {
			t.Errorf("%d people including those transferred out, %d current", len(left), len(all))
		}

		// Three branches, each with a secretary and three committee members;
		// exactly one of them is due for 换届.
		branches, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Branch}})
		if err != nil || len(branches) != 3 {
			t.Fatalf("branches: %d %v", len(branches), err)
		}
		due := 0
		for _, b := range branches {
			seats, err := st.Committee(ctx, auth.Everything, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			secretaries := 0
			for _, s := range seats {
				if s.Position == "书记" {
					secretaries++
				}
				if s.From != b.TermStart {
					t.Errorf("%s: seat from %s, term from %s", b.Name, s.From, b.TermStart)
				}
			}
			if len(seats) != 4 || secretaries != 1 {
				t.Errorf("%s: %d seats, %d secretaries", b.Name, len(seats), secretaries)
			}
			if org.DefaultTermRules.Term(&b, today) != org.TermCurrent {
				due++
			}
		}
		if due != 1 {
			t.Errorf("%d branches due for 换届, want 1", due)
		}

		// The 领导小组 is led by the 政法委书记, who sits on the 机关党委.
		roots, _ := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Committee}})
		rootSeats, err := st.Committee(ctx, auth.Everything, roots[0].ID)
		if err != nil || len(rootSeats) != 2 || rootSeats[0].Position != "书记" || rootSeats[1].Position != "副书记" {
			t.Fatalf("root committee: %+v %v", rootSeats, err)
		}
		groups, err := st.WorkingGroups(ctx, auth.Everything)
		if err != nil || len(groups) != 2 {
			t.Fatalf("working groups: %d %v", len(groups), err)
		}
		for _, g := range groups {
			roles := map[org.GroupRole]int{}
			for _, m := range g.Members {
				roles[m.Role]++
			}
			if roles[org.Leader] != 1 || roles[org.DeputyLeader] < 1 || roles[org.GroupMember] < 4 {
				t.Errorf("%s: %v", g.Name, roles)
			}
			if g.Name == "党史学习教育领导小组" {
				if g.Members[0].Role != org.Leader || g.Members[0].PersonID != rootSeats[0].PersonID {
					t.Errorf("组长 %+v, 机关党委书记 %+v", g.Members[0], rootSeats[0])
				}
				if roles[org.OfficeHead] != 1 || g.Office == "" {
					t.Errorf("office: %q %v", g.Office, roles)
				}
			}
		}

		// Every account logs in with its printed password and sees its scope.
		for _, a := range res.Accounts {
			u, err := st.UserByUsername(ctx, a.Username)
			if err != nil {
				t.Fatalf("%s: %v", a.Username, err)
			}
			if u.Role != a.Role || !auth.VerifyPassword(u.PasswordHash, a.Password) || u.MustChange || u.Disabled {
				t.Errorf("%s: role %s, password verifies %v, must change %v", a.Username, u.Role, auth.VerifyPassword(u.PasswordHash, a.Password), u.MustChange)
			}
			if u.Role.IsAdmin() {
				continue
			}
			seen := roster(t, st, u.Scope(), false)
			switch a.Username {
			case "committee":
				if len(seen) != len(all) {
					t.Errorf("committee sees %d of %d", len(seen), len(all))
				}
			case "member":
				if len(seen) != 1 || seen[0].ID != u.PersonID || !seen[0].Status.IsMember() {
					t.Errorf("member sees %d people", len(seen))
				}
			case "branch1", "branch2":
				if len(seen) < 90 || len(seen) > 130 {
					t.Errorf("%s sees %d people", a.Username, len(seen))
				}
				for _, p := range seen {
					if p.OrgPath[:len(u.OrgPath)] != u.OrgPath {
						t.Errorf("%s sees %s of %s", a.Username, p.Name, p.OrgName)
					}
				}
			}
		}

		// A second Load creates nothing and prints the same accounts.
		again, err := demo.Load(ctx, st, today, 7)
		if err != nil {
			t.Fatal(err)
		}
		if again.Orgs != res.Orgs || again.People != res.People || !reflect.DeepEqual(again.Accounts, res.Accounts) {
			t.Errorf("second load: %d orgs %d people, first %d %d", again.Orgs, again.People, res.Orgs, res.People)
		}
	})
}

// roster reads every person in the scope, page by page.
func roster(t *testing.T, st *store.Store, sc auth.Scope, includeLeft bool) []store.PersonRow {
	t.Helper()
	var out []store.PersonRow
	for {
		page, err := st.People(context.Background(), sc, store.PersonFilter{Limit: 500, Offset: len(out), IncludeLeft: includeLeft})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if len(page.Items) == 0 || len(out) >= page.Total {
			return out
		}
	}
}

var (
	educations = labels(dict.Education)
	ethnics    = labels(dict.Ethnic)
	positions  = labels(dict.Position)
)

func labels(name string) map[string]bool {
	m := map[string]bool{}
	for _, it := range dict.Defaults[name] {
		m[it.Label] = true
	}
	return m
}

// checkPerson holds a generated person to the record's validation and to the
// minimum durations of 《中国共产党发展党员工作细则》.
func checkPerson(t *testing.T, p *people.Person, today date.Date) {
	t.Helper()
	q := *p
	q.Normalize()
	if q.Name != p.Name || q.IDNumber != p.IDNumber || q.Phone != p.Phone {
		t.Errorf("%s changes when normalized", p.Name)
	}
	if err := q.Validate(today); err != nil {
		t.Errorf("%s (%s): %v", p.Name, p.IDNumber, err)
		return
	}
	if !educations[p.Education] || !ethnics[p.Ethnic] || (p.Position != "" && !positions[p.Position]) {
		t.Errorf("%s: %q %q %q not in the dictionaries", p.Name, p.Education, p.Ethnic, p.Position)
	}
	if p.Phone == "" || p.IDNumber == "" {
		t.Errorf("%s lacks phone or ID number", p.Name)
	}
	age := p.Age(today)
	if age < 23 || age > 86 {
		t.Errorf("%s is %d", p.Name, age)
	}
	steps := []date.Date{p.AppliedOn, p.ActivistOn, p.CandidateOn, p.JoinedOn, p.FullOn}
	var prev date.Date
	for i, s := range steps {
		if s.IsZero() {
			continue
		}
		if !prev.IsZero() && !s.After(prev) {
			t.Errorf("%s: step %d (%s) not after the one before (%s)", p.Name, i, s, prev)
		}
		prev = s
	}
	wantSteps := map[people.Status]int{people.Applicant: 0, people.Activist: 1, people.Candidate: 2, people.Probationary: 3, people.Full: 4}
	if n, ok := wantSteps[p.Status]; ok {
		if steps[n].IsZero() || (n < 4 && !steps[n+1].IsZero()) {
			t.Errorf("%s (%s): steps %v", p.Name, p.Status, steps)
		}
	}
	if !p.AppliedOn.IsZero() && p.BirthDate.YearsUntil(p.AppliedOn) < 18 {
		t.Errorf("%s applied at %d", p.Name, p.BirthDate.YearsUntil(p.AppliedOn))
	}
	if !p.JoinedOn.IsZero() && p.BirthDate.YearsUntil(p.JoinedOn) < 18 {
		t.Errorf("%s joined at %d", p.Name, p.BirthDate.YearsUntil(p.JoinedOn))
	}
	if !p.ActivistOn.IsZero() && !p.CandidateOn.IsZero() && !p.ActivistOn.AddDate(1, 0, 0).Before(p.CandidateOn) {
		t.Errorf("%s: 积极分子 %s, 发展对象 %s: less than a year", p.Name, p.ActivistOn, p.CandidateOn)
	}
	if !p.FullOn.IsZero() && p.FullOn.Before(p.JoinedOn.AddDate(1, 0, 0)) {
		t.Errorf("%s: 预备期 %s to %s shorter than a year", p.Name, p.JoinedOn, p.FullOn)
	}
	if p.Status == people.Probationary && !p.JoinedOn.AddDate(1, 0, 0).After(today) {
		t.Errorf("%s is still 预备党员 a year after %s", p.Name, p.JoinedOn)
	}
}

func fakeOrgs(kind org.Kind, n int, first int64) []org.Org {
	out := make([]org.Org, n)
	for i := range out {
		out[i] = org.Org{ID: first + int64(i), Kind: kind}
	}
	return out
}

func TestPeopleAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 people")
	}
	const n = 100_000
	branches, units := fakeOrgs(org.Group, 600, 1), fakeOrgs(org.Unit, 40, 1000)
	list := demo.People(rand.New(rand.NewPCG(1, 2)), branches, units, n, today)
	if len(list) != n {
		t.Fatalf("%d people", len(list))
	}
	ids := make(map[string]bool, n)
	members, young := 0, 0
	for i := range list {
		p := &list[i]
		if ids[p.IDNumber] {
			t.Fatalf("ID number %s given twice", p.IDNumber)
		}
		ids[p.IDNumber] = true
		q := *p
		q.Normalize()
		if err := q.Validate(today); err != nil {
			t.Fatalf("%s (%s): %v", p.Name, p.IDNumber, err)
		}
		if p.Status.IsMember() {
			members++
			if p.Age(today) < 35 {
				young++
			}
		}
	}
	if share := float64(young) / float64(members); share < 0.33 || share > 0.43 {
		t.Errorf("under 35: %.1f%%", share*100)
	}
}

func TestPeopleIsDeterministicAndValidOnAnyDay(t *testing.T) {
	branches, units := fakeOrgs(org.Branch, 3, 1), fakeOrgs(org.Unit, 5, 10)
	for _, day := range []string{"2026-06-30", "2028-02-29", "2025-01-01", "2031-12-31"} {
		d := date.MustParse(day)
		a := demo.People(rand.New(rand.NewPCG(7, 7)), branches, units, 3000, d)
		b := demo.People(rand.New(rand.NewPCG(7, 7)), branches, units, 3000, d)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: the same seed gave different people", day)
		}
		for i := range a {
			checkPerson(t, &a[i], d)
			if a[i].Status == people.Masses && a[i].OrgID < 10 {
				t.Errorf("%s (群众) placed in a party organisation", a[i].Name)
			}
		}
	}
	if got := demo.People(rand.New(rand.NewPCG(1, 1)), nil, units, 10, today); got != nil {
		t.Errorf("no organisations gave %d people", len(got))
	}
}

func BenchmarkPeople(b *testing.B) {
	branches, units := fakeOrgs(org.Group, 600, 1), fakeOrgs(org.Unit, 40, 1000)
	for b.Loop() {
		demo.People(rand.New(rand.NewPCG(1, 2)), branches, units, 100_000, today)
	}
}
