package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// openScanAhead opens dir with Scan reading ahead on workers goroutines.
func openScanAhead(tb testing.TB, dir string, workers int) *DB {
	tb.Helper()
	d, err := Open(dir, Options{shortTop: true, ScanWorkers: workers})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	d.SetSigner(&kiosktest.Signer{}, testZone)
	return d
}

func TestJournalConformanceScanAhead(t *testing.T) {
	kiosktest.TestJournal(t, func(t *testing.T) kiosk.Journal { return openScanAhead(t, t.TempDir(), 3) })
}

func TestSaleStoreConformanceScanAhead(t *testing.T) {
	kiosktest.TestSaleStore(t, func(t *testing.T) kiosktest.StoreUnderTest {
		d := openScanAhead(t, t.TempDir(), 3)
		return kiosktest.StoreUnderTest{Catalog: d, Sales: d, Journal: d, SetSigner: d.SetSigner}
	})
}

// journalOf appends n records to d's journal, many to a transaction (the
// tests need more records than Scan reads ahead, not n durable commits).
func journalOf(t *testing.T, d *DB, n int) {
	t.Helper()
	for done := 0; done < n; {
		err := d.bdb.Update(func(txn *badger.Txn) error {
			for i := 0; i < 500 && done < n; i++ {
				e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: "test", Time: t0.Add(time.Duration(done) * time.Second),
					Kiosk: "K1", Text: fmt.Sprintf("record %d", done)}
				if _, err := appendRecord(txn, e); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// scanSeqs scans d from from and returns the records' numbers, and what
// Scan returned.
func scanSeqs(d *DB, from uint64, fn func(kiosk.Record) error) ([]uint64, error) {
	var seqs []uint64
	err := d.Scan(context.Background(), from, func(r kiosk.Record) error {
		seqs = append(seqs, r.Seq)
		if fn != nil {
			return fn(r)
		}
		return nil
	})
	return seqs, err
}

// wantRun fails unless seqs are from, from+1, … to.
func wantRun(t *testing.T, seqs []uint64, from, to uint64) {
	t.Helper()
	if len(seqs) != int(to-from+1) {
		t.Fatalf("scanned %d records, want %d (%d to %d)", len(seqs), to-from+1, from, to)
	}
	for i, s := range seqs {
		if s != from+uint64(i) {
			t.Fatalf("record %d of the scan is number %d, want %d", i, s, from+uint64(i))
		}
	}
}

// TestScanAhead: read ahead and decoded on workers, the journal comes to
// fn whole and in order, from any record on, as Scan without workers
// gives it; fn's error stops it at once; and records fn appends while the
// reading is ahead of it are scanned too.
func TestScanAhead(t *testing.T) {
	dir := t.TempDir()
	d0 := mustOpen(t, dir)
	journalOf(t, d0, 20*scanBatch+17) // more batches than are read ahead
	d0.Close()
	for _, workers := range []int{0, 2, 5} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			d := openScanAhead(t, dir, workers)
			head, err := d.Head(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			n := head.Seq // each case appends one
			for _, from := range []uint64{0, 1, scanBatch, scanBatch + 1, n - 3, n} {
				seqs, err := scanSeqs(d, from, nil)
				if err != nil {
					t.Fatal(err)
				}
				wantRun(t, seqs, max(from, 1), n)
			}
			if seqs, err := scanSeqs(d, n+1, nil); err != nil || len(seqs) != 0 {
				t.Errorf("Scan after the last record = %v, %v; want none", seqs, err)
			}
			stop := errors.New("enough")
			seqs, err := scanSeqs(d, 1, func(r kiosk.Record) error {
				if r.Seq == 3*scanBatch+5 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) {
				t.Fatalf("Scan = %v; want fn's error", err)
			}
			wantRun(t, seqs, 1, 3*scanBatch+5)
			// A context cancelled by fn stops the scan at the next record.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var got []uint64
			err = d.Scan(ctx, 1, func(r kiosk.Record) error {
				if got = append(got, r.Seq); r.Seq == 2*scanBatch+1 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Scan with its context cancelled = %v; want context.Canceled", err)
			}
			wantRun(t, got, 1, 2*scanBatch+1)
			// fn appends one record while the reading ahead has found
			// the end: the new record comes last, as without workers.
			appendWhileAhead(t, d, workers)
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestScanAheadBadRecord: a record that does not decode, batches into the
// journal: the records before it go to fn, in order, and then Scan
// returns ErrCorruptRecord naming it, with or without workers.
func TestScanAheadBadRecord(t *testing.T) {
	const bad = 7*scanBatch + 3
	dir := t.TempDir()
	d := mustOpen(t, dir)
	journalOf(t, d, 12*scanBatch)
	if err := d.bdb.Update(func(txn *badger.Txn) error { return txn.Set(jrnlKey(bad), []byte(`{"body":{"seq":`)) }); err != nil {
		t.Fatal(err)
	}
	d.Close()
	for _, workers := range []int{0, 4} {
		d := openScanAhead(t, dir, workers)
		seqs, err := scanSeqs(d, 1, nil)
		if !errors.Is(err, kiosk.ErrCorruptRecord) {
			t.Errorf("workers=%d: Scan = %v; want ErrCorruptRecord", workers, err)
		}
		wantRun(t, seqs, 1, bad-1)
		d.Close()
	}
}

// appendWhileAhead scans a short journal (fewer batches than are read
// ahead) of d, and has fn append a record at the first record, after the
// reading has found the journal's end: the new record must be scanned
// too, as without workers, where it is read in the next batch.
func appendWhileAhead(t *testing.T, d *DB, workers int) {
	t.Helper()
	ended := make(chan struct{})
	if workers > 1 {
		testHookScanAheadEnd = func() { close(ended) }
		defer func() { testHookScanAheadEnd = nil }()
	} else {
		close(ended)
	}
	head, err := d.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	from := head.Seq - 2*scanBatch - 5 // three batches
	appended := false
	seqs, err := scanSeqs(d, from, func(r kiosk.Record) error {
		if appended {
			return nil
		}
		appended = true
		select {
		case <-ended:
		case <-time.After(time.Minute): // generous for a loaded machine
			return errors.New("the reading ahead did not find the end")
		}
		_, err := d.Append(context.Background(), kiosk.Entry{Code: kiosk.CodeOther, Subtype: "test", Time: t0, Kiosk: "K1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wantRun(t, seqs, from, head.Seq+1)
}
