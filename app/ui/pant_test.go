package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
		{LangNorwegian, "kr 24,90 per stk. + pant kr 2,00", "kr 24,90 + pant kr 2,00"},
		{LangEnglish, "kr 24,90 each + kr 2,00 deposit", "kr 24,90 + kr 2,00 deposit"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			newTestApp(t)
			k := priceFake{newFakeKiosk(d.basketView(kiosk.NewLine(can, 2), kiosk.Line{Product: d.cola, Qty: 1}))}
			_, w := showScreen(t, k, tc.lang, size1280)
			for _, want := range []string{tc.each, "kr 53,80", "kr 86,70"} { // 2 × (24,90 + 2,00); + 32,90
				if !hasExactText(w, want) {
					t.Errorf("the basket does not show %q; it shows %q", want, texts(w))
				}
			}
			assertFits(t, w)

			pc := priceFake{newFakeKiosk(kiosk.View{State: kiosk.PriceCheck, PriceCheck: &kiosk.PriceInfo{GTIN: can.GTIN,
				Code: can.GTIN.Short(), Name: can.Name, Group: can.Group, Price: can.Price, Amount: can.Price, Pant: 200}})}
			_, w = showScreen(t, pc, tc.lang, size1280)
			if !hasExactText(w, tc.onTop) || !hasText(w, tr(tc.lang, mPriceCheckNotes)) {
				t.Errorf("the price check: %q", texts(w))
			}
			// The price, and the paragraph under it, in view: a line
			// more for the pant pushed it under the scroll's edge.
			assertWhole(t, w, tr(tc.lang, mPriceCheckNotes))
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
		if !hasExactText(w, "kr 24,90 + pant kr 2,00") {
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

// hasExactText reports whether the window shows a text that is s, whole.
func hasExactText(w fyne.Window, s string) bool {
	return slices.Contains(texts(w), s)
}

// assertWhole checks that the label or rich text whose text contains s is
// shown whole: not cut off by the edge of a scroll it lies in.
func assertWhole(t *testing.T, w fyne.Window, s string) {
	t.Helper()
	for _, d := range drawOrder(w) {
		var text string
		switch x := d.o.(type) {
		case *widget.Label:
			text = x.Text
		case *widget.RichText:
			text = x.String()
		default:
			continue
		}
		if !strings.Contains(text, s) {
			continue
		}
		sz := d.o.Size()
		if d.pos.Y < d.clip.y0 || d.pos.Y+sz.Height > d.clip.y1 {
			t.Errorf("%q lies at %.0f–%.0f, the scroll shows %.0f–%.0f", s, d.pos.Y, d.pos.Y+sz.Height, d.clip.y0, d.clip.y1)
		}
		return
	}
	t.Errorf("no %q on the screen: %q", s, texts(w))
}
