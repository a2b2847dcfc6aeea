package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.SaleStore = (*DB)(nil)

// saleRef is the value of a sale-ID index key: where the completed sale is.
type saleRef struct {
	Kiosk string `json:"kiosk"`
	No    uint64 `json:"no"`
}

// pendingValue is the value of a pending-sale key. Order is the journal
// sequence number of the sale's first SavePending: among sales started at
// the same time, the one saved first is listed first.
type pendingValue struct {
	Order uint64            `json:"order"`
	Sale  kiosk.PendingSale `json:"sale"`
}

// SavePending implements kiosk.SaleStore. Errors besides the contract's:
// an error for an empty ID.
func (d *DB) SavePending(ctx context.Context, p kiosk.PendingSale, e kiosk.Entry, more ...kiosk.Entry) error {
	if p.ID == "" {
		return errors.New("storage: save pending: empty sale ID")
	}
	defer d.pendWrite()()
	return d.call("save pending", func() error {
		return d.update(ctx, "save pending "+p.ID, func(txn *badger.Txn) error {
			var ref saleRef
			done, err := getJSON(txn, saleIDKey(p.ID), &ref)
			if err != nil {
				return err
			}
			if done {
				return fmt.Errorf("storage: save pending %s: already completed as receipt %d: %w", p.ID, ref.No, kiosk.ErrConflict)
			}
			var old pendingValue
			had, err := getJSON(txn, pendKey(p.ID), &old)
			if err != nil {
				return err
			}
			r, err := appendRecord(txn, e)
			if err != nil {
				return err
			}
			for _, m := range more { // the transaction reads its own head
				if _, err := appendRecord(txn, m); err != nil {
					return err
				}
			}
			v := pendingValue{Order: r.Seq, Sale: p}
			if had {
				v.Order = old.Order
			}
			if err := openSaleTotals(txn, p); err != nil {
				return err
			}
			return setJSON(txn, pendKey(p.ID), v)
		})
	})
}

// Pending implements kiosk.SaleStore: oldest Started first; sales started
// at the same time in the order they were first saved. The first call
// after Open (Checkout.Start's) takes the answer read while Open loaded
// the catalog (readPendingEarly), unless a pending sale may have been
// written since.
func (d *DB) Pending(ctx context.Context) ([]kiosk.PendingSale, error) {
	if r := d.pendEarly.Swap(nil); r != nil {
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err == nil && d.pendBusy.Load() == 0 && d.pendGen.Load() == r.gen {
			return r.ps, nil
		}
	}
	return d.readPending(ctx)
}

// earlyPending is Pending's answer read at Open (readPendingEarly).
type earlyPending struct {
	done chan struct{} // closed when ps and err are set
	gen  uint64        // d.pendGen when the read began
	ps   []kiosk.PendingSale
	err  error
}

// readPendingEarly reads the pending sales in the background, for the
// first Pending call. Open starts it before it loads the catalog, on
// another core: the read passes over the deleted pending key of every
// sale still in Badger's upper levels (a tenth of the history; 4 ms with
// 100 000 sales, 12 ms with 1 000 000), and it is off the start's path.
//
// A write that may change the pending sales is bracketed by pendWrite:
// pendBusy counts those in progress, pendGen those done. The early answer
// stands if none was in progress when the read began, and, when it is
// taken, none is in progress and none has finished since (pendBusy read
// before pendGen, each write counting pendGen up before pendBusy down):
// then no pending sale was written between the read's snapshot and the
// Pending call.
func (d *DB) readPendingEarly() {
	if d.pendBusy.Load() != 0 {
		return
	}
	r := &earlyPending{done: make(chan struct{}), gen: d.pendGen.Load()}
	d.pendEarly.Store(r)
	go func() {
		defer close(r.done)
		r.ps, r.err = d.readPending(context.Background())
	}()
}

// pendWrite brackets a write that may change the pending sales: call it
// before, and what it returns after (readPendingEarly).
func (d *DB) pendWrite() (done func()) {
	d.pendBusy.Add(1)
	return func() {
		d.pendGen.Add(1)
		d.pendBusy.Add(-1)
	}
}

// readPending reads the pending sales from the store.
func (d *DB) readPending(ctx context.Context) ([]kiosk.PendingSale, error) {
	var vs []pendingValue
	err := d.call("pending", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, []byte(prefPend), func(k, b []byte) error {
				var v pendingValue
				if err := unmarshal(k, b, &v); err != nil {
					return err
				}
				vs = append(vs, v)
				return nil
			})
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if !a.Sale.Started.Equal(b.Sale.Started) {
			return a.Sale.Started.Before(b.Sale.Started)
		}
		return a.Order < b.Order
	})
	out := make([]kiosk.PendingSale, len(vs))
	for i, v := range vs {
		out[i] = v.Sale
	}
	return out, nil
}

// CompleteSale implements kiosk.SaleStore in one transaction: the next
// receipt number of s.Kiosk, the sale, its ID index, the stock, the
// pending sale and the journal record: e with code kiosk.CodeCashSale,
// holding the sale in full as a cash transaction signed after the kiosk's
// previous one (sign.go; kiosk.ErrSignerUnavailable before SetSigner); a
// training sale is signed too and moves no stock (stockTaken). Stock is decremented even below
// zero (the goods are gone; a stocktake puts it right, and the product is
// flagged for one), each product's with a kiosk.MoveSale movement
// recorded by the sale's journal record (stock.go), and lines whose
// product is no longer in the catalog are skipped: a paid sale is never
// refused over stock. Errors besides the contract's: an empty ID, a kiosk
// ID containing a NUL byte.
func (d *DB) CompleteSale(ctx context.Context, s kiosk.Sale, e kiosk.Entry) (kiosk.Sale, error) {
	if s.ID == "" {
		return kiosk.Sale{}, errors.New("storage: complete sale: empty sale ID")
	}
	if err := checkKioskID(s.Kiosk); err != nil {
		return kiosk.Sale{}, fmt.Errorf("storage: complete sale %s: %w", s.ID, err)
	}
	qty := stockTaken(s)
	var out kiosk.Sale
	var written []kiosk.Product // the products as the commit left them
	defer d.pendWrite()()
	err := d.call("complete sale", func() error {
		return d.updateThen(ctx, "complete sale "+s.ID, func(txn *badger.Txn) error {
			written = written[:0]
			var ref saleRef
			done, err := getJSON(txn, saleIDKey(s.ID), &ref)
			if err != nil {
				return err
			}
			if done {
				return fmt.Errorf("storage: complete sale %s: already completed as receipt %d: %w", s.ID, ref.No, kiosk.ErrConflict)
			}
			last, err := getRaw(txn, seqKey(s.Kiosk))
			if err != nil {
				return err
			}
			var n uint64
			if last != nil {
				if n, err = decodeUint64(last); err != nil {
					return fmt.Errorf("storage: complete sale %s: receipt counter of %q: %w", s.ID, s.Kiosk, err)
				}
			}
			sale := s
			sale.No = n + 1
			if err := set(txn, seqKey(s.Kiosk), encodeUint64(sale.No)); err != nil {
				return err
			}
			if err := setJSON(txn, saleKey(s.Kiosk, sale.No), sale); err != nil {
				return err
			}
			if err := setJSON(txn, saleIDKey(s.ID), saleRef{Kiosk: s.Kiosk, No: sale.No}); err != nil {
				return err
			}
			if err := addSaleTotals(txn, sale); err != nil {
				return err
			}
			for g, q := range qty {
				var p kiosk.Product
				found, err := getJSON(txn, catKey(g), &p)
				if err != nil {
					return err
				}
				if !found {
					continue
				}
				takeStock(&p, q)
				if err := setJSON(txn, catKey(g), p); err != nil {
					return err
				}
				written = append(written, p)
			}
			if err := del(txn, pendKey(s.ID)); err != nil {
				return err
			}
			e := e
			e.Code, e.ReceiptNo = kiosk.CodeCashSale, sale.No
			// The whole sale, signed, in its journal record.
			tx := kiosk.NewCashTx(sale)
			if err := d.signTx(txn, s.Kiosk, &tx); err != nil {
				return err
			}
			e.Tx = &tx
			r, err := appendRecord(txn, e)
			if err != nil {
				return err
			}
			for _, p := range written { // their stock moved, recorded by the sale's record
				if err := setMovement(txn, saleMovement(sale, p.GTIN, qty[p.GTIN], r.Seq), 0); err != nil {
					return err
				}
			}
			out = sale
			return nil
		}, func() { d.cat.setWritten(written) })
	})
	if err != nil {
		d.refreshStock(s.Lines) // whatever a failed commit left
		return kiosk.Sale{}, err
	}
	return out, nil
}

// VoidPending implements kiosk.SaleStore.
func (d *DB) VoidPending(ctx context.Context, id string, e kiosk.Entry) error {
	defer d.pendWrite()()
	return d.call("void pending", func() error {
		return d.update(ctx, "void pending "+id, func(txn *badger.Txn) error {
			old, err := getRaw(txn, pendKey(id))
			if err != nil {
				return err
			}
			if old == nil {
				var ref saleRef
				done, err := getJSON(txn, saleIDKey(id), &ref)
				if err != nil {
					return err
				}
				if done {
					return fmt.Errorf("storage: void pending %s: %w (completed as receipt %d: %w)", id, kiosk.ErrNotFound, ref.No, kiosk.ErrConflict)
				}
				return fmt.Errorf("storage: void pending %s: %w", id, kiosk.ErrNotFound)
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			if err := voidSaleTotals(txn, id, old); err != nil {
				return err
			}
			return del(txn, pendKey(id))
		})
	})
}

// Sale implements kiosk.SaleStore: kiosk kioskID's completed sale with
// receipt number no. Errors: kiosk.ErrNotFound.
func (d *DB) Sale(ctx context.Context, kioskID string, no uint64) (s kiosk.Sale, err error) {
	err = d.call("sale", func() error {
		if checkKioskID(kioskID) != nil {
			return fmt.Errorf("storage: sale %q/%d: %w", kioskID, no, kiosk.ErrNotFound)
		}
		return d.view(ctx, func(txn *badger.Txn) error { return getSale(txn, kioskID, no, &s) })
	})
	return s, err
}

func getSale(txn *badger.Txn, kioskID string, no uint64, s *kiosk.Sale) error {
	found, err := getJSON(txn, saleKey(kioskID, no), s)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("storage: sale %q/%d: %w", kioskID, no, kiosk.ErrNotFound)
	}
	return nil
}
