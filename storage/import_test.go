package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// importSales are n sales as the checkout records them: an intent, an
// approval (and a cabinet unlock for cabinet goods) saved pending, then the
// completion. Every fourth sale is shelf goods only; one line's product is
// not in the catalog.
func importSales(n int) []ImportedSale {
	ghost := kiosk.Product{GTIN: mkGTIN("704100000099"), Name: "Gone", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 100}
	var out []ImportedSale
	for i := 0; i < n; i++ {
		s := threeLineSale(fmt.Sprintf("imp-%d", i), []string{"K1", "K2"}[i%2])
		if i%4 == 3 {
			s = lineSale(s.ID, s.Kiosk, []kiosk.Line{{Product: pWater, Qty: 2}, {Product: ghost, Qty: 1}})
		}
		at := t0.Add(time.Duration(i) * time.Minute)
		s.Started, s.Completed = at, at.Add(30*time.Second)
		e := func(code kiosk.Code, sub, text string) kiosk.Entry {
			return kiosk.Entry{Code: code, Subtype: sub, Time: at, Kiosk: s.Kiosk, SaleID: s.ID, Amount: s.Total, Text: text}
		}
		is := ImportedSale{Sale: s, Receipt: e(kiosk.CodeCashSale, "", "sale completed"),
			Pending: []kiosk.Entry{e(kiosk.CodeOther, kiosk.SubPaymentIntent, "card payment requested"),
				e(kiosk.CodeOther, kiosk.SubPaymentApproved, "card payment approved")}}
		if i%4 != 3 {
			is.Pending = append(is.Pending, e(kiosk.CodeOther, kiosk.SubCabinetUnlock, "cabinet unlocked"))
		}
		out = append(out, is)
	}
	return out
}

// dump is every key and value in d, in key order.
// The commit log's own bookkeeping (meta/logseq: how many commits went
// through it) is left out.
func dump(t *testing.T, d *DB) []string {
	t.Helper()
	var out []string
	err := d.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if string(it.Item().Key()) == keyLogSeq {
				continue
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%q = %q", it.Item().Key(), v))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportSales: ImportSales leaves exactly what SavePending and
// CompleteSale leave, sale after sale, on top of an existing store, and
// refuses a sale ID already stored without writing anything.
func TestImportSales(t *testing.T) {
	ctx := context.Background()
	sales := importSales(40)
	slow := mustOpen(t, t.TempDir())
	fast := mustOpen(t, t.TempDir())
	for _, d := range []*DB{slow, fast} {
		fill(t, d)
	}
	for _, is := range sales {
		for _, e := range is.Pending {
			p := kiosk.PendingSale{ID: is.Sale.ID, Kiosk: is.Sale.Kiosk, Started: is.Sale.Started, Lines: is.Sale.Lines, Amount: is.Sale.Total}
			if err := slow.SavePending(ctx, p, e); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := slow.CompleteSale(ctx, is.Sale, is.Receipt); err != nil {
			t.Fatal(err)
		}
	}
	// Two calls, as the generator makes them in chunks.
	got1, err := fast.ImportSales(ctx, sales[:15])
	if err != nil {
		t.Fatal(err)
	}
	got2, err := fast.ImportSales(ctx, sales[15:])
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range append(got1, got2...) {
		want, err := slow.Sale(ctx, s.Kiosk, s.No)
		if err != nil || want.ID != sales[i].Sale.ID {
			t.Errorf("imported sale %d is %s/%d; CompleteSale stored %s there (%v)", i, s.Kiosk, s.No, want.ID, err)
		}
	}
	a, b := dump(t, slow), dump(t, fast)
	if len(a) != len(b) {
		t.Errorf("CompleteSale left %d keys, ImportSales %d", len(a), len(b))
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			t.Fatalf("key %d differs:\nCompleteSale: %.300s\nImportSales:  %.300s", i, a[i], b[i])
		}
	}
	if sum, err := kiosk.VerifyJournal(ctx, fast); err != nil || sum.Records != 7+40*4-10 {
		t.Errorf("VerifyJournal after the import = %d records, %v; want %d", sum.Records, err, 7+40*4-10)
	}
	if p, err := fast.Lookup(ctx, pWater.GTIN); err != nil || p.Stock != 1000-5-30-2*10 {
		t.Errorf("Lookup(water) after the import = stock %d, %v; want %d (the index follows)", p.Stock, err, 1000-5-30-2*10)
	}

	before := dump(t, fast)
	dup := importSales(2)
	dup[1].Sale.ID = "sale-3" // completed by fill
	if _, err := fast.ImportSales(ctx, dup); !errors.Is(err, kiosk.ErrConflict) {
		t.Errorf("ImportSales of a completed sale ID: %v; want ErrConflict", err)
	}
	after := dump(t, fast)
	if !bytes.Equal([]byte(fmt.Sprint(before)), []byte(fmt.Sprint(after))) {
		t.Error("a refused import wrote something")
	}
}

// TestImportProducts: ImportProducts leaves what Put leaves, and the
// in-memory catalog has the products.
func TestImportProducts(t *testing.T) {
	ctx := context.Background()
	slow := mustOpen(t, t.TempDir())
	fast := mustOpen(t, t.TempDir())
	ps := []kiosk.Product{pCigs, pSnus, pWater}
	for _, p := range ps {
		if err := slow.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := fast.ImportProducts(ctx, ps); err != nil {
		t.Fatal(err)
	}
	sameValue(t, "store after ImportProducts", dump(t, fast), dump(t, slow))
	sameValue(t, "Cabinet after ImportProducts", must(fast.Cabinet(ctx)), must(slow.Cabinet(ctx)))
	bad := pWater
	bad.Price = -1
	if err := fast.ImportProducts(ctx, []kiosk.Product{bad}); !errors.Is(err, kiosk.ErrInvalidProduct) {
		t.Errorf("ImportProducts of an invalid product: %v; want ErrInvalidProduct", err)
	}
}
