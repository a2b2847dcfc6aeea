package ui

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// The keypad focus (issue 14 item 2; EN 301 549 clause 5.1 closed
// functionality, 5.1.6.1 operation without keyboard interface: a
// customer who cannot see or reach the touchscreen works every customer
// screen with a tactile keypad).
//
// Why not Fyne's own focus manager (canvas.Focus/FocusNext): Fyne sends
// every key to the focused widget instead of the canvas's key handler,
// so a focused widget.Button would swallow the keypad's keys (it knows
// only Space); its order is the object tree's, not reading order (a
// Border lists its centre before its top); and its look is a
// background blend with theme.ColorNameFocus, which on this theme paints
// a Medium button dark blue under black text and does not change a
// High one at all. So the screen keeps its own focus: one of the
// targets it shows, moved in reading order, drawn as a thick two-tone
// ring (ringColours, ≥ 3:1 against every surface, TestFocusRingContrast),
// and the window's canvas keeps no Fyne focus.
//
// A target is any visible, enabled, tappable widget reachable from the
// screen's root through containers and scroll containers: buttons and
// the cabinet list's rows, and whatever the other screens add.

// focusTarget is a target as laid out now.
type focusTarget struct {
	obj    fyne.CanvasObject
	pos    fyne.Position // in the root's coordinates
	body   bool          // in the screen's body (not the header or a banner)
	scroll *container.Scroll
	// In a scroll: where the scroll is in the root's coordinates, and
	// where the target is in its content, whatever is scrolled into view.
	scrollPos, inner fyne.Position
}

// screenKey tells one customer screen from another: a change of it puts
// the focus on the new screen's primary action.
type screenKey struct {
	state   kiosk.State
	asking  bool // the cancel question
	cabinet bool // the cabinet list
	help    bool // a help call is open (the Help button is disabled)
}

// focusMemo finds the focused target again after its row was rebuilt
// (a basket line's + makes a new row): the same text at the same
// occurrence, else the same place in the order.
type focusMemo struct {
	text  string
	nth   int
	index int
}

// keypad is the Screen's focus state. It runs on the Fyne goroutine.
type keypad struct {
	shown   bool // a key was pressed: the ring is drawn
	focused fyne.CanvasObject
	memo    focusMemo
	screen  screenKey
	seen    bool

	// The screen left for this one and its focus: coming straight back
	// (No on the cancel question, Yes on the warning, closing the list)
	// puts the focus back where the customer was.
	back     screenKey
	backMemo focusMemo
	hasBack  bool

	layer        *fyne.Container // the ring, in the root while shown
	outer, inner *canvas.Rectangle
	onFocus      func(text string)
}

// Ring sizes in Fyne units: the inner band (2) lies right round the
// target, the outer (4) round that: 6 in all, inside the 8 of padding
// between two buttons, so the ring never covers a neighbour (WCAG 2.2
// SC 2.4.13 asks for at least a 2 px perimeter at 3:1).
const (
	ringOuter float32 = 4
	ringInner float32 = 2
)

// ringColours are the ring's two bands, outer then inner: whatever a
// target sits on, one of them contrasts with it (TestFocusRingContrast).
func ringColours() (outer, inner fyne.ThemeColorName) {
	return theme.ColorNameForeground, theme.ColorNameBackground
}

// SetOnFocus sets fn, called on the Fyne goroutine with the text of the
// target a key focused (the narrator says it).
func (s *Screen) SetOnFocus(fn func(text string)) { s.keys.onFocus = fn }

// FocusedText is what the focused target says (its label) while the
// ring shows, "" otherwise.
func (s *Screen) FocusedText() string {
	if !s.keys.shown || s.keys.focused == nil {
		return ""
	}
	return targetText(s.keys.focused)
}

// Focused is the target the keypad focus is on (nil: none), and
// whether the ring is drawn.
func (s *Screen) Focused() (fyne.CanvasObject, bool) { return s.keys.focused, s.keys.shown }

// keypadOn is whether keypad navigation works on the screen shown: the
// customer's screens. The staff's PIN pad and staff screen keep their
// own keys (TypedKey).
func (s *Screen) keypadOn() bool { return s.staffPhase() == 0 }

// refocus runs after every redraw: a new screen gets its focus, a
// screen updated in place keeps it (or its replacement), and the ring
// follows.
func (s *Screen) refocus() {
	k := &s.keys
	if !s.keypadOn() {
		k.focused = nil
		s.drawRing(nil)
		return
	}
	key := screenKey{s.view.State, s.askingCancel, s.cabinet, !s.view.Help.IsZero()}
	if k.seen && key != k.screen && key.state == kiosk.Idle && k.screen.state != kiosk.Idle {
		k.shown = false // a new customer: the ring comes with their first key
	}
	if !k.shown {
		// Touch only so far: nothing to track (the first key finds the
		// screen's primary target), and a redraw per scan costs nothing.
		k.screen, k.seen, k.hasBack, k.focused = key, true, false, nil
		s.drawRing(nil)
		return
	}
	ts := s.focusTargets()
	switch {
	case !k.seen || key != k.screen:
		old, oldMemo := k.screen, k.memo
		if k.seen && k.hasBack && key == k.back {
			k.setFocus(ts, findMemo(ts, k.backMemo))
		} else {
			k.setFocus(ts, primary(ts))
		}
		k.back, k.backMemo, k.hasBack = old, oldMemo, k.seen
		k.screen, k.seen = key, true
	default:
		i := indexOf(ts, k.focused)
		if i < 0 {
			i = findMemo(ts, k.memo)
		}
		k.setFocus(ts, i)
	}
	s.drawRing(ts)
}

// setFocus focuses ts[i] (none when i is out of range).
func (k *keypad) setFocus(ts []focusTarget, i int) {
	if i < 0 || i >= len(ts) {
		k.focused, k.memo = nil, focusMemo{}
		return
	}
	k.focused = ts[i].obj
	k.memo = memoOf(ts, i)
}

func memoOf(ts []focusTarget, i int) focusMemo {
	m := focusMemo{text: targetText(ts[i].obj), index: i}
	for _, t := range ts[:i] {
		if targetText(t.obj) == m.text {
			m.nth++
		}
	}
	return m
}

// findMemo is the target m describes: the same text at the same
// occurrence, else the same place (the last when fewer), else -1.
func findMemo(ts []focusTarget, m focusMemo) int {
	if len(ts) == 0 {
		return -1
	}
	n := 0
	for i, t := range ts {
		if targetText(t.obj) == m.text {
			if n == m.nth {
				return i
			}
			n++
		}
	}
	return min(m.index, len(ts)-1)
}

func indexOf(ts []focusTarget, o fyne.CanvasObject) int {
	if o == nil {
		return -1
	}
	for i, t := range ts {
		if t.obj == o {
			return i
		}
	}
	return -1
}

// primary is where a new screen puts the focus: the first choice of a
// list (the cabinet list's first product), else the screen's primary
// action (its High importance button: Pay, Yes, No-go-back, Retry,
// Done), else the body's first target, else the first of all (the
// language button: a screen with nothing to do still shows the focus).
func primary(ts []focusTarget) int {
	for i, t := range ts {
		if r, ok := t.obj.(*productRow); ok && !r.Disabled() {
			return i
		}
	}
	for i, t := range ts {
		if b, ok := t.obj.(*widget.Button); ok && t.body && b.Importance == widget.HighImportance {
			return i
		}
	}
	for i, t := range ts {
		if t.body {
			return i
		}
	}
	if len(ts) > 0 {
		return 0
	}
	return -1
}

// focusable is whether o takes the keypad focus.
func focusable(o fyne.CanvasObject) bool {
	if _, ok := o.(*touchArea); ok { // the warning's "tap anywhere": any key counts already
		return false
	}
	if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
		return false
	}
	_, tap := o.(fyne.Tappable)
	_, w := o.(fyne.Widget)
	return tap && w
}

// targetText is what a target says: a button's label, a row's name and
// price.
func targetText(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Button:
		return oneLine(x.Text)
	case *productRow:
		return x.name + ", " + x.price
	case *widget.Check:
		return x.Text
	case *widget.Hyperlink:
		return x.Text
	case *widget.Entry:
		if x.Text != "" {
			return x.Text
		}
		return x.PlaceHolder
	}
	return ""
}

// focusTargets lists the screen's targets in reading order.
func (s *Screen) focusTargets() []focusTarget {
	var out []focusTarget
	var walk func(o fyne.CanvasObject, pos fyne.Position, body bool, sc *container.Scroll, scPos, inner fyne.Position)
	walk = func(o fyne.CanvasObject, pos fyne.Position, body bool, sc *container.Scroll, scPos, inner fyne.Position) {
		if o == nil || !o.Visible() || o == s.keys.layer {
			return
		}
		if o == fyne.CanvasObject(s.body) {
			body = true
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, ch := range x.Objects {
				walk(ch, pos.Add(ch.Position()), body, sc, scPos, inner.Add(ch.Position()))
			}
			return
		case *container.Scroll:
			if x.Content != nil && sc == nil { // the outermost scroll orders its content
				walk(x.Content, pos.Add(x.Content.Position()), body, x, pos, fyne.Position{})
			} else if x.Content != nil {
				walk(x.Content, pos.Add(x.Content.Position()), body, sc, scPos, inner.Add(x.Content.Position()).Add(x.Offset))
			}
			return
		}
		if focusable(o) {
			out = append(out, focusTarget{obj: o, pos: pos, body: body, scroll: sc, scrollPos: scPos, inner: inner})
		}
	}
	walk(s.root, fyne.Position{}, false, nil, fyne.Position{}, fyne.Position{})
	readingOrder(out)
	return out
}

// readingOrder sorts targets as a page is read: lines from the top, and
// along each line from the left. A target whose top is above the middle
// of a line's first target is on that line (buttons of different heights
// in one row share a line). The targets in a scroll (the basket, the
// lists) are read together where the scroll is, in their own reading
// order as if it were not scrolled: what is scrolled into view changes
// nothing, and a long basket's lines never fall among the buttons under
// it.
func readingOrder(ts []focusTarget) {
	// One entry per target outside a scroll and per scroll.
	type entry struct {
		pos fyne.Position
		h   float32
		ts  []focusTarget
	}
	var es []entry
	at := map[*container.Scroll]int{}
	for _, t := range ts {
		if t.scroll == nil {
			es = append(es, entry{pos: t.pos, h: t.obj.Size().Height, ts: []focusTarget{t}})
			continue
		}
		i, ok := at[t.scroll]
		if !ok {
			i = len(es)
			at[t.scroll] = i
			es = append(es, entry{pos: t.scrollPos, h: t.scroll.Size().Height})
		}
		es[i].ts = append(es[i].ts, t)
	}
	lines(es, func(e entry) (fyne.Position, float32) { return e.pos, e.h })
	out := ts[:0:0]
	for _, e := range es {
		if len(e.ts) > 1 {
			lines(e.ts, func(t focusTarget) (fyne.Position, float32) { return t.inner, t.obj.Size().Height })
		}
		out = append(out, e.ts...)
	}
	copy(ts, out)
}

// lines sorts xs, each at a position with a height, into reading order.
func lines[T any](xs []T, at func(T) (fyne.Position, float32)) {
	sort.SliceStable(xs, func(i, j int) bool {
		a, _ := at(xs[i])
		b, _ := at(xs[j])
		return a.Y < b.Y
	})
	for start := 0; start < len(xs); {
		p, h := at(xs[start])
		mid := p.Y + h/2
		end := start + 1
		for end < len(xs) {
			q, _ := at(xs[end])
			if q.Y >= mid {
				break
			}
			end++
		}
		line := xs[start:end]
		sort.SliceStable(line, func(i, j int) bool {
			a, _ := at(line[i])
			b, _ := at(line[j])
			return a.X < b.X
		})
		start = end
	}
}

// moveFocus moves the focus by step (+1 next, -1 previous) in reading
// order; past the last it wraps to the first, so nothing traps it.
func (s *Screen) moveFocus(step int) {
	ts := s.focusTargets()
	if len(ts) == 0 {
		s.keys.setFocus(ts, -1)
		s.drawRing(ts)
		return
	}
	i := indexOf(ts, s.keys.focused)
	switch {
	case i < 0 && step > 0:
		i = 0
	case i < 0:
		i = len(ts) - 1
	default:
		i = (i + step + len(ts)) % len(ts)
	}
	s.focusAt(ts, i)
}

// focusAt focuses ts[i], shows the ring and says what it is.
func (s *Screen) focusAt(ts []focusTarget, i int) {
	s.keys.setFocus(ts, i)
	s.keys.shown = true
	s.scrollTo(ts, i)
	s.drawRing(s.focusTargets())
	s.sayFocus()
}

func (s *Screen) sayFocus() {
	if s.keys.onFocus != nil && s.keys.focused != nil {
		s.keys.onFocus(targetText(s.keys.focused))
	}
}

// scrollTo scrolls ts[i]'s scroll container, if any, so that it shows.
func (s *Screen) scrollTo(ts []focusTarget, i int) {
	t := ts[i]
	if t.scroll == nil || t.scroll.Content == nil {
		return
	}
	at := t.scrollPos     // the scroll's own position in the root, as focusTargets found it
	top := t.pos.Y - at.Y // within the visible area
	h, view := t.obj.Size().Height, t.scroll.Size().Height
	off := t.scroll.Offset
	switch {
	case top < 0:
		off.Y += top
	case top+h > view:
		off.Y += top + h - view
	default:
		return
	}
	t.scroll.ScrollToOffset(off)
}

// drawRing draws the ring around the focused target (ts as laid out
// now), or takes it away while the ring is not shown. The ring is in
// the root only while shown, so a touch-only screen is exactly as
// before.
func (s *Screen) drawRing(ts []focusTarget) {
	k := &s.keys
	i := indexOf(ts, k.focused)
	if !k.shown || i < 0 {
		if k.layer != nil && s.removeFromRoot(k.layer) {
			s.root.Refresh()
		}
		return
	}
	if k.layer == nil {
		on, in := ringColours()
		k.outer = canvas.NewRectangle(nil)
		k.outer.StrokeColor, k.outer.StrokeWidth = theme.Color(on), ringOuter
		k.inner = canvas.NewRectangle(nil)
		k.inner.StrokeColor, k.inner.StrokeWidth = theme.Color(in), ringInner
		k.outer.CornerRadius, k.inner.CornerRadius = 12, 10 // round the buttons' 8
		k.layer = container.NewWithoutLayout(k.outer, k.inner)
	}
	if !s.inRoot(k.layer) {
		s.root.Objects = append(s.root.Objects, k.layer)
		s.root.Refresh() // lays the layer out (the root's Border puts it in the centre)
	}
	t := ts[i]
	p := t.pos.Subtract(k.layer.Position())
	sz := t.obj.Size()
	innerAt := p.SubtractXY(ringInner, ringInner)
	k.inner.Move(innerAt)
	k.inner.Resize(sz.AddWidthHeight(2*ringInner, 2*ringInner))
	k.outer.Move(innerAt.SubtractXY(ringOuter, ringOuter))
	k.outer.Resize(k.inner.Size().AddWidthHeight(2*ringOuter, 2*ringOuter))
	k.outer.Refresh()
	k.inner.Refresh()
}

func (s *Screen) inRoot(o fyne.CanvasObject) bool {
	for _, x := range s.root.Objects {
		if x == o {
			return true
		}
	}
	return false
}

func (s *Screen) removeFromRoot(o fyne.CanvasObject) bool {
	for i, x := range s.root.Objects {
		if x == o {
			s.root.Objects = append(s.root.Objects[:i], s.root.Objects[i+1:]...)
			return true
		}
	}
	return false
}
