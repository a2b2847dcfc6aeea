package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// KeyAction is what a keypad key does on the customer's screen. The
// binary maps key codes to actions (app/speechkeys.go, configurable);
// the screen does the action.
type KeyAction string

// The screen's key actions.
const (
	KeyNext     KeyAction = "next"     // focus the next target in reading order (wraps)
	KeyPrevious KeyAction = "previous" // focus the previous one (wraps)
	KeySelect   KeyAction = "select"   // activate the focused target, as a tap would
	KeyBack     KeyAction = "back"     // the screen's way back or out (see Key)
	KeyHelp     KeyAction = "help"     // the Help button
)

// KeyActions lists the screen's key actions.
func KeyActions() []KeyAction {
	return []KeyAction{KeyNext, KeyPrevious, KeySelect, KeyBack, KeyHelp}
}

// Key does a on the screen shown, on the Fyne goroutine; ev is the key
// that was pressed.
//
// On the staff's PIN pad and where staff types a receipt number, ev goes
// to TypedKey as before (Return is OK, Backspace erases, Escape cancels
// the log-in). On the customer's screens:
//   - Next, Previous and Select first only show the ring (and say what
//     is focused) when it is not shown yet: a customer's first key never
//     moves anything. Then Next/Previous move the focus in reading
//     order, wrapping round, and Select taps the focused target.
//   - Back: on the cancel question "No, go back"; on the cabinet list
//     Close; in the search by name, Backspace erases the last letter
//     and any other Back key (or Backspace on an empty search) closes
//     it; on the "are you still there?" warning "Yes" (never the
//     warning's immediate cancel); elsewhere the screen's Cancel button,
//     which asks first. Nothing where the screen has no way back (the
//     welcome, paying, releasing, the receipt).
//   - Help: the Help button; where the screen has none, the call for
//     help itself (the checkout refuses it where it does not apply, and
//     the banner says so).
func (s *Screen) Key(a KeyAction, ev *fyne.KeyEvent) {
	if !s.keypadOn() || s.askingReceipt() {
		if ev != nil {
			s.TypedKey(ev)
		}
		return
	}
	switch a {
	case KeyNext, KeyPrevious, KeySelect:
		if !s.keys.shown || s.keys.focused == nil {
			s.showFocus()
			return
		}
		switch a {
		case KeyNext:
			s.moveFocus(+1)
		case KeyPrevious:
			s.moveFocus(-1)
		default:
			if t, ok := s.keys.focused.(fyne.Tappable); ok && focusable(s.keys.focused) {
				t.Tapped(&fyne.PointEvent{})
			}
		}
	case KeyBack:
		s.keyBack(ev)
	case KeyHelp:
		if b := s.buttonLabelled(s.t(mHelp)); b != nil {
			b.Tapped(&fyne.PointEvent{})
		} else if s.view.Help.IsZero() {
			s.run(s.k.Help)
		}
	}
}

// showFocus shows the ring where the focus is (or on the screen's
// primary target) and says it.
func (s *Screen) showFocus() {
	ts := s.focusTargets()
	i := indexOf(ts, s.keys.focused)
	if i < 0 {
		i = primary(ts)
	}
	if i < 0 {
		return
	}
	s.focusAt(ts, i)
}

func (s *Screen) keyBack(ev *fyne.KeyEvent) {
	switch {
	case s.searchShown() && ev != nil && ev.Name == fyne.KeyBackspace && len(s.query) > 0:
		s.typeKey('\b') // a keyboard's Backspace erases in the search
	case s.searchShown():
		s.closeSearch()
	case s.askingCancel:
		s.askingCancel = false
		s.redraw()
	case s.cabinet && (s.view.State == kiosk.Idle || s.view.State == kiosk.Shopping):
		s.openCabinet(false)
	case s.view.State == kiosk.TimeoutWarning:
		s.k.Touch()
	default:
		if b := s.buttonLabelled(s.t(mCancelSale)); b != nil {
			b.Tapped(&fyne.PointEvent{})
		}
	}
}

// buttonLabelled is the visible, enabled button labelled text, or nil.
func (s *Screen) buttonLabelled(text string) *widget.Button {
	for _, t := range s.focusTargets() {
		if b, ok := t.obj.(*widget.Button); ok && oneLine(b.Text) == text {
			return b
		}
	}
	return nil
}

// keyDigit is a digit typed on a customer screen. No customer screen
// takes a number (the staff's PIN pad and receipt number do, in
// TypedRune), so digits choose by position, as on a phone keypad's
// 1 2 3 / … / 0: 1–9 focus the first to ninth product of the cabinet
// list when it is shown, else the screen's first to ninth choice in
// reading order (the header's language button not counted); 0 is the
// tenth. A digit only focuses (and says what it focused); Select then
// does it, so a mistyped digit costs nothing.
func (s *Screen) keyDigit(r rune) {
	if r < '0' || r > '9' {
		return
	}
	n := int(r - '0')
	if n == 0 {
		n = 10
	}
	ts := s.focusTargets()
	var rows, body []int
	for i, t := range ts {
		if r, ok := t.obj.(*productRow); ok && !r.Disabled() {
			rows = append(rows, i)
		}
		if t.body {
			body = append(body, i)
		}
	}
	pick := body
	if len(rows) > 0 {
		pick = rows
	}
	if n > len(pick) {
		return
	}
	s.focusAt(ts, pick[n-1])
}
