package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The fake kiosk can take the last item out and search, like the
// checkout.
var (
	_ LastRemover = (*fakeKiosk)(nil)
	_ Finder      = (*fakeKiosk)(nil)
)

func (f *fakeKiosk) RemoveLast() error { return f.record("RemoveLast") }

// Search finds the demo products whose name holds q.
func (f *fakeKiosk) Search(_ context.Context, q string, max int) ([]kiosk.Product, error) {
	var out []kiosk.Product
	for _, p := range searchable {
		if strings.Contains(strings.ToLower(p.Name), strings.ToLower(strings.TrimSpace(q))) {
			out = append(out, p)
		}
	}
	return out, nil
}

// searchable is what the fake's search finds.
var searchable []kiosk.Product

// customerCase is one customer screen state the walks visit.
type customerCase struct {
	name  string
	view  kiosk.View
	setup func(t *testing.T, s *Screen, w fyne.Window)
}

func customerCases(t *testing.T) []customerCase {
	d := mustDemo(t)
	searchable = d.all()
	v := d.views()
	tap := func(text string) func(t *testing.T, s *Screen, w fyne.Window) {
		return func(t *testing.T, s *Screen, w fyne.Window) { test.Tap(findButton(t, w, text)) }
	}
	unknown := v[kiosk.Shopping]
	unknown.Notice, unknown.NoticeArg = kiosk.NoticeUnknownCode, "7310000000017"
	declined := v[kiosk.PaymentDeclined]
	declined.NoticeArg, declined.NoticeCode = "Ikke nok dekning på kortet / Credit not sufficient", "71"
	closed := v[kiosk.Releasing]
	closed.DoorOpen = false
	paying := v[kiosk.Paying]
	paying.PayStatus, paying.PayStatusEn = "Sett inn kort", "Insert card"
	out := v[kiosk.OutOfOrder]
	out.Fault = kiosk.DevPrinter + ", " + kiosk.DevScanner
	added := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: d.snus, Qty: 1})
	added.LastAdded = d.snus.GTIN
	cancelled := v[kiosk.Idle]
	cancelled.Notice = kiosk.NoticeCancelled
	checked := v[kiosk.Shopping]
	checked.State = kiosk.PriceCheck
	checked.PriceCheck = &kiosk.PriceInfo{GTIN: d.snus.GTIN, Name: d.snus.Name, Group: d.snus.Group, Price: d.snus.Price, Amount: d.snus.Price, TextOnly: true}
	return []customerCase{
		{"idle", v[kiosk.Idle], nil},
		{"idle_cancelled", cancelled, nil},
		{"idle_cabinet", v[kiosk.Idle], tap("Tobakk og snus")},
		{"shopping", v[kiosk.Shopping], nil},
		{"shopping_long", longBasket(d), nil},
		{"shopping_added", added, addedSnus(d)},
		{"shopping_unknown", unknown, nil},
		// A known item, then an unknown barcode: the notice takes the
		// confirmation's place.
		{"shopping_added_unknown", unknownCode(added), addedSnus(d)},
		{"shopping_help", withHelp(v[kiosk.Shopping]), nil},
		{"shopping_cancel", v[kiosk.Shopping], tap("Avbryt handelen")},
		{"search", v[kiosk.Shopping], func(t *testing.T, s *Screen, w fyne.Window) {
			test.Tap(findButton(t, w, "Søk etter navn"))
			for _, k := range []string{"S", "N", "U", "S"} {
				test.Tap(findButton(t, w, k))
			}
		}},
		{"timeoutwarning", v[kiosk.TimeoutWarning], nil},
		{"agecheck", v[kiosk.AgeCheckPending], nil},
		{"paying", paying, nil},
		{"declined", declined, nil},
		{"releasing_open", v[kiosk.Releasing], nil},
		{"releasing_closed", closed, nil},
		{"receipt", v[kiosk.Receipt], nil},
		{"assistance", v[kiosk.Assistance], nil},
		{"outoforder", out, nil},
		{"pricecheck", kiosk.View{State: kiosk.PriceCheck}, nil},
		{"pricecheck_tobacco", checked, nil},
	}
}

// walkCustomer shows every customer case in lang, plain and in large
// text, and calls check with the laid-out window.
func walkCustomer(t *testing.T, lang string, check func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window)) {
	walkCases(t, customerCases(t), lang, DefaultPanel.Window, check)
}

// walkCases is walkCustomer for cases at a window of size sz.
func walkCases(t *testing.T, cases []customerCase, lang string, sz fyne.Size, check func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window)) {
	for _, c := range cases {
		for _, large := range []bool{false, true} {
			name := c.name
			if large {
				name += "_large"
			}
			t.Run(name, func(t *testing.T) {
				newTestApp(t)
				// With the price check, as the checkout has it: its
				// buttons are measured too.
				s, w := showScreen(t, priceFake{newFakeKiosk(c.view)}, lang, sz)
				s.SetLargeText(large)
				if c.setup != nil {
					c.setup(t, s, w)
				}
				settle(w)
				check(t, c, large, s, w)
			})
		}
	}
}

// drawn is one thing on the canvas, where it is, in drawing order.
type drawn struct {
	o    fyne.CanvasObject
	pos  fyne.Position
	clip rect // the part a scroll lets show
}

// belowOrAbove reports whether d, not in a scroll (whose own box is
// checked instead), reaches above or below a window of size win.
func (d drawn) belowOrAbove(win fyne.Size) bool {
	y0, y1 := d.pos.Y, d.pos.Y+d.o.Size().Height
	return d.clip == (rect{0, 0, win.Width, win.Height}) && (y0 < -0.5 || y1 > win.Height+0.5)
}

// rect is an absolute rectangle.
type rect struct{ x0, y0, x1, y1 float32 }

func (r rect) and(o rect) rect {
	return rect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
}
func (r rect) empty() bool { return r.x1 <= r.x0 || r.y1 <= r.y0 }

// drawOrder lists the visible objects as the canvas draws them, with
// their absolute positions.
func drawOrder(w fyne.Window) []drawn {
	var out []drawn
	var walk func(o fyne.CanvasObject, at fyne.Position, clip rect)
	walk = func(o fyne.CanvasObject, at fyne.Position, clip rect) {
		if o == nil || !o.Visible() {
			return
		}
		p := at.Add(o.Position())
		out = append(out, drawn{o, p, clip})
		if _, ok := o.(*container.Scroll); ok {
			clip = clip.and(rect{p.X, p.Y, p.X + o.Size().Width, p.Y + o.Size().Height})
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch, p, clip)
			}
		case fyne.Widget:
			if r := test.WidgetRenderer(c); r != nil {
				for _, ch := range r.Objects() {
					walk(ch, p, clip)
				}
			}
		}
	}
	sz := w.Canvas().Size()
	walk(w.Canvas().Content(), fyne.Position{}, rect{0, 0, sz.Width, sz.Height})
	return out
}

func inside(p fyne.Position, d drawn) bool {
	s := d.o.Size()
	return p.X >= d.pos.X && p.Y >= d.pos.Y && p.X < d.pos.X+s.Width && p.Y < d.pos.Y+s.Height
}

// over composites c over bg.
func over(c color.Color, bg color.NRGBA) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(f, b uint8) uint8 { return uint8(math.Round(float64(f)*a + float64(b)*(1-a))) }
	return color.NRGBA{R: mix(n.R, bg.R), G: mix(n.G, bg.G), B: mix(n.B, bg.B), A: 0xff}
}

// behind is the colour under point p from what was drawn before index i.
func behind(ds []drawn, i int, p fyne.Position) color.NRGBA {
	bg := colWhite
	for _, d := range ds[:i] {
		clipped := p.X < d.clip.x0 || p.Y < d.clip.y0 || p.X >= d.clip.x1 || p.Y >= d.clip.y1
		if r, ok := d.o.(*canvas.Rectangle); ok && r.FillColor != nil && inside(p, d) && !clipped {
			if _, _, _, a := r.FillColor.RGBA(); a > 0 {
				bg = over(r.FillColor, bg)
			}
		}
	}
	return bg
}

// TestContrastOnScreens computes every text and background pair every
// customer screen shows, as drawn, and every button's edge against what
// is around it: text ≥ 4.5:1 (WCAG 2.x SC 1.4.3), a control's boundary
// ≥ 3:1 (SC 1.4.11).
func TestContrastOnScreens(t *testing.T) {
	walkCustomer(t, LangNorwegian, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
		ds := drawOrder(w)
		texts := 0
		for i, d := range ds {
			switch o := d.o.(type) {
			case *canvas.Text:
				if strings.TrimSpace(o.Text) == "" || o.Color == nil {
					continue
				}
				mid := d.pos.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
				if mid.X < d.clip.x0 || mid.Y < d.clip.y0 || mid.X >= d.clip.x1 || mid.Y >= d.clip.y1 {
					continue // scrolled out of sight
				}
				texts++
				bg := behind(ds, i, mid)
				fg := over(o.Color, bg)
				if r := contrast(fg, bg); r < 4.5 {
					t.Errorf("text %q at %v: %v on %v, contrast %.2f, want ≥ 4.5", o.Text, mid, fg, bg, r)
					for _, e := range ds[:i] {
						if r, ok := e.o.(*canvas.Rectangle); ok && inside(mid, e) && r.FillColor != nil {
							t.Logf("under: %v at %v size %v", r.FillColor, e.pos, e.o.Size())
						}
					}
				}
			case *widget.Button, *productRow:
				mid := d.pos.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
				under := behind(ds, i, mid)
				best := 0.0
				for _, e := range ds {
					r, ok := e.o.(*canvas.Rectangle)
					if !ok || e.pos != d.pos || e.o.Size() != o.Size() {
						continue
					}
					if r.FillColor != nil {
						if _, _, _, a := r.FillColor.RGBA(); a > 0 {
							best = max(best, contrast(over(r.FillColor, under), under))
						}
					}
					if r.StrokeWidth > 0 && r.StrokeColor != nil {
						best = max(best, contrast(over(r.StrokeColor, under), under))
					}
				}
				if best < 3 {
					t.Errorf("%T %q: its edge against %v has contrast %.2f, want ≥ 3", o, describe(o), under, best)
				}
			}
		}
		if texts == 0 {
			t.Fatal("no text found: the walk is broken")
		}
	})
}

// isPrimary names the primary targets: Pay, Help, Cancel, − and +, the
// accessibility key.
func isPrimary(s *Screen, text string) bool {
	switch {
	case strings.HasPrefix(text, s.t(mPay, "")), text == s.t(mHelp), text == s.t(mCancelSale),
		text == "−", text == "+", text == s.t(mLargeTextOn), text == s.t(mLargeTextOff):
		return true
	}
	return false
}

// target is a touch target as laid out.
type target struct {
	name    string
	primary bool
	pos     fyne.Position
	size    fyne.Size // as laid out
	shown   fyne.Size // the part a scroll shows, from pos
}

func targetsOn(s *Screen, w fyne.Window) []target {
	var out []target
	for _, d := range drawOrder(w) {
		// What a scroll hides is not there to touch; what it shows is
		// measured for gaps as shown.
		sz := d.o.Size()
		vis := d.clip.and(rect{d.pos.X, d.pos.Y, d.pos.X + sz.Width, d.pos.Y + sz.Height})
		if vis.empty() {
			continue
		}
		t := target{pos: fyne.NewPos(vis.x0, vis.y0), size: sz, shown: fyne.NewSize(vis.x1-vis.x0, vis.y1-vis.y0)}
		switch o := d.o.(type) {
		case *widget.Button:
			// By what it says: a label broken in two lines (btext) on
			// one line.
			t.name = oneLine(o.Text)
			t.primary = isPrimary(s, t.name)
		case *productRow:
			t.name = o.name
		default:
			continue
		}
		out = append(out, t)
	}
	return out
}

// gapMM is the distance between two targets on the panel (0 when they
// touch or overlap).
func gapMM(p Panel, a, b target) float64 {
	dx := max(b.pos.X-(a.pos.X+a.shown.Width), a.pos.X-(b.pos.X+b.shown.Width), 0)
	dy := max(b.pos.Y-(a.pos.Y+a.shown.Height), a.pos.Y-(b.pos.Y+b.shown.Height), 0)
	return p.MM(max(dx, dy))
}

// TestTouchTargetsInMillimetres measures every customer screen at the
// configured panel (DefaultPanel: the demo's 1280×800 window on a 15.6"
// 1920×1080 panel): primary targets ≥ 20 mm, others ≥ 15 mm, ≥ 3 mm
// apart; Help, Pay and the accessibility key in the lower half and on
// the screen, also in large text.
func TestTouchTargetsInMillimetres(t *testing.T) {
	p := DefaultPanel
	walkCustomer(t, LangNorwegian, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
		ts := targetsOn(s, w)
		if len(ts) == 0 {
			t.Fatal("no targets: the walk is broken")
		}
		win := w.Canvas().Size()
		a11y := false
		for i, a := range ts {
			min := float64(TargetMM)
			if a.primary {
				min = PrimaryTargetMM
			}
			if wmm, hmm := p.MM(a.size.Width), p.MM(a.size.Height); wmm < min-0.05 || hmm < min-0.05 {
				t.Errorf("%q is %.1f × %.1f mm, want ≥ %v mm", a.name, wmm, hmm, min)
			}
			for _, b := range ts[i+1:] {
				if g := gapMM(p, a, b); g < TargetGapMM {
					t.Errorf("%q and %q are %.1f mm apart, want ≥ %v mm", a.name, b.name, g, TargetGapMM)
				}
			}
			lower := a.name == s.t(mHelp) || strings.HasPrefix(a.name, s.t(mPay, "")) ||
				a.name == s.t(mLargeTextOn) || a.name == s.t(mLargeTextOff)
			a11y = a11y || a.name == s.t(mLargeTextOn) || a.name == s.t(mLargeTextOff)
			if lower && a.pos.Y+a.size.Height/2 < win.Height/2 {
				t.Errorf("%q is in the upper half (centre at y %.0f of %.0f)", a.name, a.pos.Y+a.size.Height/2, win.Height)
			}
			if a.primary && a.name != "−" && a.name != "+" &&
				(a.pos.X < 0 || a.pos.Y < 0 || a.pos.X+a.size.Width > win.Width+0.5 || a.pos.Y+a.size.Height > win.Height+0.5) {
				t.Errorf("%q at %v size %v is clipped by the %v window", a.name, a.pos, a.size, win)
			}
		}
		if !a11y {
			t.Error("no accessibility key on this screen")
		}
	})
}

// TestPanelMM: the default panel's pixel is 0.18 mm, so the customer
// sizes are what access.go says.
func TestPanelMM(t *testing.T) {
	p := DefaultPanel
	for _, c := range []struct {
		u    float32
		want float64
	}{{CustomerTouch, 15.83}, {PrimaryTouch, 20.86}, {TouchGap, 3.60}, {1920, 345.35}} {
		if got := p.MM(c.u); math.Abs(got-c.want) > 0.05 {
			t.Errorf("%v units = %.2f mm, want %.2f", c.u, got, c.want)
		}
	}
	p.Scale = 1.5
	if got := p.MM(100); math.Abs(got-26.98) > 0.05 {
		t.Errorf("at scale 1.5, 100 units = %.2f mm", got)
	}
}

// allowedData is what a screen may show besides the catalog's texts: the
// demo's product names, amounts, numbers and codes, the keyboard's
// letters.
func allowedData(s string) bool {
	for _, p := range searchable {
		if s == p.Name {
			return true
		}
	}
	// The long name of longBasket; a terminal prompt (the ZVT driver's
	// Norwegian text, see TestPayPromptInOneLanguage for English).
	if s == "Et svært langt produktnavn som ikke får plass på én linje i handlekurven" || s == "Sett inn kort" {
		return true
	}
	return regexp.MustCompile(`^(kr [0-9 ]+,[0-9]{2}|[0-9 %.,;:×x+−]+|[A-ZÆØÅ]|[0-9]{8,14}|[A-ZÆØÅ ]+)$`).MatchString(s)
}

// nbPatterns are the Norwegian catalog's texts as patterns, each
// argument a group.
func nbPatterns() []*regexp.Regexp {
	var out []*regexp.Regexp
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z]`)
	for _, s := range catalog[LangNorwegian] {
		parts := verbs.Split(s, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		out = append(out, regexp.MustCompile(`^`+strings.Join(parts, `(.+)`)+`$`))
	}
	return out
}

// norwegian reports whether s is made of Norwegian catalog texts and
// data only.
func norwegian(pats []*regexp.Regexp, s string, depth int) bool {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(s, "▏"), "⌫ "))
	if s == "" || allowedData(s) {
		return true
	}
	if depth > 3 {
		return false
	}
	for _, p := range pats {
		if m := p.FindStringSubmatch(s); m != nil {
			ok := true
			for _, arg := range m[1:] {
				ok = ok && norwegian(pats, arg, depth+1)
			}
			if ok {
				return true
			}
		}
	}
	// Texts the screens join: "Totalt: kr 249,70", "18+  name", "a; b",
	// "a\nb", "a, b".
	for _, sep := range []string{"\n", ": ", "  ", "; ", ", "} {
		if parts := strings.Split(s, sep); len(parts) > 1 {
			ok := true
			for _, part := range parts {
				ok = ok && norwegian(pats, part, depth+1)
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// TestNorwegianScreensHaveNoEnglish walks every customer screen in nb
// and finds every text it shows in the Norwegian catalog or among the
// data (names, amounts): no English, no terminal text in both languages,
// no device named in English (issue 14 item 6).
func TestNorwegianScreensHaveNoEnglish(t *testing.T) {
	pats := nbPatterns()
	walkCustomer(t, LangNorwegian, func(t *testing.T, c customerCase, large bool, s *Screen, w fyne.Window) {
		if large {
			return // the same words
		}
		for _, d := range drawOrder(w) {
			l, ok := d.o.(*widget.Label)
			if ok && l.TextStyle.Monospace {
				continue // the printed receipt, as printed
			}
		}
		for _, txt := range customerTexts(w) {
			if !norwegian(pats, txt, 0) {
				t.Errorf("%q is not from the Norwegian catalog", txt)
			}
		}
	})
}

// customerTexts is texts without the printed receipt.
func customerTexts(w fyne.Window) []string {
	receipt := map[string]bool{}
	for _, d := range drawOrder(w) {
		if l, ok := d.o.(*widget.Label); ok && l.TextStyle.Monospace {
			receipt[l.Text] = true
		}
	}
	var out []string
	for _, s := range texts(w) {
		if !receipt[s] {
			out = append(out, s)
		}
	}
	return out
}

// TestDeclineReasonInOneLanguage: the terminal's result code becomes a
// reason in the screen's language; an unknown code says only that the
// card was declined; the terminal's own text is never shown.
func TestDeclineReasonInOneLanguage(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		lang, code, want string
	}{
		{LangNorwegian, "71", "Kortet ble avvist: det er ikke nok dekning på kortet"},
		{LangEnglish, "71", "The card was declined: there is not enough money on the card"},
		{LangEnglish, "05", "The card was declined: the card issuer did not approve the payment"},
		{LangNorwegian, "78", "Kortet ble avvist: kortet er utløpt"},
		{LangEnglish, "", "The card was declined."},
		{LangNorwegian, "zz", "Kortet ble avvist."},
	} {
		t.Run(c.lang+"_"+c.code, func(t *testing.T) {
			newTestApp(t)
			v := d.views()[kiosk.PaymentDeclined]
			v.NoticeArg, v.NoticeCode = "Ikke nok dekning på kortet / Credit not sufficient", c.code
			_, w := showScreen(t, newFakeKiosk(v), c.lang, size1280)
			if !hasText(w, c.want) || hasText(w, "/") {
				t.Errorf("the screen shows %q, want %q and no terminal text", texts(w), c.want)
			}
		})
	}
	// A payment error's technical cause is for the log.
	newTestApp(t)
	v := d.views()[kiosk.PaymentDeclined]
	v.Notice, v.NoticeArg = kiosk.NoticePaymentError, "terminal at 10.0.0.5:20007: connection refused"
	_, w := showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
	if hasText(w, "connection refused") || !hasText(w, tr(LangNorwegian, mNoticePaymentError)) {
		t.Errorf("payment error shows %q", texts(w))
	}
}

// TestFaultNamesTheDeviceInTheScreensLanguage: "Feil: receipt printer"
// was English on the Norwegian screen.
func TestFaultNamesTheDeviceInTheScreensLanguage(t *testing.T) {
	for _, c := range []struct{ lang, fault, want string }{
		{LangNorwegian, kiosk.DevPrinter, "Feil: Kvitteringsskriver"},
		{LangEnglish, kiosk.DevPrinter, "Fault: Receipt printer"},
		{LangNorwegian, kiosk.DevDisk + ", " + kiosk.DevScanner, "Feil: Lagringsplassen (full), Strekkodeleser"},
		{LangNorwegian, kiosk.DevData, "Feil: Lagrede data (skadet)"},
		{LangEnglish, kiosk.DevData, "Fault: Stored data (damaged)"},
		{LangNorwegian, "flux capacitor", "Feil: En enhet"},
	} {
		newTestApp(t)
		_, w := showScreen(t, newFakeKiosk(kiosk.View{State: kiosk.OutOfOrder, Fault: c.fault}), c.lang, size1280)
		if !hasText(w, c.want) {
			t.Errorf("%s %q: the screen shows %q, want %q", c.lang, c.fault, texts(w), c.want)
		}
	}
}

// TestPayPromptInOneLanguage: the terminal's prompt in the screen's
// language only, never the other's.
func TestPayPromptInOneLanguage(t *testing.T) {
	d := mustDemo(t)
	v := d.views()[kiosk.Paying]
	v.PayStatus, v.PayStatusEn = "Sett inn kort", ""
	newTestApp(t)
	_, w := showScreen(t, newFakeKiosk(v), LangEnglish, size1280)
	if hasText(w, "Sett inn kort") {
		t.Errorf("the English screen shows the Norwegian prompt: %q", texts(w))
	}
}

// fakeClock is a clock for the screen's timers.
func fakeClock() *kiosktest.Clock {
	return kiosktest.NewClock(time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC))
}

// TestStaleNoticeLeavesTheWelcomeScreen: "Handelen er avbrutt." stayed
// on the welcome screen. It goes at the next tap, or after
// IdleNoticeTime, even if the kiosk never clears it.
func TestStaleNoticeLeavesTheWelcomeScreen(t *testing.T) {
	d := mustDemo(t)
	v := d.views()[kiosk.Idle]
	v.Notice = kiosk.NoticeCancelled
	cancelled := tr(LangNorwegian, mNoticeCancelled)

	newTestApp(t)
	clk := fakeClock()
	s := NewScreen(newFakeKiosk(v), LangNorwegian)
	s.SetClock(clk)
	s.Render(v)
	w := test.NewTempWindow(t, s.Content())
	w.Resize(size1280)
	if !hasText(w, cancelled) {
		t.Fatalf("no notice: %q", texts(w))
	}
	clk.Advance(IdleNoticeTime)
	if hasText(w, cancelled) {
		t.Errorf("the notice outlived %v: %q", IdleNoticeTime, texts(w))
	}

	newTestApp(t)
	_, w = showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
	test.Tap(findButton(t, w, "English"))
	test.Tap(findButton(t, w, "Norsk"))
	if hasText(w, cancelled) {
		t.Errorf("the notice outlived a tap: %q", texts(w))
	}
}

// TestCabinetListLeftOpenCloses: a list opened on the welcome screen
// closes after ListIdleTime without a tap, and when the next sale starts
// by a scan.
func TestCabinetListLeftOpenCloses(t *testing.T) {
	d := mustDemo(t)
	newTestApp(t)
	clk := fakeClock()
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.SetClock(clk)
	s.Bind()
	test.Tap(findButton(t, w, "Tobakk og snus"))
	findRow(t, w, d.cigs.Name)
	clk.Advance(ListIdleTime - time.Second)
	findRow(t, w, d.cigs.Name)
	clk.Advance(time.Second)
	if hasText(w, d.cigs.Name) || !hasText(w, "Velkommen!") {
		t.Fatalf("after %v the screen shows %q", ListIdleTime, texts(w))
	}

	test.Tap(findButton(t, w, "Tobakk og snus"))
	k.set(d.basketView(kiosk.Line{Product: d.cola, Qty: 1})) // someone scanned
	if hasText(w, d.cigs.Name) || !hasText(w, "Handlekurv") {
		t.Fatalf("a scan started a sale under the open list: %q", texts(w))
	}
}

// TestLongNamesWrap: a long name is shown whole, over more lines, not
// cut with an ellipsis.
func TestLongNamesWrap(t *testing.T) {
	d := mustDemo(t)
	long := d.snus
	long.Name = "Nordlys Snus Original Portion Ekstra Sterk 24 g"
	for _, setup := range []string{"basket", "cabinet"} {
		t.Run(setup, func(t *testing.T) {
			newTestApp(t)
			v := d.basketView(kiosk.Line{Product: long, Qty: 1})
			v.Cabinet = []kiosk.Product{long}
			_, w := showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
			if setup == "cabinet" {
				test.Tap(findButton(t, w, "Tobakk og snus"))
			}
			settle(w)
			var shown []string
			for _, d := range drawOrder(w) {
				if tx, ok := d.o.(*canvas.Text); ok {
					shown = append(shown, tx.Text)
				}
			}
			all := strings.Join(shown, " ")
			if strings.Contains(all, "…") || !strings.Contains(all, "Ekstra Sterk 24 g") {
				t.Errorf("the name is cut: %q", shown)
			}
		})
	}
}

// TestInformationDoesNotLookLikeAButton: the door's state and the
// terminal's prompt sit on the screen's background, not in a box of
// their own.
func TestInformationDoesNotLookLikeAButton(t *testing.T) {
	d := mustDemo(t)
	closed := d.views()[kiosk.Releasing]
	closed.DoorOpen = false
	paying := d.views()[kiosk.Paying]
	paying.PayStatus = "Sett inn kort"
	for _, c := range []struct {
		view kiosk.View
		text string
	}{{closed, "Døren er lukket"}, {paying, "Sett inn kort"}} {
		newTestApp(t)
		_, w := showScreen(t, newFakeKiosk(c.view), LangNorwegian, size1280)
		settle(w)
		ds := drawOrder(w)
		found := false
		for i, e := range ds {
			tx, ok := e.o.(*canvas.Text)
			if !ok || tx.Text != c.text {
				continue
			}
			found = true
			mid := e.pos.Add(fyne.NewPos(tx.Size().Width/2, tx.Size().Height/2))
			for _, r := range ds[:i] {
				rect, ok := r.o.(*canvas.Rectangle)
				if ok && rect.FillColor != nil && inside(mid, r) && r.o.Size().Width < 0.9*size1280.Width {
					if _, _, _, a := rect.FillColor.RGBA(); a > 0 {
						t.Errorf("%q sits in a %v box of %v, like a button", c.text, rect.FillColor, r.o.Size())
					}
				}
			}
		}
		if !found {
			t.Errorf("%q not shown: %q", c.text, texts(w))
		}
	}
}

// TestRemoveIsAButton: "Fjern" looks like a button: filled and outlined
// like the others (the contrast test checks its edge), 15 mm at least.
func TestRemoveIsAButton(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	_, w := showScreen(t, newFakeKiosk(d.shopping()), LangNorwegian, size1280)
	b := findButton(t, w, "Fjern")
	if b.Importance == widget.LowImportance {
		t.Error("Fjern has no button face")
	}
	if mm := DefaultPanel.MM(b.Size().Height); mm < TargetMM {
		t.Errorf("Fjern is %.1f mm tall", mm)
	}
}

// TestTobaccoTapFeedback: a tap in the cabinet list lights the row up
// and says what was added, for ConfirmTime.
func TestTobaccoTapFeedback(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	clk := fakeClock()
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.SetClock(clk)
	test.Tap(findButton(t, w, "Tobakk og snus"))
	test.Tap(findRow(t, w, d.snus.Name))
	equalCalls(t, k.Calls(), "Add "+d.snus.GTIN.Short())
	want := tr(LangNorwegian, mAdded, d.snus.Name)
	if !hasText(w, want) || !findRow(t, w, d.snus.Name).highlight {
		t.Fatalf("no feedback after the tap: %q", texts(w))
	}
	clk.Advance(ConfirmTime)
	if hasText(w, want) || findRow(t, w, d.snus.Name).highlight {
		t.Errorf("the feedback outlived %v", ConfirmTime)
	}
}

// TestNewestLineHighlighted: a scan highlights the new line and confirms
// it; remove last item takes it out through the checkout.
func TestNewestLineHighlighted(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	clk := fakeClock()
	one := d.basketView(kiosk.Line{Product: d.cola, Qty: 1})
	one.Rev, one.LastAdded = 1, d.cola.GTIN
	k := newFakeKiosk(one)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.SetClock(clk)
	s.Bind()
	two := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: d.cigs, Qty: 1})
	two.Rev, two.LastAdded = 2, d.cigs.GTIN
	k.set(two)
	want := tr(LangNorwegian, mAdded, d.cigs.Name)
	if !hasText(w, want) || !marked(w) {
		t.Fatalf("the new line is not confirmed: %q", texts(w))
	}
	test.Tap(findButton(t, w, "Angre siste vare"))
	equalCalls(t, k.Calls(), "RemoveLast")
	clk.Advance(ConfirmTime)
	if hasText(w, want) || marked(w) {
		t.Errorf("the highlight outlived %v", ConfirmTime)
	}
}

// marked reports whether a line is marked as newest.
func marked(w fyne.Window) bool {
	for _, o := range visible(w.Canvas().Content()) {
		if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == colNewest {
			return true
		}
	}
	return false
}

// TestUnknownBarcodeChoices: an unknown barcode offers try again, search
// by name and call staff.
func TestUnknownBarcodeChoices(t *testing.T) {
	d := mustDemo(t)
	v := d.shopping()
	v.Notice, v.NoticeArg = kiosk.NoticeUnknownCode, "7310000000017"
	newTestApp(t)
	k := newFakeKiosk(v)
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Tilkall en ansatt"))
	equalCalls(t, k.Calls(), "Help")
	test.Tap(findButton(t, w, "Prøv igjen"))
	if hasText(w, "Ukjent strekkode") {
		t.Errorf("try again left the notice: %q", texts(w))
	}
	newTestApp(t)
	_, w = showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Søk etter navn"))
	if !hasText(w, tr(LangNorwegian, mSearchTitle)) {
		t.Errorf("no search: %q", texts(w))
	}
}

// TestSearchByName: type on the on-screen keyboard, see the results as
// text, add one; tobacco shows no picture and says the age check comes.
func TestSearchByName(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	searchable = d.all()
	k := newFakeKiosk(d.views()[kiosk.Idle])
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Søk etter navn"))
	for _, key := range []string{"S", "N", "U", "X", "⌫ Slett", "S"} {
		test.Tap(findButton(t, w, key))
	}
	row := findRow(t, w, "18+  "+d.snus.Name)
	if hasText(w, d.cola.Name) || !hasText(w, tr(LangNorwegian, mSearchAgeNote)) {
		t.Errorf("results: %q", texts(w))
	}
	for _, o := range visible(w.Canvas().Content()) {
		switch o.(type) {
		case *canvas.Image, *canvas.Raster:
			t.Errorf("the search shows a picture: %T", o)
		}
	}
	test.Tap(row)
	equalCalls(t, k.Calls(), "Add "+d.snus.GTIN.Short())
	test.Tap(findButton(t, w, "Lukk søket"))
	if !hasText(w, "Velkommen!") {
		t.Errorf("after closing: %q", texts(w))
	}
}

// TestLargeText: the accessibility key scales the text, the next sale
// starts as configured.
func TestLargeText(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Receipt])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	size := func() float32 {
		for _, e := range drawOrder(w) {
			if tx, ok := e.o.(*canvas.Text); ok && tx.Text == "Ferdig" {
				return tx.TextSize
			}
		}
		t.Fatalf("no Ferdig: %q", texts(w))
		return 0
	}
	if got := size(); got != theme.Size(theme.SizeNameText) {
		t.Fatalf("text size %v before", got)
	}
	test.Tap(findButton(t, w, "A+ Større tekst"))
	if !s.LargeText() || size() != float32(math.Round(26*LargeTextScale)) {
		t.Fatalf("large text: %v, size %v", s.LargeText(), size())
	}
	k.set(d.views()[kiosk.Idle]) // the sale ended
	if s.LargeText() {
		t.Error("large text outlived the sale")
	}
	s.SetLargeText(true)
	k.set(d.views()[kiosk.Receipt])
	k.set(d.views()[kiosk.Idle])
	if !s.LargeText() {
		t.Error("the configured large text did not come back")
	}
	_ = fmt.Sprint()
}

// TestThemePairsBeyondTheScreens: the pairs a static screen does not
// show — a button pressed or under the pointer, disabled text on the
// screen, the newest line — and the parts of controls: focus, borders,
// the scroll bar against what they sit on.
func TestThemePairsBeyondTheScreens(t *testing.T) {
	th := Theme()
	c := func(n fyne.ThemeColorName) color.NRGBA {
		return over(th.Color(n, theme.VariantLight), colWhite)
	}
	on := func(top fyne.ThemeColorName, under color.NRGBA) color.NRGBA {
		return over(th.Color(top, theme.VariantLight), under)
	}
	for _, p := range []struct {
		what   string
		fg, bg color.NRGBA
		min    float64
	}{
		{"text on a hovered button", c(theme.ColorNameForeground), on(theme.ColorNameHover, c(theme.ColorNameButton)), 4.5},
		{"text on a pressed button", c(theme.ColorNameForeground), on(theme.ColorNamePressed, c(theme.ColorNameButton)), 4.5},
		{"text on a pressed Pay", c(theme.ColorNameForegroundOnPrimary), on(theme.ColorNamePressed, c(theme.ColorNamePrimary)), 4.5},
		{"text on a hovered Pay", c(theme.ColorNameForegroundOnPrimary), on(theme.ColorNameHover, c(theme.ColorNamePrimary)), 4.5},
		{"text on a pressed Cancel", c(theme.ColorNameForegroundOnError), on(theme.ColorNamePressed, c(theme.ColorNameError)), 4.5},
		{"disabled text on the screen", c(theme.ColorNameDisabled), c(theme.ColorNameBackground), 4.5},
		{"text on the newest line", c(theme.ColorNameForeground), colNewest, 4.5},
		{"a link on the screen", c(theme.ColorNameHyperlink), c(theme.ColorNameBackground), 4.5},
		{"18+ on the newest line", c(theme.ColorNameError), colNewest, 3},
		{"focus on the screen", c(theme.ColorNameFocus), c(theme.ColorNameBackground), 3},
		{"focus on a button", c(theme.ColorNameFocus), c(theme.ColorNameButton), 3},
		{"a button's outline on the screen", colSeparator, c(theme.ColorNameBackground), 3},
		{"a button's outline on the header", colSeparator, c(theme.ColorNameHeaderBackground), 3},
		{"a button's outline on the newest line", colSeparator, colNewest, 3},
		{"an input's border", c(theme.ColorNameInputBorder), c(theme.ColorNameInputBackground), 3},
		{"the scroll bar", c(theme.ColorNameScrollBar), c(theme.ColorNameBackground), 3},
		{"the newest line's bar", colPrimary, colNewest, 3},
		{"a disabled button's outline", colSeparator, c(theme.ColorNameDisabledButton), 3},
	} {
		if r := contrast(p.fg, p.bg); r < p.min {
			t.Errorf("%s: %v on %v, contrast %.2f, want ≥ %.1f", p.what, p.fg, p.bg, r, p.min)
		}
	}
}

// RemoveLast is the customer's (the staff-isolation walk checks).
func init() { customerCommands["RemoveLast"] = true }

// TestOutOfOrderCallNamesTheDevice: the staff screen's call for a kiosk
// out of order with damaged stored data, or a full disk, names it in the
// screen's language ("stored data" was English on the Norwegian screen).
func TestOutOfOrderCallNamesTheDevice(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct{ lang, device, want string }{
		{LangNorwegian, kiosk.DevData, "Lagrede data (skadet)"},
		{LangEnglish, kiosk.DevData, "Stored data (damaged)"},
		{LangNorwegian, kiosk.DevDisk, "Lagringsplassen (full)"},
	} {
		newTestApp(t)
		v := signedIn(d.views()[kiosk.OutOfOrder], kiosk.RoleSupervisor)
		v.Calls = append(v.Calls, kiosk.Call{Kind: kiosk.CallOutOfOrder, Kiosk: "kasse-1", Since: at(14, 6), Arg: c.device})
		_, w := showScreen(t, newFakeKiosk(v), c.lang, size1280)
		if !hasText(w, c.want) || hasText(w, c.device) {
			t.Errorf("%s %q: the staff screen shows %q; want the call to name %q", c.lang, c.device, texts(w), c.want)
		}
	}
}
