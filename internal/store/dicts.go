package store

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
	"dangjian/internal/people"
)

const dictItemCols = `id, dict, label, aliases, sort_order, disabled, version`

func scanDictItem(r scanner) (dict.Item, error) {
	var it dict.Item
	var aliases string
	err := r.Scan(&it.ID, &it.Dict, &it.Label, &aliases, &it.SortOrder, &it.Disabled, &it.Version)
	if aliases != "" {
		it.Aliases = strings.Split(aliases, "|")
	}
	return it, mapErr(err)
}

// DictItems lists one dictionary in display order, disabled items included
// (forms skip them; old records may still carry them).
func (s *Store) DictItems(ctx context.Context, name string) ([]dict.Item, error) {
	rows, err := s.query(ctx, `SELECT `+dictItemCols+` FROM dict_items WHERE dict = ? ORDER BY sort_order, id`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dict.Item
	for rows.Next() {
		it, err := scanDictItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// DictLookup is the label-and-alias resolver of one dictionary, for a
// caller that checks many values at once (an import reporting every row).
func (s *Store) DictLookup(ctx context.Context, name string) (dict.Lookup, error) {
	items, err := s.DictItems(ctx, name)
	if err != nil {
		return nil, err
	}
	return dict.NewLookup(items), nil
}

// dictLabel resolves one value of a dictionary, a label or an alias, to the
// label of its enabled item: one lookup in the index of terms, not a load of
// the dictionary. "" when no enabled item has that name.
func dictLabel(ctx context.Context, q rowQuerier, name, value string) (string, error) {
	var label string
	err := q.queryRow(ctx, `SELECT i.label FROM dict_terms t JOIN dict_items i ON i.id = t.item_id
		WHERE t.dict = ? AND t.term = ? AND i.disabled = ?`, name, strings.TrimSpace(value), false).Scan(&label)
	if err = mapErr(err); errors.Is(err, errs.ErrNotFound) {
		return "", nil
	}
	return label, err
}

// personDicts folds a person's education and ethnic group into their
// dictionaries' labels (本科 → 大学本科) and refuses values the dictionaries do
// not hold. A value the record already had (old, for an edit) stands: an
// item disabled since is still what older records say. labels, when not nil,
// remembers each value's label, so a list of people (an import) looks each
// distinct value up once.
func personDicts(ctx context.Context, q rowQuerier, p, old *people.Person, labels map[[2]string]string) error {
	var v errs.Invalid
	var was people.Person
	if old != nil {
		was = *old
	}
	for _, d := range []struct {
		name, field, key string
		value            *string
		was              string
	}{
		{dict.Education, "education", "education.unknown", &p.Education, was.Education},
		{dict.Ethnic, "ethnic", "ethnic.unknown", &p.Ethnic, was.Ethnic},
	} {
		if *d.value == "" || (old != nil && *d.value == d.was) {
			continue
		}
		k := [2]string{d.name, *d.value}
		label, ok := labels[k]
		if !ok {
			var err error
			if label, err = dictLabel(ctx, q, d.name, *d.value); err != nil {
				return err
			}
			if labels != nil {
				labels[k] = label
			}
		}
		if label == "" {
			v.Add(d.field, d.key)
			continue
		}
		*d.value = label
	}
	return v.Err()
}

// CheckPersonDicts is the dictionary check CreatePerson and UpdatePerson
// make, without writing: a form with other problems reports these with them,
// all at once. old is the stored record of an edit, nil for a new person.
func (s *Store) CheckPersonDicts(ctx context.Context, p, old *people.Person) error {
	return personDicts(ctx, s, p, old, nil)
}

// SaveDictItem creates (ID 0) or updates an item. Labels and aliases are
// unique within a dictionary, by the index of terms; a clash is refused
// beside the field that clashes.
func (s *Store) SaveDictItem(ctx context.Context, a audit.Actor, it *dict.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	if _, ok := dict.Defaults[it.Dict]; !ok {
		return errs.Field("dict", "dict.unknown")
	}
	return s.inTx(ctx, func(t *tx) error {
		aliases := strings.Join(it.Aliases, "|")
		if it.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO dict_items (dict, label, aliases, sort_order, disabled, version) VALUES (?, ?, ?, ?, ?, 1)`,
				it.Dict, it.Label, aliases, it.SortOrder, it.Disabled)
			if err != nil {
				return duplicateAs(err, "label", "dict.label_taken")
			}
			it.ID, it.Version = id, 1
			if err := t.dictTerms(ctx, it); err != nil {
				return err
			}
			return t.audit(ctx, a, Change{Action: "dict.create", ObjectType: "dict_item", ObjectID: id, After: it})
		}
		old, err := scanDictItem(t.queryRow(ctx, `SELECT `+dictItemCols+` FROM dict_items WHERE id = ?`, it.ID))
		if err != nil {
			return err
		}
		if old.Dict != it.Dict {
			return errs.ErrNotFound
		}
		if err := t.update(ctx, `UPDATE dict_items SET label = ?, aliases = ?, sort_order = ?, disabled = ?, version = version + 1 WHERE id = ? AND version = ?`,
			it.Label, aliases, it.SortOrder, it.Disabled, it.ID, it.Version); err != nil {
			return duplicateAs(err, "label", "dict.label_taken")
		}
		it.Version++
		if err := t.dictTerms(ctx, it); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "dict.update", ObjectType: "dict_item", ObjectID: it.ID, Before: old, After: it})
	})
}

// dictTerms writes the terms (label and aliases) of an item in place of
// those it had.
func (t *tx) dictTerms(ctx context.Context, it *dict.Item) error {
	if _, err := t.exec(ctx, `DELETE FROM dict_terms WHERE item_id = ?`, it.ID); err != nil {
		return err
	}
	const ins = `INSERT INTO dict_terms (dict, term, item_id) VALUES (?, ?, ?)`
	if _, err := t.exec(ctx, ins, it.Dict, it.Label, it.ID); err != nil {
		return duplicateAs(err, "label", "dict.label_taken")
	}
	for _, al := range it.Aliases {
		if _, err := t.exec(ctx, ins, it.Dict, al, it.ID); err != nil {
			return duplicateAs(err, "aliases", "dict.alias_taken")
		}
	}
	return nil
}

// SeedDicts fills empty dictionaries with the defaults; run at every start,
// it leaves dictionaries an office has edited alone.
func (s *Store) SeedDicts(ctx context.Context) error {
	return seedOnce(func() error { return s.seedDicts(ctx) })
}

func (s *Store) seedDicts(ctx context.Context) error {
	return s.inTx(ctx, func(t *tx) error {
		for _, name := range slices.Sorted(maps.Keys(dict.Defaults)) { // one order for every instance
			items := dict.Defaults[name]
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM dict_items WHERE dict = ?`, name).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n > 0 {
				continue
			}
			for i, it := range items {
				it.Dict, it.SortOrder = name, (i+1)*10
				id, err := t.insert(ctx, `INSERT INTO dict_items (dict, label, aliases, sort_order, disabled, version) VALUES (?, ?, ?, ?, ?, 1)`,
					name, it.Label, strings.Join(it.Aliases, "|"), it.SortOrder, false)
				if err != nil {
					return err
				}
				it.ID = id
				if err := t.dictTerms(ctx, &it); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
