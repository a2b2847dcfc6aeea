package kiosktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// ReturnUnderTest is a store's kiosk.ReturnStore with the ports it works
// with: the sales it returns goods of, the catalog whose stock it puts
// back, the journal it signs into and the totals it counts into.
type ReturnUnderTest struct {
	Catalog kiosk.Catalog
	Sales   kiosk.SaleStore
	Journal kiosk.Journal
	Returns kiosk.ReturnStore
	Reports kiosk.ReportStore
}

// TestReturnStore runs the kiosk.ReturnStore conformance suite. open
// returns a new, empty store for each subtest, signing with the fake
// Signer's key in Europe/Oslo.
func TestReturnStore(t *testing.T, open func(t *testing.T) ReturnUnderTest) {
	ctx := context.Background()
	// setup: a seeded catalog and two sales of kiosk K1: 3 cigarettes and
	// a cola (receipt 1), 2 snus (receipt 2).
	setup := func(t *testing.T) ReturnUnderTest {
		u := open(t)
		storeSeed(t, u.Catalog)
		storeMustComplete(t, u.Sales, storeSale("s1", "K1", 0, storeLine(prodCigs, 3), storeLine(prodCola, 1)))
		storeMustComplete(t, u.Sales, storeSale("s2", "K1", 5, storeLine(prodSnus, 2)))
		return u
	}
	ret := func(t *testing.T, u ReturnUnderTest, id string, no uint64, m kiosk.RefundMethod, want ...kiosk.ReturnLine) (kiosk.Return, error) {
		t.Helper()
		s, err := u.Sales.Sale(ctx, "K1", no)
		if err != nil {
			t.Fatal(err)
		}
		r, err := kiosk.NewReturn(s, nil, want)
		if err != nil {
			t.Fatal(err)
		}
		r.ID, r.Time, r.Method, r.Staff = id, suiteT0.Add(time.Hour), m, "sup"
		if m == kiosk.RefundCard {
			r.Refund = kiosk.PaymentResult{Approved: true, Code: "00", Amount: r.Total, CardType: "Visa", Trace: "77"}
		}
		e := kiosk.Entry{Code: kiosk.CodeReturnPayment, Time: r.Time, Kiosk: "K1", SaleID: r.OriginalSale, Amount: -r.Total}
		return u.Returns.CompleteReturn(ctx, r, e)
	}

	t.Run("a return takes the next receipt number, puts stock back and is signed in the chain", func(t *testing.T) {
		u := setup(t)
		r, err := ret(t, u, "r1", 1, kiosk.RefundCard, kiosk.ReturnLine{GTIN: prodCigs.GTIN, Qty: 2})
		if err != nil {
			t.Fatalf("CompleteReturn: %v", err)
		}
		if r.No != 3 || r.Total != 2*prodCigs.Price || r.Original != 1 || r.OriginalSale != "s1" {
			t.Fatalf("return = %+v; want receipt 3 of 2 × %s from receipt 1", r, prodCigs.Name)
		}
		storeWantStock(t, u.Catalog, map[kiosk.GTIN]int{prodCigs.GTIN: prodCigs.Stock - 3 + 2, prodCola.GTIN: prodCola.Stock - 1})
		got, err := u.Returns.Returned(ctx, "K1", 1)
		if err != nil || len(got) != 1 || got[prodCigs.GTIN] != 2 {
			t.Fatalf("Returned = %v, %v; want 2 cigarettes", got, err)
		}
		// The next sale goes on from the return's number.
		s3 := storeMustComplete(t, u.Sales, storeSale("s3", "K1", 90, storeLine(prodCola, 1)))
		if s3.No != 4 {
			t.Errorf("the sale after the return is receipt %d, want 4", s3.No)
		}
		var tx *kiosk.CashTx
		storeMustScan(t, u.Journal, 1, func(rec kiosk.Record) {
			if rec.Code == kiosk.CodeReturnPayment {
				tx = rec.Tx
				if rec.ReceiptNo != 3 {
					t.Errorf("11006 record's receipt %d, want 3", rec.ReceiptNo)
				}
			}
		})
		if tx == nil || tx.AmountIn != -2*prodCigs.Price || tx.AmountEx >= 0 || tx.Original != 1 || tx.Signature == "" || len(tx.Lines) != 1 || tx.Lines[0].Qty != -2 {
			t.Fatalf("return's cash transaction = %+v", tx)
		}
		sum := storeMustVerify(t, u.Journal)
		if sum.Signed != 4 {
			t.Errorf("signatures checked %d, want 4 (3 sales, 1 return)", sum.Signed)
		}
		if u.Reports != nil {
			tot, err := u.Reports.Totals(ctx, "K1")
			if err != nil {
				t.Fatal(err)
			}
			want := kiosk.Count{Num: 1, Amount: 2 * prodCigs.Price}
			if tot.Period.Returns != want || tot.GrandReturns != want.Amount || tot.Period.CardRefunds != want {
				t.Errorf("totals: returns %+v, grand %s, card refunds %+v; want %+v", tot.Period.Returns, tot.GrandReturns, tot.Period.CardRefunds, want)
			}
		}
	})

	t.Run("returns add up per sale and never exceed what was sold", func(t *testing.T) {
		u := setup(t)
		if _, err := ret(t, u, "r1", 1, kiosk.RefundCounter, kiosk.ReturnLine{GTIN: prodCigs.GTIN, Qty: 2}); err != nil {
			t.Fatal(err)
		}
		head := storeMustHead(t, u.Journal)
		_, err := ret(t, u, "r2", 1, kiosk.RefundCounter, kiosk.ReturnLine{GTIN: prodCigs.GTIN, Qty: 2})
		if !errors.Is(err, kiosk.ErrOverReturn) {
			t.Fatalf("returning 2 more of 3 with 2 returned = %v, want ErrOverReturn", err)
		}
		if h := storeMustHead(t, u.Journal); h.Seq != head.Seq {
			t.Errorf("a refused return journaled record %d", h.Seq)
		}
		storeWantStock(t, u.Catalog, map[kiosk.GTIN]int{prodCigs.GTIN: prodCigs.Stock - 1})
		if _, err := ret(t, u, "r3", 1, kiosk.RefundCounter, kiosk.ReturnLine{GTIN: prodCigs.GTIN, Qty: 1}, kiosk.ReturnLine{GTIN: prodCola.GTIN, Qty: 1}); err != nil {
			t.Fatalf("returning the rest: %v", err)
		}
		got, _ := u.Returns.Returned(ctx, "K1", 1)
		if got[prodCigs.GTIN] != 3 || got[prodCola.GTIN] != 1 {
			t.Errorf("Returned = %v", got)
		}
		other, _ := u.Returns.Returned(ctx, "K1", 2)
		if len(other) != 0 {
			t.Errorf("Returned of receipt 2 = %v, want none", other)
		}
		storeMustVerify(t, u.Journal)
	})

	t.Run("no such sale", func(t *testing.T) {
		u := setup(t)
		if _, err := u.Returns.Returned(ctx, "K1", 9); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Returned of receipt 9 = %v, want ErrNotFound", err)
		}
		if _, err := u.Returns.Returned(ctx, "K2", 1); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Returned of another kiosk's receipt = %v, want ErrNotFound", err)
		}
		s, _ := u.Sales.Sale(ctx, "K1", 1)
		r, _ := kiosk.NewReturn(s, nil, []kiosk.ReturnLine{{GTIN: prodCola.GTIN, Qty: 1}})
		r.ID, r.Time, r.Method, r.Original = "rx", suiteT0, kiosk.RefundCounter, 9
		if _, err := u.Returns.CompleteReturn(ctx, r, kiosk.Entry{Code: kiosk.CodeReturnPayment, Time: r.Time, Kiosk: "K1"}); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("CompleteReturn of receipt 9 = %v, want ErrNotFound", err)
		}
	})

	t.Run("a return made twice is a conflict", func(t *testing.T) {
		u := setup(t)
		if _, err := ret(t, u, "r1", 2, kiosk.RefundCounter, kiosk.ReturnLine{GTIN: prodSnus.GTIN, Qty: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := ret(t, u, "r1", 2, kiosk.RefundCounter, kiosk.ReturnLine{GTIN: prodSnus.GTIN, Qty: 1}); !errors.Is(err, kiosk.ErrConflict) {
			t.Fatalf("the same return again = %v, want ErrConflict", err)
		}
		got, _ := u.Returns.Returned(ctx, "K1", 2)
		if got[prodSnus.GTIN] != 1 {
			t.Errorf("Returned = %v, want 1 snus", got)
		}
	})
}
