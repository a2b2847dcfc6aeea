package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// crashImage copies the files of the open store in dir into a new dir, as
// a kill -9 or a power cut leaves them: the newest records only in the
// memtable log (.mem). A file gone between the listing and its copy (the
// list of verified tables' temporary file, renamed meanwhile) is left
// out, as a power cut at that moment would.
func crashImage(t *testing.T, dir string) string {
	t.Helper()
	image := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(image, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return image
}

// copyFiles copies the named files from dir from into dir to.
func copyFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// sales completes n three-line sales in d, named prefix-0 …
func sales(t *testing.T, d *DB, prefix string, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		s := threeLineSale(fmt.Sprintf("%s-%d", prefix, i), "K1")
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			t.Fatal(err)
		}
	}
}

// storeWithProducts opens a store in dir with threeLineSale's products.
func storeWithProducts(t *testing.T, dir string) *DB {
	t.Helper()
	d := mustOpen(t, dir)
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		if err := d.Put(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// flipMiddle flips 16 bytes in the middle of the written part of the
// memtable log in dir, as bit rot on an SD card would.
func flipMiddle(t *testing.T, dir string) {
	t.Helper()
	mems := filesLike(t, dir, ".mem")
	path := mems[len(mems)-1]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	end := len(bytes.TrimRight(b, "\x00"))
	if end < 64 {
		t.Fatalf("%s has only %d written bytes", path, end)
	}
	// Inside a journal record's JSON, not an entry's header: Badger
	// reports a broken header as corrupt, but replays the log only up to
	// an entry whose checksum fails, without an error.
	mid := end / 2
	at := bytes.Index(b[mid:end], []byte(`"code"`))
	if at < 0 {
		t.Fatalf("%s has no journal record after its middle", path)
	}
	for i := mid + at; i < mid+at+16; i++ {
		b[i] ^= 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rottenMemtableImage is the reported case: 20 sales, a kill -9 (a crash
// image) and 16 flipped bytes in the middle of the memtable log. It
// returns the image and the journal head acknowledged before the crash.
func rottenMemtableImage(t *testing.T) (string, kiosk.Record) {
	t.Helper()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "sale", 20)
	head, err := d.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir)
	flipMiddle(t, image)
	return image, head
}

// TestCorruptMemtableLogIsNotSilent is the reported case: 20 sales, a
// kill -9, 16 flipped bytes in the middle of the memtable log. Badger
// replays the log up to the damage and drops the rest, the journal's head
// with it, so the shorter chain verifies. Where the commit log still
// holds the lost commits, Open applies them again
// (TestCommitLogRestoresWhatBadgerLost); here it no longer does, as after
// more commits than it holds, which wrote over them. The anchor outside
// Badger must catch it.
func TestCorruptMemtableLogIsNotSilent(t *testing.T) {
	ctx := context.Background()
	image, head := rottenMemtableImage(t)
	if err := os.WriteFile(filepath.Join(image, CommitLogFile), make([]byte, logSize), 0o600); err != nil {
		t.Fatal(err)
	}

	silent, err := Open(image, Options{})
	if err == nil {
		// Today's silent loss, spelled out.
		defer silent.Close()
		sum, verr := kiosk.VerifyJournal(ctx, silent)
		t.Fatalf("Open of a store that lost acknowledged records succeeded: journal has %d of %d records, verify says %v", sum.Records, head.Seq, verr)
	}
	if !errors.Is(err, ErrRolledBack) || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open = %v; want ErrRolledBack and ErrCorrupt", err)
	}
	t.Logf("Open: %v", err)

	// What `journal verify` opens: the store as it is, with the finding.
	d2, err := Open(image, Options{OpenRolledBack: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d2.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq >= head.Seq {
		t.Fatalf("head %d after the damage, was %d: the case did not lose records", got.Seq, head.Seq)
	}
	if d2.RolledBack() == "" {
		t.Fatal("RolledBack is empty for a store behind its anchor")
	}
	// Writes do not move the anchor back meanwhile.
	if _, err := d2.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: "look"}); err != nil {
		t.Fatal(err)
	}
	d2.Close()
	if _, err := Open(image, Options{}); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open after a write on the rolled-back store = %v; want ErrRolledBack still", err)
	}

	// The technician accepts the loss: journaled, then the store opens.
	d3, err := Open(image, Options{OpenRolledBack: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d3.AcceptRollback(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: "rollback accepted: " + d3.RolledBack()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d3.AcceptRollback(ctx, kiosk.Entry{Code: kiosk.CodeOther}); err == nil {
		t.Error("a second AcceptRollback succeeded")
	}
	d3.Close()
	d4 := mustOpen(t, image)
	sum, err := kiosk.VerifyJournal(ctx, d4)
	if err != nil || sum.Records != r.Seq {
		t.Errorf("after accepting: VerifyJournal = %d records, %v; want %d", sum.Records, err, r.Seq)
	}
}

// TestAnchorBehindIsFine: a crash between Badger's commit and the anchor
// write leaves the anchor behind the head; Open accepts that and moves it
// up.
func TestAnchorBehindIsFine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := storeWithProducts(t, dir)
	sales(t, d, "a", 3)
	old, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	sales(t, d, "b", 3)
	head, _ := d.Head(ctx)
	image := crashImage(t, dir)
	if err := os.WriteFile(filepath.Join(image, AnchorFile), old, 0o600); err != nil {
		t.Fatal(err)
	}
	d2 := mustOpen(t, image)
	d2.Close()
	a, ok, err := readAnchor(image)
	if err != nil || !ok || a.Seq != head.Seq || a.Hash != head.Hash {
		t.Errorf("anchor after Open = %d %v %v; want the head %d", a.Seq, ok, err, head.Seq)
	}
}

// TestAnchorTornSlot: a torn write leaves one slot garbage; the other
// one, a generation older, counts, and the store opens.
func TestAnchorTornSlot(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 1) // no products: lines are skipped, the sale stands
	sales(t, d, "b", 1)
	d.Close()
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	s0, _, ok0 := decodeSlot(b[:anchorSlotSize])
	s1, _, ok1 := decodeSlot(b[anchorSlotSize:])
	if !ok0 || !ok1 {
		t.Fatalf("slots valid %v %v; want both", ok0, ok1)
	}
	newer, older := 0, s1
	if s1.Gen > s0.Gen {
		newer, older = 1, s0
	}
	copy(b[newer*anchorSlotSize+10:], "torn torn torn")
	if err := os.WriteFile(filepath.Join(dir, AnchorFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok, err := readAnchor(dir)
	if err != nil || !ok || got != older {
		t.Fatalf("readAnchor with a torn slot = %+v %v %v; want the older slot %+v", got, ok, err, older)
	}
	mustOpen(t, dir)
}

// writeAnchorSlots replaces dir's anchor file with the given slots.
func writeAnchorSlots(t *testing.T, dir string, slots ...slot) {
	t.Helper()
	var b []byte
	for _, s := range slots {
		b = append(b, encodeSlot(s)...)
	}
	if err := os.WriteFile(filepath.Join(dir, AnchorFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAnchorIntent: a slot left with a commit's intent (written by
// earlier versions before Badger's commit; a crash while Badger
// committed) accepts the store at the head acknowledged before the
// commit, or at the commit, and nothing else.
func TestAnchorIntent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 3)
	var recs []kiosk.Record
	if err := d.Scan(ctx, 1, func(r kiosk.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	d.Close()
	at := func(i int) anchor { return anchor{Seq: recs[i].Seq, Hash: recs[i].Hash} }
	last := len(recs) - 1
	var other kiosk.Hash
	other[0] = 1
	for _, c := range []struct {
		name   string
		s      slot
		refuse bool
	}{
		{"the commit in flight did not happen", slot{anchor: anchor{Seq: recs[last].Seq + 1, Hash: other}, Prev: at(last), Gen: 7}, false},
		{"the commit in flight happened", slot{anchor: at(last), Prev: at(last - 1), Gen: 7}, false},
		{"an acknowledged record is gone too", slot{anchor: anchor{Seq: recs[last].Seq + 2, Hash: other}, Prev: anchor{Seq: recs[last].Seq + 1, Hash: other}, Gen: 7}, true},
		{"another history before the commit", slot{anchor: anchor{Seq: recs[last].Seq + 1, Hash: other}, Prev: anchor{Seq: recs[last].Seq, Hash: other}, Gen: 7}, true},
		{"confirmed past the head", slot{anchor: anchor{Seq: recs[last].Seq + 1, Hash: other}, Prev: anchor{Seq: recs[last].Seq + 1, Hash: other}, Gen: 7}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			image := crashImage(t, dir)
			writeAnchorSlots(t, image, c.s, slot{anchor: at(0), Prev: at(0), Gen: 6})
			d, err := Open(image, Options{})
			if c.refuse {
				if !errors.Is(err, ErrRolledBack) {
					t.Fatalf("Open = %v; want ErrRolledBack", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open = %v; want the store accepted", err)
			}
			d.Close()
			got, ok, err := readAnchor(image)
			if err != nil || !ok || got.intent() || got.anchor != at(last) {
				t.Fatalf("anchor after Open = %+v %v %v; want the head %d confirmed", got, ok, err, recs[last].Seq)
			}
		})
	}
}

// TestAnchorConfirmedAfterCommit: after a commit returned, the file's
// newest slot is the new head, confirmed, and the other one the commit
// before it, on disk: the next commit waited for its sync. No slot ever
// holds an intent. After Close the newest one is on disk too.
func TestAnchorConfirmedAfterCommit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	var prev anchor
	for i := range 3 {
		sales(t, d, fmt.Sprint("s", i), 1)
		head, err := d.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		h := anchor{Seq: head.Seq, Hash: head.Hash}
		older, newer := mustSlots(t, dir)
		if newer.anchor != h || newer.intent() || older.intent() || older.Gen != newer.Gen-1 {
			t.Fatalf("sale %d: slots %+v, %+v; want record %d confirmed after the commit before", i, older, newer, h.Seq)
		}
		if i > 0 && older.anchor != prev {
			t.Fatalf("sale %d: older slot %+v; want the sale before, record %d", i, older, prev.Seq)
		}
		if d.anchor.syncing == nil {
			t.Fatalf("sale %d: no sync in flight or answered; want the confirmation's sync started", i)
		}
		prev = h
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, newer := mustSlots(t, dir); newer.anchor != prev || d.anchor.syncing != nil {
		t.Fatalf("after Close: newest slot %+v, sync pending %v; want record %d, settled", newer, d.anchor.syncing != nil, prev.Seq)
	}
}

// TestAnchorFailedCommitWritesNothing: a commit that moved the journal
// in its transaction but did not stand (a conflict, a WAL sync that
// failed) leaves the anchor file as it was, and the next commit anchors
// the head it leaves.
func TestAnchorFailedCommitWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 1)
	before, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	d.commitMu.Lock()
	txn := d.bdb.NewTransaction(true)
	if _, err := appendRecord(txn, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: "never committed"}); err != nil {
		t.Fatal(err)
	}
	commit := d.anchorCommit(txn)
	txn.Discard()
	err = commit(false)
	d.commitMu.Unlock()
	if err != nil {
		t.Fatalf("anchor of a failed commit: %v", err)
	}
	after, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatalf("a failed commit changed the anchor file")
	}
	r, err := d.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: "committed"})
	if err != nil {
		t.Fatal(err)
	}
	if _, newer := mustSlots(t, dir); newer.anchor != (anchor{Seq: r.Seq, Hash: r.Hash}) {
		t.Fatalf("after the next commit the anchor is %+v; want record %d", newer.anchor, r.Seq)
	}
}

// mustSlots reads both slots of dir's anchor file, older first.
func mustSlots(t *testing.T, dir string) (older, newer slot) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	s0, _, ok0 := decodeSlot(b)
	s1, _, ok1 := decodeSlot(b[anchorSlotSize:])
	if !ok0 || !ok1 {
		t.Fatalf("anchor slots valid: %v %v; want both", ok0, ok1)
	}
	if s1.Gen > s0.Gen {
		return s0, s1
	}
	return s1, s0
}

// TestAnchorOldFormat: a file of 64-byte "SKA1" slots (before the
// generation and the intent) is read, checked and rewritten.
func TestAnchorOldFormat(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 2)
	head, _ := d.Head(ctx)
	d.Close()
	v1 := func(a anchor) []byte {
		b := make([]byte, anchorV1SlotSize)
		copy(b, anchorV1Magic)
		binary.BigEndian.PutUint64(b[4:], a.Seq)
		copy(b[12:44], a.Hash[:])
		binary.BigEndian.PutUint32(b[44:], crc32.Checksum(b[:44], crcTable))
		return b
	}
	h := anchor{Seq: head.Seq, Hash: head.Hash}
	old := append(v1(anchor{Seq: h.Seq - 1}), v1(h)...)
	if err := os.WriteFile(filepath.Join(dir, AnchorFile), old, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := readAnchor(dir); err != nil || !ok || got.anchor != h || got.intent() {
		t.Fatalf("readAnchor of the old format = %+v %v %v; want %d", got, ok, err, h.Seq)
	}
	mustOpen(t, dir).Close()
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	if s, n, ok := decodeSlot(b); !ok || n != anchorSlotSize || s.anchor != h {
		t.Fatalf("after Open the file starts with %+v (%d bytes, %v); want a new-format slot of %d", s, n, ok, h.Seq)
	}
	// A head below the old anchor is refused as before.
	if err := os.WriteFile(filepath.Join(dir, AnchorFile), v1(anchor{Seq: h.Seq + 1}), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open behind an old-format anchor = %v; want ErrRolledBack", err)
	}
}

// TestAnchorOtherHistory: a journal as long as the anchor says, but with
// another record there (a copy of another store's data dir, a rewrite),
// is refused too.
func TestAnchorOtherHistory(t *testing.T) {
	ctx := context.Background()
	dirA, dirB := t.TempDir(), t.TempDir()
	a := mustOpen(t, dirA)
	b := mustOpen(t, dirB)
	sales(t, a, "a", 2)
	sales(t, b, "b", 2)
	a.Close()
	b.Close()
	anc, err := os.ReadFile(filepath.Join(dirA, AnchorFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirB, AnchorFile), anc, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dirB, Options{}); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open with another store's anchor = %v; want ErrRolledBack", err)
	}
	// One more record in B: ahead of the anchor, but record 3 differs.
	bb, err := Open(dirB, Options{OpenRolledBack: true})
	if err != nil {
		t.Fatal(err)
	}
	bb.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1"})
	bb.Close()
	if _, err := Open(dirB, Options{}); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open ahead of another store's anchor = %v; want ErrRolledBack", err)
	}
}

// TestAnchorMissingIsWritten: a store from before the anchor has
// neither the file nor the note that it had one; Open writes both.
func TestAnchorMissingIsWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 2)
	head, _ := d.Head(ctx)
	if err := d.bdb.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(keyAnchor)) }); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if err := os.Remove(filepath.Join(dir, AnchorFile)); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir)
	at, err := d.anchoredAt()
	d.Close()
	if err != nil || at == nil || *at != head.Seq {
		t.Fatalf("meta/anchored = %v, %v; want %d", at, err, head.Seq)
	}
	a, ok, err := readAnchor(dir)
	if err != nil || !ok || a.Seq != head.Seq {
		t.Fatalf("anchor = %d %v %v; want %d", a.Seq, ok, err, head.Seq)
	}
}

// TestAnchorDeletedIsRefused: deleting ANCHOR to get past the check does
// not disarm it: the store notes that it had one, Open refuses it as
// rolled back, and accepting the rollback (journaled) writes a new one.
func TestAnchorDeletedIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 2)
	d.Close()
	if err := os.Remove(filepath.Join(dir, AnchorFile)); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrRolledBack) || !strings.Contains(err.Error(), "is missing") {
		t.Fatalf("Open without its ANCHOR = %v; want ErrRolledBack saying the file is missing", err)
	}
	d, err = Open(dir, Options{OpenRolledBack: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.AcceptRollback(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubRollbackAccepted, Kiosk: "K1", Text: "tech-eva"}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	mustOpen(t, dir).Close()
}

// TestReadOnlyOpen: a read-only Open writes nothing: no directory made,
// no anchor or verified list written, writes refused; it reads what is
// there, reports a store behind its anchor, and asks for a copy of a store
// left by a crash (ErrNeedsRecovery).
func TestReadOnlyOpen(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "none")
	if _, err := Open(missing, Options{ReadOnly: true}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("read-only Open of no dir = %v; want ErrUnavailable", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("a read-only Open made the directory")
	}
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 3)
	head, _ := d.Head(ctx)
	crashed := crashImage(t, dir)
	d.Close()
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ro.Head(ctx); err != nil || got.Seq != head.Seq {
		t.Errorf("read-only head = %d, %v; want %d", got.Seq, err, head.Seq)
	}
	if _, err := ro.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1"}); err == nil {
		t.Error("a read-only store took a write")
	}
	ro.Close()
	if _, err := Open(crashed, Options{ReadOnly: true}); !errors.Is(err, ErrNeedsRecovery) {
		t.Errorf("read-only Open of a crash image = %v; want ErrNeedsRecovery", err)
	}
}
