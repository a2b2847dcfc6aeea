package ui

import "testing"

// BenchmarkRenderLargeText is a Render of a five-line basket with one
// line changed, in large text; "normal" (its baseline, in the same run)
// is the same in the normal theme. Large text is the app's theme
// (applyTheme): when it was a ThemeOverride refreshed after every redraw,
// each render opened a new theme scope and Fyne loaded its fonts again:
// a large-text render took 20.4 ms, 17.6x the normal one (1.16 ms) and
// more than a frame; now 1.55 ms against 0.94 ms.
func BenchmarkRenderLargeText(b *testing.B) {
	vs := benchBaskets(b)
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
