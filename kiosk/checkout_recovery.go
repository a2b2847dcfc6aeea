package kiosk

// Checkout: recovery after a restart. What a crash or power cut left
// pending is settled by asking the payment terminal, never by paying
// again.

import (
	"context"
	"errors"
	"fmt"
)

// recover settles one pending sale found at start.
func (c *Checkout) recover(ctx context.Context, p PendingSale) error {
	req := p.Request()
	c.log.Info("recovering pending sale", "sale", p.ID, "state", p.State)
	switch p.State {
	case PendingReleased:
		// The cabinet was unlocked, or the goods were on the counter: the
		// customer has them and the approval is on record. Keep the money.
		// The terminal is asked first (a new session knows nothing of the
		// approval), then told the goods are out; if it cannot confirm,
		// the journal says so for staff to check against the terminal.
		why := "completed after restart"
		if _, err := c.terminal(req).Recover(ctx, req); err != nil {
			c.log.Warn("recover after restart", "sale", p.ID, "err", err)
		}
		if err := c.terminal(req).Confirm(ctx, req, true); errors.Is(err, ErrReversed) {
			c.mu.Lock()
			c.reversedLocked(p, err)
			c.mu.Unlock()
			return nil
		} else if err != nil {
			c.log.Warn("confirm after restart", "sale", p.ID, "err", err)
			why += "; the terminal did not confirm the payment, staff must check it: " + err.Error()
		}
		s, err := c.d.Sales.CompleteSale(ctx, NewSale(p, c.d.Clock.Now()), c.saleEntry(p, why))
		if err != nil {
			return fmt.Errorf("kiosk: complete recovered sale %s: %w", p.ID, err)
		}
		c.log.Info("recovered sale completed", "sale", p.ID, "no", s.No)
		c.noteReceipt(s.No)
		c.notPrinted(s, "the kiosk restarted before the receipt was printed")
		return nil
	case PendingApproved:
		// Approved, but the goods never left the cabinet: reverse.
		return c.reverseAndVoid(ctx, p, "approved before restart, goods not released: payment reversed")
	}
	res, err := c.terminal(req).Recover(ctx, req)
	switch {
	case err == nil && res.Approved:
		// The approval never reached the journal, so nothing was released
		// and the customer was never told "paid".
		return c.reverseAndVoid(ctx, p, "approved at terminal but not recorded before restart: payment reversed")
	case err == nil:
		return c.void(ctx, p, SubPaymentDeclined, "declined before restart: "+res.Message)
	case errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrDeviceUnavailable):
		c.needStaff(p, "payment outcome unknown after restart; staff must check the terminal: "+err.Error())
		return nil
	default:
		return fmt.Errorf("kiosk: recover payment %s: %w", p.ID, err)
	}
}

// reverseAndVoid reverses an approved payment whose goods were not
// released and voids the sale. When the terminal does not take the
// reversal, the sale stays pending for staff: money taken is never
// written off silently.
func (c *Checkout) reverseAndVoid(ctx context.Context, p PendingSale, why string) error {
	req := p.Request()
	if err := c.terminal(req).Confirm(ctx, req, false); err != nil {
		c.needStaff(p, "payment approved before restart could not be reversed; staff must check the terminal: "+err.Error())
		return nil
	}
	return c.void(ctx, p, SubSaleCancelled, why)
}

// needStaff leaves p pending and the kiosk in Assistance, journaled.
func (c *Checkout) needStaff(p PendingSale, why string) {
	c.journal(Entry{Code: CodeOther, Subtype: SubPaymentUnknown, SaleID: p.ID, Amount: p.Amount, Text: why})
	c.mu.Lock()
	c.pending = &p
	c.saleID = p.ID
	c.basket = Basket{Lines: append([]Line(nil), p.Lines...)}
	c.setStateLocked(Assistance)
	c.notice, c.arg = NoticeRecoveryPending, p.ID
	c.mu.Unlock()
}

func (c *Checkout) void(ctx context.Context, p PendingSale, sub, why string) error {
	e := c.entry(CodeOther, sub, why)
	e.SaleID, e.Amount = p.ID, p.Amount
	if err := c.d.Sales.VoidPending(ctx, p.ID, e); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("kiosk: void sale %s: %w", p.ID, err)
	}
	return nil
}
