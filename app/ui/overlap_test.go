package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// TestNothingOverlaps: on every customer screen, in both languages and
// in normal and large text, at a 10-inch panel's 1280×800, at the demo's
// kiosk window (1200×1100) and at the appliance's panel (1920×1080), no
// button or one-line text overlaps another, and no button reaches out of
// the window. In large text the Shopping screen's rows did not fit the
// demo's window: Pay lay over "Tobakk og snus" and the basket's title
// over its count. At 1280×800 in large text under the unknown barcode's
// choices the Shopping screen was taller than the window: its title row
// lay over the total.
func TestNothingOverlaps(t *testing.T) {
	for _, sz := range []fyne.Size{size1280, fyne.NewSize(1200, 1100), fyne.NewSize(float32(DefaultPanel.WidthPx), float32(DefaultPanel.HeightPx))} {
		for _, lang := range []string{LangNorwegian, LangEnglish} {
			walkCustomerAt(t, lang, sz, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
				win := w.Canvas().Size()
				type box struct {
					name string
					r    rect
				}
				var boxes []box
				for _, d := range drawOrder(w) {
					var name string
					size := d.o.Size()
					switch o := d.o.(type) {
					case *widget.Button:
						name = "button " + o.Text
						if d.pos.X < -0.5 || d.pos.X+size.Width > win.Width+0.5 {
							t.Errorf("%q at x %.0f–%.0f reaches out of the %v window", o.Text, d.pos.X, d.pos.X+size.Width, win)
						}
						if d.belowOrAbove(win) {
							t.Errorf("%q at y %.0f–%.0f reaches out of the %v window", o.Text, d.pos.Y, d.pos.Y+size.Height, win)
						}
					case *widget.Label:
						if o.Text == "" {
							continue
						}
						name = "text " + o.Text
						if o.Wrapping == fyne.TextWrapOff && o.Truncation == fyne.TextTruncateOff {
							// Text that does not fit is drawn past its box.
							size = size.Max(o.MinSize())
						}
					default:
						continue
					}
					r := rect{d.pos.X, d.pos.Y, d.pos.X + size.Width, d.pos.Y + size.Height}
					if _, ok := d.o.(*widget.Label); ok {
						// The text, not the label's padding around it.
						p := theme.InnerPadding()
						r = rect{r.x0 + p, r.y0 + p, r.x1 - p, r.y1 - p}
					}
					r = r.and(d.clip)
					if r.empty() {
						continue
					}
					boxes = append(boxes, box{name, r})
				}
				for i, a := range boxes {
					for _, b := range boxes[i+1:] {
						if o := a.r.and(b.r); !o.empty() && (o.x1-o.x0) > 1 && (o.y1-o.y0) > 1 {
							t.Errorf("%s and %s overlap by %.0f × %.0f", a.name, b.name, o.x1-o.x0, o.y1-o.y0)
						}
					}
				}
			})
		}
	}
}

// walkCustomerAt is walkCustomer at a window of size sz, its sub-tests
// named with the size; in English only the cases without a set-up (the
// set-ups tap Norwegian labels).
func walkCustomerAt(t *testing.T, lang string, sz fyne.Size, check func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window)) {
	t.Run(fmt.Sprintf("%s_%.0fx%.0f", lang, sz.Width, sz.Height), func(t *testing.T) {
		var cases []customerCase
		for _, c := range customerCases(t) {
			if lang == LangNorwegian || c.setup == nil {
				cases = append(cases, c)
			}
		}
		walkCases(t, cases, lang, sz, check)
	})
}

// TestBadgeSizeAfterLargeText: a screen built right after the customer
// turned large text off draws in the normal sizes. The theme was changed
// after the build, so the 18+ badge (a canvas text sized from the theme
// when built) kept the large size until the next rebuild.
func TestBadgeSizeAfterLargeText(t *testing.T) {
	d := mustDemo(t)
	for _, sz := range []fyne.Size{size1280, size1920} {
		t.Run(fmt.Sprint(sz.Width), func(t *testing.T) {
			newTestApp(t)
			s, w := showScreen(t, newFakeKiosk(d.basketView(kiosk.Line{Product: d.snus, Qty: 1})), LangNorwegian, sz)
			want := badgeSize(t, w)
			s.SetLargeText(true)
			settle(w)
			if got := badgeSize(t, w); got <= want {
				t.Fatalf("large text: badge text %v, want more than %v", got, want)
			}
			s.SetLargeText(false)
			settle(w)
			if got := badgeSize(t, w); got != want {
				t.Errorf("after large text: badge text %v, want %v", got, want)
			}
		})
	}
}

// badgeSize is the 18+ badge's text size.
func badgeSize(t *testing.T, w fyne.Window) float32 {
	t.Helper()
	for _, d := range drawOrder(w) {
		if tx, ok := d.o.(*canvas.Text); ok && tx.Text == "18+" {
			return tx.TextSize
		}
	}
	t.Fatal("no 18+ badge")
	return 0
}
