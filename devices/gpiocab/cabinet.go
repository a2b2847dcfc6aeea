package gpiocab

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"selvkasse/kiosk"
)

// maxDoorEvents bounds the door changes kept for WaitDoor. When nobody
// waits through that many changes (a flapping sensor), the oldest go.
const maxDoorEvents = 64

// Lines are the cabinet's requested lines, one for each pin of the
// Config: Lock and Door always, the others exactly when the Config has
// their pin.
type Lines struct {
	Lock     OutputLine
	Door     InputLine
	Feedback InputLine
	Key      InputLine
	Refuse   InputLine
	Lamp     OutputLine
}

// Cabinet drives the tobacco cabinet's lock and reads its door sensor
// (kiosk.CabinetLock), and asks staff for age checks at the key switch
// (kiosk.StaffApproval). Make one with New, or Open on Linux. Its methods
// may be called from any goroutine.
type Cabinet struct {
	cfg   Config
	clk   kiosk.Clock
	lines Lines

	move sync.Mutex // one Unlock, Lock or Close at a time

	mu          sync.Mutex
	closed      bool
	changed     chan struct{} // closed and replaced on every input edge, age-check change and Close
	doorOpen    bool          // the door as the last edge left it
	unlockedNow bool          // the lock line was last set to unlock
	doorq       []kiosk.DoorEvent
	keyOn       bool // the key line is in its active state
	refuseOn    bool
	lampOn      bool
	waiting     []*ageWaiter // shown to staff, oldest first
}

var (
	_ kiosk.CabinetLock   = (*Cabinet)(nil)
	_ kiosk.StaffApproval = (*Cabinet)(nil)
)

func unavailable(op string, err error) error {
	return fmt.Errorf("gpiocab: %s: %w: %w", op, kiosk.ErrDeviceUnavailable, err)
}

var errClosed = errors.New("cabinet closed")

// New drives the cabinet over lines, wired as cfg says (cfg's Chip and
// offsets are not used: they name the lines, which are already
// requested). It locks the lock, puts the lamp out, and reads the inputs;
// an error from a line is returned wrapping kiosk.ErrDeviceUnavailable.
// New takes the lines over: when it fails it closes them, otherwise the
// Cabinet's Close does. An unused line is a nil interface, never a typed
// nil pointer.
func New(cfg Config, lines Lines) (*Cabinet, error) {
	if err := cfg.Validate(); err != nil {
		closeLines(lines)
		return nil, err
	}
	match := []struct {
		name     string
		pin, has bool
	}{
		{"lock", true, lines.Lock != nil}, {"door", true, lines.Door != nil},
		{"feedback", cfg.Feedback != nil, lines.Feedback != nil},
		{"key", cfg.Key != nil, lines.Key != nil}, {"refuse", cfg.Refuse != nil, lines.Refuse != nil},
		{"lamp", cfg.Lamp != nil, lines.Lamp != nil},
	}
	for _, m := range match {
		if m.pin != m.has {
			closeLines(lines)
			return nil, fmt.Errorf("%w: the %s line is given: %v, in the config: %v", ErrBadConfig, m.name, m.has, m.pin)
		}
	}
	c := &Cabinet{cfg: cfg, clk: cfg.Clock, lines: lines, changed: make(chan struct{})}
	if c.clk == nil {
		c.clk = kiosk.SystemClock{}
	}
	if err := c.start(); err != nil {
		closeLines(lines)
		return nil, err
	}
	return c, nil
}

func (c *Cabinet) start() error {
	if err := c.lines.Lock.SetValue(lockLevel(true, c.cfg)); err != nil {
		return unavailable("new: lock", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lines.Lamp != nil {
		if err := c.lines.Lamp.SetValue(levelFor(false, c.cfg.Lamp.ActiveLow)); err != nil {
			return unavailable("new: lamp", err)
		}
	}
	// Watch first and read after, holding mu so that edges wait for the
	// reads: an edge from before a read then repeats what the read saw
	// and is dropped as no change.
	c.lines.Door.Watch(c.onDoor)
	if c.lines.Feedback != nil {
		c.lines.Feedback.Watch(c.onFeedback)
	}
	if c.lines.Key != nil {
		c.lines.Key.Watch(func(e Edge) { c.onKey(e, true) })
	}
	if c.lines.Refuse != nil {
		c.lines.Refuse.Watch(func(e Edge) { c.onKey(e, false) })
	}
	v, err := c.lines.Door.Value()
	if err != nil {
		return unavailable("new: door", err)
	}
	c.doorOpen = isActive(v, c.cfg.Door.ActiveLow)
	if c.lines.Feedback != nil {
		if _, err := c.lines.Feedback.Value(); err != nil {
			return unavailable("new: lock feedback", err)
		}
	}
	return c.readKeysLocked("new")
}

func closeLines(l Lines) error {
	var errs []error
	for _, x := range []interface{ Close() error }{l.Lock, l.Door, l.Feedback, l.Key, l.Refuse, l.Lamp} {
		if x == nil {
			continue
		}
		if err := x.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c *Cabinet) changedLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// stamp is an edge's time, or now if the line did not say.
func (c *Cabinet) stamp(e Edge) Edge {
	if e.At.IsZero() {
		e.At = c.clk.Now()
	}
	return e
}

func (c *Cabinet) onDoor(e Edge) {
	e = c.stamp(e)
	open := isActive(e.Value, c.cfg.Door.ActiveLow)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || open == c.doorOpen {
		return // an edge lost in the kernel's buffer leaves a repeat: no change
	}
	c.doorOpen = open
	if len(c.doorq) == maxDoorEvents {
		c.doorq = slices.Delete(c.doorq, 0, 1)
	}
	c.doorq = append(c.doorq, kiosk.DoorEvent{Open: open, At: e.At})
	c.changedLocked()
}

func (c *Cabinet) onFeedback(Edge) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.changedLocked() // wakes a move waiting for the bolt
	}
}

// Unlock implements kiosk.CabinetLock: it drives the lock line to the
// unlocked level and, with a feedback line, waits up to FeedbackTimeout
// for the contact to report the bolt withdrawn. Errors: a line error wraps
// kiosk.ErrDeviceUnavailable; a bolt that did not move,
// kiosk.ErrLockFault. After a fault, or when ctx ends during the wait
// (ctx.Err()), the lock line goes back to the locked level, so that a
// jammed bolt that frees itself later stays locked.
func (c *Cabinet) Unlock(ctx context.Context, compartments []int) error {
	if len(compartments) == 0 || slices.ContainsFunc(compartments, func(n int) bool { return n != 1 }) {
		return fmt.Errorf("gpiocab: unlock %v: %w", compartments, kiosk.ErrNoCompartment)
	}
	return c.set(ctx, false)
}

// Compartments implements kiosk.CabinetLock: the cabinet is one
// compartment.
func (c *Cabinet) Compartments(ctx context.Context) ([]kiosk.CompartmentState, error) {
	open, err := c.DoorOpen(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	locked := !c.unlockedNow
	c.mu.Unlock()
	return []kiosk.CompartmentState{{No: 1, Locked: locked, DoorOpen: open}}, nil
}

// Lock implements kiosk.CabinetLock: it drives the lock line to the locked
// level and, with a feedback line, waits for the contact to report the
// bolt thrown. Errors as for Unlock; after a fault the line stays at the
// locked level, so that the bolt goes in as soon as it can (a door not
// quite shut, a bolt that catches).
func (c *Cabinet) Lock(ctx context.Context) error { return c.set(ctx, true) }

func (c *Cabinet) set(ctx context.Context, lock bool) error {
	op := "unlock"
	if lock {
		op = "lock"
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.move.Lock()
	defer c.move.Unlock()
	c.mu.Lock()
	closed, wake := c.closed, c.changed
	c.mu.Unlock()
	if closed {
		return unavailable(op, errClosed)
	}
	if err := c.lines.Lock.SetValue(lockLevel(lock, c.cfg)); err != nil {
		return unavailable(op, err)
	}
	c.mu.Lock()
	c.unlockedNow = !lock
	c.mu.Unlock()
	if c.lines.Feedback == nil {
		return nil
	}
	err := c.awaitBolt(ctx, op, lock, wake)
	if err != nil && !lock {
		if err2 := c.lines.Lock.SetValue(lockLevel(true, c.cfg)); err2 != nil {
			err = errors.Join(err, unavailable("relock after failed unlock", err2))
		}
	}
	return err
}

// awaitBolt waits until the feedback line reports the bolt locked (lock)
// or unlocked. wake was taken before the lock line was set, so no edge is
// missed.
func (c *Cabinet) awaitBolt(ctx context.Context, op string, lock bool, wake <-chan struct{}) error {
	bolt := func() (bool, error) {
		v, err := c.lines.Feedback.Value()
		if err != nil {
			return false, unavailable(op+": lock feedback", err)
		}
		return isActive(v, c.cfg.Feedback.ActiveLow) == lock, nil
	}
	if ok, err := bolt(); ok || err != nil {
		return err
	}
	timeout := make(chan struct{})
	t := c.clk.AfterFunc(c.cfg.FeedbackTimeout, func() { close(timeout) })
	defer t.Stop()
	for {
		select {
		case <-wake:
			c.mu.Lock()
			wake = c.changed
			c.mu.Unlock()
		case <-timeout:
		case <-ctx.Done():
			return ctx.Err()
		}
		ok, err := bolt()
		if ok || err != nil {
			return err
		}
		select {
		case <-timeout:
			want := "unlocked"
			if lock {
				want = "locked"
			}
			return fmt.Errorf("gpiocab: %s: the feedback contact did not report the bolt %s within %v: %w",
				op, want, c.cfg.FeedbackTimeout, kiosk.ErrLockFault)
		default:
		}
	}
}

// DoorOpen implements kiosk.CabinetLock: it reads the door line now.
// Errors: ctx.Err(); kiosk.ErrDeviceUnavailable (wrapped) when the line
// cannot be read or the Cabinet is closed.
func (c *Cabinet) DoorOpen(ctx context.Context) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return false, unavailable("door", errClosed)
	}
	v, err := c.lines.Door.Value()
	if err != nil {
		return false, unavailable("door", err)
	}
	return isActive(v, c.cfg.Door.ActiveLow), nil
}

// WaitDoor implements kiosk.CabinetLock: it returns the door changes the
// door line reported since New, once each and in order, waiting for the
// next if need be. An event's At is the kernel's time of the edge. A
// repeated level (an edge lost in between) is no change and is dropped;
// beyond maxDoorEvents undelivered changes the oldest are dropped.
// Errors: ctx.Err(); after Close, kiosk.ErrDeviceUnavailable (wrapped).
func (c *Cabinet) WaitDoor(ctx context.Context) (kiosk.DoorEvent, error) {
	for {
		c.mu.Lock()
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			return kiosk.DoorEvent{}, err
		}
		if len(c.doorq) > 0 {
			ev := c.doorq[0]
			c.doorq = slices.Delete(c.doorq, 0, 1)
			c.mu.Unlock()
			return ev, nil
		}
		if c.closed {
			c.mu.Unlock()
			return kiosk.DoorEvent{}, unavailable("wait door", errClosed)
		}
		wake := c.changed
		c.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
	}
}

// Close locks the lock, puts the lamp out, ends waiting age checks with an
// error wrapping kiosk.ErrDeviceUnavailable and releases the lines. Door
// changes not yet taken can still be taken with WaitDoor; then it and
// every other method return kiosk.ErrDeviceUnavailable. Close waits for
// an Unlock or Lock in progress. Closing twice does nothing.
func (c *Cabinet) Close() error {
	c.move.Lock()
	defer c.move.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	for _, w := range c.waiting {
		w.ch <- ageAnswer{err: unavailable("age check", errClosed)}
	}
	c.waiting = nil
	var errs []error
	if c.lines.Lamp != nil && c.lampOn {
		if err := c.lines.Lamp.SetValue(levelFor(false, c.cfg.Lamp.ActiveLow)); err != nil {
			errs = append(errs, fmt.Errorf("gpiocab: close: lamp: %w", err))
		}
	}
	c.changedLocked()
	c.mu.Unlock()
	// Lock before letting go: a released line may float or keep its level.
	if err := c.lines.Lock.SetValue(lockLevel(true, c.cfg)); err != nil {
		errs = append(errs, fmt.Errorf("gpiocab: close: lock: %w", err))
	}
	// Not under mu: closing an input line waits for its edge handler,
	// which takes mu.
	if err := closeLines(c.lines); err != nil {
		errs = append(errs, fmt.Errorf("gpiocab: close: %w", err))
	}
	return errors.Join(errs...)
}
