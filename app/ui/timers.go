package ui

// Time that adapts on the customer screens (issue 14 item 4; the kiosk's
// side is kiosk/checkout_timers.go):
//
//   - every tap on the customer screen (any button, a tobacco row, the
//     language toggle, a scroll of the basket or the list) and every key
//     reports the customer's activity through one path, Screen.activity,
//     to Kiosk.Touch: the inactivity timer starts again;
//   - the warning counts down (View.WarningLeft), offers "Jeg trenger mer
//     tid" while View.ExtendsLeft is above zero and says so when it is
//     not, and says when the time is paused for staff;
//   - the declined screen offers "Prøv igjen", "Annet kort" and "Hjelp"
//     with the basket kept;
//   - the paying screen has Cancel and Help at once, however long the
//     terminal takes.

import (
	"time"
	"weak"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// timersUI is the Screen's state for time that adapts.
type timersUI struct {
	// hooked are the widgets whose taps already report activity, held
	// weakly: a widget gone from every screen is forgotten with it, and
	// one that comes back (the basket screen is kept while the warning
	// shows) is not hooked twice.
	hooked map[any]struct{}
	walks  int
	warn   *warnScreen
}

// activity tells the checkout the customer is there. Staff's screens
// have their own idle time (Kiosk.StaffTouch).
func (s *Screen) activity() {
	if s.staffPhase() != 0 {
		return
	}
	s.k.Touch()
}

// hookActivity makes every tappable or scrollable widget on the customer
// screen report activity after its own action: run after each redraw, so
// a widget any screen adds (now or later) is covered without its own
// call. Keys come through TypedKey and TypedRune.
func (s *Screen) hookActivity() {
	if s.tm.hooked == nil {
		s.tm.hooked = map[any]struct{}{}
	}
	s.walkHook(s.root)
	if s.tm.walks++; s.tm.walks%64 == 0 {
		s.pruneHooked()
	}
}

func (s *Screen) walkHook(o fyne.CanvasObject) {
	switch x := o.(type) {
	case nil:
	case *fyne.Container:
		for _, c := range x.Objects {
			s.walkHook(c)
		}
	case *container.Scroll:
		s.walkHook(x.Content)
		if s.hookOnce(weak.Make(x)) {
			f := x.OnScrolled
			x.OnScrolled = func(p fyne.Position) {
				if f != nil {
					f(p)
				}
				s.activity()
			}
		}
	case *widget.Button:
		if s.hookOnce(weak.Make(x)) {
			x.OnTapped = s.thenActivity(x.OnTapped)
		}
	case *productRow:
		if s.hookOnce(weak.Make(x)) {
			x.onTapped = s.thenActivity(x.onTapped)
		}
	case *touchArea:
		if s.hookOnce(weak.Make(x)) {
			x.onTapped = s.thenActivity(x.onTapped)
		}
	case *widget.Entry:
		if s.hookOnce(weak.Make(x)) {
			f := x.OnChanged
			x.OnChanged = func(t string) {
				if f != nil {
					f(t)
				}
				s.activity()
			}
		}
	}
}

// hookOnce reports whether the widget behind key is not hooked yet, and
// notes it hooked.
func (s *Screen) hookOnce(key any) bool {
	if _, ok := s.tm.hooked[key]; ok {
		return false
	}
	s.tm.hooked[key] = struct{}{}
	return true
}

// pruneHooked forgets the widgets that are gone.
func (s *Screen) pruneHooked() {
	for k := range s.tm.hooked {
		gone := false
		switch p := k.(type) {
		case weak.Pointer[container.Scroll]:
			gone = p.Value() == nil
		case weak.Pointer[widget.Button]:
			gone = p.Value() == nil
		case weak.Pointer[productRow]:
			gone = p.Value() == nil
		case weak.Pointer[touchArea]:
			gone = p.Value() == nil
		case weak.Pointer[widget.Entry]:
			gone = p.Value() == nil
		}
		if gone {
			delete(s.tm.hooked, k)
		}
	}
}

// thenActivity is f followed by the activity report.
func (s *Screen) thenActivity(f func()) func() {
	return func() {
		if f != nil {
			f()
		}
		s.activity()
	}
}

// timersPaused: the customer's timers wait for staff.
func (s *Screen) timersPaused() bool { return !s.view.Help.IsZero() || s.view.Staff != nil }

// warnScreen is the warning as built; the countdown is updated in place
// each second, so a keypad's focus stays where it is.
type warnScreen struct {
	key  warnKey
	root fyne.CanvasObject
	left *widget.Label
}

// warnKey is what the warning's layout depends on.
type warnKey struct {
	lang   string
	more   bool // the customer can still ask for more time
	paused bool
}

// TimeoutWarning: "are you still there?", the time left, "I need more
// time" (or that no more can be given) and Cancel. Any tap counts.
func (s *Screen) timeoutWarning() fyne.CanvasObject {
	k := warnKey{s.lang, s.view.ExtendsLeft > 0, s.timersPaused()}
	if w := s.tm.warn; w == nil || w.key != k {
		s.tm.warn = s.newWarnScreen(k)
	}
	s.tm.warn.left.SetText(s.warnLeftText())
	return s.tm.warn.root
}

func (s *Screen) newWarnScreen(k warnKey) *warnScreen {
	w := &warnScreen{key: k, left: subheading("")}
	w.left.TextStyle.Bold = true
	touch := func() { s.k.Touch() }
	var ask, choice fyne.CanvasObject
	if k.more {
		ask = body(s.t(mMoreTimeHint))
		choice = targetRow(tbutton(s.t(mMoreTime), widget.HighImportance, 360, PrimaryTouch, touch), s.helpButton(), s.cancelButton())
	} else {
		ask = body(s.t(mNoMoreTime))
		choice = targetRow(s.helpButton(), s.cancelButton())
	}
	w.root = container.NewStack(
		newTouchArea(touch),
		bottomed(choice,
			heading(s.t(mStillThere)),
			w.left,
			ask,
		))
	return w
}

// warnLeftText is the countdown: whole seconds, rounded up.
func (s *Screen) warnLeftText() string {
	if s.timersPaused() {
		return s.t(mWarnPaused)
	}
	left := s.view.WarningLeft
	if left <= 0 {
		return ""
	}
	secs := int((left + time.Second - 1) / time.Second)
	if secs == 1 {
		return s.t(mWarnLeftOne)
	}
	return s.t(mWarnLeft, secs)
}

// declinedActions are the declined screen's choices: try again, another
// card (the terminal asks for a card again), help; and cancel.
func (s *Screen) declinedActions() fyne.CanvasObject {
	retry := func() { s.run(s.k.Retry) }
	return targetRow(
		tbutton(s.t(mRetry), widget.HighImportance, 240, PrimaryTouch, retry),
		tbutton(s.t(mOtherCard), widget.HighImportance, 240, PrimaryTouch, retry),
		s.helpButton(),
		s.cancelButton())
}

// payingActions are Cancel and Help while the terminal has the payment:
// there at once, whatever the terminal does. Cancel asks the terminal to
// abort; once asked, or while the kiosk checks whether the card was
// charged, only Help is offered.
func (s *Screen) payingActions() fyne.CanvasObject {
	switch s.view.Notice {
	case kiosk.NoticeAborting, kiosk.NoticeTerminalSilent:
		return targetRow(s.helpButton())
	}
	return targetRow(s.cancelButton(), s.helpButton())
}
