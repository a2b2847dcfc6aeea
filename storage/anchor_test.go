package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"selvkasse/kiosk"
)

// crashImage copies the files of the open store in dir into a new dir, as
// a kill -9 or a power cut leaves them: the newest records only in the
// memtable log (.mem).
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
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(image, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return image
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
	mid := end / 2
	for i := mid; i < mid+16; i++ {
		b[i] ^= 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptMemtableLogIsNotSilent is the reported case: 20 sales, a
// kill -9, 16 flipped bytes in the middle of the memtable log. Badger
// replays the log up to the damage and drops the rest, the journal's head
// with it, so the shorter chain verifies. The anchor outside Badger must
// catch it.
func TestCorruptMemtableLogIsNotSilent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	sales(t, d, "sale", 20)
	head, err := d.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	image := crashImage(t, dir)
	flipMiddle(t, image)

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
	d := mustOpen(t, dir)
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
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
// one, older, counts.
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
	a0, _ := decodeSlot(b[:anchorSlotSize])
	a1, _ := decodeSlot(b[anchorSlotSize:])
	newer := 0
	if a1.Seq > a0.Seq {
		newer = 1
	}
	copy(b[newer*anchorSlotSize+10:], "torn torn torn")
	if err := os.WriteFile(filepath.Join(dir, AnchorFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok, err := readAnchor(dir)
	if err != nil || !ok || got.Seq != min(a0.Seq, a1.Seq) {
		t.Fatalf("readAnchor with a torn slot = %d %v %v; want the older slot %d", got.Seq, ok, err, min(a0.Seq, a1.Seq))
	}
	mustOpen(t, dir)
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

// TestAnchorMissingIsWritten: a store from before the anchor has none;
// Open writes it.
func TestAnchorMissingIsWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	sales(t, d, "a", 2)
	head, _ := d.Head(ctx)
	d.Close()
	if err := os.Remove(filepath.Join(dir, AnchorFile)); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, dir).Close()
	a, ok, err := readAnchor(dir)
	if err != nil || !ok || a.Seq != head.Seq {
		t.Fatalf("anchor = %d %v %v; want %d", a.Seq, ok, err, head.Seq)
	}
}
