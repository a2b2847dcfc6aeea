package kiosk

// Checkout: calling staff, staff logging in at the kiosk, and the one-shot
// overrides a logged-in staff member makes (issue 10 items 2, 3 and 5).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// MethodBadgePIN is the Approval.Method of an age check answered on the
// staff screen after a badge and PIN log-in.
const MethodBadgePIN = "badge and PIN"

// staffState is the staff log-in the screen shows: the PIN pad for a
// badge's holder, or the staff screen of a signed-in staff member. The
// rights themselves are StaffLogin's session, checked at each override.
type staffState struct {
	phase    StaffPhase
	staff    Staff   // PIN hash cleared; no ID while choices are asked
	choices  []Staff // after the key switch: who is logging in?
	err      StaffError
	errArg   string
	gen      uint64 // the idle timer armed for this phase
	idle     Timer
	override bool          // an override is under way (it may ask the terminal)
	stock    *stockSession // receiving and the stock status (checkout_stock.go)
}

// Help calls staff: the call goes into the assistance queue, the
// intervention light blinks yellow and chimes, and the customer's timers
// pause until staff logs in or the customer withdraws the call. The
// customer's screen stays as it is (an age check waiting goes on
// waiting: the two are separate calls; a call made while the terminal
// has the payment stays open after it). Errors: ErrNotNow on the
// assistance screen (staff is called already) and out of order.
func (c *Checkout) Help() error {
	c.mu.Lock()
	switch c.state {
	case Assistance, OutOfOrder:
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: help in %v", ErrNotNow, st)
	}
	if !c.helpSince.IsZero() {
		c.mu.Unlock()
		return nil // called already
	}
	c.helpSince = c.d.Clock.Now()
	c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "customer called staff"})
	c.pauseChangedLocked(false) // the customer's timers wait for staff
	c.mu.Unlock()
	c.chime()
	c.notify()
	return nil
}

// WithdrawHelp ends the customer's call for help. Errors: ErrNotNow when
// there is none.
func (c *Checkout) WithdrawHelp() error {
	c.mu.Lock()
	if c.helpSince.IsZero() {
		c.mu.Unlock()
		return fmt.Errorf("%w: no call for help", ErrNotNow)
	}
	was := c.pausedLocked()
	c.helpSince = time.Time{}
	c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "customer withdrew the call for staff"})
	c.pauseChangedLocked(was)
	c.mu.Unlock()
	c.notify()
	return nil
}

func (c *Checkout) chime() {
	if c.d.Light == nil {
		return
	}
	if err := c.d.Light.Chime(c.ctx); err != nil {
		c.log.Warn("intervention light chime", "err", err)
	}
}

// pausedLocked reports whether the customer's timers wait: a call for
// help is open, or staff is at the kiosk.
func (c *Checkout) pausedLocked() bool { return !c.helpSince.IsZero() || c.staff != nil }

// pauseChangedLocked restarts the customer's timer when whether it
// waits changed from was; the timers of the release and the receipt
// screens never wait and go on as they were.
func (c *Checkout) pauseChangedLocked(was bool) {
	if c.pausedLocked() == was {
		return
	}
	switch c.state {
	case Shopping, PaymentDeclined, TimeoutWarning, AgeCheckPending:
		c.armTimer()
	}
}

// StaffBadge handles a staff badge read by the scanner: it opens the PIN
// pad for its holder (View.Staff, phase StaffPIN), or shows why not
// (NoticeBadgeUnknown, NoticeBadgeLocked, NoticeStaffNotNow while the
// terminal or the cabinet has the sale), journaled either way. The
// customer's sale is not touched.
func (c *Checkout) StaffBadge(badge string) {
	c.mu.Lock()
	st, sale := c.state, c.saleID
	busy := c.staff != nil && c.staff.override
	c.mu.Unlock()
	if st == Paying || st == Releasing || busy {
		c.loginNotNow("staff badge", sale)
		return
	}
	if c.d.Login == nil {
		c.journal(c.entry(CodeOther, SubLoginFailed, "staff badge, but this kiosk has no staff log-in"))
		c.setNotice(NoticeBadgeUnknown, "")
		return
	}
	s, err := c.d.Login.Badge(c.ctx, badge)
	c.openPIN(s, err)
}

// loginNotNow refuses a log-in (what: "staff badge", "staff key turned")
// while the terminal or the cabinet has the customer's sale: journaled,
// and the screen says to log in after.
func (c *Checkout) loginNotNow(what, sale string) {
	e := c.entry(CodeOther, SubLoginFailed, what+" while the customer's sale is at the terminal or the cabinet: log in after")
	e.SaleID = sale
	c.journal(e)
	c.setNotice(NoticeStaffNotNow, "")
}

// openPIN opens the PIN pad for s, found by its badge or picked after the
// key switch, or shows why not (err).
func (c *Checkout) openPIN(s Staff, err error) {
	switch {
	case errors.Is(err, ErrUnknownBadge):
		c.setNotice(NoticeBadgeUnknown, "") // journaled by Badge
		return
	case errors.Is(err, ErrBadgeLocked):
		until, _ := LockedUntil(err)
		c.setNotice(NoticeBadgeLocked, until.Format("15:04"))
		return
	case err != nil:
		c.log.Error("staff badge", "err", err)
		c.journal(c.entry(CodeOther, SubLoginFailed, "staff badge not checked: "+err.Error()))
		c.setNotice(NoticeStorageError, "")
		return
	}
	c.mu.Lock()
	if c.state == Paying || c.state == Releasing {
		c.mu.Unlock() // the customer paid meanwhile
		c.setNotice(NoticeStaffNotNow, "")
		return
	}
	if c.staff != nil && c.staff.phase == StaffSignedIn && c.staff.staff.ID == s.ID {
		c.mu.Unlock()
		return // signed in already
	}
	replaced := c.staff != nil && c.staff.phase == StaffSignedIn
	c.setStaffLocked(&staffState{phase: StaffPIN, staff: s})
	c.mu.Unlock()
	if replaced {
		// The staff screen of another closes with its session: rights
		// never outlive the screen they were given on.
		c.d.Login.Logout(c.ctx, "another staff member's badge was read")
	}
	c.notify()
}

// keyLoop waits for the staff key switch to be turned with no age check
// waiting, until ctx ends.
func (c *Checkout) keyLoop(ctx context.Context) {
	for ctx.Err() == nil {
		if err := c.d.Key.WaitKeyTurn(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Warn("staff key switch", "err", err)
			c.sleep(ctx, time.Second)
			continue
		}
		c.StaffKeyTurned()
	}
}

// StaffKeyTurned opens the log-in for a shop without badges: the staff
// key switch was turned with no age check waiting. The PIN pad first asks
// who is logging in (View.Staff.Choices, phase StaffPIN with no ID yet);
// StaffChoose picks. Refused as a badge is while the terminal or the
// cabinet has the sale.
func (c *Checkout) StaffKeyTurned() {
	c.mu.Lock()
	st, sale := c.state, c.saleID
	busy := c.staff != nil && (c.staff.override || c.staff.phase == StaffSignedIn)
	c.mu.Unlock()
	switch {
	case c.d.Login == nil || busy:
		return
	case st == Paying || st == Releasing:
		c.loginNotNow("staff key turned", sale)
		return
	}
	staff, err := c.d.Login.Active(c.ctx)
	if err != nil {
		c.log.Error("staff key: list staff", "err", err)
		c.setNotice(NoticeStorageError, "")
		return
	}
	c.mu.Lock()
	if c.state == Paying || c.state == Releasing || (c.staff != nil && c.staff.phase == StaffSignedIn) {
		c.mu.Unlock()
		return
	}
	c.setStaffLocked(&staffState{phase: StaffPIN, choices: staff})
	c.mu.Unlock()
	c.notify()
}

// StaffChoose picks who logs in after the key switch: the PIN pad then
// asks for their PIN. Errors: ErrNotNow when no name is asked for;
// ErrUnknownBadge or ErrBadgeLocked (the pad closes with the notice, as
// for a badge).
func (c *Checkout) StaffChoose(id string) error {
	c.mu.Lock()
	st := c.staff
	if st == nil || st.phase != StaffPIN || st.staff.ID != "" {
		c.mu.Unlock()
		return fmt.Errorf("%w: no name to pick", ErrNotNow)
	}
	c.mu.Unlock()
	s, err := c.d.Login.ByID(c.ctx, id)
	c.mu.Lock()
	if c.staff != st {
		c.mu.Unlock()
		return fmt.Errorf("%w: the PIN pad was closed", ErrNotNow)
	}
	if err != nil {
		c.setStaffLocked(nil)
	}
	c.mu.Unlock()
	c.openPIN(s, err)
	return err
}

// setStaffLocked shows st (nil: the customer screen) and arms its idle
// timer: a PIN pad nobody types on, or a staff screen nobody uses,
// closes after the log-in's idle time.
func (c *Checkout) setStaffLocked(st *staffState) {
	if c.staff != nil && c.staff.idle != nil {
		c.staff.idle.Stop()
	}
	was := c.pausedLocked()
	c.staff = st
	if st != nil {
		c.staffGen++
		st.gen = c.staffGen
		gen := st.gen
		st.idle = c.d.Clock.AfterFunc(c.d.Login.IdleTime(), func() { c.staffIdle(gen) })
	}
	c.pauseChangedLocked(was)
}

// staffIdle closes a PIN pad or staff screen left alone.
func (c *Checkout) staffIdle(gen uint64) {
	c.mu.Lock()
	st := c.staff
	if st == nil || st.gen != gen || st.override {
		c.mu.Unlock()
		return
	}
	signedIn := st.phase == StaffSignedIn
	c.setStaffLocked(nil)
	c.mu.Unlock()
	if signedIn {
		c.d.Login.Logout(c.ctx, "idle")
	}
	c.notify()
}

// touchStaffLocked restarts the staff screen's idle timer.
func (c *Checkout) touchStaffLocked() {
	if st := c.staff; st != nil {
		c.setStaffLocked(st)
	}
}

// StaffPIN checks the PIN typed on the PIN pad. A right one signs the
// staff member in (View.Staff, phase StaffSignedIn: the staff screen),
// which answers the customer's call for help and acknowledges a forced
// door's alarm. Errors: ErrNotNow when no PIN pad is open; ErrWrongPIN
// (the pad stays, View.Staff.Error says the tries left); ErrBadgeLocked
// (the pad closes); ErrUnknownBadge.
func (c *Checkout) StaffPIN(pin string) error {
	c.mu.Lock()
	st := c.staff
	if st == nil || st.phase != StaffPIN || st.staff.ID == "" {
		c.mu.Unlock()
		return fmt.Errorf("%w: no PIN pad", ErrNotNow)
	}
	id := st.staff.ID
	c.mu.Unlock()
	sess, err := c.d.Login.PIN(c.ctx, id, pin)
	c.mu.Lock()
	if c.staff != st {
		c.mu.Unlock() // closed meanwhile
		if err == nil {
			c.d.Login.Logout(c.ctx, "the PIN pad was closed")
		}
		return fmt.Errorf("%w: the PIN pad was closed", ErrNotNow)
	}
	switch {
	case errors.Is(err, ErrWrongPIN):
		left, _ := TriesLeft(err)
		st.err, st.errArg = StaffErrWrongPIN, strconv.Itoa(left)
		c.touchStaffLocked()
	case errors.Is(err, ErrBadgeLocked):
		until, _ := LockedUntil(err)
		c.setStaffLocked(nil)
		c.notice, c.arg = NoticeBadgeLocked, until.Format("15:04")
	case errors.Is(err, ErrUnknownBadge):
		c.setStaffLocked(nil)
		c.notice, c.arg = NoticeBadgeUnknown, ""
	case err != nil:
		st.err, st.errArg = StaffErrFailed, err.Error()
	default:
		c.setStaffLocked(&staffState{phase: StaffSignedIn, staff: sess.Staff})
		c.readStockLocked(c.staff)
		if !c.helpSince.IsZero() {
			c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID,
				Text: "call for staff answered by " + sess.Staff.ID})
			c.helpSince = time.Time{}
		}
		if len(c.forced) > 0 {
			c.journal(Entry{Code: CodeOther, Subtype: SubDoorForced, SaleID: c.saleID,
				Text: "forced door alarm acknowledged by " + sess.Staff.ID})
			c.forced = nil
		}
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// StaffTouch tells the checkout staff is using the PIN pad or the staff
// screen (a digit typed, an override being chosen): their idle time
// starts again. It never blocks.
func (c *Checkout) StaffTouch() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.staff == nil || c.staff.override {
		return
	}
	c.touchStaffLocked()
	if c.staff.phase == StaffSignedIn {
		c.d.Login.Touch()
	}
}

// StaffCancelLogin closes the PIN pad without signing in.
func (c *Checkout) StaffCancelLogin() {
	c.mu.Lock()
	if c.staff == nil || c.staff.phase != StaffPIN {
		c.mu.Unlock()
		return
	}
	c.setStaffLocked(nil)
	c.mu.Unlock()
	c.notify()
}

// StaffLogout ends the staff session (journaled 13004); the customer
// screen returns.
func (c *Checkout) StaffLogout() { c.endStaff("logged out") }

// endStaff closes the staff screen and ends the session, saying why.
func (c *Checkout) endStaff(why string) {
	c.mu.Lock()
	logout := c.endStaffLocked(why)
	c.mu.Unlock()
	if logout != nil {
		logout()
		c.notify()
	}
}

// endStaffLocked closes the staff screen, in the view the caller
// publishes next, and returns what ends the session (the log-out, with
// its journal record) to run once c.mu is released; nil when no staff
// screen was open (or it is an override's, which ends with it).
func (c *Checkout) endStaffLocked(why string) func() {
	if c.staff == nil || c.staff.override {
		return nil
	}
	signedIn := c.staff.phase == StaffSignedIn
	c.setStaffLocked(nil)
	return func() {
		if signedIn {
			c.d.Login.Logout(c.ctx, why)
		}
	}
}

// overrideAvailableLocked reports whether o applies in the checkout's
// state now (the role is Authorize's to check).
func (c *Checkout) overrideAvailableLocked(o Override) bool {
	paid := c.pending != nil && c.pending.State >= PendingApproved
	released := c.pending != nil && c.pending.State == PendingReleased
	switch o.Kind {
	case OvApproveAge, OvRefuseAge:
		return c.state == AgeCheckPending
	case OvVoidLine:
		ok := c.state == Shopping || c.state == TimeoutWarning || c.state == PaymentDeclined
		return ok && c.pending == nil && (o.Line == "" || c.basket.findLine(o.Line) >= 0)
	case OvCancelSale:
		switch c.state {
		case Shopping, TimeoutWarning, AgeCheckPending, PaymentDeclined:
			return true
		case Assistance:
			return !released
		}
	case OvResumeSale:
		return (c.state == Assistance || c.state == PaymentDeclined) && c.pending == nil
	case OvCompleteSale:
		return c.state == Assistance && paid
	case OvOpenCompartment:
		idle := c.state == Idle || c.state == OutOfOrder
		in := o.Compartment == 0 || slices.ContainsFunc(c.compartments, func(s CompartmentState) bool { return s.No == o.Compartment })
		return idle && c.pending == nil && len(c.unlocked) == 0 && in
	case OvClearFault:
		return c.state == OutOfOrder
	case OvXReport, OvZReport:
		// Between customers: the printer is free, no sale is open (the
		// store refuses a Z report with a pending sale in any case).
		return c.d.Reports != nil && (c.state == Idle || c.state == OutOfOrder) && c.pending == nil
	case OvCopyReceipt:
		idle := c.state == Idle || c.state == Receipt || c.state == OutOfOrder
		return idle && c.pending == nil && c.lastReceiptLocked() > 0 && c.d.Receipts != nil
	case OvTrainingMode:
		return c.trainingAvailableLocked()
	case OvReturn:
		return c.returnAvailableLocked()
	case OvReceiveStock:
		// Between customers, as the reports.
		return c.d.Stock != nil && (c.state == Idle || c.state == OutOfOrder) && c.pending == nil
	}
	return false
}

// overrideActionLocked is the action o needs: cancelling a sale whose
// payment is under way or on record is a money decision.
func (c *Checkout) overrideActionLocked(k OverrideKind) Action {
	if k == OvCancelSale && c.pending != nil {
		return ActSettlePayment
	}
	return overrideRules[k].action
}

// overridesLocked is what the staff screen offers to role r now.
func (c *Checkout) overridesLocked(r Role) []OverrideOption {
	out := make([]OverrideOption, 0, len(OverrideKinds))
	for _, k := range OverrideKinds {
		rule := overrideRules[k]
		out = append(out, OverrideOption{
			Kind: k, Permitted: r.May(c.overrideActionLocked(k)),
			Available: !rule.later && c.overrideAvailableLocked(Override{Kind: k}),
			Reasons:   k.Reasons(),
		})
	}
	return out
}

// Override does one override for the signed-in staff member, journaled
// with the kiosk, staff id, role, override, reason, sale and time; the
// session then ends and the customer screen returns. It may ask the
// payment terminal and take seconds. Errors: ErrNoSession; ErrNotPermitted
// (the role may not; View.Staff.Error says so and the session stays);
// ErrNotNow (it does not apply now, or the reason is not one of the
// override's); ErrLater for entries later work fills; a device or store
// error (the session stays).
func (c *Checkout) Override(o Override) error {
	c.mu.Lock()
	st := c.staff
	if st == nil || st.phase != StaffSignedIn {
		c.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrNoSession, o.Kind)
	}
	if st.override {
		c.mu.Unlock()
		return fmt.Errorf("%w: another override is under way", ErrNotNow)
	}
	refuse := func(e StaffError, err error) error {
		st.err, st.errArg = e, o.Kind.String()
		c.touchStaffLocked()
		c.mu.Unlock()
		c.notify()
		return err
	}
	rule, known := overrideRules[o.Kind]
	switch {
	case !known:
		return refuse(StaffErrNotNow, fmt.Errorf("%w: unknown override %v", ErrNotNow, o.Kind))
	case rule.later:
		return refuse(StaffErrNotNow, fmt.Errorf("%w: %v", ErrLater, o.Kind))
	}
	if o.Reason == 0 {
		o.Reason = rule.reasons[0]
	}
	if !slices.Contains(rule.reasons, o.Reason) {
		return refuse(StaffErrNotNow, fmt.Errorf("%w: %v is no reason for %v", ErrNotNow, o.Reason, o.Kind))
	}
	act := c.overrideActionLocked(o.Kind)
	c.mu.Unlock()
	sess, err := c.d.Login.Authorize(c.ctx, act)
	c.mu.Lock()
	if c.staff != st {
		c.mu.Unlock()
		return fmt.Errorf("%w: the staff screen was closed", ErrNoSession)
	}
	switch {
	case errors.Is(err, ErrNotPermitted):
		e := c.overrideEntry(SubOverrideRefused, st.staff, o, "override refused: a "+st.staff.Role.String()+" may not "+act.String())
		c.journal(e)
		return refuse(StaffErrNotPermitted, err)
	case err != nil: // the session ended (idle)
		c.setStaffLocked(nil)
		c.mu.Unlock()
		c.notify()
		return err
	}
	if !c.overrideAvailableLocked(o) {
		return refuse(StaffErrNotNow, fmt.Errorf("%w: %v in %v", ErrNotNow, o.Kind, c.state))
	}
	st.override, st.err, st.errArg = true, StaffErrNone, ""
	sale := c.saleID
	if st.idle != nil {
		st.idle.Stop()
	}
	c.mu.Unlock()
	c.notify()

	detail, err := c.doOverride(o, sess)

	c.mu.Lock()
	st.override = false
	if err != nil {
		if c.staff == st {
			st.err, st.errArg = StaffErrFailed, err.Error()
			if errors.Is(err, ErrNotNow) {
				st.err, st.errArg = StaffErrNotNow, o.Kind.String()
			}
			if e, arg, ok := receiptStaffError(err); ok {
				st.err, st.errArg = e, arg
			}
			c.touchStaffLocked()
		}
		c.mu.Unlock()
		c.notify()
		return err
	}
	e := c.overrideEntry(SubOverride, sess.Staff, o, "staff override: "+o.Kind.String()+detail)
	e.SaleID = sale
	c.journal(e)
	if c.staff == st {
		c.setStaffLocked(nil)
	}
	c.mu.Unlock()
	c.d.Login.Logout(c.ctx, "override done: "+o.Kind.String())
	c.notify()
	return nil
}

func (c *Checkout) overrideEntry(sub string, s Staff, o Override, text string) Entry {
	e := c.entry(CodeOther, sub, text)
	e.Data = map[string]string{"staff": s.ID, "role": s.Role.String(), "override": o.Kind.String(), "reason": o.Reason.String()}
	if o.Line != "" {
		e.Data["line"] = string(o.Line)
	}
	if o.Compartment > 0 {
		e.Data["compartment"] = strconv.Itoa(o.Compartment)
	}
	if o.Receipt > 0 {
		e.Data["receipt"] = strconv.FormatUint(o.Receipt, 10)
	}
	if o.Receive != nil {
		e.Data["gtin"], e.Data["qty"] = string(o.Receive.GTIN), strconv.Itoa(o.Receive.Qty)
	}
	return e
}

// doOverride performs o, without the checkout's lock; it says what
// happened beyond the override's name, for the journal.
func (c *Checkout) doOverride(o Override, sess Session) (string, error) {
	switch o.Kind {
	case OvApproveAge, OvRefuseAge:
		c.mu.Lock()
		if c.state != AgeCheckPending {
			st := c.state
			c.mu.Unlock()
			return "", fmt.Errorf("%w: no age check in %v", ErrNotNow, st)
		}
		sale := c.saleID
		c.stopAgeCheckLocked() // the key switch's request is answered here
		c.mu.Unlock()
		a := Approval{Approved: o.Kind == OvApproveAge, Staff: sess.Staff.ID, Method: MethodBadgePIN}
		if !c.ageResult(sale, a, nil) {
			return "", fmt.Errorf("%w: the age check ended meanwhile", ErrNotNow)
		}
		return "", nil
	case OvVoidLine:
		return c.voidLine(o.Line)
	case OvCancelSale:
		return "", c.staffCancel()
	case OvResumeSale:
		return "", c.staffResume()
	case OvCompleteSale:
		return "", c.staffComplete()
	case OvOpenCompartment:
		return c.openCompartment(o.Compartment)
	case OvClearFault:
		return c.clearFaults(), nil
	case OvXReport, OvZReport:
		return c.report(o.Kind == OvZReport, sess)
	case OvCopyReceipt:
		return c.copyReceipt(o, sess)
	case OvTrainingMode:
		return c.switchTraining(o, sess)
	case OvReturn:
		return c.doReturn(o, sess)
	case OvReceiveStock:
		return c.receiveOverride(o, sess)
	}
	return "", fmt.Errorf("%w: %v", ErrNotNow, o.Kind)
}

// report makes the X report, or the Z report after the terminal's end of
// day, for the staff member of sess, and prints it on the receipt
// printer. A report journaled but not printed stays made: the override
// succeeds and says so, and the printer's fault is journaled.
func (c *Checkout) report(z bool, sess Session) (string, error) {
	te, _ := c.d.Terminal.(TerminalEndOfDay)
	r := Reports{Store: c.d.Reports, Journal: c.d.Journal, Clock: c.d.Clock, KioskID: c.cfg.KioskID,
		Shop: c.cfg.Shop, System: c.cfg.System, SystemID: c.cfg.SystemID, Terminal: te}
	run := r.X
	if z {
		run = r.Z
	}
	rep, rec, err := run(c.ctx, sess.Staff.ID)
	if err != nil {
		return "", err
	}
	what := fmt.Sprintf(" (%v, journal record %d", rep.Kind, rec.Seq)
	if z {
		what = fmt.Sprintf(" (Z report %d, journal record %d", rep.No, rec.Seq)
	}
	if err := c.d.Printer.Print(c.ctx, rep.Document()); err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: fmt.Sprintf("%v journaled as record %d but not printed: %v", rep.Kind, rec.Seq, err)})
		return what + "; not printed: " + err.Error() + ")", nil
	}
	return what + ", printed)", nil
}

// voidLine takes the line of product g out of the basket (the first line
// when g is empty).
func (c *Checkout) voidLine(g GTIN) (string, error) {
	c.mu.Lock()
	defer c.notify()
	defer c.mu.Unlock()
	if c.pending != nil || (c.state != Shopping && c.state != TimeoutWarning && c.state != PaymentDeclined) {
		return "", fmt.Errorf("%w: void a line in %v", ErrNotNow, c.state)
	}
	i := 0
	if g != "" {
		i = c.basket.findLine(g) // instore.go: a label, or the product's first line
	}
	if i < 0 || i >= len(c.basket.Lines) {
		return "", fmt.Errorf("%w: no line %s in the basket", ErrNotNow, g)
	}
	l := c.basket.Lines[i]
	if err := c.basket.Remove(l.key()); err != nil {
		return "", err
	}
	e := c.entry(CodeOther, SubLineVoided, fmt.Sprintf("line voided by staff: %d × %s", l.Qty, l.Product.Name))
	e.SaleID, e.Amount = c.saleID, l.Total()
	e.Data = map[string]string{"gtin": string(l.Product.GTIN), "qty": strconv.Itoa(l.Qty)}
	inStoreData(e.Data, l)
	c.journal(e)
	if c.basket.Empty() {
		if c.state == Shopping {
			c.basketEmptiedLocked()
		} else {
			c.cancelSaleLocked("every line voided by staff")
			c.fire(EvCancel)
		}
	}
	return fmt.Sprintf(" (%d × %s)", l.Qty, l.Product.Name), nil
}

// staffResume sends the customer back to the basket (nothing was paid),
// from the assistance screen or after a declined card.
func (c *Checkout) staffResume() error {
	c.mu.Lock()
	if (c.state != Assistance && c.state != PaymentDeclined) || c.pending != nil {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: resume in %v", ErrNotNow, st)
	}
	c.fire(EvStaffResume)
	c.clearNotice()
	if c.basket.Empty() {
		c.basketEmptiedLocked()
	}
	c.mu.Unlock()
	c.notify()
	return nil
}

// staffCancel ends the sale: before payment as the customer's cancel
// does; on the assistance screen a payment in flight is reversed or,
// when its outcome is unknown, voided with a journal note for the
// end-of-day check. A sale whose goods were released cannot be
// cancelled (ErrNotNow): it is completed, never reversed, since the
// customer may have the goods.
func (c *Checkout) staffCancel() error {
	c.mu.Lock()
	if c.state != Assistance {
		defer c.notify()
		defer c.mu.Unlock()
		if !Accepts(c.state, EvCancel) {
			return fmt.Errorf("%w: staff cancel in %v", ErrNotNow, c.state)
		}
		c.cancelSaleLocked("cancelled by staff")
		c.fire(EvCancel)
		c.notice, c.arg = NoticeCancelled, ""
		return nil
	}
	if c.pending != nil && c.pending.State == PendingReleased {
		c.mu.Unlock()
		return fmt.Errorf("%w: the goods were released; complete the sale", ErrNotNow)
	}
	if c.staffBusy || c.finishing {
		c.mu.Unlock()
		return fmt.Errorf("%w: the terminal is being asked; wait", ErrNotNow)
	}
	if c.pending != nil {
		p := *c.pending
		// The terminal is asked without the checkout's lock; staffBusy
		// keeps other staff actions off meanwhile.
		c.staffBusy = true
		c.mu.Unlock()
		why := c.settleForStaff(p)
		c.mu.Lock()
		c.staffBusy = false
		c.voidLocked(p, SubSaleCancelled, why)
	}
	c.cancelSaleLocked("cancelled by staff")
	c.fire(EvStaffCancel)
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	return nil
}

// settleForStaff reverses p's payment, or finds out there is none, for a
// sale staff cancels; it says what happened, for the journal.
func (c *Checkout) settleForStaff(p PendingSale) string {
	req := p.Request()
	why := "cancelled by staff"
	if p.State == PendingIntent {
		res, err := c.terminal(req).Recover(c.ctx, req)
		switch {
		case err != nil:
			return why + "; payment outcome unknown, check the terminal's end-of-day: " + err.Error()
		case !res.Approved:
			return why
		}
	}
	if err := c.terminal(req).Confirm(c.ctx, req, false); err != nil {
		return why + "; reversal not confirmed: " + err.Error()
	}
	return why + "; payment reversed"
}

// staffComplete completes a paid sale whose goods staff handed over.
func (c *Checkout) staffComplete() error {
	c.mu.Lock()
	defer c.notify()
	defer c.mu.Unlock()
	if c.state != Assistance || c.pending == nil || c.pending.State < PendingApproved {
		return fmt.Errorf("%w: nothing paid to complete", ErrNotNow)
	}
	if c.staffBusy {
		return fmt.Errorf("%w: the terminal is being asked; wait", ErrNotNow)
	}
	c.finishLocked()
	return nil
}

// openCompartment unlocks compartment n (1 when n is 0) for restocking.
// Its door closing locks it again; a door left open past the release
// time calls staff, and a door never opened is locked again then.
func (c *Checkout) openCompartment(n int) (string, error) {
	if n == 0 {
		n = 1
	}
	c.mu.Lock()
	defer c.notify()
	defer c.mu.Unlock()
	if len(c.unlocked) > 0 || c.pending != nil || (c.state != Idle && c.state != OutOfOrder) {
		return "", fmt.Errorf("%w: open a compartment in %v", ErrNotNow, c.state)
	}
	if err := c.d.Cabinet.Unlock(c.ctx, []int{n}); err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: "cabinet did not unlock for restocking: " + err.Error()})
		_ = c.d.Cabinet.Lock(c.ctx)
		return "", fmt.Errorf("kiosk: open compartment %d: %w", n, err)
	}
	c.unlocked = []int{n}
	c.journal(Entry{Code: CodeOther, Subtype: SubCabinetUnlock, Text: "cabinet unlocked by staff: " + CompartmentList(c.unlocked)})
	c.armRestockLocked()
	return fmt.Sprintf(" (compartment %d)", n), nil
}

// armRestockLocked watches a compartment staff opened: after the release
// time a door still open calls staff, and a door never opened is locked.
func (c *Checkout) armRestockLocked() {
	if c.restockTimer != nil {
		c.restockTimer.Stop()
	}
	c.restockGen++
	gen := c.restockGen
	c.restockTimer = c.d.Clock.AfterFunc(c.cfg.ReleaseTimeout, func() {
		c.mu.Lock()
		if gen != c.restockGen || len(c.unlocked) == 0 || c.state == Releasing {
			c.mu.Unlock()
			return
		}
		if c.doorOpenLocked() {
			if c.doorLeft.IsZero() {
				c.doorLeft = c.d.Clock.Now()
				c.journal(Entry{Code: CodeOther, Subtype: SubDoorLeftOpen, Text: "cabinet left open after restocking: staff called"})
			}
		} else {
			c.relockLocked()
		}
		c.mu.Unlock()
		c.notify()
	})
}

// latchedFaults are faults that no device event clears: a technician
// clears them (OvClearFault) once the device is repaired.
var latchedFaults = []string{DevTerminalSetup}

// clearFaults clears the latched faults and has the devices looked at
// again: a device still faulty reports itself again.
func (c *Checkout) clearFaults() string {
	c.mu.Lock()
	var cleared []string
	for _, f := range latchedFaults {
		if c.faults[f] {
			delete(c.faults, f)
			cleared = append(cleared, f)
			c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: f + " cleared by staff after repair"})
		}
	}
	if len(c.faults) == 0 {
		c.fire(EvDevicesOK)
	}
	c.mu.Unlock()
	c.CheckPrinter()
	select {
	case c.scanWake <- struct{}{}:
	default:
	}
	c.notify()
	if len(cleared) == 0 {
		return " (devices checked again)"
	}
	return fmt.Sprintf(" (%v)", cleared)
}

// staffViewLocked is the staff log-in as the screen shows it.
func (c *Checkout) staffViewLocked() *StaffView {
	st := c.staff
	if st == nil {
		return nil
	}
	v := &StaffView{Phase: st.phase, ID: st.staff.ID, Name: st.staff.Name, Role: st.staff.Role, Error: st.err, ErrorArg: st.errArg}
	for _, s := range st.choices {
		v.Choices = append(v.Choices, StaffChoice{ID: s.ID, Name: s.Name})
	}
	if st.phase == StaffSignedIn {
		v.Overrides = c.overridesLocked(st.staff.Role)
		v.Stock = stockViewLocked(st)
	}
	return v
}

// refreshCompartments reads the cabinet's compartments for the staff
// screen and the overrides that name one.
func (c *Checkout) refreshCompartments(ctx context.Context) {
	cs, err := c.d.Cabinet.Compartments(ctx)
	c.mu.Lock()
	if err != nil {
		c.cabinetErr = err.Error()
	} else {
		c.compartments, c.cabinetErr = cs, ""
	}
	c.mu.Unlock()
}
