package kiosk

// Checkout: the card payment. The intent is stored with the terminal's
// mark, the request sent, its result taken, and an approval recorded
// before anything is released.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// Pay starts paying: an age check first when the basket holds restricted
// items, then the terminal. The printer is checked first: without a
// receipt the kiosk takes no money and calls staff.
//
// Pay returns at once (the screen must not wait for a device); the rest
// happens in the background and shows in the View.
func (c *Checkout) Pay() error {
	c.mu.Lock()
	if c.state != Shopping || c.basket.Empty() {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: pay in %v", ErrNotNow, st)
	}
	c.mu.Unlock()
	go c.pay()
	return nil
}

func (c *Checkout) pay() {
	if !c.printerReady() {
		c.mu.Lock()
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "receipt printer unavailable before payment"})
		c.fire(EvStaffNeeded)
		c.notice, c.arg = NoticePrinterDown, ""
		c.mu.Unlock()
		c.notify()
		return
	}
	c.mu.Lock()
	if c.state != Shopping || c.basket.Empty() {
		c.mu.Unlock() // the customer moved on meanwhile
		return
	}
	if c.basket.Restricted() && c.ageBy == "" {
		c.fire(EvCheckoutRestricted)
		c.startAgeCheckLocked()
		c.mu.Unlock()
		c.notify()
		return
	}
	c.fire(EvCheckout)
	c.mu.Unlock()
	c.notify()
	c.requestPayment() // the printer was checked just now
}

// printerReady asks the printer and records paper-low for staff.
func (c *Checkout) printerReady() bool {
	st, err := c.d.Printer.Status(c.ctx)
	c.mu.Lock()
	c.paperLow = err == nil && st.PaperLow
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("printer status", "err", err)
		return false
	}
	return st.Ready
}

// startPayment runs in state Paying after an age check or a retry: the
// printer is checked again (time has passed), then the payment requested.
func (c *Checkout) startPayment() {
	if !c.printerReady() {
		c.mu.Lock()
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePrinterDown, ""
		c.abortSettledLocked()
		c.mu.Unlock()
		c.notify()
		return
	}
	c.requestPayment()
}

// requestPayment runs in state Paying: a new attempt is begun and the
// terminal asked in the background (authorize).
func (c *Checkout) requestPayment() {
	c.mu.Lock()
	if c.state != Paying {
		c.mu.Unlock()
		return
	}
	c.attempt++
	p := PendingSale{
		ID: c.saleID, Kiosk: c.cfg.KioskID, Started: c.d.Clock.Now(),
		Lines: append([]Line(nil), c.basket.Lines...), Amount: c.basket.Total(),
		State: PendingIntent, Attempt: c.attempt, AgeCheckBy: c.ageBy, Training: c.trn.on,
	}
	c.payMsg, c.payMsgEn = "", ""
	if c.tmr.aborting { // the customer cancelled before the terminal was asked
		c.fire(EvPaymentDeclined)
		c.abortSettledLocked()
		c.mu.Unlock()
		c.notify()
		return
	}
	ctx, actx := c.ctx, c.payCtxLocked()
	c.mu.Unlock()
	go c.authorize(ctx, actx, p)
}

// authorize takes the terminal's mark, journals the intent with it
// durably, and only then sends the request: a restart can then tell a
// transaction of this request from the ones before it (PaymentTerminal
// contract). An outcome left unknown is asked for, never sent again.
// actx is ctx ended also by the customer's Cancel, which makes the
// terminal abort (checkout_timers.go).
func (c *Checkout) authorize(ctx, actx context.Context, p PendingSale) {
	mark, err := c.terminal(p.Request()).Mark(actx)
	c.mu.Lock()
	if c.state != Paying || c.saleID != p.ID || c.attempt != p.Attempt || c.pending != nil {
		// The sale moved on (help, cancel) while the terminal was asked:
		// nothing was sent.
		c.mu.Unlock()
		return
	}
	if c.tmr.aborting { // cancelled before the request left: nothing asked for
		c.fire(EvPaymentDeclined)
		c.abortSettledLocked()
		c.mu.Unlock()
		c.notify()
		return
	}
	if err != nil {
		c.log.Warn("payment terminal before payment", "err", err)
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Amount: p.Amount,
			Text: "payment terminal did not answer before the payment; nothing was asked for: " + err.Error()})
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, err.Error()
		c.mu.Unlock()
		c.notify()
		return
	}
	p.Before = mark
	e := c.entry(CodeOther, SubPaymentIntent, "card payment requested")
	e.SaleID, e.Amount = p.ID, p.Amount
	e.Data = map[string]string{"attempt": strconv.Itoa(p.Attempt), "terminal_before": mark.Trace}
	if !mark.Known {
		e.Data["terminal_before"] = "unknown"
	}
	trainingPayment(&e, p.Training, "training sale: no card payment requested, the kiosk approves it itself")
	if err := c.saveSaleLocked(ctx, p, e); err != nil {
		c.log.Error("save payment intent", "err", err)
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeStorageError, ""
		c.mu.Unlock()
		c.notify()
		return
	}
	c.pending = &p
	c.mu.Unlock()
	c.notify()
	req := p.Request()
	res, err := c.terminal(req).Authorize(actx, req)
	err = c.notSentByCancel(actx, err)
	if err != nil && !errors.Is(err, ErrDeviceUnavailable) && ctx.Err() == nil {
		// It may have been charged: ask, never send again. The screen
		// says so (no restart happened: this is the live sale).
		c.log.Warn("payment outcome unknown; recovering", "sale", req.SaleID, "err", err)
		c.mu.Lock()
		if c.state == Paying && c.pending != nil && c.pending.ID == req.SaleID {
			c.notice, c.arg = NoticeTerminalSilent, ""
			c.payMsg, c.payMsgEn = "", ""
		}
		c.mu.Unlock()
		c.notify()
		res, err = c.terminal(req).Recover(ctx, req)
		if errors.Is(err, ErrDeviceUnavailable) {
			// Silence now says nothing about the request that may
			// have reached the terminal before: still unknown.
			err = fmt.Errorf("%w: the terminal did not answer the recovery: %v", ErrOutcomeUnknown, err)
		}
	}
	c.paymentResult(req, res, err)
}

func (c *Checkout) paymentResult(req PaymentRequest, res PaymentResult, err error) {
	c.mu.Lock()
	if c.state != Paying || c.pending == nil || c.pending.ID != req.SaleID || c.pending.Attempt != req.Attempt {
		c.mu.Unlock()
		c.log.Error("stale payment result", "sale", req.SaleID)
		return
	}
	p := *c.pending
	switch {
	case errors.Is(err, ErrMisconfigured):
		// Not the customer's card: the terminal is set up wrong. Nothing
		// was charged; the kiosk goes out of order when the sale ends,
		// with the reason for the technician in the journal.
		c.voidLocked(p, SubPaymentDeclined, "terminal refused the request for its setup, nothing charged: "+err.Error())
		c.faultLocked(DevTerminalSetup, "payment terminal misconfigured, a technician must set it up: "+err.Error())
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, ""
	case err != nil && errors.Is(err, ErrDeviceUnavailable):
		c.voidLocked(p, SubPaymentDeclined, "terminal unavailable: "+err.Error())
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, err.Error()
	case err != nil:
		// Outcome unknown even after asking: keep the pending sale for
		// staff and for the next start; show nothing as paid.
		e := c.entry(CodeOther, SubPaymentUnknown, "payment outcome unknown: "+err.Error())
		e.SaleID, e.Amount = p.ID, p.Amount
		c.journal(e)
		c.fire(EvPaymentDeclined)
		c.fire(EvStaffNeeded)
		c.notice, c.arg = NoticeTerminalUnknown, p.ID // this sale, live: no restart (checkout_timers.go)
	case !res.Approved:
		c.voidLocked(p, SubPaymentDeclined, fmt.Sprintf("declined (%s): %s", res.Code, res.Message))
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeDeclined, res.Message
		c.words.declineCode = res.Code
	case res.Amount != 0 && res.Amount != p.Amount:
		c.mu.Unlock()
		_ = c.terminal(req).Confirm(c.ctx, req, false)
		c.mu.Lock()
		c.voidLocked(p, SubPaymentDeclined, fmt.Sprintf("terminal approved %s, asked %s: reversed", res.Amount, p.Amount))
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, "amount mismatch"
	default:
		c.approvedLocked(p, req, res)
	}
	c.abortSettledLocked() // the customer's cancel, if any, ends here (checkout_timers.go)
	c.mu.Unlock()
	c.notify()
}

func (c *Checkout) voidLocked(p PendingSale, sub, why string) {
	if err := c.void(c.ctx, p, sub, why); err != nil {
		c.log.Error("void pending sale", "sale", p.ID, "err", err)
	}
	c.pending = nil
}

// approvedLocked records the approval durably and only then releases.
func (c *Checkout) approvedLocked(p PendingSale, req PaymentRequest, res PaymentResult) {
	if res.Amount == 0 {
		res.Amount = p.Amount
	}
	p.State, p.Result = PendingApproved, &res
	e := c.entry(CodeOther, SubPaymentApproved, "card payment approved")
	e.SaleID, e.Amount = p.ID, p.Amount
	e.Data = map[string]string{"trace": res.Trace, "receipt": res.ReceiptNo, "card": res.CardType,
		"pan": res.MaskedPAN, "terminal": res.TerminalID, "attempt": strconv.Itoa(p.Attempt)}
	trainingPayment(&e, p.Training, "training sale approved by the kiosk: the terminal was not asked, nothing charged")
	sold := Basket{Lines: p.Lines}
	cab := len(sold.CabinetLines()) > 0
	if !cab {
		// Shelf goods are already in the customer's hands.
		p.State = PendingReleased
	}
	var more []Entry
	if cab {
		// Cabinet goods: the release is marked in the same durable write
		// as the approval, before the lock moves, so a restart knows the
		// customer may have the goods; one write between the terminal's
		// approval and the unlock.
		p.State = PendingReleased
		ue := c.entry(CodeOther, SubCabinetUnlock, "cabinet unlocked for paid goods: "+CompartmentList(Compartments(p.Lines)))
		ue.SaleID, ue.Amount = p.ID, p.Amount
		more = append(more, ue)
	}
	if err := c.saveSaleLocked(c.ctx, p, e, more...); err != nil {
		c.log.Error("record approval", "sale", p.ID, "err", err)
		c.mu.Unlock()
		_ = c.terminal(req).Confirm(c.ctx, req, false)
		c.mu.Lock()
		c.voidLocked(p, SubSaleCancelled, "approval could not be recorded: payment reversed")
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeStorageError, ""
		return
	}
	c.pending = &p
	c.fire(EvPaymentApproved)
	if !cab {
		c.finishLocked()
		return
	}
	c.doorSeen = false
	comps := Compartments(p.Lines)
	if err := c.d.Cabinet.Unlock(c.ctx, comps); err != nil {
		c.releaseFaultLocked(p, req, "cabinet did not unlock: "+err.Error())
		return
	}
	c.unlocked = comps
	// The goods are released: tell the terminal now, not when the door
	// closes, so a vending terminal's own time-out (ZVT 13.08 §2.2.6)
	// cannot reverse a payment for goods the customer may have. The sale
	// completes when the door closes; its Confirm then finds this one
	// done.
	go c.confirmRelease(req)
}

// Retry pays again after a decline.
func (c *Checkout) Retry() error {
	c.mu.Lock()
	if !c.fire(EvRetry) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: retry in %v", ErrNotNow, st)
	}
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	c.startPayment()
	return nil
}

// SetPayStatus shows the terminal's prompt while paying, the same in
// every language.
func (c *Checkout) SetPayStatus(msg string) { c.SetPayStatusLang(msg, msg) }

// SetPayStatusLang shows the terminal's prompt while paying, in Norwegian
// and in English (a ZVT terminal's intermediate status comes as a code
// the driver translates).
func (c *Checkout) SetPayStatusLang(nb, en string) {
	c.mu.Lock()
	c.payMsg, c.payMsgEn = nb, en
	c.mu.Unlock()
	c.notify()
}
