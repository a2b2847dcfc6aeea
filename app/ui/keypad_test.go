package ui

import (
	"fmt"
	"strings"
	"testing"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"selvkasse/kiosk"
)

// testKeys is a keypad's key map as the binary sets it (app/speechkeys.go
// holds the real one).
var testKeys = map[fyne.KeyName]KeyAction{
	fyne.KeyDown: KeyNext, fyne.KeyRight: KeyNext, fyne.KeyUp: KeyPrevious, fyne.KeyLeft: KeyPrevious,
	fyne.KeyReturn: KeySelect, fyne.KeyEscape: KeyBack, fyne.KeyF4: KeyHelp,
}

// keypadScreen is a Screen in a 1280×800 window whose canvas takes keys
// as the binary's does.
func keypadScreen(t *testing.T, k Kiosk, lang string) (*Screen, fyne.Window) {
	t.Helper()
	newTestApp(t)
	s, w := showScreen(t, k, lang, size1280)
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { s.Key(testKeys[ev.Name], ev) })
	w.Canvas().SetOnTypedRune(s.TypedRune)
	settle(w)
	return s, w
}

// press types key name as the driver does: to the focused widget if Fyne
// focused one, else to the canvas's handler. The screen never lets Fyne
// focus a widget, so it is always the canvas.
func press(t *testing.T, w fyne.Window, name fyne.KeyName) {
	t.Helper()
	ev := &fyne.KeyEvent{Name: name}
	if f := w.Canvas().Focused(); f != nil {
		t.Fatalf("Fyne focused %T: the keypad's keys would go to it", f)
	}
	w.Canvas().OnTypedKey()(ev)
	settle(w)
}

func typeRune(w fyne.Window, r rune) {
	w.Canvas().OnTypedRune()(r)
	settle(w)
}

// focused is the text of the focused target, "" for none or while the
// ring is not shown.
func focused(s *Screen) string {
	o, shown := s.Focused()
	if o == nil || !shown {
		return ""
	}
	return targetText(o)
}

func wantFocus(t *testing.T, s *Screen, want string) {
	t.Helper()
	if got := focused(s); got != want {
		t.Fatalf("focus on %q, want %q (targets %q)", got, want, targetTexts(s))
	}
}

func targetTexts(s *Screen) []string {
	var out []string
	for _, t := range s.focusTargets() {
		out = append(out, targetText(t.obj))
	}
	return out
}

// render shows v and lays the window out.
func render(s *Screen, w fyne.Window, v kiosk.View) {
	s.Render(v)
	settle(w)
}

// keyScreens is every customer screen a key can reach, with the target
// its first key shows (the screen's primary action) and its targets in
// reading order.
func keyScreens(t *testing.T) []struct {
	name    string
	view    kiosk.View
	setup   func(t *testing.T, s *Screen, w fyne.Window)
	primary string
	order   []string
} {
	d := mustDemo(t)
	v := d.views()
	openList := func(t *testing.T, s *Screen, w fyne.Window) { s.openCabinet(true); settle(w) }
	askCancel := func(t *testing.T, s *Screen, w fyne.Window) { s.askingCancel = true; s.redraw(); settle(w) }
	line := func(name string) []string { return []string{"−", "+", "Fjern"} }
	var shop []string
	shop = append(shop, "English", "Søk etter navn", "Angre siste vare")
	for _, l := range []string{"cola", "cigs", "choc"} {
		shop = append(shop, line(l)...)
	}
	// In the 1280×800 window the accessibility key is in the row of
	// buttons, before Pay (keyInRow), on the Shopping screen and in the
	// cabinet list.
	shop = append(shop, "Avbryt handelen", "Hjelp", "Tobakk og snus", "A+ Større tekst", "Betal kr 249,70")
	snus, cigs := d.snus.Name+", kr 124,50", d.cigs.Name+", kr 159,00"
	return []struct {
		name    string
		view    kiosk.View
		setup   func(t *testing.T, s *Screen, w fyne.Window)
		primary string
		order   []string
	}{
		{"idle", v[kiosk.Idle], nil, "Tobakk og snus", []string{"English", "Tobakk og snus", "Søk etter navn", "Hjelp", "A+ Større tekst"}},
		// The cabinet list too has the key in its row, before Pay.
		{"idle_cabinet", v[kiosk.Idle], openList, snus, []string{"English", snus, cigs, "Lukk listen", "A+ Større tekst"}},
		{"shopping", v[kiosk.Shopping], nil, "Betal kr 249,70", shop},
		{"shopping_cabinet", v[kiosk.Shopping], openList, snus, []string{"English", snus, cigs, "Lukk listen", "A+ Større tekst", "Betal kr 249,70"}},
		{"shopping_help", withHelp(v[kiosk.Shopping]), nil, "Betal kr 249,70", nil},
		{"cancel_question", v[kiosk.Shopping], askCancel, "Nei, fortsett", []string{"English", "Nei, fortsett", "Ja, avbryt", "A+ Større tekst"}},
		{"timeoutwarning", v[kiosk.TimeoutWarning], nil, "Jeg trenger mer tid", []string{"English", "Jeg trenger mer tid", "Hjelp", "Avbryt handelen", "A+ Større tekst"}},
		{"agecheckpending", v[kiosk.AgeCheckPending], nil, "Avbryt handelen", []string{"English", "Avbryt handelen", "Hjelp", "A+ Større tekst"}},
		{"paying", v[kiosk.Paying], nil, "Avbryt handelen", []string{"English", "Avbryt handelen", "Hjelp", "A+ Større tekst"}},
		{"paymentdeclined", v[kiosk.PaymentDeclined], nil, "Prøv igjen", []string{"English", "Prøv igjen", "Et annet kort", "Hjelp", "Avbryt handelen", "A+ Større tekst"}},
		{"releasing", v[kiosk.Releasing], nil, "English", []string{"English", "A+ Større tekst"}},
		{"receipt", v[kiosk.Receipt], nil, "Ferdig", []string{"English", "Ferdig", "A+ Større tekst"}},
		{"assistance", v[kiosk.Assistance], nil, "English", []string{"English", "A+ Større tekst"}},
		{"outoforder", v[kiosk.OutOfOrder], nil, "English", []string{"English", "A+ Større tekst"}},
	}
}

// TestKeypadEveryScreen: on every customer screen the first key shows
// the ring on the screen's primary action without doing anything, the
// targets come in reading order, and Next (and Previous) run through
// every target and back to the start: no screen traps the focus.
func TestKeypadEveryScreen(t *testing.T) {
	for _, c := range keyScreens(t) {
		t.Run(c.name, func(t *testing.T) {
			k := newFakeKiosk(c.view)
			s, w := keypadScreen(t, k, "nb")
			if c.setup != nil {
				c.setup(t, s, w)
			}
			if f := focused(s); f != "" {
				t.Errorf("the ring shows (%q) before any key", f)
			}
			press(t, w, fyne.KeyDown)
			wantFocus(t, s, c.primary)
			if c.order != nil && strings.Join(targetTexts(s), "|") != strings.Join(c.order, "|") {
				t.Errorf("reading order %q, want %q", targetTexts(s), c.order)
			}
			n := len(s.focusTargets())
			for _, dir := range []fyne.KeyName{fyne.KeyDown, fyne.KeyUp} {
				seen := map[fyne.CanvasObject]bool{}
				for i := 0; i < n; i++ {
					o, _ := s.Focused()
					seen[o] = true
					press(t, w, dir)
				}
				if len(seen) != n {
					t.Errorf("%s visited %d of %d targets", dir, len(seen), n)
				}
				wantFocus(t, s, c.primary)
			}
			if calls := k.Calls(); len(calls) != 0 {
				t.Errorf("moving the focus called %q", calls)
			}
			ringAround(t, s)
		})
	}
}

// ringAround checks the ring is drawn, fully around the focused target.
func ringAround(t *testing.T, s *Screen) {
	t.Helper()
	o, shown := s.Focused()
	if !shown || o == nil {
		t.Fatal("no ring")
	}
	if !s.inRoot(s.keys.layer) {
		t.Fatal("the ring is not on the screen")
	}
	var at fyne.Position
	for _, tg := range s.focusTargets() {
		if tg.obj == o {
			at = tg.pos
		}
	}
	in := s.keys.inner
	p := s.keys.layer.Position().Add(in.Position())
	if p.X > at.X-ringInner || p.Y > at.Y-ringInner ||
		p.X+in.Size().Width < at.X+o.Size().Width+ringInner || p.Y+in.Size().Height < at.Y+o.Size().Height+ringInner {
		t.Errorf("inner ring at %v %v does not surround the target at %v %v", p, in.Size(), at, o.Size())
	}
	if out := s.keys.outer; out.Size().Width != in.Size().Width+2*ringOuter || out.StrokeWidth < ringInner {
		t.Errorf("outer ring %v stroke %v", out.Size(), out.StrokeWidth)
	}
}

// TestKeypadRingNotInTouchScreens: before a key the screen is as a
// touch-only one (the goldens stay), and a new customer starts without
// the ring.
func TestKeypadRingNotInTouchScreens(t *testing.T) {
	d := mustDemo(t)
	v := d.views()
	k := newFakeKiosk(v[kiosk.Idle])
	s, w := keypadScreen(t, k, "nb")
	n := len(s.root.Objects)
	press(t, w, fyne.KeyDown)
	if len(s.root.Objects) != n+1 {
		t.Fatalf("the ring did not come: %d objects", len(s.root.Objects))
	}
	render(s, w, v[kiosk.Shopping])
	render(s, w, v[kiosk.Receipt])
	wantFocus(t, s, "Ferdig")
	render(s, w, v[kiosk.Idle])
	if f := focused(s); f != "" || len(s.root.Objects) != n {
		t.Errorf("the next customer sees the ring on %q", f)
	}
}

// TestFocusRingContrast: one band of the ring contrasts at least 3:1
// (WCAG 2.2 SC 1.4.11, 2.4.13) with every surface a target sits on,
// and the bands with each other.
func TestFocusRingContrast(t *testing.T) {
	th := Theme()
	c := func(n fyne.ThemeColorName) fyneColor { return th.Color(n, theme.VariantLight) }
	outer, inner := ringColours()
	if r := contrast(c(outer), c(inner)); r < 3 {
		t.Errorf("the bands %s and %s: %.2f", outer, inner, r)
	}
	for _, bg := range []fyne.ThemeColorName{
		theme.ColorNameBackground, theme.ColorNameHeaderBackground, theme.ColorNameButton,
		theme.ColorNamePrimary, theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess,
		theme.ColorNameDisabledButton,
	} {
		if r := max(contrast(c(outer), c(bg)), contrast(c(inner), c(bg))); r < 3 {
			t.Errorf("ring on %s: best band %.2f, want ≥ 3", bg, r)
		}
	}
	if ringOuter < 2 || ringInner < 2 {
		t.Errorf("bands %v and %v wide, want ≥ 2", ringOuter, ringInner)
	}
}

// TestKeypadSale walks a whole sale by keys only: the welcome, a scan,
// Pay, the terminal, the release, the receipt's Done.
func TestKeypadSale(t *testing.T) {
	d := mustDemo(t)
	v := d.views()
	k := newFakeKiosk(v[kiosk.Idle])
	s, w := keypadScreen(t, k, "nb")
	press(t, w, fyne.KeyDown)
	wantFocus(t, s, "Tobakk og snus")

	render(s, w, v[kiosk.Shopping]) // a scan from the scanner
	wantFocus(t, s, "Betal kr 249,70")
	press(t, w, fyne.KeyReturn)
	equalCalls(t, k.Calls(), "Pay")

	render(s, w, v[kiosk.Paying])
	wantFocus(t, s, "Avbryt handelen")
	render(s, w, v[kiosk.Releasing])
	wantFocus(t, s, "English")
	render(s, w, v[kiosk.Receipt])
	wantFocus(t, s, "Ferdig")
	press(t, w, fyne.KeyReturn)
	equalCalls(t, k.Calls(), "Pay", "FinishReceipt")
}

// TestKeypadBackAndCancel: Back on the basket asks whether to cancel,
// Back again goes back with the focus where it was; Select on "Yes,
// cancel" cancels.
func TestKeypadBackAndCancel(t *testing.T) {
	d := mustDemo(t)
	k := newFakeKiosk(d.shopping())
	s, w := keypadScreen(t, k, "nb")
	press(t, w, fyne.KeyDown)
	press(t, w, fyne.KeyUp) // from Pay to the accessibility key beside it
	press(t, w, fyne.KeyUp) // and to the basket's third button: Tobakk og snus
	wantFocus(t, s, "Tobakk og snus")
	press(t, w, fyne.KeyEscape)
	wantFocus(t, s, "Nei, fortsett")
	press(t, w, fyne.KeyEscape)
	wantFocus(t, s, "Tobakk og snus")
	press(t, w, fyne.KeyEscape)
	press(t, w, fyne.KeyRight)
	wantFocus(t, s, "Ja, avbryt")
	press(t, w, fyne.KeyReturn)
	equalCalls(t, k.Calls(), "Cancel")

	// The warning: Back is "I need more time", never the warning's
	// cancel (every key is activity, a Touch, counted apart).
	render(s, w, d.views()[kiosk.TimeoutWarning])
	before := k.customerTouches()
	press(t, w, fyne.KeyEscape)
	equalCalls(t, k.Calls(), "Cancel")
	if k.customerTouches() <= before {
		t.Errorf("Back on the warning touched %d times, want more than %d", k.customerTouches(), before)
	}
	// Nothing to go back to on the receipt.
	render(s, w, d.views()[kiosk.Receipt])
	press(t, w, fyne.KeyEscape)
	equalCalls(t, k.Calls(), "Cancel")
}

// TestKeypadHelpAndLanguage: the Help key calls staff; the language
// button works by keys and keeps the focus.
func TestKeypadHelpAndLanguage(t *testing.T) {
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := keypadScreen(t, k, "nb")
	press(t, w, fyne.KeyF4)
	equalCalls(t, k.Calls(), "Help")
	render(s, w, withHelp(d.views()[kiosk.Idle])) // the Help button is disabled now
	press(t, w, fyne.KeyF4)
	equalCalls(t, k.Calls(), "Help")

	render(s, w, d.shopping())
	press(t, w, fyne.KeyDown)
	for i := 0; focused(s) != "English"; i++ {
		if i > 20 {
			t.Fatal("the language button is not reachable")
		}
		press(t, w, fyne.KeyDown)
	}
	press(t, w, fyne.KeyReturn)
	if s.Lang() != LangEnglish {
		t.Fatalf("language %q", s.Lang())
	}
	wantFocus(t, s, "Norsk")
	for range 4 { // past search, remove last and the first line's −
		press(t, w, fyne.KeyDown)
	}
	wantFocus(t, s, "+")
	press(t, w, fyne.KeyReturn)
	equalCalls(t, k.Calls(), "Help", fmt.Sprintf("SetQty %s 3", d.cola.GTIN.Short()))
	// The line's row is built anew with the new count; the focus stays on its +.
	v := d.shopping()
	v.Lines[0].Qty = 3
	render(s, w, v)
	wantFocus(t, s, "+")
	// Norsk, search, remove last, the first line's −, its +.
	if o, _ := s.Focused(); indexOf(s.focusTargets(), o) != 4 {
		t.Errorf("focus on target %d, want the first line's + (4)", indexOf(s.focusTargets(), o))
	}
}

// TestKeypadCabinetList: the tobacco list by keys: open it, a digit
// picks the product at that place (sold-out ones not counted), Select
// adds it, Back closes the list with the focus on its button again.
func TestKeypadCabinetList(t *testing.T) {
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := keypadScreen(t, k, "nb")
	press(t, w, fyne.KeyDown)
	press(t, w, fyne.KeyReturn)
	wantFocus(t, s, d.snus.Name+", kr 124,50")
	typeRune(w, '2')
	wantFocus(t, s, d.cigs.Name+", kr 159,00")
	typeRune(w, '9') // no ninth: nothing moves
	wantFocus(t, s, d.cigs.Name+", kr 159,00")
	press(t, w, fyne.KeyReturn)
	equalCalls(t, k.Calls(), "Add "+d.cigs.GTIN.Short())
	press(t, w, fyne.KeyEscape)
	if s.cabinet {
		t.Fatal("Back did not close the list")
	}
	wantFocus(t, s, "Tobakk og snus")
	// Off the list, digits count the body's choices.
	typeRune(w, '3')
	wantFocus(t, s, "Hjelp")
}

// TestKeypadLongListScrolls: a focused line below the fold is scrolled
// into view.
func TestKeypadLongListScrolls(t *testing.T) {
	d := mustDemo(t)
	k := newFakeKiosk(longBasket(d))
	s, w := keypadScreen(t, k, "nb")
	press(t, w, fyne.KeyDown)
	// From Pay over the row of buttons (the accessibility key, Tobakk og
	// snus, Hjelp, Avbryt) to the basket's last line.
	for range 5 {
		press(t, w, fyne.KeyUp)
	}
	ts := s.focusTargets()
	i := indexOf(ts, s.keys.focused)
	if i < 0 || ts[i].scroll == nil {
		t.Fatalf("focus on %q, not in the basket's list", focused(s))
	}
	if ts[i].scroll.Offset.Y <= 0 {
		t.Errorf("the list did not scroll to the focused %q", focused(s))
	}
	// In the screen's root, where the ring is drawn (the test driver
	// puts the root of a theme override a few units off the canvas's
	// origin, so absolute positions are not compared).
	top, sc := ts[i].pos.Y, ts[i].scrollPos
	if bottom := top + ts[i].obj.Size().Height; bottom > sc.Y+ts[i].scroll.Size().Height+1 {
		t.Errorf("the focused line ends at %v, below the list's %v", bottom, sc.Y+ts[i].scroll.Size().Height)
	}
}

// TestKeypadStaffKeysUnchanged: on the PIN pad the keys do what they did.
func TestKeypadStaffKeysUnchanged(t *testing.T) {
	d := mustDemo(t)
	k := newFakeKiosk(pinView(d.views()[kiosk.Idle]))
	s, w := keypadScreen(t, k, "nb")
	typeRune(w, '1')
	press(t, w, fyne.KeyEscape)
	calls := k.Calls()
	if len(calls) == 0 || calls[len(calls)-1] != "StaffCancelLogin" {
		t.Errorf("calls %q, want the log-in cancelled", calls)
	}
	if string(s.pin) != "1" {
		t.Errorf("PIN %q", s.pin)
	}
	if o, _ := s.Focused(); o != nil {
		t.Errorf("keypad focus %q on the staff's screen", targetText(o))
	}
}

// TestKeypadFocusSaid: what a key focuses is handed to the narrator.
func TestKeypadFocusSaid(t *testing.T) {
	d := mustDemo(t)
	s, w := keypadScreen(t, newFakeKiosk(d.views()[kiosk.Idle]), "nb")
	var said []string
	s.SetOnFocus(func(text string) { said = append(said, text) })
	press(t, w, fyne.KeyDown)
	press(t, w, fyne.KeyDown)
	if strings.Join(said, "|") != "Tobakk og snus|Søk etter navn" {
		t.Errorf("said %q", said)
	}
}

type fyneColor = color.Color

// TestKeyboardTypesInSearch: with the search by name open, letters typed
// on a keyboard go into the search as the on-screen keys do, Backspace
// erases the last one, and Back (Escape) closes the search. Before, the
// keyboard's letters did nothing there and Back had no way out of it.
func TestKeyboardTypesInSearch(t *testing.T) {
	d := mustDemo(t)
	searchable = d.all()
	s, w := keypadScreen(t, newFakeKiosk(d.views()[kiosk.Idle]), LangNorwegian)
	testKeys[fyne.KeyBackspace] = KeyBack // as the binary's default map
	t.Cleanup(func() { delete(testKeys, fyne.KeyBackspace) })
	findButton(t, w, "Søk etter navn").Tapped(&fyne.PointEvent{})
	settle(w)
	for _, r := range "snux" {
		typeRune(w, r)
	}
	if got := string(s.query); got != "SNUX" {
		t.Fatalf("typed snux: the search holds %q, want SNUX", got)
	}
	press(t, w, fyne.KeyBackspace)
	if got := string(s.query); got != "SNU" {
		t.Fatalf("after Backspace the search holds %q, want SNU", got)
	}
	if !hasText(w, "18+  "+d.snus.Name) {
		t.Errorf("the search for SNU does not show %q; it shows %q", d.snus.Name, texts(w))
	}
	typeRune(w, '7') // a digit still chooses by position
	if got := string(s.query); got != "SNU" {
		t.Errorf("a digit went into the search: %q", got)
	}
	press(t, w, fyne.KeyEscape)
	if s.searching {
		t.Errorf("Back did not close the search; the screen shows %q", texts(w))
	}
}
