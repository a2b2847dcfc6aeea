package kiosktest

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

func TestStoreCatalog(t *testing.T) {
	TestCatalog(t, func(t *testing.T) kiosk.Catalog { return NewStore() })
}

func TestStoreSaleStore(t *testing.T) {
	TestSaleStore(t, func(t *testing.T) StoreUnderTest {
		s := NewStore()
		return StoreUnderTest{Catalog: s, Sales: s, Journal: s, SetSigner: s.SetSigner}
	})
}

func TestStoreJournal(t *testing.T) {
	TestJournal(t, func(t *testing.T) kiosk.Journal { return NewStore() })
}

func TestStoreFailNext(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("disk on fire")
	p := storePending("p1", "K1", 0, storeLine(prodCola, 1))
	sale := kiosk.NewSale(p, suiteT0)
	writes := []struct {
		method string
		call   func(s *Store) error
	}{
		{"Put", func(s *Store) error { return s.Put(ctx, prodCola) }},
		{"SavePending", func(s *Store) error { return s.SavePending(ctx, p, storePendingEntry(p)) }},
		{"CompleteSale", func(s *Store) error { _, err := s.CompleteSale(ctx, sale, storeSaleEntry(sale)); return err }},
		{"VoidPending", func(s *Store) error { return s.VoidPending(ctx, p.ID, storePendingEntry(p)) }},
		{"Append", func(s *Store) error { _, err := s.Append(ctx, kiosk.Entry{Time: suiteT0}); return err }},
	}
	for _, w := range writes {
		t.Run(w.method, func(t *testing.T) {
			s := NewStore()
			storeMustPut(t, s, prodCola)
			if w.method == "VoidPending" {
				storeMustSavePending(t, s, p)
			}
			before := len(s.Records())
			s.FailNext(boom)
			if err := w.call(s); !errors.Is(err, boom) {
				t.Fatalf("%s after FailNext: err = %v, want the injected error", w.method, err)
			}
			if n := len(s.Records()); n != before {
				t.Errorf("failed %s journaled %d records", w.method, n-before)
			}
			if n := len(s.Sales()); n != 0 {
				t.Errorf("failed %s completed %d sales", w.method, n)
			}
			if err := w.call(s); err != nil {
				t.Errorf("%s after the failure was used up: %v", w.method, err)
			}
			calls := s.Calls()
			if len(calls) < 2 || calls[len(calls)-1] != w.method || calls[len(calls)-2] != w.method {
				t.Errorf("Calls() = %q, want it to end with %s twice", calls, w.method)
			}
		})
	}
}

func TestStoreFailNextCall(t *testing.T) {
	ctx := context.Background()
	s := NewStore()
	boom := errors.New("write failed")
	s.FailNextCall("CompleteSale", boom)
	storeMustPut(t, s, prodCola)
	storeMustAppend(t, s, kiosk.Entry{Time: suiteT0})
	sale := storeSale("s1", "K1", 0, storeLine(prodCola, 2))
	if _, err := s.CompleteSale(ctx, sale, storeSaleEntry(sale)); !errors.Is(err, boom) {
		t.Fatalf("CompleteSale: err = %v, want the injected error", err)
	}
	storeWantStock(t, s, map[kiosk.GTIN]int{prodCola.GTIN: prodCola.Stock})
	got := storeMustComplete(t, s, sale)
	if got.No != 1 {
		t.Errorf("receipt %d after a failed attempt, want 1", got.No)
	}
	if n := len(s.Sales()); n != 1 {
		t.Errorf("Sales() has %d sales, want 1", n)
	}
	if rs := s.Records(); len(rs) != 2 || rs[1].ReceiptNo != 1 {
		t.Errorf("Records() = %d records, want 2 ending with receipt 1", len(rs))
	}
}

func TestStoreValuesAreCopies(t *testing.T) {
	ctx := context.Background()
	s := NewStore()
	p := storePending("p1", "K1", 0, storeLine(prodCola, 1))
	storeMustSavePending(t, s, p)
	p.Lines[0].Qty = 50
	got := storeMustPending(t, s)
	if got[0].Lines[0].Qty != 1 {
		t.Errorf("changing the caller's pending sale changed the stored one")
	}
	got[0].Lines[0].Qty = 60
	if again := storeMustPending(t, s); again[0].Lines[0].Qty != 1 {
		t.Errorf("changing a returned pending sale changed the stored one")
	}
	e := kiosk.Entry{Time: suiteT0, Data: map[string]string{"k": "v"}}
	r := storeMustAppend(t, s, e)
	r.Data["k"] = "changed"
	e.Data["k"] = "changed too"
	if _, err := kiosk.VerifyJournal(ctx, s); err != nil {
		t.Errorf("journal no longer verifies after the caller changed maps: %v", err)
	}
}
