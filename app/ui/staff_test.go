package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// staffCase is one golden staff screen.
type staffCase struct {
	name  string
	lang  string
	view  kiosk.View
	setup func(t *testing.T, w fyne.Window)
	want  []string
}

func staffCases(t *testing.T) []staffCase {
	d := mustDemo(t)
	v := d.views()
	wrong := pinView(v[kiosk.AgeCheckPending])
	wrong.Staff.Error, wrong.Staff.ErrorArg = kiosk.StaffErrWrongPIN, "3"
	return []staffCase{
		{name: "nb_pinpad", view: pinView(v[kiosk.AgeCheckPending]),
			want: []string{"Ansattinnlogging", kariName, "Tast PIN-koden din (4–8 siffer)", "Slett", "OK", "Avbryt"}},
		{name: "nb_pinpad_typed", view: pinView(v[kiosk.AgeCheckPending]), setup: tapping("2", "4", "6", "8", "1"),
			want: []string{"Slett", "OK"}},
		{name: "nb_pinpad_wrong", view: wrong,
			want: []string{"Feil PIN-kode. 3 forsøk igjen."}},
		{name: "nb_staff", view: d.ageCheckStaff(),
			want: []string{"Ansatt: Kari Nordmann (butikksjef)", "Logg ut", "Godkjenn alder", "Varemottak", "X-rapport"}},
		{name: "en_staff", lang: LangEnglish, view: d.ageCheckStaff(),
			want: []string{"Staff: Kari Nordmann (supervisor)", "Log out", "Approve age", "Receive stock"}},
		{name: "nb_staff_reasons", view: d.ageCheckStaff(), setup: tapping("Avvis alder"),
			want: []string{"Avvis alder", "Velg årsak", "Mangler gyldig legitimasjon", "Kunden ba om det", "Tilbake"}},
		{name: "nb_staff_lines", view: d.ageCheckStaff(), setup: tapping("Fjern vare"),
			want: []string{"Velg varen som skal fjernes", "2 × Cola 0,5 l", "1 × Nordlys Original 20 stk"}},
		{name: "nb_staff_refused", view: d.clerkAtAssistance(), setup: tapping("Fullfør salget"),
			want: []string{"Ansatt: Ola Nordmann (butikkmedarbeider)", "Ikke tillatt for din rolle: Fullfør salget."}},
		{name: "nb_staff_copy", view: copyView(d), setup: tapping("Kopikvittering"),
			want: []string{"Velg kvitteringen som skal kopieres", "Siste kvittering, nr. 17", "Eller tast kvitteringsnummeret:", "Slett", "OK", "Tilbake"}},
		{name: "en_staff_copy_typed", lang: LangEnglish, view: copyView(d), setup: tapping("Copy receipt", "4", "2"),
			want: []string{"Choose the receipt to copy", "Last receipt, no. 17", "Or type the receipt number:", "42"}},
	}
}

// tapping taps the buttons labelled so, in order.
func tapping(labels ...string) func(t *testing.T, w fyne.Window) {
	return func(t *testing.T, w fyne.Window) {
		t.Helper()
		for _, l := range labels {
			test.Tap(findButton(t, w, l))
		}
	}
}

// TestStaffGoldens renders the PIN pad and the staff screen and compares
// them with their markup goldens, with the touch-target and fit checks
// of the customer screens.
func TestStaffGoldens(t *testing.T) {
	for _, c := range staffCases(t) {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			if c.lang == "" {
				c.lang = LangNorwegian
			}
			_, w := showScreen(t, newFakeKiosk(c.view), c.lang, size1280)
			if c.setup != nil {
				c.setup(t, w)
			}
			settle(w)
			assertMarkup(t, "staff_"+c.name+".xml", w)
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

// slowDone makes s report every slow staff command (StaffPIN, Override)
// whose result it has shown; wait blocks until one was.
func slowDone(t *testing.T, s *Screen) (wait func()) {
	t.Helper()
	done := make(chan struct{}, 16)
	s.onStaffRun = func() { done <- struct{}{} }
	return func() {
		t.Helper()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the staff command's result never reached the screen")
		}
	}
}

// dots counts the PIN pad's dots.
func dots(w fyne.Window) int {
	n := 0
	for _, o := range visible(w.Canvas().Content()) {
		if _, ok := o.(*canvas.Circle); ok {
			n++
		}
	}
	return n
}

// TestPINPad: digits typed on the keypad and OK reach StaffPIN, erase
// takes the last one back, OK needs 4 digits and the pad takes 8 at most,
// Cancel closes the pad.
func TestPINPad(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		name string
		taps []string
		want []string
	}{
		{"four digits", []string{"2", "4", "6", "8", "OK"}, []string{"StaffPIN 2468"}},
		{"eight digits", []string{"1", "2", "3", "4", "5", "6", "7", "8", "OK"}, []string{"StaffPIN 12345678"}},
		{"a ninth is not taken", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "OK"}, []string{"StaffPIN 12345678"}},
		{"erase", []string{"1", "2", "3", "Slett", "5", "6", "OK"}, []string{"StaffPIN 1256"}},
		{"erase everything", []string{"1", "Slett", "Slett", "0", "0", "0", "0", "OK"}, []string{"StaffPIN 0000"}},
		{"too short", []string{"1", "2", "3", "OK"}, nil},
		{"cancel", []string{"1", "2", "Avbryt"}, []string{"StaffCancelLogin"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(pinView(d.views()[kiosk.AgeCheckPending]))
			s, w := showScreen(t, k, LangNorwegian, size1280)
			wait := slowDone(t, s)
			tapping(c.taps...)(t, w)
			if len(c.want) > 0 && strings.HasPrefix(c.want[0], "StaffPIN") {
				wait()
				if n := dots(w); n != 0 {
					t.Errorf("%d dots after OK: the typed PIN was kept", n)
				}
			}
			equalCalls(t, k.Calls(), c.want...)
		})
	}
}

// TestPINPadKeyboard: a keyboard or keypad works the PIN pad as taps do:
// digits, Backspace, Return; Escape cancels; letters do nothing. Without a
// PIN pad, typed keys reach nothing.
func TestPINPadKeyboard(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		name string
		keys string // '<' Backspace, '\n' Return, '!' Escape
		want []string
	}{
		{"digits and return", "2468\n", []string{"StaffPIN 2468"}},
		{"backspace", "12<345\n", []string{"StaffPIN 1345"}},
		{"letters ignored", "1a2b3c4\n", []string{"StaffPIN 1234"}},
		{"escape", "12!", []string{"StaffCancelLogin"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(pinView(d.views()[kiosk.Idle]))
			s, _ := showScreen(t, k, LangNorwegian, size1280)
			wait := slowDone(t, s)
			for _, r := range c.keys {
				switch r {
				case '<':
					s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				case '\n':
					s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				case '!':
					s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
				default:
					s.TypedRune(r)
				}
			}
			if strings.HasPrefix(c.want[0], "StaffPIN") {
				wait()
			}
			equalCalls(t, k.Calls(), c.want...)
		})
	}
	t.Run("no PIN pad", func(t *testing.T) {
		newTestApp(t)
		k := newFakeKiosk(d.views()[kiosk.Shopping])
		s, _ := showScreen(t, k, LangNorwegian, size1280)
		for _, r := range "2468" {
			s.TypedRune(r)
		}
		s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		equalCalls(t, k.Calls())
	})
}

// TestPINPadAsksWho: after the key switch (no badge, so no name yet) the
// PIN pad asks who is logging in; a name picked goes to the kiosk.
func TestPINPadAsksWho(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.views()[kiosk.Idle]
	v.Staff = &kiosk.StaffView{Phase: kiosk.StaffPIN, Choices: []kiosk.StaffChoice{{ID: "ola", Name: "Ola Nordmann"}, {ID: kariID, Name: kariName}}}
	k := newFakeKiosk(v)
	_, w := showScreen(t, k, LangNorwegian, size1280)
	if !hasText(w, "Hvem logger inn?") || hasText(w, "OK") {
		t.Fatalf("the picker shows %q", texts(w))
	}
	test.Tap(findButton(t, w, kariName))
	equalCalls(t, k.Calls(), "StaffChoose "+kariID)
	if k.staffTouches() != 1 {
		t.Errorf("picking a name made %d StaffTouch calls, want 1", k.staffTouches())
	}
}

// TestPINPadHidesDigits: what was typed shows as one dot per digit,
// never as digits, and is gone once handed over.
func TestPINPadHidesDigits(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(pinView(d.views()[kiosk.Shopping]))
	s, w := showScreen(t, k, LangNorwegian, size1280)
	wait := slowDone(t, s)
	typed := "7391"
	for i, r := range typed {
		test.Tap(findButton(t, w, string(r)))
		if n := dots(w); n != i+1 {
			t.Fatalf("%d dots after %d digits", n, i+1)
		}
	}
	for _, text := range texts(w) {
		for i := 0; i+2 <= len(typed); i++ {
			if strings.Contains(text, typed[i:i+2]) {
				t.Errorf("the screen shows %q, part of the PIN typed", text)
			}
		}
	}
	for _, o := range visible(w.Canvas().Content()) {
		if _, ok := o.(*widget.Entry); ok {
			t.Error("the PIN pad has a text entry")
		}
	}
	test.Tap(findButton(t, w, "OK"))
	wait()
	equalCalls(t, k.Calls(), "StaffPIN "+typed)
	if n := dots(w); n != 0 {
		t.Errorf("%d dots after OK", n)
	}
}

// TestPINPadShowsWhyItFailed: the kiosk's reason (View.Staff.Error) is
// shown on the pad; when the view gives none, the error StaffPIN
// returned is, and reaches the error hook. Never both for one failure.
func TestPINPadShowsWhyItFailed(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		name     string
		lang     string
		err      kiosk.StaffError
		arg      string
		returned error
		want     string
	}{
		{"wrong PIN", LangNorwegian, kiosk.StaffErrWrongPIN, "3", nil, "Feil PIN-kode. 3 forsøk igjen."},
		{"wrong PIN en", LangEnglish, kiosk.StaffErrWrongPIN, "1", nil, "Wrong PIN. 1 tries left."},
		{"failed", LangNorwegian, kiosk.StaffErrFailed, kiosk.DevScanner, nil, "Det gikk ikke: Strekkodeleser."},
		{"failed, no arg", LangNorwegian, kiosk.StaffErrFailed, "", nil, "Det gikk ikke. Prøv igjen."},
		{"locked", LangNorwegian, kiosk.StaffErrLocked, "15:04", nil, "For mange feil PIN-koder. Kortet er sperret til kl. 15:04."},
		{"returned only", LangNorwegian, kiosk.StaffErrNone, "", fmt.Errorf("login: %w", kiosk.ErrWrongPIN), "Feil PIN-kode."},
		{"returned and shown", LangNorwegian, kiosk.StaffErrWrongPIN, "2", fmt.Errorf("login: %w", kiosk.ErrWrongPIN),
			"Feil PIN-kode. 2 forsøk igjen."},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			v := pinView(d.views()[kiosk.Shopping])
			v.Staff.Error, v.Staff.ErrorArg = c.err, c.arg
			k := newFakeKiosk(v)
			k.setErr(c.returned)
			s, w := showScreen(t, k, c.lang, size1280)
			var hooked []error
			s.SetOnError(func(err error) { hooked = append(hooked, err) })
			if c.returned != nil {
				wait := slowDone(t, s)
				tapping("1", "2", "3", "4", "OK")(t, w)
				wait()
				if len(hooked) != 1 || !errors.Is(hooked[0], c.returned) {
					t.Errorf("OnError got %v", hooked)
				}
			}
			var problems []string
			for _, text := range texts(w) {
				if strings.Contains(text, "Feil PIN-kode") || strings.Contains(text, "Wrong PIN") ||
					strings.Contains(text, "gikk ikke") || strings.Contains(text, "sperret") {
					problems = append(problems, text)
				}
			}
			if len(problems) != 1 || problems[0] != c.want {
				t.Errorf("the pad says %q, want just %q", problems, c.want)
			}
		})
	}
}

// TestStaffOverride: choosing an override, what it acts on and a reason
// calls Override with exactly those; Back goes a step back.
func TestStaffOverride(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		name string
		taps []string
		want kiosk.Override
	}{
		{"approve age", []string{"Godkjenn alder", "Legitimasjon sjekket"},
			kiosk.Override{Kind: kiosk.OvApproveAge, Reason: kiosk.ReasonIDChecked}},
		{"refuse age", []string{"Avvis alder", "Kunden ba om det"},
			kiosk.Override{Kind: kiosk.OvRefuseAge, Reason: kiosk.ReasonCustomerAsked}},
		{"void a line", []string{"Fjern vare", "1 × Nordlys Original 20 stk", "Feil vare"},
			kiosk.Override{Kind: kiosk.OvVoidLine, Reason: kiosk.ReasonWrongItem, Line: d.cigs.GTIN}},
		{"cancel the sale", []string{"Avbryt salget", "Betalingsproblem"},
			kiosk.Override{Kind: kiosk.OvCancelSale, Reason: kiosk.ReasonPaymentProblem}},
		{"open a compartment", []string{"Åpne rom", "Rom 2", "Påfylling"},
			kiosk.Override{Kind: kiosk.OvOpenCompartment, Reason: kiosk.ReasonRestock, Compartment: 2}},
		{"back to the list", []string{"Fjern vare", "Tilbake", "Godkjenn alder", "Legitimasjon sjekket"},
			kiosk.Override{Kind: kiosk.OvApproveAge, Reason: kiosk.ReasonIDChecked}},
		{"back to the lines", []string{"Fjern vare", "2 × Cola 0,5 l", "Tilbake", "1 × Melkesjokolade 60 g", "Annet"},
			kiosk.Override{Kind: kiosk.OvVoidLine, Reason: kiosk.ReasonOther, Line: d.choc.GTIN}},
		{"back to the compartments", []string{"Åpne rom", "Rom 1", "Tilbake", "Rom 3", "Feil på utstyr"},
			kiosk.Override{Kind: kiosk.OvOpenCompartment, Reason: kiosk.ReasonDeviceFault, Compartment: 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(d.ageCheckStaff())
			s, w := showScreen(t, k, LangNorwegian, size1280)
			wait := slowDone(t, s)
			tapping(c.taps...)(t, w)
			wait()
			equalCalls(t, k.Calls(), overrideCall(c.want))
		})
	}
}

// TestStaffReasonsUsualFirst: every override's reasons are offered in
// the kiosk's order, the usual one first and marked.
func TestStaffReasonsUsualFirst(t *testing.T) {
	d := mustDemo(t)
	for _, kind := range kiosk.OverrideKinds {
		if kind.Later() || kind == kiosk.OvReceiveStock { // receiving asks no reason (receiving_test.go)
			continue
		}
		t.Run(kind.String(), func(t *testing.T) {
			newTestApp(t)
			v := signedIn(d.views()[kiosk.AgeCheckPending], kiosk.RoleSupervisor, kiosk.OverrideKinds...)
			var k Kiosk = newFakeKiosk(v)
			if kind == kiosk.OvReturn {
				rk := newReturnKiosk(t, true)
				rk.fakeKiosk = newFakeKiosk(v)
				k = rk
			}
			s, w := showScreen(t, k, LangNorwegian, size1280)
			test.Tap(findButton(t, w, s.overrideName(kind)))
			switch kind {
			case kiosk.OvVoidLine:
				test.Tap(findButton(t, w, "2 × Cola 0,5 l"))
			case kiosk.OvOpenCompartment:
				test.Tap(findButton(t, w, "Rom 1"))
			case kiosk.OvCopyReceipt:
				tapping("1", "OK")(t, w)
			case kiosk.OvReturn:
				tapping("1", "7", "OK", "+", "Tilbake til kortet")(t, w)
			}
			names := map[string]bool{}
			for _, r := range kind.Reasons() {
				names[s.reasonName(r)] = true
			}
			var got []*widget.Button
			for _, o := range visible(w.Canvas().Content()) {
				if b, ok := o.(*widget.Button); ok && names[b.Text] {
					got = append(got, b)
				}
			}
			if len(got) != len(kind.Reasons()) {
				t.Fatalf("%d reasons shown, want %d; the screen shows %q", len(got), len(kind.Reasons()), texts(w))
			}
			for i, r := range kind.Reasons() {
				if got[i].Text != s.reasonName(r) {
					t.Errorf("reason %d is %q, want %q", i, got[i].Text, s.reasonName(r))
				}
				if usual := got[i].Importance == widget.HighImportance; usual != (i == 0) {
					t.Errorf("reason %q marked usual: %v", got[i].Text, usual)
				}
			}
		})
	}
}

// TestStaffRefusesWhatTheRoleMayNot: an override the role may not make
// says so when pressed and never reaches the kiosk; the refusal goes
// when staff choose something else.
func TestStaffRefusesWhatTheRoleMayNot(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.clerkAtAssistance())
	_, w := showScreen(t, k, LangNorwegian, size1280)
	complete := findButton(t, w, "Fullfør salget")
	if complete.Disabled() {
		t.Fatal("an override the role may not make is disabled: pressing it must say why")
	}
	test.Tap(complete)
	refusal := "Ikke tillatt for din rolle: Fullfør salget."
	if !hasText(w, refusal) || !hasText(w, "Velg handling") {
		t.Fatalf("no refusal; the screen shows %q", texts(w))
	}
	equalCalls(t, k.Calls())
	test.Tap(findButton(t, w, "Avbryt salget"))
	if hasText(w, refusal) || !hasText(w, "Velg årsak") {
		t.Errorf("after choosing another override the screen shows %q", texts(w))
	}
	equalCalls(t, k.Calls())
}

// TestStaffShowsTheKiosksRefusal: when the kiosk refuses an override
// (its role table is the one that counts), the screen says why: first
// from the error returned, then from the view when it says more.
func TestStaffShowsTheKiosksRefusal(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.ageCheckStaff()
	k := newFakeKiosk(v)
	k.setErr(fmt.Errorf("override: %w", kiosk.ErrNotPermitted))
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	wait := slowDone(t, s)
	tapping("Godkjenn alder", "Legitimasjon sjekket")(t, w)
	wait()
	equalCalls(t, k.Calls(), overrideCall(kiosk.Override{Kind: kiosk.OvApproveAge, Reason: kiosk.ReasonIDChecked}))
	if !hasText(w, "Ikke tillatt for din rolle.") || !hasText(w, "Velg handling") {
		t.Fatalf("after the kiosk refused the screen shows %q", texts(w))
	}
	v.Staff.Error, v.Staff.ErrorArg = kiosk.StaffErrNotPermitted, kiosk.OvApproveAge.String()
	k.set(v)
	if !hasText(w, "Ikke tillatt for din rolle: Godkjenn alder.") || hasText(w, "Ikke tillatt for din rolle.") {
		t.Errorf("with the kiosk's reason the screen shows %q", texts(w))
	}
}

// TestStaffErrorBanner: the kiosk's reasons for a refused step show as a
// banner on the staff screen, overrides and devices by their names.
func TestStaffErrorBanner(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		lang string
		err  kiosk.StaffError
		arg  string
		want string
	}{
		{LangNorwegian, kiosk.StaffErrNotNow, kiosk.OvVoidLine.String(), "Det går ikke nå: Fjern vare."},
		{LangNorwegian, kiosk.StaffErrNotNow, "", "Det går ikke nå."},
		{LangNorwegian, kiosk.StaffErrNotPermitted, kiosk.OvCompleteSale.String(), "Ikke tillatt for din rolle: Fullfør salget."},
		{LangNorwegian, kiosk.StaffErrNotPermitted, "", "Ikke tillatt for din rolle."},
		{LangNorwegian, kiosk.StaffErrFailed, kiosk.DevTerminal, "Det gikk ikke: Betalingsterminal."},
		{LangNorwegian, kiosk.StaffErrFailed, "the store", "Det gikk ikke: the store."},
		{LangEnglish, kiosk.StaffErrNotNow, kiosk.OvResumeSale.String(), "Not possible now: Resume the sale."},
		{LangEnglish, kiosk.StaffErrFailed, kiosk.DevPrinter, "That did not work: Receipt printer."},
		{LangNorwegian, kiosk.StaffErrCopyMade, "17", "Kvittering nr. 17 har allerede fått sin ene kopi. Loven tillater bare én."},
		{LangEnglish, kiosk.StaffErrCopyMade, "17", "Receipt no. 17 already had its one copy. The law allows only one."},
		{LangNorwegian, kiosk.StaffErrNoReceipt, "9", "Finner ingen kvittering nr. 9."},
		{LangNorwegian, kiosk.StaffErrNoReceipt, "", "Ingen kvittering å kopiere ennå."},
		{LangNorwegian, kiosk.StaffErrReceiptQueued, "18", "Kvittering nr. 18 venter på skriveren. Kopi først når den er skrevet ut."},
	} {
		t.Run(c.lang+"/"+c.want, func(t *testing.T) {
			newTestApp(t)
			v := d.ageCheckStaff()
			v.Staff.Error, v.Staff.ErrorArg = c.err, c.arg
			_, w := showScreen(t, newFakeKiosk(v), c.lang, size1280)
			if !hasText(w, c.want) {
				t.Errorf("the staff screen does not show %q; it shows %q", c.want, texts(w))
			}
		})
	}
}

// TestStaffDisabledEntries: entries later work fills are shown under
// "comes later" and disabled; so is an override that does not apply
// now. Pressing them does nothing.
func TestStaffDisabledEntries(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.ageCheckStaff())
	s, w := showScreen(t, k, LangNorwegian, size1280)
	later := slices.ContainsFunc(kiosk.OverrideKinds, kiosk.OverrideKind.Later)
	if hasText(w, "Kommer senere") != later {
		t.Errorf("'comes later' shown: %v, want %v; the screen shows %q", !later, later, texts(w))
	}
	for _, kind := range kiosk.OverrideKinds {
		o, _ := s.option(kind)
		b := findButton(t, w, s.overrideName(kind))
		if want := kind.Later() || !o.Available; b.Disabled() != want {
			t.Errorf("%v: disabled %v, want %v", kind, b.Disabled(), want)
		}
		if b.Disabled() {
			test.Tap(b)
		}
	}
	equalCalls(t, k.Calls())
	if !hasText(w, "Velg handling") {
		t.Errorf("a disabled entry moved the screen on: %q", texts(w))
	}
}

func TestStaffLogout(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.ageCheckStaff())
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Logg ut"))
	equalCalls(t, k.Calls(), "StaffLogout")
}

// TestStaffTapsKeepSession: choosing on the staff screen tells the kiosk
// staff is there (StaffTouch), so a session in use does not time out.
func TestStaffTapsKeepSession(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(d.ageCheckStaff())
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Avbryt salget"))
	if n := k.staffTouches(); n != 1 {
		t.Fatalf("choosing an override made %d StaffTouch calls, want 1", n)
	}
	test.Tap(findButton(t, w, "Tilbake"))
	if n := k.staffTouches(); n != 2 {
		t.Fatalf("going back made %d StaffTouch calls in all, want 2", n)
	}
}

// TestStaffScreenStatus: the staff screen shows the customer's sale, who
// waits for staff (which kiosk, why, since when), the devices and
// compartments, and today's counts.
func TestStaffScreenStatus(t *testing.T) {
	d := mustDemo(t)
	idle := signedIn(d.views()[kiosk.Idle], kiosk.RoleSupervisor)
	idle.Calls, idle.Devices, idle.Compartments, idle.PaperLow = nil, nil, nil, false
	idle.Today = kiosk.DayCounts{}
	help := withHelp(d.ageCheckStaff())
	receipts := idle
	receipts.Today = kiosk.DayCounts{Sales: 4, NotPrinted: 2, PrintedLate: 1, Copies: 1}
	for _, c := range []struct {
		name string
		lang string
		view kiosk.View
		want []string
	}{
		{"nb", LangNorwegian, d.ageCheckStaff(), []string{
			"Venter på alderskontroll – 4 varer, kr 249,70",
			"kl. 14:02 · kasse-1 · Alderskontroll", "kl. 14:04 · kasse-1 · Skapdøren står åpen: Rom 3",
			"kl. 14:05 · kasse-2 · Kunden ber om hjelp",
			"Strekkodeleser: i orden", "Kvitteringsskriver: i orden (lite papir)", "Betalingsterminal: feil (no answer)",
			"Rom 1: låst, døren er lukket", "Rom 3: ulåst, døren er åpen", "Lite papir i kvitteringsskriveren",
			"Salg: 37 · Alder godkjent: 12 · Alder avvist: 2 · Overstyringer: 5 · Avbrutte handler: 3"}},
		{"en", LangEnglish, d.ageCheckStaff(), []string{
			"Waiting for the age check – 4 items, kr 249,70", "14:04 · kasse-1 · Cabinet door left open: Compartment 3",
			"Payment terminal: fault (no answer)", "Compartment 3: unlocked, door open",
			"Sales: 37 · Age approved: 12 · Age refused: 2 · Overrides: 5 · Cancelled baskets: 3"}},
		{"help call", LangNorwegian, help, []string{"Kunden ba om hjelp kl. 14:05."}},
		{"receipt counts", LangNorwegian, receipts, []string{"Salg: 4", "Ikke skrevet ut: 2 · Skrevet ut senere: 1 · Kopier: 1"}},
		{"receipt counts en", LangEnglish, receipts, []string{"Not printed: 2 · Printed late: 1 · Copies: 1"}},
		{"no sale, nobody waiting", LangNorwegian, idle, []string{
			"Ingen handel pågår.", "Ingen venter.", "Ingen status fra utstyret.", "Salg: 0"}},
		{"the notice", LangNorwegian, d.clerkAtAssistance(), []string{
			"Trenger en ansatt – 4 varer, kr 249,70", tr(LangNorwegian, mNoticeRecovery)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			_, w := showScreen(t, newFakeKiosk(c.view), c.lang, size1280)
			for _, s := range c.want {
				if !hasText(w, s) {
					t.Errorf("the staff screen does not show %q; it shows %q", s, texts(w))
				}
			}
		})
	}
}

// TestStaffSessionComesAndGoes: a badge read replaces the customer's
// screen with the PIN pad (in the default language, whatever the
// customer chose); when the session ends the customer's screen comes back
// as it was, and nothing typed or half-chosen survives to the next
// log-in.
func TestStaffSessionComesAndGoes(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	shop := d.shopping()
	k := newFakeKiosk(shop)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	test.Tap(findButton(t, w, "English"))         // the customer's choice
	test.Tap(findButton(t, w, "Cancel purchase")) // the question is open

	k.set(pinView(shop))
	if !hasText(w, "Ansattinnlogging") || hasText(w, "Basket") || hasText(w, "Cancel this purchase?") {
		t.Fatalf("with the PIN pad open the screen shows %q", texts(w))
	}
	tapping("1", "2")(t, w)
	k.set(shop) // the log-in was cancelled
	if s.Lang() != LangEnglish || !hasText(w, "Basket") || hasText(w, "Ansattinnlogging") {
		t.Fatalf("after the PIN pad the screen (lang %q) shows %q", s.Lang(), texts(w))
	}
	k.set(pinView(shop))
	if n := dots(w); n != 0 {
		t.Errorf("%d dots at a new log-in", n)
	}

	k.set(signedIn(shop, kiosk.RoleSupervisor, kiosk.OvVoidLine))
	test.Tap(findButton(t, w, "Fjern vare"))
	k.set(shop) // the session timed out
	k.set(signedIn(shop, kiosk.RoleSupervisor, kiosk.OvVoidLine))
	if !hasText(w, "Velg handling") || hasText(w, "Velg varen som skal fjernes") {
		t.Errorf("a half-chosen override survived the session: %q", texts(w))
	}
	equalCalls(t, k.Calls())
}

// TestStaffStalePick: an override being chosen that stops applying (the
// sale moved on) goes back to the list; so does a voided line's pick.
func TestStaffStalePick(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := d.ageCheckStaff()
	k := newFakeKiosk(v)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	tapping("Fjern vare", "2 × Cola 0,5 l")(t, w)
	gone := v
	gone.Lines = v.Lines[1:]
	k.set(gone)
	if !hasText(w, "Velg varen som skal fjernes") {
		t.Fatalf("after the line went the screen shows %q", texts(w))
	}
	k.set(signedIn(d.views()[kiosk.Paying], kiosk.RoleSupervisor, kiosk.OvCancelSale))
	if !hasText(w, "Velg handling") {
		t.Errorf("after void line stopped applying the screen shows %q", texts(w))
	}
	equalCalls(t, k.Calls())
}

// copyView is Ola, a clerk, at an idle kiosk whose last receipt is 17.
func copyView(d demo) kiosk.View {
	v := signedIn(d.views()[kiosk.Idle], kiosk.RoleClerk, kiosk.OvCopyReceipt)
	v.LastReceipt = 17
	return v
}

// TestStaffCopyReceipt: the copy is of the last receipt with one tap, or
// of a receipt typed by its number (on the keypad or a keyboard); Back
// goes to the receipt again; the reason makes the override.
func TestStaffCopyReceipt(t *testing.T) {
	d := mustDemo(t)
	want := func(no uint64) string {
		return overrideCall(kiosk.Override{Kind: kiosk.OvCopyReceipt, Reason: kiosk.ReasonCustomerAsked, Receipt: no})
	}
	for _, c := range []struct {
		name  string
		taps  []string
		keys  string // typed on a keyboard after the taps
		enter bool
		want  string
	}{
		{"the last", []string{"Kopikvittering", "Siste kvittering, nr. 17", "Kunden ba om det"}, "", false, want(17)},
		{"typed", []string{"Kopikvittering", "1", "2", "Slett", "0", "5", "OK", "Kunden ba om det"}, "", false, want(105)},
		{"no leading zero", []string{"Kopikvittering", "0", "4", "OK", "Kunden ba om det"}, "", false, want(4)},
		{"back to the receipt", []string{"Kopikvittering", "Siste kvittering, nr. 17", "Tilbake", "3", "OK", "Kunden ba om det"}, "", false, want(3)},
		{"keyboard", []string{"Kopikvittering"}, "42x", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(copyView(d))
			s, w := showScreen(t, k, LangNorwegian, size1280)
			if c.want == "" {
				tapping(c.taps...)(t, w)
				for _, r := range c.keys {
					s.TypedRune(r)
				}
				s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				s.TypedRune('7')
				s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				if !hasText(w, "Kopikvittering: kvittering nr. 47") {
					t.Fatalf("after typing the screen shows %q", texts(w))
				}
				wait := slowDone(t, s)
				tapping("Kunden ba om det")(t, w)
				wait()
				equalCalls(t, k.Calls(), want(47))
				return
			}
			wait := slowDone(t, s)
			tapping(c.taps...)(t, w)
			wait()
			equalCalls(t, k.Calls(), c.want)
		})
	}
}

// TestStaffCopyReceiptNoneYet: before the first sale the keypad is the
// only way, and OK waits for a number.
func TestStaffCopyReceiptNoneYet(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	v := copyView(d)
	v.LastReceipt = 0
	_, w := showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
	tapping("Kopikvittering")(t, w)
	if hasText(w, "Siste kvittering") || !findButton(t, w, "OK").Disabled() {
		t.Errorf("with no receipt yet the screen shows %q", texts(w))
	}
}
