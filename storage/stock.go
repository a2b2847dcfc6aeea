package storage

// Stock movements (issue 13 item 4): every change of a product's stock
// writes a kiosk.StockMovement in the transaction that changes it, under
// mv/<GTIN-14> <seq 8 B BE> <sub 2 B BE> (keys.go), so that a product's
// stock is the sum of its movements and its movements are one prefix scan.
//
// seq is the journal record that recorded the change: a sale's, a
// return's, a receipt's, a count's; a movement so written has sub 0. The
// record's number is known in the transaction (the head is read to seal
// it), so a sale's movements cost one small write per product and no
// read. A catalog Put that changes the stock has no record of its own:
// its correction takes the head's number and the next free sub from 1.
// Opening balances have seq 0, sub 0.
//
// A store from before movements has stock but none: Open writes each
// product's opening balance (MoveOpening, the stock it has, At zero) once,
// then meta/movements, before anything else can write (migrateMovements).

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.StockStore = (*DB)(nil)

// mvPrefix is the key prefix of g's movements.
func mvPrefix(g kiosk.GTIN) []byte {
	k := make([]byte, 0, len(prefMv)+len(g)+10)
	return append(append(k, prefMv...), g...)
}

// mvKey is the key of g's movement recorded by journal record seq.
func mvKey(g kiosk.GTIN, seq uint64, sub uint16) []byte {
	k := binary.BigEndian.AppendUint64(mvPrefix(g), seq)
	return binary.BigEndian.AppendUint16(k, sub)
}

// mvRef names a receipt: "K1/17".
func mvRef(kioskID string, no uint64) string { return kioskID + "/" + strconv.FormatUint(no, 10) }

// saleMovement is the movement of q of g sold by sale, recorded by
// journal record seq (CompleteSale and ImportSales write the same).
func saleMovement(sale kiosk.Sale, g kiosk.GTIN, q int, seq uint64) kiosk.StockMovement {
	return kiosk.StockMovement{Seq: seq, GTIN: g, Kind: kiosk.MoveSale, Delta: -q, Ref: mvRef(sale.Kiosk, sale.No), At: sale.Completed}
}

// takeStock takes q of p's stock for a sale: below zero if need be (a paid
// sale is never refused over stock), and a product the store then
// believes it sold more of than it had is flagged for a recount.
func takeStock(p *kiosk.Product, q int) {
	p.Stock -= q
	if p.Stock < 0 {
		p.Recount = true
	}
}

func setMovement(txn *badger.Txn, m kiosk.StockMovement, sub uint16) error {
	return setJSON(txn, mvKey(m.GTIN, m.Seq, sub), m)
}

// mvKeysIterator is an iterator over the movement keys, for nextSub.
func (d *DB) mvKeysIterator(txn *badger.Txn) *badger.Iterator {
	return txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefMv)})
}

// nextSub is the first free sub from 1 among g's movements at seq; it
// is an iterator from mvKeysIterator (one for many products: an
// iterator is dear to make, a seek is not).
func (d *DB) nextSub(it *badger.Iterator, g kiosk.GTIN, seq uint64) (uint16, error) {
	prefix := binary.BigEndian.AppendUint64(mvPrefix(g), seq)
	if err := d.verifyPrefix(prefix); err != nil {
		return 0, err
	}
	var sub uint16
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		k := it.Item().Key()
		if len(k) == len(prefix)+2 {
			sub = max(sub, binary.BigEndian.Uint16(k[len(prefix):]))
		}
	}
	if sub == 0xffff {
		return 0, fmt.Errorf("storage: %s: too many stock corrections at journal record %d", g, seq)
	}
	return sub + 1, nil
}

// correction is the movement a catalog write of p makes when old (had:
// the product was there) held another stock; ok is false when the stock
// did not change. A new product's stock is its opening balance.
func correction(p kiosk.Product, old kiosk.Product, had bool, seq uint64) (m kiosk.StockMovement, ok bool) {
	d := p.Stock
	kind := kiosk.MoveOpening
	if had {
		d -= old.Stock
		kind = kiosk.MoveCorrection
	}
	return kiosk.StockMovement{Seq: seq, GTIN: p.GTIN, Kind: kind, Delta: d}, d != 0
}

// putStock is Put's stock bookkeeping in txn: the correction movement of
// p's stock against the stored product's, at the journal head.
func (d *DB) putStock(txn *badger.Txn, p kiosk.Product) error {
	var old kiosk.Product
	had, err := getJSON(txn, catKey(p.GTIN), &old)
	if err != nil {
		return err
	}
	head, err := readHeadMark(txn)
	if err != nil {
		return err
	}
	m, ok := correction(p, old, had, head.Seq)
	if !ok {
		return nil
	}
	it := d.mvKeysIterator(txn)
	sub, err := d.nextSub(it, p.GTIN, head.Seq)
	it.Close()
	if err != nil {
		return err
	}
	return setMovement(txn, m, sub)
}

// migrateMovements writes the opening balance of every product with stock
// in a store from before movements, once (meta/movements marks it done).
// Nothing else writes meanwhile (Open has not returned). A write batch:
// the catalog may be larger than a transaction; cut short, the next Open
// writes the same balances again.
func (d *DB) migrateMovements() error {
	if d.readOnly {
		return nil
	}
	var ms []kiosk.StockMovement
	done := false
	err := d.bdb.View(func(txn *badger.Txn) error {
		b, err := getRaw(txn, []byte(keyMoves))
		if err != nil || b != nil {
			done = b != nil
			return err
		}
		return d.scanPrefix(txn, []byte(prefCat), func(k, v []byte) error {
			var p kiosk.Product
			if err := json.Unmarshal(v, &p); err != nil {
				return nil // the catalog calls report it (loadCatalog)
			}
			if p.Stock != 0 {
				ms = append(ms, kiosk.StockMovement{GTIN: p.GTIN, Kind: kiosk.MoveOpening, Delta: p.Stock})
			}
			return nil
		})
	})
	if err != nil || done {
		return err
	}
	wb := d.bdb.NewWriteBatch()
	defer wb.Cancel()
	for _, m := range ms {
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("storage: opening balance of %s: %w", m.GTIN, err)
		}
		if err := wb.Set(mvKey(m.GTIN, 0, 0), b); err != nil {
			return fmt.Errorf("storage: opening balances: %w", err)
		}
	}
	if err := wb.Set([]byte(keyMoves), []byte("1")); err != nil {
		return fmt.Errorf("storage: opening balances: %w", err)
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("storage: opening balances: %w", err)
	}
	return nil
}

// Movements calls fn for each of g's movements, oldest first. Errors:
// ErrCorrupt for one that does not decode, fn's error, ErrClosed.
func (d *DB) Movements(ctx context.Context, g kiosk.GTIN, fn func(kiosk.StockMovement) error) error {
	return d.call("movements", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, mvPrefix(g), func(k, v []byte) error {
				var m kiosk.StockMovement
				if err := unmarshal(k, v, &m); err != nil {
					return err
				}
				return fn(m)
			})
		})
	})
}

// AllMovements calls fn for every movement, product by product (GTIN
// order), each product's oldest first. Errors as Movements.
func (d *DB) AllMovements(ctx context.Context, fn func(kiosk.StockMovement) error) error {
	return d.call("movements", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, []byte(prefMv), func(k, v []byte) error {
				var m kiosk.StockMovement
				if err := unmarshal(k, v, &m); err != nil {
					return err
				}
				return fn(m)
			})
		})
	})
}

// stockEntry is e as a 13999 record of stock work by staff on p.
func stockEntry(e kiosk.Entry, sub string, p kiosk.Product, staff string, data map[string]string) kiosk.Entry {
	e.Code, e.Subtype = kiosk.CodeOther, sub
	e.Data = map[string]string{"gtin": string(p.GTIN)}
	for k, v := range data {
		e.Data[k] = v
	}
	if staff != "" {
		e.Data["staff"] = staff
	}
	return e
}

// ReceiveStock implements kiosk.StockStore: in one transaction the
// product's stock, the journal record e (13999 kiosk.SubStockReceipt, Data
// gtin, qty, stock, staff) and the MoveReceipt movement it records, at
// e.Time. Errors: kiosk.ErrBadStockQty, kiosk.ErrNotFound (wrapped), a
// store error.
func (d *DB) ReceiveStock(ctx context.Context, g kiosk.GTIN, qty int, staff string, e kiosk.Entry) (kiosk.Product, error) {
	if err := kiosk.CheckReceiveQty(qty); err != nil {
		return kiosk.Product{}, fmt.Errorf("storage: receive %s: %w", g, err)
	}
	var out kiosk.Product
	err := d.call("receive stock", func() error {
		return d.update(ctx, "receive stock "+string(g), func(txn *badger.Txn) error {
			p, err := catalogProduct(txn, g, "receive")
			if err != nil {
				return err
			}
			p.Stock += qty
			if err := setJSON(txn, catKey(g), p); err != nil {
				return err
			}
			e := stockEntry(e, kiosk.SubStockReceipt, p, staff, map[string]string{
				"qty": strconv.Itoa(qty), "stock": strconv.Itoa(p.Stock)})
			if e.Text == "" {
				e.Text = fmt.Sprintf("goods received: %d × %s (%s), stock now %d", qty, p.Name, p.GTIN, p.Stock)
			}
			r, err := appendRecord(txn, e)
			if err != nil {
				return err
			}
			out = p
			return setMovement(txn, kiosk.StockMovement{Seq: r.Seq, GTIN: g, Kind: kiosk.MoveReceipt, Delta: qty, Staff: staff, At: e.Time}, 0)
		})
	})
	d.refreshCatalog(g)
	return out, err
}

// CountStock records that counted of g were counted, in one transaction:
// the stock set to it, the recount flag cleared, the journal record e
// (13999 kiosk.SubStockCount, Data gtin, expected, counted, variance,
// value, staff) and the MoveCount movement of the difference (written at
// a difference of 0 too: the count happened). Errors:
// kiosk.ErrBadStockQty, kiosk.ErrNotFound (wrapped), a store error.
func (d *DB) CountStock(ctx context.Context, g kiosk.GTIN, counted int, staff string, e kiosk.Entry) (kiosk.Variance, error) {
	if err := kiosk.CheckCountQty(counted); err != nil {
		return kiosk.Variance{}, fmt.Errorf("storage: count %s: %w", g, err)
	}
	var v kiosk.Variance
	err := d.call("count stock", func() error {
		return d.update(ctx, "count stock "+string(g), func(txn *badger.Txn) error {
			p, err := catalogProduct(txn, g, "count")
			if err != nil {
				return err
			}
			v = kiosk.NewVariance(p, counted)
			p.Stock, p.Recount = counted, false
			if err := setJSON(txn, catKey(g), p); err != nil {
				return err
			}
			e := stockEntry(e, kiosk.SubStockCount, p, staff, map[string]string{
				"expected": strconv.Itoa(v.Expected), "counted": strconv.Itoa(v.Counted),
				"variance": strconv.Itoa(v.Diff), "value": strconv.FormatInt(int64(v.Value), 10)})
			if e.Text == "" {
				e.Text = fmt.Sprintf("stock count: %s (%s) expected %d, counted %d, variance %+d (%s)", p.Name, p.GTIN, v.Expected, v.Counted, v.Diff, v.Value)
			}
			r, err := appendRecord(txn, e)
			if err != nil {
				return err
			}
			return setMovement(txn, kiosk.StockMovement{Seq: r.Seq, GTIN: g, Kind: kiosk.MoveCount, Delta: v.Diff, Staff: staff, At: e.Time}, 0)
		})
	})
	d.refreshCatalog(g)
	if err != nil {
		return kiosk.Variance{}, err
	}
	return v, nil
}

// SetLowStock sets g's low-stock threshold (0: none). Errors:
// kiosk.ErrBadStockQty for a negative n, kiosk.ErrNotFound (wrapped).
func (d *DB) SetLowStock(ctx context.Context, g kiosk.GTIN, n int) error {
	if n < 0 || n > kiosk.MaxReceiveQty {
		return fmt.Errorf("storage: threshold of %s: %w: %d", g, kiosk.ErrBadStockQty, n)
	}
	err := d.call("set threshold", func() error {
		return d.update(ctx, "set threshold "+string(g), func(txn *badger.Txn) error {
			p, err := catalogProduct(txn, g, "set the threshold of")
			if err != nil {
				return err
			}
			p.LowStock = n
			return setJSON(txn, catKey(g), p)
		})
	})
	d.refreshCatalog(g)
	return err
}

// catalogProduct reads product g in txn for the operation what (stock
// and price changes); kiosk.ErrNotFound, wrapped with what and g, when
// the catalog has no such product.
func catalogProduct(txn *badger.Txn, g kiosk.GTIN, what string) (kiosk.Product, error) {
	var p kiosk.Product
	found, err := getJSON(txn, catKey(g), &p)
	if err != nil {
		return p, err
	}
	if !found {
		return p, fmt.Errorf("storage: %s %s: %w", what, g, kiosk.ErrNotFound)
	}
	return p, nil
}

// StockOutlook feeds the sales and returns of each product of ps in the
// window of o into o, reading each product's movements newest first and
// stopping at the first before the window: the cost is one seek per
// product and the window's movements, not the history. (A movement's
// time follows its record's number, which follows the clock; opening
// balances and catalog corrections have the zero time and are passed.)
func (d *DB) StockOutlook(ctx context.Context, ps []kiosk.Product, o *kiosk.Outlook) error {
	since := o.Since()
	return d.call("stock outlook", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte(prefMv)})
			defer it.Close()
			for _, p := range ps {
				if err := ctx.Err(); err != nil {
					return err
				}
				prefix := mvPrefix(p.GTIN)
				if err := d.verifyPrefix(prefix); err != nil {
					return err
				}
				end := append(bytes.Clone(prefix), 0xff)
				for it.Seek(end); it.ValidForPrefix(prefix); it.Next() {
					var m kiosk.StockMovement
					item := it.Item()
					if err := item.Value(func(v []byte) error { return unmarshal(item.Key(), v, &m) }); err != nil {
						return err
					}
					// An undated opening balance or correction, or the
					// first movement before the window: the product was
					// there before it (kiosk.Outlook.Add), no sale.
					o.Add(m)
					if m.At.IsZero() {
						continue
					}
					if m.At.Before(since) {
						break
					}
				}
			}
			return nil
		})
	})
}

// StockStatus implements kiosk.StockStore: the catalog's products at or
// below their threshold and those to recount, the most urgent first
// (kiosk.LowAndRecount), and the first
// kiosk.StatusOutlookRows of the outlook p at now.
func (d *DB) StockStatus(ctx context.Context, now time.Time, p kiosk.OutlookParams) (kiosk.StockStatus, error) {
	ps, err := d.List(ctx)
	if err != nil {
		return kiosk.StockStatus{}, err
	}
	var st kiosk.StockStatus
	st.Low, st.Recount = kiosk.LowAndRecount(ps)
	o := kiosk.NewOutlook(now, p.Days)
	if err := d.StockOutlook(ctx, ps, o); err != nil {
		return kiosk.StockStatus{}, err
	}
	st.Outlook = o.Rows(ps, p)
	if len(st.Outlook) > kiosk.StatusOutlookRows {
		st.Outlook = st.Outlook[:kiosk.StatusOutlookRows]
	}
	return st, nil
}
