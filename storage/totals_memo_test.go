package storage

import (
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// TestTotalsMemoNeverGivesWhatIsNotStored: the decoded totals kept for
// the commit path are found by the stored bytes, so a write that was
// discarded, and another store's totals of the same kiosk ID, are never
// read in place of what the store holds; and a read hands out a copy.
func TestTotalsMemoNeverGivesWhatIsNotStored(t *testing.T) {
	a, b := mustOpen(t, t.TempDir()), mustOpen(t, t.TempDir())
	write := func(d *DB, n uint64, commit bool) {
		t.Helper()
		txn := d.bdb.NewTransaction(true)
		defer txn.Discard()
		if err := writeTotals(txn, "K1", kiosk.Totals{Kiosk: "K1", Period: kiosk.PeriodTotals{Sales: kiosk.Count{Num: n}}, Open: []string{"S-1"}}); err != nil {
			t.Fatal(err)
		}
		if commit {
			if err := txn.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	read := func(d *DB) kiosk.Totals {
		t.Helper()
		var got kiosk.Totals
		if err := d.bdb.View(func(txn *badger.Txn) (err error) {
			got, err = readTotals(txn, "K1")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	write(a, 1, true)
	write(b, 2, true)
	write(a, 3, false) // discarded: the memo now holds 3
	if got := read(a).Period.Sales.Num; got != 1 {
		t.Errorf("store a read %d sales, want the committed 1", got)
	}
	if got := read(b).Period.Sales.Num; got != 2 {
		t.Errorf("store b read %d sales, want its own 2", got)
	}
	got := read(b) // from the memo this time
	got.Open[0] = "changed"
	if again := read(b); again.Open[0] != "S-1" {
		t.Errorf("a read changed the kept totals: open %q", again.Open[0])
	}
}
