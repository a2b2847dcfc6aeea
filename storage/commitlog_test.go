package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// logBytes lays records out as the commit log does: each at a slot, of
// payload size n (n ops of one byte key and value).
type placed struct {
	slot int
	seq  uint64
	size int  // payload bytes
	torn bool // the CRC fails
}

func mustLog(tb testing.TB, recs ...placed) []byte {
	tb.Helper()
	b := make([]byte, logSize)
	for _, r := range recs {
		var p payload
		for p.len() < r.size {
			p.add(opSet, []byte(fmt.Sprintf("k%d", p.n)), []byte("v"))
		}
		rec := encodeRecord(nil, r.seq, p.p)
		if r.torn {
			rec[len(rec)-1] ^= 0xFF
		}
		copy(b[r.slot*logSlot:], rec)
	}
	return b
}

func (b *payload) len() int { return len(b.p) }

func TestParseCommitLog(t *testing.T) {
	badPayload := mustLog(t)
	copy(badPayload, encodeRecord(nil, 6, []byte{opSet, 5, 'k'}))
	for _, tc := range []struct {
		name    string
		log     []byte
		applied uint64
		want    []uint64 // the records to apply
		gap     bool
		corrupt bool
	}{
		{name: "no file", log: nil, applied: 7},
		{name: "zeros", log: make([]byte, logSize), applied: 7},
		{name: "all applied", log: mustLog(t, placed{0, 1, 10, false}, placed{1, 2, 10, false}), applied: 2},
		{name: "the last commit", log: mustLog(t, placed{0, 1, 10, false}, placed{1, 2, 10, false}), applied: 1, want: []uint64{2}},
		{name: "on a new store", log: mustLog(t, placed{0, 1, 10, false}, placed{1, 2, 10, false}), applied: 0, want: []uint64{1, 2}},
		{name: "a torn last record is not applied", log: mustLog(t, placed{0, 5, 10, false}, placed{1, 6, 10, true}), applied: 5},
		{name: "a record over two slots", log: mustLog(t, placed{0, 5, 5000, false}, placed{2, 6, 10, false}), applied: 4, want: []uint64{5, 6}},
		{name: "old records behind the chain", log: mustLog(t, placed{0, 10, 10, false}, placed{1, 11, 10, false}, placed{2, 4, 10, false}, placed{3, 5, 10, false}), applied: 10, want: []uint64{11}},
		{name: "a damaged old record", log: mustLog(t, placed{0, 10, 10, true}, placed{1, 4, 10, false}), applied: 10},
		{name: "damage before a record the store lacks", log: mustLog(t, placed{0, 5, 10, false}, placed{1, 6, 10, true}, placed{2, 7, 10, false}), applied: 5, corrupt: true},
		{name: "the first slot damaged", log: mustLog(t, placed{0, 6, 10, true}, placed{1, 7, 10, false}), applied: 5, corrupt: true},
		{name: "a gap", log: mustLog(t, placed{0, 19, 10, false}, placed{1, 20, 10, false}, placed{2, 4, 10, false}), applied: 8, gap: true},
		{name: "writes that do not decode", log: badPayload, applied: 5, corrupt: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			apply, gap, err := parseCommitLog(tc.log, tc.applied)
			if tc.corrupt != (err != nil) || err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v; want corrupt %v", err, tc.corrupt)
			}
			if tc.gap != (gap != "") {
				t.Fatalf("gap = %q; want one: %v", gap, tc.gap)
			}
			var got []uint64
			for _, r := range apply {
				got = append(got, r.Seq)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("apply %v; want %v", got, tc.want)
			}
		})
	}
}

// TestPayloadStoresARepeatedValueOnce: the journal record, written under
// its number and as the head, is in the record once, and reads back as
// two sets.
func TestPayloadStoresARepeatedValueOnce(t *testing.T) {
	long := bytes.Repeat([]byte("record "), 40)
	var p payload
	p.add(opSet, []byte("jrnl/1"), long)
	p.add(opDel, []byte("pend/x"), nil)
	p.add(opSet, []byte("short"), []byte("1"))
	p.add(opSet, []byte("meta/head"), long)
	if len(p.p) > len(long)+60 {
		t.Errorf("payload of %d bytes: the %d-byte value is in it twice", len(p.p), len(long))
	}
	var got []string
	err := eachOp(p.p, func(op byte, k, v []byte) error {
		got = append(got, fmt.Sprintf("%d %s %d", op, k, len(v)))
		return nil
	})
	want := fmt.Sprintf("[1 jrnl/1 %d 2 pend/x 0 1 short 1 1 meta/head %d]", len(long), len(long))
	if err != nil || fmt.Sprint(got) != want {
		t.Errorf("eachOp = %v, %v; want %s", got, err, want)
	}
}

// withLog copies the commit log (and the anchor) of the live store in
// dir into image: a store whose Badger files are older than its log, as
// a power cut between a commit's record and Badger's commit leaves it.
func withLog(t *testing.T, dir, image string) {
	t.Helper()
	copyFiles(t, dir, image, CommitLogFile, AnchorFile)
}

// TestCommitLogAppliesWhatBadgerLacks: the power goes after a sale's
// record is in the log (the sale acknowledged) and before Badger has it.
// Open applies it: the sale, its stock and its journal record are there.
func TestCommitLogAppliesWhatBadgerLacks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "a", 3)
	if err := d.settleCommits(); err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir) // Badger with three sales
	sales(t, d, "b", 1)
	head, err := d.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	control := crashImage(t, image) // a copy
	withLog(t, dir, image)

	// Without the record (the log as it was before the sale), the store
	// has three sales: the test can fail.
	c, err := Open(control, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Head(ctx); err != nil || got.Seq != head.Seq-1 {
		t.Fatalf("control head %d, %v; want %d", got.Seq, err, head.Seq-1)
	}
	c.Close()

	d2, err := Open(image, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer d2.Close()
	if got, err := d2.Head(ctx); err != nil || got.Seq != head.Seq || got.Hash != head.Hash {
		t.Errorf("head after Open = %d %s, %v; want %d %s", got.Seq, short(got.Hash), err, head.Seq, short(head.Hash))
	}
	if sum, err := kiosk.VerifyJournal(ctx, d2); err != nil || sum.Records != head.Seq {
		t.Errorf("VerifyJournal = %d records, %v; want %d", sum.Records, err, head.Seq)
	}
	s, err := d2.Sale(ctx, "K1", 4)
	if err != nil || s.ID != "b-0" {
		t.Errorf("receipt 4 = %q, %v; want the sale acknowledged last", s.ID, err)
	}
	if p, err := d2.Lookup(ctx, pWater.GTIN); err != nil || p.Stock != pWater.Stock-4 {
		t.Errorf("water's stock %d, %v; want %d (one a sale)", p.Stock, err, pWater.Stock-4)
	}
}

// TestCommitLogRestoresWhatBadgerLost is the case again (20
// sales, a kill -9, 16 flipped bytes in the middle of Badger's memtable
// log, which Badger replays only up to the damage): the commit log still
// holds the commits Badger dropped, and Open applies them. Without it
// the anchor refuses the store (TestCorruptMemtableLogIsNotSilent).
func TestCommitLogRestoresWhatBadgerLost(t *testing.T) {
	ctx := context.Background()
	image, head := rottenMemtableImage(t)
	control := crashImage(t, image) // a copy
	if err := os.Remove(filepath.Join(control, CommitLogFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(control, Options{}); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open without the commit log = %v; want ErrRolledBack (Badger lost commits)", err)
	}

	d2, err := Open(image, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer d2.Close()
	if sum, err := kiosk.VerifyJournal(ctx, d2); err != nil || sum.Records != head.Seq {
		t.Errorf("VerifyJournal = %d records, %v; want %d", sum.Records, err, head.Seq)
	}
	for no := uint64(1); no <= 20; no++ {
		if s, err := d2.Sale(ctx, "K1", no); err != nil || s.ID != fmt.Sprintf("sale-%d", no-1) {
			t.Errorf("receipt %d = %q, %v", no, s.ID, err)
		}
	}
}

// TestCommitLogGapIsRolledBack: Badger's files are older than the oldest
// commit the log still holds (a data dir restored from an older copy, a
// loss longer than the log): Open refuses the store as rolled back; the
// technician's OpenRolledBack and AcceptRollback clear it, journaled.
func TestCommitLogGapIsRolledBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "a", 5)
	if err := d.settleCommits(); err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir)
	sales(t, d, "b", 10)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir) // the log starts again at its first slot
	sales(t, d, "c", 3)
	withLog(t, dir, image)

	_, err := Open(image, Options{})
	if !errors.Is(err, ErrRolledBack) || !strings.Contains(err.Error(), "commits 9 to 18") {
		t.Fatalf("Open = %v; want ErrRolledBack naming commits 9 to 18", err)
	}
	d2, err := Open(image, Options{OpenRolledBack: true})
	if err != nil {
		t.Fatal(err)
	}
	if d2.RolledBack() == "" {
		t.Error("RolledBack is empty")
	}
	if _, err := d2.AcceptRollback(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: "rollback accepted: " + d2.RolledBack()}); err != nil {
		t.Fatal(err)
	}
	d2.Close()
	d3 := mustOpen(t, image)
	if sum, err := kiosk.VerifyJournal(ctx, d3); err != nil || sum.Records != 5+1 {
		t.Errorf("VerifyJournal after accepting = %d records, %v; want 6", sum.Records, err)
	}
}

// TestCommitLogWraps: more commits than the log has slots, then a crash
// image: every sale is there, and the log's next records go on.
func TestCommitLogWraps(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "w", logSlots+20)
	image := crashImage(t, dir)
	d2, err := Open(image, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	d2.SetSigner(&kiosktest.Signer{}, testZone)
	if s, err := d2.Sale(ctx, "K1", logSlots+20); err != nil || s.ID != fmt.Sprintf("w-%d", logSlots+19) {
		t.Errorf("the last receipt = %q, %v", s.ID, err)
	}
	sales(t, d2, "x", 2)
	if sum, err := kiosk.VerifyJournal(ctx, d2); err != nil || sum.Records != logSlots+22 {
		t.Errorf("VerifyJournal = %d records, %v; want %d", sum.Records, err, logSlots+22)
	}
}

// TestLargeTransactionSkipsTheLog: a transaction larger than the log is
// committed by Badger itself, and the log's numbers go on past it: the
// record after it is applied at Open.
func TestLargeTransactionSkipsTheLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	// Values past Badger's ValueThreshold, which go to its value log:
	// Badger takes the transaction, the log cannot.
	err := d.update(ctx, "big", func(txn *badger.Txn) error {
		for i := range 5 { // different values: the log stores a repeated one once
			big := bytes.Repeat([]byte{'a' + byte(i)}, 300<<10)
			if err := set(txn, fmt.Appendf(nil, "test/%d", i), big); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.clog.seq != 4 || d.clog.inflight != nil {
		t.Fatalf("after the big transaction: log number %d, in flight %v; want 4 and Badger's own commit", d.clog.seq, d.clog.inflight != nil)
	}
	if err := d.settleCommits(); err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir)
	// The next commit's record, and Badger without it: Open finds it
	// after the number the big transaction took.
	sales(t, d, "after", 1)
	withLog(t, dir, image)
	d2, err := Open(image, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	n, err := d2.logApplied()
	if err != nil || n != 5 {
		t.Errorf("logApplied = %d, %v; want 5 (three products, the big one, a sale)", n, err)
	}
	if s, err := d2.Sale(ctx, "K1", 1); err != nil || s.ID != "after-0" {
		t.Errorf("receipt 1 = %q, %v", s.ID, err)
	}
}

// TestCommitLogWriteFailureStopsTheStore: a record that cannot be
// written (an I/O error) fails the sale and every call after it with
// ErrUnavailable, and marks the store damaged, until the store is opened
// again; nothing of it is applied then, since it was never acknowledged.
func TestCommitLogWriteFailureStopsTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "ok", 1)
	d.commitMu.Lock()
	d.clog.f.Close() // every write fails from here
	d.commitMu.Unlock()
	s := threeLineSale("lost", "K1")
	if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("CompleteSale with the log failing = %v; want ErrUnavailable", err)
	}
	if _, err := d.Head(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Head after the failure = %v; want ErrUnavailable", err)
	}
	select {
	case <-d.Damaged(): // what takes the kiosk out of order (app.watchDamage)
		if err := d.Damage(); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), CommitLogFile) {
			t.Errorf("Damage = %v; want the failed commit", err)
		}
	default:
		t.Error("Damaged is not closed after a failed commit")
	}
	d.Close()
	d2 := mustOpen(t, dir)
	if _, err := d2.Sale(ctx, "K1", 2); !errors.Is(err, kiosk.ErrNotFound) {
		t.Errorf("receipt 2 after reopening = %v; want ErrNotFound", err)
	}
	sales(t, d2, "again", 1)
}

// TestReadOnlyWithCommitsToApply: a read-only Open of a store whose log
// holds a commit Badger lacks asks for recovery, as for Badger's own.
func TestReadOnlyWithCommitsToApply(t *testing.T) {
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	if err := d.settleCommits(); err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir)
	sales(t, d, "b", 1)
	withLog(t, dir, image)
	_, err := Open(image, Options{ReadOnly: true})
	if !errors.Is(err, ErrNeedsRecovery) {
		t.Fatalf("read-only Open = %v; want ErrNeedsRecovery", err)
	}
}

// FuzzParseCommitLog: any log bytes give records to apply, a gap or an
// error, never a panic; the records given are consecutive from the
// store's number and their writes decode.
func FuzzParseCommitLog(f *testing.F) {
	f.Add(mustLog(f, placed{0, 1, 10, false}, placed{1, 2, 5000, false})[:3*logSlot], uint64(0))
	f.Add(mustLog(f, placed{0, 9, 10, false}, placed{1, 3, 10, true})[:2*logSlot], uint64(8))
	f.Fuzz(func(t *testing.T, b []byte, applied uint64) {
		apply, gap, err := parseCommitLog(b, applied)
		if err != nil || gap != "" {
			if len(apply) > 0 {
				t.Fatalf("records %v with an error or a gap", apply)
			}
			return
		}
		for i, r := range apply {
			if r.Seq != applied+1+uint64(i) {
				t.Fatalf("record %d is %d; want %d", i, r.Seq, applied+1+uint64(i))
			}
			if err := eachOp(r.Payload, func(byte, []byte, []byte) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestUpdatesWriteThroughSetAndDel: the commit log has only what set and
// del recorded, so a transaction of this package that wrote past them
// would lose that write in a crash before Badger's commit. The functions
// that call Badger's Set or Delete themselves write outside DB.update.
func TestUpdatesWriteThroughSetAndDel(t *testing.T) {
	allowed := map[string]bool{
		"set": true, "del": true, // the recording writers
		"openCommitLog": true, "commit": true, // the log's own
		"checkSchema": true, "openAnchor": true, // Open's, before any update
	}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || allowed[fn.Name.Name] {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "txn" && (sel.Sel.Name == "Set" || sel.Sel.Name == "SetEntry" || sel.Sel.Name == "Delete") {
					t.Errorf("%s: %s calls txn.%s: write through set or del", fset.Position(call.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// runKilledChild runs test in this test binary again as a child with env
// added, and fails unless the child ended killed by SIGKILL (as it kills
// itself at the moment the test wants a crash).
func runKilledChild(t *testing.T, test, env string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child: %v; want killed by SIGKILL\n%s", err, out)
	}
}

// TestKillBetweenLogAndBadger is the commit log's crash window for real:
// a child process completes three sales, and is killed (SIGKILL) in the
// fourth right after its record is synced in the log, before Badger's
// commit of it starts. The store opened again has all four, with their
// journal records and stock.
func TestKillBetweenLogAndBadger(t *testing.T) {
	if dir := os.Getenv("STORAGE_KILL_CHILD"); dir != "" {
		d := storeWithProducts(t, dir)
		sales(t, d, "a", 3)
		testHookLogged = func() { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL); select {} }
		sales(t, d, "killed", 1)
		t.Fatal("the child outlived its kill")
	}
	ctx := context.Background()
	dir := t.TempDir()
	runKilledChild(t, "TestKillBetweenLogAndBadger", "STORAGE_KILL_CHILD="+dir)
	d := mustOpen(t, dir)
	if s, err := d.Sale(ctx, "K1", 4); err != nil || s.ID != "killed-0" {
		t.Errorf("receipt 4 = %q, %v; want the sale killed after its record", s.ID, err)
	}
	head, err := d.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := kiosk.VerifyJournal(ctx, d); err != nil || sum.Records != head.Seq || head.Code != kiosk.CodeCashSale || head.ReceiptNo != 4 {
		t.Errorf("VerifyJournal = %d records, %v, head %d %s receipt %d; want the fourth sale's record last", sum.Records, err, head.Seq, head.Code, head.ReceiptNo)
	}
	if p, err := d.Lookup(ctx, pWater.GTIN); err != nil || p.Stock != pWater.Stock-4 {
		t.Errorf("water's stock %d, %v; want %d", p.Stock, err, pWater.Stock-4)
	}
}
