package store_test

import (
	"context"
	"errors"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestImportFoldsAndChecksDictionaries: a list imported through the store
// by any caller gets the dictionary rules a single person gets — an alias
// is saved as its label, an unknown value refuses the whole list and names
// the row and field.
func TestImportFoldsAndChecksDictionaries(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		a, b := newPerson(tr.b1.ID, "甲", "19800101", "001"), newPerson(tr.b1.ID, "乙", "19810101", "002")
		a.Education = "本科"
		b.Education = "扫盲班"
		err := s.ImportPeople(ctx, admin, auth.Everything, []people.Person{a, b}, nil)
		var ie *store.ImportError
		var inv *errs.Invalid
		if !errors.As(err, &ie) || ie.Index != 1 || !errors.As(err, &inv) || inv.Fields["education"] != "education.unknown" {
			t.Fatalf("an unknown education: %v", err)
		}
		if page, _ := s.People(ctx, auth.Everything, store.PersonFilter{Query: "甲"}); page.Total != 0 {
			t.Fatal("a refused list was partly written")
		}
		b.Education = "大专"
		list := []people.Person{a, b}
		if err := s.ImportPeople(ctx, admin, auth.Everything, list, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Person(ctx, auth.Everything, list[0].ID)
		if err != nil || got.Education != "大学本科" {
			t.Fatalf("an alias imported as %q (%v), want its label 大学本科", got.Education, err)
		}
	})
}
