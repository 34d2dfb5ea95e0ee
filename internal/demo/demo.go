// Package demo fills an empty database with a realistic 政法委: the
// organisation tree of a city 机关党委 with its units and a piece of the
// governance grid, some 360 people modelled on the seeds' work summaries
// (3 党支部, 320 党员, 38% under 35, the development pipeline of the half-year),
// committees, working groups, this half-year's transfers, and one login per
// role. Everything is deterministic for a seed and a day.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Result is what Load made (or found), for the command to print.
type Result struct {
	Accounts []Account
	People   int // current people on the roster
	Orgs     int // open organisations
}

// recentDays is how far back this half-year's pipeline steps lie: the seed's
// 12 积极分子, 5 发展对象 and 3 预备党员 were all decided in the half-year.
const recentDays = 170

// Load fills an empty database with the demo 政法委, as of today, with all
// randomness drawn from seed.
//
// On a database that already has organisations it creates nothing and returns
// the accounts it would have created, so `dangjian demo` can print them again
// on every start; the counts are then those of the database. Load is not one
// transaction: if it fails halfway, start again on a fresh database.
func Load(ctx context.Context, st *store.Store, today date.Date, seed int64) (*Result, error) {
	return load(ctx, st, today, seed, true)
}

// LoadRoster is Load without the year of organisational life (meetings,
// marks, learning notes, the summaries written from them): the tree, the
// people, the committees, the ledger and the accounts, for what reads only
// the roster (its benchmarks, its imports) — recording the life is most of
// Load's time.
func LoadRoster(ctx context.Context, st *store.Store, today date.Date, seed int64) (*Result, error) {
	return load(ctx, st, today, seed, false)
}

func load(ctx context.Context, st *store.Store, today date.Date, seed int64, life bool) (*Result, error) {
	if err := st.SeedDicts(ctx); err != nil {
		return nil, fmt.Errorf("demo: dictionaries: %w", err)
	}
	existing, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{IncludeClosed: true})
	if err != nil {
		return nil, err
	}
	if len(existing) == 0 {
		if err := create(ctx, st, today, seed, life); err != nil {
			return nil, err
		}
		if err := replayReminders(ctx, st, today); err != nil {
			return nil, err
		}
	}
	return summary(ctx, st)
}

func create(ctx context.Context, st *store.Store, today date.Date, seed int64, life bool) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	tr, err := buildTree(ctx, st, today)
	if err != nil {
		return err
	}
	g := newGen(rng, today, recentDays, 400)
	c := newCast(g, tr)
	for _, list := range [][]people.Person{c.list, c.arrivals} {
		for i := range list {
			p := &list[i]
			p.Normalize()
			if err := p.Validate(today); err != nil {
				return fmt.Errorf("demo: generated person %s is invalid: %w", p.Name, err)
			}
		}
	}
	if err := st.ImportPeople(ctx, audit.System, auth.Everything, c.list, nil); err != nil {
		return fmt.Errorf("demo: people: %w", err)
	}
	if err := recordTransfers(ctx, st, tr, c, g); err != nil {
		return err
	}
	if err := seatCommittees(ctx, st, tr, c); err != nil {
		return err
	}
	if err := setUpGroups(ctx, st, tr, c, today); err != nil {
		return err
	}
	// Offices write 市委政法委 for the commission's own offices (the shared
	// sample roster and the import template do): an alias of the unit.
	if err := st.AddUnitAlias(ctx, audit.System, auth.Everything, "市委政法委", tr.units[unitOffice].ID); err != nil {
		return fmt.Errorf("demo: unit alias: %w", err)
	}
	if err := createLedger(ctx, st, tr, c, today); err != nil {
		return err
	}
	if err := createAccounts(ctx, st, tr, c); err != nil {
		return err
	}
	if err := reportCorrection(ctx, st, c); err != nil {
		return err
	}
	if !life {
		return nil
	}
	if err := recordLife(ctx, st, tr, c, today, rng); err != nil {
		return err
	}
	cat, err := app.Catalogue(st)
	if err != nil {
		return err
	}
	return writeSummaries(ctx, st, tr, today, cat) // last: it reads every record made above
}

// summary counts what the database holds.
func summary(ctx context.Context, st *store.Store) (*Result, error) {
	orgs, err := st.Orgs(ctx, auth.Everything, store.OrgFilter{})
	if err != nil {
		return nil, err
	}
	page, err := st.People(ctx, auth.Everything, store.PersonFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	return &Result{Accounts: accounts(), People: page.Total, Orgs: len(orgs)}, nil
}
