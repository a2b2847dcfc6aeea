package gpiocab

import (
	"context"
	"errors"
	"slices"

	"selvkasse/kiosk"
)

type ageWaiter struct {
	req kiosk.AgeCheck
	ch  chan ageAnswer // buffered 1; written once
}

type ageAnswer struct {
	a   kiosk.Approval
	err error
}

func cloneCheck(c kiosk.AgeCheck) kiosk.AgeCheck {
	c.Items = slices.Clone(c.Items)
	return c
}

// RequestAgeCheck implements kiosk.StaffApproval with the key switch. It
// lights the lamp and waits for staff to turn the key: to the approve
// position (the Key line) approves, to the refuse position (the Refuse
// line) refuses. A turn is an edge into the active state; a key already
// held when the request comes must be let go and turned again. One turn
// answers one request, the oldest waiting. The answer names Config.Staff
// with Method MethodKeySwitch.
//
// Errors: ctx.Err() when ctx ends first (the request is withdrawn and the
// lamp goes out when no other waits); kiosk.ErrDeviceUnavailable (wrapped)
// when there is no key line, the key lines cannot be read, the lamp cannot
// be lit, or the Cabinet is closed, also while waiting.
func (c *Cabinet) RequestAgeCheck(ctx context.Context, req kiosk.AgeCheck) (kiosk.Approval, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Approval{}, err
	}
	if c.lines.Key == nil {
		return kiosk.Approval{}, unavailable("age check", errors.New("no key switch wired"))
	}
	w := &ageWaiter{req: cloneCheck(req), ch: make(chan ageAnswer, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return kiosk.Approval{}, unavailable("age check", errClosed)
	}
	// Reading the key lines checks that staff's side answers, and catches
	// a key held since before the request.
	if err := c.readKeysLocked("age check"); err != nil {
		c.mu.Unlock()
		return kiosk.Approval{}, err
	}
	c.waiting = append(c.waiting, w)
	if err := c.updateLampLocked(); err != nil {
		c.removeLocked(w)
		c.mu.Unlock()
		return kiosk.Approval{}, unavailable("age check: lamp", err)
	}
	c.changedLocked()
	c.mu.Unlock()

	select {
	case ans := <-w.ch:
		return ans.a, ans.err
	case <-ctx.Done():
	}
	c.mu.Lock()
	if c.removeLocked(w) {
		_ = c.updateLampLocked() // the lamp is a signal: a lamp left lit is no reason to fail
		c.changedLocked()
		c.mu.Unlock()
		return kiosk.Approval{}, ctx.Err()
	}
	c.mu.Unlock()
	ans := <-w.ch // staff answered as ctx ended
	return ans.a, ans.err
}

// Waiting returns the age checks waiting for the key, oldest first: what
// a staff display beside the key switch would show.
func (c *Cabinet) Waiting() []kiosk.AgeCheck {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]kiosk.AgeCheck, len(c.waiting))
	for i, w := range c.waiting {
		out[i] = cloneCheck(w.req)
	}
	return out
}

func (c *Cabinet) removeLocked(w *ageWaiter) bool {
	i := slices.Index(c.waiting, w)
	if i < 0 {
		return false
	}
	c.waiting = slices.Delete(c.waiting, i, i+1)
	return true
}

// readKeysLocked reads the key lines' state now.
func (c *Cabinet) readKeysLocked(op string) error {
	if c.lines.Key != nil {
		v, err := c.lines.Key.Value()
		if err != nil {
			return unavailable(op+": key", err)
		}
		c.keyOn = isActive(v, c.cfg.Key.ActiveLow)
	}
	if c.lines.Refuse != nil {
		v, err := c.lines.Refuse.Value()
		if err != nil {
			return unavailable(op+": refuse key", err)
		}
		c.refuseOn = isActive(v, c.cfg.Refuse.ActiveLow)
	}
	return nil
}

// updateLampLocked lights the lamp while an age check waits.
func (c *Cabinet) updateLampLocked() error {
	on := len(c.waiting) > 0
	if c.lines.Lamp == nil || on == c.lampOn {
		return nil
	}
	if err := c.lines.Lamp.SetValue(levelFor(on, c.cfg.Lamp.ActiveLow)); err != nil {
		return err
	}
	c.lampOn = on
	return nil
}

// onKey handles an edge of the key line (approve) or the refuse line. A
// turn answers the oldest waiting age check; a turn to approve with none
// waiting is kept for WaitKeyTurn.
func (c *Cabinet) onKey(e Edge, approve bool) {
	pin, state := c.cfg.Refuse, &c.refuseOn
	if approve {
		pin, state = c.cfg.Key, &c.keyOn
	}
	on := isActive(e.Value, pin.ActiveLow)
	c.mu.Lock()
	defer c.mu.Unlock()
	turned := on && !*state
	*state = on
	if c.closed || !turned {
		return
	}
	if len(c.waiting) == 0 {
		if approve {
			c.keyTurn = true // turns nobody takes in between are one
			c.changedLocked()
		}
		return
	}
	w := c.waiting[0]
	c.waiting = slices.Delete(c.waiting, 0, 1)
	w.ch <- ageAnswer{a: kiosk.Approval{Approved: approve, Staff: c.cfg.Staff, Method: MethodKeySwitch}}
	_ = c.updateLampLocked()
	c.changedLocked()
}

// WaitKeyTurn implements kiosk.StaffKey: it returns nil once the key is
// turned to the approve position (an edge of the Key line into its active
// state) while no age check waits, the staff member's way to log in. A
// turn that answers an age check is never reported here. A turn made
// while nobody waits is kept for the next call; turns that nobody takes
// in between count as one. The refuse position is never a log-in.
//
// Errors: ctx.Err() when ctx ends first (an ended ctx takes no turn);
// kiosk.ErrDeviceUnavailable (wrapped) at once when there is no key line
// or it cannot be read, and when the Cabinet is closed, also while
// waiting.
func (c *Cabinet) WaitKeyTurn(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.lines.Key == nil {
		return unavailable("wait key turn", errors.New("no key switch wired"))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return unavailable("wait key turn", errClosed)
	}
	// Reading checks that the key answers; the level is left to the edges,
	// so that a turn under way while this reads is still a turn.
	if _, err := c.lines.Key.Value(); err != nil {
		return unavailable("wait key turn: key", err)
	}
	c.keyWaiters++
	c.changedLocked()
	defer func() { c.keyWaiters-- }() // before the deferred Unlock
	for {
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case c.closed:
			return unavailable("wait key turn", errClosed)
		case c.keyTurn:
			c.keyTurn = false
			return nil
		}
		wake := c.changed
		c.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
		c.mu.Lock()
	}
}

// KeyState is the staff key switch as its lines read now.
type KeyState struct {
	Approve bool // held in the approve position
	Refuse  bool // held in the refuse position (false without a Refuse line)
}

// Keys reads the staff key switch's lines now, for a technician's check;
// it does not answer an age check. Errors: ctx.Err();
// kiosk.ErrDeviceUnavailable (wrapped) when there is no key line, a key
// line cannot be read or the Cabinet is closed.
func (c *Cabinet) Keys(ctx context.Context) (KeyState, error) {
	if err := c.readable(ctx, "keys"); err != nil {
		return KeyState{}, err
	}
	if c.lines.Key == nil {
		return KeyState{}, unavailable("keys", errors.New("no key switch wired"))
	}
	var k KeyState
	v, err := c.lines.Key.Value()
	if err != nil {
		return KeyState{}, unavailable("keys: key", err)
	}
	k.Approve = isActive(v, c.cfg.Key.ActiveLow)
	if c.lines.Refuse != nil {
		v, err := c.lines.Refuse.Value()
		if err != nil {
			return KeyState{}, unavailable("keys: refuse key", err)
		}
		k.Refuse = isActive(v, c.cfg.Refuse.ActiveLow)
	}
	return k, nil
}
