package kiosk

// Checkout: calling staff, and what staff does on the assistance screen.

import (
	"fmt"
)

// Help calls staff.
func (c *Checkout) Help() error {
	c.mu.Lock()
	if !c.fire(EvHelp) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: help in %v", ErrNotNow, st)
	}
	c.stopAgeCheckLocked()
	c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "customer called staff"})
	c.mu.Unlock()
	c.notify()
	return nil
}

// StaffResume sends the customer back to the basket (nothing was paid).
func (c *Checkout) StaffResume() error {
	c.mu.Lock()
	if c.state != Assistance || c.pending != nil {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: resume in %v", ErrNotNow, st)
	}
	c.fire(EvStaffResume)
	c.clearNotice()
	if c.basket.Empty() {
		c.fire(EvBasketEmptied)
		c.saleID = ""
	}
	c.mu.Unlock()
	c.notify()
	return nil
}

// StaffCancel ends the sale: a payment in flight is reversed or, when its
// outcome is unknown, voided with a journal note for the end-of-day check.
// A sale whose goods were released cannot be cancelled (ErrNotNow): the
// buttons are on the customer's screen, and a paid customer holding the
// goods must not be able to reverse the payment.
func (c *Checkout) StaffCancel() error {
	c.mu.Lock()
	if c.state != Assistance {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: staff cancel in %v", ErrNotNow, st)
	}
	if c.pending != nil && c.pending.State == PendingReleased {
		// The customer may have the goods: a paid, released sale is
		// completed, never reversed from this screen.
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
		res, err := c.d.Terminal.Recover(c.ctx, req)
		switch {
		case err != nil:
			return why + "; payment outcome unknown, check the terminal's end-of-day: " + err.Error()
		case !res.Approved:
			return why
		}
	}
	if err := c.d.Terminal.Confirm(c.ctx, req, false); err != nil {
		return why + "; reversal not confirmed: " + err.Error()
	}
	return why + "; payment reversed"
}

// StaffComplete completes a paid sale whose goods staff handed over.
func (c *Checkout) StaffComplete() error {
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
