package kiosk

import (
	"context"
	"time"
)

// The cabinet list on the screen shows prices. A scheduled price takes
// effect at its second in the catalog (a Lookup then gives it); the list
// the checkout holds is reloaded then too, so the screen never shows a
// price the basket would not charge.

// PriceScheduler is a Catalog whose prices change by themselves at the
// times set for them (storage.DB). NextPriceChange is the first time
// after now at which a scheduled price takes effect; ok is false when
// none is set. It must not block: the checkout calls it under its lock.
type PriceScheduler interface {
	NextPriceChange(now time.Time) (at time.Time, ok bool)
}

// PricesChanged reloads the cabinet list and the timer of the next
// scheduled price: for a price changed while the kiosk runs (the admin
// endpoint's price set). Errors: the catalog's.
func (c *Checkout) PricesChanged(ctx context.Context) error {
	if err := c.reloadCabinet(ctx); err != nil {
		return err
	}
	c.notify()
	return nil
}

// armPriceReloadLocked sets the timer that reloads the cabinet list when
// the next scheduled price takes effect, replacing the one set before.
// c.mu must be held.
func (c *Checkout) armPriceReloadLocked() {
	c.stopPriceReloadLocked()
	ps, ok := c.d.Catalog.(PriceScheduler)
	if !ok {
		return
	}
	now := c.d.Clock.Now()
	at, ok := ps.NextPriceChange(now)
	if !ok {
		return
	}
	c.priceTimer = c.d.Clock.AfterFunc(at.Sub(now), func() {
		c.mu.Lock()
		ctx := c.ctx
		c.mu.Unlock()
		if ctx == nil || ctx.Err() != nil {
			return
		}
		if err := c.reloadCabinet(ctx); err == nil {
			c.notify()
		}
	})
}

// stopPriceReloadLocked stops the timer of armPriceReloadLocked. c.mu must
// be held.
func (c *Checkout) stopPriceReloadLocked() {
	if c.priceTimer != nil {
		c.priceTimer.Stop()
		c.priceTimer = nil
	}
}
