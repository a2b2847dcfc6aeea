package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var (
	t0 = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

	pCigs  = kiosk.Product{GTIN: mkGTIN("704100000001"), Name: "Marlboro Gold", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 16200, MinAge: 18, Cabinet: true, Stock: 1000}
	pSnus  = kiosk.Product{GTIN: mkGTIN("704100000002"), Name: "Røde Mix", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 13500, MinAge: 18, Cabinet: true, Stock: 1000}
	pWater = kiosk.Product{GTIN: mkGTIN("704100000003"), Name: "Farris 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 2990, Stock: 1000}
)

func mkGTIN(body string) kiosk.GTIN { return kiosk.MustGTIN(body + string(kiosk.CheckDigit(body))) }

// mustOpen opens dir for a test; remembered tables on levels 0 and 1,
// where a test store keeps everything, get the short check too
// (Options.shortTop), as on a store with a history.
func mustOpen(tb testing.TB, dir string) *DB {
	tb.Helper()
	d, err := Open(dir, Options{shortTop: true})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	d.SetSigner(&kiosktest.Signer{}, testZone)
	return d
}

// testZone is the signatures' time zone in the tests.
var testZone = func() *time.Location {
	l, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		panic(err)
	}
	return l
}()

func TestCatalogConformance(t *testing.T) {
	kiosktest.TestCatalog(t, func(t *testing.T) kiosk.Catalog { return mustOpen(t, t.TempDir()) })
}

func TestSaleStoreConformance(t *testing.T) {
	kiosktest.TestSaleStore(t, func(t *testing.T) kiosktest.StoreUnderTest {
		d := mustOpen(t, t.TempDir())
		return kiosktest.StoreUnderTest{Catalog: d, Sales: d, Journal: d, SetSigner: d.SetSigner}
	})
}

func TestReportStoreConformance(t *testing.T) {
	kiosktest.TestReportStore(t, func(t *testing.T) kiosktest.ReportUnderTest {
		d := mustOpen(t, t.TempDir())
		return kiosktest.ReportUnderTest{StoreUnderTest: kiosktest.StoreUnderTest{Catalog: d, Sales: d, Journal: d}, Reports: d}
	})
}

func TestJournalConformance(t *testing.T) {
	kiosktest.TestJournal(t, func(t *testing.T) kiosk.Journal { return mustOpen(t, t.TempDir()) })
}

// threeLineSale is a sale of one of each test product.
func threeLineSale(id, kioskID string) kiosk.Sale {
	return lineSale(id, kioskID, []kiosk.Line{{Product: pCigs, Qty: 1}, {Product: pSnus, Qty: 2}, {Product: pWater, Qty: 1}})
}

// lineSale is a card sale of lines, completed a minute after t0.
func lineSale(id, kioskID string, lines []kiosk.Line) kiosk.Sale {
	b := kiosk.Basket{Lines: lines}
	p := kiosk.PendingSale{ID: id, Kiosk: kioskID, Started: t0, Lines: lines, Amount: b.Total(), State: kiosk.PendingApproved, Attempt: 1,
		Result: &kiosk.PaymentResult{Approved: true, Code: "00", Amount: b.Total(), CardType: "BankAxept", MaskedPAN: "************0042", Trace: "000123", TerminalID: "T1", Time: t0}}
	return kiosk.NewSale(p, t0.Add(time.Minute))
}

func receiptEntry(s kiosk.Sale) kiosk.Entry {
	return kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: s.Kiosk, SaleID: s.ID, Amount: s.Total}
}

// fill puts products, completed sales, a pending sale and journal entries
// into d, and returns the number of journal records.
func fill(t testing.TB, d *DB) int {
	t.Helper()
	ctx := context.Background()
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	records := 0
	if _, err := d.Append(ctx, kiosk.Entry{Code: kiosk.CodePOSStart, Time: t0, Kiosk: "K1"}); err != nil {
		t.Fatal(err)
	}
	records++
	for i := 0; i < 5; i++ {
		s := threeLineSale(fmt.Sprintf("sale-%d", i), "K1")
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			t.Fatal(err)
		}
		records++
	}
	p := kiosk.PendingSale{ID: "open-1", Kiosk: "K1", Started: t0, State: kiosk.PendingIntent, Attempt: 1, Amount: 2990,
		Lines: []kiosk.Line{{Product: pWater, Qty: 1}}}
	if err := d.SavePending(ctx, p, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: t0, SaleID: p.ID}); err != nil {
		t.Fatal(err)
	}
	return records + 1
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	records := fill(t, d)
	wantList, _ := d.List(ctx)
	wantPending, _ := d.Pending(ctx)
	wantSale, _ := d.Sale(ctx, "K1", 3)
	wantHead, _ := d.Head(ctx)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	d = mustOpen(t, dir)
	sameValue(t, "List", must(d.List(ctx)), wantList)
	sameValue(t, "Pending", must(d.Pending(ctx)), wantPending)
	sameValue(t, "Sale(3)", must(d.Sale(ctx, "K1", 3)), wantSale)
	head := must(d.Head(ctx))
	if head.Seq != uint64(records) || head.Hash != wantHead.Hash {
		t.Errorf("Head after reopen = record %d %s, want %d %s", head.Seq, head.Hash, records, wantHead.Hash)
	}
	if p := must(d.Lookup(ctx, pSnus.GTIN)); p.Stock != pSnus.Stock-10 {
		t.Errorf("stock after reopen = %d, want %d", p.Stock, pSnus.Stock-10)
	}
	// Numbering goes on where it stopped.
	s := threeLineSale("after-reopen", "K1")
	got, err := d.CompleteSale(ctx, s, receiptEntry(s))
	if err != nil || got.No != 6 {
		t.Errorf("first sale after reopen = receipt %d, %v; want 6", got.No, err)
	}
	sum, err := kiosk.VerifyJournal(ctx, d)
	if err != nil || sum.Records != uint64(records)+1 {
		t.Errorf("VerifyJournal after reopen = %d records, %v; want %d", sum.Records, err, records+1)
	}
}

func TestCloseIsIdempotentAndFinal(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	for i := 0; i < 3; i++ {
		if err := d.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	s := threeLineSale("late", "K1")
	calls := map[string]error{
		"Lookup":       second(d.Lookup(ctx, pCigs.GTIN)),
		"List":         second(d.List(ctx)),
		"Cabinet":      second(d.Cabinet(ctx)),
		"Put":          d.Put(ctx, pCigs),
		"SavePending":  d.SavePending(ctx, kiosk.PendingSale{ID: "x"}, kiosk.Entry{}),
		"Pending":      second(d.Pending(ctx)),
		"CompleteSale": second(d.CompleteSale(ctx, s, receiptEntry(s))),
		"VoidPending":  d.VoidPending(ctx, "x", kiosk.Entry{}),
		"Sale":         second(d.Sale(ctx, "K1", 1)),
		"Append":       second(d.Append(ctx, kiosk.Entry{})),
		"Scan":         d.Scan(ctx, 1, func(kiosk.Record) error { return nil }),
		"Head":         second(d.Head(ctx)),
	}
	for name, err := range calls {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", name, err)
		}
	}
}

// A write that Badger refuses half-way leaves nothing behind: here the
// journal entry is too big for one transaction, after the sale, counter and
// stock were already set in it.
func TestCompleteSaleIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	records := fill(t, d)
	// Every value stays below the value threshold (so in the transaction),
	// and together they pass Badger's largest batch.
	var lines []kiosk.Line
	for len(lines) < 1200 {
		lines = append(lines, kiosk.Line{Product: pCigs, Qty: 1})
	}
	s := lineSale("huge", "K1", lines)
	e := receiptEntry(s)
	e.Text = strings.Repeat("x", 110<<10)
	saleJSON, _ := json.Marshal(s)
	tx := kiosk.NewCashTx(s) // the record holds the sale in full
	e.Tx = &tx
	rec, _ := kiosk.Seal(kiosk.Record{}, e)
	e.Tx = nil
	recJSON, _ := rec.Encode()
	o := badgerOptions(t.TempDir(), nil)
	if int64(len(saleJSON)) >= o.ValueThreshold || int64(len(recJSON)) >= o.ValueThreshold ||
		int64(len(saleJSON)+2*len(recJSON)) <= o.MemTableSize*15/100 {
		t.Fatalf("sale of %d bytes and record of %d do not make a transaction too big", len(saleJSON), len(recJSON))
	}
	if _, err := d.CompleteSale(ctx, s, e); !errors.Is(err, badger.ErrTxnTooBig) {
		t.Fatalf("CompleteSale with a huge entry: err = %v, want ErrTxnTooBig", err)
	}
	if _, err := d.Sale(ctx, "K1", 6); !errors.Is(err, kiosk.ErrNotFound) {
		t.Errorf("Sale(6) after the failed write: %v, want ErrNotFound", err)
	}
	if p := must(d.Lookup(ctx, pSnus.GTIN)); p.Stock != pSnus.Stock-10 {
		t.Errorf("stock after the failed write = %d, want %d", p.Stock, pSnus.Stock-10)
	}
	if h := must(d.Head(ctx)); h.Seq != uint64(records) {
		t.Errorf("journal head after the failed write = %d, want %d", h.Seq, records)
	}
	e.Text = ""
	if got, err := d.CompleteSale(ctx, s, e); err != nil || got.No != 6 {
		t.Errorf("retry = receipt %d, %v; want 6", got.No, err)
	}
}

func TestConcurrentCompleteSale(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	const workers, perWorker = 4, 25
	nos := make(chan uint64, workers*perWorker)
	errs := make(chan error, workers*perWorker*2)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				s := threeLineSale(fmt.Sprintf("w%d-%d", w, i), "K1")
				got, err := d.CompleteSale(ctx, s, receiptEntry(s))
				if err != nil {
					errs <- err
					continue
				}
				nos <- got.No
				// Journal appends race with the sales for the head.
				if _, err := d.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubCabinetLock, Time: t0, SaleID: s.ID}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(nos)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var got []uint64
	for n := range nos {
		got = append(got, n)
	}
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	for i, n := range got {
		if n != uint64(i+1) {
			t.Fatalf("receipt numbers are not 1..%d without gaps or repeats: %v", workers*perWorker, got)
		}
	}
	if len(got) != workers*perWorker {
		t.Fatalf("%d sales completed, want %d", len(got), workers*perWorker)
	}
	sum, err := kiosk.VerifyJournal(ctx, d)
	if err != nil || sum.Records != 2*workers*perWorker {
		t.Errorf("VerifyJournal = %d records, %v; want %d", sum.Records, err, 2*workers*perWorker)
	}
	if p := must(d.Lookup(ctx, pSnus.GTIN)); p.Stock != pSnus.Stock-2*workers*perWorker {
		t.Errorf("stock = %d, want %d", p.Stock, pSnus.Stock-2*workers*perWorker)
	}
}

func TestOpenGivesBadgerLogsToTheLogger(t *testing.T) {
	var buf syncBuffer
	d, err := Open(t.TempDir(), Options{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "component=badger") {
		t.Errorf("the logger got no Badger message; got %q", buf.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// — the journal's chain catches edits made behind the store's back —

func TestTamperedJournalFailsVerification(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper func(t *testing.T, txn *badger.Txn)
		want   error
		says   string
	}{
		{"middle record's amount edited", func(t *testing.T, txn *badger.Txn) {
			r := rawRecord(t, txn, 3)
			r.Amount += 100
			putRecord(t, txn, jrnlKey(3), r)
		}, kiosk.ErrChainBroken, "record 3 was altered"},
		{"middle record edited and resealed", func(t *testing.T, txn *badger.Txn) {
			r := rawRecord(t, txn, 3)
			r.Amount += 100
			r, err := kiosk.Seal(rawRecord(t, txn, 2), r.Entry)
			if err != nil {
				t.Fatal(err)
			}
			putRecord(t, txn, jrnlKey(3), r)
		}, kiosk.ErrChainBroken, "record 4 does not link to record 3"},
		{"middle record deleted", func(t *testing.T, txn *badger.Txn) {
			if err := txn.Delete(jrnlKey(3)); err != nil {
				t.Fatal(err)
			}
		}, kiosk.ErrChainBroken, "record 4 follows record 2"},
		{"last record deleted", func(t *testing.T, txn *badger.Txn) {
			if err := txn.Delete(jrnlKey(7)); err != nil {
				t.Fatal(err)
			}
		}, kiosk.ErrChainBroken, "head says record 7, the chain ends at record 6"},
		{"last record and head rolled back", func(t *testing.T, txn *badger.Txn) {
			// Deleting the last record and pointing the head at the one
			// before is undetectable from inside: the chain is a valid
			// shorter journal. What is caught is a head that does not
			// match.
			putRecord(t, txn, []byte(keyHead), rawRecord(t, txn, 5))
		}, kiosk.ErrChainBroken, "head says record 5, the chain ends at record 7"},
		{"record bytes garbled", func(t *testing.T, txn *badger.Txn) {
			if err := txn.Set(jrnlKey(2), []byte("{not json")); err != nil {
				t.Fatal(err)
			}
		}, kiosk.ErrCorruptRecord, "after record 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustOpen(t, t.TempDir())
			if n := fill(t, d); n != 7 {
				t.Fatalf("fill made %d records; the cases assume 7", n)
			}
			if _, err := kiosk.VerifyJournal(ctx, d); err != nil {
				t.Fatalf("VerifyJournal before tampering: %v", err)
			}
			err := d.bdb.Update(func(txn *badger.Txn) error { tt.tamper(t, txn); return nil })
			if err != nil {
				t.Fatal(err)
			}
			_, err = kiosk.VerifyJournal(ctx, d)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("VerifyJournal after tampering: %v; want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

func rawRecord(t *testing.T, txn *badger.Txn, seq uint64) kiosk.Record {
	t.Helper()
	b, err := getRaw(txn, jrnlKey(seq))
	if err != nil || b == nil {
		t.Fatalf("read record %d: %v", seq, err)
	}
	r, err := kiosk.DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func putRecord(t *testing.T, txn *badger.Txn, key []byte, r kiosk.Record) {
	t.Helper()
	b, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Set(key, b); err != nil {
		t.Fatal(err)
	}
}

// — opening a data dir that cannot be used —

func TestOpenUnusableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
	}{
		{"empty path", ""},
		{"a file", file},
		{"under a file", filepath.Join(file, "data")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(tt.dir, Options{})
			if err == nil {
				d.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrCorrupt) {
				t.Errorf("Open: %v; want ErrUnavailable", err)
			}
		})
	}
}

func TestOpenWithoutPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may read and write any dir")
	}
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d)
	d.Close()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Open of a read-only dir: %v; want ErrUnavailable", err)
	}
}

func TestOpenInUse(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrInUse) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("second Open: %v; want ErrInUse and ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Errorf("the error does not say the dir is in use: %v", err)
	}
	d.Close()
	mustOpen(t, dir)
}

// TestOpenInUseByAnotherProcess runs this test binary again as a helper
// that holds the store open until its stdin closes.
func TestOpenInUseByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldStore$")
	cmd.Env = append(os.Environ(), "STORAGE_TEST_HOLD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	_, openErr := Open(dir, Options{})
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("helper: %v", err)
	}
	if !errors.Is(openErr, ErrInUse) {
		t.Errorf("Open while another process has the store: %v; want ErrInUse", openErr)
	}
	mustOpen(t, dir)
}

func TestHelperHoldStore(t *testing.T) {
	dir := os.Getenv("STORAGE_TEST_HOLD")
	if dir == "" {
		t.Skip("helper process for TestOpenInUseByAnotherProcess")
	}
	d, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	if err := d.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close:", err)
		os.Exit(3)
	}
}

// storeFiles makes a store with data in a new dir and returns the dir. With
// crashed set, the files are copied while the store is open, as a power cut
// would leave them: the newest data only in the memtable log (.mem).
// Otherwise the store is closed, which flushes everything into tables.
func storeFiles(t *testing.T, crashed bool) string {
	t.Helper()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d)
	if !crashed {
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	image := crashImage(t, dir)
	d.Close()
	return image
}

// filesLike returns the files in dir whose names end in suffix (or equal
// it); it fails the test if there are none, so no case tests nothing.
func filesLike(t *testing.T, dir, suffix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s file in %s", suffix, dir)
	}
	return out
}

func TestCrashImageReopens(t *testing.T) {
	ctx := context.Background()
	dir := storeFiles(t, true)
	filesLike(t, dir, ".mem")
	d := mustOpen(t, dir)
	sum, err := kiosk.VerifyJournal(ctx, d)
	if err != nil || sum.Records != 7 {
		t.Errorf("VerifyJournal of the crash image = %d records, %v; want 7", sum.Records, err)
	}
	if s, err := d.Sale(ctx, "K1", 5); err != nil || s.ID != "sale-4" {
		t.Errorf("Sale(5) = %s, %v; want sale-4", s.ID, err)
	}
}

func TestOpenCorruptDir(t *testing.T) {
	type damage func(t *testing.T, path string)
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := func(t *testing.T, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, fi.Size())
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// flip overwrites n bytes at fraction at of the file with their
	// complement.
	flip := func(at float64, n int) damage {
		return func(t *testing.T, path string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			off := int(float64(len(b)) * at)
			for i := off; i < off+n && i < len(b); i++ {
				b[i] = ^b[i]
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	truncate := func(frac float64) damage {
		return func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, int64(float64(fi.Size())*frac)); err != nil {
				t.Fatal(err)
			}
		}
	}
	remove := func(t *testing.T, path string) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		crashed bool
		file    string // name or suffix
		damage  damage
	}{
		{"MANIFEST garbage", false, "MANIFEST", garbage},
		{"MANIFEST bytes flipped", false, "MANIFEST", flip(0.6, 4)},
		{"MANIFEST empty", false, "MANIFEST", truncate(0)},
		{"MANIFEST cut to its magic", false, "MANIFEST", func(t *testing.T, p string) { os.Truncate(p, 8) }},
		{"MANIFEST deleted", false, "MANIFEST", remove},
		{"table garbage", false, ".sst", garbage},
		{"table bytes flipped in a block", false, ".sst", flip(0.25, 8)},
		{"table bytes flipped in the index", false, ".sst", flip(0.97, 8)},
		{"table head garbled", false, ".sst", flip(0, 16)},
		{"table footer garbled", false, ".sst", func(t *testing.T, p string) {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			flip(float64(fi.Size()-4)/float64(fi.Size()), 4)(t, p)
		}},
		{"table cut in half", false, ".sst", truncate(0.5)},
		{"table empty", false, ".sst", truncate(0)},
		{"table deleted", false, ".sst", remove},
		{"value log garbage", false, ".vlog", garbage},
		{"value log empty", false, ".vlog", truncate(0)},
		{"memtable log garbage", true, ".mem", garbage},
		{"memtable log empty", true, ".mem", truncate(0)},
		{"key registry garbage", false, "KEYREGISTRY", garbage},
		{"key registry empty", false, "KEYREGISTRY", truncate(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := storeFiles(t, tt.crashed)
			for _, f := range filesLike(t, dir, tt.file) {
				tt.damage(t, f)
			}
			d, err := Open(dir, Options{})
			if err == nil {
				d.Close()
				t.Fatal("Open of a damaged store succeeded")
			}
			if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrUnavailable) {
				t.Errorf("Open: %v; want ErrCorrupt", err)
			}
			if !strings.HasPrefix(err.Error(), "storage: open "+dir+": ") {
				t.Errorf("the error does not name the dir: %v", err)
			}
			if len(err.Error()) > 600 {
				t.Errorf("the error is %d bytes long (Badger's debug dump?): %.600s", len(err.Error()), err)
			}
			t.Logf("%v", err)
		})
	}
}

func TestOpenSchema(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(txn *badger.Txn) error
		want   error
	}{
		{"from a newer program", func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte("2")) }, ErrUnavailable},
		{"garbled", func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte("one")) }, ErrCorrupt},
		{"missing from a store with data", func(txn *badger.Txn) error { return txn.Delete([]byte(keySchema)) }, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := mustOpen(t, dir)
			fill(t, d)
			if err := d.bdb.Update(tt.tamper); err != nil {
				t.Fatal(err)
			}
			d.Close()
			d2, err := Open(dir, Options{})
			if err == nil {
				d2.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open: %v; want %v", err, tt.want)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func second[T any](_ T, err error) error { return err }

func sameValue(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestPendingAfterOpenSeesEveryWrite: the first Pending after Open may
// take the answer read while Open loaded the catalog; a pending sale
// saved, voided or completed after that read must still show, each
// write's own way.
func TestPendingAfterOpenSeesEveryWrite(t *testing.T) {
	ctx := context.Background()
	second := kiosk.PendingSale{ID: "open-2", Kiosk: "K1", Started: t0.Add(time.Minute), State: kiosk.PendingIntent,
		Attempt: 1, Amount: 2990, Lines: []kiosk.Line{{Product: pWater, Qty: 1}}}
	intent := func(id string) kiosk.Entry {
		return kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: t0, SaleID: id}
	}
	tests := []struct {
		name  string
		write func(d *DB) error
		want  []string
	}{
		{"nothing written", func(*DB) error { return nil }, []string{"open-1"}},
		{"one saved", func(d *DB) error { return d.SavePending(ctx, second, intent(second.ID)) }, []string{"open-1", "open-2"}},
		{"one voided", func(d *DB) error { return d.VoidPending(ctx, "open-1", intent("open-1")) }, nil},
		{"one completed", func(d *DB) error {
			s := lineSale("open-1", "K1", []kiosk.Line{{Product: pWater, Qty: 1}})
			_, err := d.CompleteSale(ctx, s, receiptEntry(s))
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := mustOpen(t, dir)
			fill(t, d) // one pending sale, open-1
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			d = mustOpen(t, dir)
			r := d.pendEarly.Load()
			if r == nil {
				t.Fatal("Open read no pending sales early")
			}
			<-r.done // the early answer is read before the write
			if err := tt.write(d); err != nil {
				t.Fatal(err)
			}
			ps, err := d.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Pending = %v; want %v", got, tt.want)
			}
		})
	}
}
