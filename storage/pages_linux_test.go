//go:build linux

package storage

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// residentTables returns the resident bytes of each mapping of a table
// file in dir, by start address, from /proc/self/smaps.
func residentTables(tb testing.TB, dir string) map[uint64]int {
	tb.Helper()
	dir = mustResolve(tb, dir)
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	out := map[uint64]int{}
	var cur *mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m, ok := parseMapping(line); ok && !strings.HasSuffix(strings.Fields(line)[0], ":") {
			cur = nil
			if _, isTable := tableFileID(filepath.Base(m.path)); isTable && filepath.Dir(m.path) == dir {
				cur = &m
			}
			continue
		}
		if v, ok := strings.CutPrefix(line, "Rss:"); ok && cur != nil {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				tb.Fatalf("smaps: %q: %v", line, err)
			}
			out[cur.start] += kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func sumResident(m map[uint64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func mustResolve(tb testing.TB, dir string) string {
	tb.Helper()
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return abs
}

// catalogTable makes a store in dir whose catalog of n products is one
// table file of a few MiB (the memtable flushed by Close), and returns
// that file's path.
func catalogTable(t *testing.T, dir string, n int) string {
	t.Helper()
	d := mustOpen(t, dir)
	ps := make([]kiosk.Product, n)
	for i := range ps {
		ps[i] = kiosk.Product{GTIN: mkGTIN(fmt.Sprintf("7%011d", i)), Name: fmt.Sprintf("Product %06d with a name of some length", i),
			Group: kiosk.GroupOther, VAT: kiosk.VAT25, Price: kiosk.Money(1000 + i)} // no stock: no movements, the catalog alone
	}
	if err := d.ImportProducts(context.Background(), ps); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	tables := filesLike(t, dir, ".sst")
	if len(tables) != 1 {
		t.Fatalf("%d table files, want 1: %v", len(tables), tables)
	}
	return tables[0]
}

// touchCatalog reads every catalog value through Badger, as loadCatalog
// does, without releasing anything.
func touchCatalog(t *testing.T, d *DB) int {
	t.Helper()
	n := 0
	err := d.view(context.Background(), func(txn *badger.Txn) error {
		return d.scanPrefix(txn, []byte(prefCat), func(k, v []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// releasedBound is what may stay resident of the tables after a release:
// nothing reads them between the release and the look, but allow a few
// pages.
const releasedBound = 64 << 10

// TestOpenReleasesTablePages: after Open (every index read, the catalog
// loaded in full) the store holds none of its table pages resident; a read
// through Badger makes them resident again (so the measure sees them), and
// the data reads the same after a release.
func TestOpenReleasesTablePages(t *testing.T) {
	dir := t.TempDir()
	const n = 15000
	catalogTable(t, dir, n)
	d := mustOpen(t, dir)
	d.pages.background.Wait() // Open releases in the background
	if got := sumResident(residentTables(t, dir)); got > releasedBound {
		t.Errorf("after Open %d KiB of table pages resident, want at most %d", got>>10, releasedBound>>10)
	}
	if got := touchCatalog(t, d); got != n {
		t.Fatalf("read %d products, want %d", got, n)
	}
	touched := sumResident(residentTables(t, dir))
	if touched < 1<<20 {
		t.Fatalf("after reading the catalog through Badger only %d KiB of table pages resident; the measure does not see them", touched>>10)
	}
	d.releaseTablePagesNow()
	if got := sumResident(residentTables(t, dir)); got > releasedBound {
		t.Errorf("after a release %d KiB of table pages resident (%d KiB before), want at most %d", got>>10, touched>>10, releasedBound>>10)
	}
	// The data reads back the same through released pages.
	if got := touchCatalog(t, d); got != n {
		t.Fatalf("after a release read %d products, want %d", got, n)
	}
	g := mkGTIN(fmt.Sprintf("7%011d", 1234))
	d.cat.mu.Lock()
	d.cat.valid = false // the next catalog call reloads from the tables
	d.cat.mu.Unlock()
	p, err := d.Lookup(context.Background(), g)
	if err != nil || p.Price != 1000+1234 {
		t.Fatalf("Lookup after a release: %+v, %v", p, err)
	}
	if got := sumResident(residentTables(t, dir)); got > releasedBound {
		t.Errorf("after a catalog reload %d KiB of table pages resident, want at most %d", got>>10, releasedBound>>10)
	}
}

// TestReleaseLeavesTablesMappedTwice: a table file mapped elsewhere in the
// process as well is left alone, since which mapping is Badger's is not
// known.
func TestReleaseLeavesTablesMappedTwice(t *testing.T) {
	dir := t.TempDir()
	path := catalogTable(t, dir, 15000)
	d := mustOpen(t, dir)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(data)
	sum := 0
	for i := 0; i < len(data); i += 4096 {
		sum += int(data[i])
	}
	_ = sum
	touchCatalog(t, d)
	before := residentTables(t, dir)
	d.releaseTablePagesNow()
	after := residentTables(t, dir)
	for start, rss := range before {
		if after[start] != rss {
			t.Errorf("mapping at %#x: %d KiB resident before the release, %d KiB after; want it left alone", start, rss>>10, after[start]>>10)
		}
	}
	if len(before) != 2 {
		t.Errorf("%d mappings of the table, want 2 (Badger's and the test's)", len(before))
	}
}

// TestWriteReleasesAfterTablesChange: a write releases the table pages
// when Badger's tables changed since the last release (a flush or a
// compaction wrote new tables through their mappings), and only then.
func TestWriteReleasesAfterTablesChange(t *testing.T) {
	dir := t.TempDir()
	catalogTable(t, dir, 15000)
	d := mustOpen(t, dir)
	ctx := context.Background()
	touchCatalog(t, d)
	touched := sumResident(residentTables(t, dir))
	done := d.pages.done
	if err := d.Put(ctx, pWater); err != nil {
		t.Fatal(err)
	}
	d.pages.background.Wait()
	if got := sumResident(residentTables(t, dir)); d.pages.done != done || got < touched/2 {
		t.Fatalf("a write with the tables unchanged released them: %d releases, %d KiB resident of %d", d.pages.done-done, got>>10, touched>>10)
	}
	d.pages.mu.Lock()
	d.pages.levels = nil // as if a flush had changed the levels
	d.pages.mu.Unlock()
	if err := d.Put(ctx, pSnus); err != nil {
		t.Fatal(err)
	}
	d.pages.background.Wait()
	if got := sumResident(residentTables(t, dir)); d.pages.done != done+1 || got > releasedBound {
		t.Errorf("after the tables changed a write made %d releases, %d KiB resident; want 1 and at most %d", d.pages.done-done, got>>10, releasedBound>>10)
	}
}

// TestLongScanReleases: a Scan of scanReleaseAfter records or more
// releases the table pages it read; readRaw alone leaves them
// resident.
func TestLongScanReleases(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	ctx := context.Background()
	const n = (scanReleaseAfter/200 + 1) * 200 // whole commits, more than scanReleaseAfter
	text := strings.Repeat("x", 400)
	for i := 0; i < n; i += 200 { // 200 records a commit: one fsync each
		err := d.update(ctx, "append", func(txn *badger.Txn) error {
			for j := 0; j < 200; j++ {
				if _, err := appendRecord(txn, kiosk.Entry{Code: kiosk.CodeOther, Time: t0, Kiosk: "K1", Text: text}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir)
	for from := uint64(1); from <= n; from += scanBatch {
		if _, _, err := d.readRaw(ctx, from, scanBatch); err != nil {
			t.Fatal(err)
		}
	}
	touched := sumResident(residentTables(t, dir))
	if touched < 1<<20 {
		t.Fatalf("after reading the journal only %d KiB of table pages resident; the measure does not see them", touched>>10)
	}
	d.releaseTablePagesNow()
	seen := 0
	if err := d.Scan(ctx, 1, func(kiosk.Record) error { seen++; return nil }); err != nil {
		t.Fatal(err)
	}
	if seen != n {
		t.Fatalf("scanned %d records, want %d", seen, n)
	}
	d.pages.background.Wait() // the scan's last release is in the background
	if got := sumResident(residentTables(t, dir)); got > releasedBound {
		t.Errorf("after a scan of %d records %d KiB of table pages resident (%d KiB read without a release), want at most %d", n, got>>10, touched>>10, releasedBound>>10)
	}
}
