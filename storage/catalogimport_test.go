package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"unsafe"

	"selvkasse/kiosk"
)

// mustImport imports ps as kari at t0, failing the test on an error.
func mustImport(tb testing.TB, d *DB, in CatalogImport) CatalogImportResult {
	tb.Helper()
	if in.Change.Time.IsZero() {
		in.Change = kiosk.CatalogChange{Time: t0, Kiosk: "K1", By: "kari", Via: "catalog import"}
	}
	res, err := d.ImportCatalog(context.Background(), in)
	if err != nil {
		tb.Fatalf("ImportCatalog: %v (refused %+v)", err, res.Refused)
	}
	return res
}

func journalRecords(tb testing.TB, d *DB) []kiosk.Record {
	tb.Helper()
	var out []kiosk.Record
	if err := d.Scan(context.Background(), 1, func(r kiosk.Record) error { out = append(out, r); return nil }); err != nil {
		tb.Fatal(err)
	}
	return out
}

func mustVerify(tb testing.TB, d *DB) {
	tb.Helper()
	if _, err := kiosk.VerifyJournal(context.Background(), d); err != nil {
		tb.Fatalf("the journal does not verify after the import: %v", err)
	}
}

func TestImportCatalogIdempotentAndJournaled(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	if err := d.Put(ctx, pCigs); err != nil { // stocked: the import keeps its stock
		t.Fatal(err)
	}
	cigs := pCigs
	cigs.Stock = 0
	cigs.Price = 16900
	water := pWater
	water.Stock = 0
	water.Barcodes = kiosk.NewBarcodeList(mkGTIN("0500000000001"))
	water.NameEN, water.Deposit = "Farris sparkling water", 200
	in := CatalogImport{Products: []kiosk.Product{cigs, water}}

	dry := mustImport(t, d, CatalogImport{Products: in.Products, DryRun: true})
	if dry.Added != 1 || dry.Changed != 1 || dry.PriceChanges != 1 || dry.Journaled != 2 {
		t.Errorf("dry run = %+v", dry)
	}
	if n := len(journalRecords(t, d)); n != 0 {
		t.Fatalf("a dry run journaled %d records", n)
	}
	if _, err := d.Lookup(ctx, water.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
		t.Fatalf("a dry run wrote the new product: %v", err)
	}

	res := mustImport(t, d, in)
	if res.Added != 1 || res.Changed != 1 || res.PriceChanges != 1 || res.Unchanged != 0 || res.Journaled != 2 {
		t.Errorf("import = %+v", res)
	}
	got, err := d.Lookup(ctx, cigs.GTIN)
	if err != nil || got.Price != 16900 || got.Stock != pCigs.Stock {
		t.Errorf("cigarettes after the import = %+v, %v; want the new price and the old stock", got, err)
	}
	// The extra barcode finds the product, from the index and after a
	// reload from the store.
	for _, reload := range []bool{false, true} {
		if reload {
			d.cat.mu.Lock()
			d.cat.drop()
			d.cat.mu.Unlock()
		}
		got, err = d.Lookup(ctx, mkGTIN("0500000000001"))
		if err != nil || got.GTIN != water.GTIN || got.NameEN != water.NameEN || got.Deposit != 200 || got.Barcodes != water.Barcodes {
			t.Errorf("lookup by the extra barcode (reload %v) = %+v, %v", reload, got, err)
		}
	}
	rs := journalRecords(t, d)
	if len(rs) != 2 {
		t.Fatalf("journal = %+v, want a price change and an added product", rs)
	}
	if r := rs[0]; r.Code != kiosk.CodePriceChange || r.Data["old"] != "162.00" || r.Data["new"] != "169.00" || r.Data["by"] != "kari" ||
		r.Data["from"] != "2025-06-02T10:00:00Z" {
		t.Errorf("price change = %+v", r)
	}
	// The new price is a version of the history from the import's time,
	// the one before it in force since forever: the audit checks the
	// sales against them.
	book, err := d.PriceBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if vs := book[cigs.GTIN]; len(vs) != 2 || vs[0].Price != 16200 || !vs[0].From.IsZero() || vs[1].Price != 16900 || !vs[1].From.Equal(t0) {
		t.Errorf("price history of %s = %+v; want 162,00 since forever, then 169,00 from %v", cigs.GTIN, vs, t0)
	}
	if got, err := d.Lookup(ctx, cigs.GTIN); err != nil || !got.PriceFrom.Equal(t0) {
		t.Errorf("lookup: price from %v, %v; want %v", got.PriceFrom, err, t0)
	}
	if r := rs[1]; r.Code != kiosk.CodeOther || r.Subtype != kiosk.SubMasterData || r.Data["change"] != "added" ||
		r.Data[string(water.GTIN)] != "barcodes=05000000000012&deposit=200&group=soft+drink&name=Farris+0%2C5+l&name_en=Farris+sparkling+water&price=2990&vat=15" {
		t.Errorf("added = %+v", r)
	}
	mustVerify(t, d)

	again := mustImport(t, d, in)
	if again.Unchanged != 2 || again.Added+again.Changed+again.Journaled != 0 {
		t.Errorf("the same import again = %+v, want all unchanged", again)
	}
	if n := len(journalRecords(t, d)); n != 2 {
		t.Errorf("the same import again journaled: %d records", n)
	}

	// An inactive product is not sold, nor shown in the cabinet.
	off := cigs
	off.Inactive, off.Name = true, "Marlboro Gold 20"
	res = mustImport(t, d, CatalogImport{Products: []kiosk.Product{off}})
	if res.Changed != 1 || res.PriceChanges != 0 || res.Journaled != 1 {
		t.Errorf("deactivating = %+v", res)
	}
	if _, err := d.Lookup(ctx, cigs.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
		t.Errorf("an inactive product was found: %v", err)
	}
	if cab, _ := d.Cabinet(ctx); len(cab) != 0 {
		t.Errorf("cabinet = %+v, want the inactive product left out", cab)
	}
	rs = journalRecords(t, d)
	if r := rs[len(rs)-1]; r.Data["old.active"] != "true" || r.Data["new.active"] != "false" || r.Data["new.name"] != "Marlboro Gold 20" {
		t.Errorf("master-data change = %+v", r)
	}
	mustVerify(t, d)
}

func TestImportCatalogRefusesConflicts(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	snus := pSnus
	snus.Barcodes = kiosk.NewBarcodeList(mkGTIN("0500000000002"))
	if err := d.Put(ctx, snus); err != nil {
		t.Fatal(err)
	}
	takes := pWater
	takes.Barcodes = kiosk.NewBarcodeList(mkGTIN("0500000000002")) // snus's
	bad := pCigs
	bad.Price = -5
	twice := pCigs
	twice.Barcodes = kiosk.NewBarcodeList(pWater.GTIN) // the water's GTIN, in the same file
	for name, tc := range map[string]struct {
		ps    []kiosk.Product
		field string
	}{
		"barcode of a stored product": {[]kiosk.Product{takes}, "barcodes"},
		"invalid product":             {[]kiosk.Product{pWater, bad}, ""},
		"barcode given twice":         {[]kiosk.Product{pWater, twice}, "barcodes"},
		"GTIN is a stored barcode":    {[]kiosk.Product{{GTIN: mkGTIN("0500000000002"), Name: "X", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 100}}, "gtin"},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(journalRecords(t, d))
			res, err := d.ImportCatalog(ctx, CatalogImport{Products: tc.ps, Change: kiosk.CatalogChange{Time: t0}})
			if !errors.Is(err, ErrCatalogRefused) || len(res.Refused) != 1 || res.Refused[0].Field != tc.field {
				t.Fatalf("ImportCatalog = %+v, %v; want one refusal of %q", res, err, tc.field)
			}
			if _, err := d.Lookup(ctx, pWater.GTIN); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("a refused import wrote the good product: %v", err)
			}
			if n := len(journalRecords(t, d)); n != before {
				t.Errorf("a refused import journaled %d records", n-before)
			}
		})
	}
	res := mustImport(t, d, CatalogImport{Products: []kiosk.Product{pWater, bad}, SkipBad: true})
	if res.Added != 1 || len(res.Refused) != 1 || res.Refused[0].Index != 1 {
		t.Errorf("--skip-bad = %+v", res)
	}
	// A barcode moves from one product to another in one import.
	snusNo := snus
	snusNo.Barcodes = ""
	res = mustImport(t, d, CatalogImport{Products: []kiosk.Product{takes, snusNo}})
	if res.Changed != 2 {
		t.Errorf("moving a barcode = %+v", res)
	}
	got, err := d.Lookup(ctx, mkGTIN("0500000000002"))
	if err != nil || got.GTIN != pWater.GTIN {
		t.Errorf("the moved barcode finds %+v, %v; want the water", got, err)
	}
	if err := d.Put(ctx, snus); !errors.Is(err, kiosk.ErrConflict) {
		t.Errorf("Put taking the water's barcode: %v, want ErrConflict", err)
	}
	mustVerify(t, d)
}

// TestImportCatalogChunks: an import larger than a chunk is written in
// several transactions, journaled in order, and the index has it all.
func TestImportCatalogChunks(t *testing.T) {
	d := mustOpen(t, t.TempDir())
	ps := benchCatalogRows(5000)
	res := mustImport(t, d, CatalogImport{Products: ps})
	if res.Added != len(ps) || res.Journaled < len(ps)/addedPerRecord || res.Journaled > len(ps)/addedPerRecord+20 {
		t.Fatalf("import = %+v", res)
	}
	all, err := d.List(context.Background())
	if err != nil || len(all) != len(ps) {
		t.Fatalf("List = %d products, %v", len(all), err)
	}
	mustVerify(t, d)
	if again := mustImport(t, d, CatalogImport{Products: ps}); again.Unchanged != len(ps) {
		t.Errorf("again = %+v", again)
	}
}

// benchCatalogRows is a wholesaler's catalog of n products: every tenth
// with an extra barcode, every fifth tobacco.
func benchCatalogRows(n int) []kiosk.Product {
	ps := make([]kiosk.Product, n)
	for i := range ps {
		p := kiosk.Product{GTIN: mkGTIN(fmt.Sprintf("70%010d", i)), Name: fmt.Sprintf("Vare %d", i),
			Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: kiosk.Money(1000 + i%5000)}
		if i%5 == 0 {
			p.Group, p.VAT, p.MinAge, p.Cabinet = kiosk.GroupTobacco, kiosk.VAT25, kiosk.AdultAge, true
		}
		if i%10 == 0 {
			p.Barcodes = kiosk.NewBarcodeList(mkGTIN(fmt.Sprintf("05%010d", i)))
		}
		ps[i] = p
	}
	return ps
}

// TestCatItemStaysCompact: the catalog fields of issue 13 live beside the
// index's items (catinfo.go), not in them.
func TestCatItemStaysCompact(t *testing.T) {
	if n := unsafe.Sizeof(catItem{}); n != 48 {
		t.Errorf("a catItem has %d bytes, want 48", n)
	}
}

// TestImportCatalogKeepsStockWork: a wholesaler's file says nothing of
// the stock work done at the shop: an import of a changed product keeps
// its stock, its low-stock threshold and its recount flag, and an import
// of an unchanged one still changes nothing.
func TestImportCatalogKeepsStockWork(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	p := pWater
	p.Recount = true
	if err := d.Put(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := d.SetLowStock(ctx, p.GTIN, 4); err != nil {
		t.Fatal(err)
	}
	file := pWater
	file.Stock = 0
	if res := mustImport(t, d, CatalogImport{Products: []kiosk.Product{file}}); res.Unchanged != 1 || res.Changed != 0 {
		t.Errorf("the same product again: %+v; want unchanged", res)
	}
	file.Price += 100
	if res := mustImport(t, d, CatalogImport{Products: []kiosk.Product{file}}); res.Changed != 1 {
		t.Errorf("a new price: %+v; want changed", res)
	}
	got, err := d.Lookup(ctx, p.GTIN)
	if err != nil {
		t.Fatal(err)
	}
	if got.Price != file.Price || got.Stock != p.Stock || got.LowStock != 4 || !got.Recount {
		t.Errorf("after the import: price %v stock %d low-stock %d recount %v; want %v, %d, 4, true",
			got.Price, got.Stock, got.LowStock, got.Recount, file.Price, p.Stock)
	}
	mustVerify(t, d)
}
