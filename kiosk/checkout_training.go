package kiosk

// Checkout: training mode (kassasystemforskrifta § 2-8-7; training.go).
//
// A supervisor switches it on and off with the OvTrainingMode override,
// between customers (no basket, no payment under way), journaled 13023
// and 13024 with the staff member, role and reason. While it is on, every
// sale is a training sale: the payment is approved by the kiosk itself
// (trainingTerminal; the terminal is never asked), the cabinet unlocks
// as for a real sale (staff practise the whole walk), no stock moves, and
// the receipt is a training receipt.
//
// When it ends. Every override ends the staff session at once (one shot),
// so training mode cannot end with the session that switched it on: it
// would end before anyone practised. Instead it cannot be left on
// unnoticed:
//   - the customer screen carries a banner, "TRENINGSMODUS – ikke et ekte
//     kjøp", on every screen while it is on (View.Training);
//   - the assistance queue holds a CallTraining naming who switched it
//     on, on the staff screen and in /healthz, until it ends;
//   - it ends by itself, journaled 13024, once the kiosk has stood idle
//     (the welcome screen, no customer) for Config.TrainingIdle (15 min);
//   - it ends when the kiosk stops (13024 before 13002), and a kiosk that
//     died with it on journals 13024 at its next start (for a start on
//     the same day: the start reads today's journal only) and starts in
//     normal mode. Training mode is never persisted.

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// training is the checkout's training mode, under c.mu; journaled is
// under c.countMu.
type training struct {
	on    bool
	since time.Time
	by    string // who switched it on
	timer Timer
	gen   uint64
	// journaled: today's journal says training mode is on (the last of
	// 13023 and 13024 counted was 13023), for the start after a crash.
	journaled bool
}

// terminal is the payment terminal of req: the kiosk's own for a
// training sale, which charges nothing.
func (c *Checkout) terminal(req PaymentRequest) PaymentTerminal {
	if req.Training {
		return trainingTerminal{clock: c.d.Clock}
	}
	return c.d.Terminal
}

// trainingAvailableLocked reports whether training mode can be switched
// now: between customers, so a sale is all training or all real.
func (c *Checkout) trainingAvailableLocked() bool {
	switch c.state {
	case Idle, Receipt, OutOfOrder:
		return c.pending == nil && c.basket.Empty()
	}
	return false
}

// Training reports whether the kiosk is in training mode.
func (c *Checkout) Training() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trn.on
}

// switchTraining switches training mode on, or off when it is on, for the
// staff member of sess (OvTrainingMode), journaled 13023 or 13024.
func (c *Checkout) switchTraining(o Override, sess Session) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.trainingAvailableLocked() {
		return "", fmt.Errorf("%w: training mode in %v with a sale", ErrNotNow, c.state)
	}
	s := sess.Staff
	if c.trn.on {
		c.endTrainingLocked(s, o.Reason, "training mode off: switched off by "+s.ID)
		return " (off)", nil
	}
	c.trn.on, c.trn.since, c.trn.by = true, c.d.Clock.Now(), s.ID
	e := c.entry(CodeTrainingOn, "", "training mode on: switched on by "+s.ID+"; no sale is real until it is off")
	e.Data = map[string]string{DataStaff: s.ID, "role": s.Role.String(), "reason": o.Reason.String()}
	c.journal(e)
	c.armTrainingLocked(c.cfg.TrainingIdle)
	return " (on)", nil
}

// endTrainingLocked ends training mode, journaled 13024 with why, and the
// staff member and reason when staff ended it.
func (c *Checkout) endTrainingLocked(s Staff, r Reason, why string) {
	if !c.trn.on {
		return
	}
	c.trn.on, c.trn.since, c.trn.by = false, time.Time{}, ""
	c.trn.gen++
	if c.trn.timer != nil {
		c.trn.timer.Stop()
		c.trn.timer = nil
	}
	e := c.entry(CodeTrainingOff, "", why)
	if s.ID != "" {
		e.Data = map[string]string{DataStaff: s.ID, "role": s.Role.String(), "reason": r.String()}
	}
	c.journal(e)
}

// armTrainingLocked looks again after d whether the kiosk stood idle for
// Config.TrainingIdle.
func (c *Checkout) armTrainingLocked(d time.Duration) {
	if c.trn.timer != nil {
		c.trn.timer.Stop()
	}
	c.trn.gen++
	gen := c.trn.gen
	c.trn.timer = c.d.Clock.AfterFunc(d, func() { c.trainingIdle(gen) })
}

// trainingIdle ends training mode when the kiosk has stood idle, with
// nobody at it, for Config.TrainingIdle; otherwise it looks again when
// that could next be so.
func (c *Checkout) trainingIdle(gen uint64) {
	c.mu.Lock()
	if gen != c.trn.gen || !c.trn.on {
		c.mu.Unlock()
		return
	}
	idle := c.cfg.TrainingIdle
	stood := c.d.Clock.Now().Sub(c.stateSince)
	if c.state != Idle || c.staff != nil || !c.trainingAvailableLocked() || stood < idle {
		wait := idle
		if c.state == Idle && stood < idle {
			wait = idle - stood
		}
		c.armTrainingLocked(wait)
		c.mu.Unlock()
		return
	}
	c.endTrainingLocked(Staff{}, 0, "training mode off: ended by itself, the kiosk stood idle for "+idle.String())
	c.mu.Unlock()
	c.notify()
}

// endTrainingAtStop ends training mode as the kiosk stops, journaled
// before the stop.
func (c *Checkout) endTrainingAtStop(ctx context.Context) {
	c.mu.Lock()
	on := c.trn.on
	c.trn.on = false
	c.trn.gen++
	if c.trn.timer != nil {
		c.trn.timer.Stop()
	}
	c.mu.Unlock()
	if !on {
		return
	}
	if _, err := c.d.Journal.Append(ctx, c.entry(CodeTrainingOff, "", "training mode off: the kiosk stopped")); err != nil {
		c.log.Error("journal training mode off", "err", err)
	}
}

// trainingLeftOn journals the end of a training mode today's journal
// left on (the kiosk died in it): the kiosk starts in normal mode.
func (c *Checkout) trainingLeftOn(ctx context.Context) error {
	c.countMu.Lock()
	on := c.trn.journaled
	c.countMu.Unlock()
	if !on {
		return nil
	}
	e := c.entry(CodeTrainingOff, "", "training mode off: the kiosk restarted while it was on")
	if _, err := c.d.Journal.Append(ctx, e); err != nil {
		return fmt.Errorf("kiosk: journal training mode off: %w", err)
	}
	c.count(e)
	return nil
}

// countTrainingLocked follows 13023 and 13024 (under c.countMu).
func (c *Checkout) countTrainingLocked(e Entry) {
	switch e.Code {
	case CodeTrainingOn:
		c.trn.journaled = true
	case CodeTrainingOff:
		c.trn.journaled = false
	}
}

// markTraining marks e as a record of a training sale.
func markTraining(e *Entry, training bool) {
	if !training {
		return
	}
	if e.Data == nil {
		e.Data = map[string]string{}
	}
	e.Data[DataTraining] = "true"
}

// trainingPayment marks a training sale's payment record and says what
// happened instead of a card payment.
func trainingPayment(e *Entry, training bool, text string) {
	if !training {
		return
	}
	markTraining(e, true)
	e.Text = text
}

// trainingPrinted makes e, the printed record of s's receipt, the
// record of a training receipt (13017).
func trainingPrinted(e *Entry, s Sale) {
	e.Code = CodeTrainingReceipt
	e.Text = "training receipt " + strconv.FormatUint(s.No, 10) + " printed"
	if e.Data[DataPrinted] == PrintedLate {
		e.Text += " late"
	}
	markTraining(e, true)
}
