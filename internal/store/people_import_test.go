package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/org"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// manyPeople makes n valid people spread over the orgs, every other one
// working in unit, with distinct ID numbers (seq from first on).
func manyPeople(n, first int, unit int64, orgs ...int64) []people.Person {
	list := make([]people.Person, n)
	for i := range list {
		birth := fmt.Sprintf("19%02d%02d%02d", 60+i%30, 1+i%12, 1+i%28)
		list[i] = newPerson(orgs[i%len(orgs)], "测试"+string(rune('甲'+i%10)), birth, fmt.Sprintf("%03d", (first+i)%1000))
		if i%2 == 0 {
			list[i].UnitID = unit
		}
	}
	return list
}

// An import of more people than one INSERT holds writes every one of them
// as CreatePerson would, each with its own audit record, and says how far
// it has come batch by batch.
func TestImportPeopleWritesEveryoneWithTheirRecord(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now)
		tr := buildTree(t, s)
		single := newPerson(tr.b1.ID, "单独", "19700101", "999") // created the ordinary way, for comparison
		if err := s.CreatePerson(ctx, admin, auth.Everything, &single); err != nil {
			t.Fatal(err)
		}
		list := manyPeople(1234, 0, tr.court.ID, tr.b1.ID, tr.g1.ID, tr.b2.ID)
		var progress []int
		a := audit.Actor{UserID: 0, Username: "importer", IP: "10.0.0.9"}
		if err := s.ImportPeople(ctx, a, auth.Scope{OrgPath: tr.committee.Path}, list, func(done int) { progress = append(progress, done) }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(progress, []int{500, 1000, 1234}) {
			t.Fatalf("progress %v", progress)
		}
		page, err := s.People(ctx, auth.Everything, store.PersonFilter{Limit: 1})
		if err != nil || page.Total != 1235 {
			t.Fatalf("%d people (%v)", page.Total, err)
		}
		seen := map[int64]bool{single.ID: true}
		for _, i := range []int{0, 1, 499, 500, 1233} {
			p := list[i]
			if p.ID == 0 || seen[p.ID] || p.Version != 1 || p.CreatedAt.IsZero() {
				t.Fatalf("person %d came back as %+v", i, p)
			}
			seen[p.ID] = true
			got, err := s.Person(ctx, auth.Everything, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != p.Name || got.IDNumber != p.IDNumber || got.Phone != p.Phone || got.UnitID != p.UnitID ||
				got.BirthDate != p.BirthDate || got.OrgID != p.OrgID || got.FullOn != p.FullOn {
				t.Fatalf("person %d stored as %+v, imported as %+v", i, got.Person, p)
			}
			// Found by the pinyin of the name, as a typed search finds it.
			hits, err := s.People(ctx, auth.Scope{OrgPath: got.OrgPath}, store.PersonFilter{Query: "cs", Limit: 500})
			if err != nil || hits.Total == 0 {
				t.Fatalf("pinyin search: %v", err)
			}
		}
		// The group's people sit under its branch's path.
		if g, _ := s.People(ctx, auth.Scope{OrgPath: tr.g1.Path}, store.PersonFilter{Limit: 1}); g.Total != 411 {
			t.Fatalf("group holds %d", g.Total)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Username: "importer", Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1235 || entries[0].Action != "person.import" || entries[0].After != `{"count":1234}` {
			t.Fatalf("%d audit records, newest %+v", len(entries), entries[0])
		}
		// Each person's record is the one CreatePerson writes, id included.
		var ref audit.Entry
		refs, _, _ := s.AuditEntries(ctx, audit.Filter{ObjectType: "person", ObjectID: strconv.FormatInt(single.ID, 10)})
		ref = refs[0]
		byID := map[string]audit.Entry{}
		for _, e := range entries[1:] {
			byID[e.ObjectID] = e
		}
		for _, i := range []int{0, 777, 1233} {
			e, ok := byID[strconv.FormatInt(list[i].ID, 10)]
			if !ok || e.Action != ref.Action || e.ObjectType != ref.ObjectType || e.IP != "10.0.0.9" || e.Before != "" {
				t.Fatalf("record of person %d: %+v", i, e)
			}
			var after, refAfter map[string]any
			if err := json.Unmarshal([]byte(e.After), &after); err != nil {
				t.Fatalf("after %q: %v", e.After, err)
			}
			json.Unmarshal([]byte(ref.After), &refAfter)
			if after["id"] != float64(list[i].ID) || after["id_number"] != people.MaskIDNumber(list[i].IDNumber) || len(after) != len(refAfter) {
				t.Fatalf("record of person %d: %s\n CreatePerson writes %s", i, e.After, ref.After)
			}
			if p, _ := s.Person(ctx, auth.Everything, list[i].ID); e.OrgPath != p.OrgPath {
				t.Fatalf("record of person %d is filed under %s, the person under %s", i, e.OrgPath, p.OrgPath)
			}
		}
		// People created afterwards get ids of their own.
		after := newPerson(tr.b2.ID, "之后", "19710101", "998")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &after); err != nil || seen[after.ID] {
			t.Fatalf("create after the import: id %d, %v", after.ID, err)
		}
	})
}

// One bad person refuses the whole list, and says which one; nothing is
// written, not even an audit record.
func TestImportPeopleRefusesTheWholeList(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, storetest.NewClock().Now)
		tr := buildTree(t, s)
		var closed org.Org = org.Org{ParentID: tr.committee.ID, Kind: org.Branch, Name: "已撤销支部"}
		if err := s.CreateOrg(ctx, admin, auth.Everything, &closed); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseOrg(ctx, admin, auth.Everything, closed.ID, date.MustParse("2026-06-01")); err != nil {
			t.Fatal(err)
		}
		existing := newPerson(tr.b1.ID, "已在册", "19700101", "999")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &existing); err != nil {
			t.Fatal(err)
		}
		before, _, _ := s.AuditEntries(ctx, audit.Filter{Limit: 1})
		b1 := auth.Scope{OrgPath: tr.b1.Path}
		for _, c := range []struct {
			name  string
			scope auth.Scope
			spoil func(list []people.Person)
			index int
			field string
			key   string
		}{
			{"the same ID number twice", b1, func(l []people.Person) { l[700].IDNumber = l[3].IDNumber }, 700, "id_number", "person.id_number_taken"},
			{"an ID number on the roster", b1, func(l []people.Person) { l[612] = existing; l[612].ID = 0 }, 612, "id_number", "person.id_number_taken"},
			{"a closed branch", auth.Everything, func(l []people.Person) { l[650].OrgID = closed.ID }, 650, "org_id", "org.closed"},
			{"outside the scope", b1, func(l []people.Person) { l[800].OrgID = tr.b2.ID }, 800, "org_id", "org.unknown"},
			{"a party organisation as unit", b1, func(l []people.Person) { l[900].UnitID = tr.b2.ID }, 900, "unit_id", "person.unit_not_unit"},
		} {
			t.Run(c.name, func(t *testing.T) {
				list := manyPeople(1000, 0, tr.court.ID, tr.b1.ID, tr.g1.ID)
				c.spoil(list)
				err := s.ImportPeople(ctx, admin, c.scope, list, nil)
				var ie *store.ImportError
				if !errors.As(err, &ie) || ie.Index != c.index {
					t.Fatalf("got %v, want an ImportError at %d", err, c.index)
				}
				var conflict *errs.Conflict
				var invalid *errs.Invalid
				switch {
				case errors.As(err, &conflict):
					if conflict.Field != c.field || conflict.Key != c.key {
						t.Fatalf("conflict %+v", conflict)
					}
				case errors.As(err, &invalid):
					if invalid.Fields[c.field] != c.key {
						t.Fatalf("invalid %+v", invalid.Fields)
					}
				default:
					t.Fatalf("%v is neither", err)
				}
				if page, _ := s.People(ctx, auth.Everything, store.PersonFilter{Limit: 1}); page.Total != 1 {
					t.Fatalf("%d people after a refused import", page.Total)
				}
				if after, _, _ := s.AuditEntries(ctx, audit.Filter{Limit: 1}); after[0].ID != before[0].ID {
					t.Fatalf("a refused import left the record %+v", after[0])
				}
				if list[0].ID != 0 {
					t.Fatal("a refused import handed out ids")
				}
			})
		}
	})
}

// On PostgreSQL another session may add an ID number while an import is
// writing; the unique index refuses the import, which then names the row.
// (SQLite has one writer: nobody writes meanwhile.)
func TestImportPeopleNamesTheRowSomeoneTookMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, store.Postgres, nil)
	tr := buildTree(t, s)
	list := manyPeople(1200, 0, tr.court.ID, tr.b1.ID)
	meanwhile := list[1100] // in the third batch, in another branch than the import's people
	meanwhile.OrgID, meanwhile.UnitID = tr.b2.ID, 0
	err := s.ImportPeople(ctx, admin, auth.Everything, list, func(done int) {
		if done == 500 {
			if err := s.CreatePerson(ctx, admin, auth.Everything, &meanwhile); err != nil {
				t.Errorf("the other session: %v", err)
			}
		}
	})
	var ie *store.ImportError
	if !errors.As(err, &ie) || ie.Index != 1100 {
		t.Fatalf("got %v, want an ImportError at 1100", err)
	}
	if page, _ := s.People(ctx, auth.Everything, store.PersonFilter{Limit: 1}); page.Total != 1 {
		t.Fatalf("%d people: the import was not undone", page.Total)
	}
}
