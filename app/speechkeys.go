package app

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"selvkasse/app/ui"
)

// The customer's keys, in one place (issue 14 items 1 and 2): a tactile
// keypad (EN 301 549 5.1 closed functionality) sends keys as a USB
// keyboard does, and a USB keyboard at the kiosk works the same. A key
// is named by Fyne's key name ("Up", "F4", "KP_Enter", "+"); a key Fyne
// has no name for (a keypad's volume keys often send consumer-page codes)
// by its hardware code, "scancode:N". The configuration's "keypad.keys"
// adds to or changes this table (keyMapFor).
//
//	F1              speech on/off (the accessibility key)
//	F2              repeat the screen's prompt (turns speech on)
//	F3              stop: silence now
//	Up, Left        previous: the focus back in reading order
//	Down, Right, Tab
//	                next: the focus on in reading order
//	Return, KP_Enter, Space
//	                select: do what the focus is on, as a tap
//	Escape, BackSpace
//	                back: the screen's way back or out (ui.Screen.Key)
//	F4              help: the Help button
//	+, F6           volume up (speech and tones)
//	-, F5           volume down
//	0–9             typed as digits: the staff PIN pad; on the
//	                customer's screens the Nth choice (ui keyDigit)
//
// Fyne's window keeps Tab for its own focus; tabAsNext (keypad.go) gets
// it back. Shift+Tab is Tab to Fyne's key events: next, too.
var defaultKeys = map[string]string{
	"F1": actSpeech, "F2": actRepeat, "F3": actStop,
	"Up": string(ui.KeyPrevious), "Left": string(ui.KeyPrevious),
	"Down": string(ui.KeyNext), "Right": string(ui.KeyNext), "Tab": string(ui.KeyNext),
	"Return": string(ui.KeySelect), "KP_Enter": string(ui.KeySelect), "Space": string(ui.KeySelect),
	"Escape": string(ui.KeyBack), "BackSpace": string(ui.KeyBack),
	"F4": string(ui.KeyHelp),
	"+":  actVolumeUp, "F6": actVolumeUp,
	"-": actVolumeDown, "F5": actVolumeDown,
}

// The actions the binary does itself; the others are the screen's
// (ui.KeyActions).
const (
	actSpeech     = "speech"
	actRepeat     = "repeat"
	actStop       = "stop"
	actVolumeUp   = "volume_up"
	actVolumeDown = "volume_down"
)

// speechKeys are the narrator's actions.
var speechKeys = map[string]func(n *narrator, lang string){
	actSpeech: func(n *narrator, _ string) { n.Toggle() },
	actRepeat: func(n *narrator, lang string) { n.Repeat(lang) },
	actStop:   func(n *narrator, _ string) { n.Stop() },
}

// keyActions lists every action a key may have.
func keyActions() []string {
	out := []string{actSpeech, actRepeat, actStop, actVolumeUp, actVolumeDown}
	for _, a := range ui.KeyActions() {
		out = append(out, string(a))
	}
	return out
}

// keyMap maps a key (keyID) to its action.
type keyMap map[string]string

// keyID names the key of ev as the table does.
func keyID(ev *fyne.KeyEvent) string {
	if ev.Name != fyne.KeyUnknown {
		return string(ev.Name)
	}
	return "scancode:" + strconv.Itoa(ev.Physical.ScanCode)
}

// action is what ev does ("" for nothing of the table's).
func (m keyMap) action(ev *fyne.KeyEvent) string {
	if m == nil {
		return defaultKeys[keyID(ev)]
	}
	return m[keyID(ev)]
}

// keyMapFor is the default table changed by the configuration's keys:
// a key mapped to an action gets it, a key mapped to "" loses its
// default. Errors: ErrBadConfig (wrapped) for an action that does not
// exist or a "scancode:" that is not a number.
func keyMapFor(keys map[string]string) (keyMap, error) {
	m := keyMap{}
	for k, a := range defaultKeys {
		m[k] = a
	}
	valid := map[string]bool{}
	for _, a := range keyActions() {
		valid[a] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		a := keys[k]
		if code, ok := strings.CutPrefix(k, "scancode:"); ok {
			if _, err := strconv.Atoi(code); err != nil {
				return nil, fmt.Errorf("%w: keypad.keys: %q: want scancode:NUMBER", ErrBadConfig, k)
			}
		}
		if k == "" {
			return nil, fmt.Errorf("%w: keypad.keys: an empty key name", ErrBadConfig)
		}
		if a == "" {
			delete(m, k)
			continue
		}
		if !valid[a] {
			return nil, fmt.Errorf("%w: keypad.keys: %q: unknown action %q (want one of %s)",
				ErrBadConfig, k, a, strings.Join(keyActions(), ", "))
		}
		m[k] = a
	}
	return m, nil
}

// typedKey wraps the screen's key handler: every key is an action that
// cuts the phrase being said; the accessibility keys go to the narrator,
// the others on to next. lang is the screen's language now (it is
// called on the Fyne goroutine, as the key handler is).
func (n *narrator) typedKey(next func(*fyne.KeyEvent), lang func() string) func(*fyne.KeyEvent) {
	return func(ev *fyne.KeyEvent) {
		n.Action()
		if f, ok := speechKeys[n.keys.action(ev)]; ok {
			f(n, lang())
			return
		}
		next(ev)
	}
}
