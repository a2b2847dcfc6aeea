package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// screenCase is one golden screen: the view, how to get there, and text
// the customer must see on it.
type screenCase struct {
	name  string
	lang  string
	size  fyne.Size
	view  kiosk.View
	setup func(t *testing.T, w fyne.Window)
	want  []string
}

func screenCases(t *testing.T) []screenCase {
	d := mustDemo(t)
	v := d.views()
	openList := func(t *testing.T, w fyne.Window) { test.Tap(findButton(t, w, "Tobakk og snus")) }
	idleNotice := v[kiosk.Idle]
	idleNotice.Notice, idleNotice.NoticeArg = kiosk.NoticeUnknownCode, "7310000000017"
	return []screenCase{
		{name: "nb_idle", view: v[kiosk.Idle],
			want: []string{"Velkommen!", "Skann en vare for å starte", "Tobakk og snus", "Hjelp", "English"}},
		{name: "nb_idle_notice", view: idleNotice,
			want: []string{"Ukjent strekkode: 7310000000017."}},
		{name: "nb_idle_cabinet", view: v[kiosk.Idle], setup: openList,
			want: []string{"Nordlys Original 20 stk", "kr 159,00", "Fjellsnus Original Portion 24 g", "kr 124,50",
				"Utsolgt", "Handlekurven er tom", "Lukk listen"}},
		{name: "nb_shopping", view: v[kiosk.Shopping],
			want: []string{"Handlekurv", "4 varer", "Cola 0,5 l", "kr 32,90 per stk.", "kr 65,80", "18+",
				"Nordlys Original 20 stk", "kr 249,70", "Alle priser er inkludert mva.", "herav mva. 25 %: kr 31,80",
				"15 %: kr 11,83", "Betal kr 249,70", "Avbryt handelen", "Fjern"}},
		{name: "nb_shopping_cabinet", view: v[kiosk.Shopping], setup: openList,
			want: []string{"I handlekurven: 4 varer, kr 249,70", "Betal kr 249,70", "Nordlys Original 20 stk"}},
		{name: "nb_timeoutwarning", view: v[kiosk.TimeoutWarning],
			want: []string{"Er du der fortsatt?", "Handelen avbrytes om 27 sekunder", "Jeg trenger mer tid", "Avbryt handelen"}},
		{name: "nb_agecheckpending", view: v[kiosk.AgeCheckPending],
			want: []string{"En ansatt kommer for å kontrollere alderen din", "Totalt: kr 249,70", "Avbryt handelen"}},
		{name: "nb_paying", view: v[kiosk.Paying],
			want: []string{"kr 249,70", "Følg instruksjonene på betalingsterminalen", "SETT INN / HOLD KORT"}},
		{name: "nb_paymentdeclined", view: v[kiosk.PaymentDeclined],
			want: []string{"Betalingen gikk ikke gjennom", "Kortet ble avvist: det er ikke nok dekning på kortet", "Prøv igjen", "Avbryt handelen"}},
		{name: "nb_releasing", view: v[kiosk.Releasing],
			want: []string{"Skapet er åpent – ta varene dine og lukk døren", "Ta fra rom 2: 1 × Nordlys Original 20 stk", "Døren er åpen"}},
		{name: "nb_receipt", view: v[kiosk.Receipt],
			want: []string{"Takk for handelen!", "Kvittering nr. 42", "TOBAKKSHUSET AS", "2 x Cola 0,5 l", "Ferdig"}},
		{name: "nb_assistance", view: v[kiosk.Assistance],
			want: []string{"En ansatt er på vei", "Vent litt, så hjelper vi deg", "Ansatte logger inn med ansattkortet."}},
		{name: "nb_outoforder", view: v[kiosk.OutOfOrder],
			want: []string{"Ute av drift", "Feil: Betalingsterminal"}},
		{name: "en_shopping", lang: LangEnglish, view: v[kiosk.Shopping],
			want: []string{"Basket", "4 items", "Pay kr 249,70", "Cancel purchase", "Remove", "kr 32,90 each", "Norsk"}},
		{name: "nb_shopping_help", view: withHelp(v[kiosk.Shopping]),
			want: []string{"Du har tilkalt en ansatt – noen kommer straks.", "Trekk tilbake anropet", "Handlekurv", "Betal kr 249,70"}},
		{name: "en_shopping_help", lang: LangEnglish, view: withHelp(v[kiosk.Shopping]),
			want: []string{"Staff is called – someone is coming.", "Withdraw the call", "Basket"}},
		{name: "nb_shopping_long", view: longBasket(d),
			want: []string{"Betal kr 1 459,30", "Et svært langt produktnavn som ikke får plass på én linje i handlekurven"}},
		{name: "nb_shopping_1920", size: size1920, view: v[kiosk.Shopping],
			want: []string{"Betal kr 249,70"}},
		// Issue 14: the unknown barcode's choices, the search by name, large
		// text, the decline in English, a tap in the cabinet list.
		{name: "nb_shopping_unknown", view: unknownCode(v[kiosk.Shopping]),
			want: []string{"Ukjent strekkode: 7310000000017.", "Prøv igjen", "Søk etter navn", "Tilkall en ansatt"}},
		{name: "nb_search", view: v[kiosk.Idle], setup: typeSnus,
			want: []string{"Søk etter vare", "18+  Fjellsnus Original Portion 24 g", "Lukk søket", "Mellomrom"}},
		{name: "nb_shopping_large", view: v[kiosk.Shopping], setup: largeText,
			want: []string{"A− Vanlig tekst", "Betal kr 249,70"}},
		{name: "en_paymentdeclined", lang: LangEnglish, view: v[kiosk.PaymentDeclined],
			want: []string{"The card was declined: there is not enough money on the card", "Try again"}},
		{name: "nb_idle_cabinet_picked", view: v[kiosk.Idle], setup: func(t *testing.T, w fyne.Window) {
			openList(t, w)
			test.Tap(findRow(t, w, d.snus.Name))
		}, want: []string{"Lagt i handlekurven: Fjellsnus Original Portion 24 g"}},
	}
}

func unknownCode(v kiosk.View) kiosk.View {
	v.Notice, v.NoticeArg = kiosk.NoticeUnknownCode, "7310000000017"
	return v
}

func typeSnus(t *testing.T, w fyne.Window) {
	searchable = mustDemo(t).all()
	test.Tap(findButton(t, w, "Søk etter navn"))
	for _, k := range []string{"S", "N", "U", "S"} {
		test.Tap(findButton(t, w, k))
	}
}

func largeText(t *testing.T, w fyne.Window) { test.Tap(findButton(t, w, "A+ Større tekst")) }

// longBasket has more lines than fit, one with a very long name.
func longBasket(d demo) kiosk.View {
	long := d.choc
	long.GTIN = kiosk.MustGTIN("7020000000100")
	long.Name = "Et svært langt produktnavn som ikke får plass på én linje i handlekurven"
	return d.basketView(
		kiosk.Line{Product: long, Qty: 1},
		kiosk.Line{Product: d.cola, Qty: 12},
		kiosk.Line{Product: d.cigs, Qty: 3},
		kiosk.Line{Product: d.snus, Qty: 2},
		kiosk.Line{Product: d.choc, Qty: 4},
		kiosk.Line{Product: d.paper, Qty: 1},
		kiosk.Line{Product: d.roll, Qty: 1},
	)
}

// TestScreenGoldens renders every state's screen and compares it with its
// markup golden in testdata/, checks the customer sees the texts that
// matter, and that every touch target is big enough.
func TestScreenGoldens(t *testing.T) {
	for _, c := range screenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			if c.lang == "" {
				c.lang = LangNorwegian
			}
			if c.size.IsZero() {
				c.size = size1280
			}
			_, w := showScreen(t, newFakeKiosk(c.view), c.lang, c.size)
			if c.setup != nil {
				c.setup(t, w)
			}
			settle(w)
			assertMarkup(t, "screen_"+c.name+".xml", w)
			for _, s := range c.want {
				if !hasText(w, s) {
					t.Errorf("screen does not show %q; it shows %q", s, texts(w))
				}
			}
			assertNoMissingText(t, w)
			assertTouchTargets(t, w)
			assertFits(t, w)
		})
	}
}

// TestEveryStateInBothLanguages renders each state in nb and en and finds
// no missing translation, and no text of the other language's toggle.
func TestEveryStateInBothLanguages(t *testing.T) {
	d := mustDemo(t)
	for _, lang := range Languages() {
		for _, st := range kiosk.States() {
			t.Run(lang+"_"+st.String(), func(t *testing.T) {
				newTestApp(t)
				v := d.views()[st]
				v.Notice, v.NoticeArg = kiosk.NoticeTooMany, "Cola 0,5 l"
				_, w := showScreen(t, newFakeKiosk(v), lang, size1280)
				settle(w)
				assertNoMissingText(t, w)
				assertTouchTargets(t, w)
				if !hasText(w, tr(lang, mLangButton)) {
					t.Errorf("no language toggle on %v", st)
				}
			})
		}
	}
}

func assertNoMissingText(t *testing.T, w fyne.Window) {
	t.Helper()
	for _, s := range texts(w) {
		if strings.HasPrefix(s, "!") || strings.Contains(s, "%!") {
			t.Errorf("untranslated or badly formatted text %q", s)
		}
	}
}

// assertTouchTargets checks that everything tappable is at least MinTouch
// in both directions.
func assertTouchTargets(t *testing.T, w fyne.Window) {
	t.Helper()
	n := 0
	for _, o := range visible(w.Canvas().Content()) {
		switch o.(type) {
		case *widget.Button, *productRow, *widget.Entry:
			n++
			if s := o.Size(); s.Height < MinTouch || s.Width < MinTouch {
				t.Errorf("%T %q is %v, smaller than %v", o, describe(o), s, MinTouch)
			}
		}
	}
	if n == 0 {
		t.Error("no touch targets found: the walk is broken")
	}
}

// assertFits checks that nothing laid out sticks out of the window.
func assertFits(t *testing.T, w fyne.Window) {
	t.Helper()
	if min := w.Content().MinSize(); min.Width > w.Canvas().Size().Width || min.Height > w.Canvas().Size().Height {
		t.Errorf("content needs %v, the window is %v", min, w.Canvas().Size())
	}
}

func describe(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Button:
		return x.Text
	case *productRow:
		return x.name
	}
	return ""
}

// TestCabinetListIsTextOnly: the cabinet list shows no pictures at all
// (tobakksskadeloven § 25).
func TestCabinetListIsTextOnly(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	_, w := showScreen(t, newFakeKiosk(d.shopping()), LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Tobakk og snus"))
	findRow(t, w, d.cigs.Name) // the list is open
	for _, o := range visible(w.Canvas().Content()) {
		switch x := o.(type) {
		case *canvas.Image, *canvas.Raster, *widget.Icon:
			t.Errorf("the cabinet list shows a picture: %T %v", x, x)
		}
	}
}

func TestPayCallsPay(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.shopping())
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Betal kr 249,70"))
	equalCalls(t, k.Calls(), "Pay")
}

func TestCabinetRowCallsAdd(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	test.Tap(findButton(t, w, "Tobakk og snus"))
	test.Tap(findRow(t, w, d.snus.Name))
	test.Tap(findRow(t, w, d.roll.Name)) // sold out: disabled
	equalCalls(t, k.Calls(), "Add "+d.snus.GTIN.Short())

	// The list stays open as the sale starts, and closes on request.
	k.set(d.basketView(kiosk.Line{Product: d.snus, Qty: 1}))
	findRow(t, w, d.cigs.Name)
	test.Tap(findButton(t, w, "Lukk listen"))
	if !hasText(w, "Handlekurv") || hasText(w, d.cigs.Name) {
		t.Errorf("after closing the list the screen shows %q", texts(w))
	}
}

func TestBasketLineButtons(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.basketView(kiosk.Line{Product: d.cola, Qty: 2}))
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "+"))
	test.Tap(findButton(t, w, "−"))
	test.Tap(findButton(t, w, "Fjern"))
	test.Tap(findButton(t, w, "Hjelp"))
	test.Tap(findButton(t, w, "Avbryt handelen"))
	test.Tap(findButton(t, w, "Ja, avbryt"))
	g := d.cola.GTIN.Short()
	equalCalls(t, k.Calls(), "SetQty "+g+" 3", "SetQty "+g+" 1", "Remove "+g, "Help", "Cancel")
}

func TestPlusDisabledAtMaxQty(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	cola := d.cola
	cola.Stock = 500
	k := newFakeKiosk(d.basketView(kiosk.Line{Product: cola, Qty: kiosk.MaxQty}))
	_, w := showScreen(t, k, LangNorwegian, size1280)
	plus := findButton(t, w, "+")
	if !plus.Disabled() {
		t.Fatal("+ is enabled at MaxQty")
	}
	test.Tap(plus)
	equalCalls(t, k.Calls())
}

func TestStateButtons(t *testing.T) {
	d := mustDemo(t)
	v := d.views()
	for _, c := range []struct {
		state  kiosk.State
		button string
		want   string
	}{
		{kiosk.Idle, "Hjelp", "Help"},
		{kiosk.TimeoutWarning, "Avbryt handelen", "Cancel"},
		{kiosk.AgeCheckPending, "Avbryt handelen", "Cancel"},
		{kiosk.AgeCheckPending, "Hjelp", "Help"},
		{kiosk.PaymentDeclined, "Prøv igjen", "Retry"},
		{kiosk.PaymentDeclined, "Avbryt handelen", "Cancel"},
		{kiosk.PaymentDeclined, "Hjelp", "Help"},
		{kiosk.Receipt, "Ferdig", "FinishReceipt"},
	} {
		t.Run(fmt.Sprintf("%v/%s", c.state, c.button), func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(v[c.state])
			_, w := showScreen(t, k, LangNorwegian, size1280)
			test.Tap(findButton(t, w, c.button))
			if c.want == "Cancel" && c.state != kiosk.TimeoutWarning {
				// The purchase is cancelled only once confirmed.
				test.Tap(findButton(t, w, "Ja, avbryt"))
			}
			equalCalls(t, k.Calls(), c.want)
		})
	}
}

// TestCancelAsksFirst: "Avbryt handelen" asks before the basket goes;
// "Nei, fortsett" keeps it (issue 10, cancel safely).
func TestCancelAsksFirst(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.basketView(kiosk.Line{Product: d.cola, Qty: 2}))
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Avbryt handelen"))
	if !hasText(w, "Vil du avbryte handelen?") {
		t.Fatalf("no question before cancelling; the screen shows %q", texts(w))
	}
	assertTouchTargets(t, w)
	test.Tap(findButton(t, w, "Nei, fortsett"))
	if len(k.Calls()) != 0 || !hasText(w, "Avbryt handelen") {
		t.Fatalf("after 'no': calls %q, screen %q", k.Calls(), texts(w))
	}
}

// TestTimeoutWarningAnyTouch: a tap anywhere on the warning counts, not
// only on "Ja".
func TestTimeoutWarningAnyTouch(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.TimeoutWarning])
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.TapCanvas(w.Canvas(), fyne.NewPos(40, 300)) // empty space at the left
	if n := k.customerTouches(); n == 0 {
		t.Fatal("a tap on the warning was not heard")
	}
	equalCalls(t, k.Calls())
}

func TestLanguageToggle(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.views()[kiosk.Idle])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "English"))
	if s.Lang() != LangEnglish || !hasText(w, "Welcome!") || !hasText(w, "Scan an item to start") || hasText(w, "Velkommen!") {
		t.Fatalf("after the toggle (lang %q) the screen shows %q", s.Lang(), texts(w))
	}
	test.Tap(findButton(t, w, "Norsk"))
	if s.Lang() != LangNorwegian || !hasText(w, "Velkommen!") {
		t.Fatalf("after toggling back (lang %q) the screen shows %q", s.Lang(), texts(w))
	}
}

// TestLanguageResetsAfterSale: the next customer starts in Norwegian.
func TestLanguageResetsAfterSale(t *testing.T) {
	d := mustDemo(t)
	v := d.views()
	timedOut := v[kiosk.Idle]
	timedOut.Notice = kiosk.NoticeSaleTimedOut
	cancelled := v[kiosk.Idle]
	cancelled.Notice = kiosk.NoticeCancelled
	for _, c := range []struct {
		name     string
		from, to kiosk.View
		want     string
	}{
		{"receipt done", v[kiosk.Receipt], v[kiosk.Idle], LangNorwegian},
		{"timed out", v[kiosk.TimeoutWarning], timedOut, LangNorwegian},
		{"cancelled by the customer", v[kiosk.Shopping], cancelled, LangEnglish},
		{"paying", v[kiosk.Shopping], v[kiosk.Paying], LangEnglish},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(c.from)
			s, _ := showScreen(t, k, LangNorwegian, size1280)
			s.Bind()
			s.SetLang(LangEnglish)
			k.set(c.to)
			if s.Lang() != c.want {
				t.Errorf("lang = %q, want %q", s.Lang(), c.want)
			}
		})
	}
}

func TestUnknownLanguageMeansDefault(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	s, w := showScreen(t, newFakeKiosk(d.views()[kiosk.Idle]), "sv", size1280)
	if s.Lang() != DefaultLang || !hasText(w, "Velkommen!") {
		t.Errorf("lang %q shows %q", s.Lang(), texts(w))
	}
}

// TestBindFollowsTheKiosk: changes from another goroutine reach the screen
// through fyne.Do, and cancel stops them.
func TestBindFollowsTheKiosk(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.views()
	k := newFakeKiosk(v[kiosk.Idle])
	s, w := showScreen(t, k, LangNorwegian, size1280)
	cancel := s.Bind()

	done := make(chan struct{})
	go func() {
		defer close(done)
		k.set(v[kiosk.Paying])
	}()
	<-done
	if !hasText(w, "Følg instruksjonene på betalingsterminalen") {
		t.Fatalf("after a change to Paying the screen shows %q", texts(w))
	}
	cancel()
	if n := k.subscribers(); n != 0 {
		t.Fatalf("%d subscribers after cancel", n)
	}
	k.set(v[kiosk.Receipt])
	if hasText(w, "Takk for handelen!") {
		t.Fatal("the screen followed the kiosk after cancel")
	}
}

// TestFailedCommandShowsBanner: a rejected command shows a short banner
// and reaches the error hook; the next state change clears it.
func TestFailedCommandShowsBanner(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.shopping())
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	var got []error
	s.SetOnError(func(err error) { got = append(got, err) })
	refused := fmt.Errorf("checkout: %w", kiosk.ErrNoTransition)
	k.setErr(refused)
	test.Tap(findButton(t, w, "Betal kr 249,70"))
	banner := tr(LangNorwegian, mActionFailed)
	if !hasText(w, banner) {
		t.Fatalf("no error banner; the screen shows %q", texts(w))
	}
	if len(got) != 1 || !errors.Is(got[0], kiosk.ErrNoTransition) {
		t.Errorf("OnError got %v", got)
	}
	assertMarkup(t, "screen_nb_shopping_failed.xml", w)

	k.setErr(nil)
	k.set(d.views()[kiosk.Paying])
	if hasText(w, banner) {
		t.Error("the error banner outlived the state change")
	}
}

// TestNoticeBannerOnEveryState: a notice shows as a banner wherever the
// customer is (on PaymentDeclined it is the reason, in the body).
func TestNoticeBannerOnEveryState(t *testing.T) {
	d := mustDemo(t)
	for _, st := range kiosk.States() {
		t.Run(st.String(), func(t *testing.T) {
			newTestApp(t)
			v := d.views()[st]
			v.Notice, v.NoticeArg = kiosk.NoticePrinterDown, ""
			_, w := showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
			want := tr(LangNorwegian, mNoticePrinterDown)
			n := 0
			for _, s := range texts(w) {
				if s == want {
					n++
				}
			}
			if n != 1 {
				t.Errorf("notice shown %d times; the screen shows %q", n, texts(w))
			}
		})
	}
}

func TestReleasingDoorIndicator(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.views()[kiosk.Releasing]
	k := newFakeKiosk(v)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	if !hasText(w, "Døren er åpen") {
		t.Fatalf("open door not shown: %q", texts(w))
	}
	v.DoorOpen = false
	s.Render(v)
	if !hasText(w, "Døren er lukket") || hasText(w, "Døren er åpen") {
		t.Fatalf("closed door not shown: %q", texts(w))
	}
}

// TestPayStatusInTheScreensLanguage: the terminal's prompt follows the
// language the customer chose.
func TestPayStatusInTheScreensLanguage(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.views()[kiosk.Paying]
	v.PayStatus, v.PayStatusEn = "Tast PIN", "Enter PIN"
	for lang, want := range map[string]string{LangNorwegian: "Tast PIN", LangEnglish: "Enter PIN"} {
		_, w := showScreen(t, newFakeKiosk(v), lang, size1280)
		if !hasText(w, want) {
			t.Errorf("%s screen does not show %q: %q", lang, want, texts(w))
		}
	}
}

// TestHelpCallPanel: while the customer's call for help is open, their
// screen stays (the basket, the cabinet list, the age check …) under a
// panel that says staff is coming, with a way to withdraw the call; Help
// does nothing new meanwhile. Without a call there is no panel.
func TestHelpCallPanel(t *testing.T) {
	d := mustDemo(t)
	v := d.views()
	openList := func(t *testing.T, w fyne.Window) { test.Tap(findButton(t, w, "Tobakk og snus")) }
	for _, c := range []struct {
		name  string
		view  kiosk.View
		setup func(t *testing.T, w fyne.Window)
		stays string // what shows the customer's screen stayed
	}{
		{"idle", v[kiosk.Idle], nil, "Velkommen!"},
		{"shopping", v[kiosk.Shopping], nil, "Betal kr 249,70"},
		{"cabinet list", v[kiosk.Shopping], openList, d.snus.Name},
		{"age check", v[kiosk.AgeCheckPending], nil, "En ansatt kommer for å kontrollere alderen din"},
		{"declined", v[kiosk.PaymentDeclined], nil, "Prøv igjen"},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(withHelp(c.view))
			s, w := showScreen(t, k, LangNorwegian, size1280)
			if c.setup != nil {
				c.setup(t, w)
			}
			settle(w)
			called := tr(LangNorwegian, mHelpCalled)
			if !hasText(w, called) || !hasText(w, c.stays) {
				t.Fatalf("with a call open the screen shows %q", texts(w))
			}
			assertTouchTargets(t, w)
			assertFits(t, w)
			for _, o := range visible(w.Canvas().Content()) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Hjelp" {
					if !b.Disabled() {
						t.Error("Help is enabled while a call is open")
					}
					test.Tap(b)
				}
			}
			test.Tap(findButton(t, w, "Trekk tilbake anropet"))
			equalCalls(t, k.Calls(), "WithdrawHelp")

			c.view.Help = time.Time{} // the call ended
			s.Render(c.view)
			if hasText(w, called) || hasText(w, "Trekk tilbake anropet") {
				t.Errorf("the panel outlived the call: %q", texts(w))
			}
		})
	}
}

// TestReleaseList: the release screen says which compartment each paid
// item is taken from, in both languages; an item without a compartment
// number is still listed.
func TestReleaseList(t *testing.T) {
	d := mustDemo(t)
	v := d.views()[kiosk.Releasing]
	v.Release = []kiosk.ReleaseItem{
		{Name: d.snus.Name, Qty: 2, Compartment: 1},
		{Name: d.cigs.Name, Qty: 1, Compartment: 3},
		{Name: "Ukjent plassering", Qty: 1},
	}
	for lang, want := range map[string][]string{
		LangNorwegian: {"Ta fra rom 1: 2 × Fjellsnus Original Portion 24 g", "Ta fra rom 3: 1 × Nordlys Original 20 stk",
			"Ta ut 1 × Ukjent plassering", "Døren er åpen"},
		LangEnglish: {"Take from compartment 1: 2 × Fjellsnus Original Portion 24 g",
			"Take from compartment 3: 1 × Nordlys Original 20 stk", "Take out 1 × Ukjent plassering", "The door is open"},
	} {
		t.Run(lang, func(t *testing.T) {
			newTestApp(t)
			_, w := showScreen(t, newFakeKiosk(v), lang, size1280)
			settle(w)
			for _, s := range want {
				if !hasText(w, s) {
					t.Errorf("the release screen does not show %q; it shows %q", s, texts(w))
				}
			}
			assertFits(t, w)
		})
	}
}
