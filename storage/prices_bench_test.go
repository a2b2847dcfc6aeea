//go:build linux

package storage

import (
	"context"
	"os"
	"sync"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The price audit (`selvkasse price audit`) reads every sale once, one at
// a time, against the price history held in memory. Its baseline,
// measured in the same run, is the least any audit does: read every
// sale's stored bytes, without decoding them.

// auditProducts are the products of seedHistory's sales: the history the
// audit checks them against (each at its price since forever).
var auditProducts = []kiosk.Product{pCigs, pSnus, pWater, pPaper, pChoc}

// auditAll is the audit: the price book, then every sale checked.
func auditAll(b *testing.B, d *DB) (sales, bad int) {
	ctx := context.Background()
	book, err := d.PriceBook(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range auditProducts {
		if _, ok := book[p.GTIN]; !ok {
			book.Add(p.GTIN, kiosk.PriceVersion{Price: p.Price})
		}
	}
	err = d.ScanSalePrices(ctx, func(s kiosk.Sale) error {
		sales++
		bad += len(book.Check(s))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return sales, bad
}

// readAllSales is the baseline: every sale's value read, not decoded.
func readAllSales(b *testing.B, d *DB) (n int) {
	err := d.view(context.Background(), func(txn *badger.Txn) error {
		return d.scanPrefix(txn, []byte(prefSale), func(k, v []byte) error { n++; return nil })
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

func benchAudit(b *testing.B, dir string, want int) {
	d := mustOpen(b, dir)
	b.ResetTimer()
	for range b.N {
		sales, bad := auditAll(b, d)
		if sales != want || bad != 0 {
			b.Fatalf("audited %d sales, %d mismatches; want %d, 0", sales, bad, want)
		}
	}
}

func benchReadSales(b *testing.B, dir string, want int) {
	d := mustOpen(b, dir)
	b.ResetTimer()
	for range b.N {
		if n := readAllSales(b, d); n != want {
			b.Fatalf("read %d sales, want %d", n, want)
		}
	}
}

// BenchmarkPriceAudit1M: the audit of 1 M sales (the history of
// BenchmarkZReport1M). BenchmarkSaleRead1M is its baseline.
func BenchmarkPriceAudit1M(b *testing.B) {
	dir, _, _ := buildHistory1M(b)
	benchAudit(b, dir, history1MSales)
}

func BenchmarkSaleRead1M(b *testing.B) {
	dir, _, _ := buildHistory1M(b)
	benchReadSales(b, dir, history1MSales)
}

// history100k is a smaller history for a quick measurement (100 000
// sales), built once per run in its own directory (TestMain removes it).
var history100k struct {
	once sync.Once
	dir  string
	err  error
}

const history100kSales = 100_000

func buildHistory100k(b *testing.B) string {
	b.Helper()
	h := &history100k
	h.once.Do(func() {
		if h.dir, h.err = os.MkdirTemp(os.Getenv("STORAGE_BENCH_DIR"), "storage-history100k-"); h.err != nil {
			return
		}
		d, err := Open(h.dir, Options{})
		if err != nil {
			h.err = err
			return
		}
		d.SetSigner(&kiosktest.Signer{}, testZone)
		_, h.err = seedHistory(d, history100kSales, 1_000)
		if err := d.Close(); h.err == nil {
			h.err = err
		}
	})
	if h.err != nil {
		b.Fatalf("seed 100 000 sales: %v", h.err)
	}
	return h.dir
}

func BenchmarkPriceAudit100k(b *testing.B) { benchAudit(b, buildHistory100k(b), history100kSales) }

func BenchmarkSaleRead100k(b *testing.B) { benchReadSales(b, buildHistory100k(b), history100kSales) }
