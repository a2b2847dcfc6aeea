package kiosktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// This file holds the conformance suites of the store ports (kiosk.Catalog,
// kiosk.SaleStore, kiosk.Journal). Each sentence of their contracts in
// kiosk/ports.go has a subtest.

// StoreUnderTest is the three store ports of one store: a SaleStore writes
// the journal it is given, and its CompleteSale changes the catalog's stock.
type StoreUnderTest struct {
	Catalog kiosk.Catalog
	Sales   kiosk.SaleStore
	Journal kiosk.Journal
	// SetSigner sets (nil: takes away) the key CompleteSale signs with.
	// The store comes with the fake Signer's key in Europe/Oslo, so
	// that the suite can verify its signatures with a Signer of its own.
	SetSigner func(s kiosk.Signer, zone *time.Location)
}

// Fixtures shared by the suites. The GTINs are made with a valid check
// digit; the products obey Product.Validate.
var (
	suiteT0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.FixedZone("CET", 3600))

	prodCigs   = kiosk.Product{GTIN: storeGTIN("704000000001"), Name: "Prince Rød 20", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 15900, MinAge: 18, Cabinet: true, Stock: 40}
	prodSnus   = kiosk.Product{GTIN: storeGTIN("704000000002"), Name: "General Portion", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 12900, MinAge: 18, Cabinet: true, Stock: 25}
	prodCola   = kiosk.Product{GTIN: storeGTIN("704000000003"), Name: "Cola 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 3490, Stock: 60}
	prodPaper  = kiosk.Product{GTIN: storeGTIN("704000000004"), Name: "Aftenposten", Group: kiosk.GroupPress, VAT: kiosk.VAT0, Price: 4500, Stock: 10}
	prodLight  = kiosk.Product{GTIN: storeGTIN("704000000005"), Name: "Lighter", Group: kiosk.GroupOther, VAT: kiosk.VAT25, Price: 2500, Stock: 30}
	prodChoc   = kiosk.Product{GTIN: storeGTIN("704000000006"), Name: "Melkesjokolade", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 2990, Stock: 3}
	prodGone   = kiosk.Product{GTIN: storeGTIN("704000000007"), Name: "Discontinued", Group: kiosk.GroupOther, VAT: kiosk.VAT25, Price: 1000, Stock: 5}
	suiteAllPs = []kiosk.Product{prodCigs, prodSnus, prodCola, prodPaper, prodLight, prodChoc}
)

// storeWrongCheckDigit is g with its check digit changed.
func storeWrongCheckDigit(g kiosk.GTIN) kiosk.GTIN {
	s := string(g)
	d := s[len(s)-1]
	return kiosk.GTIN(s[:len(s)-1] + string('0'+(d-'0'+1)%10))
}

// storeGTIN makes a canonical GTIN from a 12-digit body and its check digit.
func storeGTIN(body string) kiosk.GTIN { return kiosk.MustGTIN(body + string(kiosk.CheckDigit(body))) }

// TestCatalog runs the kiosk.Catalog conformance suite. open returns a new,
// empty catalog for each subtest.
func TestCatalog(t *testing.T, open func(t *testing.T) kiosk.Catalog) {
	ctx := context.Background()

	t.Run("empty", func(t *testing.T) {
		c := open(t)
		if _, err := c.Lookup(ctx, prodCola.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Lookup in an empty catalog: err = %v, want ErrNotFound", err)
		}
		storeWantNames(t, "List", storeMustList(t, c), nil)
		storeWantNames(t, "Cabinet", storeMustCabinet(t, c), nil)
	})

	t.Run("put then lookup", func(t *testing.T) {
		c := open(t)
		for _, p := range suiteAllPs {
			storeMustPut(t, c, p)
		}
		for _, p := range suiteAllPs {
			got, err := c.Lookup(ctx, p.GTIN)
			if err != nil {
				t.Fatalf("Lookup(%s): %v", p.GTIN, err)
			}
			storeSameJSON(t, "Lookup "+string(p.GTIN), got, p)
		}
	})

	t.Run("extra barcodes and inactive products", func(t *testing.T) {
		c := open(t)
		cola := prodCola
		cola.Barcodes = kiosk.NewBarcodeList(storeGTIN("704000000903"))
		storeMustPut(t, c, cola)
		got, err := c.Lookup(ctx, kiosk.GTIN(storeGTIN("704000000903").Short()))
		if err != nil || got.GTIN != cola.GTIN || got.Barcodes != cola.Barcodes {
			t.Errorf("Lookup by the extra barcode = %+v, %v; want the cola", got, err)
		}
		taker := prodChoc
		taker.Barcodes = cola.Barcodes
		if err := c.Put(ctx, taker); !errors.Is(err, kiosk.ErrConflict) {
			t.Errorf("Put of another product with the cola's barcode: %v, want ErrConflict", err)
		}
		cigs := prodCigs
		cigs.Inactive = true
		storeMustPut(t, c, cigs)
		if _, err := c.Lookup(ctx, cigs.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Lookup of an inactive product: %v, want ErrNotFound", err)
		}
		storeWantNames(t, "Cabinet", storeMustCabinet(t, c), nil)
		storeWantNames(t, "List", storeMustList(t, c), []string{cola.Name, cigs.Name})
		cola.Barcodes = ""
		storeMustPut(t, c, cola) // gives the barcode up
		if _, err := c.Lookup(ctx, storeGTIN("704000000903")); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Lookup by a barcode given up: %v, want ErrNotFound", err)
		}
		storeMustPut(t, c, taker)
	})

	t.Run("lookup not found", func(t *testing.T) {
		c := open(t)
		storeMustPut(t, c, prodCola)
		for _, g := range []kiosk.GTIN{prodCigs.GTIN, "", "abc", storeWrongCheckDigit(prodCola.GTIN), "0000000000000000000"} {
			if p, err := c.Lookup(ctx, g); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("Lookup(%q) = %v, %v; want ErrNotFound", g, p.Name, err)
			}
		}
	})

	t.Run("lookup canonicalises the code", func(t *testing.T) {
		c := open(t)
		storeMustPut(t, c, prodCola)
		got, err := c.Lookup(ctx, kiosk.GTIN(prodCola.GTIN.Short()))
		if err != nil {
			t.Fatalf("Lookup(%s as EAN-13): %v", prodCola.GTIN.Short(), err)
		}
		storeSameJSON(t, "Lookup", got, prodCola)
	})

	t.Run("put replaces", func(t *testing.T) {
		c := open(t)
		storeMustPut(t, c, prodCola)
		p := prodCola
		p.Price, p.Stock, p.Name = 3990, 7, "Cola 0,5 l (ny pris)"
		storeMustPut(t, c, p)
		got, err := c.Lookup(ctx, p.GTIN)
		if err != nil {
			t.Fatal(err)
		}
		// A new price is a new price version, whose time is the
		// store's (Product.PriceFrom).
		p.PriceFrom = got.PriceFrom
		storeSameJSON(t, "Lookup after replace", got, p)
		storeWantNames(t, "List", storeMustList(t, c), []string{p.Name})
	})

	t.Run("put refuses invalid products", func(t *testing.T) {
		edit := func(base kiosk.Product, f func(*kiosk.Product)) kiosk.Product { f(&base); return base }
		tests := []struct {
			name string
			p    kiosk.Product
		}{
			{"tobacco not in cabinet", edit(prodCigs, func(p *kiosk.Product) { p.Cabinet = false })},
			{"tobacco without age limit", edit(prodSnus, func(p *kiosk.Product) { p.MinAge = 0 })},
			{"bad check digit", edit(prodCola, func(p *kiosk.Product) { p.GTIN = storeWrongCheckDigit(prodCola.GTIN) })},
			{"not digits", edit(prodCola, func(p *kiosk.Product) { p.GTIN = "0704000000003x" })},
			{"GTIN not in 14-digit form", edit(prodCola, func(p *kiosk.Product) { p.GTIN = kiosk.GTIN(prodCola.GTIN.Short()) })},
			{"empty GTIN", edit(prodCola, func(p *kiosk.Product) { p.GTIN = "" })},
			{"no name", edit(prodCola, func(p *kiosk.Product) { p.Name = "" })},
			{"zero price", edit(prodCola, func(p *kiosk.Product) { p.Price = 0 })},
			{"negative price", edit(prodCola, func(p *kiosk.Product) { p.Price = -100 })},
			{"unknown VAT rate", edit(prodCola, func(p *kiosk.Product) { p.VAT = 24 })},
			{"age 16", edit(prodLight, func(p *kiosk.Product) { p.MinAge = 16 })},
			{"unknown group", edit(prodLight, func(p *kiosk.Product) { p.Group = 99 })},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := open(t)
				err := c.Put(ctx, tt.p)
				if !errors.Is(err, kiosk.ErrInvalidProduct) {
					t.Fatalf("Put: err = %v, want ErrInvalidProduct", err)
				}
				storeWantNames(t, "List after a refused Put", storeMustList(t, c), nil)
			})
		}
		t.Run("replacement refused keeps the old product", func(t *testing.T) {
			c := open(t)
			storeMustPut(t, c, prodCigs)
			bad := prodCigs
			bad.Cabinet, bad.Price = false, 1
			if err := c.Put(ctx, bad); !errors.Is(err, kiosk.ErrInvalidProduct) {
				t.Fatalf("Put: err = %v, want ErrInvalidProduct", err)
			}
			got, err := c.Lookup(ctx, prodCigs.GTIN)
			if err != nil {
				t.Fatal(err)
			}
			storeSameJSON(t, "Lookup after a refused replacement", got, prodCigs)
		})
	})

	t.Run("list and cabinet by name", func(t *testing.T) {
		c := open(t)
		// Put in an order that is neither by name nor by GTIN; two
		// products share a name (then GTIN order decides).
		twin := prodLight
		twin.GTIN, twin.Name = storeGTIN("704000000000"), prodCola.Name
		for _, p := range []kiosk.Product{prodLight, prodCigs, prodCola, twin, prodChoc, prodSnus, prodPaper} {
			storeMustPut(t, c, p)
		}
		list := storeMustList(t, c)
		storeWantNames(t, "List", list, []string{"Aftenposten", "Cola 0,5 l", "Cola 0,5 l", "General Portion", "Lighter", "Melkesjokolade", "Prince Rød 20"})
		if list[1].GTIN != twin.GTIN || list[2].GTIN != prodCola.GTIN {
			t.Errorf("List: products with the same name in GTIN order: got %s, %s", list[1].GTIN, list[2].GTIN)
		}
		cab := storeMustCabinet(t, c)
		storeWantNames(t, "Cabinet", cab, []string{"General Portion", "Prince Rød 20"})
		for _, p := range cab {
			if !p.Cabinet {
				t.Errorf("Cabinet lists %s, which is not a cabinet product", p.Name)
			}
		}
	})

	t.Run("find names gives what List gives", func(t *testing.T) {
		c := open(t)
		f, ok := c.(kiosk.NameFinder)
		if !ok {
			t.Skip("not a kiosk.NameFinder")
		}
		twin := prodLight
		twin.GTIN, twin.Name = storeGTIN("704000000000"), prodCola.Name
		off := prodChoc
		off.Inactive = true
		for _, p := range []kiosk.Product{prodLight, prodCigs, prodCola, twin, off, prodSnus, prodPaper} {
			storeMustPut(t, c, p)
		}
		list := storeMustList(t, c)
		for _, m := range []struct {
			name  string
			match func(string) bool
		}{
			{"all", func(string) bool { return true }},
			{"none", func(string) bool { return false }},
			{"with an o", func(n string) bool { return strings.Contains(n, "o") }},
			{"the twins", func(n string) bool { return n == prodCola.Name }},
		} {
			for _, max := range []int{0, 1, 2, 100} {
				var want []kiosk.Product
				for _, p := range list {
					if m.match(p.Name) && (max <= 0 || len(want) < max) {
						want = append(want, p)
					}
				}
				got, err := f.FindNames(ctx, m.match, max)
				if err != nil {
					t.Fatalf("FindNames(%s, %d): %v", m.name, max, err)
				}
				if len(got) != len(want) {
					t.Fatalf("FindNames(%s, %d) gave %d products, List %d", m.name, max, len(got), len(want))
				}
				for i := range got {
					storeSameJSON(t, fmt.Sprintf("FindNames(%s, %d)[%d]", m.name, max, i), got[i], want[i])
				}
			}
		}
	})

	t.Run("cabinet follows a replacement", func(t *testing.T) {
		c := open(t)
		storeMustPut(t, c, prodLight)
		storeWantNames(t, "Cabinet", storeMustCabinet(t, c), nil)
		p := prodLight
		p.Cabinet = true
		storeMustPut(t, c, p)
		storeWantNames(t, "Cabinet after moving the lighter into it", storeMustCabinet(t, c), []string{"Lighter"})
	})
}

// TestSaleStore runs the kiosk.SaleStore conformance suite, with the
// catalog and journal of the same store. open returns a new, empty store
// for each subtest.
func TestSaleStore(t *testing.T, open func(t *testing.T) StoreUnderTest) {
	ctx := context.Background()

	t.Run("empty", func(t *testing.T) {
		s := open(t)
		for _, no := range []uint64{0, 1, 2} {
			if _, err := s.Sales.Sale(ctx, "K1", no); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("Sale(K1, %d) in an empty store: err = %v, want ErrNotFound", no, err)
			}
		}
		if ps := storeMustPending(t, s.Sales); len(ps) != 0 {
			t.Errorf("Pending in an empty store = %d sales, want none", len(ps))
		}
	})

	t.Run("SavePending journals every entry, in order", func(t *testing.T) {
		s := open(t)
		p := storePending("multi", "K1", 1, storeLine(prodCola, 1))
		first := storePendingEntry(p)
		second := first
		second.Subtype, second.Text = kiosk.SubCabinetUnlock, "cabinet unlocked"
		if err := s.Sales.SavePending(ctx, p, first, second); err != nil {
			t.Fatal(err)
		}
		var subs []string
		if err := s.Journal.Scan(ctx, 0, func(r kiosk.Record) error { subs = append(subs, r.Subtype); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(subs) != 2 || subs[0] != first.Subtype || subs[1] != kiosk.SubCabinetUnlock {
			t.Errorf("journal subtypes %q, want [%s %s]", subs, first.Subtype, kiosk.SubCabinetUnlock)
		}
		if _, err := kiosk.VerifyJournal(ctx, s.Journal); err != nil {
			t.Errorf("chain after two entries in one write: %v", err)
		}
		if ps := storeMustPending(t, s.Sales); len(ps) != 1 {
			t.Errorf("%d pending, want 1", len(ps))
		}
	})

	t.Run("receipt numbers from 1 without gaps", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		var want []kiosk.Sale
		for i := 1; i <= 5; i++ {
			sale := storeSale(fmt.Sprintf("sale-%d", i), "K1", i, storeLine(prodCola, 1))
			got := storeMustComplete(t, s.Sales, sale)
			if got.No != uint64(i) {
				t.Fatalf("sale %d got receipt %d, want %d", i, got.No, i)
			}
			sale.No = uint64(i)
			storeSameJSON(t, "CompleteSale's result", got, sale)
			want = append(want, sale)
		}
		for _, w := range want {
			got, err := s.Sales.Sale(ctx, "K1", w.No)
			if err != nil {
				t.Fatalf("Sale(%d): %v", w.No, err)
			}
			storeSameJSON(t, fmt.Sprintf("Sale(%d)", w.No), got, w)
		}
		for _, no := range []uint64{0, 6, 1 << 40} {
			if _, err := s.Sales.Sale(ctx, "K1", no); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("Sale(K1, %d): err = %v, want ErrNotFound", no, err)
			}
		}
	})

	t.Run("receipt numbers per kiosk", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		order := []string{"K1", "K2", "K1", "K1", "K2"}
		want := map[string]uint64{"K1": 0, "K2": 0}
		for i, k := range order {
			want[k]++
			got := storeMustComplete(t, s.Sales, storeSale(fmt.Sprintf("sale-%d", i), k, i, storeLine(prodCola, 1)))
			if got.No != want[k] || got.Kiosk != k {
				t.Fatalf("sale %d on %s got receipt %s/%d, want %s/%d", i, k, got.Kiosk, got.No, k, want[k])
			}
		}
		for _, c := range []struct {
			kiosk string
			no    uint64
			id    string
		}{{"K1", 1, "sale-0"}, {"K1", 2, "sale-2"}, {"K1", 3, "sale-3"}, {"K2", 1, "sale-1"}, {"K2", 2, "sale-4"}} {
			got, err := s.Sales.Sale(ctx, c.kiosk, c.no)
			if err != nil || got.ID != c.id {
				t.Errorf("Sale(%s, %d) = %s, %v; want %s", c.kiosk, c.no, got.ID, err, c.id)
			}
		}
		for _, c := range []struct {
			kiosk string
			no    uint64
		}{{"K1", 4}, {"K2", 3}, {"K3", 1}, {"K1", 0}} {
			if _, err := s.Sales.Sale(ctx, c.kiosk, c.no); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("Sale(%s, %d): err = %v, want ErrNotFound", c.kiosk, c.no, err)
			}
		}
	})

	t.Run("stock decremented by the sale's quantities", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		// Two lines of the same product count together; a product that
		// left the catalog is skipped; chocolate goes below zero (the
		// goods are gone: a paid sale is never refused over stock).
		storeMustComplete(t, s.Sales, storeSale("s1", "K1", 0,
			storeLine(prodCola, 2), storeLine(prodCigs, 1), storeLine(prodCola, 3), storeLine(prodGone, 1), storeLine(prodChoc, 5)))
		storeWantStock(t, s.Catalog, map[kiosk.GTIN]int{
			prodCola.GTIN: prodCola.Stock - 5, prodCigs.GTIN: prodCigs.Stock - 1,
			prodChoc.GTIN: prodChoc.Stock - 5, prodSnus.GTIN: prodSnus.Stock,
		})
		if _, err := s.Catalog.Lookup(ctx, prodGone.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("a sold product that was not in the catalog was added to it: err = %v", err)
		}
		storeMustComplete(t, s.Sales, storeSale("s2", "K2", 1, storeLine(prodCigs, 2)))
		storeWantStock(t, s.Catalog, map[kiosk.GTIN]int{prodCigs.GTIN: prodCigs.Stock - 3})
	})

	t.Run("completing a sale twice is a conflict", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		first := storeMustComplete(t, s.Sales, storeSale("dup", "K1", 0, storeLine(prodCola, 2)))
		records := storeCountRecords(t, s.Journal)
		again := storeSale("dup", "K1", 1, storeLine(prodCola, 4), storeLine(prodSnus, 1))
		for _, k := range []string{"K1", "K2"} {
			again.Kiosk = k
			if got, err := s.Sales.CompleteSale(ctx, again, storeSaleEntry(again)); !errors.Is(err, kiosk.ErrConflict) {
				t.Fatalf("second CompleteSale on %s = receipt %d, %v; want ErrConflict", k, got.No, err)
			}
		}
		if n := storeCountRecords(t, s.Journal); n != records {
			t.Errorf("refused CompleteSale journaled: %d records, want %d", n, records)
		}
		storeWantStock(t, s.Catalog, map[kiosk.GTIN]int{prodCola.GTIN: prodCola.Stock - 2, prodSnus.GTIN: prodSnus.Stock})
		got, err := s.Sales.Sale(ctx, "K1", 1)
		if err != nil {
			t.Fatal(err)
		}
		storeSameJSON(t, "Sale(1) after the refused second completion", got, first)
		if _, err := s.Sales.Sale(ctx, "K1", 2); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Sale(2) after a refused completion: err = %v, want ErrNotFound", err)
		}
		next := storeMustComplete(t, s.Sales, storeSale("next", "K1", 2, storeLine(prodCola, 1)))
		if next.No != 2 {
			t.Errorf("the next sale got receipt %d, want 2 (no number consumed by the conflict)", next.No)
		}
		storeMustVerify(t, s.Journal)
	})

	t.Run("complete journals the entry with its receipt number", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		storeMustAppend(t, s.Journal, kiosk.Entry{Code: kiosk.CodePOSStart, Time: suiteT0, Kiosk: "K1"})
		for i, k := range []string{"K1", "K2", "K1"} {
			sale := storeSale(fmt.Sprintf("s%d", i), k, i, storeLine(prodPaper, 1))
			e := storeSaleEntry(sale)
			e.Code, e.ReceiptNo = kiosk.CodeOther, 999 // the store sets both
			got, err := s.Sales.CompleteSale(ctx, sale, e)
			if err != nil {
				t.Fatal(err)
			}
			head := storeMustHead(t, s.Journal)
			want := e
			want.Code, want.ReceiptNo = kiosk.CodeCashSale, got.No
			if head.Seq != uint64(i)+2 {
				t.Errorf("head is record %d, want %d", head.Seq, i+2)
			}
			// The sale in full, signed (checked by storeMustVerify).
			if head.Tx == nil {
				t.Fatalf("receipt %d journaled without its cash transaction", got.No)
			}
			if err := head.Tx.MatchesSale(got); err != nil {
				t.Errorf("journaled transaction: %v", err)
			}
			if head.Tx.Signature == "" || head.Tx.KeyVersion == 0 {
				t.Errorf("receipt %d journaled unsigned: %+v", got.No, head.Tx)
			}
			want.Tx = head.Tx
			storeSameJSON(t, "journaled entry", head.Entry, storeUTCEntry(want))
		}
		if sum := storeMustVerify(t, s.Journal); sum.Signed != 3 {
			t.Errorf("%d signatures verified, want 3", sum.Signed)
		}
	})

	t.Run("complete refuses without a signer", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		s.SetSigner(nil, nil)
		sale := storeSale("unsigned", "K1", 0, storeLine(prodPaper, 1))
		if _, err := s.Sales.CompleteSale(ctx, sale, storeSaleEntry(sale)); !errors.Is(err, kiosk.ErrSignerUnavailable) {
			t.Fatalf("CompleteSale without a signer = %v; want ErrSignerUnavailable", err)
		}
		if _, err := s.Sales.Sale(ctx, "K1", 1); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("the unsigned sale was stored: %v", err)
		}
		var f Signer
		f.Fail(errors.New("the key file is gone"))
		s.SetSigner(&f, storeZone)
		if _, err := s.Sales.CompleteSale(ctx, sale, storeSaleEntry(sale)); !errors.Is(err, kiosk.ErrSignerUnavailable) {
			t.Fatalf("CompleteSale with a failing signer = %v; want ErrSignerUnavailable", err)
		}
		if _, err := s.Sales.Sale(ctx, "K1", 1); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("the unsigned sale was stored: %v", err)
		}
	})

	t.Run("complete deletes the pending sale", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		p1 := storePending("p1", "K1", 0, storeLine(prodCigs, 1))
		p2 := storePending("p2", "K1", 1, storeLine(prodCola, 1))
		storeMustSavePending(t, s.Sales, p1)
		storeMustSavePending(t, s.Sales, p2)
		sale := kiosk.NewSale(p1, suiteT0.Add(time.Minute))
		storeMustComplete(t, s.Sales, sale)
		storeWantPending(t, s.Sales, "p2")
		// A sale that was never pending completes too.
		storeMustComplete(t, s.Sales, storeSale("walk-in", "K1", 2, storeLine(prodLight, 1)))
		storeWantPending(t, s.Sales, "p2")
	})

	t.Run("pending saved, replaced and listed oldest first", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		// Started at minutes 2, 0, 1: saved out of order.
		pb := storePending("b", "K1", 2, storeLine(prodCola, 1))
		pa := storePending("a", "K1", 0, storeLine(prodCigs, 1))
		pc := storePending("c", "K2", 1, storeLine(prodSnus, 2))
		for _, p := range []kiosk.PendingSale{pb, pa, pc} {
			storeMustSavePending(t, s.Sales, p)
		}
		storeWantPending(t, s.Sales, "a", "c", "b")

		pa.State, pa.Attempt, pa.AgeCheckBy = kiosk.PendingApproved, 2, "badge 17"
		pa.Before = kiosk.TerminalMark{Known: true, Trace: "000041"} // the terminal's mark, kept for recovery
		pa.Result = &kiosk.PaymentResult{Approved: true, Code: "00", Amount: pa.Amount, CardType: "BankAxept", MaskedPAN: "************1234", Time: suiteT0.Add(3 * time.Minute).UTC(), Lines: []string{"KJØP", "GODKJENT"}}
		e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentApproved, Time: suiteT0.Add(3 * time.Minute), Kiosk: "K1", SaleID: "a", Amount: pa.Amount}
		if err := s.Sales.SavePending(ctx, pa, e); err != nil {
			t.Fatal(err)
		}
		ps := storeWantPending(t, s.Sales, "a", "c", "b")
		storeSameJSON(t, "replaced pending sale", ps[0], pa)
		storeSameJSON(t, "untouched pending sale", ps[2], pb)
		storeSameJSON(t, "journaled entry", storeMustHead(t, s.Journal).Entry, storeUTCEntry(e))
		if n := storeCountRecords(t, s.Journal); n != 4 {
			t.Errorf("journal has %d records, want 4 (one per SavePending)", n)
		}
	})

	t.Run("pending sales started together in save order", func(t *testing.T) {
		s := open(t)
		for _, id := range []string{"z", "x", "y"} {
			storeMustSavePending(t, s.Sales, storePending(id, "K1", 0, storeLine(prodCola, 1)))
		}
		// Replacing keeps a sale's place.
		storeMustSavePending(t, s.Sales, storePending("z", "K1", 0, storeLine(prodCola, 2)))
		storeWantPending(t, s.Sales, "z", "x", "y")
	})

	t.Run("void pending", func(t *testing.T) {
		s := open(t)
		storeMustSavePending(t, s.Sales, storePending("p1", "K1", 0, storeLine(prodCola, 1)))
		storeMustSavePending(t, s.Sales, storePending("p2", "K1", 1, storeLine(prodCola, 1)))
		e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: suiteT0.Add(time.Hour), Kiosk: "K1", SaleID: "p1"}
		if err := s.Sales.VoidPending(ctx, "p1", e); err != nil {
			t.Fatalf("VoidPending: %v", err)
		}
		storeWantPending(t, s.Sales, "p2")
		storeSameJSON(t, "journaled entry", storeMustHead(t, s.Journal).Entry, storeUTCEntry(e))
		if err := s.Sales.VoidPending(ctx, "p1", e); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("voiding p1 again: err = %v, want ErrNotFound", err)
		}
		if err := s.Sales.VoidPending(ctx, "never", e); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("voiding an unknown sale: err = %v, want ErrNotFound", err)
		}
		if n := storeCountRecords(t, s.Journal); n != 3 {
			t.Errorf("journal has %d records, want 3 (refused voids journal nothing)", n)
		}
		storeMustVerify(t, s.Journal)
	})

	t.Run("a completed sale is no longer pending", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		p := storePending("p", "K1", 0, storeLine(prodCola, 1))
		storeMustSavePending(t, s.Sales, p)
		storeMustComplete(t, s.Sales, kiosk.NewSale(p, suiteT0))
		records := storeCountRecords(t, s.Journal)
		p.State = kiosk.PendingApproved
		if err := s.Sales.SavePending(ctx, p, storePendingEntry(p)); !errors.Is(err, kiosk.ErrConflict) {
			t.Errorf("SavePending of a completed sale: err = %v, want ErrConflict", err)
		}
		if err := s.Sales.VoidPending(ctx, p.ID, storePendingEntry(p)); !errors.Is(err, kiosk.ErrNotFound) || !errors.Is(err, kiosk.ErrConflict) {
			t.Errorf("VoidPending of a completed sale: err = %v, want one matching ErrNotFound and ErrConflict", err)
		}
		storeWantPending(t, s.Sales)
		if n := storeCountRecords(t, s.Journal); n != records {
			t.Errorf("refused writes journaled: %d records, want %d", n, records)
		}
	})

	t.Run("empty sale IDs are refused", func(t *testing.T) {
		s := open(t)
		if err := s.Sales.SavePending(ctx, storePending("", "K1", 0), kiosk.Entry{Time: suiteT0}); err == nil {
			t.Error("SavePending with an empty ID succeeded")
		}
		if _, err := s.Sales.CompleteSale(ctx, storeSale("", "K1", 0), kiosk.Entry{Time: suiteT0}); err == nil {
			t.Error("CompleteSale with an empty ID succeeded")
		}
		if n := storeCountRecords(t, s.Journal); n != 0 {
			t.Errorf("refused writes journaled %d records", n)
		}
	})

	t.Run("the journal chain verifies", func(t *testing.T) {
		s := open(t)
		storeSeed(t, s.Catalog)
		storeMustAppend(t, s.Journal, kiosk.Entry{Code: kiosk.CodePOSStart, Time: suiteT0})
		for i := 0; i < 4; i++ {
			p := storePending(fmt.Sprintf("p%d", i), "K1", i, storeLine(prodCigs, 1), storeLine(prodCola, 2))
			storeMustSavePending(t, s.Sales, p)
			if i == 2 {
				if err := s.Sales.VoidPending(ctx, p.ID, storePendingEntry(p)); err != nil {
					t.Fatal(err)
				}
				continue
			}
			storeMustAppend(t, s.Journal, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubCabinetUnlock, Time: suiteT0, SaleID: p.ID})
			storeMustComplete(t, s.Sales, kiosk.NewSale(p, suiteT0.Add(time.Duration(i)*time.Minute)))
		}
		sum := storeMustVerify(t, s.Journal)
		// 1 start + 4 pending + 1 void + 3 × (unlock + receipt).
		if sum.Records != 12 {
			t.Errorf("journal has %d records, want 12", sum.Records)
		}
		if sum.ByCode[kiosk.CodeCashSale] != 3 {
			t.Errorf("journal has %d sales receipts, want 3", sum.ByCode[kiosk.CodeCashSale])
		}
		var receipts []uint64
		storeMustScan(t, s.Journal, 1, func(r kiosk.Record) {
			if r.Code == kiosk.CodeCashSale {
				receipts = append(receipts, r.ReceiptNo)
			}
		})
		if fmt.Sprint(receipts) != "[1 2 3]" {
			t.Errorf("journaled receipt numbers %v, want [1 2 3]", receipts)
		}
	})
}

// TestJournal runs the kiosk.Journal conformance suite. open returns a new,
// empty journal for each subtest.
func TestJournal(t *testing.T, open func(t *testing.T) kiosk.Journal) {
	ctx := context.Background()
	entries := func(n int) []kiosk.Entry {
		var out []kiosk.Entry
		for i := 0; i < n; i++ {
			out = append(out, kiosk.Entry{
				Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: suiteT0.Add(time.Duration(i) * time.Second),
				Kiosk: "K1", SaleID: fmt.Sprintf("sale-%d", i), Amount: kiosk.Money(100 * (i + 1)),
				Text: "forsøk " + fmt.Sprint(i), Data: map[string]string{"attempt": fmt.Sprint(i), "terminal": "T1"},
			})
		}
		return out
	}
	appendAll := func(t *testing.T, j kiosk.Journal, es []kiosk.Entry) []kiosk.Record {
		t.Helper()
		var out []kiosk.Record
		for _, e := range es {
			out = append(out, storeMustAppend(t, j, e))
		}
		return out
	}

	t.Run("empty", func(t *testing.T) {
		j := open(t)
		if h := storeMustHead(t, j); h.Seq != 0 || h.Hash != (kiosk.Hash{}) {
			t.Errorf("Head of an empty journal = record %d, want the zero Record", h.Seq)
		}
		storeMustScan(t, j, 1, func(r kiosk.Record) { t.Errorf("Scan of an empty journal gave record %d", r.Seq) })
		if sum := storeMustVerify(t, j); sum.Records != 0 {
			t.Errorf("VerifyJournal counted %d records", sum.Records)
		}
	})

	t.Run("append numbers and chains", func(t *testing.T) {
		j := open(t)
		es := entries(5)
		var prev kiosk.Record
		for i, e := range es {
			r := storeMustAppend(t, j, e)
			want, err := kiosk.Seal(prev, e)
			if err != nil {
				t.Fatal(err)
			}
			if r.Seq != uint64(i+1) || r.Prev != prev.Hash || r.Hash != want.Hash {
				t.Fatalf("record %d: seq %d, prev %s, hash %s; want seq %d, prev %s, hash %s",
					i+1, r.Seq, r.Prev, r.Hash, want.Seq, prev.Hash, want.Hash)
			}
			storeSameJSON(t, "appended entry", r.Entry, storeUTCEntry(e))
			if !r.Time.Equal(e.Time) || r.Time.Location() != time.UTC {
				t.Errorf("record %d time = %v, want %v in UTC", r.Seq, r.Time, e.Time)
			}
			if h := storeMustHead(t, j); !storeSameRecord(h, r) {
				t.Errorf("Head after record %d = record %d (%s)", r.Seq, h.Seq, h.Hash)
			}
			prev = r
		}
		if sum := storeMustVerify(t, j); sum.Records != 5 || sum.Head != prev.Hash {
			t.Errorf("VerifyJournal = %d records, head %s; want 5, %s", sum.Records, sum.Head, prev.Hash)
		}
	})

	t.Run("scan gives back what append returned", func(t *testing.T) {
		j := open(t)
		want := appendAll(t, j, entries(4))
		var got []kiosk.Record
		storeMustScan(t, j, 1, func(r kiosk.Record) { got = append(got, r) })
		if len(got) != len(want) {
			t.Fatalf("Scan gave %d records, want %d", len(got), len(want))
		}
		for i := range got {
			if !storeSameRecord(got[i], want[i]) {
				t.Errorf("Scan record %d differs from what Append returned", i+1)
			}
		}
	})

	t.Run("scan from", func(t *testing.T) {
		j := open(t)
		appendAll(t, j, entries(5))
		for _, c := range []struct {
			from uint64
			want string
		}{{0, "[1 2 3 4 5]"}, {1, "[1 2 3 4 5]"}, {3, "[3 4 5]"}, {5, "[5]"}, {6, "[]"}, {1 << 62, "[]"}} {
			var seqs []uint64
			storeMustScan(t, j, c.from, func(r kiosk.Record) { seqs = append(seqs, r.Seq) })
			if got := fmt.Sprint(seqs); got != c.want {
				t.Errorf("Scan from %d gave %s, want %s", c.from, got, c.want)
			}
		}
	})

	t.Run("an error from fn stops the scan", func(t *testing.T) {
		j := open(t)
		appendAll(t, j, entries(5))
		stop := errors.New("enough")
		var seen []uint64
		err := j.Scan(ctx, 2, func(r kiosk.Record) error {
			seen = append(seen, r.Seq)
			if r.Seq == 3 {
				return fmt.Errorf("at %d: %w", r.Seq, stop)
			}
			return nil
		})
		if !errors.Is(err, stop) {
			t.Errorf("Scan returned %v, want fn's error", err)
		}
		if fmt.Sprint(seen) != "[2 3]" {
			t.Errorf("fn saw %v, want [2 3]", seen)
		}
	})

	t.Run("head is the last record", func(t *testing.T) {
		j := open(t)
		rs := appendAll(t, j, entries(3))
		h := storeMustHead(t, j)
		if !storeSameRecord(h, rs[2]) {
			t.Errorf("Head = record %d, want record 3", h.Seq)
		}
		storeSameJSON(t, "Head's entry", h.Entry, storeUTCEntry(entries(3)[2]))
	})
}

// — helpers —

func storeSeed(t *testing.T, c kiosk.Catalog) {
	t.Helper()
	for _, p := range suiteAllPs {
		storeMustPut(t, c, p)
	}
}

func storeLine(p kiosk.Product, qty int) kiosk.Line { return kiosk.Line{Product: p, Qty: qty} }

func storePending(id, kioskID string, minute int, lines ...kiosk.Line) kiosk.PendingSale {
	b := kiosk.Basket{Lines: lines}
	return kiosk.PendingSale{
		ID: id, Kiosk: kioskID, Started: suiteT0.Add(time.Duration(minute) * time.Minute).UTC(),
		Lines: lines, Amount: b.Total(), State: kiosk.PendingIntent, Attempt: 1,
	}
}

func storeSale(id, kioskID string, minute int, lines ...kiosk.Line) kiosk.Sale {
	p := storePending(id, kioskID, minute, lines...)
	p.Result = &kiosk.PaymentResult{Approved: true, Code: "00", Amount: p.Amount, CardType: "Visa", MaskedPAN: "************4242", Trace: fmt.Sprint(minute), Time: p.Started.Add(30 * time.Second)}
	p.AgeCheckBy = "key switch"
	return kiosk.NewSale(p, p.Started.Add(time.Minute))
}

func storeSaleEntry(s kiosk.Sale) kiosk.Entry {
	return kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: s.Kiosk, SaleID: s.ID, Amount: s.Total}
}

func storePendingEntry(p kiosk.PendingSale) kiosk.Entry {
	return kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: p.Started, Kiosk: p.Kiosk, SaleID: p.ID, Amount: p.Amount}
}

// storeUTCEntry is e as a record keeps it: its time in UTC.
func storeUTCEntry(e kiosk.Entry) kiosk.Entry {
	e.Time = e.Time.UTC()
	return e
}

func storeMustPut(t *testing.T, c kiosk.Catalog, p kiosk.Product) {
	t.Helper()
	if err := c.Put(context.Background(), p); err != nil {
		t.Fatalf("Put(%s): %v", p.Name, err)
	}
}

func storeMustList(t *testing.T, c kiosk.Catalog) []kiosk.Product {
	t.Helper()
	ps, err := c.List(context.Background())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return ps
}

func storeMustCabinet(t *testing.T, c kiosk.Catalog) []kiosk.Product {
	t.Helper()
	ps, err := c.Cabinet(context.Background())
	if err != nil {
		t.Fatalf("Cabinet: %v", err)
	}
	return ps
}

func storeWantNames(t *testing.T, what string, ps []kiosk.Product, want []string) {
	t.Helper()
	var got []string
	for _, p := range ps {
		got = append(got, p.Name)
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func storeWantStock(t *testing.T, c kiosk.Catalog, want map[kiosk.GTIN]int) {
	t.Helper()
	for g, n := range want {
		p, err := c.Lookup(context.Background(), g)
		if err != nil {
			t.Errorf("Lookup(%s): %v", g, err)
			continue
		}
		if p.Stock != n {
			t.Errorf("stock of %s = %d, want %d", p.Name, p.Stock, n)
		}
	}
}

func storeMustComplete(t *testing.T, s kiosk.SaleStore, sale kiosk.Sale) kiosk.Sale {
	t.Helper()
	got, err := s.CompleteSale(context.Background(), sale, storeSaleEntry(sale))
	if err != nil {
		t.Fatalf("CompleteSale(%s): %v", sale.ID, err)
	}
	return got
}

func storeMustSavePending(t *testing.T, s kiosk.SaleStore, p kiosk.PendingSale) {
	t.Helper()
	if err := s.SavePending(context.Background(), p, storePendingEntry(p)); err != nil {
		t.Fatalf("SavePending(%s): %v", p.ID, err)
	}
}

func storeMustPending(t *testing.T, s kiosk.SaleStore) []kiosk.PendingSale {
	t.Helper()
	ps, err := s.Pending(context.Background())
	if err != nil {
		t.Fatalf("Pending: %v", err)
	}
	return ps
}

func storeWantPending(t *testing.T, s kiosk.SaleStore, ids ...string) []kiosk.PendingSale {
	t.Helper()
	ps := storeMustPending(t, s)
	var got []string
	for _, p := range ps {
		got = append(got, p.ID)
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", ids) {
		t.Fatalf("Pending = %q, want %q", got, ids)
	}
	return ps
}

func storeMustAppend(t *testing.T, j kiosk.Journal, e kiosk.Entry) kiosk.Record {
	t.Helper()
	r, err := j.Append(context.Background(), e)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return r
}

func storeMustHead(t *testing.T, j kiosk.Journal) kiosk.Record {
	t.Helper()
	h, err := j.Head(context.Background())
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	return h
}

func storeMustScan(t *testing.T, j kiosk.Journal, from uint64, fn func(kiosk.Record)) {
	t.Helper()
	err := j.Scan(context.Background(), from, func(r kiosk.Record) error { fn(r); return nil })
	if err != nil {
		t.Fatalf("Scan from %d: %v", from, err)
	}
}

func storeCountRecords(t *testing.T, j kiosk.Journal) int {
	t.Helper()
	n := 0
	storeMustScan(t, j, 1, func(kiosk.Record) { n++ })
	return n
}

func storeMustVerify(t *testing.T, j kiosk.Journal) kiosk.JournalSummary {
	t.Helper()
	sum, err := kiosk.VerifyJournalWith(context.Background(), j, kiosk.VerifyOptions{Signatures: &Signer{}, Zone: storeZone})
	if err != nil {
		t.Fatalf("VerifyJournal: %v", err)
	}
	return sum
}

// storeSameRecord compares records by their stored form and hash.
func storeSameRecord(a, b kiosk.Record) bool {
	ea, err1 := a.Encode()
	eb, err2 := b.Encode()
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb) && a.Hash == b.Hash
}

// storeSameJSON compares values by their JSON form, the form the stores keep.
func storeSameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// storeZone is the signatures' time zone in the suite.
var storeZone = func() *time.Location {
	l, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		panic(err)
	}
	return l
}()
