package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// An erroneous edit erased an ID number and the audit log kept only its
// mask, so nothing could bring it back. The log keeps it sealed beside the
// mask; an administrator restores the field from the record of the edit,
// and the log shown to anyone still holds only the mask.
func TestErasedIDNumberIsRestoredFromTheAuditLog(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		p := newPerson(tr.b1.ID, "张伟", "19850312", "111")
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
		full := p.IDNumber
		b1 := auth.Scope{OrgPath: tr.b1.Path}
		erased := p
		erased.IDNumber, erased.Phone = "", ""
		if err := s.UpdatePerson(ctx, admin, b1, &erased); err != nil {
			t.Fatal(err)
		}
		entries, _, err := s.AuditEntries(ctx, audit.Filter{Action: "person.update"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %d %v", len(entries), err)
		}
		e := entries[0]
		if strings.Contains(e.Before+e.After, full) || strings.Contains(e.Before, "_sealed") || !strings.Contains(e.Before, "370***********") {
			t.Fatalf("the log as read shows more than the mask: %s", e.Before)
		}
		// Only people in the scope can be restored; the field must be one kept sealed.
		if err := s.RestorePersonField(ctx, admin, auth.Scope{OrgPath: tr.b2.Path}, e.ID, "id_number"); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("restore outside the scope: %v", err)
		}
		if err := s.RestorePersonField(ctx, admin, b1, e.ID, "name"); err == nil {
			t.Fatal("restored a field that is not sealed")
		}
		if err := s.RestorePersonField(ctx, admin, b1, e.ID, "id_number"); err != nil {
			t.Fatalf("restore: %v", err)
		}
		got, _ := s.Person(ctx, b1, p.ID)
		if got.IDNumber != full || got.Phone != "" {
			t.Fatalf("restored ID %q, phone %q", got.IDNumber, got.Phone)
		}
		if n, _, _ := s.AuditEntries(ctx, audit.Filter{Action: "person.restore"}); len(n) != 1 {
			t.Fatal("the restore was not audited")
		}
		// A restore never gives a number to two people: erased again, the
		// number goes to someone else, and the restore is refused.
		again := got.Person
		again.IDNumber = ""
		if err := s.UpdatePerson(ctx, admin, b1, &again); err != nil {
			t.Fatal(err)
		}
		other := newPerson(tr.b2.ID, "李娜", "19850312", "111") // the same number
		if err := s.CreatePerson(ctx, admin, auth.Everything, &other); err != nil {
			t.Fatal(err)
		}
		last, _, _ := s.AuditEntries(ctx, audit.Filter{Action: "person.update", Limit: 1})
		var c *errs.Conflict
		if err := s.RestorePersonField(ctx, admin, b1, last[0].ID, "id_number"); !errors.As(err, &c) || c.Key != "person.id_number_taken" {
			t.Fatalf("restore onto a taken number: %v", err)
		}
	})
}

// The dictionary check ran in the web handler only (and was copied into the
// import), and loaded both dictionaries on every create. The store checks
// the one value with an index lookup, for every caller, and saves an alias
// as its label.
func TestPersonDictionariesAreCheckedInTheStore(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d, nil)
		tr := buildTree(t, s)
		p := newPerson(tr.b1.ID, "张伟", "19850312", "111")
		p.Education, p.Ethnic = "本科", "回"
		if err := s.CreatePerson(ctx, admin, auth.Everything, &p); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Person(ctx, auth.Everything, p.ID)
		if got.Education != "大学本科" || got.Ethnic != "回族" {
			t.Fatalf("stored %q %q", got.Education, got.Ethnic)
		}
		bad := newPerson(tr.b1.ID, "李娜", "19900505", "222")
		bad.Education, bad.Ethnic = "本科X", "火星族"
		var inv *errs.Invalid
		if err := s.CreatePerson(ctx, admin, auth.Everything, &bad); !errors.As(err, &inv) ||
			inv.Fields["education"] != "education.unknown" || inv.Fields["ethnic"] != "ethnic.unknown" {
			t.Fatalf("unknown values: %v", err)
		}
		// Disable 大学本科: a new record may not take it; an older one keeps it through edits.
		items, _ := s.DictItems(ctx, dict.Education)
		for _, it := range items {
			if it.Label == "大学本科" {
				it.Disabled = true
				if err := s.SaveDictItem(ctx, admin, &it); err != nil {
					t.Fatal(err)
				}
			}
		}
		fresh := newPerson(tr.b1.ID, "王强", "19700505", "333")
		fresh.Education = "大学本科"
		if err := s.CreatePerson(ctx, admin, auth.Everything, &fresh); !errors.As(err, &inv) || inv.Fields["education"] != "education.unknown" {
			t.Fatalf("a disabled item for a new person: %v", err)
		}
		edit := got.Person
		edit.Position = "科长"
		if err := s.UpdatePerson(ctx, admin, auth.Everything, &edit); err != nil {
			t.Fatalf("editing an older record with a disabled item: %v", err)
		}
	})
}
