package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestThemeDefinesEveryColour(t *testing.T) {
	test.AssertAllColorNamesDefined(t, Theme(), "kiosk")
}

// TestThemeContrast checks text against its background with the WCAG 2.2
// contrast ratio: 7:1 for body text (SC 1.4.6), 4.5:1 for text on
// coloured buttons and disabled text.
func TestThemeContrast(t *testing.T) {
	th := Theme()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantLight) }
	for _, p := range []struct {
		fg, bg fyne.ThemeColorName
		min    float64
	}{
		{theme.ColorNameForeground, theme.ColorNameBackground, 7},
		{theme.ColorNameForeground, theme.ColorNameButton, 7},
		{theme.ColorNameForeground, theme.ColorNameHeaderBackground, 7},
		{theme.ColorNameForeground, theme.ColorNameInputBackground, 7},
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, 7},
		{theme.ColorNameForegroundOnError, theme.ColorNameError, 7},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, 4.5},
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, 7},
		{theme.ColorNameError, theme.ColorNameBackground, 4.5},
		{theme.ColorNameDisabled, theme.ColorNameDisabledButton, 4.5},
		{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground, 4.5},
	} {
		if r := contrast(c(p.fg), c(p.bg)); r < p.min {
			t.Errorf("%s on %s: contrast %.2f, want ≥ %.1f", p.fg, p.bg, r, p.min)
		}
	}
	// The theme ignores the variant.
	for _, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameForeground, theme.ColorNamePrimary} {
		if th.Color(n, theme.VariantDark) != th.Color(n, theme.VariantLight) {
			t.Errorf("%s differs between variants", n)
		}
	}
}

func TestContrastFormula(t *testing.T) {
	if r := contrast(color.Black, color.White); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white = %.3f, want 21", r)
	}
	if r := contrast(color.White, color.White); math.Abs(r-1) > 0.01 {
		t.Errorf("white on white = %.3f, want 1", r)
	}
}

// contrast is the WCAG 2.2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

func TestThemeSizes(t *testing.T) {
	th := Theme()
	for _, c := range []struct {
		n   fyne.ThemeSizeName
		min float32
	}{
		{theme.SizeNameText, 24},
		{theme.SizeNameHeadingText, 40},
		{theme.SizeNameCaptionText, 18},
		{theme.SizeNameInnerPadding, 12},
		{theme.SizeNameScrollBar, 20},
	} {
		if got := th.Size(c.n); got < c.min {
			t.Errorf("size %s = %v, want ≥ %v", c.n, got, c.min)
		}
	}
}

// TestPlainButtonIsTouchSized: even a button that is not wrapped by
// atLeast is tall enough under this theme.
func TestPlainButtonIsTouchSized(t *testing.T) {
	newTestApp(t)
	b := widget.NewButton("Ja", nil)
	if h := b.MinSize().Height; h < MinTouch {
		t.Errorf("a plain button is %v tall, want ≥ %v", h, MinTouch)
	}
}
