package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var (
	_ kiosk.Catalog    = (*DB)(nil)
	_ kiosk.NameFinder = (*DB)(nil)
)

// loadCatalog reads the whole catalog into the index. Errors wrap
// ErrCorrupt for a product that does not decode.
func (d *DB) loadCatalog(ctx context.Context) error { return d.loadCatalogFrom(ctx, d.scanPrefix) }

// loadCatalogEarly is loadCatalog at Open: its tables are not read in
// full first but first in the background (scrub.go), so that a catalog of
// 100 000 products does not add its 40-odd tables to every start-up; a
// damaged one is found a moment later, and the catalog calls fail from
// then on (catalogIndex). Nothing is written from what it loads.
func (d *DB) loadCatalogEarly(ctx context.Context) error {
	d.scrub.first([]byte(prefCat), prefixEnd([]byte(prefCat)))
	return d.loadCatalogFrom(ctx, scanPrefixUnchecked)
}

func (d *DB) loadCatalogFrom(ctx context.Context, scan func(txn *badger.Txn, prefix []byte, fn func(k, v []byte) error) error) error {
	n := &catIndex{pos: map[uint64]int32{}}
	err := d.view(ctx, func(txn *badger.Txn) error {
		return scan(txn, []byte(prefCat), func(k, v []byte) error {
			var p kiosk.Product
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("storage: load catalog: %w: %s: %v", ErrCorrupt, k, err)
			}
			n.set(p.GTIN, p)
			return nil
		})
	})
	if err != nil {
		return err
	}
	n.shareNames()
	n.valid = true
	c := &d.cat
	c.mu.Lock()
	c.replace(n)
	c.mu.Unlock()
	return nil
}

// catalogIndex returns the index, loading it first if it is not valid.
func (d *DB) catalogIndex(ctx context.Context) (*catIndex, error) {
	if err := d.scrub.catalogDamage(); err != nil {
		return nil, err
	}
	c := &d.cat
	c.mu.RLock()
	ok := c.valid
	c.mu.RUnlock()
	if !ok {
		if err := d.loadCatalog(ctx); err != nil {
			return nil, err
		}
		d.releaseTablePages() // the catalog's tables, read in full (pages.go)
	}
	return c, nil
}

// refreshCatalog reads the products gs back from the store into the index
// after a write that may have changed them (committed or not: the store
// says which). It is the one call the write paths make into the index;
// on any error the index is dropped and reloaded when next needed.
func (d *DB) refreshCatalog(gs ...kiosk.GTIN) {
	c := &d.cat
	// The DB's lock first, then the index's (the order of every catalog
	// call); under the index lock two writers' refreshes cannot leave the
	// older value: each reads the store after its own commit.
	_ = d.call("refresh catalog", func() error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.valid {
			return nil
		}
		err := d.view(context.Background(), func(txn *badger.Txn) error {
			for _, g := range gs {
				var p kiosk.Product
				found, err := getJSON(txn, catKey(g), &p)
				if err != nil {
					return err
				}
				if found {
					c.set(g, p)
				} else {
					c.remove(g)
				}
			}
			return nil
		})
		if err != nil {
			c.drop()
		}
		return err
	})
}

// setWritten puts the products a committed write left into the index,
// when it is loaded; the caller holds commitMu (updateThen), so they are
// the store's newest. It saves reading them back after a sale (about a
// tenth of a sale's commit, BenchmarkSaleCommitTail).
func (c *catIndex) setWritten(ps []kiosk.Product) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid {
		return
	}
	for _, p := range ps {
		c.set(p.GTIN, p)
	}
}

// refreshStock is refreshCatalog for the products of a sale's lines.
func (d *DB) refreshStock(lines []kiosk.Line) {
	gs := make([]kiosk.GTIN, 0, len(lines))
	for _, l := range lines {
		gs = append(gs, l.Product.GTIN)
	}
	d.refreshCatalog(gs...)
}

// Lookup implements kiosk.Catalog from the in-memory index. g is
// canonicalised first, so an EAN-13 finds its GTIN-14; a code that is no
// GTIN is not found; an extra barcode finds its product; an inactive
// product is not found. Errors: kiosk.ErrNotFound; ErrClosed; ErrCorrupt when
// the index had to be reloaded and a product does not decode.
func (d *DB) Lookup(ctx context.Context, g kiosk.GTIN) (p kiosk.Product, err error) {
	err = d.call("lookup", func() error {
		c, err := kiosk.ParseGTIN(string(g))
		if err != nil {
			return fmt.Errorf("storage: lookup %q: %w", g, kiosk.ErrNotFound)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		idx, err := d.catalogIndex(ctx)
		if err != nil {
			return err
		}
		idx.mu.RLock()
		q, ok := idx.get(c)
		idx.mu.RUnlock()
		if !ok || q.Inactive { // an inactive product is not sold
			return fmt.Errorf("storage: lookup %s: %w", c, kiosk.ErrNotFound)
		}
		d.inForce(&q, d.now) // a scheduled price from its second on (prices.go)
		p = q
		return nil
	})
	return p, err
}

// Cabinet implements kiosk.Catalog from the in-memory index: the cabinet
// products, by name. After the first call it costs a copy of the cabinet
// list, whatever the size of the catalog, until a Put changes a product's
// name or cabinet flag. Errors as List.
func (d *DB) Cabinet(ctx context.Context) (ps []kiosk.Product, err error) {
	err = d.call("cabinet", func() error {
		idx, err := d.catalogIndex(ctx)
		if err != nil {
			return err
		}
		ps = idx.products(true)
		d.inForceAll(ps)
		return nil
	})
	return ps, err
}

// List implements kiosk.Catalog from the in-memory index: by name, then
// GTIN. Errors: ErrClosed; ErrCorrupt when the index had to be reloaded
// and a product does not decode.
func (d *DB) List(ctx context.Context) (ps []kiosk.Product, err error) {
	err = d.call("list", func() error {
		idx, err := d.catalogIndex(ctx)
		if err != nil {
			return err
		}
		ps = idx.products(false)
		d.inForceAll(ps)
		return nil
	})
	return ps, err
}

// FindNames implements kiosk.NameFinder from the catalog index: only the
// products that match are copied (List copies all of them; with 100 000
// products that was 20 MB and 20–29 ms for every letter typed into the
// search here).
func (d *DB) FindNames(ctx context.Context, match func(name string) bool, max int) (ps []kiosk.Product, err error) {
	err = d.call("find names", func() error {
		idx, err := d.catalogIndex(ctx)
		if err != nil {
			return err
		}
		ps = idx.find(match, max)
		d.inForceAll(ps)
		return nil
	})
	return ps, err
}

// Put implements kiosk.Catalog and refreshes the product in the index.
// Its extra barcodes are keyed to it (putBarcodes). A stock other than
// the stored product's is booked as a movement (kiosk.MoveOpening for a
// new product, kiosk.MoveCorrection; stock.go). Errors:
// kiosk.ErrInvalidProduct; kiosk.ErrConflict for a barcode or GTIN
// another product has.
// A price that differs from the one in force at the DB's clock is a new
// price version from now, recorded in the history (prices.go,
// putVersion); p.PriceFrom is the store's to set. Put does not journal:
// its callers journal what they change.
func (d *DB) Put(ctx context.Context, p kiosk.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var sched bool
	err := d.call("put", func() error {
		return d.update(ctx, "put "+string(p.GTIN), func(txn *badger.Txn) error {
			q := p
			var err error
			if sched, err = d.putVersion(txn, &q, d.now()); err != nil {
				return err
			}
			b, err := json.Marshal(q)
			if err != nil {
				return fmt.Errorf("storage: put %s: %w", p.GTIN, err)
			}
			if err := d.putStock(txn, q); err != nil {
				return err
			}
			if err := putBarcodes(txn, q); err != nil {
				return err
			}
			return set(txn, catKey(p.GTIN), b)
		})
	})
	d.refreshCatalog(p.GTIN)
	if sched {
		_ = d.call("reload price schedule", func() error {
			return d.bdb.View(func(txn *badger.Txn) error { return d.reloadSched(txn, p.GTIN) })
		})
	}
	return err
}

// getJSON reads key into v. found is false when there is no such key.
func getJSON(txn *badger.Txn, key []byte, v any) (found bool, err error) {
	return getDecoded(txn, key, func(b []byte) error { return json.Unmarshal(b, v) })
}

// getDecoded is getJSON with its own decode of the value, which may keep
// b only by copying it (it is Badger's, valid during the call).
func getDecoded(txn *badger.Txn, key []byte, decode func(b []byte) error) (found bool, err error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage: read %s: %w", key, err)
	}
	err = item.Value(decode)
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
	b, err := encodeJSON(key, v)
	if err != nil {
		return err
	}
	return set(txn, key, b)
}

// encodeJSON is v as setJSON stores it under key.
func encodeJSON(key []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("storage: encode %q: %w", key, err)
	}
	return b, nil
}

// set and del are how an update's transaction writes: the commit log
// records what they write (commitlog.go), and a write past them would be
// missing from it.
func set(txn *badger.Txn, key, value []byte) error {
	if err := txn.Set(key, value); err != nil {
		return fmt.Errorf("storage: write %q: %w", key, err)
	}
	record(txn, opSet, key, value)
	return nil
}

func del(txn *badger.Txn, key []byte) error {
	if err := txn.Delete(key); err != nil {
		return fmt.Errorf("storage: delete %q: %w", key, err)
	}
	record(txn, opDel, key, nil)
	return nil
}

// scanPrefix calls fn for every key with prefix, in key order. The slices
// are valid only during the call.
func (d *DB) scanPrefix(txn *badger.Txn, prefix []byte, fn func(k, v []byte) error) error {
	if err := d.verifyPrefix(prefix); err != nil {
		return err
	}
	return scanPrefixUnchecked(txn, prefix, fn)
}

// scanPrefixUnchecked is scanPrefix without reading the tables in full
// first: only for loadCatalogEarly.
func scanPrefixUnchecked(txn *badger.Txn, prefix []byte, fn func(k, v []byte) error) error {
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
