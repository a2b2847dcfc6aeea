package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
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

// BenchmarkCabinetList opens the cabinet list, then picks from it (a
// redraw with the product added), with a wholesaler's tobacco range in
// the catalog (2 000 products: 2 % of 100 000) and, as the baseline in
// the same run, a small shop's 20. When each row was added to the column
// by Container.Add, which lays the column out again, it took 13.5 s at
// 2 000 products (1 750 x the 20); built at once, 0.32 s (90 x). In the
// demo on the seeded 100 000 products the list took seconds to show
// after the tap.
func BenchmarkCabinetList(b *testing.B) {
	for _, n := range []int{20, 2000} {
		b.Run(fmt.Sprintf("products=%d", n), func(b *testing.B) {
			a := test.NewTempApp(b)
			a.Settings().SetTheme(Theme())
			d := mustDemo(b)
			idle := kiosk.View{State: kiosk.Idle, Cabinet: cabinetGoods(b, n)}
			picked := d.basketView(kiosk.Line{Product: idle.Cabinet[0], Qty: 1})
			picked.Cabinet = idle.Cabinet
			s := NewScreen(newFakeKiosk(idle), LangNorwegian)
			w := test.NewTempWindow(b, s.Content())
			w.SetPadded(false)
			w.Resize(fyne.NewSize(1280, 800))
			b.ResetTimer()
			for range b.N {
				s.Render(idle)
				s.openCabinet(true)
				relayout(w.Canvas().Content())
				s.Render(picked)
				relayout(w.Canvas().Content())
				s.openCabinet(false)
			}
		})
	}
}
