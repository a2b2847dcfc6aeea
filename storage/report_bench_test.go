//go:build linux

package storage

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The Z report reads the running totals, whatever the number of sales
// (issue 12 item 5: a Z report with 1 M sales in the store within 5 ms).
// The baseline, measured in the same run, is what a Z report without
// running totals would at least do: read the day's sales, by receipt
// number from the last Z report on, and add them up.

const (
	history1MSales = 1_000_000
	history1MDay   = 1_000 // sales of the last day, after the last Z report
)

// history1M is a closed store holding 1 M sales of kiosk K1 seeded
// through ImportSales: 999 days of 1 000 sales, a Z report, and the last
// day's 1 000 sales. Built once per test binary run, removed by TestMain.
var history1M struct {
	once   sync.Once
	dir    string
	end    time.Time    // the last sale's time
	seeded kiosk.Totals // K1's totals as seeded: the last day open
	err    error
}

func buildHistory1M(b *testing.B) (string, time.Time, kiosk.Totals) {
	b.Helper()
	h := &history1M
	h.once.Do(func() {
		h.dir, h.err = os.MkdirTemp(os.Getenv("STORAGE_BENCH_DIR"), "storage-history1m-")
		if h.err != nil {
			return
		}
		d, err := Open(h.dir, Options{})
		if err != nil {
			h.err = err
			return
		}
		d.SetSigner(&kiosktest.Signer{}, testZone)
		defer func() {
			if err := d.Close(); h.err == nil {
				h.err = err
			}
		}()
		if h.end, h.err = seedHistory(d, history1MSales, history1MDay); h.err != nil {
			return
		}
		h.seeded, h.err = d.Totals(context.Background(), "K1")
	})
	if h.err != nil {
		b.Fatalf("seed 1 M sales: %v", h.err)
	}
	return h.dir, h.end, h.seeded
}

// seedHistory imports total sales of kiosk K1 into d through
// ImportSales, day sales a day, with a Z report before the last day's.
// It returns the last sale's time.
func seedHistory(d *DB, total, day int) (time.Time, error) {
	ctx := context.Background()
	products := []kiosk.Product{pCigs, pSnus, pWater, pPaper, pChoc}
	cards := []string{"Visa", "Mastercard", "BankAxept"}
	at := t0
	importRange := func(from, to int) error {
		const batch = 10_000
		for n := from; n < to; n += batch {
			sales := make([]ImportedSale, min(batch, to-n))
			for i := range sales {
				k := n + i
				at = at.Add(86400 * time.Second / time.Duration(day+10))
				lines := []kiosk.Line{{Product: products[k%len(products)], Qty: 1 + k%3}}
				if k%4 == 0 {
					lines = append(lines, kiosk.Line{Product: products[(k+1)%len(products)], Qty: 1})
				}
				s := totalsSale(fmt.Sprintf("h%07d", k), "K1", at, cards[k%len(cards)], lines...)
				sales[i] = ImportedSale{Sale: s, Receipt: totalsReceipt(s)}
			}
			if _, err := d.ImportSales(ctx, sales); err != nil {
				return err
			}
		}
		return nil
	}
	if err := importRange(0, total-day); err != nil {
		return time.Time{}, err
	}
	at = at.Add(time.Hour) // the Z report of the day before the last
	if _, err := d.Report(ctx, "K1", true, zEntry(at)); err != nil {
		return time.Time{}, err
	}
	if err := importRange(total-day, total); err != nil {
		return time.Time{}, err
	}
	return at, nil
}

// TestSeedHistory: the benchmarks' history, small, holds what it says.
func TestSeedHistory(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	if _, err := seedHistory(d, 25_000, 40); err != nil {
		t.Fatal(err)
	}
	tot, err := d.Totals(ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	if tot.LastZ.No != 1 || tot.LastZ.LastReceipt != 25_000-40 || tot.Period.Sales.Num != 40 || tot.Period.FirstReceipt != 25_000-40+1 {
		t.Errorf("totals = last Z %+v, period %d sales from %d", tot.LastZ, tot.Period.Sales.Num, tot.Period.FirstReceipt)
	}
	day, err := scanDay(ctx, d, "K1", tot.LastZ.LastReceipt+1)
	if err != nil {
		t.Fatal(err)
	}
	// The scan gives the period; the grand totals and the last Z it does
	// not read.
	day.GrandSales, day.LastZ = tot.GrandSales, tot.LastZ
	sameTotals(t, day, tot)
}

// BenchmarkZReport1M is one Z report (kiosk.Reports.Z: the totals, the
// open-sale check, the report built, laid out and journaled in full, the
// period closed, one durable commit) with 1 M sales in the store, closing
// a day of 1 000 sales. Before each (not timed) the last day's totals are
// put back as seeded, and the clock moves on a day, as a Z report runs
// once a day.
func BenchmarkZReport1M(b *testing.B) {
	dir, end, seeded := buildHistory1M(b)
	d := mustOpen(b, dir)
	ctx := context.Background()
	clk := kiosktest.NewClock(end.Add(time.Hour))
	r := kiosk.Reports{Store: d, Journal: d, Clock: clk, KioskID: "K1", Shop: kiosk.Shop{Name: "Bench", OrgNo: "999999999"}}
	if seeded.Period.Sales.Num != history1MDay || seeded.LastZ.LastReceipt+history1MDay != history1MSales {
		b.Fatalf("seeded totals = %+v", seeded.Period.Sales)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if err := d.update(ctx, "bench", func(txn *badger.Txn) error { return setJSON(txn, totKey("K1"), seeded) }); err != nil {
			b.Fatal(err)
		}
		clk.Advance(24 * time.Hour)
		b.StartTimer()
		rep, _, err := r.Z(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if rep.Period.Sales.Num != history1MDay {
			b.Fatalf("the Z report closed %d sales", rep.Period.Sales.Num)
		}
	}
}

// BenchmarkDayScan1M is the baseline: the last day's 1 000 sales read by
// receipt number and added up, with 1 M sales in the store. It gives the
// figures the running totals hold.
func BenchmarkDayScan1M(b *testing.B) {
	dir, _, seeded := buildHistory1M(b)
	d := mustOpen(b, dir)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		got, err := scanDay(ctx, d, "K1", seeded.LastZ.LastReceipt+1)
		if err != nil {
			b.Fatal(err)
		}
		if got.Period.Sales != seeded.Period.Sales {
			b.Fatalf("the day scan counts %+v, the totals %+v", got.Period.Sales, seeded.Period.Sales)
		}
	}
}

// scanDay adds up kioskID's sales from receipt number from on by reading
// them: what a Z report without running totals does at least (it would
// need the grand totals besides, which this leaves at 0).
func scanDay(ctx context.Context, d *DB, kioskID string, from uint64) (kiosk.Totals, error) {
	t := kiosk.Totals{Kiosk: kioskID}
	err := d.view(ctx, func(txn *badger.Txn) error {
		prefix := saleKey(kioskID, 0)[:len(prefSale)+len(kioskID)+1]
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 100, Prefix: prefix})
		defer it.Close()
		for it.Seek(saleKey(kioskID, from)); it.ValidForPrefix(prefix); it.Next() {
			var s kiosk.Sale
			if err := it.Item().Value(func(b []byte) error { return unmarshal(it.Item().Key(), b, &s) }); err != nil {
				return err
			}
			t.AddSale(s)
		}
		return nil
	})
	return t, err
}

// BenchmarkJournalScan1M reads the whole journal of the 1 M-sale history
// with Scan, as `journal verify` and the exports do: every record
// decoded, the table pages released on the way. Its baseline, in the same
// run, is BenchmarkJournalIterate1M.
func BenchmarkJournalScan1M(b *testing.B) { benchJournal1M(b, 0, scanAll) }

// BenchmarkJournalScanAhead1M is BenchmarkJournalScan1M with the store
// opened as those commands open it (Options.ScanWorkers: every core).
func BenchmarkJournalScanAhead1M(b *testing.B) { benchJournal1M(b, runtime.GOMAXPROCS(0), scanAll) }

// scanAll scans the whole journal of d and counts its records.
func scanAll(ctx context.Context, d *DB) (n int, err error) {
	err = d.Scan(ctx, 0, func(kiosk.Record) error { n++; return nil })
	return n, err
}

// BenchmarkJournalIterate1M is the least a scan of the journal does: one
// Badger iterator over its keys, each value copied out, nothing decoded.
func BenchmarkJournalIterate1M(b *testing.B) {
	benchJournal1M(b, 0, func(ctx context.Context, d *DB) (n int, err error) {
		err = d.view(ctx, func(txn *badger.Txn) error {
			prefix := []byte(prefJrnl)
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64, Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				if _, err := it.Item().ValueCopy(nil); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		return n, err
	})
}

// benchJournal1M times read on the 1 M-sale history, opened with
// Options.ScanWorkers workers, reporting how many records it read.
func benchJournal1M(b *testing.B, workers int, read func(context.Context, *DB) (int, error)) {
	dir, _, _ := buildHistory1M(b)
	d, err := Open(dir, Options{shortTop: true, ScanWorkers: workers})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		n, err := read(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "records")
	}
}
