// Package bench measures how the platform holds up at the size of a large
// 政法系统: a roster of 100,000 people. It builds the data once with the demo
// generator and the store's own import, so what is measured is the code users
// run, on data shaped like theirs. rosterload drives the real server over
// HTTP; roster_bench_test.go measures the store query alone. RESULTS.md holds
// the numbers.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Batch is how many people one import transaction writes.
const Batch = 5000

// Roster is what Fill built: the size of the roster and of the subtree the
// benchmarks list.
type Roster struct {
	People  int     // current people on the whole roster
	Added   int     // people Fill imported (0 when the database was already full)
	Root    org.Org // the 机关党委
	Branch  org.Org // 第一党支部, the demo account branch1's organisation
	Subtree int     // current people in Branch's subtree
}

// Fill loads the demo 政法委's roster (tree, accounts, its own ~360 people;
// demo.LoadRoster, without the year of meetings) into st unless it is there
// already, then imports generated people spread over the
// party branches and groups, and 群众 over the units, until the roster holds
// n current people. It is idempotent: on a database that already holds n it
// only counts. progress, when not nil, hears the number imported so far.
func Fill(ctx context.Context, st *store.Store, n int, today date.Date, seed int64, progress func(done, total int)) (*Roster, error) {
	if _, err := demo.LoadRoster(ctx, st, today, seed); err != nil {
		return nil, err
	}
	parties, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Committee, org.Branch, org.Group}})
	if err != nil {
		return nil, err
	}
	units, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{Kinds: []org.Kind{org.Unit}})
	if err != nil {
		return nil, err
	}
	var r Roster
	var homes []org.Org // where generated members go: every branch and group
	for _, o := range parties {
		switch {
		case o.Kind == org.Committee && r.Root.ID == 0:
			r.Root = o
		case o.Kind == org.Branch && r.Branch.ID == 0:
			r.Branch = o
		}
		if o.Kind == org.Branch || o.Kind == org.Group {
			homes = append(homes, o)
		}
	}
	if r.Root.ID == 0 || r.Branch.ID == 0 || len(homes) == 0 {
		return nil, fmt.Errorf("bench: the database holds no demo 机关党委 with branches")
	}

	have, err := count(ctx, st, auth.Everything)
	if err != nil {
		return nil, err
	}
	if need := n - have; need > 0 {
		list, err := generate(ctx, st, homes, units, need, today, seed)
		if err != nil {
			return nil, err
		}
		for start := 0; start < len(list); start += Batch {
			batch := list[start:min(start+Batch, len(list))]
			if err := st.ImportPeople(ctx, audit.System, auth.Everything, batch, nil); err != nil {
				return nil, fmt.Errorf("bench: import people %d…%d: %w", start, start+len(batch), err)
			}
			r.Added += len(batch)
			if progress != nil {
				progress(r.Added, len(list))
			}
		}
	}
	if r.People, err = count(ctx, st, auth.Everything); err != nil {
		return nil, err
	}
	if r.Subtree, err = count(ctx, st, auth.Scope{OrgPath: r.Branch.Path}); err != nil {
		return nil, err
	}
	return &r, nil
}

// generate makes need valid people whose ID numbers nobody in the database
// holds yet (the demo's own people, or an earlier run's, come from another
// generator and may rarely clash).
func generate(ctx context.Context, st *store.Store, homes, units []org.Org, need int, today date.Date, seed int64) ([]people.Person, error) {
	extra := need/100 + 10
	list := demo.People(rand.New(rand.NewPCG(uint64(seed), uint64(need))), homes, units, need+extra, today)
	ids := make([]string, len(list))
	for i := range list {
		list[i].Normalize()
		ids[i] = list[i].IDNumber
	}
	taken, err := st.IDNumbersTaken(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, p := range list {
		if !taken[p.IDNumber] && len(out) < need {
			out = append(out, p)
		}
	}
	if len(out) < need {
		return nil, fmt.Errorf("bench: only %d of %d generated people have a free ID number", len(out), need)
	}
	return out, nil
}

// count is the number of current people in a scope, as the roster shows it.
func count(ctx context.Context, st *store.Store, sc auth.Scope) (int, error) {
	page, err := st.People(ctx, sc, store.PersonFilter{Limit: 1})
	return page.Total, err
}
