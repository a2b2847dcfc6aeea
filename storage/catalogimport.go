package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// CatalogImport is a bulk upsert of products (selvkasse catalog import).
type CatalogImport struct {
	// Products are the products as the file gives them; their Stock is
	// ignored (a stored product keeps its stock, a new one starts at 0:
	// stock is booked by receiving, not by the catalog).
	Products []kiosk.Product
	// Change says who imports, where and when, for the journal.
	Change kiosk.CatalogChange
	// DryRun computes the result and writes nothing.
	DryRun bool
	// SkipBad imports the products the store refuses (Refused) without
	// them; without it one refusal refuses the whole import.
	SkipBad bool
}

// CatalogRefusal is a product ImportCatalog refused.
type CatalogRefusal struct {
	Index  int // in CatalogImport.Products
	GTIN   kiosk.GTIN
	Field  string // "gtin", "barcodes", or "" for the product as a whole
	Reason string
}

// CatalogImportResult is what an import did (or, dry, would do).
type CatalogImportResult struct {
	Added, Changed, Unchanged int
	PriceChanges              int // of Changed, those whose price changed
	Journaled                 int // journal records written (dry: about how many)
	Refused                   []CatalogRefusal
}

// ErrCatalogRefused is returned by ImportCatalog, without SkipBad, when
// it refused a product (the result lists them): nothing was written.
var ErrCatalogRefused = errors.New("storage: catalog import refused")

// Chunking of an import: each chunk is one transaction holding its
// products, their barcode keys and their journal records, kept well
// below Badger's limits for a transaction (15 % of the memtable, and a
// count of entries).
const (
	importChunkBytes   = 400 << 10
	importChunkEntries = 3000
)

// ImportCatalog upserts in.Products. A product whose master data (all but
// Stock) equals the stored one writes nothing and journals nothing, so a
// second import of the same file changes nothing. Every change is
// journaled as it is written, in the same transaction
// (kiosk.CatalogEntries: a price change as 13021 with the old and new
// price, anything else as 13999 master-data with the old and new
// values), chained after the journal's head. Extra barcodes are keyed to
// their product; one may move from one product to another within an
// import. A stored product keeps its stock, its low-stock threshold and
// its recount flag; a new one starts at 0.
//
// First every product is checked against the others and the store: an
// invalid product, a GTIN or barcode given twice in the import, or one
// that is another stored product's GTIN or barcode (and stays so) is
// refused. Without SkipBad any refusal returns ErrCatalogRefused and
// nothing is written. The rest is written in chunks of a transaction
// each, committed one after the other without waiting for each fsync
// (Badger writes them in order and syncs them in groups: 100 000
// products in well under 2 s, BenchmarkCatalogImport100k). Other writes
// wait meanwhile (commitMu), so the stock read at the start stays true.
// A crash leaves a prefix of the chunks, each with its journal records;
// the import can be run again. The in-memory index has the import when
// ImportCatalog returns, so a running kiosk sells the new prices at once.
//
// Errors: ErrCatalogRefused; ErrClosed; the errors of a write (the
// chunks before it may be written).
func (d *DB) ImportCatalog(ctx context.Context, in CatalogImport) (res CatalogImportResult, err error) {
	err = d.call("import catalog", func() error {
		if !in.DryRun {
			d.commitMu.Lock()
			defer d.commitMu.Unlock()
		}
		var plan importPlan
		err := d.view(ctx, func(txn *badger.Txn) error {
			var err error
			plan, err = d.makePlan(txn, in)
			return err
		})
		if err != nil {
			return err
		}
		res = plan.result
		if len(res.Refused) > 0 && !in.SkipBad {
			return fmt.Errorf("%w: %d of %d products", ErrCatalogRefused, len(res.Refused), len(in.Products))
		}
		if in.DryRun || len(plan.writes) == 0 {
			return nil
		}
		recs, err := d.writePlan(ctx, plan)
		res.Journaled = recs
		if err != nil {
			return err
		}
		// Under commitMu no sale changed a stock since the plan read it:
		// the index takes the products as written.
		c := &d.cat
		c.mu.Lock()
		if c.valid {
			for _, w := range plan.writes {
				c.set(w.p.GTIN, w.p)
			}
		}
		c.mu.Unlock()
		return nil
	})
	return res, err
}

// importPlan is what an import writes.
type importPlan struct {
	head   kiosk.Record // the journal head before it (number and hash)
	change kiosk.CatalogChange
	writes []importWrite
	result CatalogImportResult
}

// importWrite is one product to write, with its barcode keys and journal
// entries.
type importWrite struct {
	p          kiosk.Product
	version    *kiosk.PriceVersion // a new price version; nil: the price stays
	prior      kiosk.PriceVersion  // the version in force before it
	value      []byte              // p as stored
	setBC      []kiosk.GTIN        // barcode keys to point at p
	delBC      []kiosk.GTIN        // barcode keys to delete
	entries    []kiosk.Entry       // of a change; a product added is journaled with others
	added      bool
	size, keys int // for the chunking: bytes and keys written, journal left out
}

// makePlan checks in.Products against each other and the store read in
// txn (refusing what checkProducts and barcodeConflict refuse) and works out what to write
// for the rest. It writes nothing.
func (d *DB) makePlan(txn *badger.Txn, in CatalogImport) (importPlan, error) {
	var plan importPlan
	ps := in.Products
	refusals, ok := checkProducts(ps)
	imp := newImporter(ps, ok)
	head, err := readHeadMark(txn)
	if err != nil {
		return plan, err
	}
	plan.head = head
	owners, err := d.scannedOwners(txn)
	if err != nil {
		return plan, err
	}
	r := &plan.result
	for i, p := range ps {
		if !ok[i] {
			continue
		}
		field, why, err := barcodeConflict(txn, p, owners, imp.moved)
		if err != nil {
			return plan, err
		}
		if why != "" {
			refusals = append(refusals, CatalogRefusal{Index: i, GTIN: p.GTIN, Field: field, Reason: why})
			delete(imp.byGTIN, p.GTIN)
			continue
		}
		var old kiosk.Product
		found, err := getJSON(txn, catKey(p.GTIN), &old)
		if err != nil {
			return plan, err
		}
		p.Stock = 0
		var oldp *kiosk.Product
		if found {
			// The stock and what the stock work set on the product
			// (its low-stock threshold, a recount flag) are not the
			// wholesaler's file's to change.
			p.Stock, p.LowStock, p.Recount = old.Stock, old.LowStock, old.Recount
			p.PriceFrom = old.PriceFrom
			if kiosk.SameMasterData(old, p) {
				r.Unchanged++
				continue
			}
			oldp = &old
			r.Changed++
			if old.Price != p.Price {
				r.PriceChanges++
			}
		} else {
			r.Added++
		}
		var version *kiosk.PriceVersion
		if oldp != nil && old.Price != p.Price {
			// A new price version from the import's time, as a price
			// set now would make (prices.go): the audit checks the
			// sales after it against it.
			p.PriceFrom = in.Change.Time
			version = &kiosk.PriceVersion{Price: p.Price, From: p.PriceFrom, Set: in.Change.Time, By: in.Change.By}
		}
		w := importWrite{p: p, added: oldp == nil, version: version, prior: kiosk.PriceVersion{Price: old.Price, From: old.PriceFrom}}
		if !w.added { // the added are journaled together (writeChunk)
			w.entries = kiosk.CatalogEntries(oldp, p, in.Change)
		}
		if w.value, err = json.Marshal(p); err != nil {
			return plan, fmt.Errorf("storage: import catalog: %s: %w", p.GTIN, err)
		}
		for _, b := range old.Barcodes.GTINs() {
			if p.Barcodes.Has(b) {
				continue
			}
			owner, err := owners(b)
			if err != nil {
				return plan, err
			}
			// A barcode another product of the import takes is
			// overwritten by it, not deleted.
			if kiosk.GTIN(owner) == p.GTIN && imp.taker(b) == "" {
				w.delBC = append(w.delBC, b)
			}
		}
		for _, b := range p.Barcodes.GTINs() {
			owner, err := owners(b)
			if err != nil {
				return plan, err
			}
			if kiosk.GTIN(owner) != p.GTIN {
				w.setBC = append(w.setBC, b)
			}
		}
		w.keys = 1 + len(w.setBC) + len(w.delBC)
		w.size = len(prefCat) + len(p.GTIN) + len(w.value) + (len(w.setBC)+len(w.delBC))*(len(prefBarcode)+2*len(p.GTIN))
		if w.version != nil {
			w.keys += 2 // the version, and the one before it when it is the first
			w.size += 2 * 80
		}
		plan.writes = append(plan.writes, w)
	}
	r.Refused = refusals
	plan.change = in.Change
	// Count the journal records the chunks will write.
	for ws := plan.writes; len(ws) > 0; {
		n, recs, _, err := d.writeChunk(nil, ws, kiosk.Record{}, in.Change)
		if err != nil {
			return plan, err
		}
		r.Journaled += recs
		ws = ws[n:]
	}
	return plan, nil
}

// writePlan writes plan's products in chunks, one transaction each,
// committed in order without waiting for each other's fsync; it returns
// when all are durable. d.commitMu must be held: the journal records are
// chained after plan.head. It returns how many records it journaled.
func (d *DB) writePlan(ctx context.Context, plan importPlan) (recs int, _ error) {
	if err := d.settleLog(); err != nil {
		return 0, err
	}
	head := plan.head
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return first
	}
	ws := plan.writes
	for len(ws) > 0 {
		if err := cmp.Or(ctx.Err(), failed()); err != nil {
			wg.Wait()
			return recs, err
		}
		txn := d.bdb.NewTransaction(true)
		n, r, next, err := d.writeChunk(txn, ws, head, plan.change)
		if err != nil {
			txn.Discard()
			wg.Wait()
			return recs, err
		}
		head, ws = next, ws[n:]
		recs += r
		if len(ws) > 0 {
			wg.Add(1)
			txn.CommitWith(func(err error) {
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("storage: import catalog: commit: %w", err)
					}
					mu.Unlock()
				}
				wg.Done()
			})
			continue
		}
		// The last chunk moves the journal anchor, as update does, once
		// every chunk's commit stood.
		anchored := d.anchorCommit(txn)
		err = txn.Commit()
		txn.Discard()
		wg.Wait()
		if aerr := anchored(err == nil && failed() == nil); aerr != nil && d.log != nil {
			d.log.Error("journal anchor not advanced", "op", "import catalog", "err", aerr)
		}
		if err != nil {
			return recs, fmt.Errorf("storage: import catalog: commit: %w", err)
		}
	}
	d.releaseIfTablesChanged()
	return recs, failed()
}

// addedPerRecord bounds the products one journal record of additions
// names (kiosk.CatalogAddedEntry): some 100 bytes each, the record stays
// far below Badger's value threshold.
const addedPerRecord = 400

// writeChunk writes the first of ws into txn, up to a chunk's size, with
// their journal records chained after head, and the new head. It
// returns how many products it wrote, how many records it journaled,
// and the new head. With txn nil it only counts.
func (d *DB) writeChunk(txn *badger.Txn, ws []importWrite, head kiosk.Record, c kiosk.CatalogChange) (n, recs int, _ kiosk.Record, _ error) {
	size, keys := 0, 0
	var (
		headEnc []byte
		added   []kiosk.Product
	)
	journal := func(e kiosk.Entry) error {
		recs++
		keys++
		if txn == nil {
			size += 300 + 100*len(e.Data)
			return nil
		}
		if counts(e) {
			// Not a catalog entry: the report totals would be read
			// from a store a chunk before may not have reached.
			return fmt.Errorf("storage: import catalog: entry %v counts in the reports", e.Code)
		}
		var (
			rb  []byte
			err error
		)
		if head, rb, err = kiosk.SealEncoded(head, e); err != nil {
			return err
		}
		if err := set(txn, jrnlKey(head.Seq), rb); err != nil {
			return err
		}
		headEnc = rb
		size += len(prefJrnl) + 8 + len(rb)
		return nil
	}
	flushAdded := func() error {
		if len(added) == 0 {
			return nil
		}
		err := journal(kiosk.CatalogAddedEntry(added, c))
		added = added[:0]
		return err
	}
	for _, w := range ws {
		if n > 0 && (size+w.size+120*len(added) >= importChunkBytes || keys+w.keys+len(w.entries) >= importChunkEntries) {
			break
		}
		n++
		if txn != nil {
			if err := d.writeProductKeys(txn, w); err != nil {
				return 0, 0, head, err
			}
		}
		size, keys = size+w.size, keys+w.keys
		if w.added {
			if added = append(added, w.p); len(added) == addedPerRecord {
				if err := flushAdded(); err != nil {
					return 0, 0, head, err
				}
			}
			continue
		}
		for _, e := range w.entries {
			if err := journal(e); err != nil {
				return 0, 0, head, err
			}
		}
	}
	if err := flushAdded(); err != nil {
		return 0, 0, head, err
	}
	if headEnc != nil {
		if err := set(txn, []byte(keyHead), headEnc); err != nil {
			return 0, 0, head, err
		}
	}
	return n, recs, head, nil
}

// writeProductKeys writes w's product and barcode keys into txn.
func (d *DB) writeProductKeys(txn *badger.Txn, w importWrite) error {
	if err := set(txn, catKey(w.p.GTIN), w.value); err != nil {
		return err
	}
	if w.version != nil {
		if err := d.ensureHistory(txn, w.p.GTIN, w.prior); err != nil {
			return err
		}
		if err := setVersion(txn, prefPrice, w.p.GTIN, *w.version); err != nil {
			return err
		}
	}
	for _, b := range w.delBC {
		if err := del(txn, barcodeKey(b)); err != nil {
			return err
		}
	}
	for _, b := range w.setBC {
		if err := set(txn, barcodeKey(b), []byte(w.p.GTIN)); err != nil {
			return err
		}
	}
	return nil
}

// importer knows the products of an import, to tell a barcode moving
// from one to another.
type importer struct {
	byGTIN map[kiosk.GTIN]*kiosk.Product // the products imported
	takers map[kiosk.GTIN]kiosk.GTIN     // an extra barcode → the product imported with it
}

func newImporter(ps []kiosk.Product, ok []bool) importer {
	imp := importer{byGTIN: make(map[kiosk.GTIN]*kiosk.Product, len(ps)), takers: map[kiosk.GTIN]kiosk.GTIN{}}
	for i := range ps {
		if ok[i] {
			imp.byGTIN[ps[i].GTIN] = &ps[i]
			for _, b := range ps[i].Barcodes.GTINs() {
				imp.takers[b] = ps[i].GTIN
			}
		}
	}
	return imp
}

// moved reports whether barcode b of product owner is given up by the
// import: owner is imported without it.
func (imp *importer) moved(b, owner kiosk.GTIN) bool {
	p, ok := imp.byGTIN[owner]
	return ok && p.GTIN != b && !p.Barcodes.Has(b)
}

// taker is the product imported with extra barcode b, "" for none.
func (imp *importer) taker(b kiosk.GTIN) kiosk.GTIN { return imp.takers[b] }

// checkProducts refuses the products that are invalid or repeat a GTIN
// or barcode of another product in ps; ok tells the others.
func checkProducts(ps []kiosk.Product) (out []CatalogRefusal, ok []bool) {
	refuse := func(i int, field, why string) {
		out = append(out, CatalogRefusal{Index: i, GTIN: ps[i].GTIN, Field: field, Reason: why})
	}
	first := make(map[kiosk.GTIN]int, len(ps)) // a GTIN or barcode → the first product giving it
	ok = make([]bool, len(ps))
	for i := range ps {
		p := &ps[i]
		if err := p.Validate(); err != nil {
			refuse(i, "", err.Error())
			continue
		}
		ok[i] = true
		for j, g := range append([]kiosk.GTIN{p.GTIN}, p.Barcodes.GTINs()...) {
			field := "barcodes"
			if j == 0 {
				field = "gtin"
			}
			if k, dup := first[g]; dup {
				refuse(i, field, fmt.Sprintf("%s is also product %s's", g, ps[k].GTIN))
				ok[i] = false
				break
			}
			first[g] = i
		}
	}
	return out, ok
}

// ownerFunc returns the GTIN of the product with extra barcode b as
// stored, nil for none.
type ownerFunc func(b kiosk.GTIN) ([]byte, error)

// storedOwner is the ownerFunc reading txn.
func storedOwner(txn *badger.Txn) ownerFunc {
	return func(b kiosk.GTIN) ([]byte, error) { return getRaw(txn, barcodeKey(b)) }
}

// scannedOwners reads every barcode key in txn (there is one per extra
// barcode: few) into an ownerFunc, for an import's many products.
func (d *DB) scannedOwners(txn *badger.Txn) (ownerFunc, error) {
	m := map[kiosk.GTIN][]byte{}
	err := d.scanPrefix(txn, []byte(prefBarcode), func(k, v []byte) error {
		m[kiosk.GTIN(k[len(prefBarcode):])] = slices.Clone(v)
		return nil
	})
	return func(b kiosk.GTIN) ([]byte, error) { return m[b], nil }, err
}

// barcodeConflict says why p's GTIN or an extra barcode cannot be p's
// in the store: field and why are "" when they can. moved tells a
// barcode its stored owner gives up (nil: none).
func barcodeConflict(txn *badger.Txn, p kiosk.Product, ownerOf ownerFunc, moved func(b, owner kiosk.GTIN) bool) (field, why string, err error) {
	owner, err := ownerOf(p.GTIN)
	if err != nil {
		return "", "", err
	}
	if o := kiosk.GTIN(owner); owner != nil && o != p.GTIN && (moved == nil || !moved(p.GTIN, o)) {
		return "gtin", fmt.Sprintf("%s is a barcode of product %s in the catalog", p.GTIN, o), nil
	}
	for _, b := range p.Barcodes.GTINs() {
		owner, err := ownerOf(b)
		if err != nil {
			return "", "", err
		}
		if o := kiosk.GTIN(owner); owner != nil && o != p.GTIN && (moved == nil || !moved(b, o)) {
			return "barcodes", fmt.Sprintf("barcode %s is product %s's in the catalog", b, o), nil
		}
		cat, err := getRaw(txn, catKey(b))
		if err != nil {
			return "", "", err
		}
		if cat != nil {
			return "barcodes", fmt.Sprintf("barcode %s is the GTIN of another product in the catalog", b), nil
		}
	}
	return "", "", nil
}

// putBarcodes keys p's extra barcodes to p in txn (Put). Errors:
// kiosk.ErrConflict for a barcode or GTIN another product has.
func putBarcodes(txn *badger.Txn, p kiosk.Product) error {
	var old kiosk.Product
	found, err := getJSON(txn, catKey(p.GTIN), &old)
	if err != nil {
		return err
	}
	var oldp *kiosk.Product
	if found {
		oldp = &old
	}
	_, err = writeBarcodes(txn, oldp, p, nil)
	return err
}

// writeBarcodes checks p's barcodes (barcodeConflict) and writes their
// keys: a key for each barcode p has and old (nil: none) had not, the key
// of each old one p gives up deleted if it is still old's. It returns
// how many keys it wrote or deleted. Errors: kiosk.ErrConflict.
func writeBarcodes(txn *badger.Txn, old *kiosk.Product, p kiosk.Product, moved func(b, owner kiosk.GTIN) bool) (int, error) {
	if old == nil && p.Barcodes == "" {
		// A new product without barcodes: only its GTIN must be free.
		owner, err := getRaw(txn, barcodeKey(p.GTIN))
		if err != nil || owner == nil || moved != nil && moved(p.GTIN, kiosk.GTIN(owner)) {
			return 0, err
		}
	}
	if _, why, err := barcodeConflict(txn, p, storedOwner(txn), moved); err != nil {
		return 0, err
	} else if why != "" {
		return 0, fmt.Errorf("storage: product %s: %s: %w", p.GTIN, why, kiosk.ErrConflict)
	}
	n := 0
	if old != nil {
		for _, b := range old.Barcodes.GTINs() {
			if p.Barcodes.Has(b) {
				continue
			}
			owner, err := getRaw(txn, barcodeKey(b))
			if err != nil {
				return 0, err
			}
			if kiosk.GTIN(owner) == p.GTIN {
				if err := del(txn, barcodeKey(b)); err != nil {
					return 0, err
				}
				n++
			}
		}
	}
	for _, b := range p.Barcodes.GTINs() {
		owner, err := getRaw(txn, barcodeKey(b))
		if err != nil {
			return 0, err
		}
		if kiosk.GTIN(owner) != p.GTIN {
			if err := set(txn, barcodeKey(b), []byte(p.GTIN)); err != nil {
				return 0, err
			}
			n++
		}
	}
	return n, nil
}
