package zvtsim

import (
	"selvkasse/devices/zvt"
)

// refund answers Refund 06 31 (ZVT 13.08 §2.15) as the Authorization's
// sequence without the vending hold: 80-00, then at once the
// Status-Information (approved, or 05 declined when the simulator
// declines payments of the amount or is set to Decline), the receipt
// lines, and Completion. SetSilent makes it answer nothing. A refund without an amount, or not in NOK, is
// refused with 84-9A.
func (c *conn) refund(a zvt.APDU) error {
	r, err := zvt.ParseRefund(a.Data)
	if err != nil {
		return c.send(zvt.Nak(0x9A))
	}
	s := c.s
	s.mu.Lock()
	if s.refuseCurrency {
		s.mu.Unlock()
		return c.send(zvt.APDU{Cmd: 0x841E, Data: []byte{zvt.ResultWrongCurrency}})
	}
	silent := s.silent
	s.mu.Unlock()
	if silent {
		return nil // as for 06 01: no answer at all
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	s.mu.Lock()
	if c.gone {
		s.mu.Unlock()
		return ErrDropped
	}
	code := zvt.ResultOK
	if s.decision == Decline || s.declineIf(r.Amount) {
		code = 0x05 // card not accepted
	}
	t := s.newTxnLocked(r.Amount, code)
	t.Refund = true
	s.mu.Unlock()
	st := c.statusAPDU(t)
	if code != zvt.ResultOK {
		if err := c.sendAcked(st); err != nil {
			return err
		}
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{code}})
	}
	if err := c.sendAcked(st); err != nil {
		return err
	}
	if err := c.receiptLines(t); err != nil {
		return err
	}
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
}
