//go:build linux

package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// The benchmarks measure on the disk of $STORAGE_BENCH_DIR when it is set
// (the kiosk's SD card, say), else in the system temp dir.

func benchDir(b *testing.B) string {
	b.Helper()
	parent := os.Getenv("STORAGE_BENCH_DIR")
	if parent == "" {
		return b.TempDir()
	}
	dir, err := os.MkdirTemp(parent, "storage-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// saleWriteBytes is about what CompleteSale writes for s: the sale, its
// ID index, the counter, three products, the report totals, the journal
// record and the head.
func saleWriteBytes(b *testing.B, s kiosk.Sale) int {
	b.Helper()
	sale, err := json.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	r, err := kiosk.Seal(kiosk.Record{}, receiptEntry(s))
	if err != nil {
		b.Fatal(err)
	}
	rec, err := r.Encode()
	if err != nil {
		b.Fatal(err)
	}
	tot := kiosk.Totals{Kiosk: s.Kiosk}
	tot.AddSale(s)
	totals, err := json.Marshal(tot)
	if err != nil {
		b.Fatal(err)
	}
	n := len(sale) + 40 + 8 + len(totals) + 2*len(rec)
	for _, l := range s.Lines {
		p, _ := json.Marshal(l.Product)
		n += len(p)
	}
	return n
}

// BenchmarkCompleteSale is one durable commit of a three-line sale,
// back to back: receipt number, sale, stock of three products and the
// journal record in one transaction, synced in the commit log and then
// committed by Badger (commitlog.go).
func BenchmarkCompleteSale(b *testing.B) { benchCompleteSales(b, benchSaleStore(b)) }

// benchSaleStore opens a store in benchDir with threeLineSale's three
// products in stock for any number of sales.
func benchSaleStore(b *testing.B) *DB {
	b.Helper()
	d := mustOpen(b, benchDir(b))
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		p.Stock = 1 << 30
		if err := d.Put(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

// benchCompleteSales commits b.N three-line sales to d, timed together.
func benchCompleteSales(b *testing.B, d *DB) {
	ctx := context.Background()
	n := saleWriteBytes(b, threeLineSale("size", "K1"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := threeLineSale(fmt.Sprintf("bench-%d", i), "K1")
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "bytes/sale")
}

// benchAppendFile opens a plain file in benchDir to append to, closed
// when the benchmark ends, and a buffer of as many bytes as CompleteSale
// writes for a three-line sale.
func benchAppendFile(b *testing.B) (*os.File, []byte) {
	b.Helper()
	f, err := os.OpenFile(filepath.Join(benchDir(b), "append.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	buf := make([]byte, saleWriteBytes(b, threeLineSale("size", "K1")))
	for i := range buf {
		buf[i] = byte('a' + i%26)
	}
	return f, buf
}

// BenchmarkRawAppendFdatasync is the floor under BenchmarkCompleteSale:
// appending as many bytes to a plain file and fdatasync(2) after each.
func BenchmarkRawAppendFdatasync(b *testing.B) {
	f, buf := benchAppendFile(b)
	n := len(buf)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "bytes/sale")
}

// catalog100k is a closed store holding 100 000 products, built once per
// test binary run and removed by TestMain.
var catalog100k struct {
	once  sync.Once
	dir   string
	gtins []kiosk.GTIN
	err   error
}

const catalogSize = 100_000

func buildCatalog100k(b *testing.B) (string, []kiosk.GTIN) {
	b.Helper()
	c := &catalog100k
	c.once.Do(func() {
		parent := os.Getenv("STORAGE_BENCH_DIR")
		c.dir, c.err = os.MkdirTemp(parent, "storage-catalog100k-")
		if c.err != nil {
			return
		}
		d, err := Open(c.dir, Options{})
		if err != nil {
			c.err = err
			return
		}
		wb := d.bdb.NewWriteBatch()
		for i := 0; i < catalogSize; i++ {
			body := fmt.Sprintf("70%010d", i)
			p := kiosk.Product{
				GTIN: kiosk.MustGTIN(body + string(kiosk.CheckDigit(body))), Name: fmt.Sprintf("Vare %06d", i),
				Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: kiosk.Money(1000 + i%5000), Stock: 50,
			}
			v, err := json.Marshal(p)
			if err == nil {
				err = wb.Set(catKey(p.GTIN), v)
			}
			if err != nil {
				wb.Cancel()
				d.Close()
				c.err = err
				return
			}
			c.gtins = append(c.gtins, p.GTIN)
		}
		if c.err = wb.Flush(); c.err != nil {
			d.Close()
			return
		}
		c.err = d.Close() // closed: the products are in tables on disk
	})
	if c.err != nil {
		b.Fatalf("build the 100k catalog: %v", c.err)
	}
	return c.dir, c.gtins
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{catalog100k.dir, history1M.dir, history100k.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// BenchmarkLookup100k looks up random GTINs in a 100 000-product catalog
// and reports the median and 99th percentile latency of one Lookup.
func BenchmarkLookup100k(b *testing.B) {
	ctx := context.Background()
	dir, gtins := buildCatalog100k(b)
	d := mustOpen(b, dir)
	rng := rand.New(rand.NewPCG(42, 100_000))
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g := gtins[rng.IntN(len(gtins))]
		start := time.Now()
		p, err := d.Lookup(ctx, g)
		lat[i] = time.Since(start)
		if err != nil || p.GTIN != g {
			b.Fatalf("Lookup(%s) = %s, %v", g, p.GTIN, err)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// searchQuery is what a customer typed into the search: of its eleven
// matches ten are at the end of the 100 000-product catalog's order
// ("Vare 099990" on), so a search reads every name.
const searchQuery = "vare 09999"

// searchStore opens the 100 000-product catalog for the search
// benchmarks, their timer reset.
func searchStore(b *testing.B) (context.Context, *DB) {
	dir, _ := buildCatalog100k(b)
	d := mustOpen(b, dir)
	b.ReportAllocs()
	b.ResetTimer()
	return context.Background(), d
}

// BenchmarkSearch100k is the search by name, as kiosk.Checkout.Search
// makes it for each letter typed (at most 20 results, as the screen asks),
// in the 100 000-product catalog:
// FindNames with kiosk.NameMatch's test. Its baseline in the same run,
// BenchmarkSearchList100k, is the search as it was before FindNames.
func BenchmarkSearch100k(b *testing.B) {
	ctx, d := searchStore(b)
	for b.Loop() {
		match, _ := kiosk.NameMatch(searchQuery)
		ps, err := d.FindNames(ctx, match, 20)
		if err != nil || len(ps) != 11 {
			b.Fatalf("FindNames = %d products, %v; want 11", len(ps), err)
		}
	}
}

// BenchmarkSearchList100k is the search before FindNames: the whole
// catalog listed, each name lower-cased and searched for each word.
func BenchmarkSearchList100k(b *testing.B) {
	ctx, d := searchStore(b)
	for b.Loop() {
		words := strings.Fields(strings.ToLower(searchQuery))
		all, err := d.List(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var ps []kiosk.Product
		for _, p := range all {
			name := strings.ToLower(p.Name)
			hit := true
			for _, w := range words {
				if !strings.Contains(name, w) {
					hit = false
					break
				}
			}
			if hit {
				if ps = append(ps, p); len(ps) == 20 {
					break
				}
			}
		}
		if len(ps) != 11 {
			b.Fatalf("the search found %d products; want 11", len(ps))
		}
	}
}

// BenchmarkOpen100k is the cost of Open, which reads and checks every table,
// on the 100 000-product catalog.
func BenchmarkOpen100k(b *testing.B) {
	dir, _ := buildCatalog100k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCatalogMemory100k loads the in-memory catalog of 100 000
// products (the time per op) and reports the Go heap it holds once loaded
// and its cabinet list sorted, as a started kiosk has it: catalog-MiB and
// bytes/product.
func BenchmarkCatalogMemory100k(b *testing.B) {
	ctx := context.Background()
	dir, _ := buildCatalog100k(b)
	d := mustOpen(b, dir)
	heap := func() uint64 {
		runtime.GC()
		s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		rtmetrics.Read(s)
		return s[0].Value.Uint64()
	}
	var held uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d.cat.mu.Lock()
		d.cat.drop()
		d.cat.mu.Unlock()
		before := heap()
		b.StartTimer()
		if err := d.loadCatalog(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := d.Cabinet(ctx); err != nil {
			b.Fatal(err)
		}
		held = heap() - before
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(held)/(1<<20), "catalog-MiB")
	b.ReportMetric(float64(held)/catalogSize, "bytes/product")
}
