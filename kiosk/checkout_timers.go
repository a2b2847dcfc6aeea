package kiosk

// Checkout: time that adapts (issue 14 item 4; EN 301 549 clause 5.1.3.x
// via WCAG 2.2 success criterion 2.2.1 "Timing Adjustable": warned at
// least 20 s ahead, extendable at least ten times). Any activity of the
// customer restarts the inactivity timer (Touch: a tap anywhere on the
// customer screen, a key, a scan); the warning counts down on screen
// (View.WarningLeft, for the narrator too) and the customer can ask for
// more time (View.ExtendsLeft); the timers wait while a call for help is
// open or staff is at the kiosk (pausedLocked) and start again with
// their full period; an abandoned basket is cleared without charging
// anything and journaled with its lines; and the customer can cancel
// while the terminal has the payment: the terminal is asked to abort,
// and the sale ends only when it answered or a recovery shows nothing
// was charged.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinWarning is the least time the inactivity warning stays before the
// sale is given up: a shorter Config.IdleTimeout is raised to it (WCAG
// 2.2.1: at least 20 seconds to answer).
const MinWarning = 20 * time.Second

// DefaultExtends is how many times a customer can ask for more time on
// the warning in one sale, at least (WCAG 2.2.1: at least ten times); a
// smaller Config.MaxExtends is raised to it.
const DefaultExtends = 10

// ReasonTimeout is the Data "reason" of the SubSaleCancelled entry of a
// sale given up because nobody used the screen (an abandoned basket).
const ReasonTimeout = "timeout"

// timers is the checkout's state for the warning and the payment's
// abort, under Checkout.mu.
type timers struct {
	warnFrom  State     // the screen the warning came over (Shopping or PaymentDeclined)
	warnUntil time.Time // when the warning gives the sale up, while it counts
	sale      string    // the sale extends counts for
	extends   int       // times the customer asked for more time in sale

	abort    context.CancelFunc // ends the payment's request: the terminal is asked to abort
	aborting bool               // the customer cancelled while paying; the terminal's answer is awaited
}

func (c *Config) timerDefaults() {
	if c.IdleTimeout < MinWarning {
		c.IdleTimeout = MinWarning
	}
	if c.MaxExtends < DefaultExtends {
		c.MaxExtends = DefaultExtends
	}
}

// extendsUsedLocked is how many times the customer asked for more time
// in the sale open now.
func (c *Checkout) extendsUsedLocked() int {
	if c.tmr.sale != c.saleID {
		return 0
	}
	return c.tmr.extends
}

func (c *Checkout) timersViewLocked(v *View) {
	if c.saleID != "" || c.state == TimeoutWarning {
		v.ExtendsLeft = max(0, c.cfg.MaxExtends-c.extendsUsedLocked())
	}
	if c.state == TimeoutWarning && !c.pausedLocked() && !c.tmr.warnUntil.IsZero() {
		v.WarningLeft = max(0, c.tmr.warnUntil.Sub(c.d.Clock.Now()))
	}
}

// armWarningLocked starts the warning's countdown: the full IdleTimeout,
// with a view published at each whole second left, then the sale is
// given up. gen is the timer generation armTimer took.
func (c *Checkout) armWarningLocked(gen uint64) {
	c.tmr.warnUntil = c.d.Clock.Now().Add(c.cfg.IdleTimeout)
	c.armWarnTickLocked(gen, c.cfg.IdleTimeout)
}

func (c *Checkout) armWarnTickLocked(gen uint64, left time.Duration) {
	step := left % time.Second
	if step == 0 {
		step = min(time.Second, left)
	}
	c.timer = c.d.Clock.AfterFunc(step, func() { c.warnTick(gen) })
}

// warnTick is one second of the warning's countdown.
func (c *Checkout) warnTick(gen uint64) {
	c.mu.Lock()
	if gen != c.timerGen {
		c.mu.Unlock()
		return
	}
	left := c.tmr.warnUntil.Sub(c.d.Clock.Now())
	if left <= 0 {
		c.mu.Unlock()
		c.timeout(gen, EvIdleTimeout)
		return
	}
	c.armWarnTickLocked(gen, left)
	c.mu.Unlock()
	c.notify()
}

// touchLocked is the customer's activity: the inactivity timer starts
// again; on the warning, the customer gets more time (back to the screen
// the warning came over) unless this sale's extensions are used up. It
// reports whether the screen changed.
func (c *Checkout) touchLocked() bool {
	switch c.state {
	case Shopping, PaymentDeclined:
		c.armTimer()
	case TimeoutWarning:
		if c.extendsUsedLocked() >= c.cfg.MaxExtends {
			return false // the screen says no more time can be given
		}
		if c.tmr.sale != c.saleID {
			c.tmr.sale, c.tmr.extends = c.saleID, 0
		}
		c.tmr.extends++
		ev := EvTouch
		if c.tmr.warnFrom == PaymentDeclined {
			ev = EvResumeDeclined
		}
		return c.fire(ev)
	}
	return false
}

// abandonLocked clears a basket nobody used the screen for: nothing is
// charged (no payment is under way on the warning; one that is, is left
// alone and false returned), the stock is untouched (it moves only with
// a completed sale), and the sale is journaled as cancelled with the
// reason "timeout", its lines and its total.
func (c *Checkout) abandonLocked() bool {
	if c.pending != nil {
		c.log.Error("inactivity time-out with a payment pending: left for the payment to settle", "sale", c.saleID)
		return false
	}
	c.stopAgeCheckLocked()
	if !c.basket.Empty() {
		e := c.entry(CodeOther, SubSaleCancelled, fmt.Sprintf("basket abandoned: nobody used the screen for %s after the warning", c.cfg.IdleTimeout))
		e.SaleID, e.Amount = c.saleID, c.basket.Total()
		e.Data = map[string]string{
			"reason":   ReasonTimeout,
			"lines":    basketLines(c.basket),
			"items":    strconv.Itoa(c.basket.Count()),
			"extended": strconv.Itoa(c.extendsUsedLocked()),
		}
		c.journal(e)
	}
	c.basket = Basket{}
	c.saleID, c.ageBy, c.attempt, c.pending = "", "", 0, nil
	return true
}

// basketLines lists b's lines for the journal: "2 x 7039990000113 Cola
// 0,5 l 32,90 = 65,80" (with pant: "2 x … 32,90 + pant kr 2,00 = 69,80"),
// separated by "; ".
func basketLines(b Basket) string {
	out := make([]string, 0, len(b.Lines))
	for _, l := range b.Lines {
		pant := ""
		if l.Pant != 0 {
			pant = " + pant " + l.Pant.String()
		}
		out = append(out, fmt.Sprintf("%d x %s %s %s%s = %s", l.Qty, l.Product.GTIN, l.Product.Name, l.Product.Price, pant, l.Total()))
	}
	return strings.Join(out, "; ")
}

// payCtx is the context the payment's request runs under: c.ctx, ended
// also by the customer's Cancel (the terminal is then asked to abort,
// ZVT 06 B0).
func (c *Checkout) payCtxLocked() context.Context {
	if c.tmr.abort != nil {
		c.tmr.abort()
	}
	ctx, cancel := context.WithCancel(c.ctx)
	c.tmr.abort = cancel
	return ctx
}

// cancelPayingLocked is the customer's Cancel while the terminal has the
// payment: the request is ended, which asks the terminal to abort, and
// the screen says the kiosk waits for the terminal. The sale ends when
// the terminal answered (paymentResult, abortSettledLocked): declined or
// aborted, nothing charged, it is cancelled; approved after all, the
// goods are released as paid; no answer, staff checks the terminal.
func (c *Checkout) cancelPayingLocked() {
	if c.tmr.aborting {
		return // asked already
	}
	c.tmr.aborting = true
	c.notice, c.arg = NoticeAborting, ""
	if c.tmr.abort != nil {
		c.tmr.abort()
	}
}

// abortSettledLocked ends the customer's cancel once the payment's
// outcome is known: a payment that ended declined (nothing charged, the
// pending sale voided) cancels the sale; any other outcome stands.
func (c *Checkout) abortSettledLocked() {
	if c.tmr.abort != nil {
		c.tmr.abort()
		c.tmr.abort = nil
	}
	if !c.tmr.aborting {
		return
	}
	c.tmr.aborting = false
	if c.state == PaymentDeclined && c.pending == nil {
		c.cancelSaleLocked("cancelled by customer while paying: the terminal aborted the payment, nothing charged")
		c.fire(EvCancel)
		c.notice, c.arg = NoticeCancelled, ""
		return
	}
	if c.notice == NoticeAborting {
		c.clearNotice()
	}
}

// notSentByCancel maps the error of a request the customer's Cancel
// ended before it left for the terminal (ctx.Err(), which the
// PaymentTerminal contract allows only before sending) to
// ErrDeviceUnavailable: nothing was asked for.
func (c *Checkout) notSentByCancel(actx context.Context, err error) error {
	if err == nil || actx.Err() == nil || !errors.Is(err, actx.Err()) || errors.Is(err, ErrOutcomeUnknown) {
		return err
	}
	return fmt.Errorf("%w: cancelled by the customer before the request left: %w", ErrDeviceUnavailable, err)
}
