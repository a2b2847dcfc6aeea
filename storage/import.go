package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// ImportedSale is one completed sale for ImportSales, as the checkout
// records it: the entries its SavePending calls journaled before it
// completed (the payment intent, the approval, the cabinet unlock), in
// order, and the entry given to CompleteSale.
type ImportedSale struct {
	Sale    kiosk.Sale
	Pending []kiosk.Entry
	Receipt kiosk.Entry
}

// ImportSales writes completed sales in bulk, for the benchmark data
// generator (selvkasse bench seed) and migrations: the store afterwards
// holds exactly the keys and values that SavePending (with each sale's
// Pending entries) followed by CompleteSale would have left, sale after
// sale: the journal records chained after the head, the receipt numbers,
// the sales with their ID index, the stock and its movements, the report totals, the head,
// the cash transactions signed as CompleteSale signs them (TestImportSales
// compares the two byte for byte). It writes through a Badger write
// batch, fsynced when it is flushed, not once per sale, and is not
// crash-safe: a store whose import was cut short must be thrown away and
// imported again. It returns the sales as stored, with their receipt
// numbers.
//
// It must not run while anything else writes to the store (it reads the
// head, the counters and the stock once, at the start). Errors:
// kiosk.ErrConflict for a sale ID already completed or pending (nothing is
// written), ErrClosed, and the errors of a write.
func (d *DB) ImportSales(ctx context.Context, sales []ImportedSale) ([]kiosk.Sale, error) {
	defer d.pendWrite()()
	out := make([]kiosk.Sale, 0, len(sales))
	var changed []kiosk.GTIN
	err := d.call("import sales", func() error {
		var (
			head  kiosk.Record
			seq   = map[string]uint64{}
			sigs  = map[string]string{} // each kiosk's last signature
			stock = map[kiosk.GTIN]*kiosk.Product{}
			ids   = map[string]bool{}
			tots  = map[string]*kiosk.Totals{} // the report totals, as CompleteSale and Append count them
		)
		loadTotals := func(txn *badger.Txn, kioskID string) error {
			if _, ok := tots[kioskID]; ok || checkKioskID(kioskID) != nil {
				return nil
			}
			t, err := readTotals(txn, kioskID)
			tots[kioskID] = &t
			return err
		}
		err := d.view(ctx, func(txn *badger.Txn) error {
			var err error
			if head, err = readHead(txn); err != nil {
				return err
			}
			for _, is := range sales {
				s := is.Sale
				if s.ID == "" || ids[s.ID] {
					return fmt.Errorf("storage: import sales: sale ID %q empty or given twice", s.ID)
				}
				ids[s.ID] = true
				if err := checkKioskID(s.Kiosk); err != nil {
					return fmt.Errorf("storage: import sales: %s: %w", s.ID, err)
				}
				for _, k := range [][]byte{saleIDKey(s.ID), pendKey(s.ID)} {
					b, err := getRaw(txn, k)
					if err != nil {
						return err
					}
					if b != nil {
						return fmt.Errorf("storage: import sales: %s is already stored (%s): %w", s.ID, k, kiosk.ErrConflict)
					}
				}
				for _, e := range append(slices.Clip(is.Pending), is.Receipt) {
					if e.Kiosk != "" && counts(e) {
						if err := loadTotals(txn, e.Kiosk); err != nil {
							return err
						}
					}
				}
				if err := loadTotals(txn, s.Kiosk); err != nil {
					return err
				}
				if _, ok := seq[s.Kiosk]; !ok {
					last, err := getRaw(txn, seqKey(s.Kiosk))
					if err != nil {
						return err
					}
					if last != nil {
						if seq[s.Kiosk], err = decodeUint64(last); err != nil {
							return fmt.Errorf("storage: import sales: receipt counter of %q: %w", s.Kiosk, err)
						}
					} else {
						seq[s.Kiosk] = 0
					}
					sig, err := getRaw(txn, sigKey(s.Kiosk))
					if err != nil {
						return err
					}
					sigs[s.Kiosk] = string(sig)
				}
				for _, l := range s.Lines {
					g := l.Product.GTIN
					if _, ok := stock[g]; ok {
						continue
					}
					var p kiosk.Product
					found, err := getJSON(txn, catKey(g), &p)
					if err != nil {
						return err
					}
					if found {
						stock[g] = &p
						changed = append(changed, g)
					} else {
						stock[g] = nil // skipped, as CompleteSale does
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		wb := d.bdb.NewWriteBatch()
		defer wb.Cancel()
		journal := func(e kiosk.Entry) error {
			r, err := kiosk.Seal(head, e)
			if err != nil {
				return err
			}
			if t := tots[e.Kiosk]; t != nil {
				t.AddEntry(e) // as appendRecord counts it
			}
			b, err := r.Encode()
			if err != nil {
				return fmt.Errorf("storage: encode journal record %d: %w", r.Seq, err)
			}
			if err := wb.Set(jrnlKey(r.Seq), b); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
			// As Scan will read it back: the next record chains on it.
			head, err = kiosk.DecodeRecord(b)
			return err
		}
		for _, is := range sales {
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, e := range is.Pending {
				if err := journal(e); err != nil {
					return err
				}
			}
			sale := is.Sale
			seq[sale.Kiosk]++
			sale.No = seq[sale.Kiosk]
			b, err := json.Marshal(sale)
			if err != nil {
				return fmt.Errorf("storage: import sales: encode %s: %w", sale.ID, err)
			}
			ref, err := json.Marshal(saleRef{Kiosk: sale.Kiosk, No: sale.No})
			if err != nil {
				return fmt.Errorf("storage: import sales: encode %s: %w", sale.ID, err)
			}
			if err := errors.Join(wb.Set(saleKey(sale.Kiosk, sale.No), b), wb.Set(saleIDKey(sale.ID), ref),
				wb.Delete(pendKey(sale.ID))); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
			taken := stockTaken(sale)
			for g, q := range taken {
				if p := stock[g]; p != nil {
					takeStock(p, q)
				}
			}
			tots[sale.Kiosk].AddSale(sale)
			e := is.Receipt
			e.Code, e.ReceiptNo = kiosk.CodeCashSale, sale.No
			tx := kiosk.NewCashTx(sale)
			if sigs[sale.Kiosk], err = d.sign(sigs[sale.Kiosk], &tx); err != nil {
				return err
			}
			e.Tx = &tx
			if err := journal(e); err != nil {
				return err
			}
			for g, q := range taken { // as CompleteSale: recorded by the sale's record
				if stock[g] == nil {
					continue
				}
				b, err := json.Marshal(saleMovement(sale, g, q, head.Seq))
				if err != nil {
					return fmt.Errorf("storage: import sales: encode %s: %w", sale.ID, err)
				}
				if err := wb.Set(mvKey(g, head.Seq, 0), b); err != nil {
					return fmt.Errorf("storage: import sales: %w", err)
				}
			}
			out = append(out, sale)
		}
		for g, p := range stock {
			if p == nil {
				continue
			}
			b, err := json.Marshal(p)
			if err != nil {
				return fmt.Errorf("storage: import sales: encode %s: %w", g, err)
			}
			if err := wb.Set(catKey(g), b); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
		}
		for k, n := range seq {
			if err := wb.Set(seqKey(k), encodeUint64(n)); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
		}
		for k, sig := range sigs {
			if sig == "" {
				continue
			}
			if err := wb.Set(sigKey(k), []byte(sig)); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
		}
		for k, t := range tots {
			b, err := json.Marshal(t)
			if err != nil {
				return fmt.Errorf("storage: import sales: encode the totals of %q: %w", k, err)
			}
			if err := wb.Set(totKey(k), b); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
		}
		if head.Seq > 0 {
			b, err := head.Encode()
			if err != nil {
				return fmt.Errorf("storage: import sales: encode head: %w", err)
			}
			if err := wb.Set([]byte(keyHead), b); err != nil {
				return fmt.Errorf("storage: import sales: %w", err)
			}
		}
		if err := wb.Flush(); err != nil {
			return fmt.Errorf("storage: import sales: %w", err)
		}
		return nil
	})
	d.refreshCatalog(changed...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportProducts adds or replaces products in bulk, as Put does one by one
// (each validated first, the same value under the same key, the same
// stock movements), through a
// write batch fsynced once when it is flushed; then it reloads the
// in-memory catalog. Like ImportSales it is not crash-safe and must not
// run while anything else writes. Errors: kiosk.ErrInvalidProduct (nothing
// is written), ErrClosed, and the errors of a write.
func (d *DB) ImportProducts(ctx context.Context, ps []kiosk.Product) error {
	vs := make([][]byte, len(ps))
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("storage: import products: %s: %w", p.GTIN, err)
		}
		vs[i] = b
	}
	return d.call("import products", func() error {
		// The stock movements Put would write (putStock): read first.
		var ms []kiosk.StockMovement
		var subs []uint16
		err := d.view(ctx, func(txn *badger.Txn) error {
			head, err := readHeadMark(txn)
			if err != nil {
				return err
			}
			type prev struct {
				p        kiosk.Product
				had      bool
				sub      uint16
				subKnown bool
			}
			olds := map[kiosk.GTIN]*prev{}
			it := d.mvKeysIterator(txn)
			defer it.Close()
			for _, p := range ps {
				o := olds[p.GTIN]
				if o == nil {
					o = &prev{}
					if o.had, err = getJSON(txn, catKey(p.GTIN), &o.p); err != nil {
						return err
					}
					olds[p.GTIN] = o
				}
				if m, ok := correction(p, o.p, o.had, head.Seq); ok {
					if !o.subKnown {
						if o.sub, err = d.nextSub(it, p.GTIN, head.Seq); err != nil {
							return err
						}
						o.subKnown = true
					} else {
						o.sub++
					}
					ms, subs = append(ms, m), append(subs, o.sub)
				}
				o.p, o.had = p, true
			}
			return nil
		})
		if err != nil {
			return err
		}
		wb := d.bdb.NewWriteBatch()
		defer wb.Cancel()
		for i, p := range ps {
			if err := wb.Set(catKey(p.GTIN), vs[i]); err != nil {
				return fmt.Errorf("storage: import products: %w", err)
			}
		}
		for i, m := range ms {
			b, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("storage: import products: %s: %w", m.GTIN, err)
			}
			if err := wb.Set(mvKey(m.GTIN, m.Seq, subs[i]), b); err != nil {
				return fmt.Errorf("storage: import products: %w", err)
			}
		}
		if err := wb.Flush(); err != nil {
			return fmt.Errorf("storage: import products: %w", err)
		}
		defer d.releaseTablePages() // the catalog's tables, read in full (pages.go)
		return d.loadCatalog(ctx)
	})
}
