package kiosk

// Checkout: stock work on the staff screen (issue 13 item 4). A staff
// member who may receive stock (ActReceiveStock) opens receiving
// (StaffReceiving): a product scanned then is the one received, not a
// customer's sale; the quantity typed on the keypad books it
// (ReceiveStock), journaled by the store (13999 SubStockReceipt) with the
// staff member, and the session stays for the next product. The staff
// screen also shows the stock status (Deps.Stock.StockStatus): products
// at or below their threshold, shelf products to recount, and the first
// of the stock-out outlook, read at sign-in and after each receipt.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// StockReceipt is the goods of an OvReceiveStock override.
type StockReceipt struct {
	GTIN GTIN
	Qty  int
}

// StaffStock is the stock as the staff screen shows it.
type StaffStock struct {
	Receiving bool     // scans go to receiving
	Scanned   *Product // the product scanned while receiving, as looked up
	// Unknown is the last code scanned while receiving that is no
	// product of the catalog (or no barcode at all), until a product is
	// scanned: the staff member is told so where they look.
	Unknown string
	// Received is the last product booked in this session and Qty how
	// many; nil: none yet.
	Received *Product
	Qty      int
	Status   *StockStatus // nil while it is read, or without a stock store
	Err      string       // why the status could not be read
}

// stockSession is a staff session's stock work.
type stockSession struct {
	receiving bool
	scanned   *Product
	unknown   string
	received  *Product
	qty       int
	status    *StockStatus
	err       string
	gen       uint64 // the status read under way
}

// outlookParams is the configured outlook, the defaults for zero values.
func (c *Checkout) outlookParams() OutlookParams {
	p := c.cfg.Outlook
	d := DefaultOutlook
	if p.Days <= 0 {
		p.Days = d.Days
	}
	if p.LeadTime <= 0 {
		p.LeadTime = d.LeadTime
	}
	if p.Review <= 0 {
		p.Review = d.Review
	}
	return p
}

// readStockLocked reads st's stock status in the background (at sign-in
// and after a receipt); the staff screen shows it when it is there.
func (c *Checkout) readStockLocked(st *staffState) {
	if c.d.Stock == nil || st == nil || st.phase != StaffSignedIn {
		return
	}
	if st.stock == nil {
		st.stock = &stockSession{}
	}
	st.stock.gen++
	gen, ctx, now := st.stock.gen, c.ctx, c.d.Clock.Now()
	go func() {
		s, err := c.d.Stock.StockStatus(ctx, now, c.outlookParams())
		c.mu.Lock()
		if c.staff != st || st.stock.gen != gen {
			c.mu.Unlock()
			return
		}
		if err != nil {
			st.stock.err = err.Error()
		} else {
			st.stock.status, st.stock.err = &s, ""
		}
		c.mu.Unlock()
		c.notify()
	}()
}

// stockViewLocked is st's stock for the staff screen.
func stockViewLocked(st *staffState) *StaffStock {
	ss := st.stock
	if ss == nil {
		return nil
	}
	return &StaffStock{Receiving: ss.receiving, Scanned: ss.scanned, Unknown: ss.unknown, Received: ss.received, Qty: ss.qty, Status: ss.status, Err: ss.err}
}

// StaffReceiving opens (on) or closes receiving on the staff screen: while
// it is open a product scanned is shown to be received, not sold. Errors:
// ErrNoSession; ErrNotPermitted for a role that may not receive stock;
// ErrNotNow when OvReceiveStock does not apply (a customer's sale is
// under way, or no stock store).
func (c *Checkout) StaffReceiving(on bool) error {
	c.mu.Lock()
	defer c.notify()
	defer c.mu.Unlock()
	st := c.staff
	if st == nil || st.phase != StaffSignedIn {
		return fmt.Errorf("%w: receiving", ErrNoSession)
	}
	if !on {
		if st.stock != nil {
			st.stock.receiving, st.stock.scanned, st.stock.unknown = false, nil, ""
		}
		c.touchStaffLocked()
		return nil
	}
	if !st.staff.Role.May(ActReceiveStock) {
		return fmt.Errorf("%w: a %v may not %v", ErrNotPermitted, st.staff.Role, ActReceiveStock)
	}
	if !c.overrideAvailableLocked(Override{Kind: OvReceiveStock}) {
		return fmt.Errorf("%w: receiving in %v", ErrNotNow, c.state)
	}
	if st.stock == nil {
		st.stock = &stockSession{}
	}
	st.stock.receiving = true
	c.touchStaffLocked()
	return nil
}

// stockScan takes product p scanned while receiving is open, and reports
// whether it did (the scan is then no customer's).
func (c *Checkout) stockScan(p Product) bool { return c.stockTake(&p, "") }

// stockUnknown takes code, which is no product (or no barcode), when
// staff are receiving goods: the receiving step says so, instead of the
// customer's notice "ask a staff member" beside it. It reports whether
// it took the code.
func (c *Checkout) stockUnknown(code string) bool { return c.stockTake(nil, code) }

// stockTake makes p, or the unknown code, the receiving step's scan when
// receiving is open, and reports whether it is.
func (c *Checkout) stockTake(p *Product, unknown string) bool {
	c.mu.Lock()
	st := c.staff
	if st == nil || st.phase != StaffSignedIn || st.stock == nil || !st.stock.receiving {
		c.mu.Unlock()
		return false
	}
	st.stock.scanned, st.stock.unknown = p, unknown
	c.touchStaffLocked()
	c.mu.Unlock()
	c.notify()
	return true
}

// ReceiveStock books qty of g received by the signed-in staff member
// (journaled by the store, 13999 SubStockReceipt), ends the scanned
// product's step and reads the stock status again; the session stays.
// Errors: ErrNoSession; ErrNotPermitted (the role may not receive);
// ErrNotNow (no stock store, or a customer's sale under way);
// ErrBadStockQty; ErrNotFound; a store error (View.Staff.Error says it).
func (c *Checkout) ReceiveStock(g GTIN, qty int) error {
	if err := CheckReceiveQty(qty); err != nil {
		return err
	}
	c.mu.Lock()
	st := c.staff
	if st == nil || st.phase != StaffSignedIn {
		c.mu.Unlock()
		return fmt.Errorf("%w: receive stock", ErrNoSession)
	}
	if !c.overrideAvailableLocked(Override{Kind: OvReceiveStock}) {
		c.mu.Unlock()
		return fmt.Errorf("%w: receiving in %v", ErrNotNow, c.state)
	}
	c.mu.Unlock()
	sess, err := c.d.Login.Authorize(c.ctx, ActReceiveStock)
	if err != nil {
		c.mu.Lock()
		if c.staff == st && errors.Is(err, ErrNotPermitted) {
			st.err, st.errArg = StaffErrNotPermitted, OvReceiveStock.String()
		}
		c.mu.Unlock()
		c.notify()
		return err
	}
	p, err := c.receive(c.ctx, g, qty, sess)
	c.mu.Lock()
	if c.staff == st {
		if err != nil {
			st.err, st.errArg = StaffErrFailed, err.Error()
		} else {
			st.err, st.errArg = StaffErrNone, ""
			if st.stock == nil {
				st.stock = &stockSession{}
			}
			st.stock.scanned, st.stock.received, st.stock.qty = nil, &p, qty
			c.readStockLocked(st)
		}
		c.touchStaffLocked()
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// receive books the goods for sess's staff member.
func (c *Checkout) receive(ctx context.Context, g GTIN, qty int, sess Session) (Product, error) {
	if c.d.Stock == nil {
		return Product{}, fmt.Errorf("%w: no stock store", ErrNotNow)
	}
	e := c.entry(CodeOther, SubStockReceipt, "")
	return c.d.Stock.ReceiveStock(ctx, g, qty, sess.Staff.ID, e)
}

// receiveOverride is OvReceiveStock as a one-shot override: o.Receive's
// goods, booked; the override's record says what.
func (c *Checkout) receiveOverride(o Override, sess Session) (string, error) {
	if o.Receive == nil {
		return "", fmt.Errorf("%w: no goods given", ErrNotNow)
	}
	p, err := c.receive(c.ctx, o.Receive.GTIN, o.Receive.Qty, sess)
	if err != nil {
		return "", err
	}
	return " (" + strconv.Itoa(o.Receive.Qty) + " × " + p.Name + ", stock " + strconv.Itoa(p.Stock) + ")", nil
}
