package kiosk

// Checkout: the age check staff answers before restricted goods are paid
// for.

import (
	"context"
)

func (c *Checkout) startAgeCheckLocked() {
	ctx, cancel := context.WithCancel(c.ctx)
	c.ageStop = cancel
	var items []string
	for _, l := range c.basket.Lines {
		if l.Product.Restricted() {
			items = append(items, l.Product.Name)
		}
	}
	req := AgeCheck{SaleID: c.saleID, MinAge: AdultAge, Items: items}
	go func() {
		a, err := c.d.Staff.RequestAgeCheck(ctx, req)
		c.ageResult(req.SaleID, a, err)
	}()
}

func (c *Checkout) stopAgeCheckLocked() {
	if c.ageStop != nil {
		c.ageStop()
		c.ageStop = nil
	}
}

func (c *Checkout) ageResult(sale string, a Approval, err error) {
	c.mu.Lock()
	if c.state != AgeCheckPending || c.saleID != sale {
		c.mu.Unlock()
		return // withdrawn
	}
	c.ageStop = nil
	switch {
	case err != nil:
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: sale, Text: "age check unavailable: " + err.Error()})
		c.fire(EvHelp)
		c.mu.Unlock()
		c.notify()
		return
	case a.Approved:
		c.ageBy = a.Staff
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeApproved, SaleID: sale,
			Text: "age verified by staff", Data: map[string]string{"staff": a.Staff, "method": a.Method}})
		c.fire(EvAgeApproved)
		c.mu.Unlock()
		c.notify()
		c.startPayment()
		return
	default:
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeRefused, SaleID: sale,
			Text: "age check refused by staff", Data: map[string]string{"staff": a.Staff, "method": a.Method}})
		c.basket.RemoveRestricted()
		c.fire(EvAgeRefused)
		c.notice, c.arg = NoticeAgeRefused, ""
		if c.basket.Empty() {
			c.fire(EvBasketEmptied)
			c.saleID = ""
		}
		c.mu.Unlock()
		c.notify()
	}
}
