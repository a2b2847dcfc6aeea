package storage

// The running totals of the X and Z reports (kiosk.ReportStore;
// kassasystemforskrifta §§ 2-8-2, 2-8-3, bokføringsforskriften § 5-3-14):
// one kiosk.Totals per kiosk under tot/<kiosk ID>, updated in the
// transaction of the sale (CompleteSale) or the journal record
// (appendRecord) it counts, so a report reads one key whatever the number
// of sales. What counts where is kiosk.Totals.AddSale and AddEntry.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.ReportStore = (*DB)(nil)

// readTotals reads kioskID's totals in txn: the zero Totals with Kiosk set
// when it has none. Totals stored as last read or written are not
// decoded again (totalsMemo).
func readTotals(txn *badger.Txn, kioskID string) (kiosk.Totals, error) {
	t := kiosk.Totals{Kiosk: kioskID}
	_, err := getDecoded(txn, totKey(kioskID), func(b []byte) error {
		if m, hit := totalsMemo.get(kioskID, b); hit {
			t = m
			return nil
		}
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		totalsMemo.put(kioskID, bytes.Clone(b), t)
		return nil
	})
	if err != nil {
		return kiosk.Totals{}, err
	}
	return t, nil
}

// writeTotals writes kioskID's totals t in txn.
func writeTotals(txn *badger.Txn, kioskID string, t kiosk.Totals) error {
	key := totKey(kioskID)
	b, err := encodeJSON(key, t)
	if err != nil {
		return err
	}
	if err := set(txn, key, b); err != nil {
		return err
	}
	totalsMemo.put(kioskID, b, t)
	return nil
}

// totalsMemo keeps each kiosk's totals as last decoded or encoded, with
// their bytes, to hand out copies of when the store holds the same bytes:
// decoding the totals was a quarter of a sale's own commit work
// (BenchmarkSaleCommitTail). Looked up by the stored bytes themselves, it
// gives exactly what decoding them would (whatever the store or
// transaction), never totals the store does not hold; a write whose
// transaction is discarded only leaves bytes no read will match.
var totalsMemo = memoTotals{m: map[string]memoEntry{}}

type memoTotals struct {
	mu sync.Mutex
	m  map[string]memoEntry // by kiosk ID
}

type memoEntry struct {
	raw []byte // never changed after it is put
	t   kiosk.Totals
}

// get returns a copy of the totals whose bytes are raw, if kept.
func (m *memoTotals) get(kioskID string, raw []byte) (kiosk.Totals, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[kioskID]
	if !ok || !bytes.Equal(e.raw, raw) {
		return kiosk.Totals{}, false
	}
	return e.t.Clone(), true
}

// put keeps a copy of t as the totals encoded as raw, which the caller
// no longer changes.
func (m *memoTotals) put(kioskID string, raw []byte, t kiosk.Totals) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[kioskID] = memoEntry{raw: raw, t: t.Clone()}
}

// addSaleTotals counts the completed sale s (its receipt number set) into
// its kiosk's totals, in the sale's own transaction; it is no longer
// open.
func addSaleTotals(txn *badger.Txn, s kiosk.Sale) error {
	t, err := readTotals(txn, s.Kiosk)
	if err != nil {
		return err
	}
	t.AddSale(s)
	return writeTotals(txn, s.Kiosk, t)
}

// openSaleTotals notes the pending sale p in its kiosk's totals
// (SavePending); a sale already noted costs a read only.
func openSaleTotals(txn *badger.Txn, p kiosk.PendingSale) error {
	if checkKioskID(p.Kiosk) != nil {
		return nil
	}
	t, err := readTotals(txn, p.Kiosk)
	if err != nil || !t.OpenSale(p.ID) {
		return err
	}
	return writeTotals(txn, p.Kiosk, t)
}

// voidSaleTotals takes the pending sale stored as old (a pendingValue)
// out of its kiosk's open sales (VoidPending).
func voidSaleTotals(txn *badger.Txn, id string, old []byte) error {
	var v pendingValue
	if err := unmarshal(pendKey(id), old, &v); err != nil {
		return err
	}
	if checkKioskID(v.Sale.Kiosk) != nil {
		return nil
	}
	t, err := readTotals(txn, v.Sale.Kiosk)
	if err != nil || !t.CloseSale(id) {
		return err
	}
	return writeTotals(txn, v.Sale.Kiosk, t)
}

// addEntryTotals counts the journal entry e into its kiosk's totals, when
// it is one the reports count (kiosk.Totals.AddEntry); others, and
// entries without a kiosk, cost no read.
func addEntryTotals(txn *badger.Txn, e kiosk.Entry) error {
	if e.Kiosk == "" || checkKioskID(e.Kiosk) != nil || !counts(e) {
		return nil
	}
	t, err := readTotals(txn, e.Kiosk)
	if err != nil {
		return err
	}
	t.AddEntry(e)
	return writeTotals(txn, e.Kiosk, t)
}

// counts reports whether the reports count e.
func counts(e kiosk.Entry) bool {
	var t kiosk.Totals
	return t.AddEntry(e)
}

// Totals implements kiosk.ReportStore. Errors: ErrClosed, ErrCorrupt
// for totals that do not decode.
func (d *DB) Totals(ctx context.Context, kioskID string) (t kiosk.Totals, err error) {
	err = d.call("totals", func() error {
		if err := checkKioskID(kioskID); err != nil {
			return fmt.Errorf("storage: totals: %w", err)
		}
		return d.view(ctx, func(txn *badger.Txn) error {
			t, err = readTotals(txn, kioskID)
			return err
		})
	})
	return t, err
}

// ListTotals implements kiosk.ReportStore.
func (d *DB) ListTotals(ctx context.Context) ([]kiosk.Totals, error) {
	var out []kiosk.Totals
	err := d.call("list totals", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, []byte(prefTot), func(k, b []byte) error {
				var t kiosk.Totals
				if err := unmarshal(k, b, &t); err != nil {
					return err
				}
				out = append(out, t)
				return nil
			})
		})
	})
	return out, err
}

// Report implements kiosk.ReportStore in one transaction: the totals
// with the open-sale check, the head, the journal record and, for a Z
// report, the closed totals.
func (d *DB) Report(ctx context.Context, kioskID string, close bool, build func(kiosk.Totals, kiosk.Record) (kiosk.Entry, error)) (r kiosk.Record, err error) {
	if err := checkKioskID(kioskID); err != nil {
		return kiosk.Record{}, fmt.Errorf("storage: report: %w", err)
	}
	err = d.call("report", func() error {
		return d.update(ctx, "report "+kioskID, func(txn *badger.Txn) error {
			t, err := readTotals(txn, kioskID)
			if err != nil {
				return err
			}
			if close && len(t.Open) > 0 {
				return fmt.Errorf("storage: Z report of %s: %w: sale %s", kioskID, kiosk.ErrSaleOpen, t.Open[0])
			}
			head, err := readHead(txn)
			if err != nil {
				return err
			}
			e, err := build(t, head)
			if err != nil {
				return err
			}
			if r, err = appendRecord(txn, e); err != nil {
				return err
			}
			if !close {
				return nil
			}
			// Read again: the report's own record may have counted.
			if t, err = readTotals(txn, kioskID); err != nil {
				return err
			}
			t.CloseZ(r)
			return writeTotals(txn, kioskID, t)
		})
	})
	if err != nil {
		return kiosk.Record{}, err
	}
	return asScanned(r)
}
