package store

import (
	"context"
	"strings"

	"dangjian/internal/audit"
	"dangjian/internal/dict"
	"dangjian/internal/errs"
)

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
	rows, err := s.query(ctx, `SELECT id, dict, label, aliases, sort_order, disabled, version FROM dict_items WHERE dict = ? ORDER BY sort_order, id`, name)
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

// DictLookup is the label-and-alias resolver of one dictionary.
func (s *Store) DictLookup(ctx context.Context, name string) (dict.Lookup, error) {
	items, err := s.DictItems(ctx, name)
	if err != nil {
		return nil, err
	}
	return dict.NewLookup(items), nil
}

// SaveDictItem creates (ID 0) or updates an item.
func (s *Store) SaveDictItem(ctx context.Context, a audit.Actor, it *dict.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	if _, ok := dict.Defaults[it.Dict]; !ok {
		return errs.Field("dict", "dict.unknown")
	}
	for _, al := range it.Aliases {
		if strings.Contains(al, "|") {
			return errs.Field("aliases", "invalid")
		}
	}
	return s.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM dict_items WHERE dict = ? AND label = ? AND id <> ?`, it.Dict, it.Label, it.ID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n > 0 {
			return errs.NewConflict("label", "dict.label_taken")
		}
		aliases := strings.Join(it.Aliases, "|")
		if it.ID == 0 {
			id, err := t.insert(ctx, `INSERT INTO dict_items (dict, label, aliases, sort_order, disabled, version) VALUES (?, ?, ?, ?, ?, 1)`,
				it.Dict, it.Label, aliases, it.SortOrder, it.Disabled)
			if err != nil {
				return err
			}
			it.ID, it.Version = id, 1
			return t.audit(ctx, a, Change{Action: "dict.create", ObjectType: "dict_item", ObjectID: id, After: it})
		}
		old, err := scanDictItem(t.queryRow(ctx, `SELECT id, dict, label, aliases, sort_order, disabled, version FROM dict_items WHERE id = ?`, it.ID))
		if err != nil {
			return err
		}
		if old.Dict != it.Dict {
			return errs.ErrNotFound
		}
		if err := t.update(ctx, `UPDATE dict_items SET label = ?, aliases = ?, sort_order = ?, disabled = ?, version = version + 1 WHERE id = ? AND version = ?`,
			it.Label, aliases, it.SortOrder, it.Disabled, it.ID, it.Version); err != nil {
			return err
		}
		it.Version++
		return t.audit(ctx, a, Change{Action: "dict.update", ObjectType: "dict_item", ObjectID: it.ID, Before: old, After: it})
	})
}

// SeedDicts fills empty dictionaries with the defaults; run at every start,
// it leaves dictionaries an office has edited alone.
func (s *Store) SeedDicts(ctx context.Context) error {
	return s.inTx(ctx, func(t *tx) error {
		for name, items := range dict.Defaults {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM dict_items WHERE dict = ?`, name).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n > 0 {
				continue
			}
			for i, it := range items {
				if _, err := t.exec(ctx, `INSERT INTO dict_items (dict, label, aliases, sort_order, disabled, version) VALUES (?, ?, ?, ?, ?, 1)`,
					name, it.Label, strings.Join(it.Aliases, "|"), (i+1)*10, false); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
