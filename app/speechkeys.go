package app

import "fyne.io/fyne/v2"

// The accessibility keys, in one place: a USB keyboard's F1..F3 until
// the tactile keypad (issue 14 item 2) maps its own keys here.
//
//	F1  speech on/off (the accessibility key)
//	F2  repeat the screen's prompt (turns speech on)
//	F3  stop: silence now
var speechKeys = map[fyne.KeyName]func(n *narrator, lang string){
	fyne.KeyF1: func(n *narrator, _ string) { n.Toggle() },
	fyne.KeyF2: func(n *narrator, lang string) { n.Repeat(lang) },
	fyne.KeyF3: func(n *narrator, _ string) { n.Stop() },
}

// typedKey wraps the screen's key handler: every key is an action that
// cuts the phrase being said; the accessibility keys go to the narrator,
// the others on to next. lang is the screen's language now (it is
// called on the Fyne goroutine, as the key handler is).
func (n *narrator) typedKey(next func(*fyne.KeyEvent), lang func() string) func(*fyne.KeyEvent) {
	return func(ev *fyne.KeyEvent) {
		n.Action()
		if f, ok := speechKeys[ev.Name]; ok {
			f(n, lang())
			return
		}
		next(ev)
	}
}
