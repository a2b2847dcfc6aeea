package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// warningView is the warning with left time and extensions left.
func warningView(d demo, left time.Duration, extends int) kiosk.View {
	v := d.views()[kiosk.TimeoutWarning]
	v.WarningLeft, v.ExtendsLeft = left, extends
	return v
}

// TestWarningCountdownAndMoreTime: the warning shows the time left,
// counting down in place as the views come, and "I need more time" in
// the screen's language, which tells the kiosk the customer is there.
func TestWarningCountdownAndMoreTime(t *testing.T) {
	for _, c := range []struct {
		lang                  string
		left, leftOne, button string
	}{
		{LangNorwegian, "Handelen avbrytes om 27 sekunder", "Handelen avbrytes om 1 sekund", "Jeg trenger mer tid"},
		{LangEnglish, "The purchase will be cancelled in 27 seconds", "The purchase will be cancelled in 1 second", "I need more time"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			newTestApp(t)
			d := mustDemo(t)
			k := newFakeKiosk(warningView(d, 27*time.Second, 3))
			s, w := showScreen(t, k, c.lang, size1280)
			s.Bind()
			if !hasText(w, c.left) {
				t.Fatalf("no countdown %q: %q", c.left, texts(w))
			}
			assertTouchTargets(t, w)
			body := s.body.Objects[0]
			k.set(warningView(d, time.Second, 3))
			if !hasText(w, c.leftOne) {
				t.Fatalf("countdown not updated to %q: %q", c.leftOne, texts(w))
			}
			if s.body.Objects[0] != body {
				t.Error("the warning was rebuilt for a second of countdown: a keypad's focus would be lost")
			}
			test.Tap(findButton(t, w, c.button))
			if k.customerTouches() == 0 {
				t.Fatal("more time asked, the kiosk heard nothing")
			}
			equalCalls(t, k.Calls())
		})
	}
}

// TestWarningNoMoreTime: after the last extension the warning says no
// more time can be given and offers Help, not "more time".
func TestWarningNoMoreTime(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(warningView(d, 20*time.Second, 0))
	_, w := showScreen(t, k, LangNorwegian, size1280)
	if !hasText(w, tr(LangNorwegian, mNoMoreTime)) || hasText(w, tr(LangNorwegian, mMoreTime)) {
		t.Fatalf("at the limit the warning shows %q", texts(w))
	}
	test.Tap(findButton(t, w, "Hjelp"))
	equalCalls(t, k.Calls(), "Help")
}

// TestWarningPausedForHelp: with a call for help open the warning says
// the time stands still instead of counting.
func TestWarningPausedForHelp(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := withHelp(warningView(d, 0, 5))
	_, w := showScreen(t, newFakeKiosk(v), LangEnglish, size1280)
	if !hasText(w, tr(LangEnglish, mWarnPaused)) {
		t.Fatalf("paused warning shows %q", texts(w))
	}
}

// TestDeclinedScreenChoices: a declined card offers try again, another
// card and help (and cancel), with the basket's total, in both
// languages.
func TestDeclinedScreenChoices(t *testing.T) {
	for _, c := range []struct {
		lang                         string
		retry, other, help, cancel   string
		confirm, total, keptInBasket string
	}{
		{LangNorwegian, "Prøv igjen", "Et annet kort", "Hjelp", "Avbryt handelen", "Ja, avbryt", "Totalt: kr 249,70", tr(LangNorwegian, mDeclinedHint)},
		{LangEnglish, "Try again", "Another card", "Help", "Cancel purchase", "Yes, cancel", "Total: kr 249,70", tr(LangEnglish, mDeclinedHint)},
	} {
		t.Run(c.lang, func(t *testing.T) {
			newTestApp(t)
			d := mustDemo(t)
			k := newFakeKiosk(d.views()[kiosk.PaymentDeclined])
			_, w := showScreen(t, k, c.lang, size1280)
			for _, s := range []string{c.total, c.keptInBasket} {
				if !hasText(w, s) {
					t.Errorf("declined screen lacks %q: %q", s, texts(w))
				}
			}
			assertTouchTargets(t, w)
			test.Tap(findButton(t, w, c.retry))
			test.Tap(findButton(t, w, c.other))
			test.Tap(findButton(t, w, c.help))
			test.Tap(findButton(t, w, c.cancel))
			test.Tap(findButton(t, w, c.confirm))
			equalCalls(t, k.Calls(), "Retry", "Retry", "Help", "Cancel")
		})
	}
}

// TestPayingCancelAndHelpAtOnce: while the terminal has the payment
// ("Sett inn kort") Cancel and Help are there from the start; once the
// cancel was asked, or while the kiosk checks whether the card was
// charged, the screen says so and offers Help only.
func TestPayingCancelAndHelpAtOnce(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Paying])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	test.Tap(findButton(t, w, "Hjelp"))
	test.Tap(findButton(t, w, "Avbryt handelen"))
	test.Tap(findButton(t, w, "Ja, avbryt"))
	equalCalls(t, k.Calls(), "Help", "Cancel")
	for _, c := range []struct {
		notice kiosk.Notice
		lang   string
		text   string
	}{
		{kiosk.NoticeAborting, LangNorwegian, "Avbryter betalingen – vent til terminalen har svart."},
		{kiosk.NoticeTerminalSilent, LangNorwegian, "Terminalen svarer ikke – vi sjekker om kortet ble belastet."},
		{kiosk.NoticeTerminalSilent, LangEnglish, "The terminal is not answering – checking whether your card was charged."},
	} {
		v := d.views()[kiosk.Paying]
		v.Notice = c.notice
		s.SetLang(c.lang)
		k.set(v)
		if !hasText(w, c.text) {
			t.Errorf("%v (%s): no %q: %q", c.notice, c.lang, c.text, texts(w))
		}
		if hasText(w, tr(c.lang, mCancelSale)) || !hasText(w, tr(c.lang, mHelp)) {
			t.Errorf("%v: want Help only, the screen shows %q", c.notice, texts(w))
		}
	}
	v := d.views()[kiosk.Assistance]
	v.Notice, v.NoticeArg = kiosk.NoticeTerminalUnknown, "K1-sale"
	s.SetLang(LangEnglish)
	k.set(v)
	if !hasText(w, tr(LangEnglish, mNoticeUnknown)) {
		t.Errorf("unknown outcome reads %q", texts(w))
	}
	for _, txt := range texts(w) {
		for _, bad := range []string{"restart", "omstart"} {
			if strings.Contains(strings.ToLower(txt), bad) {
				t.Errorf("a restart that never happened: %q", txt)
			}
		}
	}
}

// TestEveryTapAndKeyIsActivity: reading the tobacco list, switching the
// language, scrolling, a key: each tells the kiosk the customer is there
// (before, only basket changes did). Staff's screens do not.
func TestEveryTapAndKeyIsActivity(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(longBasket(d))
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	step := func(what string, f func()) {
		t.Helper()
		before := k.customerTouches()
		f()
		if n := k.customerTouches() - before; n != 1 {
			t.Errorf("%s: %d activity reports, want 1", what, n)
		}
	}
	step("language toggle", func() { test.Tap(findButton(t, w, "English")) })
	step("language toggle back", func() { test.Tap(findButton(t, w, "Norsk")) })
	step("scroll the basket", func() { test.Scroll(w.Canvas(), fyne.NewPos(400, 300), 0, -200) })
	step("open the tobacco list", func() { test.Tap(findButton(t, w, "Tobakk og snus")) })
	step("a row of the list", func() { test.Tap(findRow(t, w, d.snus.Name)) })
	step("close the list", func() { test.Tap(findButton(t, w, "Lukk listen")) })
	step("a key", func() { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) })
	step("a digit", func() { s.TypedRune('5') })
	// The basket screen is kept while the warning shows: its buttons are
	// hooked once, not once per visit.
	k.set(warningView(d, 20*time.Second, 5))
	k.set(longBasket(d))
	k.set(warningView(d, 19*time.Second, 5))
	k.set(longBasket(d))
	step("Pay after two warnings", func() { test.Tap(findButton(t, w, "Betal kr 1 459,30")) })

	k.set(pinView(d.shopping()))
	before := k.customerTouches()
	s.TypedRune('1')
	if k.customerTouches() != before {
		t.Error("a PIN digit was reported as the customer's activity")
	}
}
