package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Contrast and size on the customer screens (issue 14 item 5; EN 301 549
// clause 5.1 "closed functionality", WCAG 2.x SC 1.4.3, 1.4.11, 2.5.8).
//
// Touch targets are sized in millimetres on the panel, not in pixels: a
// primary target (Pay, Help, Cancel, − and +, the accessibility key) is at
// least 20 mm square, any other at least 15 mm, with at least 3 mm
// between neighbours. The sizes below are Fyne units for DefaultPanel;
// TestTouchTargetsInMillimetres measures every customer screen at the
// configured panel.

// Panel is the kiosk's touchscreen as installed: how wide its picture is
// in millimetres and in pixels, and how many pixels a Fyne unit takes
// (the canvas scale; 1 unless FYNE_SCALE says otherwise).
type Panel struct {
	WidthMM  float64 // visible width of the picture
	WidthPx  int     // horizontal resolution
	HeightPx int     // vertical resolution
	Scale    float64 // pixels per Fyne unit
	// Window is the kiosk window in Fyne units: the whole panel when it
	// runs full screen, the demo's 1280×800 window otherwise.
	Window fyne.Size
}

// DefaultPanel is the assumption when the config names no panel: a
// typical 15.6-inch 16:9 panel at 1920×1080 (345.3 mm wide: 15.6 in ×
// 25.4 mm × 16/√(16²+9²)), scale 1, showing the demo's 1280×800 window.
// A pixel is then 0.18 mm.
var DefaultPanel = Panel{
	WidthMM: 15.6 * 25.4 * 16 / math.Sqrt(16*16+9*9), WidthPx: 1920, HeightPx: 1080, Scale: 1,
	Window: fyne.NewSize(1280, 800),
}

// MM is the physical length of u Fyne units on the panel.
func (p Panel) MM(u float32) float64 {
	scale := p.Scale
	if scale <= 0 {
		scale = 1
	}
	return float64(u) * scale * p.WidthMM / float64(p.WidthPx)
}

// The target sizes in millimetres (issue 14 item 5).
const (
	PrimaryTargetMM = 20
	TargetMM        = 15
	TargetGapMM     = 3
)

// Customer touch targets in Fyne units, for DefaultPanel: CustomerTouch
// is 15.8 mm, PrimaryTouch 20.9 mm, TouchGap 3.6 mm. (MinTouch and
// BigTouch stay the staff screens' sizes.)
const (
	CustomerTouch float32 = 88
	PrimaryTouch  float32 = 116
	TouchGap      float32 = 20
)

// LargeTextScale is how much the large-text mode enlarges the theme's
// text (the "A+" key on every customer screen, or screen.large_text in
// the config).
const LargeTextScale = 1.3

// largeTheme is the kiosk theme with every text size scaled.
type largeTheme struct{ fyne.Theme }

func (t largeTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return float32(math.Round(float64(s) * LargeTextScale))
	}
	return s
}

// LargeTheme is the kiosk theme in large-text mode.
func LargeTheme() fyne.Theme { return largeTheme{Theme()} }
