package storage

import (
	"context"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.ReceiptStore = (*DB)(nil)

// QueueReceipt implements kiosk.ReceiptStore: the queued receipt and the
// journal record (13030) in one transaction.
func (d *DB) QueueReceipt(ctx context.Context, q kiosk.QueuedReceipt, e kiosk.Entry) error {
	return d.call("queue receipt", func() error {
		if checkKioskID(q.Kiosk) != nil {
			return fmt.Errorf("storage: queue receipt %q/%d: no such sale: %w", q.Kiosk, q.No, kiosk.ErrNotFound)
		}
		return d.update(ctx, fmt.Sprintf("queue receipt %s/%d", q.Kiosk, q.No), func(txn *badger.Txn) error {
			if err := mustHaveSale(txn, q.Kiosk, q.No); err != nil {
				return err
			}
			k := receiptKey(prefQueue, q.Kiosk, q.No)
			old, err := getRaw(txn, k)
			if err != nil {
				return err
			}
			if old != nil {
				return fmt.Errorf("storage: queue receipt %s/%d: queued already: %w", q.Kiosk, q.No, kiosk.ErrConflict)
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			return setJSON(txn, k, q)
		})
	})
}

// mustHaveSale is nil when kioskID has the completed sale no, an error
// wrapping kiosk.ErrNotFound when not.
func mustHaveSale(txn *badger.Txn, kioskID string, no uint64) error {
	v, err := getRaw(txn, saleKey(kioskID, no))
	if err != nil {
		return err
	}
	if v == nil {
		return fmt.Errorf("storage: receipt %s/%d: no such sale: %w", kioskID, no, kiosk.ErrNotFound)
	}
	return nil
}

// QueuedReceipts implements kiosk.ReceiptStore: key order is receipt
// number order.
func (d *DB) QueuedReceipts(ctx context.Context, kioskID string) ([]kiosk.QueuedReceipt, error) {
	out := []kiosk.QueuedReceipt{}
	err := d.call("queued receipts", func() error {
		if checkKioskID(kioskID) != nil {
			return nil
		}
		prefix := append([]byte(prefQueue+kioskID), 0)
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, prefix, func(k, v []byte) error {
				var q kiosk.QueuedReceipt
				if err := unmarshal(k, v, &q); err != nil {
					return err
				}
				out = append(out, q)
				return nil
			})
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReceiptPrinted implements kiosk.ReceiptStore: the queued receipt goes
// and the journal record (13012) comes in one transaction.
func (d *DB) ReceiptPrinted(ctx context.Context, kioskID string, no uint64, e kiosk.Entry) error {
	return d.call("receipt printed", func() error {
		if checkKioskID(kioskID) != nil {
			return fmt.Errorf("storage: receipt %q/%d printed: not queued: %w", kioskID, no, kiosk.ErrNotFound)
		}
		return d.update(ctx, fmt.Sprintf("receipt %s/%d printed", kioskID, no), func(txn *badger.Txn) error {
			k := receiptKey(prefQueue, kioskID, no)
			old, err := getRaw(txn, k)
			if err != nil {
				return err
			}
			if old == nil {
				return fmt.Errorf("storage: receipt %s/%d printed: not queued: %w", kioskID, no, kiosk.ErrNotFound)
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			return del(txn, k)
		})
	})
}

// Copies implements kiosk.ReceiptStore.
func (d *DB) Copies(ctx context.Context, kioskID string, no uint64) (n int, err error) {
	err = d.call("copies", func() error {
		if checkKioskID(kioskID) != nil {
			return nil
		}
		return d.view(ctx, func(txn *badger.Txn) error {
			n, err = readCopies(txn, kioskID, no)
			return err
		})
	})
	return n, err
}

func readCopies(txn *badger.Txn, kioskID string, no uint64) (int, error) {
	b, err := getRaw(txn, receiptKey(prefCopies, kioskID, no))
	if err != nil || b == nil {
		return 0, err
	}
	n, err := decodeUint64(b)
	if err != nil {
		return 0, fmt.Errorf("storage: copies of receipt %s/%d: %w", kioskID, no, err)
	}
	return int(n), nil
}

// CopyPrinted implements kiosk.ReceiptStore: the count and the journal
// record (13014) in one transaction.
func (d *DB) CopyPrinted(ctx context.Context, kioskID string, no uint64, e kiosk.Entry) (n int, err error) {
	err = d.call("copy printed", func() error {
		if checkKioskID(kioskID) != nil {
			return fmt.Errorf("storage: copy of receipt %q/%d: no such sale: %w", kioskID, no, kiosk.ErrNotFound)
		}
		return d.update(ctx, fmt.Sprintf("copy of receipt %s/%d", kioskID, no), func(txn *badger.Txn) error {
			if err := mustHaveSale(txn, kioskID, no); err != nil {
				return err
			}
			had, err := readCopies(txn, kioskID, no)
			if err != nil {
				return err
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			n = had + 1
			return set(txn, receiptKey(prefCopies, kioskID, no), encodeUint64(uint64(n)))
		})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// LastReceipt implements kiosk.ReceiptStore from the kiosk's receipt
// counter.
func (d *DB) LastReceipt(ctx context.Context, kioskID string) (n uint64, err error) {
	err = d.call("last receipt", func() error {
		if checkKioskID(kioskID) != nil {
			return nil
		}
		return d.view(ctx, func(txn *badger.Txn) error {
			b, err := getRaw(txn, seqKey(kioskID))
			if err != nil || b == nil {
				return err
			}
			if n, err = decodeUint64(b); err != nil {
				return fmt.Errorf("storage: receipt counter of %q: %w", kioskID, err)
			}
			return nil
		})
	})
	return n, err
}
