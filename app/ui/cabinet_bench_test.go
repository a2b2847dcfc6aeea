package ui

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// cabinetGoods is n cabinet products named as a wholesaler's range is.
func cabinetGoods(tb testing.TB, n int) []kiosk.Product {
	tb.Helper()
	d := mustDemo(tb)
	out := make([]kiosk.Product, n)
	for i := range out {
		p := d.cigs
		p.GTIN = mustGTIN(tb, fmt.Sprintf("7020%07d", 1000000+i)+"0")
		p.Name = fmt.Sprintf("Tind Sigaretter %d", i)
		out[i] = p
	}
	return out
}

// BenchmarkCabinetList measures the cabinet list with a wholesaler's
// tobacco range in the catalog (2 000 products: 2 % of 100 000) and, as
// the baseline in the same run, a small shop's 20: "open" builds and lays
// it out, "pick" redraws it open with a product added and lit (a pick
// makes two such redraws), "cycle" opens it, picks and closes it.
//
// When each row was added to the column by Container.Add, which lays the
// column out again, opening the list and picking from it took 13.5 s at
// 2 000 products (1 750 x the 20), and in the demo on the seeded 100 000
// products the list came seconds after the tap. Built at once: 0.32 s
// (90 x), about a second a pick in the demo. With the rows kept between
// redraws and a row neither measured nor refreshed again while its look
// is the same: open 150 ms (110 x), a redraw after a pick 19 ms against
// 0.39, and about half a second a pick in the demo, where Fyne's GL
// driver walks all 2 000 rows at each frame.
func BenchmarkCabinetList(b *testing.B) {
	for _, n := range []int{20, 2000} {
		setup := func(b *testing.B) (s *Screen, w fyne.Window, idle, picked kiosk.View) {
			a := test.NewTempApp(b)
			a.Settings().SetTheme(Theme())
			d := mustDemo(b)
			idle = kiosk.View{State: kiosk.Idle, Cabinet: cabinetGoods(b, n)}
			picked = d.basketView(kiosk.Line{Product: idle.Cabinet[0], Qty: 1})
			picked.Cabinet = idle.Cabinet
			s = NewScreen(newFakeKiosk(idle), LangNorwegian)
			w = test.NewTempWindow(b, s.Content())
			w.SetPadded(false)
			w.Resize(fyne.NewSize(1280, 800))
			s.Render(idle)
			return s, w, idle, picked
		}
		b.Run(fmt.Sprintf("open/products=%d", n), func(b *testing.B) {
			s, w, _, _ := setup(b)
			for b.Loop() {
				s.openCabinet(true)
				relayout(w.Canvas().Content())
				b.StopTimer()
				s.openCabinet(false)
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("pick/products=%d", n), func(b *testing.B) {
			s, w, _, picked := setup(b)
			d := mustDemo(b)
			two := d.basketView(picked.Lines[0], kiosk.Line{Product: picked.Cabinet[1], Qty: 1})
			two.Cabinet = picked.Cabinet
			s.pickedInList = true
			s.Render(picked)
			s.openCabinet(true)
			relayout(w.Canvas().Content())
			i := 0
			for b.Loop() {
				v, g := picked, picked.Cabinet[0].GTIN // the highlight moves back and forth
				if i%2 == 1 {
					v, g = two, picked.Cabinet[1].GTIN
				}
				s.added = g
				s.Render(v)
				relayout(w.Canvas().Content())
				i++
			}
			if !s.cabinet {
				b.Fatal("the list closed")
			}
		})
	}
}

// TestCabinetListKeepsItsPlace: a customer scrolls down the cabinet list
// and taps a product. The list stays where it was, with the product
// lit; the rows are the same widgets, but the tapped one. Before, every
// redraw (a pick makes two) built the list anew, back at its top, and
// with a wholesaler's range of 2 000 products took about half a second.
func TestCabinetListKeepsItsPlace(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	idle := kiosk.View{State: kiosk.Idle, Cabinet: cabinetGoods(t, 40)}
	s, w := showScreen(t, newFakeKiosk(idle), LangNorwegian, size1280)
	s.Render(idle)
	s.openCabinet(true)
	settle(w)
	list := func() *container.Scroll {
		t.Helper()
		sc := scrollOf(w, func(c fyne.CanvasObject) bool {
			col, ok := c.(*fyne.Container)
			return ok && len(col.Objects) == 40
		})
		if sc == nil {
			t.Fatal("no cabinet list")
		}
		return sc
	}
	sc := list()
	before := slices.Clone(sc.Content.(*fyne.Container).Objects)
	sc.ScrollToOffset(fyne.NewPos(0, 900))
	at := sc.Offset

	s.Render(pickedFrom(s, d, idle.Cabinet[12], idle.Cabinet))
	settle(w)

	sc = list()
	if sc.Offset != at {
		t.Errorf("the list is at %v after the pick, want %v where the customer left it", sc.Offset, at)
	}
	assertOnlyLit(t, sc, before, 12)

	// Closed and opened again, the list starts at its top.
	s.openCabinet(false)
	settle(w)
	s.openCabinet(true)
	settle(w)
	if off := list().Offset; off.Y != 0 {
		t.Errorf("the list opened again at %v, want its top", off)
	}
}

// pickedFrom picks p on s as a tap on its row in a list does, and
// returns the kiosk's view after it: a basket of p alone, with p just
// added, and goods still the cabinet's.
func pickedFrom(s *Screen, d demo, p kiosk.Product, goods []kiosk.Product) kiosk.View {
	s.pickItem(p.GTIN, p.Name)
	v := d.basketView(kiosk.Line{Product: p, Qty: 1})
	v.Rev, v.LastAdded, v.Cabinet = 1, p.GTIN, goods
	return v
}

// assertOnlyLit checks a list's rows after a pick: row lit is lit and
// every other row is the one in before, built once and not lit.
func assertOnlyLit(t *testing.T, sc *container.Scroll, before []fyne.CanvasObject, lit int) {
	t.Helper()
	for i, o := range sc.Content.(*fyne.Container).Objects {
		r := o.(*productRow)
		switch {
		case i == lit && !r.highlight:
			t.Errorf("the picked product's row is not lit")
		case i != lit && r != before[i]:
			t.Errorf("row %d (%s) was built again", i, r.name)
		case i != lit && r.highlight:
			t.Errorf("row %d (%s) is lit", i, r.name)
		}
	}
}

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
	before := slices.Clone(sc.Content.(*fyne.Container).Objects)
	sc.ScrollToOffset(fyne.NewPos(0, 600))
	at := sc.Offset
	if at.Y == 0 {
		t.Fatal("the results did not scroll: the test proves nothing")
	}

	k.set(pickedFrom(s, d, goods[9], goods))
	settle(w)
	sc = results()
	if sc.Offset != at {
		t.Errorf("the results are at %v after the pick, want %v where the customer left them", sc.Offset, at)
	}
	assertOnlyLit(t, sc, before, 9)

	// Another query starts at the top of its results.
	test.Tap(findButton(t, w, "⌫ Slett"))
	test.Tap(findButton(t, w, "D"))
	test.Tap(findButton(t, w, "⌫ Slett"))
	settle(w)
	if off := results().Offset; off.Y != 0 {
		t.Errorf("the results of another query begin at %v, want their top", off)
	}
}
