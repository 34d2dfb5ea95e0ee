package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An update of many people writes each change with its own person.update
// record (before and after), or, when one of them was changed meanwhile,
// nothing at all.
func TestUpdatePeopleAllOrNothingAudited(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now)
		tr := buildTree(t, s)
		sc := auth.Scope{OrgPath: tr.committee.Path}
		list := manyPeople(3, 0, tr.court.ID, tr.b1.ID)
		if err := s.ImportPeople(ctx, admin, sc, list, nil); err != nil {
			t.Fatal(err)
		}
		found, err := s.PeopleByIDNumber(ctx, sc, []string{list[0].IDNumber, list[2].IDNumber, "11010519491231002X"})
		if err != nil || len(found) != 2 || found[list[0].IDNumber].ID != list[0].ID {
			t.Fatalf("by ID number: %v %+v", err, found)
		}
		// Outside the scope nobody is found.
		if other, err := s.PeopleByIDNumber(ctx, auth.Scope{OrgPath: tr.b2.Path}, []string{list[0].IDNumber}); err != nil || len(other) != 0 {
			t.Fatalf("another branch found %+v (%v)", other, err)
		}

		// One of the two was edited since it was read: nothing is written.
		stale := []people.Person{list[0], list[2]}
		stale[0].Position, stale[1].Name = "副科长", "改名"
		edited := list[2]
		edited.Ethnic = "回族"
		if err := s.UpdatePerson(ctx, admin, sc, &edited); err != nil {
			t.Fatal(err)
		}
		err = s.UpdatePeople(ctx, admin, sc, stale, nil)
		var ie *store.ImportError
		var c *errs.Conflict
		if !errors.As(err, &ie) || ie.Index != 1 || !errors.As(err, &c) || c.Key != "conflict.stale" {
			t.Fatalf("stale update: %v", err)
		}
		if p, _ := s.Person(ctx, sc, list[0].ID); p.Position == "副科长" {
			t.Fatal("the first person was changed although the batch failed")
		}

		// Read again, both go in, each audited with before and after.
		stale[1] = edited
		stale[1].Name = "改名"
		var progress []int
		if err := s.UpdatePeople(ctx, admin, sc, stale, func(n int) { progress = append(progress, n) }); err != nil {
			t.Fatal(err)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 2 || stale[1].Version != edited.Version+1 {
			t.Fatalf("progress %v, version %d", progress, stale[1].Version)
		}
		if p, _ := s.Person(ctx, sc, list[0].ID); p.Position != "副科长" {
			t.Fatalf("position %q", p.Position)
		}
		if p, _ := s.Person(ctx, sc, list[2].ID); p.Name != "改名" || p.Ethnic != "回族" {
			t.Fatalf("name %q ethnic %q", p.Name, p.Ethnic)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Action: "person.update", ObjectID: strconv.FormatInt(list[0].ID, 10), Limit: 10})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Before, `"position":""`) ||
			!strings.Contains(entries[0].After, `"position":"副科长"`) {
			t.Fatalf("audit of the update: %v %+v", err, entries)
		}
		if entries, _, _ := s.AuditEntries(ctx, audit.Filter{Action: "person.import", Limit: 10}); len(entries) != 2 ||
			!strings.Contains(entries[0].After, `"mode":"update"`) {
			t.Fatalf("import records %+v", entries)
		}
	})
}

// A unit's other names are data: added once, audited, found by the import;
// an alias cannot be a real organisation's name or name two units.
func TestUnitAliases(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now)
		tr := buildTree(t, s)
		sc := auth.Scope{OrgPath: tr.committee.Path}
		if err := s.AddUnitAlias(ctx, admin, sc, " 中院 ", tr.court.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.UnitAliases(ctx, sc)
		if err != nil || len(got) != 1 || got["中院"] != tr.court.ID {
			t.Fatalf("aliases %v (%v)", got, err)
		}
		for _, c := range []struct {
			alias string
			unit  int64
			key   string
		}{
			{"中院", tr.court.ID, "roster.alias_taken"},
			{tr.b1.Name, tr.court.ID, "roster.alias_is_name"},
			{"支部别名", tr.b1.ID, "person.unit_not_unit"},
			{"", tr.court.ID, "required"},
		} {
			err := s.AddUnitAlias(ctx, admin, sc, c.alias, c.unit)
			var inv *errs.Invalid
			var conflict *errs.Conflict
			switch {
			case errors.As(err, &conflict) && conflict.Key == c.key:
			case errors.As(err, &inv) && len(inv.Fields) == 1 && (inv.Fields["alias"] == c.key || inv.Fields["unit_id"] == c.key):
			default:
				t.Fatalf("%q: %v, want %s", c.alias, err, c.key)
			}
		}
		if entries, _, _ := s.AuditEntries(ctx, audit.Filter{Action: "org.alias", Limit: 10}); len(entries) != 1 ||
			!strings.Contains(entries[0].After, "中院") {
			t.Fatalf("alias audit %+v", entries)
		}
	})
}

// The history lists each import of the scope, newest first; another
// branch's imports are not in a branch's history.
func TestImportHistory(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		clock := storetest.NewClock()
		s := storetest.Open(t, d, clock.Now)
		tr := buildTree(t, s)
		committee, branch := auth.Scope{OrgPath: tr.committee.Path}, auth.Scope{OrgPath: tr.b1.Path}
		recs := []struct {
			sc auth.Scope
			r  store.ImportRecord
		}{
			{committee, store.ImportRecord{FileName: "花名册.xlsx", Mode: "create", Rows: 40, Created: 40, Outcome: "imported"}},
			{branch, store.ImportRecord{FileName: "一支部.xlsx", Mode: "update", Rows: 12, Problems: 3, Outcome: "rejected"}},
		}
		for _, x := range recs {
			if err := s.RecordImport(ctx, admin, x.sc, &x.r); err != nil {
				t.Fatal(err)
			}
			clock.Advance(60e9)
		}
		all, err := s.ImportHistory(ctx, committee, 10)
		if err != nil || len(all) != 2 || all[0].FileName != "一支部.xlsx" || all[0].Problems != 3 || all[1].Created != 40 ||
			all[1].Username != "tester" || all[1].Outcome != "imported" {
			t.Fatalf("committee history %v %+v", err, all)
		}
		if other, _ := s.ImportHistory(ctx, auth.Scope{OrgPath: tr.b2.Path}, 10); len(other) != 0 {
			t.Fatalf("another branch sees %+v", other)
		}
	})
}
