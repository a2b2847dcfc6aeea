package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"selvkasse/kiosk"
)

// minBasketRows is how many basket lines the Shopping screen shows
// whole on the appliance's panel, in normal and large text, also under a
// banner: the basket is what the customer checks before paying.
const minBasketRows = 2

// TestBasketRoom: on DefaultPanel in full screen (1920×1080, the
// appliance) the basket shows at least minBasketRows whole lines in
// normal and large text, with no banner, with the "added" confirmation
// and with the unknown barcode's choices (2.4–4.0 lines). A window of
// 1280×800 at the same pixel size (a 10-inch panel), where the
// accessibility key joins the row of buttons (keyInShopping), shows
// minBasketRows with no banner and one line under "added" (2.2–2.6 and
// 1.2–1.7; before, 1.0–1.6 with no banner, and in large text under the
// unknown barcode's choices the screen was taller than the window);
// under those choices it shows what is left (0.4–1.4 lines), the rest by
// scrolling, with nothing over anything (TestNothingOverlaps).
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
	for _, at := range []struct {
		size fyne.Size
		min  map[string]float32 // by case; a case left out: no minimum
	}{
		{panel, map[string]float32{"plain": minBasketRows, "added": minBasketRows, "unknown": minBasketRows}},
		{size1280, map[string]float32{"plain": minBasketRows, "added": 1}},
	} {
		t.Run(fmt.Sprintf("%.0fx%.0f", at.size.Width, at.size.Height), func(t *testing.T) {
			walkCases(t, cases, LangNorwegian, at.size, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
				if s.shop == nil {
					t.Fatal("the Shopping screen is not shown")
				}
				scroll := basketScroll(w, s.shop.lines)
				if scroll == nil {
					t.Fatal("no scroll around the basket's lines")
				}
				row := s.shop.lines.Objects[0].MinSize().Height
				if got, want := scroll.Size().Height, at.min[c.name]; got < want*row {
					t.Errorf("the basket shows %.0f units, %.1f lines of %.0f; want at least %.0f lines", got, got/row, row, want)
				}
			})
		})
	}
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
