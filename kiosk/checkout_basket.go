package kiosk

// Checkout: the customer's basket (scans, items, quantities) and
// cancelling an unpaid sale.

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

func newSaleID(kiosk string, now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return kiosk + "-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// Scan handles a code from the scanner: a product goes into the basket; a
// bad or unknown code shows a notice and is journaled.
func (c *Checkout) Scan(code string) {
	if c.priceCheckScan(Scan{Code: code}) {
		return // price check: shown, not added (checkout_pricecheck.go)
	}
	g, err := ParseGTIN(code)
	if err != nil {
		c.Touch() // a scan is the customer's activity (checkout_timers.go)
		c.journal(c.entry(CodeOther, SubScanError, err.Error()))
		if c.stockUnknown(code) {
			return
		}
		c.setNotice(NoticeBadCode, code)
		return
	}
	p, err := c.d.Catalog.Lookup(c.ctx, g)
	if errors.Is(err, ErrNotFound) {
		c.Touch()
		e := c.entry(CodePriceLookup, SubLookupMiss, "unknown code "+code)
		e.Data = map[string]string{"code": code}
		c.journal(e)
		if c.stockUnknown(code) {
			return
		}
		c.setNotice(NoticeUnknownCode, code)
		return
	}
	if err != nil {
		c.log.Error("catalog lookup", "code", code, "err", err)
		c.setNotice(NoticeStorageError, "")
		return
	}
	if c.stockScan(p) { // staff receiving goods (checkout_stock.go)
		return
	}
	c.mu.Lock()
	staff := c.staff != nil
	c.mu.Unlock()
	if staff {
		// A product scanned is the customer's sale going on: the staff
		// screen closes and the session ends.
		c.endStaff("the customer's sale resumed")
	}
	if err := c.addProduct(p); errors.Is(err, ErrNotNow) {
		c.Touch()
		// Never dropped silently: the customer sees it was not added.
		c.setNotice(NoticeScanNotNow, p.Name)
	}
}

func (c *Checkout) saleIDNow() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saleID
}

// Add puts one of the product with GTIN g into the basket (from the
// cabinet list).
func (c *Checkout) Add(g GTIN) error {
	p, err := c.d.Catalog.Lookup(c.ctx, g)
	if err != nil {
		return err
	}
	return c.addProduct(p)
}

func (c *Checkout) addProduct(p Product) error {
	return c.addTo(p, func(b *Basket) error { return b.Add(p) })
}

// addTo is addProduct with the basket's change made by add.
func (c *Checkout) addTo(p Product, add func(*Basket) error) error {
	c.mu.Lock()
	if !Accepts(c.state, EvItemAdded) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: adding items in %v", ErrNotNow, st)
	}
	if (c.state == Receipt || c.state == Idle) && !c.diskLocked(diskStart) {
		c.mu.Unlock() // no sale starts on a full disk (checkout_disk.go)
		c.notify()
		return fmt.Errorf("%w: %s", ErrNotNow, DevDisk)
	}
	if c.state == Receipt || c.state == Idle {
		c.receipt, c.receiptN = nil, 0
		c.basket = Basket{}
		c.saleID = newSaleID(c.cfg.KioskID, c.d.Clock.Now())
		c.ageBy, c.attempt = "", 0
	}
	n := len(c.basket.Lines)
	err := add(&c.basket)
	if err == nil && len(c.basket.Lines) > n {
		c.addedLocked(c.basket.Lines[len(c.basket.Lines)-1].key(), err) // a new line: an in-store one is keyed by its code
	} else {
		c.addedLocked(p.GTIN, err)
	}
	if err == nil && p.Restricted() {
		c.ageAddedLocked(p)
	}
	switch {
	case errors.Is(err, ErrOutOfStock):
		c.notice, c.arg = NoticeOutOfStock, p.Name
	case errors.Is(err, ErrSoldByWeight):
		c.notice, c.arg = NoticeSoldByWeight, p.Name
	case errors.Is(err, ErrBadQty):
		c.notice, c.arg = NoticeTooMany, p.Name
	case err == nil:
		c.clearNotice()
	}
	if c.basket.Empty() {
		c.saleID = ""
	} else {
		c.fire(EvItemAdded)
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// SetQty changes a basket line; 0 removes it.
func (c *Checkout) SetQty(g GTIN, qty int) error {
	c.mu.Lock()
	if c.state != Shopping && c.state != TimeoutWarning {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: changing the basket in %v", ErrNotNow, st)
	}
	var before Line
	if i := c.basket.find(g); i >= 0 {
		before = c.basket.Lines[i]
	}
	err := c.basket.SetQty(g, qty)
	if qty > before.Qty {
		c.addedLocked(g, err)
	}
	if err == nil && qty > before.Qty && before.Product.Restricted() {
		c.ageAddedLocked(before.Product)
	}
	if errors.Is(err, ErrOutOfStock) || errors.Is(err, ErrBadQty) {
		c.notice, c.arg = NoticeTooMany, g.String()
	}
	if err == nil {
		c.clearNotice()
		if c.basket.Empty() {
			// The line taken out was all the basket held: the sale is
			// cancelled, with its amount, as Cancel does.
			c.journalCancelLocked("basket emptied", before.Total())
			c.basketEmptiedLocked()
		} else {
			if qty < before.Qty {
				c.journalReductionLocked(before, qty)
			}
			c.fire(EvTouch)
			c.armTimer()
		}
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// journalReductionLocked journals line l reduced to qty (0: taken out)
// before payment: a line correction of the kind «feilslag»
// (kassasystemforskrifta § 2-8-2 (1) s). Skatteetaten counts a
// reduction only, once per line corrected, with the amount taken off;
// the X and Z reports count it with the lines staff voided.
func (c *Checkout) journalReductionLocked(l Line, qty int) {
	after := l
	after.Qty = qty
	removed := l.Qty - qty
	e := c.entry(CodeOther, SubLineReduced, fmt.Sprintf("line reduced before payment: %d × %s, %d left", removed, l.Product.Name, qty))
	e.SaleID, e.Amount = c.saleID, l.Total()-after.Total()
	e.Data = map[string]string{"gtin": string(l.Product.GTIN), "qty": strconv.Itoa(removed), "left": strconv.Itoa(qty)}
	inStoreData(e.Data, l)
	markTraining(&e, c.trn.on)
	c.journal(e)
}

// basketEmptiedLocked ends the sale whose basket was emptied: back to the
// welcome screen, with no sale open.
func (c *Checkout) basketEmptiedLocked() {
	c.fire(EvBasketEmptied)
	c.saleID = ""
}

// Remove takes a line out of the basket.
func (c *Checkout) Remove(g GTIN) error { return c.SetQty(g, 0) }

// Touch tells the checkout the customer is there: a tap anywhere on the
// customer screen, a key, a scan. The inactivity timer starts again
// (Shopping, the declined screen); on the warning the customer gets more
// time, back to the screen it came over, while View.ExtendsLeft is above
// zero (checkout_timers.go). It never blocks, and publishes a view only
// when the screen changes.
func (c *Checkout) Touch() {
	c.mu.Lock()
	changed := c.touchLocked()
	c.mu.Unlock()
	if changed {
		c.notify()
	}
}

// Cancel abandons the customer's unpaid sale. While the terminal has the
// payment it asks the terminal to abort and returns: the sale ends when
// the terminal answered, or staff settles it (cancelPayingLocked).
func (c *Checkout) Cancel() error {
	c.mu.Lock()
	if c.state == Paying {
		c.cancelPayingLocked()
		c.mu.Unlock()
		c.notify()
		return nil
	}
	if !Accepts(c.state, EvCancel) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: cancel in %v", ErrNotNow, st)
	}
	c.cancelSaleLocked("cancelled by customer")
	c.fire(EvCancel)
	c.notice, c.arg = NoticeCancelled, ""
	c.mu.Unlock()
	c.notify()
	return nil
}

// journalCancelLocked journals the open sale cancelled for why, with
// amount, what its basket held.
func (c *Checkout) journalCancelLocked(why string, amount Money) {
	e := c.entry(CodeOther, SubSaleCancelled, why)
	e.SaleID, e.Amount = c.saleID, amount
	c.journal(e)
}

// cancelSaleLocked journals the end of an unpaid sale and clears it.
func (c *Checkout) cancelSaleLocked(why string) {
	c.stopAgeCheckLocked()
	if !c.basket.Empty() {
		c.journalCancelLocked(why, c.basket.Total())
	}
	c.basket = Basket{}
	c.saleID, c.ageBy, c.attempt, c.pending = "", "", 0, nil
}
