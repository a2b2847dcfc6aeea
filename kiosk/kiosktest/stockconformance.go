package kiosktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// StockUnderTest is a store's kiosk.StockStore with the ports it works
// with: the catalog whose stock it changes, the sales that take stock
// and the journal it records into.
type StockUnderTest struct {
	Catalog kiosk.Catalog
	Sales   kiosk.SaleStore
	Journal kiosk.Journal
	Stock   kiosk.StockStore
}

// TestStockStore runs the kiosk.StockStore conformance suite. open
// returns a new, empty store for each subtest, signing with the fake
// Signer's key.
func TestStockStore(t *testing.T, open func(t *testing.T) StockUnderTest) {
	ctx := context.Background()
	setup := func(t *testing.T) StockUnderTest {
		u := open(t)
		storeSeed(t, u.Catalog)
		return u
	}
	stock := func(t *testing.T, u StockUnderTest, p kiosk.Product) int {
		t.Helper()
		got, err := u.Catalog.Lookup(ctx, p.GTIN)
		if err != nil {
			t.Fatal(err)
		}
		return got.Stock
	}
	entry := kiosk.Entry{Time: suiteT0.Add(time.Hour), Kiosk: "K1"}

	t.Run("goods received add to the stock and are journaled with the staff member", func(t *testing.T) {
		u := setup(t)
		p, err := u.Stock.ReceiveStock(ctx, prodCola.GTIN, 24, "ola", entry)
		if err != nil {
			t.Fatalf("ReceiveStock: %v", err)
		}
		if p.GTIN != prodCola.GTIN || p.Stock != prodCola.Stock+24 || stock(t, u, prodCola) != prodCola.Stock+24 {
			t.Errorf("ReceiveStock returned stock %d, the catalog has %d; want %d", p.Stock, stock(t, u, prodCola), prodCola.Stock+24)
		}
		head, err := u.Journal.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if head.Code != kiosk.CodeOther || head.Subtype != kiosk.SubStockReceipt || head.Kiosk != "K1" ||
			head.Data["gtin"] != string(prodCola.GTIN) || head.Data["qty"] != "24" || head.Data["staff"] != "ola" {
			t.Errorf("journal head = %+v", head)
		}
	})

	t.Run("refused: a quantity out of range, an unknown product; nothing changes", func(t *testing.T) {
		u := setup(t)
		before, _ := u.Journal.Head(ctx)
		for _, c := range []struct {
			g    kiosk.GTIN
			qty  int
			want error
		}{
			{prodCola.GTIN, 0, kiosk.ErrBadStockQty},
			{prodCola.GTIN, -3, kiosk.ErrBadStockQty},
			{prodCola.GTIN, kiosk.MaxReceiveQty + 1, kiosk.ErrBadStockQty},
			{storeGTIN("704000000099"), 1, kiosk.ErrNotFound},
		} {
			if _, err := u.Stock.ReceiveStock(ctx, c.g, c.qty, "ola", entry); !errors.Is(err, c.want) {
				t.Errorf("ReceiveStock(%s, %d) = %v, want %v", c.g, c.qty, err, c.want)
			}
		}
		if after, _ := u.Journal.Head(ctx); after.Seq != before.Seq || stock(t, u, prodCola) != prodCola.Stock {
			t.Error("a refused receipt changed something")
		}
	})

	t.Run("a shelf product sold beyond its stock is flagged for a recount", func(t *testing.T) {
		u := setup(t)
		storeMustComplete(t, u.Sales, storeSale("s1", "K1", 0, storeLine(prodChoc, prodChoc.Stock+2)))
		got, err := u.Catalog.Lookup(ctx, prodChoc.GTIN)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stock != -2 || !got.Recount {
			t.Errorf("after selling %d of %d: stock %d, recount %v; want -2, true", prodChoc.Stock+2, prodChoc.Stock, got.Stock, got.Recount)
		}
		st, err := u.Stock.StockStatus(ctx, suiteT0.Add(time.Hour), kiosk.DefaultOutlook)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Recount) != 1 || st.Recount[0].GTIN != prodChoc.GTIN {
			t.Errorf("StockStatus.Recount = %+v, want the chocolate", st.Recount)
		}
		// It sold 5 in the window, none left: the outlook lists it.
		if len(st.Outlook) != 1 || st.Outlook[0].GTIN != prodChoc.GTIN || st.Outlook[0].Sold != prodChoc.Stock+2 {
			t.Errorf("StockStatus.Outlook = %+v, want the chocolate", st.Outlook)
		}
	})

	t.Run("the status lists products at or below their threshold", func(t *testing.T) {
		u := setup(t)
		low, high := prodPaper, prodLight
		low.LowStock, high.LowStock = low.Stock, high.Stock-1
		storeMustPut(t, u.Catalog, low)
		storeMustPut(t, u.Catalog, high)
		st, err := u.Stock.StockStatus(ctx, suiteT0, kiosk.DefaultOutlook)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Low) != 1 || st.Low[0].GTIN != low.GTIN || st.Low[0].LowStock != low.LowStock {
			t.Errorf("StockStatus.Low = %+v, want the newspaper at its threshold", st.Low)
		}
		if len(st.Recount) != 0 || len(st.Outlook) != 0 {
			t.Errorf("StockStatus = %+v; nothing sold, nothing to recount", st)
		}
	})
}
