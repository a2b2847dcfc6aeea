package kiosktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// ReportUnderTest is a store's kiosk.ReportStore with its other ports: the
// totals count what the SaleStore and the Journal write.
type ReportUnderTest struct {
	StoreUnderTest
	Reports kiosk.ReportStore
}

// TestReportStore runs the kiosk.ReportStore conformance suite. open
// returns a new, empty store for each subtest.
func TestReportStore(t *testing.T, open func(t *testing.T) ReportUnderTest) {
	ctx := context.Background()
	complete := func(t *testing.T, s ReportUnderTest, sale kiosk.Sale) kiosk.Sale {
		t.Helper()
		out, err := s.Sales.CompleteSale(ctx, sale, storeSaleEntry(sale))
		if err != nil {
			t.Fatalf("CompleteSale(%s): %v", sale.ID, err)
		}
		return out
	}
	want := func(kioskID string, f func(t *kiosk.Totals)) kiosk.Totals {
		w := kiosk.Totals{Kiosk: kioskID}
		f(&w)
		return w
	}
	zReport := func(t kiosk.Totals, head kiosk.Record) (kiosk.Entry, error) {
		return kiosk.Entry{Code: kiosk.CodeZReport, Time: suiteT0.Add(12 * time.Hour), Kiosk: t.Kiosk, Text: "Z"}, nil
	}

	t.Run("empty", func(t *testing.T) {
		s := open(t)
		reportMustEqual(t, reportMustTotals(t, s, "K1"), kiosk.Totals{Kiosk: "K1"})
		ts, err := s.Reports.ListTotals(ctx)
		if err != nil || len(ts) != 0 {
			t.Fatalf("ListTotals of an empty store = %v, %v; want none", ts, err)
		}
	})

	t.Run("a completed sale is counted in its kiosk's totals", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		a := complete(t, s, storeSale("a", "K2", 1, storeLine(prodCigs, 2), storeLine(prodCola, 1), storeLine(prodPaper, 1)))
		b := complete(t, s, storeSale("b", "K1", 2, storeLine(prodChoc, 3)))
		c := complete(t, s, storeSale("c", "K2", 3, storeLine(prodGone, 1))) // a product the catalog lost is still sold
		reportMustEqual(t, reportMustTotals(t, s, "K1"), want("K1", func(t *kiosk.Totals) { t.AddSale(b) }))
		k2 := want("K2", func(t *kiosk.Totals) { t.AddSale(a); t.AddSale(c) })
		reportMustEqual(t, reportMustTotals(t, s, "K2"), k2)
		ts, err := s.Reports.ListTotals(ctx)
		if err != nil || len(ts) != 2 || ts[0].Kiosk != "K1" || ts[1].Kiosk != "K2" {
			t.Fatalf("ListTotals = %+v, %v; want K1 and K2", ts, err)
		}
		reportMustEqual(t, ts[1], k2)
	})

	t.Run("journal entries are counted as Totals.AddEntry says, in their kiosk", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		p := storePending("p", "K1", 1, storeLine(prodSnus, 1))
		if err := s.Sales.SavePending(ctx, p, storePendingEntry(p)); err != nil {
			t.Fatal(err)
		}
		es := []kiosk.Entry{
			{Code: kiosk.CodeOther, Subtype: kiosk.SubLineVoided, Time: suiteT0, Kiosk: "K1", Amount: 3490},
			{Code: kiosk.CodePriceLookup, Subtype: kiosk.SubLookupMiss, Time: suiteT0, Kiosk: "K1"},
			{Code: kiosk.CodeCopyReceipt, Time: suiteT0, Kiosk: "K1", Amount: 15900},
			{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: suiteT0, Amount: 999}, // no kiosk: nowhere
			{Code: kiosk.CodeOther, Subtype: kiosk.SubCabinetDoor, Time: suiteT0, Kiosk: "K1"},   // not counted
		}
		for _, e := range es {
			if _, err := s.Journal.Append(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		void := kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: suiteT0, Kiosk: "K1", SaleID: "p", Amount: p.Amount}
		if err := s.Sales.VoidPending(ctx, "p", void); err != nil {
			t.Fatal(err)
		}
		reportMustEqual(t, reportMustTotals(t, s, "K1"), want("K1", func(t *kiosk.Totals) {
			for _, e := range append(es, void) {
				if e.Kiosk == "K1" {
					t.AddEntry(e)
				}
			}
		}))
		if ts, err := s.Reports.ListTotals(ctx); err != nil || len(ts) != 1 {
			t.Fatalf("ListTotals = %+v, %v; want K1 only", ts, err)
		}
	})

	t.Run("pending sales are open until completed or voided", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		for _, p := range []kiosk.PendingSale{
			storePending("b", "K1", 1, storeLine(prodSnus, 1)), storePending("a", "K1", 2, storeLine(prodCola, 1)),
			storePending("c", "K2", 3, storeLine(prodCola, 1)),
		} {
			for range 2 { // saved again as the payment goes on: still one open sale
				if err := s.Sales.SavePending(ctx, p, storePendingEntry(p)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := reportMustTotals(t, s, "K1").Open; len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Fatalf("K1's open sales = %q, want a and b", got)
		}
		sale := storeSale("a", "K1", 2, storeLine(prodCola, 1))
		if _, err := s.Sales.CompleteSale(ctx, sale, storeSaleEntry(sale)); err != nil {
			t.Fatal(err)
		}
		if err := s.Sales.VoidPending(ctx, "b", kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: suiteT0, Kiosk: "K1", SaleID: "b"}); err != nil {
			t.Fatal(err)
		}
		if got := reportMustTotals(t, s, "K1").Open; len(got) != 0 {
			t.Errorf("K1's open sales after completing and voiding them = %q", got)
		}
		if got := reportMustTotals(t, s, "K2").Open; len(got) != 1 || got[0] != "c" {
			t.Errorf("K2's open sales = %q, want c", got)
		}
	})

	t.Run("an X report is journaled and changes no totals", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		complete(t, s, storeSale("a", "K1", 1, storeLine(prodCigs, 1)))
		before := reportMustTotals(t, s, "K1")
		head := reportMustHead(t, s)
		var got kiosk.Totals
		var gotHead kiosk.Record
		r, err := s.Reports.Report(ctx, "K1", false, func(t kiosk.Totals, h kiosk.Record) (kiosk.Entry, error) {
			got, gotHead = t, h
			return kiosk.Entry{Code: kiosk.CodeXReport, Time: suiteT0.Add(time.Hour), Kiosk: "K1", Text: "X"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		reportMustEqual(t, got, before)
		if gotHead.Seq != head.Seq || gotHead.Hash != head.Hash {
			t.Errorf("build was given head %d, want %d", gotHead.Seq, head.Seq)
		}
		if r.Seq != head.Seq+1 || r.Code != kiosk.CodeXReport || r.Text != "X" {
			t.Errorf("report record = %+v", r)
		}
		if h := reportMustHead(t, s); h.Seq != r.Seq || h.Hash != r.Hash {
			t.Errorf("head after the report = %d, want the report's record %d", h.Seq, r.Seq)
		}
		reportMustEqual(t, reportMustTotals(t, s, "K1"), before)
	})

	t.Run("a Z report closes the period and keeps the grand totals", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		a := complete(t, s, storeSale("a", "K1", 1, storeLine(prodCigs, 1)))
		other := complete(t, s, storeSale("o", "K2", 1, storeLine(prodCola, 1)))
		r, err := s.Reports.Report(ctx, "K1", true, zReport)
		if err != nil {
			t.Fatal(err)
		}
		k1 := want("K1", func(t *kiosk.Totals) { t.AddSale(a); t.CloseZ(r) })
		reportMustEqual(t, reportMustTotals(t, s, "K1"), k1)
		if k1.LastZ.No != 1 || k1.GrandSales != a.Total || k1.Period.Sales.Num != 0 {
			t.Fatalf("closed totals = %+v", k1)
		}
		reportMustEqual(t, reportMustTotals(t, s, "K2"), want("K2", func(t *kiosk.Totals) { t.AddSale(other) }))
		b := complete(t, s, storeSale("b", "K1", 2, storeLine(prodSnus, 2)))
		r2, err := s.Reports.Report(ctx, "K1", true, zReport)
		if err != nil {
			t.Fatal(err)
		}
		k1.AddSale(b)
		k1.CloseZ(r2)
		reportMustEqual(t, reportMustTotals(t, s, "K1"), k1)
		if k1.LastZ.No != 2 || k1.LastZ.Seq != r2.Seq || k1.LastZ.Hash != r2.Hash || k1.LastZ.LastReceipt != b.No {
			t.Errorf("second Z = %+v", k1.LastZ)
		}
	})

	t.Run("a Z report is refused while its kiosk has a pending sale", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		p := storePending("p", "K1", 1, storeLine(prodSnus, 1))
		if err := s.Sales.SavePending(ctx, p, storePendingEntry(p)); err != nil {
			t.Fatal(err)
		}
		head := reportMustHead(t, s)
		if _, err := s.Reports.Report(ctx, "K1", true, zReport); !errors.Is(err, kiosk.ErrSaleOpen) {
			t.Fatalf("Z with a pending sale = %v, want ErrSaleOpen", err)
		}
		if h := reportMustHead(t, s); h.Seq != head.Seq {
			t.Errorf("the refused Z journaled record %d", h.Seq)
		}
		reportMustEqual(t, reportMustTotals(t, s, "K1"), kiosk.Totals{Kiosk: "K1", Open: []string{"p"}})
		if _, err := s.Reports.Report(ctx, "K1", false, func(t kiosk.Totals, h kiosk.Record) (kiosk.Entry, error) {
			return kiosk.Entry{Code: kiosk.CodeXReport, Time: suiteT0, Kiosk: "K1"}, nil
		}); err != nil {
			t.Errorf("an X report with a pending sale: %v", err)
		}
		if _, err := s.Reports.Report(ctx, "K2", true, zReport); err != nil {
			t.Errorf("Z of K2 while K1 has a pending sale: %v", err)
		}
	})

	t.Run("an error from build is returned and nothing written", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		complete(t, s, storeSale("a", "K1", 1, storeLine(prodCigs, 1)))
		before, head := reportMustTotals(t, s, "K1"), reportMustHead(t, s)
		if _, err := s.Reports.Report(ctx, "K1", true, func(kiosk.Totals, kiosk.Record) (kiosk.Entry, error) {
			return kiosk.Entry{}, kiosk.ErrZDone
		}); !errors.Is(err, kiosk.ErrZDone) {
			t.Fatalf("Report = %v, want build's ErrZDone", err)
		}
		reportMustEqual(t, reportMustTotals(t, s, "K1"), before)
		if h := reportMustHead(t, s); h.Seq != head.Seq {
			t.Errorf("journal moved to %d", h.Seq)
		}
	})
}

func reportMustTotals(t *testing.T, s ReportUnderTest, kioskID string) kiosk.Totals {
	t.Helper()
	tot, err := s.Reports.Totals(context.Background(), kioskID)
	if err != nil {
		t.Fatalf("Totals(%s): %v", kioskID, err)
	}
	return tot
}

func reportMustHead(t *testing.T, s ReportUnderTest) kiosk.Record {
	t.Helper()
	h, err := s.Journal.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// reportMustEqual compares totals in their stored form.
func reportMustEqual(t *testing.T, got, want kiosk.Totals) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("totals:\n got %s\nwant %s", g, w)
	}
}
