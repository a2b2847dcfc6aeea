package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// keyedKiosk is the e2e kiosk with the customer screen in a headless
// window, its keys wired as kioskRun wires them. Every view the
// checkout publishes is rendered on the test goroutine (the test is the
// Fyne goroutine), so keys and renders never race.
type keyedKiosk struct {
	*spokenKiosk
	screen *ui.Screen
	w      fyne.Window
	views  chan kiosk.View
	key    func(*fyne.KeyEvent)
	runes  func(rune)
}

func mustKeyedKiosk(t *testing.T) *keyedKiosk {
	t.Helper()
	k := &keyedKiosk{spokenKiosk: mustSpokenKiosk(t, "nb"), views: make(chan kiosk.View, 256)}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(ui.Theme())
	k.screen = ui.NewScreen(k.act, "nb")
	k.w = test.NewTempWindow(t, k.screen.Content())
	k.w.SetPadded(false)
	k.w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(k.co.Subscribe(func(v kiosk.View) { k.views <- v }))
	activity := func() { customerActivity(k.co) }
	k.key, k.runes = customerKeys(k.n, k.screen, activity), customerRunes(k.screen, activity)
	k.screen.SetOnFocus(func(text string) { k.n.SayFocus(text, k.screen.Lang()) })
	k.screen.Render(k.co.View())
	return k
}

// show renders the views published so far, then waits for one in
// state and renders it.
func (k *keyedKiosk) show(state kiosk.State) {
	k.t.Helper()
	deadline := time.After(speechWait)
	for {
		for drained := false; !drained; {
			select {
			case v := <-k.views:
				k.screen.Render(v)
			default:
				drained = true
			}
		}
		if v := k.co.View(); v.State == state {
			k.screen.Render(v)
			return
		}
		select {
		case v := <-k.views:
			k.screen.Render(v)
		case <-deadline:
			k.t.Fatalf("the screen never showed %v; the checkout is in %v", state, k.co.View().State)
		}
	}
}

func (k *keyedKiosk) press(names ...fyne.KeyName) {
	for _, n := range names {
		k.key(&fyne.KeyEvent{Name: n})
	}
}

// to presses Down until the focus is on a target whose text starts
// with prefix.
func (k *keyedKiosk) to(prefix string) {
	k.t.Helper()
	for i := 0; !strings.HasPrefix(k.screen.FocusedText(), prefix); i++ {
		if i > 30 {
			k.t.Fatalf("no %q reachable by Down; focus on %q", prefix, k.screen.FocusedText())
		}
		k.press(fyne.KeyDown)
	}
}

func (k *keyedKiosk) wantFocus(want string) {
	k.t.Helper()
	if got := k.screen.FocusedText(); got != want {
		k.t.Fatalf("focus on %q, want %q", got, want)
	}
}

// TestKeypadOnlySale completes a whole sale with the keypad alone (no
// tap): a scan, the tobacco list by keys, Pay, the age check and the
// terminal, the cabinet, Done; the snus is sold and the stock goes down.
func TestKeypadOnlySale(t *testing.T) {
	k := mustKeyedKiosk(t)
	before := k.stock(snus)
	k.show(kiosk.Idle)
	k.press(fyne.KeyDown)
	k.wantFocus("Tobakk og snus")

	k.scanner.Feed(cola)
	k.show(kiosk.Shopping)
	k.wantFocus("Betal kr 32,90")
	k.to("Tobakk og snus")
	k.press(fyne.KeyReturn) // the list opens on its first product
	k.to("Nordlys Snus Original Portion 24 g")
	k.press(fyne.KeyReturn)
	k.show(kiosk.Shopping)
	for len(k.co.View().Lines) < 2 {
		k.show(kiosk.Shopping)
	}
	k.press(fyne.KeyEscape) // closes the list: the focus is on its button again
	k.wantFocus("Tobakk og snus")
	k.to("Betal kr 161,90")
	k.press(fyne.KeyReturn)

	if _, err := k.staff.WaitRequest(k.ctx); err != nil {
		t.Fatal(err)
	}
	k.show(kiosk.AgeCheckPending)
	if err := k.staff.Approve("ola"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.term.WaitAuthorize(k.ctx); err != nil {
		t.Fatal(err)
	}
	k.show(kiosk.Paying)
	k.wantFocus("Avbryt handelen") // the terminal works; the customer may cancel (it aborts) or call help
	if err := k.term.Respond(kiosktest.PayApproved()); err != nil {
		t.Fatal(err)
	}
	k.show(kiosk.Releasing)
	k.cab.Open()
	k.cab.Close()
	k.show(kiosk.Receipt)
	k.wantFocus("Ferdig")
	k.press(fyne.KeyReturn)
	k.show(kiosk.Idle)
	if got := k.stock(snus); got != before-1 {
		t.Errorf("snus stock %d, want %d", got, before-1)
	}
	if f := k.screen.FocusedText(); f != "" {
		t.Errorf("the next customer sees the ring on %q", f)
	}
}

// TestKeyIsActivity: a key press starts the inactivity time again (the
// warning comes 60 s after the last key, not after the scan), and a key
// on the warning ends it.
func TestKeyIsActivity(t *testing.T) {
	for _, pressed := range []bool{false, true} {
		k := mustKeyedKiosk(t)
		k.scanner.Feed(cola)
		k.show(kiosk.Shopping)
		k.clock.Advance(50 * time.Second)
		if pressed {
			k.press(fyne.KeyDown)
		}
		k.clock.Advance(50 * time.Second)
		if shopping := k.co.View().State == kiosk.Shopping; shopping != pressed {
			t.Fatalf("key pressed %v: %v 100 s after the scan", pressed, k.co.View().State)
		}
	}
	k := mustKeyedKiosk(t)
	k.scanner.Feed(cola)
	k.show(kiosk.Shopping)
	k.clock.Advance(61 * time.Second)
	k.show(kiosk.TimeoutWarning)
	k.press(fyne.KeyF6) // any key, even the volume
	k.show(kiosk.Shopping)
}

// TestKeypadSpeechAndVolume: with speech on the focused target is said;
// the volume keys change speech and tones, within 0..100; F1 still
// switches speech.
func TestKeypadSpeechAndVolume(t *testing.T) {
	k := mustKeyedKiosk(t)
	k.n.vol = volumes{speech: 70, sound: 95}
	k.show(kiosk.Idle)
	k.press(fyne.KeyF1)
	k.hear("nb", "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.", "Velkommen! Skann en vare for å starte.")
	k.press(fyne.KeyDown)
	k.hear("nb", "Tobakk og snus")
	k.press(fyne.KeyDown)
	k.hear("nb", "Søk etter navn")
	k.press(fyne.KeyDown)
	k.hear("nb", "Sjekk pris")
	k.press(fyne.KeyDown)
	k.hear("nb", "Hjelp")

	k.press(fyne.KeyF6)
	if sp, so := k.n.Volumes(); sp != 80 || so != 100 || k.sounder.Volume() != 100 {
		t.Errorf("after volume up: speech %d, sound %d (sounder %d), want 80, 100", sp, so, k.sounder.Volume())
	}
	k.key(&fyne.KeyEvent{Name: "-"})
	k.key(&fyne.KeyEvent{Name: "-"})
	if sp, so := k.n.Volumes(); sp != 60 || so != 80 {
		t.Errorf("after volume down twice: speech %d, sound %d, want 60, 80", sp, so)
	}
	if sp, _ := k.n.Volumes(); sp == 70 {
		t.Error("volume keys reached nothing")
	}
}

// TestKeyMapFor: the configuration adds keys, moves actions and takes
// defaults away; a bad action or scancode is a config error.
func TestKeyMapFor(t *testing.T) {
	m, err := keyMapFor(map[string]string{"F7": "help", "scancode:115": "volume_up", "BackSpace": "", "F4": "select"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ev   fyne.KeyEvent
		want string
	}{
		{fyne.KeyEvent{Name: "F7"}, "help"},
		{fyne.KeyEvent{Name: fyne.KeyUnknown, Physical: fyne.HardwareKey{ScanCode: 115}}, actVolumeUp},
		{fyne.KeyEvent{Name: fyne.KeyUnknown, Physical: fyne.HardwareKey{ScanCode: 114}}, ""},
		{fyne.KeyEvent{Name: fyne.KeyBackspace}, ""},
		{fyne.KeyEvent{Name: fyne.KeyF4}, "select"},
		{fyne.KeyEvent{Name: fyne.KeyF1}, actSpeech},
		{fyne.KeyEvent{Name: fyne.KeyDown}, "next"},
	} {
		if got := m.action(&c.ev); got != c.want {
			t.Errorf("%v: %q, want %q", c.ev, got, c.want)
		}
	}
	for _, bad := range []map[string]string{
		{"F7": "dance"},
		{"scancode:x": "help"},
		{"": "help"},
	} {
		if _, err := keyMapFor(bad); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%v: %v, want ErrBadConfig", bad, err)
		}
	}
	// Every default is an action that exists, and every screen action
	// has a default key.
	all, err := keyMapFor(nil)
	if err != nil {
		t.Fatal(err)
	}
	bound := map[string]bool{}
	for _, a := range all {
		bound[a] = true
	}
	for _, a := range keyActions() {
		if !bound[a] {
			t.Errorf("no default key for %q", a)
		}
	}
}

// TestSimKey: `sim key NAME` types into the customer window through the
// same handlers and /healthz shows the focus.
func TestSimKey(t *testing.T) {
	k := mustKeyedKiosk(t)
	k.show(kiosk.Idle)
	hs := &server{co: k.co, start: time.Now()}
	hs.keys = &keyInjector{key: k.key, runes: k.runes, focus: k.screen.FocusedText}
	hs.keys.key, hs.keys.runes = afterKeys(hs.keys.key, hs.keys.runes, func() { hs.focus.Store(focusRef(k.screen.FocusedText())) })
	if err := hs.do("key", "Down"); err != nil {
		t.Fatal(err)
	}
	if f := hs.health().Focus; f != "Tobakk og snus" {
		t.Errorf("/healthz focus %q", f)
	}
	if err := hs.do("key", "4"); err != nil { // the fourth choice, by digit (Tobakk og snus, Søk etter navn, Sjekk pris, Hjelp)
		t.Fatal(err)
	}
	if f := hs.health().Focus; f != "Hjelp" {
		t.Errorf("/healthz focus after 4: %q", f)
	}
	if err := hs.do("key", "F4"); err != nil {
		t.Fatal(err)
	}
	if k.co.View().Help.IsZero() {
		t.Error("the Help key did not call staff")
	}
	for _, bad := range []string{"", "scancode:x"} {
		if err := hs.do("key", bad); !errors.As(err, new(usageError)) {
			t.Errorf("key %q: %v, want a usage error", bad, err)
		}
	}
	if err := (&server{co: k.co}).do("key", "Down"); !errors.As(err, new(usageError)) {
		t.Errorf("without a window: %v", err)
	}
}

// TestConfigKeypad reads the keypad section; a bad action is refused at
// load, naming the key.
func TestConfigKeypad(t *testing.T) {
	const head = `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "Tobakk", "org_no": "999 999 999"}, `
	c, err := LoadConfig(mustConfigFile(t, head+`"keypad": {"keys": {"F9": "help", "scancode:115": "volume_up"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Keypad.Keys["F9"] != "help" || c.Keypad.Keys["scancode:115"] != actVolumeUp {
		t.Errorf("keypad %+v", c.Keypad)
	}
	_, err = LoadConfig(mustConfigFile(t, head+`"keypad": {"keys": {"F9": "jump"}}}`))
	if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), `"F9"`) {
		t.Errorf("a bad action: %v", err)
	}
}

// tabCanvas is a test canvas with the desktop key-down hook a real
// window has.
type tabCanvas struct {
	fyne.Canvas
	down func(*fyne.KeyEvent)
}

func (c *tabCanvas) OnKeyDown() func(*fyne.KeyEvent)     { return c.down }
func (c *tabCanvas) SetOnKeyDown(f func(*fyne.KeyEvent)) { c.down = f }
func (c *tabCanvas) OnKeyUp() func(*fyne.KeyEvent)       { return nil }
func (c *tabCanvas) SetOnKeyUp(func(*fyne.KeyEvent))     {}

// TestTabAsNext: after the window's Tab moved Fyne's focus onto a
// button, the focus is taken away and Tab reaches the keys as next.
func TestTabAsNext(t *testing.T) {
	k := mustKeyedKiosk(t)
	k.show(kiosk.Idle)
	c := &tabCanvas{Canvas: k.w.Canvas()}
	got := make(chan fyne.KeyName, 4)
	tabAsNext(c, func(ev *fyne.KeyEvent) { k.key(ev); got <- ev.Name })
	if c.down == nil {
		t.Fatal("no key-down hook")
	}
	// The window calls the key-down hook, then moves its focus; the
	// hook's fyne.Do runs after that. The test driver runs fyne.Do at
	// once, so the focus moves first here.
	c.FocusNext()
	if c.Focused() == nil {
		t.Fatal("the test canvas did not focus a button: the test shows nothing")
	}
	c.down(&fyne.KeyEvent{Name: fyne.KeyTab})
	select {
	case n := <-got:
		if n != fyne.KeyTab {
			t.Fatalf("got %s", n)
		}
	case <-time.After(speechWait):
		t.Fatal("Tab never reached the keys")
	}
	if f := c.Focused(); f != nil {
		t.Errorf("Fyne's focus stayed on %T", f)
	}
	k.wantFocus("Tobakk og snus") // the first key shows the ring
	c.down(&fyne.KeyEvent{Name: fyne.KeyDown})
	select {
	case n := <-got:
		t.Errorf("%s went through the Tab hook", n)
	default:
	}
}
