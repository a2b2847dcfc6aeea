package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// BenchmarkRenderLargeText is a Render of a five-line basket with one
// line changed, in large text; "normal" (its baseline, in the same run)
// is the same in the normal theme. Large text is the app's theme
// (applyTheme): when it was a ThemeOverride refreshed after every redraw,
// each render opened a new theme scope and Fyne loaded its fonts again:
// a large-text render took 20.4 ms, 17.6x the normal one (1.16 ms) and
// more than a frame; now 1.55 ms against 0.94 ms.
func BenchmarkRenderLargeText(b *testing.B) {
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
	for _, c := range []struct {
		name  string
		large bool
	}{{"normal", false}, {"large", true}} {
		b.Run(c.name, func(b *testing.B) {
			s := NewScreen(newFakeKiosk(vs[0]), LangNorwegian)
			s.SetLargeText(c.large)
			for i := range b.N {
				s.Render(vs[i%2])
			}
		})
	}
}
