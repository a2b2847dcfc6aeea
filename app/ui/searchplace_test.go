package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// TestSearchKeepsItsPlace: a product picked from the search's results,
// scrolled down to, leaves the results where the customer had them,
// with that row lit. Before, every redraw (a pick makes two, and "added"
// going makes a third) built the results anew, at their top: the row
// just tapped went out of view under the finger, and picking two
// products from the same search meant scrolling down again. A new query
// shows its results from the top.
func TestSearchKeepsItsPlace(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	goods := cabinetGoods(t, searchMax)
	searchable = goods
	idle := kiosk.View{State: kiosk.Idle, Cabinet: goods}
	k := newFakeKiosk(idle)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.SetClock(fakeClock())
	s.Bind()
	test.Tap(findButton(t, w, "Søk etter navn"))
	for _, key := range []string{"T", "I", "N", "D"} {
		test.Tap(findButton(t, w, key))
	}
	settle(w)
	results := func() *container.Scroll {
		t.Helper()
		sc := scrollOf(w, func(c fyne.CanvasObject) bool {
			col, ok := c.(*fyne.Container)
			return ok && len(col.Objects) == len(goods)
		})
		if sc == nil {
			t.Fatalf("no results: %q", texts(w))
		}
		return sc
	}
	sc := results()
	sc.ScrollToOffset(fyne.NewPos(0, 600))
	at := sc.Offset
	if at.Y == 0 {
		t.Fatal("the results did not scroll: the test proves nothing")
	}

	picked := goods[9]
	s.pickItem(picked.GTIN, picked.Name)
	v := d.basketView(kiosk.Line{Product: picked, Qty: 1})
	v.Rev, v.LastAdded, v.Cabinet = 1, picked.GTIN, goods
	k.set(v)
	settle(w)
	sc = results()
	if sc.Offset != at {
		t.Errorf("the results are at %v after the pick, want %v where the customer left them", sc.Offset, at)
	}
	for i, o := range sc.Content.(*fyne.Container).Objects {
		if r := o.(*productRow); r.highlight != (i == 9) {
			t.Errorf("row %d (%s) lit: %v", i, r.name, r.highlight)
		}
	}

	// Another query starts at the top of its results.
	test.Tap(findButton(t, w, "⌫ Slett"))
	test.Tap(findButton(t, w, "D"))
	test.Tap(findButton(t, w, "⌫ Slett"))
	settle(w)
	if off := results().Offset; off.Y != 0 {
		t.Errorf("the results of another query begin at %v, want their top", off)
	}
}
