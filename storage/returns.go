package storage

// Returns (kiosk.ReturnStore; kassasystemforskrifta § 2-8-5): a return is
// stored under its own receipt number, which it takes from the kiosk's
// receipt counter as a sale does, so that the kiosk's signed cash
// transactions are numbered without gaps; the quantities returned of each
// sale are kept beside it, and the return, its signed 11006 record, the
// stock put back and the report totals are one transaction.

import (
	"context"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.ReturnStore = (*DB)(nil)

func retIDKey(id string) []byte { return []byte(prefRetID + id) }

// Returned implements kiosk.ReturnStore.
func (d *DB) Returned(ctx context.Context, kioskID string, no uint64) (map[kiosk.GTIN]int, error) {
	out := map[kiosk.GTIN]int{}
	err := d.call("returned", func() error {
		if checkKioskID(kioskID) != nil {
			return fmt.Errorf("storage: returned %q/%d: %w", kioskID, no, kiosk.ErrNotFound)
		}
		return d.view(ctx, func(txn *badger.Txn) error {
			if err := mustHaveSale(txn, kioskID, no); err != nil {
				return err
			}
			_, err := getJSON(txn, receiptKey(prefRtd, kioskID, no), &out)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CompleteReturn implements kiosk.ReturnStore in one transaction: the next
// receipt number of r.Kiosk, the return, its ID index, the sale's
// returned quantities, the stock and its kiosk.MoveReturn movements, the report totals and the journal
// record: e with code kiosk.CodeReturnPayment holding the return as a
// cash transaction signed after the kiosk's previous one (sign.go).
// Errors besides the contract's: an empty ID, a kiosk ID containing a
// NUL byte.
func (d *DB) CompleteReturn(ctx context.Context, r kiosk.Return, e kiosk.Entry) (kiosk.Return, error) {
	if r.ID == "" {
		return kiosk.Return{}, errors.New("storage: complete return: empty ID")
	}
	if err := checkKioskID(r.Kiosk); err != nil {
		return kiosk.Return{}, fmt.Errorf("storage: complete return %s: %w", r.ID, err)
	}
	var out kiosk.Return
	err := d.call("complete return", func() error {
		return d.update(ctx, "complete return "+r.ID, func(txn *badger.Txn) error {
			var ref saleRef
			done, err := getJSON(txn, retIDKey(r.ID), &ref)
			if err != nil {
				return err
			}
			if done {
				return fmt.Errorf("storage: complete return %s: already completed as receipt %d: %w", r.ID, ref.No, kiosk.ErrConflict)
			}
			var sale kiosk.Sale
			if err := getSale(txn, r.Kiosk, r.Original, &sale); err != nil {
				return err
			}
			returned := map[kiosk.GTIN]int{}
			if _, err := getJSON(txn, receiptKey(prefRtd, r.Kiosk, r.Original), &returned); err != nil {
				return err
			}
			if err := kiosk.CheckReturn(sale, returned, r); err != nil {
				return fmt.Errorf("storage: complete return %s: %w", r.ID, err)
			}
			last, err := getRaw(txn, seqKey(r.Kiosk))
			if err != nil {
				return err
			}
			var n uint64
			if last != nil {
				if n, err = decodeUint64(last); err != nil {
					return fmt.Errorf("storage: complete return %s: receipt counter of %q: %w", r.ID, r.Kiosk, err)
				}
			}
			ret := r
			ret.No, ret.OriginalSale = n+1, sale.ID
			if err := set(txn, seqKey(r.Kiosk), encodeUint64(ret.No)); err != nil {
				return err
			}
			if err := setJSON(txn, receiptKey(prefRet, r.Kiosk, ret.No), ret); err != nil {
				return err
			}
			if err := setJSON(txn, retIDKey(r.ID), saleRef{Kiosk: r.Kiosk, No: ret.No}); err != nil {
				return err
			}
			for _, l := range ret.Lines {
				returned[l.Product.GTIN] += l.Qty
			}
			if err := setJSON(txn, receiptKey(prefRtd, r.Kiosk, r.Original), returned); err != nil {
				return err
			}
			back := map[kiosk.GTIN]int{} // the stock put back, for the movements
			for _, l := range ret.Lines {
				var p kiosk.Product
				found, err := getJSON(txn, catKey(l.Product.GTIN), &p)
				if err != nil {
					return err
				}
				if !found {
					continue
				}
				p.Stock += l.Qty
				if err := setJSON(txn, catKey(l.Product.GTIN), p); err != nil {
					return err
				}
				back[l.Product.GTIN] += l.Qty
			}
			t, err := readTotals(txn, r.Kiosk)
			if err != nil {
				return err
			}
			t.AddReturn(ret)
			if err := writeTotals(txn, r.Kiosk, t); err != nil {
				return err
			}
			e := e
			e.Code, e.ReceiptNo = kiosk.CodeReturnPayment, ret.No
			tx := kiosk.NewReturnTx(ret)
			if err := d.signTx(txn, r.Kiosk, &tx); err != nil {
				return err
			}
			e.Tx = &tx
			rec, err := appendRecord(txn, e)
			if err != nil {
				return err
			}
			for g, q := range back { // recorded by the return's record (stock.go)
				m := kiosk.StockMovement{Seq: rec.Seq, GTIN: g, Kind: kiosk.MoveReturn, Delta: q, Ref: mvRef(ret.Kiosk, ret.No), Staff: ret.Staff, At: ret.Time}
				if err := setMovement(txn, m, 0); err != nil {
					return err
				}
			}
			out = ret
			return nil
		})
	})
	d.refreshStock(r.Lines)
	if err != nil {
		return kiosk.Return{}, err
	}
	return out, nil
}
