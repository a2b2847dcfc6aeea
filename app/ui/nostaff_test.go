package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// Issue 10, item 3: no staff action is reachable from any customer screen
// without a session. The walk below renders every customer screen, taps
// everything tappable on it, and again on every screen a tap leads to (the
// cabinet list, the cancel question, the other language …), each time
// from a fresh screen, and checks that the kiosk heard only customer
// commands and that no staff text was ever shown.

// walkStart is a customer screen to start a walk from.
type walkStart struct {
	name  string
	view  kiosk.View
	depth int // how many taps deep to walk; 0: until no new screen
}

// customerStarts is every customer screen: every state, with and without
// a basket, with a call for help open, and with each notice. Each view
// also carries what only staff may see (the queue, the devices, today's
// counts), which must stay unseen without a session. A notice is a banner
// with nothing to tap, so a screen with one is walked one tap deep:
// everything on it is tapped, and what lies beyond is walked in full from
// the same screen without the notice.
func customerStarts(t *testing.T) []walkStart {
	d := mustDemo(t)
	var out []walkStart
	add := func(name string, v kiosk.View, depth int) {
		v = staffStatus(v)
		v.Staff = nil
		out = append(out, walkStart{name, v, depth})
	}
	for _, st := range kiosk.States() {
		v := d.views()[st]
		add(st.String(), v, 0)
		empty := v
		empty.Lines, empty.Count, empty.Total, empty.VAT, empty.Release = nil, 0, 0, nil, nil
		add(st.String()+"/no basket", empty, 0)
		add(st.String()+"/help", withHelp(v), 0)
		add(st.String()+"/training", withTraining(v), 1)
		for n := kiosk.Notice(1); n < 255; n++ {
			if n.String() == "Notice(?)" {
				continue
			}
			nv := v
			nv.Notice, nv.NoticeArg = n, "7039990000113"
			add(fmt.Sprintf("%v/%v", st, n), nv, 1)
		}
	}
	return out
}

// staffTexts are texts only the staff screens show, in every language:
// none may appear on a customer screen.
func staffOnlyTexts() []string {
	var out []string
	for _, lang := range Languages() {
		for _, m := range overrideMsgs {
			out = append(out, tr(lang, m))
		}
		for _, m := range reasonMsgs {
			out = append(out, tr(lang, m))
		}
		for _, m := range []msg{mLogout, mPINTitle, mPINFor, mStaffChoose, mStaffLater, mStaffQueue,
			mStaffDevices, mStaffToday, mStaffSale} {
			out = append(out, tr(lang, m))
		}
	}
	return out
}

// walker explores the screens reachable by taps from one start.
type walker struct {
	t         *testing.T
	start     kiosk.View
	forbidden []string
	taps      int             // taps made
	screens   map[string]bool // the screens seen, by signature
	heard     map[string]bool // the commands the kiosk got
	staff     []string        // what was found of staff's: commands heard, texts shown
	all       bool            // walk on after finding staff's
	depth     int             // how many taps deep; 0: no limit
}

// tappables is everything a finger can tap on w, in the order shown.
func tappables(w fyne.Window) []fyne.Tappable {
	var out []fyne.Tappable
	for _, o := range visible(w.Canvas().Content()) {
		if tp, ok := o.(fyne.Tappable); ok {
			out = append(out, tp)
		}
	}
	return out
}

// replay renders the start on a fresh screen and taps the path there,
// checking after each tap; it returns the screen's window.
func (wk *walker) replay(path []int) fyne.Window {
	t := wk.t
	t.Helper()
	k := newFakeKiosk(wk.start)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	done := make(chan struct{}, 1)
	s.onStaffRun = func() { done <- struct{}{} }
	wk.check(w, k, path)
	for i, p := range path {
		ts := tappables(w)
		if p >= len(ts) {
			t.Fatalf("path %v: step %d taps %d of %d: the screens are not deterministic", path, i, p, len(ts))
		}
		started := s.slowRuns
		test.Tap(ts[p])
		wk.taps++
		if s.slowRuns > started { // a slow command: wait for it to land
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("path %v: a slow command never finished", path)
			}
		}
		wk.check(w, k, path[:i+1])
	}
	return w
}

// check fails the test for a staff command heard or a staff text shown.
func (wk *walker) check(w fyne.Window, k *fakeKiosk, path []int) {
	t := wk.t
	t.Helper()
	for _, c := range k.Calls() {
		name, _, _ := strings.Cut(c, " ")
		wk.heard[name] = true
		if !customerCommands[name] {
			wk.staff = append(wk.staff, fmt.Sprintf("after taps %v the kiosk heard %q", path, c))
		}
	}
	if k.customerTouches() > 0 {
		wk.heard["Touch"] = true
	}
	if n := k.staffTouches(); n > 0 {
		wk.staff = append(wk.staff, fmt.Sprintf("after taps %v the kiosk heard StaffTouch %d times", path, n))
	}
	for _, text := range texts(w) {
		for _, f := range wk.forbidden {
			if strings.Contains(text, f) {
				wk.staff = append(wk.staff, fmt.Sprintf("after taps %v the screen shows %q (staff's %q)", path, text, f))
			}
		}
	}
}

// signature tells screens apart: their texts, which tappables are
// disabled, and the PIN pad's dots.
func signature(w fyne.Window) string {
	if hasText(w, tr(LangNorwegian, mSearchTitle)) || hasText(w, tr(LangEnglish, mSearchTitle)) {
		return "search" // what is typed makes endless screens of customer commands only
	}
	var b strings.Builder
	for _, s := range texts(w) {
		if s == tr(LangNorwegian, mLargeTextOff) || s == tr(LangEnglish, mLargeTextOff) ||
			s == tr(LangNorwegian, mLargeTextOn) || s == tr(LangEnglish, mLargeTextOn) ||
			strings.HasPrefix(s, tr(LangNorwegian, mAdded, "")) || strings.HasPrefix(s, tr(LangEnglish, mAdded, "")) {
			continue // large text, or "added": the same screen, with the same taps
		}
		b.WriteString(s + "\x00")
	}
	for _, tp := range tappables(w) {
		if d, ok := tp.(fyne.Disableable); ok && d.Disabled() {
			b.WriteString("|d")
		} else {
			b.WriteString("|e")
		}
	}
	fmt.Fprintf(&b, "|%d", dots(w))
	return b.String()
}

// walk taps everything on every screen reachable from the start.
func (wk *walker) walk() {
	queue := [][]int{nil}
	for len(queue) > 0 && (wk.all || len(wk.staff) == 0) {
		path := queue[0]
		queue = queue[1:]
		w := wk.replay(path)
		sig := signature(w)
		if wk.screens[sig] {
			continue
		}
		wk.screens[sig] = true
		if wk.depth > 0 && len(path) >= wk.depth {
			continue
		}
		for i := range tappables(w) {
			queue = append(queue, append(append([]int(nil), path...), i))
		}
	}
}

func newWalker(t *testing.T, start kiosk.View) *walker {
	return &walker{t: t, start: start, forbidden: staffOnlyTexts(),
		screens: map[string]bool{}, heard: map[string]bool{}}
}

// TestNoStaffActionWithoutSession walks every customer screen (View.Staff
// nil) and taps every button and row on it and on every screen the taps
// lead to: the kiosk must hear only customer commands, and no staff text
// (an override, a reason, Logg ut, the PIN pad, the staff screen's
// sections) may show. It also checks that the walk reaches the cabinet
// list, the cancel question and the other language, and makes the
// customer's commands, so a walk that taps nothing cannot pass.
func TestNoStaffActionWithoutSession(t *testing.T) {
	starts := customerStarts(t)
	heard, screens, taps := map[string]bool{}, map[string]bool{}, 0
	for _, st := range starts {
		t.Run(st.name, func(t *testing.T) {
			newTestApp(t)
			wk := newWalker(t, st.view)
			wk.depth = st.depth
			wk.walk()
			for _, f := range wk.staff {
				t.Errorf("staff reachable without a session: %s", f)
			}
			for c := range wk.heard {
				heard[c] = true
			}
			for s := range wk.screens {
				screens[s] = true
			}
			taps += wk.taps
		})
	}
	for _, c := range []string{"Add", "SetQty", "Remove", "Pay", "Retry", "Cancel", "Help", "WithdrawHelp", "Touch", "FinishReceipt"} {
		if !heard[c] {
			t.Errorf("the walk never made %s: it does not reach every button", c)
		}
	}
	for _, want := range []string{"Lukk listen", "Vil du avbryte handelen?", "Welcome!", "Trekk tilbake anropet"} {
		found := false
		for s := range screens {
			found = found || strings.Contains(s, want)
		}
		if !found {
			t.Errorf("the walk never reached a screen showing %q", want)
		}
	}
	t.Logf("%d starts, %d screens, %d taps", len(starts), len(screens), taps)
}

// TestWalkFindsStaffActions: the same walk over the PIN pad and the staff
// screen hears the staff commands and sees the staff texts there, so the
// walk above would catch a staff button or text on a customer screen.
func TestWalkFindsStaffActions(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct {
		name  string
		view  kiosk.View
		depth int
		want  []string // staff commands the walk must hear
	}{
		{"PIN pad", pinView(d.shopping()), 1, []string{"StaffCancelLogin"}},
		{"staff screen", d.ageCheckStaff(), 2, []string{"Override", "StaffLogout"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			wk := newWalker(t, c.view)
			wk.all, wk.depth = true, c.depth
			wk.walk()
			for _, cmd := range c.want {
				if !wk.heard[cmd] {
					t.Errorf("the walk never heard %s; it heard %v", cmd, wk.heard)
				}
			}
			shown := false
			for _, f := range wk.staff {
				shown = shown || strings.Contains(f, "the screen shows")
			}
			if !shown {
				t.Error("the walk saw no staff text on a staff screen")
			}
			t.Logf("%d screens, %d taps", len(wk.screens), wk.taps)
		})
	}
}
