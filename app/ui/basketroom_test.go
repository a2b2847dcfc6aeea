package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"selvkasse/kiosk"
)

// minBasketRows is how many basket lines the Shopping screen shows
// whole on the appliance's panel, in normal and in large text, also
// under a banner: the basket is what the customer checks before paying.
const minBasketRows = 2

// TestBasketRoom: on DefaultPanel in full screen (1920×1080, the
// appliance) the basket shows at least minBasketRows whole lines in
// normal and large text, with no banner, with the "added" confirmation
// and with the unknown barcode's choices. A window of 1280×800 at the
// same pixel size (a 10-inch panel) shows fewer: 1.6 lines with no
// banner (1.0 in large text), 0.3 under the unknown barcode's choices
// and none in large text, where the screen is taller than the window.
func TestBasketRoom(t *testing.T) {
	d := mustDemo(t)
	lines := []kiosk.Line{{Product: d.cola, Qty: 2}, {Product: d.cigs, Qty: 1}, {Product: d.snus, Qty: 1}, {Product: d.choc, Qty: 1}}
	added := func(t *testing.T, s *Screen, w fyne.Window) {
		s.confirmAdded(d.snus.GTIN, d.snus.Name)
		s.shop = nil
		s.redraw()
	}
	cases := []customerCase{
		{"plain", d.basketView(lines...), nil},
		{"added", d.basketView(lines...), added},
		{"unknown", unknownCode(d.basketView(lines...)), nil},
	}
	panel := fyne.NewSize(float32(DefaultPanel.WidthPx), float32(DefaultPanel.HeightPx))
	walkCases(t, cases, LangNorwegian, panel, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
		if s.shop == nil {
			t.Fatal("the Shopping screen is not shown")
		}
		scroll := basketScroll(w, s.shop.lines)
		if scroll == nil {
			t.Fatal("no scroll around the basket's lines")
		}
		row := s.shop.lines.Objects[0].MinSize().Height
		if got := scroll.Size().Height; got < minBasketRows*row {
			t.Errorf("the basket shows %.0f units, %.1f lines of %.0f; want at least %d lines", got, got/row, row, minBasketRows)
		}
	})
}

// basketScroll finds the scroll whose content is lines.
func basketScroll(w fyne.Window, lines fyne.CanvasObject) *container.Scroll {
	for _, d := range drawOrder(w) {
		if sc, ok := d.o.(*container.Scroll); ok && sc.Content == lines {
			return sc
		}
	}
	return nil
}
