package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// BenchmarkActivityHook is the walk that hooks every widget for activity
// (timers.go), run after each redraw, on a five-line basket screen;
// "render" (its baseline, in the same run) is a Render of that screen
// with one line changed, of which the walk is part.
func BenchmarkActivityHook(b *testing.B) {
	vs := benchBaskets(b)
	s := NewScreen(newFakeKiosk(vs[0]), LangNorwegian)
	b.Run("render", func(b *testing.B) {
		for i := range b.N {
			s.Render(vs[i%2])
		}
	})
	b.Run("hook", func(b *testing.B) {
		for range b.N {
			s.hookActivity()
		}
	})
}

// benchBaskets starts a test app in the kiosk theme and returns two views
// of a five-line basket that differ in one line's quantity, for
// benchmarks that render one after the other.
func benchBaskets(b *testing.B) [2]kiosk.View {
	test.NewTempApp(b).Settings().SetTheme(Theme())
	d := mustDemo(b)
	lines := []kiosk.Line{{Product: d.cola, Qty: 1}, {Product: d.cigs, Qty: 1}, {Product: d.snus, Qty: 1},
		{Product: d.choc, Qty: 1}, {Product: d.paper, Qty: 1}}
	var vs [2]kiosk.View
	for i := range vs {
		ls := append([]kiosk.Line(nil), lines...)
		ls[0].Qty = 1 + i
		vs[i] = d.basketView(ls...)
	}
	return vs
}
