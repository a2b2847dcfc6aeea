package escpos

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// mustWeightSale is a sale of two labels of weighed sweets (0,452 kg at
// 189,00 kr/kg each) and a cola.
func mustWeightSale(tb testing.TB) kiosk.Sale {
	tb.Helper()
	item := "231234500000"
	sweets := kiosk.Product{GTIN: kiosk.MustGTIN(item + string(kiosk.CheckDigit(item))), Name: "Smågodt i løsvekt",
		Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 18900}
	cola := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000113"), Name: "Cola 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 3290, Stock: 1}
	label := "231234500452"
	w, err := kiosk.InStoreLine(sweets, label+string(kiosk.CheckDigit(label)), kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: sweets.GTIN, Grams: 452})
	if err != nil {
		tb.Fatal(err)
	}
	lines := []kiosk.Line{w, w, {Product: cola, Qty: 1}}
	p := kiosk.PendingSale{ID: "K1-w", Kiosk: "K1", Lines: lines, Amount: 2*8543 + 3290,
		Result: &kiosk.PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000044"}}
	s := kiosk.NewSale(p, time.Date(2026, 11, 26, 15, 12, 0, 0, time.UTC))
	s.No = 19
	return s
}

// TestEncodeWeightGolden keeps the byte stream of a receipt with weight
// lines: each shows its weight and price per kg ("à" in PC858, 0x85).
func TestEncodeWeightGolden(t *testing.T) {
	doc := kiosk.BuildReceipt(goldenShop, mustWeightSale(t))
	for _, cols := range []int{Columns42, Columns48} {
		got := Encoder{Columns: cols}.Encode(doc)
		assertHexGolden(t, "weight"+strconv.Itoa(cols)+".hex", got)
		line := append([]byte("  0,452 kg "), 0x85)
		line = append(line, " 189,00 kr/kg\n"...)
		if n := bytes.Count(got, line); n != 2 {
			t.Errorf("%d columns: %d weight lines %q, want 2", cols, n, line)
		}
		if !bytes.Contains(got, []byte("85,43")) || !bytes.Contains(got, []byte("203,76")) {
			t.Errorf("%d columns: a line's amount or the total missing", cols)
		}
	}
}
