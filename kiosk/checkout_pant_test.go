package kiosk_test

import (
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// can is a soft drink with 2 kr pant.
var can = kiosk.Product{GTIN: kiosk.MustGTIN("7039990000175"), Name: "Solo 0,33 l boks", Group: kiosk.GroupSoftDrink,
	VAT: kiosk.VAT15, Price: 2490, Deposit: 200, Stock: 10}

// TestSaleChargesPant: a product with a deposit is sold with its pant on
// top: the basket's total, the amount the terminal is asked for, the
// stored sale, its cash transaction in the journal (the pant on a line of
// its own) and the printed receipt all have it.
func TestSaleChargesPant(t *testing.T) {
	r := mustRig(t)
	r.must(r.store.Put(r.ctx, can))
	r.must(r.co.Add(can.GTIN))
	r.must(r.co.Add(can.GTIN))
	r.must(r.co.Add(soda.GTIN))
	const want = 2*(2490+200) + 3290
	if v := r.co.View(); v.Total != want || len(v.Lines) != 2 || v.Lines[0].Pant != 200 {
		t.Fatalf("basket total %s, lines %+v; want %s with 2 × 2,00 pant", v.Total, v.Lines, kiosk.Money(want))
	}
	r.must(r.co.Pay())
	if req := r.payApproved(); req.Amount != want {
		t.Errorf("the terminal was asked for %s, want %s", req.Amount, kiosk.Money(want))
	}
	no := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt screen").ReceiptNo
	s, err := r.store.Sale(r.ctx, "K1", no)
	r.must(err)
	if s.Total != want || s.Lines[0].PantTotal() != 400 {
		t.Errorf("stored sale total %s, lines %+v", s.Total, s.Lines)
	}
	rec := r.waitRecord("the cash sale", func(rec kiosk.Record) bool { return rec.Code == kiosk.CodeCashSale && rec.ReceiptNo == no })
	if rec.Tx == nil || len(rec.Tx.Lines) != 3 || !rec.Tx.Lines[1].Pant || rec.Tx.Lines[1].Amount != 400 || rec.Tx.AmountIn != want {
		t.Errorf("journaled transaction %+v", rec.Tx)
	} else if err := rec.Tx.Check(); err != nil {
		t.Error(err)
	}
	r.waitRecord("the receipt printed", isPrinted(no)) // journaled after the printer took it
	d, ok := r.printer.Last()
	if !ok {
		t.Fatal("no receipt printed")
	}
	if got := d.PlainText(42); !strings.Contains(got, "  Pant 2 x 2,00") || !strings.Contains(got, kiosk.Money(want).Plain()) {
		t.Errorf("receipt without the pant:\n%s", got)
	}
}
