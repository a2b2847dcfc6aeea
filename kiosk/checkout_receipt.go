package kiosk

// Checkout: printing the sales receipt and journaling what happened once
// it happened (issue 12 item 4). kassasystemforskrifta § 2-6 fourth
// paragraph: a sale is not concluded without a sales receipt, and at most
// one copy of it is printed; § 2-8-6: the copy is marked «KOPI». The
// journal says 13012 only after the printer confirmed the receipt; a
// receipt it did not take is journaled 13030 with the reason and waits in
// the reprint queue (ReceiptStore) until the printer watch finds the
// printer ready, and is then printed and journaled 13012, printed late.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// print prints doc, the sales receipt of s just completed, outside the
// checkout's lock, and journals the outcome after it: 13012 once the
// printer confirmed it, or 13030 and the reprint queue when it did not.
func (c *Checkout) print(doc Document, s Sale) {
	c.noteReceipt(s.No)
	err := c.d.Printer.Print(c.ctx, doc)
	if err == nil {
		// The paper is out: journaled even when the kiosk is stopping
		// meanwhile, or the next start would print it a second time.
		c.journalCtx(context.WithoutCancel(c.ctx), c.printedEntry(s, nil))
		c.notify()
		return
	}
	if c.ctx.Err() != nil {
		// The kiosk is stopping: whether paper came out is not known, and
		// a stopped kiosk writes nothing more. The sale's own record
		// stands; no print is claimed.
		c.log.Warn("receipt not printed: the kiosk is stopping", "receipt", s.No, "err", err)
		return
	}
	c.notPrinted(s, err.Error())
	c.mu.Lock()
	if c.receiptN == s.No {
		c.notice = NoticeReceiptNotPrinted // paid: never "pay at the counter"
	}
	c.mu.Unlock()
	c.notify()
}

// maxReturnsSkipped bounds how many numbers back from the kiosk's last
// receipt number lastSaleReceipt looks for its last sales receipt.
const maxReturnsSkipped = 64

// lastSaleReceipt is the number of the kiosk's last sales receipt (0:
// none), the one "copy the last receipt" means. Returns take their
// numbers from the same counter, so it may be before the last number.
func (c *Checkout) lastSaleReceipt(ctx context.Context) (uint64, error) {
	last, err := c.d.Receipts.LastReceipt(ctx, c.cfg.KioskID)
	if err != nil {
		return 0, fmt.Errorf("kiosk: last receipt number: %w", err)
	}
	for steps := 0; last > 0 && steps < maxReturnsSkipped; steps++ {
		_, err := c.d.Sales.Sale(ctx, c.cfg.KioskID, last)
		if err == nil {
			return last, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return 0, fmt.Errorf("kiosk: last sales receipt: %w", err)
		}
		last--
	}
	return last, nil
}

// noteReceipt remembers no as the kiosk's last receipt number, for the
// copy (View.LastReceipt).
func (c *Checkout) noteReceipt(no uint64) {
	c.mu.Lock()
	c.lastReceipt = max(c.lastReceipt, no)
	c.mu.Unlock()
}

// lastReceiptLocked is the kiosk's last receipt number: the one on the
// receipt screen may not be printing yet.
func (c *Checkout) lastReceiptLocked() uint64 { return max(c.lastReceipt, c.receiptN) }

// printedEntry is the 13012 record of s's sales receipt, printed at the
// sale (q nil) or late from the reprint queue.
func (c *Checkout) printedEntry(s Sale, q *QueuedReceipt) Entry {
	e := c.entry(CodeSalesReceipt, SubReceiptPrinted, fmt.Sprintf("sales receipt %d printed", s.No))
	e.SaleID, e.ReceiptNo, e.Amount = s.ID, s.No, s.Total
	if q != nil {
		e.Text = fmt.Sprintf("sales receipt %d printed late; at the sale: %s", s.No, q.Reason)
		e.Data = map[string]string{DataPrinted: PrintedLate, DataQueued: q.Since.UTC().Format(time.RFC3339)}
	}
	if s.Training {
		trainingPrinted(&e, s)
	}
	return e
}

// notPrinted journals s as concluded without a receipt printed (13030,
// why) and puts its receipt in the reprint queue, in one durable write.
func (c *Checkout) notPrinted(s Sale, why string) {
	e := c.entry(CodeNoReceipt, "", fmt.Sprintf("sale concluded, sales receipt %d not printed: %s; it prints when the printer is back", s.No, why))
	e.SaleID, e.ReceiptNo, e.Amount = s.ID, s.No, s.Total
	e.Data = map[string]string{DataReason: why}
	markTraining(&e, s.Training)
	if c.d.Receipts == nil {
		e.Text = fmt.Sprintf("sale concluded, sales receipt %d not printed: %s; this kiosk has no reprint queue", s.No, why)
		c.journal(e)
		return
	}
	q := QueuedReceipt{Kiosk: s.Kiosk, No: s.No, SaleID: s.ID, Since: e.Time, Reason: why}
	err := c.d.Receipts.QueueReceipt(c.ctx, q, e)
	switch {
	case errors.Is(err, ErrConflict):
		return // queued and journaled already
	case err != nil:
		// The journal must still say it: on its own, without the queue.
		c.log.Error("queue unprinted receipt", "receipt", s.No, "err", err)
		e.Text = fmt.Sprintf("sale concluded, sales receipt %d not printed: %s; not queued for printing: %v", s.No, why, err)
		c.journal(e)
		return
	}
	c.count(e)
	c.mu.Lock()
	c.reprintGen++
	c.mu.Unlock()
}

// printQueued prints the receipts in the reprint queue, oldest first,
// while no customer is at the kiosk; the printer watch calls it when it
// finds the printer ready. Each is journaled 13012, printed late, and
// leaves the queue in one write after the printer confirmed it. A
// printer that fails again leaves the rest for its next look.
func (c *Checkout) printQueued(ctx context.Context) {
	c.mu.Lock()
	gen, done := c.reprintGen, c.reprintDone
	c.mu.Unlock()
	if c.d.Receipts == nil || gen == done {
		return
	}
	qs, err := c.d.Receipts.QueuedReceipts(ctx, c.cfg.KioskID)
	if err != nil {
		c.log.Error("reprint queue", "err", err)
		return
	}
	for _, q := range qs {
		if !c.customerAway() {
			return // the next look goes on
		}
		if err := c.printLate(ctx, q); err != nil {
			if ctx.Err() == nil {
				c.log.Warn("queued receipt not printed", "receipt", q.No, "err", err)
			}
			return
		}
	}
	c.mu.Lock()
	c.reprintDone = gen // nothing was queued since the list was read
	c.mu.Unlock()
}

// customerAway reports whether the kiosk has no customer: the reprint
// queue prints only then.
func (c *Checkout) customerAway() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return (c.state == Idle || c.state == OutOfOrder) && c.pending == nil
}

// printLate prints queued receipt q and records it printed. A receipt
// printed whose record failed is not printed again: only its record is
// retried.
func (c *Checkout) printLate(ctx context.Context, q QueuedReceipt) error {
	s, err := c.d.Sales.Sale(ctx, q.Kiosk, q.No)
	if err != nil {
		return fmt.Errorf("kiosk: queued receipt %d: %w", q.No, err)
	}
	c.mu.Lock()
	printed := slices.Contains(c.lateUnrecorded, q.No)
	c.mu.Unlock()
	if !printed {
		if err := c.d.Printer.Print(ctx, BuildLateReceipt(c.cfg.Shop, s, c.d.Clock.Now())); err != nil {
			return err
		}
		c.noteReceipt(q.No)
	}
	e := c.printedEntry(s, &q)
	err = c.d.Receipts.ReceiptPrinted(ctx, q.Kiosk, q.No, e)
	if err != nil && !errors.Is(err, ErrNotFound) {
		c.mu.Lock()
		if !printed {
			c.lateUnrecorded = append(c.lateUnrecorded, q.No)
		}
		c.mu.Unlock()
		return fmt.Errorf("kiosk: receipt %d printed late, not recorded: %w", q.No, err)
	}
	c.mu.Lock()
	c.lateUnrecorded = slices.DeleteFunc(c.lateUnrecorded, func(n uint64) bool { return n == q.No })
	c.mu.Unlock()
	if err == nil {
		c.count(e)
		c.notify() // today's counts changed
	}
	return nil
}

// copyReceipt prints the one copy of receipt o.Receipt (the kiosk's last
// when 0) for the staff member of sess, journaled 13014 with the count
// in one write once the printer confirmed it. A receipt that had its
// copy, or that waits in the reprint queue, is refused (a
// *ReceiptError), and the refusal journaled.
func (c *Checkout) copyReceipt(o Override, sess Session) (string, error) {
	if c.d.Receipts == nil {
		return "", fmt.Errorf("%w: this kiosk keeps no count of copies", ErrNotNow)
	}
	no := o.Receipt
	if no == 0 {
		last, err := c.lastSaleReceipt(c.ctx)
		if err != nil {
			return "", err
		}
		if last == 0 {
			return "", &ReceiptError{Err: ErrNotFound}
		}
		no = last
	}
	s, err := c.d.Sales.Sale(c.ctx, c.cfg.KioskID, no)
	if errors.Is(err, ErrNotFound) {
		return "", &ReceiptError{No: no, Err: ErrNotFound}
	} else if err != nil {
		return "", err
	}
	refuse := func(why error, text string) (string, error) {
		e := c.overrideEntry(SubOverrideRefused, sess.Staff, o, fmt.Sprintf("override refused: receipt %d %s", no, text))
		e.ReceiptNo, e.SaleID = no, s.ID
		c.journal(e)
		return "", &ReceiptError{No: no, Err: why}
	}
	qs, err := c.d.Receipts.QueuedReceipts(c.ctx, c.cfg.KioskID)
	if err != nil {
		return "", err
	}
	if slices.ContainsFunc(qs, func(q QueuedReceipt) bool { return q.No == no }) {
		return refuse(ErrReceiptQueued, "waits to be printed: no copy before the receipt")
	}
	n, err := c.d.Receipts.Copies(c.ctx, c.cfg.KioskID, no)
	if err != nil {
		return "", err
	}
	if n > 0 {
		return refuse(ErrCopyMade, "had its one copy (kassasystemforskrifta § 2-6)")
	}
	if err := c.d.Printer.Print(c.ctx, BuildCopyReceipt(c.cfg.Shop, s, c.d.Clock.Now())); err != nil {
		e := c.entry(CodeOther, SubDeviceFault, fmt.Sprintf("copy of sales receipt %d not printed: %v", no, err))
		e.ReceiptNo, e.SaleID = no, s.ID
		c.journal(e)
		return "", fmt.Errorf("kiosk: copy of receipt %d not printed: %w", no, err)
	}
	e := c.entry(CodeCopyReceipt, "", fmt.Sprintf("copy of sales receipt %d printed", no))
	e.SaleID, e.ReceiptNo, e.Amount = s.ID, no, s.Total
	e.Data = map[string]string{DataStaff: sess.Staff.ID}
	if _, err := c.d.Receipts.CopyPrinted(c.ctx, c.cfg.KioskID, no, e); err != nil {
		// On paper, but not counted: the journal says it all the same.
		c.log.Error("copy printed, not recorded", "receipt", no, "err", err)
		c.journal(e)
		return "", fmt.Errorf("kiosk: copy of receipt %d printed, not counted: %w", no, err)
	}
	c.count(e)
	return fmt.Sprintf(" (receipt %d)", no), nil
}

// receiptStaffError is the staff screen's account of a refused receipt
// action (a *ReceiptError); ok is false for other errors.
func receiptStaffError(err error) (e StaffError, arg string, ok bool) {
	if e, arg, ok := returnStaffError(err); ok {
		return e, arg, true
	}
	var re *ReceiptError
	if !errors.As(err, &re) {
		return StaffErrNone, "", false
	}
	if re.No > 0 {
		arg = strconv.FormatUint(re.No, 10)
	}
	switch {
	case errors.Is(err, ErrCopyMade):
		return StaffErrCopyMade, arg, true
	case errors.Is(err, ErrReceiptQueued):
		return StaffErrReceiptQueued, arg, true
	case errors.Is(err, ErrNotFound):
		return StaffErrNoReceipt, arg, true
	}
	return StaffErrNone, "", false
}

// startReceipts reads the kiosk's last receipt number and has the printer
// watch look at the reprint queue, which may hold receipts from before
// the restart.
func (c *Checkout) startReceipts(ctx context.Context) error {
	if c.d.Receipts == nil {
		return nil
	}
	last, err := c.lastSaleReceipt(ctx)
	if err != nil {
		return err
	}
	c.noteReceipt(last)
	// Receipts of sales concluded just before the kiosk stopped, whose
	// printing was never journaled either way (countToday found them):
	// the paper may or may not have come out, and the journal must not
	// claim it did. They are journaled as not printed and queued, so
	// that the printer watch prints them (§ 2-6 fourth paragraph: no sale
	// concluded without its receipt).
	nos := make([]uint64, 0, len(c.unprinted))
	for no := range c.unprinted {
		nos = append(nos, no)
	}
	slices.Sort(nos)
	for _, no := range nos {
		s, err := c.d.Sales.Sale(ctx, c.cfg.KioskID, no)
		if err != nil {
			c.log.Error("unprinted receipt at start", "receipt", no, "err", err)
			continue
		}
		c.notPrinted(s, "the kiosk stopped before the receipt was printed")
	}
	c.unprinted = nil
	c.mu.Lock()
	c.reprintGen++
	c.mu.Unlock()
	return nil
}
