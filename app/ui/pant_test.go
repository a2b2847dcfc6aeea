package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// TestPantShown: goods with pant say so wherever the customer reads their
// price: the basket line's unit price, the price check, the search; the
// line's amount and the total include it.
func TestPantShown(t *testing.T) {
	d := mustDemo(t)
	can := kiosk.Product{GTIN: mustGTIN(t, "702000000007"), Name: "Solo 0,33 l boks", Group: kiosk.GroupSoftDrink,
		VAT: kiosk.VAT15, Price: 2490, Deposit: 200, Stock: 50}
	for _, tc := range []struct {
		lang, each, onTop string
	}{
		{LangNorwegian, "kr 24,90 per stk. + pant kr 2,00", "+ pant kr 2,00"},
		{LangEnglish, "kr 24,90 each + kr 2,00 deposit", "+ kr 2,00 deposit"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			newTestApp(t)
			k := priceFake{newFakeKiosk(d.basketView(kiosk.NewLine(can, 2), kiosk.Line{Product: d.cola, Qty: 1}))}
			_, w := showScreen(t, k, tc.lang, size1280)
			for _, want := range []string{tc.each, "kr 53,80", "kr 86,70"} { // 2 × (24,90 + 2,00); + 32,90
				if !hasText(w, want) {
					t.Errorf("the basket does not show %q; it shows %q", want, texts(w))
				}
			}
			assertFits(t, w)

			k.set(kiosk.View{State: kiosk.PriceCheck, PriceCheck: &kiosk.PriceInfo{GTIN: can.GTIN, Code: can.GTIN.Short(), Name: can.Name,
				Group: can.Group, Price: can.Price, Amount: can.Price, Pant: 200}})
			if !hasText(w, tc.onTop) || !hasText(w, "kr 24,90") {
				t.Errorf("the price check: %q", texts(w))
			}
		})
	}

	t.Run("search", func(t *testing.T) {
		newTestApp(t)
		was := searchable
		t.Cleanup(func() { searchable = was })
		searchable = []kiosk.Product{can, d.cola}
		k := newFakeKiosk(d.views()[kiosk.Idle])
		_, w := showScreen(t, k, LangNorwegian, size1280)
		test.Tap(findButton(t, w, "Søk etter navn"))
		for _, key := range []string{"S", "O", "L"} {
			test.Tap(findButton(t, w, key))
		}
		if !hasText(w, "kr 24,90 + pant kr 2,00") {
			t.Errorf("the search: %q", texts(w))
		}
	})
}

// TestStaffReturnPaysPantBack: the return's lines on the staff screen
// show the pant the sale charged, and their sum pays it back, as the
// return itself does ("1 vare": one item is no "varer").
func TestStaffReturnPaysPantBack(t *testing.T) {
	newTestApp(t)
	k := newReturnKiosk(t, false)
	can := kiosk.Product{GTIN: mustGTIN(t, "702000000007"), Name: "Solo 0,33 l boks", Group: kiosk.GroupSoftDrink,
		VAT: kiosk.VAT15, Price: 2490, Deposit: 200, Stock: 50}
	k.ret.Sale.Lines = []kiosk.Line{kiosk.NewLine(can, 2)}
	k.ret.Lines = []kiosk.ReturnableLine{{Line: k.ret.Sale.Lines[0]}}
	_, w := showScreen(t, k, LangNorwegian, size1280)
	tapping("Retur", "1", "7", "OK", "+")(t, w)
	for _, want := range []string{"2 × Solo 0,33 l boks à kr 24,90 + pant kr 2,00 (0 levert tilbake før)", "1 vare, kr 26,90 tilbake"} {
		if !hasText(w, want) {
			t.Errorf("the return shows %q, want %q", texts(w), want)
		}
	}
}
