package kiosk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// mustCan is a soft drink in a can with 2 kr pant (Product.Deposit).
func mustCan(tb testing.TB) Product {
	tb.Helper()
	p := mustProduct(tb, "7039990000175", "Solo 0,33 l boks", GroupSoftDrink, VAT15, 2490, 0, false)
	p.Deposit = 200
	if err := p.Validate(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// mustPantSale is a sale of two cans with pant and a snus, as the
// checkout makes it: the basket's lines, total and VAT.
func mustPantSale(tb testing.TB) Sale {
	tb.Helper()
	snus := mustProduct(tb, "7039990000014", "Nordlys Snus Original Portion 24 g", GroupTobacco, VAT25, 12900, 18, true)
	var b Basket
	for _, p := range []Product{mustCan(tb), snus, mustCan(tb)} {
		if err := b.Add(p); err != nil {
			tb.Fatal(err)
		}
	}
	return cardSale(b, "K1-p", "ola", time.Date(2026, 12, 4, 14, 5, 9, 0, time.UTC))
}

// TestPantCharged: a product with a deposit adds its pant to each unit
// sold, on top of its price, in the VAT base at the goods' rate; a line
// from before pant was charged (no Line.Pant) costs what it cost.
func TestPantCharged(t *testing.T) {
	can := mustCan(t)
	var b Basket
	for range 3 {
		if err := b.Add(can); err != nil {
			t.Fatal(err)
		}
	}
	l := b.Lines[0]
	if l.Pant != 200 || l.Goods() != 3*2490 || l.PantTotal() != 3*200 || l.Total() != 3*2690 || b.Total() != 3*2690 {
		t.Fatalf("line %+v: goods %s, pant %s, total %s; basket %s", l, l.Goods(), l.PantTotal(), l.Total(), b.Total())
	}
	vat := b.VAT()
	if len(vat) != 1 || vat[0].Rate != VAT15 || vat[0].Gross != 3*2690 || vat[0].VAT != VATOf(3*2690, VAT15) {
		t.Errorf("VAT %+v: want the pant in the 15 %% base", vat)
	}
	old := Line{Product: can, Qty: 3}
	if old.Total() != 3*2490 {
		t.Errorf("a line without Pant costs %s, want the goods' %s", old.Total(), Money(3*2490))
	}
	if n := NewLine(can, 2); n.Pant != 200 || n.Total() != 2*2690 {
		t.Errorf("NewLine %+v, total %s", n, n.Total())
	}

	// An in-store price label prices the goods; their pant is still
	// owed: a shop's own bottled juice, catalogued under its label's
	// code with the price zeroed, by a label for 19,90.
	juice := mustProduct(t, "2410001000004", "Presset juice 0,5 l", GroupSoftDrink, VAT15, 100, 0, false)
	juice.Deposit = 200
	v := InStoreValue{Kind: InStorePrice, Item: juice.GTIN, Price: 1990}
	il, err := InStoreLine(juice, "2410001019907", v)
	if err != nil {
		t.Fatal(err)
	}
	if il.Pant != 200 || il.Total() != 1990+200 {
		t.Errorf("in-store line %+v, total %s", il, il.Total())
	}
}

// TestDepositValidate: a deposit is per unit and in kroner: none on goods
// sold by the kg, none above MaxDeposit.
func TestDepositValidate(t *testing.T) {
	loose := mustProduct(t, "7039990000137", "Smågodt", GroupFood, VAT15, 18900, 0, false)
	loose.Unit = UnitKg
	if err := loose.Validate(); err != nil {
		t.Fatal(err)
	}
	loose.Deposit = 200
	if err := loose.Validate(); !errors.Is(err, ErrInvalidProduct) {
		t.Errorf("deposit on goods by the kg: %v, want ErrInvalidProduct", err)
	}
	can := mustCan(t)
	can.Deposit = MaxDeposit
	if err := can.Validate(); err != nil {
		t.Errorf("deposit %s: %v", MaxDeposit, err)
	}
	can.Deposit = MaxDeposit + 1
	if err := can.Validate(); !errors.Is(err, ErrInvalidProduct) {
		t.Errorf("deposit %s: %v, want ErrInvalidProduct", can.Deposit, err)
	}
}

// TestPantReceipt: the receipt names the pant on a line of its own, with
// its quantity and amount, and the amounts above the total add up to it
// (kassasystemforskrifta § 2-8-4: each item with its quantity and
// amount). The return receipt pays the pant back.
func TestPantReceipt(t *testing.T) {
	s := mustPantSale(t)
	if s.Total != 2*2690+12900 {
		t.Fatalf("total %s", s.Total)
	}
	got := BuildReceipt(goldenShop, s).PlainText(42)
	for _, want := range []string{"  2 x 24,90", "  Pant 2 x 2,00", "TOTALT NOK"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	assertLinesAddUp(t, BuildReceipt(goldenShop, s), s.Total)
	assertGolden(t, "receipt_pant.txt", got)

	r, err := NewReturn(s, nil, []ReturnLine{{GTIN: s.Lines[0].Product.GTIN, Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 2690 {
		t.Errorf("return of one can: %s, want the pant paid back too (26,90)", r.Total)
	}
	r.No, r.ID, r.Time, r.Staff, r.Method = 22, "K1-r2", time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC), "kari", RefundCounter
	rd := BuildReturnReceipt(goldenShop, r)
	if got := rd.PlainText(42); !strings.Contains(got, "  Pant -1 x 2,00") {
		t.Errorf("return receipt without its pant:\n%s", got)
	}
	assertLinesAddUp(t, rd, -r.Total)

	// A sale from before pant was charged returns what it charged.
	old := s
	old.Lines = []Line{{Product: s.Lines[0].Product, Qty: 2}}
	if r, err := NewReturn(old, nil, []ReturnLine{{GTIN: old.Lines[0].Product.GTIN, Qty: 1}}); err != nil || r.Total != 2490 {
		t.Errorf("return from a sale without pant: %s, %v; want 24,90", r.Total, err)
	}
}

// assertLinesAddUp checks that the amounts between a receipt's first two
// rules (its lines) add up to total.
func assertLinesAddUp(t *testing.T, d Document, total Money) {
	t.Helper()
	var sum Money
	rules := 0
	for _, l := range d.Lines {
		if l.Kind == KindRule {
			rules++
			continue
		}
		if rules != 1 || l.Right == "" {
			continue
		}
		m, err := ParseMoney(strings.ReplaceAll(l.Right, " ", ""))
		if err != nil {
			t.Fatalf("amount %q: %v", l.Right, err)
		}
		sum += m
	}
	if sum != total {
		t.Errorf("the lines add up to %s, the total is %s", sum, total)
	}
}

// TestPantCashTx: the journal's cash transaction has the pant on a line
// of its own after its goods (TxLine.Pant), at the goods' rate, and its
// figures add up; a return's has it negative.
func TestPantCashTx(t *testing.T) {
	s := mustPantSale(t)
	tx := NewCashTx(s)
	if err := tx.Check(); err != nil {
		t.Fatal(err)
	}
	if err := tx.MatchesSale(s); err != nil {
		t.Fatal(err)
	}
	if len(tx.Lines) != 3 {
		t.Fatalf("lines %+v: want the can, its pant, the snus", tx.Lines)
	}
	goods, pant := tx.Lines[0], tx.Lines[1]
	if goods.Pant || goods.Amount != 2*2490 || goods.Price != 2490 {
		t.Errorf("goods line %+v", goods)
	}
	if !pant.Pant || pant.Name != PantName || pant.GTIN != goods.GTIN || pant.Group != GroupSoftDrink || pant.VAT != VAT15 ||
		pant.Price != 200 || pant.Qty != 2 || pant.Amount != 400 {
		t.Errorf("pant line %+v", pant)
	}
	if tx.AmountIn != s.Total {
		t.Errorf("amount %s, sale %s", tx.AmountIn, s.Total)
	}
	r, err := NewReturn(s, nil, []ReturnLine{{GTIN: goods.GTIN, Qty: 2}})
	if err != nil {
		t.Fatal(err)
	}
	rt := NewReturnTx(r)
	if err := rt.Check(); err != nil {
		t.Fatal(err)
	}
	if len(rt.Lines) != 2 || !rt.Lines[1].Pant || rt.Lines[1].Amount != -400 || rt.AmountIn != -2*2690 {
		t.Errorf("return tx %+v", rt)
	}
	// The journal must not take the pant for part of the goods' price.
	tx.Lines[1].Amount++
	if err := tx.Check(); !errors.Is(err, ErrTxInconsistent) {
		t.Errorf("an edited pant line: %v", err)
	}
}

// TestPantSpoken: speech says the pant with the price.
func TestPantSpoken(t *testing.T) {
	for lang, want := range map[string]string{
		SpeechNorwegian: "24 kroner og 90 øre pluss pant 2 kroner",
		SpeechEnglish:   "24 kroner and 90 øre plus a deposit of 2 kroner",
	} {
		if got := spokenPrice(2490, 200, lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		if got := spokenPrice(2490, 0, lang); got != SpokenMoney(2490, lang) {
			t.Errorf("%s without pant: %q", lang, got)
		}
	}
}
