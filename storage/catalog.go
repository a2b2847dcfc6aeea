package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.Catalog = (*DB)(nil)

// Lookup implements kiosk.Catalog with one point read. g is canonicalised
// first, so an EAN-13 finds its GTIN-14; a code that is no GTIN is not
// found.
func (d *DB) Lookup(ctx context.Context, g kiosk.GTIN) (p kiosk.Product, err error) {
	err = d.call("lookup", func() error {
		c, err := kiosk.ParseGTIN(string(g))
		if err != nil {
			return fmt.Errorf("storage: lookup %q: %w", g, kiosk.ErrNotFound)
		}
		err = d.view(ctx, func(txn *badger.Txn) error {
			found, err := getJSON(txn, catKey(c), &p)
			if err == nil && !found {
				err = fmt.Errorf("storage: lookup %s: %w", c, kiosk.ErrNotFound)
			}
			return err
		})
		return err
	})
	return p, err
}

// Cabinet implements kiosk.Catalog: it reads the whole catalog and keeps
// the cabinet products, by name.
func (d *DB) Cabinet(ctx context.Context) ([]kiosk.Product, error) {
	ps, err := d.List(ctx)
	if err != nil {
		return nil, err
	}
	return kiosk.CabinetOnly(ps), nil
}

// List implements kiosk.Catalog: by name, then GTIN.
func (d *DB) List(ctx context.Context) (ps []kiosk.Product, err error) {
	err = d.call("list", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return scanPrefix(txn, []byte(prefCat), func(k, v []byte) error {
				var p kiosk.Product
				if err := json.Unmarshal(v, &p); err != nil {
					return fmt.Errorf("storage: list: %w: %s: %v", ErrCorrupt, k, err)
				}
				ps = append(ps, p)
				return nil
			})
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Name != ps[j].Name {
			return ps[i].Name < ps[j].Name
		}
		return ps[i].GTIN < ps[j].GTIN
	})
	return ps, nil
}

// Put implements kiosk.Catalog.
func (d *DB) Put(ctx context.Context, p kiosk.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", p.GTIN, err)
	}
	return d.call("put", func() error {
		return d.update(ctx, "put "+string(p.GTIN), func(txn *badger.Txn) error { return set(txn, catKey(p.GTIN), b) })
	})
}

// getJSON reads key into v. found is false when there is no such key.
func getJSON(txn *badger.Txn, key []byte, v any) (found bool, err error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage: read %s: %w", key, err)
	}
	err = item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
	if err != nil {
		return false, fmt.Errorf("storage: read %q: %w: %v", key, ErrCorrupt, err)
	}
	return true, nil
}

// getRaw reads key's value, nil when there is no such key.
func getRaw(txn *badger.Txn, key []byte) ([]byte, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: read %q: %w", key, err)
	}
	return item.ValueCopy(nil)
}

func setJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("storage: encode %q: %w", key, err)
	}
	return set(txn, key, b)
}

func set(txn *badger.Txn, key, value []byte) error {
	if err := txn.Set(key, value); err != nil {
		return fmt.Errorf("storage: write %q: %w", key, err)
	}
	return nil
}

func del(txn *badger.Txn, key []byte) error {
	if err := txn.Delete(key); err != nil {
		return fmt.Errorf("storage: delete %q: %w", key, err)
	}
	return nil
}

// scanPrefix calls fn for every key with prefix, in key order. The slices
// are valid only during the call.
func scanPrefix(txn *badger.Txn, prefix []byte, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64, Prefix: prefix})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		err := item.Value(func(v []byte) error { return fn(item.Key(), v) })
		if err != nil {
			return err
		}
	}
	return nil
}

// unmarshal decodes a stored value; bytes that do not decode are
// ErrCorrupt.
func unmarshal(key, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("storage: read %q: %w: %v", key, ErrCorrupt, err)
	}
	return nil
}
