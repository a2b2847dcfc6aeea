package app

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
)

// Keypad navigation at the kiosk (issue 14 item 2): the key table is in
// speechkeys.go; the focus, the ring and what each action does on a
// screen are in app/ui (focus.go, keypad.go).

// KeypadConfig is the "keypad" section of the configuration file.
type KeypadConfig struct {
	// Keys changes the key table (speechkeys.go): a key name ("F7",
	// "KP_Enter", "scancode:115") to an action (speech, repeat, stop,
	// next, previous, select, back, help, volume_up, volume_down); an
	// empty action takes a default key away.
	Keys map[string]string `json:"keys,omitempty"`
}

// volumeStep is how much one press of a volume key changes the volume.
const volumeStep = 10

// volumes are the speech's and the tones' volumes now, 0..100.
type volumes struct{ speech, sound int }

// keyScreen is the customer window's screen as the keys drive it
// (*ui.Screen).
type keyScreen interface {
	Key(a ui.KeyAction, ev *fyne.KeyEvent)
	TypedKey(ev *fyne.KeyEvent)
	TypedRune(r rune)
	Lang() string
}

var _ keyScreen = (*ui.Screen)(nil)

// customerActivity is a key press counted as the customer being there:
// the inactivity timer starts again and the "are you still there?"
// warning ends. The one place the keys reach the checkout's timer.
func customerActivity(co *kiosk.Checkout) {
	if co != nil {
		co.Touch()
	}
}

// customerKeys is the customer window's key handler: every key is the
// customer's activity and cuts the phrase being said; the speech keys go
// to the narrator, the volume keys change the volume, the navigation
// keys go to the screen as actions, and any other key to the screen's
// TypedKey (the PIN pad's). It runs on the Fyne goroutine.
func customerKeys(n *narrator, s keyScreen, activity func()) func(*fyne.KeyEvent) {
	next := func(ev *fyne.KeyEvent) {
		switch a := n.keys.action(ev); a {
		case actVolumeUp:
			n.ChangeVolume(+volumeStep)
		case actVolumeDown:
			n.ChangeVolume(-volumeStep)
		case "":
			s.TypedKey(ev)
		default:
			s.Key(ui.KeyAction(a), ev)
		}
	}
	handle := n.typedKey(next, s.Lang)
	return func(ev *fyne.KeyEvent) {
		activity()
		handle(ev)
	}
}

// customerRunes is the customer window's typed-character handler: a
// digit is the customer's activity (and the staff's PIN).
func customerRunes(s keyScreen, activity func()) func(rune) {
	return func(r rune) {
		activity()
		s.TypedRune(r)
	}
}

// ChangeVolume changes the speech's and the tones' volume by step
// (clamped to 0..100). A speaker that cannot change its volume keeps it.
func (n *narrator) ChangeVolume(step int) {
	n.mu.Lock()
	n.vol.speech = min(max(n.vol.speech+step, 0), 100)
	n.vol.sound = min(max(n.vol.sound+step, 0), 100)
	v := n.vol
	n.mu.Unlock()
	if sp, ok := n.speaker.(interface{ SetVolume(int) error }); ok {
		if err := sp.SetVolume(v.speech); err != nil {
			n.failed("speech", err)
		}
	}
	if n.sounder != nil {
		if err := n.sounder.SetVolume(v.sound); err != nil {
			n.failed("sound", err)
		}
	}
}

// Volumes is the speech's and the tones' volume now.
func (n *narrator) Volumes() (speech, sound int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.vol.speech, n.vol.sound
}

// SayFocus says what a key put the focus on, in lang, cutting what was
// being said (speech on only).
func (n *narrator) SayFocus(text, lang string) {
	text = spokenLabel(text)
	if text == "" {
		return
	}
	n.mu.Lock()
	if !n.on {
		n.mu.Unlock()
		return
	}
	n.cutLocked()
	n.queue = append(n.queue, kiosk.Phrase{Lang: lang, Text: text})
	n.mu.Unlock()
	n.kick()
}

// spokenLabel is a button's label as words: the basket line's − and +.
func spokenLabel(text string) string {
	switch strings.TrimSpace(text) {
	case "−", "-":
		return "minus"
	case "+":
		return "pluss"
	}
	return strings.TrimSpace(text)
}

// keyInjector types keys into the customer window as the keypad does
// (`selvkasse sim key NAME`): on the Fyne goroutine, through the same
// handlers.
type keyInjector struct {
	key   func(*fyne.KeyEvent)
	runes func(rune)
	focus func() string // the focused target's text, "" when the ring is not shown
}

// press types the key named name (a key table name, "scancode:N", or a
// digit, which is also typed as a character) and returns the focus
// after it. Errors: a usageError for an empty or malformed name.
func (k keyInjector) press(name string) (string, error) {
	if name == "" {
		return "", usageError("key takes a key name (Down, Return, F4, 5, scancode:115 …)")
	}
	ev := &fyne.KeyEvent{Name: fyne.KeyName(name)}
	if code, ok := strings.CutPrefix(name, "scancode:"); ok {
		n, err := strconv.Atoi(code)
		if err != nil {
			return "", usageError(fmt.Sprintf("key %q: want scancode:NUMBER", name))
		}
		ev = &fyne.KeyEvent{Name: fyne.KeyUnknown, Physical: fyne.HardwareKey{ScanCode: n}}
	}
	var focus string
	fyne.DoAndWait(func() {
		k.key(ev)
		if len(name) == 1 && name[0] >= '0' && name[0] <= '9' {
			k.runes(rune(name[0]))
		}
		focus = k.focus()
	})
	return focus, nil
}

// afterKeys wraps the key handlers so that after runs after each key
// (the health endpoint notes the focus).
func afterKeys(key func(*fyne.KeyEvent), runes func(rune), after func()) (func(*fyne.KeyEvent), func(rune)) {
	return func(ev *fyne.KeyEvent) { key(ev); after() }, func(r rune) { runes(r); after() }
}

// focusRef is the focus text as the health endpoint keeps it.
func focusRef(text string) *string { return &text }

// tabAsNext makes Tab the key table's Tab (next) on a desktop window.
// Fyne's window keeps Tab for its own focus: it focuses the next
// focusable widget (a button) and hands the key to nobody, and from
// then on every key goes to that button, which knows only Space: the
// keypad would be dead. The window's key-down hook still sees Tab
// while nothing is focused (the screen keeps it so), so this takes the
// Fyne focus away again, after the window moved it (fyne.Do from the
// event runs after it), and hands Tab to keys.
func tabAsNext(c fyne.Canvas, keys func(*fyne.KeyEvent)) {
	dc, ok := c.(desktop.Canvas)
	if !ok {
		return
	}
	dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
		if ev.Name != fyne.KeyTab {
			return
		}
		fyne.Do(func() {
			c.Unfocus()
			keys(ev)
		})
	})
}
