package kiosk_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

func validSnus() kiosk.Product {
	return kiosk.Product{GTIN: kiosk.MustGTIN("7038010009457"), Name: "Snus", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25,
		Price: 13900, MinAge: 18, Cabinet: true}
}

func TestProductValidateCatalogFields(t *testing.T) {
	ok := validSnus()
	ok.Barcodes = kiosk.NewBarcodeList(kiosk.MustGTIN("96385074"), kiosk.MustGTIN("4006381333931"))
	ok.NameEN, ok.Unit, ok.Deposit, ok.Inactive = "Snuff", kiosk.UnitPiece, 200, true
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(p *kiosk.Product){
		"bad check digit":   func(p *kiosk.Product) { p.Barcodes = kiosk.NewBarcodeList("04006381333932") },
		"short barcode":     func(p *kiosk.Product) { p.Barcodes = kiosk.NewBarcodeList("4006381333931") },
		"barcode is GTIN":   func(p *kiosk.Product) { p.Barcodes = kiosk.NewBarcodeList(p.GTIN) },
		"unsorted barcodes": func(p *kiosk.Product) { p.Barcodes = "04006381333931 00000096385074" },
		"negative deposit":  func(p *kiosk.Product) { p.Deposit = -1 },
		"unit 3":            func(p *kiosk.Product) { p.Unit = 3 },
	} {
		p := ok
		f(&p)
		if err := p.Validate(); !errors.Is(err, kiosk.ErrInvalidProduct) {
			t.Errorf("%s: err = %v, want ErrInvalidProduct", name, err)
		}
	}
}

// TestProductJSONUnchanged: a product without the catalog fields encodes
// as before them, so stored products and journaled sales hash the same.
func TestProductJSONUnchanged(t *testing.T) {
	b, err := json.Marshal(validSnus())
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"GTIN":"07038010009457","Name":"Snus","Group":2,"VAT":25,"Price":13900,"MinAge":18,"Cabinet":true,"Compartment":0,"Stock":0}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant %s", b, want)
	}
	p := validSnus()
	p.Barcodes = kiosk.NewBarcodeList("00000096385074")
	b, _ = json.Marshal(p)
	var q kiosk.Product
	if err := json.Unmarshal(b, &q); err != nil || q != p {
		t.Errorf("round trip of %s = %+v, %v", b, q, err)
	}
}

func TestParseGroupAndUnit(t *testing.T) {
	for in, want := range map[string]kiosk.Group{"tobacco": kiosk.GroupTobacco, "Soft drink": kiosk.GroupSoftDrink,
		"soft-drink": kiosk.GroupSoftDrink, "04013": kiosk.GroupTobacco, "04014": kiosk.GroupOther, "04003": kiosk.GroupPress, "3": kiosk.GroupFood,
		"Tobakk": kiosk.GroupTobacco, "brus": kiosk.GroupSoftDrink, "Næringsmidler": kiosk.GroupFood, "blad": kiosk.GroupPress, "annet": kiosk.GroupOther} {
		if g, err := kiosk.ParseGroup(in); err != nil || g != want {
			t.Errorf("ParseGroup(%q) = %v, %v; want %v", in, g, err, want)
		}
	}
	for _, in := range []string{"", "04001", "beer", "9"} {
		if _, err := kiosk.ParseGroup(in); !errors.Is(err, kiosk.ErrUnknownGroup) {
			t.Errorf("ParseGroup(%q): %v, want ErrUnknownGroup", in, err)
		}
	}
	for in, want := range map[string]kiosk.Unit{"": kiosk.UnitPiece, "stk": kiosk.UnitPiece, "KG": kiosk.UnitKg} {
		if u, err := kiosk.ParseUnit(in); err != nil || u != want {
			t.Errorf("ParseUnit(%q) = %v, %v", in, u, err)
		}
	}
	if _, err := kiosk.ParseUnit("litre"); !errors.Is(err, kiosk.ErrUnknownUnit) {
		t.Errorf("ParseUnit(litre): %v", err)
	}
}

func TestCatalogEntries(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	c := kiosk.CatalogChange{Time: at, Kiosk: "K1", By: "kari", Via: "catalog import"}
	old := validSnus()
	if es := kiosk.CatalogEntries(&old, old, c); len(es) != 0 {
		t.Errorf("no change journals %+v", es)
	}
	stocked := old
	stocked.Stock = 7
	if es := kiosk.CatalogEntries(&old, stocked, c); len(es) != 0 {
		t.Errorf("stock alone journals %+v", es)
	}
	added := kiosk.CatalogEntries(nil, old, c)
	if len(added) != 1 || added[0].Code != kiosk.CodeOther || added[0].Subtype != kiosk.SubMasterData ||
		added[0].Data["change"] != "added" || added[0].Data["new.price"] != "13900" || added[0].Data["by"] != "kari" {
		t.Errorf("added = %+v", added)
	}
	p := old
	p.Price, p.Name = 14500, "Snus General"
	es := kiosk.CatalogEntries(&old, p, c)
	if len(es) != 2 {
		t.Fatalf("entries = %+v, want a price change and a master-data change", es)
	}
	if e := es[0]; e.Code != kiosk.CodePriceChange || e.Amount != 14500 || e.Data["old"] != "139.00" || e.Data["new"] != "145.00" ||
		e.Data["via"] != "catalog import" || e.Kiosk != "K1" {
		t.Errorf("price change = %+v", e)
	}
	if e := es[1]; e.Subtype != kiosk.SubMasterData || e.Data["old.name"] != "Snus" || e.Data["new.name"] != "Snus General" || e.Data["change"] != "changed" {
		t.Errorf("master data = %+v", e)
	}
	if kiosk.CodePriceChange.String() != "13021 Price change" {
		t.Errorf("code = %v", kiosk.CodePriceChange)
	}
}

func TestVerifyPIN(t *testing.T) {
	r := mustLoginRig(t)
	if s, err := r.login.VerifyPIN(r.ctx, "kari", "2468", kiosk.ActEditCatalog, "catalog import"); err != nil || s.ID != "kari" {
		t.Fatalf("VerifyPIN = %+v, %v", s, err)
	}
	if _, ok := r.login.Current(context.Background()); ok {
		t.Error("VerifyPIN started a session at the kiosk")
	}
	if _, err := r.login.VerifyPIN(r.ctx, "ola", "1234", kiosk.ActEditCatalog, "catalog import"); !errors.Is(err, kiosk.ErrNotPermitted) {
		t.Errorf("a clerk: %v, want ErrNotPermitted", err)
	}
	for i := 0; i < 4; i++ {
		if _, err := r.login.VerifyPIN(r.ctx, "kari", "0000", kiosk.ActEditCatalog, "catalog import"); !errors.Is(err, kiosk.ErrWrongPIN) {
			t.Fatalf("wrong PIN %d: %v", i+1, err)
		}
	}
	if _, err := r.login.VerifyPIN(r.ctx, "kari", "0000", kiosk.ActEditCatalog, "catalog import"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Fatalf("fifth wrong PIN: %v, want ErrBadgeLocked", err)
	}
	if _, err := r.login.VerifyPIN(r.ctx, "kari", "2468", kiosk.ActEditCatalog, "catalog import"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Errorf("right PIN while locked: %v", err)
	}
	if r.journaled(kiosk.CodeOther, kiosk.SubLoginLocked) != 1 {
		t.Error("lock-out not journaled")
	}
}

func TestCatalogAddedEntry(t *testing.T) {
	p := validSnus()
	p.Barcodes, p.Deposit = kiosk.NewBarcodeList("00000096385074"), 200
	e := kiosk.CatalogAddedEntry([]kiosk.Product{p}, kiosk.CatalogChange{By: "kari"})
	want := "age_limit=18&barcodes=00000096385074&cabinet=true&deposit=200&group=tobacco&name=Snus&price=13900&vat=25"
	if e.Code != kiosk.CodeOther || e.Subtype != kiosk.SubMasterData || e.Data["count"] != "1" || e.Data[string(p.GTIN)] != want {
		t.Errorf("entry = %+v\nwant %s", e, want)
	}
}
