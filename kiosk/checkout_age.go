package kiosk

// Checkout: the age check staff answers before restricted goods are paid
// for.

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// startAgeCheckLocked asks staff to check the customer's age against the
// highest age limit in the basket.
func (c *Checkout) startAgeCheckLocked() {
	ctx, cancel := context.WithCancel(c.ctx)
	c.ageStop = cancel
	c.ageSince = c.d.Clock.Now()
	var items []string
	for _, l := range c.basket.Lines {
		if l.Product.Restricted() {
			items = append(items, l.Product.Name)
		}
	}
	req := AgeCheck{SaleID: c.saleID, MinAge: c.basket.AgeLimit(), Items: items}
	go func() {
		a, err := c.d.Staff.RequestAgeCheck(ctx, req)
		if ctx.Err() != nil {
			return // withdrawn, or answered on the staff screen
		}
		c.ageResult(req.SaleID, a, err)
	}()
}

func (c *Checkout) stopAgeCheckLocked() {
	if c.ageStop != nil {
		c.ageStop()
		c.ageStop = nil
	}
}

// ageResult applies staff's answer to the age check of sale; it reports
// false when that check is no longer waiting.
func (c *Checkout) ageResult(sale string, a Approval, err error) bool {
	c.mu.Lock()
	if c.state != AgeCheckPending || c.saleID != sale {
		c.mu.Unlock()
		return false // withdrawn
	}
	c.ageStop = nil
	switch {
	case err != nil:
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: sale, Text: "age check unavailable: " + err.Error()})
		c.fire(EvStaffNeeded)
		c.mu.Unlock()
		c.notify()
		return true
	case a.Approved:
		c.ageBy = a.Staff
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeApproved, SaleID: sale,
			Text: "age verified by staff", Data: c.ageDataLocked(a)})
		c.fire(EvAgeApproved)
		// Approved with the key switch while staff was at the screen:
		// the terminal has the sale now, so the customer's screen comes
		// back, in the same view as the payment (no view shows the
		// staff screen over it).
		logout := c.endStaffLocked("the customer's payment started")
		c.mu.Unlock()
		if logout != nil {
			logout()
		}
		c.notify()
		c.startPayment()
		return true
	default:
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeRefused, SaleID: sale,
			Text: "age check refused by staff", Data: c.ageDataLocked(a)})
		c.basket.RemoveRestricted()
		c.fire(EvAgeRefused)
		c.notice, c.arg = NoticeAgeRefused, ""
		if c.basket.Empty() {
			c.basketEmptiedLocked()
		}
		c.mu.Unlock()
		c.notify()
	}
	return true
}

// ageDataLocked is what the journal keeps of an age check: who decided
// and how, the age limit and the product groups checked (for the
// municipality's internal-control export); never ID data.
func (c *Checkout) ageDataLocked(a Approval) map[string]string {
	var groups []string
	for _, l := range c.basket.Lines {
		if g := l.Product.Group.String(); l.Product.Restricted() && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return map[string]string{"staff": a.Staff, "method": a.Method,
		"min_age": strconv.Itoa(c.basket.AgeLimit()), "groups": strings.Join(groups, ",")}
}

// ageAddedLocked is called when a restricted item goes into the basket:
// an approval given before it does not cover it, so paying asks again.
func (c *Checkout) ageAddedLocked(p Product) {
	if c.ageBy == "" {
		return
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID,
		Text: "restricted item added after the age check (" + p.Name + "): staff is asked again"})
	c.ageBy = ""
}
