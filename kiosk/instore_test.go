package kiosk

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// inStore13 is the EAN-13 with body (12 digits) and its check digit.
func inStore13(body string) string { return body + string(CheckDigit(body)) }

// Fixtures: a shop's weighed sweets (item 12345 under prefix 23, 189,00
// kr/kg, its catalog code the label's with the weight zeroed) and a
// priced cheese (item 54321 under prefix 24).
var (
	sweetsItem = MustGTIN(inStore13("231234500000"))
	cheeseItem = MustGTIN(inStore13("245432100000"))
)

func mustSweets(tb testing.TB) Product {
	return mustProduct(tb, string(sweetsItem), "Smågodt i løsvekt", GroupFood, VAT15, 18900, 0, false)
}

func mustCheese(tb testing.TB) Product {
	return mustProduct(tb, string(cheeseItem), "Hvitost skivet", GroupFood, VAT15, 100, 0, false)
}

func TestWeightAmount(t *testing.T) {
	for _, tc := range []struct {
		perKg Money
		grams int
		want  Money
	}{
		{18900, 452, 8543},   // 85,428 kr → 85,43
		{18900, 1000, 18900}, // one kg
		{18900, 1, 19},       // 18,9 øre → 19
		{100, 5, 1},          // 0,5 øre: half away from zero, up
		{100, 4, 0},          // 0,4 øre
		{100, 15, 2},         // 1,5 øre → 2
		{100, 14, 1},
		{100, -5, -1}, // a negative half goes down
		{100, -4, 0},
		{100, -15, -2},
		{1, 499, 0}, // 0,499 øre
		{1, 500, 1},
		{MaxPricePerKg, MaxInStoreGrams, MaxPricePerKg * MaxInStoreGrams / 1000}, // the bounds stay in int64
		{0, 452, 0},
	} {
		if got := WeightAmount(tc.perKg, tc.grams); got != tc.want {
			t.Errorf("WeightAmount(%d, %d g) = %d, want %d", tc.perKg, tc.grams, got, tc.want)
		}
	}
}

func TestFormatKg(t *testing.T) {
	for grams, want := range map[int]string{452: "0,452", 1500: "1,500", 5: "0,005", 0: "0,000", 100000: "100,000", -452: "-0,452"} {
		if got := FormatKg(grams); got != want {
			t.Errorf("FormatKg(%d) = %q, want %q", grams, got, want)
		}
	}
	for grams, want := range map[int64]string{452: "0.452", 1500: "1.500", -452: "-0.452"} {
		if got := DecimalKg(grams); got != want {
			t.Errorf("DecimalKg(%d) = %q, want %q", grams, got, want)
		}
	}
	if got, want := WeightText(452, 18900), "0,452 kg à 189,00 kr/kg"; got != want {
		t.Errorf("WeightText = %q, want %q", got, want)
	}
}

func TestInStoreValueValidate(t *testing.T) {
	badCheck := string(sweetsItem[:13]) + string('0'+(sweetsItem[13]-'0'+1)%10)
	for name, tc := range map[string]struct {
		v  InStoreValue
		ok bool
	}{
		"weight":            {InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452}, true},
		"price":             {InStoreValue{Kind: InStorePrice, Item: cheeseItem, Price: 4990}, true},
		"EAN-13 item":       {InStoreValue{Kind: InStoreWeight, Item: GTIN(sweetsItem.Short()), Grams: 1}, true},
		"heaviest":          {InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: MaxInStoreGrams}, true},
		"dearest":           {InStoreValue{Kind: InStorePrice, Item: cheeseItem, Price: MaxInStorePrice}, true},
		"zero weight":       {InStoreValue{Kind: InStoreWeight, Item: sweetsItem}, false},
		"negative weight":   {InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: -1}, false},
		"too heavy":         {InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: MaxInStoreGrams + 1}, false},
		"zero price":        {InStoreValue{Kind: InStorePrice, Item: cheeseItem}, false},
		"too dear":          {InStoreValue{Kind: InStorePrice, Item: cheeseItem, Price: MaxInStorePrice + 1}, false},
		"price as grams":    {InStoreValue{Kind: InStorePrice, Item: cheeseItem, Grams: 452}, false},
		"no kind":           {InStoreValue{Item: sweetsItem, Grams: 452}, false},
		"unknown kind":      {InStoreValue{Kind: 3, Item: sweetsItem, Grams: 452}, false},
		"bad check digit":   {InStoreValue{Kind: InStoreWeight, Item: GTIN(badCheck), Grams: 452}, false},
		"no item":           {InStoreValue{Kind: InStoreWeight, Grams: 452}, false},
		"prefix 70 product": {InStoreValue{Kind: InStoreWeight, Item: MustGTIN("7039990000113"), Grams: 452}, false},
		"prefix 19":         {InStoreValue{Kind: InStoreWeight, Item: MustGTIN(inStore13("191234500000")), Grams: 452}, false},
		"prefix 29":         {InStoreValue{Kind: InStoreWeight, Item: MustGTIN(inStore13("291234500000")), Grams: 452}, true},
	} {
		err := tc.v.Validate()
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrBadInStore)) {
			t.Errorf("%s: Validate() = %v, want ok %v or ErrBadInStore", name, err, tc.ok)
		}
	}
}

func TestInStoreLine(t *testing.T) {
	sweets, cheese := mustSweets(t), mustCheese(t)
	snus := mustProduct(t, inStore13("261111100000"), "Snus", GroupTobacco, VAT25, 12900, 18, true)
	weightCode := inStore13("231234500452")
	priceCode := inStore13("245432104990")
	for name, tc := range map[string]struct {
		p     Product
		code  string
		v     InStoreValue
		err   error
		total Money
		grams int
		price Money
	}{
		"weight": {p: sweets, code: weightCode, v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452},
			total: 8543, grams: 452, price: 18900},
		"price": {p: cheese, code: priceCode, v: InStoreValue{Kind: InStorePrice, Item: cheeseItem, Price: 4990},
			total: 4990, price: 4990},
		"tobacco": {p: snus, code: inStore13("261111101290"), v: InStoreValue{Kind: InStorePrice, Item: snus.GTIN, Price: 12900},
			err: ErrInStoreTobacco},
		"another item": {p: cheese, code: weightCode, v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452},
			err: ErrBadInStore},
		"code with a bad check digit": {p: sweets, code: weightCode[:12] + string('0'+(weightCode[12]-'0'+1)%10),
			v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452}, err: ErrBadInStore},
		"code not in store": {p: sweets, code: "7039990000113", v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452},
			err: ErrBadInStore},
		"zero weight": {p: sweets, code: weightCode, v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem}, err: ErrBadInStore},
		"price per kg too high": {p: func() Product { p := sweets; p.Price = MaxPricePerKg + 1; return p }(), code: weightCode,
			v: InStoreValue{Kind: InStoreWeight, Item: sweetsItem, Grams: 452}, err: ErrBadInStore},
	} {
		l, err := InStoreLine(tc.p, tc.code, tc.v)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: err = %v, want %v", name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if l.Total() != tc.total || l.Grams != tc.grams || l.Product.Price != tc.price || l.Qty != 1 || !l.InStore() || l.Key() != MustGTIN(tc.code) {
			t.Errorf("%s: line %+v total %d, want total %d, %d g at %d", name, l, l.Total(), tc.total, tc.grams, tc.price)
		}
	}
}

func mustWeightLine(tb testing.TB, p Product, grams int) Line {
	tb.Helper()
	body := string(p.GTIN[1:8]) + fmt.Sprintf("%05d", grams)
	l, err := InStoreLine(p, inStore13(body), InStoreValue{Kind: InStoreWeight, Item: p.GTIN, Grams: grams})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// TestBasketInStoreLines: the same label scanned twice is two lines, an
// in-store line's quantity does not change, and removing one takes one.
func TestBasketInStoreLines(t *testing.T) {
	sweets := mustSweets(t)
	sweets.Stock = 0 // weighed goods: stock does not stop the sale
	cola := mustProduct(t, "7039990000113", "Cola 0,5 l", GroupSoftDrink, VAT15, 3290, 0, false)
	var b Basket
	a, c := mustWeightLine(t, sweets, 452), mustWeightLine(t, sweets, 1000)
	for _, l := range []Line{a, a, c} {
		if err := b.AddInStore(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Add(cola); err != nil {
		t.Fatal(err)
	}
	if len(b.Lines) != 4 || b.Count() != 4 || b.Total() != 8543+8543+18900+3290 {
		t.Fatalf("basket %d lines, %d items, %s", len(b.Lines), b.Count(), b.Total())
	}
	if err := b.SetQty(a.Key(), 2); !errors.Is(err, ErrBadQty) {
		t.Errorf("SetQty(weight line, 2) = %v, want ErrBadQty", err)
	}
	if err := b.SetQty(a.Key(), 1); err != nil {
		t.Errorf("SetQty(weight line, 1) = %v", err)
	}
	if err := b.Remove(a.Key()); err != nil || len(b.Lines) != 3 || b.Lines[0].Key() != a.Key() || b.Lines[1].Key() != c.Key() {
		t.Fatalf("Remove one of two labels: %v, %+v", err, b.Lines)
	}
	if err := b.Remove(sweets.GTIN); !errors.Is(err, ErrNotInBasket) {
		t.Errorf("Remove(item code) = %v: in-store lines are named by their label", err)
	}
	full := Basket{}
	for range MaxQty {
		if err := full.AddInStore(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := full.AddInStore(a); !errors.Is(err, ErrBadQty) {
		t.Errorf("line %d of one product: %v, want ErrBadQty", MaxQty+1, err)
	}
}

// mustWeightSale is a sale of weighed sweets, a priced cheese and a cola.
func mustWeightSale(t *testing.T) Sale {
	t.Helper()
	sweets, cheese := mustSweets(t), mustCheese(t)
	cola := mustProduct(t, "7039990000113", "Cola 0,5 l", GroupSoftDrink, VAT15, 3290, 0, false)
	pl, err := InStoreLine(cheese, inStore13("245432104990"), InStoreValue{Kind: InStorePrice, Item: cheeseItem, Price: 4990})
	if err != nil {
		t.Fatal(err)
	}
	var b Basket
	for _, l := range []Line{mustWeightLine(t, sweets, 452), mustWeightLine(t, sweets, 452), pl} {
		if err := b.AddInStore(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Add(cola); err != nil {
		t.Fatal(err)
	}
	return cardSale(b, "K1-w", "", time.Date(2026, 11, 26, 15, 12, 0, 0, time.UTC))
}

// cardSale is basket b sold as sale id, receipt 18, paid by Visa at at,
// its age checked by ageBy (none: "").
func cardSale(b Basket, id, ageBy string, at time.Time) Sale {
	p := PendingSale{ID: id, Kiosk: "K1", Lines: b.Lines, Amount: b.Total(), AgeCheckBy: ageBy,
		Result: &PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000043"}}
	s := NewSale(p, at)
	s.No = 18
	return s
}

// TestWeightReceiptGolden: a weight line shows its weight and price per
// kg, a price line its label's price, each on the receipt.
func TestWeightReceiptGolden(t *testing.T) {
	s := mustWeightSale(t)
	if s.Total != 8543+8543+4990+3290 {
		t.Fatalf("total %s", s.Total)
	}
	got := BuildReceipt(goldenShop, s).PlainText(42)
	for _, want := range []string{"  0,452 kg à 189,00 kr/kg", "  1 x 49,90", "  1 x 32,90"} {
		if strings.Count(got, want+"\n") < 1 {
			t.Errorf("no line %q", want)
		}
	}
	if n := strings.Count(got, "0,452 kg"); n != 2 {
		t.Errorf("%d weight lines, want 2 (two labels are two lines)", n)
	}
	assertGolden(t, "receipt_weight.txt", got)
}

// TestCashTxWeightLines: the journal's transaction carries each weight
// line's weight, price per kg and amount, and Check recomputes them; an
// amount changed by hand is caught.
func TestCashTxWeightLines(t *testing.T) {
	s := mustWeightSale(t)
	tx := NewCashTx(s)
	if err := tx.Check(); err != nil {
		t.Fatal(err)
	}
	w := tx.Lines[0]
	if w.Grams != 452 || w.Price != 18900 || w.Amount != 8543 || w.Qty != 1 || w.Code != MustGTIN(inStore13("231234500452")) || w.GTIN != sweetsItem {
		t.Errorf("weight line %+v", w)
	}
	if p := tx.Lines[2]; p.Grams != 0 || p.Price != 4990 || p.Amount != 4990 || p.Code == "" {
		t.Errorf("price line %+v", p)
	}
	if err := tx.MatchesSale(s); err != nil {
		t.Error(err)
	}
	bad := tx
	bad.Lines = append([]TxLine(nil), tx.Lines...)
	bad.Lines[0].Grams = 453 // the weight changed, the amount not
	if err := bad.Check(); !errors.Is(err, ErrTxInconsistent) {
		t.Errorf("weight changed: Check() = %v, want ErrTxInconsistent", err)
	}
}

// TestReturnRefusesInStoreLines: goods sold by an in-store code are not
// returned at the kiosk (the return counts by product, a label by line).
func TestReturnRefusesInStoreLines(t *testing.T) {
	s := mustWeightSale(t)
	if _, err := NewReturn(s, nil, []ReturnLine{{GTIN: sweetsItem, Qty: 1}}); !errors.Is(err, ErrOverReturn) {
		t.Errorf("return of a weight line: %v, want ErrOverReturn", err)
	}
	if _, err := NewReturn(s, nil, []ReturnLine{{GTIN: MustGTIN("7039990000113"), Qty: 1}}); err != nil {
		t.Errorf("return of the cola: %v", err)
	}
}
