package kiosk_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// in13 is the EAN-13 with body (12 digits) and its check digit.
func in13(body string) string { return body + string(kiosk.CheckDigit(body)) }

// The shop's in-store goods: weighed sweets at 189,00 kr/kg (item 12345
// under prefix 23, catalogued with the weight zeroed), a priced cheese
// (prefix 24) and snus someone labelled with an in-store code (prefix 26).
var (
	sweets = kiosk.Product{GTIN: kiosk.MustGTIN(in13("231234500000")), Name: "Smågodt i løsvekt", Group: kiosk.GroupFood,
		VAT: kiosk.VAT15, Price: 18900, Stock: 0}
	cheese = kiosk.Product{GTIN: kiosk.MustGTIN(in13("245432100000")), Name: "Hvitost skivet", Group: kiosk.GroupFood,
		VAT: kiosk.VAT15, Price: 100, Stock: 5}
	labelledSnus = kiosk.Product{GTIN: kiosk.MustGTIN(in13("261111100000")), Name: "Snus løs", Group: kiosk.GroupTobacco,
		VAT: kiosk.VAT25, Price: 12900, MinAge: 18, Cabinet: true, Stock: 5}
)

// weightScan is what the scanner hands over for a sweets label of grams.
func weightScan(grams int) kiosk.Scan {
	return kiosk.Scan{Code: in13(fmt.Sprintf("2312345%05d", grams)),
		InStore: kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: sweets.GTIN, Grams: grams}}
}

func priceScan(p kiosk.Product, price kiosk.Money) kiosk.Scan {
	return kiosk.Scan{Code: in13(string(p.GTIN[1:8]) + fmt.Sprintf("%05d", price)),
		InStore: kiosk.InStoreValue{Kind: kiosk.InStorePrice, Item: p.GTIN, Price: price}}
}

func (r *rig) putInStoreGoods() {
	r.t.Helper()
	for _, p := range []kiosk.Product{sweets, cheese, labelledSnus} {
		r.must(r.store.Put(r.ctx, p))
	}
}

func (r *rig) priceChecks() []kiosk.Record {
	var out []kiosk.Record
	for _, rec := range r.records(kiosk.CodePriceLookup) {
		if rec.Subtype == kiosk.SubPriceCheck {
			out = append(out, rec)
		}
	}
	return out
}

// TestPriceCheck: with a basket open, the customer checks two prices; each
// is shown (tobacco as text only), journaled 13022 with its GTIN and
// price, nothing is added, and the basket is as it was afterwards. The X
// report counts the look-ups per product group.
func TestPriceCheck(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	before := r.wait(kiosk.Shopping)
	r.must(r.co.PriceCheck())
	if v := r.wait(kiosk.PriceCheck); v.PriceCheck != nil || len(v.Lines) != 1 {
		t.Fatalf("price check opened with %+v, %d lines", v.PriceCheck, len(v.Lines))
	}
	if err := r.co.PriceCheck(); err == nil {
		t.Error("a price check inside a price check")
	}

	r.co.Scan(snus.GTIN.Short())
	v := r.co.View()
	if pc := v.PriceCheck; pc == nil || pc.Name != snus.Name || pc.Price != snus.Price || pc.Amount != snus.Price || !pc.TextOnly || pc.PerKg() {
		t.Fatalf("snus shown as %+v", v.PriceCheck)
	}
	if v.State != kiosk.PriceCheck || len(v.Lines) != 1 || v.Lines[0].Product.GTIN != soda.GTIN || v.Rev != before.Rev {
		t.Fatalf("the price check changed the basket: %v %+v rev %d→%d", v.State, v.Lines, before.Rev, v.Rev)
	}
	r.co.Scan(avis.GTIN.Short()) // a second price
	if pc := r.co.View().PriceCheck; pc == nil || pc.Name != avis.Name || pc.TextOnly {
		t.Fatalf("avis shown as %+v", pc)
	}
	r.co.Scan("7039990000021") // not in the catalog
	if v := r.co.View(); v.Notice != kiosk.NoticeUnknownCode || v.PriceCheck != nil || v.State != kiosk.PriceCheck {
		t.Errorf("unknown code in the price check: %v %+v %v", v.Notice, v.PriceCheck, v.State)
	}

	checks := r.priceChecks()
	if len(checks) != 2 {
		t.Fatalf("%d price checks journaled, want 2", len(checks))
	}
	c := checks[0]
	if c.Code != kiosk.CodePriceLookup || c.Amount != snus.Price || c.Data["gtin"] != snus.GTIN.String() ||
		c.Data["price"] != "129.00" || c.Data["group"] != strconv.Itoa(int(kiosk.GroupTobacco)) || c.SaleID != before.SaleID || c.Kiosk != "K1" {
		t.Errorf("13022 journaled as %+v", c)
	}

	r.must(r.co.EndPriceCheck())
	v = r.wait(kiosk.Shopping)
	if len(v.Lines) != 1 || v.Lines[0].Qty != 1 || v.Total != soda.Price || v.SaleID != before.SaleID || v.PriceCheck != nil {
		t.Fatalf("basket after the price check: %+v %s %s", v.Lines, v.Total, v.SaleID)
	}
	if err := r.co.EndPriceCheck(); err == nil {
		t.Error("EndPriceCheck outside a price check")
	}

	tot, err := r.store.Totals(r.ctx, "K1")
	r.must(err)
	want := []kiosk.LookupTotal{{Group: 0, Count: kiosk.Count{Num: 1}},
		{Group: kiosk.GroupTobacco, Count: kiosk.Count{Num: 1, Amount: snus.Price}},
		{Group: kiosk.GroupPress, Count: kiosk.Count{Num: 1, Amount: avis.Price}}}
	if got := fmt.Sprint(tot.Period.PriceLookups); got != fmt.Sprint(want) {
		t.Errorf("price look-ups in the totals %v, want %v", got, want)
	}
	r.must(r.co.Cancel())
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvXReport}))
	x, _ := r.printer.Last()
	text := x.PlainText(42)
	for _, want := range []string{"Prisoppslag tobakk", "Prisoppslag aviser og blader", "Prisoppslag ukjent vare"} {
		if !countedOnce(text, want) {
			t.Errorf("the X report lacks %q counted once:\n%s", want, text)
		}
	}
	if !regexpLine(text, "Prisoppslag tobakk", "1  "+snus.Price.Plain()) {
		t.Errorf("the X report's tobacco look-up has not its amount:\n%s", text)
	}
}

// countedOnce reports whether text has a report line label with a count
// of 1 before its amount.
func countedOnce(text, label string) bool {
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(strings.TrimPrefix(l, label))
		if strings.HasPrefix(l, label) && len(f) == 2 && f[0] == "1" {
			return true
		}
	}
	return false
}

// TestPriceCheckTimeout: the price check returns by itself after
// PriceCheckTime without a scan, each scan giving it the time afresh;
// from the welcome screen to it, from a basket to the basket, whose
// inactivity timer runs again.
func TestPriceCheckTimeout(t *testing.T) {
	r := mustRig(t)
	wait := r.co.Config().PriceCheckTime
	r.must(r.co.PriceCheck())
	r.wait(kiosk.PriceCheck)
	r.clock.Advance(wait - time.Second)
	r.co.Scan(soda.GTIN.Short())
	r.clock.Advance(wait - time.Second)
	if v := r.co.View(); v.State != kiosk.PriceCheck || v.PriceCheck == nil {
		t.Fatalf("the price check ended %v after its last scan: %v", wait-time.Second, v.State)
	}
	r.clock.Advance(time.Second)
	if v := r.wait(kiosk.Idle); v.PriceCheck != nil || len(v.Lines) != 0 || v.SaleID != "" {
		t.Fatalf("after the time: %+v", v)
	}

	r.must(r.co.Add(soda.GTIN))
	r.wait(kiosk.Shopping)
	r.clock.Advance(r.co.Config().IdleWarn - time.Second)
	r.must(r.co.PriceCheck()) // the basket's timer is off meanwhile
	r.clock.Advance(wait)
	v := r.wait(kiosk.Shopping)
	if len(v.Lines) != 1 {
		t.Fatalf("basket after a timed-out price check: %+v", v.Lines)
	}
	r.clock.Advance(r.co.Config().IdleWarn - time.Second)
	if st := r.co.View().State; st != kiosk.Shopping {
		t.Fatalf("the basket's inactivity counted the price check: %v", st)
	}
	r.clock.Advance(time.Second)
	r.wait(kiosk.TimeoutWarning)
}

// TestPriceCheckInStoreCode: a weight label in the price check shows the
// weight, the price per kg and what it costs; a tobacco label is refused.
func TestPriceCheckInStoreCode(t *testing.T) {
	r := mustRig(t)
	r.putInStoreGoods()
	r.must(r.co.PriceCheck())
	r.co.ScanRead(weightScan(452))
	pc := r.co.View().PriceCheck
	if pc == nil || pc.Grams != 452 || pc.Price != 18900 || pc.Amount != 8543 || !pc.PerKg() || pc.GTIN != sweets.GTIN {
		t.Fatalf("weight label shown as %+v", pc)
	}
	c := r.priceChecks()
	if len(c) != 1 || c[0].Amount != 8543 || c[0].Data["grams"] != "452" || c[0].Data["code"] != weightScan(452).Code || c[0].Data["gtin"] != sweets.GTIN.String() {
		t.Errorf("journaled %+v", c)
	}
	r.co.ScanRead(priceScan(labelledSnus, 12900))
	if v := r.co.View(); v.Notice != kiosk.NoticeInStoreTobacco || v.PriceCheck != nil {
		t.Errorf("tobacco label: %v %+v", v.Notice, v.PriceCheck)
	}
	if v := r.co.View(); len(v.Lines) != 0 {
		t.Errorf("the price check added %+v", v.Lines)
	}
}

// TestWeightCodeSale: two scans of one weight label are two lines, a
// price label a line at its price; the sale is paid, journaled with each
// line's weight and amount, signed figures that add up, and printed with
// the weight.
func TestWeightCodeSale(t *testing.T) {
	r := mustRig(t)
	r.putInStoreGoods()
	r.runLoops()
	for _, s := range []kiosk.Scan{weightScan(452), weightScan(452), priceScan(cheese, 4990)} {
		r.scanner.FeedScan(s)
	}
	r.scanner.Feed(soda.GTIN.Short())
	v := r.until(func(v kiosk.View) bool { return len(v.Lines) == 4 && v.Count == 4 }, "four lines scanned")
	want := kiosk.Money(8543 + 8543 + 4990 + 3290)
	if v.Total != want || v.Lines[0].Grams != 452 || v.Lines[1].Grams != 452 || v.Lines[2].Product.Price != 4990 {
		t.Fatalf("basket %+v total %s, want %s", v.Lines, v.Total, want)
	}
	if v.Lines[0].Key() != v.Lines[1].Key() || v.Lines[0].Key() == sweets.GTIN {
		t.Errorf("the two labels' keys %s %s", v.Lines[0].Key(), v.Lines[1].Key())
	}
	if err := r.co.SetQty(v.Lines[0].Key(), 2); err == nil {
		t.Error("a weight line's quantity changed")
	}

	// A tobacco label is refused, and said so; the basket stays.
	r.scanner.FeedScan(priceScan(labelledSnus, 12900))
	r.waitRecord("the tobacco label refused", func(rec kiosk.Record) bool { return rec.Subtype == kiosk.SubInStoreRefused })
	if v := r.until(func(v kiosk.View) bool { return v.Notice == kiosk.NoticeInStoreTobacco }, "the tobacco notice"); v.NoticeArg != labelledSnus.Name || len(v.Lines) != 4 {
		t.Errorf("tobacco label: %q, %d lines", v.NoticeArg, len(v.Lines))
	}

	r.must(r.co.Pay())
	if req := r.payApproved(); req.Amount != want {
		t.Errorf("asked the terminal for %s, want %s", req.Amount, want)
	}
	no := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt").ReceiptNo
	r.waitRecord("the receipt printed", isPrinted(no))

	sales := r.store.Sales()
	if len(sales) != 1 || sales[0].Total != want || len(sales[0].Lines) != 4 {
		t.Fatalf("sale %+v", sales)
	}
	var tx *kiosk.CashTx
	for _, rec := range r.records(kiosk.CodeCashSale) {
		tx = rec.Tx
	}
	if tx == nil || tx.AmountIn != want || tx.Lines[0].Grams != 452 || tx.Lines[0].Price != 18900 || tx.Lines[0].Amount != 8543 || tx.Lines[0].Code != kiosk.MustGTIN(weightScan(452).Code) {
		t.Fatalf("journaled transaction %+v", tx)
	}
	if err := tx.Check(); err != nil {
		t.Error(err)
	}
	if _, err := kiosk.VerifyJournal(r.ctx, r.store); err != nil {
		t.Fatal(err)
	}
	doc, _ := r.printer.Last()
	text := doc.PlainText(42)
	if strings.Count(text, "  0,452 kg à 189,00 kr/kg\n") != 2 || !strings.Contains(text, "  1 x 49,90\n") {
		t.Errorf("receipt:\n%s", text)
	}
}

// TestStaffVoidsWeightLine: staff voids the second of two weight labels
// by its label; the first stays, and the void is journaled with the
// label, the weight and the amount.
func TestStaffVoidsWeightLine(t *testing.T) {
	r := mustRig(t)
	r.putInStoreGoods()
	r.co.ScanRead(weightScan(452))
	r.co.ScanRead(weightScan(1000))
	second := r.wait(kiosk.Shopping).Lines[1]
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvVoidLine, Line: second.Key(), Reason: kiosk.ReasonWrongItem}))
	v := r.co.View()
	if len(v.Lines) != 1 || v.Lines[0].Grams != 452 {
		t.Fatalf("lines after the void %+v", v.Lines)
	}
	var voided *kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Subtype == kiosk.SubLineVoided {
			voided = &rec
		}
	}
	if voided == nil || voided.Amount != 18900 || voided.Data["grams"] != "1000" || voided.Data["code"] != weightScan(1000).Code {
		t.Fatalf("void journaled as %+v", voided)
	}
	// By the product's code, the first line of it goes.
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvVoidLine, Line: sweets.GTIN, Reason: kiosk.ReasonWrongItem}))
	if v := r.wait(kiosk.Idle); len(v.Lines) != 0 {
		t.Fatalf("lines %+v", v.Lines)
	}
}

// TestPriceCheckInTraining: a price check in training mode is journaled
// as one, and counted all the same.
func TestPriceCheckInTraining(t *testing.T) {
	r := mustRig(t)
	r.trainingOn()
	r.must(r.co.PriceCheck())
	r.co.Scan(soda.GTIN.Short())
	c := r.priceChecks()
	if len(c) != 1 || !kiosk.IsTraining(c[0].Entry) {
		t.Fatalf("price checks %+v", c)
	}
	tot, err := r.store.Totals(r.ctx, "K1")
	r.must(err)
	if l := tot.Period.PriceLookups; len(l) != 1 || l[0].Num != 1 {
		t.Errorf("look-ups %+v", l)
	}
}

// TestPriceCheckKgByOwnCode: a product sold by the kg, scanned by its own
// code in the price check, is shown per kg with nothing weighed (it was
// shown as a piece at its price per kg), and journaled with that price.
func TestPriceCheckKgByOwnCode(t *testing.T) {
	r := mustRig(t)
	loose := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000168"), Name: "Nøtter i løsvekt", Group: kiosk.GroupFood,
		VAT: kiosk.VAT15, Price: 14900, Stock: 10, Unit: kiosk.UnitKg}
	r.must(r.store.Put(r.ctx, loose))
	r.must(r.co.PriceCheck())
	r.co.Scan(loose.GTIN.Short())
	pc := r.co.View().PriceCheck
	if pc == nil || !pc.PerKg() || pc.Grams != 0 || pc.Price != loose.Price || !pc.ByKg {
		t.Fatalf("a kg product by its own code shown as %+v", pc)
	}
	if c := r.priceChecks(); len(c) != 1 || c[0].Data["price"] != "149.00" {
		t.Errorf("journaled %+v", c)
	}
}
