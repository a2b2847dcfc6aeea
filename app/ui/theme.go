package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Touch target sizes in Fyne units (1 unit = 1 px at scale 1 on the
// 1280×800 panel). Anything a finger taps is at least MinTouch tall and
// wide; the one button that moves a screen on (Pay, Yes, Done) is
// BigTouch tall. WCAG 2.2 SC 2.5.5 asks for 44 CSS px; a kiosk used
// standing, in a hurry, sometimes with gloves, gets more.
const (
	MinTouch float32 = 64
	BigTouch float32 = 96
)

// Theme returns the kiosk's touchscreen theme: light, high contrast
// (body text at least 7:1 against its background, WCAG 2.2 SC 1.4.6), large
// text and generous padding. It ignores the light/dark preference: a
// kiosk in a shop has one look. The binary installs it with
// app.Settings().SetTheme(ui.Theme()).
func Theme() fyne.Theme { return kioskTheme{} }

type kioskTheme struct{}

var _ fyne.Theme = kioskTheme{}

// The palette. Every foreground/background pair is checked by
// TestThemeContrast.
var (
	colWhite     = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	colBlack     = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	colPrimary   = color.NRGBA{R: 0x0b, G: 0x3d, B: 0x91, A: 0xff} // dark blue
	colButton    = color.NRGBA{R: 0xdb, G: 0xe2, B: 0xea, A: 0xff} // light grey-blue
	colDisBtn    = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	colDisText   = color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}
	colError     = color.NRGBA{R: 0xa5, G: 0x00, B: 0x1d, A: 0xff} // dark red
	colSuccess   = color.NRGBA{R: 0x0a, G: 0x6b, B: 0x28, A: 0xff} // dark green
	colWarning   = color.NRGBA{R: 0xff, G: 0xc4, B: 0x00, A: 0xff} // amber
	colSeparator = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	colPlace     = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	colHeader    = color.NRGBA{R: 0xe9, G: 0xed, B: 0xf2, A: 0xff}
	colSelection = color.NRGBA{R: 0xb3, G: 0xd4, B: 0xfc, A: 0xff}
	colHover     = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x1a}
	colPressed   = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x40}
	colShadow    = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x40}
	colScrollBg  = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x14}
	colScroll    = color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xff}
	colNewest    = color.NRGBA{R: 0xff, G: 0xf1, B: 0xb8, A: 0xff} // pale yellow: the line just added
)

func (kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground,
		theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return colWhite
	case theme.ColorNameForeground:
		return colBlack
	case theme.ColorNameButton:
		return colButton
	case theme.ColorNameDisabledButton:
		return colDisBtn
	case theme.ColorNameDisabled:
		return colDisText
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return colPrimary
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError,
		theme.ColorNameForegroundOnSuccess:
		return colWhite
	case theme.ColorNameForegroundOnWarning:
		return colBlack
	case theme.ColorNameError:
		return colError
	case theme.ColorNameSuccess:
		return colSuccess
	case theme.ColorNameWarning:
		return colWarning
	case theme.ColorNameSeparator, theme.ColorNameInputBorder:
		return colSeparator
	case theme.ColorNamePlaceHolder:
		return colPlace
	case theme.ColorNameHeaderBackground:
		return colHeader
	case theme.ColorNameSelection:
		return colSelection
	case theme.ColorNameHover:
		return colHover
	case theme.ColorNamePressed:
		return colPressed
	case theme.ColorNameShadow:
		return colShadow
	case theme.ColorNameScrollBar:
		return colScroll
	case theme.ColorNameScrollBarBackground:
		return colScrollBg
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// Font uses Fyne's bundled Noto Sans and its monospace face, which cover
// æ, ø and å.
func (kioskTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameHeadingText:
		return 44
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameCaptionText:
		return 20
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNameLineSpacing:
		return 6
	case theme.SizeNameInlineIcon:
		return 32
	case theme.SizeNameScrollBar:
		return 24
	case theme.SizeNameScrollBarSmall:
		return 10
	case theme.SizeNameSeparatorThickness:
		return 2
	case theme.SizeNameInputBorder:
		return 3
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius, theme.SizeNameScrollBarRadius:
		return 8
	}
	return theme.DefaultTheme().Size(n)
}

// minSizeLayout lays its objects over each other at the full size and asks
// for at least min: it turns any widget into a touch target of known size.
type minSizeLayout struct{ min fyne.Size }

func (l minSizeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := l.min
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (l minSizeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// resizeLayout lays out as inner does and tells resized when the size
// it lays out at changed (the screen's root: Screen.resized).
type resizeLayout struct {
	inner   fyne.Layout
	resized func(old, now fyne.Size)
	last    fyne.Size
}

func (l *resizeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return l.inner.MinSize(objs) }

func (l *resizeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.inner.Layout(objs, size)
	if size == l.last {
		return
	}
	old := l.last
	l.last = size
	if l.resized != nil {
		l.resized(old, size)
	}
}

// atLeast wraps o so it is at least w wide and h tall.
func atLeast(o fyne.CanvasObject, w, h float32) *fyne.Container {
	return container.New(minSizeLayout{min: fyne.NewSize(w, h)}, o)
}

// pill is a coloured box around text: banners, the 18+ badge, the door
// indicator.
func pill(bg color.Color, o fyne.CanvasObject) *fyne.Container {
	r := canvas.NewRectangle(bg)
	r.CornerRadius = 8
	return container.NewStack(r, container.NewPadded(o))
}

// compactTheme is the kiosk theme with little padding, for lists of
// status lines staff read (nothing in it is a touch target).
type compactTheme struct{ fyne.Theme }

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding, theme.SizeNameInnerPadding:
		return 4
	case theme.SizeNameLineSpacing:
		return 2
	}
	return t.Theme.Size(n)
}
