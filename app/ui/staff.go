package ui

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// The staff screens (issue 10 items 2–4): while View.Staff is set, a
// staff badge was read and the kiosk's screen belongs to staff. Phase
// StaffPIN shows the PIN pad, StaffSignedIn the staff screen: the
// overrides the session may make, one at a time with a reason, beside the
// devices, the assistance queue, today's counts and the customer's sale.
// Nothing here is reachable from a customer screen: without a badge
// View.Staff is nil and only Screen.build's customer screens are shown.

// staffPick is the override being chosen on the staff screen: its kind,
// then what it acts on where it needs that (a basket line, a
// compartment, a receipt), then a reason, which makes it.
type staffPick struct {
	kind    kiosk.OverrideKind // 0: none chosen yet
	line    kiosk.GTIN         // OvVoidLine
	comp    int                // OvOpenCompartment
	receipt uint64             // OvCopyReceipt
	typed   string             // OvCopyReceipt, OvReturn: the receipt number being typed
	ret     *returnPick        // OvReturn: the lines to take back (staff_return.go)
	qty     string             // OvReceiveStock: the quantity being typed (receiving.go)
}

// staffPhase is the staff screen shown, 0 for the customer's.
func (s *Screen) staffPhase() kiosk.StaffPhase {
	if st := s.view.Staff; st != nil && (st.Phase == kiosk.StaffPIN || st.Phase == kiosk.StaffSignedIn) {
		return st.Phase
	}
	return 0
}

// staffChanged resets the staff screens' state when the phase moved from
// prev: typed digits, a half-chosen override and old errors never outlive
// their screen. A log-in starts in the default language whatever the
// customer chose, and closes the customer's cancel question.
func (s *Screen) staffChanged(prev kiosk.StaffPhase) {
	now := s.staffPhase()
	if now == prev {
		s.dropStalePick()
		return
	}
	s.clearPIN()
	s.pick, s.refused, s.staffErr, s.staffBusy = staffPick{}, 0, nil, false
	if prev == 0 {
		s.staffLang = s.baseLang
		s.askingCancel = false
	}
}

// dropStalePick forgets a chosen override the view no longer offers, or
// a line no longer in the basket.
func (s *Screen) dropStalePick() {
	if s.pick.kind == 0 {
		return
	}
	if o, ok := s.option(s.pick.kind); !ok || !o.Available || !o.Permitted {
		s.pick = staffPick{}
		return
	}
	if s.pick.line != "" && !s.hasLine(s.pick.line) {
		s.pick.line = ""
	}
}

func (s *Screen) hasLine(g kiosk.GTIN) bool {
	for _, l := range s.view.Lines {
		if l.Product.GTIN == g {
			return true
		}
	}
	return false
}

// option is the staff screen's entry for kind.
func (s *Screen) option(kind kiosk.OverrideKind) (kiosk.OverrideOption, bool) {
	if s.view.Staff == nil {
		return kiosk.OverrideOption{}, false
	}
	for _, o := range s.view.Staff.Overrides {
		if o.Kind == kind {
			return o, true
		}
	}
	return kiosk.OverrideOption{}, false
}

func (s *Screen) clearPIN() {
	for i := range s.pin {
		s.pin[i] = 0
	}
	s.pin = s.pin[:0]
}

// redrawStaff draws the PIN pad or the staff screen.
func (s *Screen) redrawStaff() {
	st := s.view.Staff
	var extra []fyne.CanvasObject
	var b fyne.CanvasObject
	if s.staffPhase() == kiosk.StaffPIN {
		s.title.SetText(s.t(mPINTitle))
		b = s.pinPad()
	} else {
		s.title.SetText(s.t(mStaffTitle, st.Name, s.roleName(st.Role)))
		extra = append(extra, button(s.t(mLogout), widget.DangerImportance, 200, MinTouch, s.k.StaffLogout))
		b = s.staffScreen()
	}
	s.setHeaderExtra(extra...)

	var bs []fyne.CanvasObject
	for _, p := range s.staffProblems() {
		bs = append(bs, banner(p, theme.ColorNameError, theme.ColorNameForegroundOnError))
	}
	s.show(stripKey{body: "staff"}, bs, b)
}

// staffProblems is why the last staff step did not work: the role may
// not (pressed here), the kiosk's own account (View.Staff.Error), or
// else what the command returned.
func (s *Screen) staffProblems() []string {
	var out []string
	if s.refused != 0 {
		out = append(out, s.t(mStaffNotForRoleArg, s.overrideName(s.refused)))
	}
	if st := s.view.Staff; st.Error != kiosk.StaffErrNone {
		out = append(out, s.staffErrorText(st.Error, st.ErrorArg))
	} else if s.staffErr != nil {
		out = append(out, s.t(staffErrMsg(s.staffErr)))
	}
	return out
}

// staffErrMsgs are the texts of View.Staff.Error: bare, and with its
// argument.
var staffErrMsgs = map[kiosk.StaffError][2]msg{
	kiosk.StaffErrWrongPIN:      {mPINWrong, mPINWrongArg},
	kiosk.StaffErrLocked:        {mNoticeBadgeLocked, mNoticeBadgeLockedArg},
	kiosk.StaffErrNotPermitted:  {mStaffNotForRole, mStaffNotForRoleArg},
	kiosk.StaffErrNotNow:        {mStaffNotNow, mStaffNotNowArg},
	kiosk.StaffErrFailed:        {mStaffFailed, mStaffFailedArg},
	kiosk.StaffErrCopyMade:      {mStaffCopyMade, mStaffCopyMadeArg},
	kiosk.StaffErrNoReceipt:     {mStaffNoReceipt, mStaffNoReceiptArg},
	kiosk.StaffErrReceiptQueued: {mStaffReceiptQueued, mStaffReceiptQueuedArg},
}

func (s *Screen) staffErrorText(e kiosk.StaffError, arg string) string {
	m, ok := staffErrMsgs[e]
	if !ok {
		return s.t(mStaffFailed)
	}
	if arg == "" {
		return s.t(m[0])
	}
	switch e {
	case kiosk.StaffErrNotPermitted, kiosk.StaffErrNotNow:
		arg = s.overrideNamed(arg)
	case kiosk.StaffErrFailed:
		arg = s.deviceName(arg)
	}
	return s.t(m[1], arg)
}

// staffErrMsg is the text for an error a staff command returned when the
// view does not say why.
func staffErrMsg(err error) msg {
	switch {
	case errors.Is(err, kiosk.ErrWrongPIN):
		return mPINWrong
	case errors.Is(err, kiosk.ErrBadgeLocked):
		return mNoticeBadgeLocked
	case errors.Is(err, kiosk.ErrNotPermitted):
		return mStaffNotForRole
	case errors.Is(err, kiosk.ErrLater):
		return mStaffLater
	case errors.Is(err, kiosk.ErrNoSession):
		return mStaffNoSession
	case errors.Is(err, kiosk.ErrCopyMade):
		return mStaffCopyMade
	case errors.Is(err, kiosk.ErrReceiptQueued):
		return mStaffReceiptQueued
	case errors.Is(err, kiosk.ErrNotNow), errors.Is(err, kiosk.ErrNoTransition):
		return mStaffNotNow
	}
	return mStaffFailed
}

// runSlow runs a staff command that may take a while (argon2, the payment
// terminal) off the Fyne goroutine; the screen shows it is busy, and the
// result comes back on the Fyne goroutine.
func (s *Screen) runSlow(cmd func() error) {
	s.staffBusy, s.staffErr, s.refused = true, nil, 0
	s.slowRuns++
	s.redraw()
	go func() {
		err := cmd()
		fyne.Do(func() {
			s.staffBusy, s.staffErr, s.pick = false, err, staffPick{}
			if err != nil && s.onError != nil {
				s.onError(err)
			}
			s.redraw()
			if s.onStaffRun != nil {
				s.onStaffRun()
			}
		})
	}()
}

// The PIN pad.

// pinPad is the PIN pad: who is logging in, the digits typed as dots, and
// a phone-layout keypad (1 2 3 at the top) with erase and OK.
func (s *Screen) pinPad() fyne.CanvasObject {
	st := s.view.Staff
	if st.ID == "" {
		return s.staffPicker()
	}
	n := len(s.pin)
	key := func(label string, imp widget.Importance, enabled bool, tapped func()) fyne.CanvasObject {
		b := button(label, imp, 136, BigTouch, tapped)
		if !enabled || s.staffBusy {
			b.Objects[0].(*widget.Button).Disable()
		}
		return b
	}
	keys := container.NewGridWithColumns(3)
	digit := func(d byte) fyne.CanvasObject {
		return key(string(rune(d)), widget.MediumImportance, n < kiosk.MaxPINDigits, func() { s.pinDigit(d) })
	}
	for _, d := range []byte("123456789") {
		keys.Add(digit(d))
	}
	keys.Add(key(s.t(mPINErase), widget.MediumImportance, n > 0, s.pinErase))
	keys.Add(digit('0'))
	keys.Add(key(s.t(mPINOK), widget.HighImportance, n >= kiosk.MinPINDigits, s.submitPIN))

	status := body(s.t(mPINHint, kiosk.MinPINDigits, kiosk.MaxPINDigits))
	if s.staffBusy {
		status = body(s.t(mPINChecking))
	}
	info := middle(
		subheading(s.t(mPINFor)),
		heading(st.Name),
		status,
		centred(pinDots(n)),
		layout.NewSpacer(),
		centred(button(s.t(mPINCancel), widget.DangerImportance, 280, MinTouch, s.k.StaffCancelLogin)),
	)
	return container.NewBorder(nil, nil, nil, container.NewCenter(keys), info)
}

// pinDigit types digit d on the PIN pad.
func (s *Screen) pinDigit(d byte) {
	if len(s.pin) < kiosk.MaxPINDigits && !s.staffBusy {
		s.pin = append(s.pin, d)
		s.staffErr = nil
		s.k.StaffTouch()
		s.redraw()
	}
}

// pinErase takes the last digit off the PIN pad.
func (s *Screen) pinErase() {
	if len(s.pin) > 0 && !s.staffBusy {
		s.pin[len(s.pin)-1] = 0
		s.pin = s.pin[:len(s.pin)-1]
		s.k.StaffTouch()
		s.redraw()
	}
}

// TypedRune takes a key typed on a keyboard or keypad wired to the kiosk
// (the window's canvas hands them here): on the PIN pad, and where a
// receipt number is asked for, a digit is typed as if tapped. On the
// customer's screens a digit chooses by position (keyDigit, keypad.go),
// and in the search by name a letter or space is typed into it.
func (s *Screen) TypedRune(r rune) {
	s.activity() // any key is the customer's activity (timers.go)
	if (unicode.IsLetter(r) || r == ' ') && s.searchShown() {
		s.typeKey(unicode.ToUpper(r))
		return
	}
	if r < '0' || r > '9' {
		return
	}
	switch {
	case s.staffPhase() == kiosk.StaffPIN:
		s.pinDigit(byte(r))
	case s.askingReceipt():
		s.receiptDigit(byte(r))
	case s.askingQty():
		s.qtyDigit(byte(r))
	case s.keypadOn():
		s.keyDigit(r)
	}
}

// TypedKey takes a key typed on a keyboard or keypad: on the PIN pad,
// Backspace erases, Return or Enter is OK and Escape cancels the log-in;
// where a receipt number is asked for, Backspace and Return or Enter
// work as on the PIN pad.
func (s *Screen) TypedKey(e *fyne.KeyEvent) {
	s.activity()
	if s.receivingKey(e) {
		return
	}
	if s.askingReceipt() {
		switch e.Name {
		case fyne.KeyBackspace:
			s.receiptErase()
		case fyne.KeyReturn, fyne.KeyEnter:
			s.submitReceipt()
		}
		return
	}
	if s.staffPhase() != kiosk.StaffPIN {
		return
	}
	switch e.Name {
	case fyne.KeyBackspace:
		s.pinErase()
	case fyne.KeyReturn, fyne.KeyEnter:
		s.submitPIN()
	case fyne.KeyEscape:
		s.k.StaffCancelLogin()
	}
}

// staffPicker asks who is logging in, when the key switch (not a badge)
// opened the log-in: one button per active staff member, then the PIN.
func (s *Screen) staffPicker() fyne.CanvasObject {
	names := container.NewGridWithColumns(2)
	for _, c := range s.view.Staff.Choices {
		id := c.ID
		names.Add(button(c.Name, widget.MediumImportance, 0, BigTouch, func() {
			s.k.StaffTouch()
			s.run(func() error { return s.k.StaffChoose(id) })
		}))
	}
	return middle(
		heading(s.t(mPINWho)),
		container.NewVScroll(names),
		layout.NewSpacer(),
		centred(button(s.t(mPINCancel), widget.DangerImportance, 280, MinTouch, s.k.StaffCancelLogin)),
	)
}

// submitPIN hands the typed PIN to the kiosk and forgets it here.
func (s *Screen) submitPIN() {
	if len(s.pin) < kiosk.MinPINDigits || s.staffBusy {
		return
	}
	pin := string(s.pin)
	s.clearPIN()
	s.runSlow(func() error { return s.k.StaffPIN(pin) })
}

// pinDots shows n typed digits as filled circles in a box that has room
// for the longest PIN; the digits themselves are never shown.
func pinDots(n int) fyne.CanvasObject {
	const d, gap = 28, 16
	dots := container.NewHBox()
	for i := 0; i < n; i++ {
		c := canvas.NewCircle(theme.Color(theme.ColorNameForeground))
		dots.Add(atLeast(c, d, d))
		if i < n-1 {
			dots.Add(atLeast(layout.NewSpacer(), gap-theme.Padding(), d))
		}
	}
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	frame.StrokeWidth = theme.Size(theme.SizeNameInputBorder)
	frame.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	return atLeast(container.NewStack(frame, container.NewCenter(dots)), kiosk.MaxPINDigits*(d+gap)+2*gap, MinTouch+8)
}

// The staff screen.

// staffScreen is the staff screen: on the left the overrides (or the
// steps of the one being chosen), on the right what staff needs to know.
func (s *Screen) staffScreen() fyne.CanvasObject {
	status := container.NewThemeOverride(s.statusPanel(), compactTheme{Theme()})
	return container.NewBorder(nil, nil,
		container.NewHBox(atLeast(container.NewVScroll(s.overridePanel()), 560, 0), widget.NewSeparator()), nil,
		container.NewVScroll(container.NewPadded(status)))
}

// overridePanel is the step of choosing an override the screen is at.
func (s *Screen) overridePanel() fyne.CanvasObject {
	p := s.pick
	switch {
	case s.staffBusy:
		return middle(subheading(s.t(mStaffWorking, s.overrideName(p.kind))))
	case p.kind == 0:
		return s.overrideList()
	case p.kind == kiosk.OvVoidLine && p.line == "":
		return s.linePicker()
	case p.kind == kiosk.OvOpenCompartment && p.comp == 0:
		return s.compartmentPicker()
	case (p.kind == kiosk.OvCopyReceipt || p.kind == kiosk.OvReturn) && p.receipt == 0:
		return s.receiptPicker()
	case p.kind == kiosk.OvReturn && (p.ret == nil || p.ret.method == 0):
		return s.returnPanel()
	case p.kind == kiosk.OvReceiveStock:
		return s.receivingPanel()
	}
	return s.reasonPicker()
}

// section is a heading over a group of the staff screen.
func section(text string) fyne.CanvasObject {
	return leftLabel(text, theme.SizeNameText, true)
}

// small is a staff screen's line of status.
func small(text string) *widget.Label {
	l := leftLabel(text, theme.SizeNameCaptionText, false)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// overrideList offers every override: those that apply now to choose
// (one the role may not looks the same and says so when pressed: staff
// learn what their role is for where they look for it), those that do
// not apply now disabled, and those later work fills disabled under
// "comes later".
func (s *Screen) overrideList() fyne.CanvasObject {
	now := container.NewGridWithColumns(2)
	later := container.NewGridWithColumns(2)
	for _, o := range s.view.Staff.Overrides {
		if o.Kind.Later() {
			b := button(s.overrideName(o.Kind), widget.MediumImportance, 0, MinTouch, nil)
			b.Objects[0].(*widget.Button).Disable()
			later.Add(b)
			continue
		}
		b := button(s.overrideName(o.Kind), widget.MediumImportance, 0, MinTouch, func() { s.choose(o) })
		if !o.Available {
			b.Objects[0].(*widget.Button).Disable()
		}
		now.Add(b)
	}
	out := container.NewVBox(section(s.t(mStaffChoose)), now)
	if len(later.Objects) > 0 {
		out.Add(section(s.t(mStaffLater)))
		out.Add(later)
	}
	return out
}

// choose picks an override, or says the role may not do it.
func (s *Screen) choose(o kiosk.OverrideOption) {
	s.staffErr = nil
	s.k.StaffTouch()
	if !o.Permitted {
		s.refused = o.Kind
		s.redraw()
		return
	}
	s.refused = 0
	if !o.Available || o.Kind.Later() {
		return
	}
	s.pick = staffPick{kind: o.Kind}
	if o.Kind == kiosk.OvReceiveStock {
		s.startReceiving()
	}
	s.redraw()
}

// back goes one step back in choosing an override.
func (s *Screen) back() {
	s.k.StaffTouch()
	switch {
	case s.pick.line != "":
		s.pick.line = ""
	case s.pick.comp != 0:
		s.pick.comp = 0
	case s.pick.ret != nil && s.pick.ret.method != 0:
		s.pick.ret.method = 0
	case s.pick.receipt != 0:
		s.pick.receipt, s.pick.typed, s.pick.ret = 0, "", nil
	default:
		s.stopReceiving()
		s.pick = staffPick{}
	}
	s.redraw()
}

// step lays out one step of choosing: what is chosen, what to choose now,
// the choices and Back.
func (s *Screen) step(title, hint string, choices fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(
		leftLabel(title, theme.SizeNameSubHeadingText, true),
		section(hint),
		choices,
		widget.NewSeparator(),
		button(s.t(mStaffBack), widget.MediumImportance, 200, MinTouch, s.back),
	)
}

// linePicker chooses the basket line to void.
func (s *Screen) linePicker() fyne.CanvasObject {
	list := container.NewVBox()
	for _, l := range s.view.Lines {
		g := l.Key() // the product, or an in-store line's label
		list.Add(button(s.t(mStaffLine, l.Qty, l.Product.Name), widget.MediumImportance, 0, MinTouch, func() {
			s.pick.line = g
			s.k.StaffTouch()
			s.redraw()
		}))
	}
	if len(s.view.Lines) == 0 {
		list.Add(small(s.t(mBasketEmpty)))
	}
	return s.step(s.overrideName(kiosk.OvVoidLine), s.t(mStaffPickLine), list)
}

// compartmentPicker chooses the cabinet compartment to open.
func (s *Screen) compartmentPicker() fyne.CanvasObject {
	grid := container.NewGridWithColumns(3)
	for i := range s.view.Compartments {
		no := i + 1
		grid.Add(button(s.t(mStaffCompartment, no), widget.MediumImportance, 0, MinTouch, func() {
			s.pick.comp = no
			s.k.StaffTouch()
			s.redraw()
		}))
	}
	var choices fyne.CanvasObject = grid
	if len(s.view.Compartments) == 0 {
		choices = small(s.t(mStaffNoCompartments))
	}
	return s.step(s.overrideName(kiosk.OvOpenCompartment), s.t(mStaffPickCompartment), choices)
}

// numberPad adds to out the number typed so far (a dash for none) and a
// keypad of the digits 1–9, clear (labelled clear), 0 and OK: a digit
// while fewer than max are typed (no leading 0), clear and OK once one
// is. The staff's receipt number and the received quantity are typed
// on it.
func (s *Screen) numberPad(out *fyne.Container, typed string, max int, digit func(byte), clear string, erase, ok func()) {
	shown := typed
	if shown == "" {
		shown = "–"
	}
	out.Add(leftLabel(shown, theme.SizeNameSubHeadingText, true))
	keys := container.NewGridWithColumns(3)
	key := func(label string, imp widget.Importance, enabled bool, tapped func()) {
		b := button(label, imp, 0, MinTouch, tapped)
		if !enabled {
			b.Objects[0].(*widget.Button).Disable()
		}
		keys.Add(b)
	}
	full := len(typed) >= max
	for _, d := range []byte("123456789") {
		key(string(rune(d)), widget.MediumImportance, !full, func() { digit(d) })
	}
	key(clear, widget.MediumImportance, typed != "", erase)
	key("0", widget.MediumImportance, !full && typed != "", func() { digit('0') })
	key(s.t(mPINOK), widget.HighImportance, typed != "", ok)
	out.Add(keys)
}

// receiptPicker chooses the receipt to copy: the kiosk's last with one
// tap, or another by its number on a keypad.
func (s *Screen) receiptPicker() fyne.CanvasObject {
	out := container.NewVBox()
	if no := s.view.LastReceipt; no > 0 {
		out.Add(button(s.t(mStaffLastReceipt, no), widget.HighImportance, 0, MinTouch, func() { s.pickReceipt(no) }))
	}
	out.Add(section(s.t(mStaffTypeReceipt)))
	s.numberPad(out, s.pick.typed, maxReceiptDigits, s.receiptDigit, s.t(mPINErase), s.receiptErase, s.submitReceipt)
	hint := mStaffPickReceipt
	if s.pick.kind == kiosk.OvReturn {
		hint = mStaffReturnPickReceipt
	}
	return s.step(s.overrideName(s.pick.kind), s.t(hint), out)
}

// maxReceiptDigits is the longest receipt number the keypad takes.
const maxReceiptDigits = 9

// askingReceipt reports whether the staff screen asks for a receipt
// number.
func (s *Screen) askingReceipt() bool {
	return s.staffPhase() == kiosk.StaffSignedIn && !s.staffBusy &&
		(s.pick.kind == kiosk.OvCopyReceipt || s.pick.kind == kiosk.OvReturn) && s.pick.receipt == 0
}

// receiptDigit types digit d of a receipt number (no leading zero).
func (s *Screen) receiptDigit(d byte) {
	if !s.askingReceipt() || len(s.pick.typed) >= maxReceiptDigits || (d == '0' && s.pick.typed == "") {
		return
	}
	s.pick.typed += string(rune(d))
	s.k.StaffTouch()
	s.redraw()
}

// receiptErase takes the last digit off the receipt number.
func (s *Screen) receiptErase() {
	if t := s.pick.typed; t != "" && s.askingReceipt() {
		s.pick.typed = t[:len(t)-1]
		s.k.StaffTouch()
		s.redraw()
	}
}

// submitReceipt chooses the receipt whose number was typed.
func (s *Screen) submitReceipt() {
	if no, err := strconv.ParseUint(s.pick.typed, 10, 64); err == nil && no > 0 && s.askingReceipt() {
		s.pickReceipt(no)
	}
}

// pickReceipt chooses receipt no to copy; the reason comes next.
func (s *Screen) pickReceipt(no uint64) {
	s.pick.receipt, s.pick.typed = no, ""
	s.k.StaffTouch()
	s.redraw()
}

// reasonPicker chooses the reason, the usual one first and marked, which
// makes the override.
func (s *Screen) reasonPicker() fyne.CanvasObject {
	p := s.pick
	o, _ := s.option(p.kind)
	title := s.overrideName(p.kind)
	switch {
	case p.line != "":
		for _, l := range s.view.Lines {
			if l.Product.GTIN == p.line {
				title += ": " + s.t(mStaffLine, l.Qty, l.Product.Name)
			}
		}
	case p.comp != 0:
		title += ": " + s.t(mStaffCompartment, p.comp)
	case p.receipt != 0:
		title += ": " + s.t(mStaffReceiptNo, p.receipt)
	}
	list := container.NewVBox()
	for i, r := range o.Reasons {
		imp := widget.MediumImportance
		if i == 0 {
			imp = widget.HighImportance
		}
		ov := kiosk.Override{Kind: p.kind, Reason: r, Line: p.line, Compartment: p.comp, Receipt: p.receipt}
		p.ret.fill(&ov)
		list.Add(button(s.reasonName(r), imp, 0, MinTouch, func() {
			s.runSlow(func() error { return s.k.Override(ov) })
		}))
	}
	return s.step(title, s.t(mStaffPickReason), list)
}

// statusPanel is what staff needs to know: the customer's sale, the
// devices, who waits for staff and today's counts.
func (s *Screen) statusPanel() fyne.CanvasObject {
	v := s.view
	out := container.NewVBox(section(s.t(mStaffSale)))
	if v.SaleID == "" && len(v.Lines) == 0 {
		out.Add(small(s.t(mStaffNoSale)))
	} else {
		out.Add(small(s.t(mStaffSaleLine, s.stateName(v.State), itemCount(s.Lang(), v.Count), v.Total.String())))
	}
	if n := noticeText(s.Lang(), v.Notice, v.NoticeArg); n != "" {
		out.Add(small(n))
	}
	if !v.Help.IsZero() {
		out.Add(small(s.t(mStaffHelpOpen, v.Help.Format("15:04"))))
	}

	out.Add(section(s.t(mStaffQueue)))
	for _, c := range v.Calls {
		where := c.Kiosk
		if where == "" {
			where = s.t(mStaffThisKiosk)
		}
		out.Add(small(s.t(mStaffCall, c.Since.Format("15:04"), where, s.callName(c))))
	}
	if len(v.Calls) == 0 {
		out.Add(small(s.t(mStaffQueueEmpty)))
	}

	out.Add(section(s.t(mStaffDevices)))
	for _, d := range v.Devices {
		text := s.t(mStaffDeviceOK, s.deviceName(d.Device))
		if !d.OK {
			text = s.t(mStaffDeviceFault, s.deviceName(d.Device))
		}
		if d.Detail != "" && d.Detail != kiosk.DetailFailed {
			text += " (" + name(s, detailMsgs, d.Detail, d.Detail) + ")"
		}
		l := small(text)
		if !d.OK {
			l.Importance = widget.DangerImportance
			l.TextStyle.Bold = true
		}
		out.Add(l)
	}
	for _, c := range v.Compartments {
		lock, door := s.t(mStaffLocked), s.t(mStaffDoorClosed)
		if !c.Locked {
			lock = s.t(mStaffUnlocked)
		}
		if c.DoorOpen {
			door = s.t(mStaffDoorOpen)
		}
		l := small(s.t(mStaffCompartmentState, c.No, lock, door))
		if c.DoorOpen || !c.Locked {
			l.TextStyle.Bold = true
		}
		out.Add(l)
	}
	if v.PaperLow {
		out.Add(small(s.t(mPaperLow)))
	}
	if len(v.Devices) == 0 && len(v.Compartments) == 0 && !v.PaperLow {
		out.Add(small(s.t(mStaffNoDevices)))
	}

	out.Add(section(s.t(mStaffToday)))
	t := v.Today
	var counts []string
	for _, c := range []struct {
		m msg
		n int
	}{
		{mStaffSales, t.Sales}, {mStaffAgeApproved, t.AgeApproved}, {mStaffAgeRefused, t.AgeRefused},
		{mStaffOverrides, t.Overrides}, {mStaffCancelled, t.Cancelled},
		{mStaffNotPrinted, t.NotPrinted}, {mStaffPrintedLate, t.PrintedLate}, {mStaffCopies, t.Copies},
		{mStaffTraining, t.Training}, {mStaffPriceChecks, t.PriceChecks},
	} {
		counts = append(counts, s.t(c.m)+": "+strconv.Itoa(c.n))
	}
	out.Add(small(strings.Join(counts, " · ")))
	s.stockSection(out)
	s.aboutSection(out)
	return out
}

// Names on the staff screens.

var overrideMsgs = map[kiosk.OverrideKind]msg{
	kiosk.OvApproveAge: mOvApproveAge, kiosk.OvRefuseAge: mOvRefuseAge, kiosk.OvVoidLine: mOvVoidLine,
	kiosk.OvCancelSale: mOvCancelSale, kiosk.OvResumeSale: mOvResumeSale, kiosk.OvCompleteSale: mOvCompleteSale,
	kiosk.OvOpenCompartment: mOvOpenCompartment, kiosk.OvClearFault: mOvClearFault,
	kiosk.OvXReport: mOvXReport, kiosk.OvZReport: mOvZReport, kiosk.OvCopyReceipt: mOvCopyReceipt,
	kiosk.OvReturn: mOvReturn, kiosk.OvReceiveStock: mOvReceiveStock, kiosk.OvTrainingMode: mOvTrainingMode,
}

var reasonMsgs = map[kiosk.Reason]msg{
	kiosk.ReasonIDChecked: mReasonIDChecked, kiosk.ReasonNoValidID: mReasonNoValidID,
	kiosk.ReasonCustomerAsked: mReasonCustomerAsked, kiosk.ReasonWrongItem: mReasonWrongItem,
	kiosk.ReasonPaymentProblem: mReasonPaymentProblem, kiosk.ReasonDeviceFault: mReasonDeviceFault,
	kiosk.ReasonRestock: mReasonRestock, kiosk.ReasonRepaired: mReasonRepaired, kiosk.ReasonOther: mReasonOther,
	kiosk.ReasonEndOfDay: mReasonEndOfDay,
}

var roleMsgs = map[kiosk.Role]msg{
	kiosk.RoleClerk: mRoleClerk, kiosk.RoleSupervisor: mRoleSupervisor, kiosk.RoleTechnician: mRoleTechnician,
}

var stateMsgs = map[kiosk.State]msg{
	kiosk.Idle: mStateIdle, kiosk.Shopping: mStateShopping, kiosk.TimeoutWarning: mStateTimeoutWarning,
	kiosk.AgeCheckPending: mStateAgeCheck, kiosk.Paying: mStatePaying, kiosk.PaymentDeclined: mStateDeclined,
	kiosk.Releasing: mStateReleasing, kiosk.Receipt: mStateReceipt, kiosk.Assistance: mStateAssistance,
	kiosk.OutOfOrder: mStateOutOfOrder,
}

// deviceMsgs names the devices the kiosk names in English (View.Devices,
// faults); a device not listed shows by the kiosk's name.
var deviceMsgs = map[string]msg{
	kiosk.DevScanner: mDevScanner, kiosk.DevPrinter: mDevPrinter, kiosk.DevTerminal: mDevTerminal,
	kiosk.DevTerminalSetup: mDevTerminalSetup, kiosk.DevCabinet: mDevCabinet, kiosk.DevLight: mDevLight,
	kiosk.DevDisk: mDevDisk, kiosk.DevData: mDevData,
}

// detailMsgs translates the device details the kiosk names
// (DeviceStatus.Detail); any other detail is a device's own text.
var detailMsgs = map[string]msg{
	kiosk.DetailFailed: mDetailFailed, kiosk.DetailPaperLow: mDetailPaperLow, kiosk.DetailForcedOpen: mDetailForced,
	kiosk.DevTerminalSetup: mDevTerminalSetup,
}

var callMsgs = map[kiosk.CallKind]msg{
	kiosk.CallHelp: mCallHelp, kiosk.CallAgeCheck: mCallAgeCheck, kiosk.CallSale: mCallSale,
	kiosk.CallDoorForced: mCallDoorForced, kiosk.CallDoorOpen: mCallDoorOpen, kiosk.CallOutOfOrder: mCallOutOfOrder,
}

// name translates k through ms, or shows the kiosk's own name.
func name[K comparable](s *Screen, ms map[K]msg, k K, fallback string) string {
	if m, ok := ms[k]; ok {
		return s.t(m)
	}
	return fallback
}

func (s *Screen) overrideName(k kiosk.OverrideKind) string {
	return name(s, overrideMsgs, k, k.String())
}
func (s *Screen) reasonName(r kiosk.Reason) string { return name(s, reasonMsgs, r, r.String()) }
func (s *Screen) roleName(r kiosk.Role) string     { return name(s, roleMsgs, r, r.String()) }
func (s *Screen) stateName(st kiosk.State) string  { return name(s, stateMsgs, st, st.String()) }
func (s *Screen) deviceName(d string) string       { return name(s, deviceMsgs, d, d) }

// overrideNamed translates an override given by its kiosk name
// (View.Staff.ErrorArg).
func (s *Screen) overrideNamed(n string) string {
	for _, k := range kiosk.OverrideKinds {
		if k.String() == n {
			return s.overrideName(k)
		}
	}
	return n
}

// callName says why a call waits, with what it is about.
func (s *Screen) callName(c kiosk.Call) string {
	text := name(s, callMsgs, c.Kind, c.Kind.String())
	if c.Arg == "" {
		return text
	}
	arg := c.Arg
	if c.Kind == kiosk.CallOutOfOrder {
		arg = s.deviceName(arg)
	}
	if c.Kind == kiosk.CallDoorForced || c.Kind == kiosk.CallDoorOpen {
		if no, err := strconv.Atoi(arg); err == nil {
			arg = s.t(mStaffCompartment, no)
		}
	}
	return strings.TrimSpace(text + ": " + arg)
}
