package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// demoLabel is the scanner's reading of a demo weight label of grams
// (DemoInStore, prefix 23) of the demo's sweets.
func demoLabel(code string, grams int) kiosk.Scan {
	return kiosk.Scan{Code: code, InStore: kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: kiosk.MustGTIN(DemoSweets), Grams: grams}}
}

// TestWeightSaleEndToEnd: two scans of one weight label and a cola,
// paid, through Badger: two weight lines in the stored sale and the
// journal, whose chain and figures verify.
func TestWeightSaleEndToEnd(t *testing.T) {
	e := mustE2E(t)
	e.scanner.FeedScan(demoLabel("2312345004529", 452))
	e.scanner.FeedScan(demoLabel("2312345004529", 452))
	e.scanner.Feed(cola)
	untilView(t, e.co, "three lines", 10*time.Second, func(v kiosk.View) bool { return len(v.Lines) == 3 })
	if err := e.co.Pay(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.term.WaitAuthorize(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.term.Respond(kiosktest.PayApproved()); err != nil {
		t.Fatal(err)
	}
	e.waitHealth("Receipt")
	sale, err := e.db.Sale(e.ctx, "K1", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := kiosk.Money(2*8543 + 3290)
	if sale.Total != want || len(sale.Lines) != 3 || sale.Lines[0].Grams != 452 || sale.Lines[1].Grams != 452 || sale.Lines[0].Code == "" {
		t.Fatalf("stored sale %+v", sale)
	}
	e.waitJournal("the receipt printed", printedRecord(1))
	if _, err := kiosk.VerifyJournal(e.ctx, e.db); err != nil {
		t.Fatal(err)
	}
	doc, _ := e.printer.Last()
	if text := doc.PlainText(42); strings.Count(text, "  0,452 kg à 189,00 kr/kg\n") != 2 {
		t.Errorf("receipt:\n%s", text)
	}
}

// TestPriceCheckSimTap: `sim tap pricecheck`, a scan, `sim tap
// pricecheck-end`: the price shown, journaled 13022 and counted in
// Badger's running totals for the X report; nothing sold.
func TestPriceCheckSimTap(t *testing.T) {
	e := mustE2E(t)
	s := &server{co: e.co}
	if err := s.do("tap", "pricecheck"); err != nil {
		t.Fatal(err)
	}
	e.waitHealth("PriceCheck")
	e.scanner.Feed(snus)
	v := untilView(t, e.co, "the snus's price", 10*time.Second, func(v kiosk.View) bool { return v.PriceCheck != nil })
	if v.PriceCheck.Price != 12900 || !v.PriceCheck.TextOnly || len(v.Lines) != 0 {
		t.Fatalf("price check %+v, %d lines", v.PriceCheck, len(v.Lines))
	}
	if err := s.do("tap", "pricecheck-end"); err != nil {
		t.Fatal(err)
	}
	e.waitHealth("Idle")
	if err := s.do("tap", "pricecheck-end"); err == nil {
		t.Error("pricecheck-end outside a price check")
	}
	if err := s.do("tap", "price"); err == nil {
		t.Error("an unknown tap")
	}
	tot, err := e.db.Totals(e.ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	if l := tot.Period.PriceLookups; len(l) != 1 || l[0].Group != kiosk.GroupTobacco || l[0].Num != 1 || l[0].Amount != 12900 {
		t.Errorf("price look-ups in the totals %+v", l)
	}
	if tot.Period.Sales.Num != 0 {
		t.Error("a price check sold something")
	}
}

// TestDemoScansInStoreLabels: `selvkasse sim scan 2312345004529` in the
// demo goes over the simulated serial line and reaches the checkout as
// 0,452 kg of the demo's sweets (DemoInStore), a price label as its price.
func TestDemoScansInStoreLabels(t *testing.T) {
	d := mustDemoDevices(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := &server{sim: d}
	for _, c := range []struct {
		code string
		want kiosk.InStoreValue
	}{
		{"2312345004529", kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: kiosk.MustGTIN(DemoSweets), Grams: 452}},
		{"2410001024901", kiosk.InStoreValue{Kind: kiosk.InStorePrice, Item: kiosk.MustGTIN(DemoBuns), Price: 2490}},
	} {
		if err := s.do("scan", c.code); err != nil {
			t.Fatal(err)
		}
		got, err := d.ports().Scanner.ReadScan(ctx)
		if err != nil || got.InStore != c.want || got.Code != c.code {
			t.Fatalf("sim scan %s: %+v, %v; want %+v", c.code, got, err, c.want)
		}
	}
	for _, p := range demoInStoreProducts() {
		if err := p.Validate(); err != nil || !kiosk.IsInStore(p.GTIN) {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

// TestSimQuickProducts: the simulator scans the demo's in-store goods by
// a sample label, never by their catalog code, and leaves other goods as
// they are.
func TestSimQuickProducts(t *testing.T) {
	got := simQuickProducts(DemoCatalog())
	if len(got) != len(DemoCatalog()) {
		t.Fatalf("%d quick products of %d", len(got), len(DemoCatalog()))
	}
	codes := map[string]string{}
	for _, p := range got {
		codes[p.GTIN.Short()] = p.Name
	}
	if codes["2312345004529"] != "Smågodt i løsvekt 0,452 kg" || codes["2410001024901"] != "Ferske rundstykker kr 24,90" || codes[cola] == "" {
		t.Errorf("quick list %v", codes)
	}
	if _, ok := codes[DemoSweets]; ok {
		t.Error("the sweets' catalog code in the quick list")
	}
	other := kiosk.Product{GTIN: kiosk.MustGTIN("2999999000000"), Name: "x"}
	if len(simQuickProducts([]kiosk.Product{other})) != 0 {
		t.Error("an in-store item without a sample label in the quick list")
	}
	many := make([]kiosk.Product, 20000)
	for i := range many {
		body := fmt.Sprintf("70%010d", i)
		many[i] = kiosk.Product{GTIN: kiosk.MustGTIN(body + string(kiosk.CheckDigit(body))), Name: body}
	}
	if n := len(simQuickProducts(many)); n != maxSimQuick {
		t.Errorf("a catalog of %d products: %d quick products, want %d", len(many), n, maxSimQuick)
	}
}
