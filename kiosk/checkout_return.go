package kiosk

// Checkout: the supervisor's return override (issue 12 item 4;
// kassasystemforskrifta § 2-8-5). Staff types the sales receipt's number
// (Returnable shows its lines and what is left to return), chooses lines
// and quantities and how the money goes back, and Override(OvReturn)
// does it: the card refund through the terminal first (TerminalRefund),
// then, only once the money went back, the return in one store write
// (its signed 11006 cash transaction, the returned quantities, the stock
// and the report totals), then the return receipt, journaled 13013 once
// the printer took it. A refund the terminal declines, or whose outcome
// is unknown, records no return: staff is told, and the journal says it.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Subtypes of the 13999 records of a card refund: asked before the
// terminal is, then what it answered when that was not an approval (an
// approval is the return's own 11006 record).
const (
	SubRefundAsked    = "refund-asked"
	SubRefundDeclined = "refund-declined"
	SubRefundUnknown  = "refund-unknown"
	// SubReturnNotRecorded: the terminal refunded, but the store did not
	// take the return: the money went back with no 11006 record.
	SubReturnNotRecorded = "return-not-recorded"
)

// Errors of a card refund that went wrong: nothing was recorded as
// returned.
var (
	// ErrRefundDeclined: the terminal refused, or the customer gave up;
	// no money went back.
	ErrRefundDeclined = errors.New("kiosk: refund declined")
	// ErrRefundUnknown: the terminal may or may not have refunded; staff
	// checks the terminal before trying again.
	ErrRefundUnknown = errors.New("kiosk: refund outcome unknown")
	// ErrNoCardRefund: the payment terminal cannot refund to a card.
	ErrNoCardRefund = errors.New("kiosk: the terminal cannot refund to a card")
)

// returnAvailableLocked: returns are made between customers, on a kiosk
// that keeps them.
func (c *Checkout) returnAvailableLocked() bool {
	idle := c.state == Idle || c.state == OutOfOrder
	return c.d.Returns != nil && idle && c.pending == nil
}

// CanRefundToCard reports whether the payment terminal can refund to a
// card (TerminalRefund); without it a return is refunded at the counter.
func (c *Checkout) CanRefundToCard() bool {
	_, ok := c.d.Terminal.(TerminalRefund)
	return ok
}

// Returnable is sales receipt no of this kiosk with what was returned of
// it so far, for the staff screen's return. Errors: ErrNoSession without
// a signed-in staff member; ErrNotNow when the kiosk keeps no returns; a
// *ReturnError wrapping ErrNotFound for no such receipt; the store's.
func (c *Checkout) Returnable(no uint64) (Returnable, error) {
	c.mu.Lock()
	st := c.staff
	c.mu.Unlock()
	if st == nil || st.phase != StaffSignedIn {
		return Returnable{}, fmt.Errorf("%w: return", ErrNoSession)
	}
	if c.d.Returns == nil {
		return Returnable{}, fmt.Errorf("%w: this kiosk keeps no returns", ErrNotNow)
	}
	s, returned, err := c.returnSale(no)
	if err != nil {
		return Returnable{}, err
	}
	return ReturnableOf(s, returned), nil
}

// returnSale reads sale no and what was returned of it.
func (c *Checkout) returnSale(no uint64) (Sale, map[GTIN]int, error) {
	s, err := c.d.Sales.Sale(c.ctx, c.cfg.KioskID, no)
	if errors.Is(err, ErrNotFound) {
		return Sale{}, nil, &ReturnError{No: no, Err: ErrNotFound}
	} else if err != nil {
		return Sale{}, nil, err
	}
	returned, err := c.d.Returns.Returned(c.ctx, c.cfg.KioskID, no)
	if errors.Is(err, ErrNotFound) {
		return Sale{}, nil, &ReturnError{No: no, Err: ErrNotFound}
	} else if err != nil {
		return Sale{}, nil, err
	}
	return s, returned, nil
}

// doReturn makes the return o asks for, for the staff member of sess.
func (c *Checkout) doReturn(o Override, sess Session) (string, error) {
	if c.d.Returns == nil {
		return "", fmt.Errorf("%w: this kiosk keeps no returns", ErrNotNow)
	}
	if o.Return == nil {
		return "", fmt.Errorf("%w: no lines chosen for the return", ErrNotNow)
	}
	req := *o.Return
	no := o.Receipt
	s, returned, err := c.returnSale(no)
	if err != nil {
		return "", err
	}
	r, err := NewReturn(s, returned, req.Lines)
	if err != nil {
		e := c.overrideEntry(SubOverrideRefused, sess.Staff, o, fmt.Sprintf("override refused: return of receipt %d: %v", no, err))
		e.ReceiptNo, e.SaleID = no, s.ID
		c.journal(e)
		return "", &ReturnError{No: no, Err: err}
	}
	now := c.d.Clock.Now()
	r.ID = newSaleID(c.cfg.KioskID, now) + "-R"
	r.Time, r.Staff, r.Method, r.Reason = now, sess.Staff.ID, req.Refund, o.Reason
	what := strings.Join(returnedSorted(r.Lines), ", ")
	switch req.Refund {
	case RefundCard:
		res, err := c.refundToCard(r, what)
		if err != nil {
			return "", &ReturnError{No: no, Err: err}
		}
		r.Refund = res
	case RefundCounter:
	default:
		return "", fmt.Errorf("%w: no refund method for the return", ErrNotNow)
	}
	text := fmt.Sprintf("return of %s from receipt %d: %s refunded %s", what, no, r.Total, refundWords(r.Method))
	e := returnEntry(r, c.entry(CodeReturnPayment, "", text))
	done, err := c.d.Returns.CompleteReturn(c.ctx, r, e)
	if err != nil {
		if r.Method == RefundCard {
			// The money went back; the journal must say so, even though
			// the return itself could not be stored.
			f := c.entry(CodeOther, SubReturnNotRecorded, fmt.Sprintf("%s refunded to card %s (trace %s) for receipt %d, but the return was not recorded: %v",
				r.Total, r.Refund.MaskedPAN, r.Refund.Trace, no, err))
			f.SaleID, f.ReceiptNo, f.Amount = s.ID, no, -r.Total
			c.journal(f)
		}
		return "", fmt.Errorf("kiosk: return of receipt %d: %w", no, err)
	}
	c.count(e)
	detail := fmt.Sprintf(" (receipt %d: %s; return receipt %d, %s %s", no, what, done.No, done.Total, refundWords(done.Method))
	if err := c.d.Printer.Print(c.ctx, BuildReturnReceipt(c.cfg.Shop, done)); err != nil {
		f := c.entry(CodeOther, SubDeviceFault, fmt.Sprintf("return receipt %d (return of receipt %d) not printed: %v", done.No, no, err))
		f.ReceiptNo, f.SaleID = done.No, s.ID
		c.journal(f)
		return detail + "; not printed: " + err.Error() + ")", nil
	}
	p := c.entry(CodeReturnReceipt, "", fmt.Sprintf("return receipt %d printed (return of receipt %d)", done.No, no))
	p.ReceiptNo, p.SaleID, p.Amount = done.No, s.ID, -done.Total
	p.Data = map[string]string{DataOriginal: strconv.FormatUint(no, 10), DataStaff: sess.Staff.ID}
	c.journal(p)
	return detail + ", printed)", nil
}

// refundToCard pays r.Total back through the terminal, journaling the
// request before it and anything but an approval after it. Errors:
// ErrNoCardRefund, ErrRefundDeclined or ErrRefundUnknown (wrapped, with
// the terminal's words).
func (c *Checkout) refundToCard(r Return, what string) (PaymentResult, error) {
	tr, ok := c.d.Terminal.(TerminalRefund)
	if !ok {
		return PaymentResult{}, ErrNoCardRefund
	}
	e := c.entry(CodeOther, SubRefundAsked, fmt.Sprintf("refund of %s to card asked of the terminal: return of %s from receipt %d", r.Total, what, r.Original))
	e.SaleID, e.ReceiptNo, e.Amount = r.OriginalSale, r.Original, -r.Total
	e.Data = map[string]string{"return": r.ID, DataStaff: r.Staff}
	c.journal(e)
	res, err := tr.Refund(c.ctx, RefundRequest{ReturnID: r.ID, Amount: r.Total})
	fail := func(sub string, sentinel error, why string) (PaymentResult, error) {
		f := c.entry(CodeOther, sub, fmt.Sprintf("refund of %s for receipt %d %s; nothing recorded as returned", r.Total, r.Original, why))
		f.SaleID, f.ReceiptNo, f.Amount = r.OriginalSale, r.Original, -r.Total
		f.Data = map[string]string{"return": r.ID, DataStaff: r.Staff}
		c.journal(f)
		return PaymentResult{}, fmt.Errorf("%w: %s", sentinel, why)
	}
	switch {
	case errors.Is(err, ErrOutcomeUnknown):
		return fail(SubRefundUnknown, ErrRefundUnknown, "outcome unknown, check the terminal: "+err.Error())
	case err != nil:
		return fail(SubRefundDeclined, ErrRefundDeclined, "not made: "+err.Error())
	case !res.Approved:
		why := res.Message
		if why == "" {
			why = "code " + res.Code
		}
		return fail(SubRefundDeclined, ErrRefundDeclined, "declined: "+why)
	}
	return res, nil
}

func refundWords(m RefundMethod) string {
	if m == RefundCard {
		return "to the card"
	}
	return "at the counter"
}

// returnStaffError is the staff screen's account of a refused or failed
// return (a *ReturnError); ok is false for other errors.
func returnStaffError(err error) (e StaffError, arg string, ok bool) {
	var re *ReturnError
	if !errors.As(err, &re) {
		return StaffErrNone, "", false
	}
	no := strconv.FormatUint(re.No, 10)
	switch {
	case errors.Is(err, ErrOverReturn):
		return StaffErrOverReturn, no, true
	case errors.Is(err, ErrNotFound):
		return StaffErrNoReceipt, no, true
	case errors.Is(err, ErrRefundUnknown):
		return StaffErrRefundUnknown, strings.TrimPrefix(re.Err.Error(), ErrRefundUnknown.Error()+": "), true
	case errors.Is(err, ErrRefundDeclined):
		return StaffErrRefundDeclined, strings.TrimPrefix(re.Err.Error(), ErrRefundDeclined.Error()+": "), true
	case errors.Is(err, ErrNoCardRefund):
		return StaffErrRefundDeclined, ErrNoCardRefund.Error(), true
	}
	return StaffErrNone, "", false
}
