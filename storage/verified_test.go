package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// verifiedStore makes a store with data whose tables have been checked in
// full once and remembered: filled and closed (the tables are new), then
// opened and closed again.
func verifiedStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir)
	if d.check.read == 0 {
		t.Fatal("the first Open after the tables were written read none in full")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestVerifiedTableIsNotReadAgain(t *testing.T) {
	ctx := context.Background()
	dir := verifiedStore(t)
	for i := 0; i < 2; i++ {
		d := mustOpen(t, dir)
		if d.check.read != 0 || len(d.check.verified) == 0 {
			t.Errorf("Open %d after a clean Close: %d tables read in full, %d checked; want 0 read, some checked",
				i+1, d.check.read, len(d.check.verified))
		}
		if sum, err := kiosk.VerifyJournal(ctx, d); err != nil || sum.Records != 7 {
			t.Errorf("VerifyJournal = %d records, %v; want 7", sum.Records, err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUncleanShutdownChecksEveryTableAgain(t *testing.T) {
	dir := verifiedStore(t)
	d := mustOpen(t, dir)
	if _, err := os.Stat(filepath.Join(dir, verifiedFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists while the store is open (stat: %v): a crash now would skip the full check", verifiedFile, err)
	}
	// A power cut now: the files as they are, without Close.
	image := crashImage(t, dir)
	d.Close()
	d2 := mustOpen(t, image)
	if d2.check.read == 0 || d2.check.read != len(d2.check.verified) {
		t.Errorf("Open after an unclean shutdown read %d of %d tables in full; want all", d2.check.read, len(d2.check.verified))
	}
}

// TestVerifiedTableChangedIsCaught damages a table that was checked and
// remembered: a table changed behind the store's back must still be
// refused with ErrCorrupt, not crash the process or lose its data.
func TestVerifiedTableChangedIsCaught(t *testing.T) {
	flip := func(at float64, n int) func([]byte) {
		return func(b []byte) {
			off := int(float64(len(b)) * at)
			for i := off; i < off+n && i < len(b); i++ {
				b[i] = ^b[i]
			}
		}
	}
	tests := []struct {
		name      string
		damage    func([]byte) []byte
		keepMtime bool // the modification time put back as it was
	}{
		{"bytes flipped in a block", func(b []byte) []byte { flip(0.25, 8)(b); return b }, false},
		{"bytes flipped in the index", func(b []byte) []byte { flip(0.97, 8)(b); return b }, false},
		{"cut in half", func(b []byte) []byte { return b[:len(b)/2] }, false},
		{"index flipped, time put back", func(b []byte) []byte { flip(0.97, 8)(b); return b }, true},
		{"footer garbled, time put back", func(b []byte) []byte { flip(float64(len(b)-4)/float64(len(b)), 4)(b); return b }, true},
		{"head garbled, time put back", func(b []byte) []byte { flip(0, 16)(b); return b }, true},
		{"cut in half, time put back", func(b []byte) []byte { return b[:len(b)/2] }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := verifiedStore(t)
			for _, p := range filesLike(t, dir, ".sst") {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				// A new inode with a later time, as a restore or a
				// rewrite would leave.
				if err := os.WriteFile(p, tt.damage(b), 0o600); err != nil {
					t.Fatal(err)
				}
				mt := fi.ModTime().Add(time.Second)
				if tt.keepMtime {
					mt = fi.ModTime()
				}
				if err := os.Chtimes(p, mt, mt); err != nil {
					t.Fatal(err)
				}
			}
			d, err := Open(dir, Options{})
			if err == nil {
				d.Close()
				t.Fatal("Open of a store with a damaged remembered table succeeded")
			}
			if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrUnavailable) {
				t.Errorf("Open: %v; want ErrCorrupt", err)
			}
			t.Logf("%v", err)
		})
	}
}

// TestVerifiedFileGarbledChecksEverything: the list is a shortcut only; a
// list that does not decode means a full check, not an error.
func TestVerifiedFileGarbledChecksEverything(t *testing.T) {
	dir := verifiedStore(t)
	if err := os.WriteFile(filepath.Join(dir, verifiedFile), []byte("{\"version\":1,\"tables\":[{\"id\":"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := mustOpen(t, dir)
	if d.check.read == 0 || d.check.read != len(d.check.verified) {
		t.Errorf("Open with a garbled list read %d of %d tables in full; want all", d.check.read, len(d.check.verified))
	}
}

// TestRotInARememberedTableIsAnError: bytes that rot inside a remembered
// table's block in place (no size, time or inode changes: the list is
// rewritten to match, as the SD card's own decay would leave it) pass
// Open's short check, but every read of the block is an error, never a
// wrong value, a crash or a silent loss.
func TestRotInARememberedTableIsAnError(t *testing.T) {
	ctx := context.Background()
	dir := verifiedStore(t)
	for _, p := range filesLike(t, dir, ".sst") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := 16; i < 24; i++ { // inside the first block, past its header
			b[i] = ^b[i]
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var ts []tableStamp
	for _, p := range filesLike(t, dir, ".sst") {
		var id uint64
		if _, err := fmt.Sscanf(filepath.Base(p), "%06d.sst", &id); err != nil {
			t.Fatal(err)
		}
		st, err := stampTable(id, p)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, st)
	}
	if err := rememberVerified(dir, ts); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open: %v; want success or ErrCorrupt", err)
		}
		return
	}
	defer d.Close()
	if d.check.read != 0 {
		t.Fatalf("Open read %d tables in full; the rot was meant to pass the short check", d.check.read)
	}
	_, jerr := kiosk.VerifyJournal(ctx, d)
	_, lerr := d.List(ctx)
	_, serr := d.Sale(ctx, "K1", 1)
	if jerr == nil && lerr == nil && serr == nil {
		t.Error("the journal, the catalog and the first sale all read without an error from a rotten block")
	}
	t.Logf("journal: %v; catalog: %v; sale: %v", jerr, lerr, serr)
}
