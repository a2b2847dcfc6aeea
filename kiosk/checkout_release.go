package kiosk

// Checkout: releasing paid goods from the cabinet, confirming the
// terminal, and completing the sale with its receipt.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// confirmRelease confirms a release to the terminal, outside the lock. A
// terminal that had already reversed the payment (ErrReversed) gets the
// cabinet locked again if its door was not opened, and staff called.
func (c *Checkout) confirmRelease(req PaymentRequest) {
	err := c.terminal(req).Confirm(c.ctx, req, true)
	if err == nil || c.ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	if errors.Is(err, ErrReversed) && c.state == Releasing && !c.finishing && c.pending != nil && c.pending.ID == req.SaleID {
		c.stopTimerLocked()
		if !c.doorOpenLocked() && !c.doorSeen {
			c.relockLocked()
		}
		c.reversedLocked(*c.pending, err)
		c.mu.Unlock()
		c.notify()
		return
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: req.SaleID, Text: "terminal did not take the release confirmation: " + err.Error()})
	c.mu.Unlock()
}

// releaseFaultLocked reverses the payment when the goods cannot be
// released (ZVT vending: negative confirmation) and calls staff.
func (c *Checkout) releaseFaultLocked(p PendingSale, req PaymentRequest, why string) {
	c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Text: why})
	_ = c.d.Cabinet.Lock(c.ctx)
	if err := c.terminal(req).Confirm(c.ctx, req, false); err != nil {
		why += "; reversal not confirmed: " + err.Error()
	}
	c.voidLocked(p, SubSaleCancelled, why+": payment reversed")
	c.fire(EvReleaseFault)
	c.notice, c.arg = NoticeCabinetFault, ""
}

// Door handles a cabinet door event: opening during a release is the
// customer taking the goods; every door closed again after that completes
// the sale. A door that opens on a compartment the kiosk did not unlock
// was forced: alarm (red light and buzzer), journal, and a call for staff
// until staff logs in.
func (c *Checkout) Door(ev DoorEvent) {
	c.mu.Lock()
	n := max(ev.Compartment, 1)
	if c.doorsOpen == nil {
		c.doorsOpen = make(map[int]bool)
	}
	if ev.Open {
		c.doorsOpen[n] = true
	} else {
		delete(c.doorsOpen, n)
	}
	what := "closed"
	if ev.Open {
		what = "opened"
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubCabinetDoor, SaleID: c.saleID, Text: "cabinet door " + what + ": " + CompartmentList([]int{n})})
	if ev.Open && !slices.Contains(c.unlocked, n) {
		if c.forced == nil {
			c.forced = make(map[int]time.Time)
		}
		if _, ok := c.forced[n]; !ok {
			c.forced[n] = c.d.Clock.Now()
			c.journal(Entry{Code: CodeOther, Subtype: SubDoorForced, SaleID: c.saleID,
				Text: "cabinet forced: " + CompartmentList([]int{n}) + " opened without being unlocked; alarm, staff called"})
		}
	}
	if !c.doorOpenLocked() {
		// Whatever the state (a release that timed out, staff), a closed
		// cabinet we unlocked is locked again.
		c.relockLocked()
		c.doorLeft = time.Time{}
	}
	if c.state == Releasing {
		if ev.Open {
			c.doorSeen = true
			c.armTimer()
		} else if c.doorSeen && !c.doorOpenLocked() {
			c.finishLocked()
		}
	}
	c.mu.Unlock()
	c.notify()
}

// doorOpenLocked reports whether any compartment's door is open.
func (c *Checkout) doorOpenLocked() bool { return len(c.doorsOpen) > 0 }

// relockLocked locks the cabinet if the checkout unlocked it.
func (c *Checkout) relockLocked() {
	if len(c.unlocked) == 0 {
		return
	}
	if err := c.d.Cabinet.Lock(c.ctx); err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: c.saleID, Text: "cabinet did not lock: " + err.Error()})
		return
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubCabinetLock, SaleID: c.saleID, Text: "cabinet locked: " + CompartmentList(c.unlocked)})
	c.unlocked = nil
}

// finishLocked confirms the payment to the terminal, completes the sale
// (receipt number, stock, journal in one durable write) and prints. The
// terminal is asked without the checkout's lock (a vending terminal
// answers the confirmation with its receipt and a completion, which can
// take seconds); c.finishing keeps door events and staff from finishing
// the same sale twice meanwhile.
func (c *Checkout) finishLocked() {
	if c.finishing || c.pending == nil {
		return
	}
	c.finishing = true
	defer func() { c.finishing = false }()
	c.stopTimerLocked() // the release timeout must not fire while confirming
	if !c.doorOpenLocked() {
		c.relockLocked()
	}
	p := *c.pending
	req := p.Request()
	c.mu.Unlock()
	err := c.terminal(req).Confirm(c.ctx, req, true)
	var lines []string
	if tr, ok := c.terminal(req).(TerminalReceipt); ok && err == nil {
		lines = tr.LastReceipt()
	}
	c.mu.Lock()
	if errors.Is(err, ErrReversed) {
		c.reversedLocked(p, err)
		return
	}
	if err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Text: "terminal did not take the confirmation: " + err.Error()})
	}
	if len(lines) > 0 && p.Result != nil {
		res := *p.Result
		res.Lines = append(append([]string(nil), res.Lines...), lines...)
		p.Result = &res
	}
	done := c.saleEntry(p, "sale completed")
	c.diskLocked(diskMustDone) // the goods are out: written whatever the free space
	s, err := c.d.Sales.CompleteSale(c.ctx, NewSale(p, c.d.Clock.Now()), done)
	if err != nil {
		c.log.Error("complete sale", "sale", p.ID, "err", err)
		c.fire(EvReleaseFault)
		c.notice, c.arg = NoticeStorageError, ""
		return
	}
	done.ReceiptNo = s.No
	c.count(done)
	c.pending = nil
	doc := BuildReceipt(c.cfg.Shop, s)
	c.receipt, c.receiptN = &doc, s.No
	c.basket = Basket{}
	c.saleID = ""
	if c.state == Assistance {
		c.fire(EvStaffComplete)
	} else {
		c.fire(EvGoodsReleased)
	}
	c.clearNotice()
	go c.print(doc, s)
	go func() {
		if err := c.reloadCabinet(c.ctx); err == nil {
			c.notify()
		}
	}()
}

// reversedLocked handles a release the terminal did not keep the money
// for (ErrReversed: its vend time-out or an auto-reversal): the goods
// may be out, the money is back with the customer. No sale is recorded
// as paid (no receipt, no card payment in the books); the sale is voided
// with what happened in the journal, and staff is called to collect
// payment for the goods or take them back.
func (c *Checkout) reversedLocked(p PendingSale, err error) {
	why := "cabinet unlocked for the goods, but the terminal reversed the payment: nothing charged; staff must collect payment or take the goods back: " + err.Error()
	c.log.Warn("payment reversed after release", "sale", p.ID, "err", err)
	c.voidLocked(p, SubSaleCancelled, why)
	c.basket, c.saleID = Basket{}, ""
	if c.state == Releasing {
		c.fire(EvReleaseFault)
	} else {
		c.setStateLocked(Assistance)
	}
	c.notice, c.arg = NoticePaymentReversed, p.ID
}

// FinishReceipt leaves the receipt screen.
func (c *Checkout) FinishReceipt() error {
	c.mu.Lock()
	if !c.fire(EvDone) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: finish in %v", ErrNotNow, st)
	}
	c.receipt, c.receiptN = nil, 0
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	return nil
}

// CompartmentList names compartments in a message or the journal:
// "compartment 2", "compartments 1, 3".
func CompartmentList(ns []int) string {
	if len(ns) == 1 {
		return "compartment " + strconv.Itoa(ns[0])
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return "compartments " + strings.Join(parts, ", ")
}
