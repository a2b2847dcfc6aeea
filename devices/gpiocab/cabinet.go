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
// Config: each compartment's Lock and Door always, the others exactly
// when the Config has their pin.
type Lines struct {
	Compartments []CompartmentLines // as Config.Compartments, in order
	Key          InputLine
	Refuse       InputLine
	Lamp         OutputLine
	// The tower light's lamps and buzzer.
	Green, Yellow, Red, Buzzer OutputLine
}

// CompartmentLines are one compartment's requested lines.
type CompartmentLines struct {
	Lock     OutputLine
	Door     InputLine
	Feedback InputLine
}

// compartment is one compartment's wiring, lines and state; cfg and lines
// do not change after New, the rest is under the Cabinet's mu.
type compartment struct {
	no       int
	cfg      Compartment
	lines    CompartmentLines
	doorOpen bool // the door as the last edge left it
	unlocked bool // the lock line was last set to unlock
}

// Cabinet drives the tobacco cabinet's compartments, each with its lock
// and door sensor (kiosk.CabinetLock), asks staff for age checks at the
// key switch (kiosk.StaffApproval), reports the key turned with no age
// check waiting as a log-in (kiosk.StaffKey), and drives the intervention
// light (Light, a kiosk.TowerLight). Make one with New, or Open on Linux.
// Its methods may be called from any goroutine.
type Cabinet struct {
	cfg   Config
	clk   kiosk.Clock
	lines Lines
	comps []*compartment // compartment n is comps[n-1]
	tower *Tower         // nil when no tower line is wired

	move sync.Mutex // one Unlock, Lock or Close at a time

	mu         sync.Mutex
	closed     bool
	changed    chan struct{} // closed and replaced on every input edge, age-check change, key wait and Close
	doorq      []kiosk.DoorEvent
	keyOn      bool // the key line is in its active state
	refuseOn   bool
	lampOn     bool
	waiting    []*ageWaiter // shown to staff, oldest first
	keyTurn    bool         // a turn with no age check waiting, not yet taken by WaitKeyTurn
	keyWaiters int          // WaitKeyTurn calls under way
}

var (
	_ kiosk.CabinetLock   = (*Cabinet)(nil)
	_ kiosk.StaffApproval = (*Cabinet)(nil)
	_ kiosk.StaffKey      = (*Cabinet)(nil)
)

func unavailable(op string, err error) error {
	return fmt.Errorf("gpiocab: %s: %w: %w", op, kiosk.ErrDeviceUnavailable, err)
}

var errClosed = errors.New("cabinet closed")

// New drives the cabinet over lines, wired as cfg says (cfg's Chip and
// offsets are not used: they name the lines, which are already
// requested). It locks every compartment's lock, puts the lamp and the
// tower out, and reads the inputs; an error from a line is returned
// wrapping kiosk.ErrDeviceUnavailable. New takes the lines over: when it
// fails it closes them, otherwise the Cabinet's Close does. An unused line
// is a nil interface, never a typed nil pointer.
func New(cfg Config, lines Lines) (*Cabinet, error) {
	if err := cfg.Validate(); err != nil {
		closeLines(lines)
		return nil, err
	}
	if err := matchLines(cfg, lines); err != nil {
		closeLines(lines)
		return nil, err
	}
	c := &Cabinet{cfg: cfg, clk: cfg.Clock, lines: lines, changed: make(chan struct{})}
	if c.clk == nil {
		c.clk = kiosk.SystemClock{}
	}
	for i, cl := range lines.Compartments {
		c.comps = append(c.comps, &compartment{no: i + 1, cfg: cfg.Compartments[i], lines: cl})
	}
	if cfg.hasTower() {
		c.tower = newTower(cfg, lines, c.clk)
	}
	if err := c.start(); err != nil {
		closeLines(lines)
		return nil, err
	}
	return c, nil
}

// matchLines checks that lines has exactly the lines cfg wires.
func matchLines(cfg Config, lines Lines) error {
	if len(lines.Compartments) != len(cfg.Compartments) {
		return fmt.Errorf("%w: %d compartments' lines given, %d in the config", ErrBadConfig, len(lines.Compartments), len(cfg.Compartments))
	}
	type match struct {
		name     string
		pin, has bool
	}
	var ms []match
	for i, cl := range lines.Compartments {
		n := i + 1
		ms = append(ms, match{fmt.Sprintf("compartment %d lock", n), true, cl.Lock != nil},
			match{fmt.Sprintf("compartment %d door", n), true, cl.Door != nil},
			match{fmt.Sprintf("compartment %d feedback", n), cfg.Compartments[i].Feedback != nil, cl.Feedback != nil})
	}
	ms = append(ms,
		match{"key", cfg.Key != nil, lines.Key != nil}, match{"refuse", cfg.Refuse != nil, lines.Refuse != nil},
		match{"lamp", cfg.Lamp != nil, lines.Lamp != nil},
		match{"green", cfg.Green != nil, lines.Green != nil}, match{"yellow", cfg.Yellow != nil, lines.Yellow != nil},
		match{"red", cfg.Red != nil, lines.Red != nil}, match{"buzzer", cfg.Buzzer != nil, lines.Buzzer != nil},
	)
	for _, m := range ms {
		if m.pin != m.has {
			return fmt.Errorf("%w: the %s line is given: %v, in the config: %v", ErrBadConfig, m.name, m.has, m.pin)
		}
	}
	return nil
}

func (c *Cabinet) start() error {
	// Every lock is driven locked before anything else, whatever fails.
	var errs []error
	for _, cp := range c.comps {
		if err := cp.lines.Lock.SetValue(c.lockLevel(true, cp)); err != nil {
			errs = append(errs, unavailable(fmt.Sprintf("new: compartment %d lock", cp.no), err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if c.tower != nil {
		if err := c.tower.off(); err != nil {
			return unavailable("new: tower", err)
		}
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
	for _, cp := range c.comps {
		cp.lines.Door.Watch(func(e Edge) { c.onDoor(cp, e) })
		if cp.lines.Feedback != nil {
			cp.lines.Feedback.Watch(c.onFeedback)
		}
	}
	if c.lines.Key != nil {
		c.lines.Key.Watch(func(e Edge) { c.onKey(e, true) })
	}
	if c.lines.Refuse != nil {
		c.lines.Refuse.Watch(func(e Edge) { c.onKey(e, false) })
	}
	for _, cp := range c.comps {
		v, err := cp.lines.Door.Value()
		if err != nil {
			return unavailable(fmt.Sprintf("new: compartment %d door", cp.no), err)
		}
		cp.doorOpen = isActive(v, cp.cfg.Door.ActiveLow)
		if cp.lines.Feedback != nil {
			if _, err := cp.lines.Feedback.Value(); err != nil {
				return unavailable(fmt.Sprintf("new: compartment %d lock feedback", cp.no), err)
			}
		}
	}
	return c.readKeysLocked("new")
}

func closeLines(l Lines) error {
	xs := []interface{ Close() error }{l.Key, l.Refuse, l.Lamp, l.Green, l.Yellow, l.Red, l.Buzzer}
	for _, cl := range l.Compartments {
		xs = append(xs, cl.Lock, cl.Door, cl.Feedback)
	}
	var errs []error
	for _, x := range xs {
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

// lockLevel is cp's lock line level for a locked or unlocked bolt.
func (c *Cabinet) lockLevel(locked bool, cp *compartment) int {
	return lockLevel(locked, c.cfg.FailSafe, cp.cfg.Lock)
}

// stamp is an edge's time, or now if the line did not say.
func (c *Cabinet) stamp(e Edge) Edge {
	if e.At.IsZero() {
		e.At = c.clk.Now()
	}
	return e
}

func (c *Cabinet) onDoor(cp *compartment, e Edge) {
	e = c.stamp(e)
	open := isActive(e.Value, cp.cfg.Door.ActiveLow)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || open == cp.doorOpen {
		return // an edge lost in the kernel's buffer leaves a repeat: no change
	}
	cp.doorOpen = open
	if len(c.doorq) == maxDoorEvents {
		c.doorq = slices.Delete(c.doorq, 0, 1)
	}
	c.doorq = append(c.doorq, kiosk.DoorEvent{Compartment: cp.no, Open: open, At: e.At})
	c.changedLocked()
}

func (c *Cabinet) onFeedback(Edge) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.changedLocked() // wakes a move waiting for the bolt
	}
}

// named checks the compartments an Unlock names and returns them sorted,
// each once.
func (c *Cabinet) named(ns []int) ([]int, error) {
	if len(ns) == 0 {
		return nil, fmt.Errorf("gpiocab: unlock: no compartment named: %w", kiosk.ErrNoCompartment)
	}
	out := slices.Clone(ns)
	slices.Sort(out)
	out = slices.Compact(out)
	for _, n := range out {
		if n < 1 || n > len(c.comps) {
			return nil, fmt.Errorf("gpiocab: unlock %v: the cabinet has compartments 1 to %d: %w", ns, len(c.comps), kiosk.ErrNoCompartment)
		}
	}
	return out, nil
}

// Unlock implements kiosk.CabinetLock: it drives the lock lines of the
// compartments named to the unlocked level and, for those with a
// feedback line, waits up to FeedbackTimeout for the contacts to report
// the bolts withdrawn. Errors: kiosk.ErrNoCompartment (wrapped; no line
// was set) for an empty list or a number the Config has no compartment
// for; a line error wraps kiosk.ErrDeviceUnavailable; a bolt that did not
// move, kiosk.ErrLockFault. After a fault, or when ctx ends during the
// wait (ctx.Err()), every lock line it named goes back to the locked
// level, so that a jammed bolt that frees itself later stays locked.
func (c *Cabinet) Unlock(ctx context.Context, compartments []int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ns, err := c.named(compartments)
	if err != nil {
		return err
	}
	c.move.Lock()
	defer c.move.Unlock()
	wake, err := c.moving("unlock")
	if err != nil {
		return err
	}
	for _, n := range ns {
		if err := c.setLock(c.comps[n-1], false); err != nil {
			return c.relock(unavailable(fmt.Sprintf("unlock: compartment %d lock", n), err), ns)
		}
	}
	if err := c.awaitBolts(ctx, "unlock", ns, false, wake); err != nil {
		return c.relock(err, ns)
	}
	return nil
}

// relock drives the lock lines of ns back to the locked level after err,
// the fault of an Unlock, and returns err with any line error of its own.
func (c *Cabinet) relock(err error, ns []int) error {
	var errs []error
	for _, n := range ns {
		if err2 := c.setLock(c.comps[n-1], true); err2 != nil {
			errs = append(errs, unavailable(fmt.Sprintf("relock compartment %d after a failed unlock", n), err2))
		}
	}
	if len(errs) == 0 {
		return err
	}
	return errors.Join(append([]error{err}, errs...)...)
}

// Lock implements kiosk.CabinetLock: it drives every compartment's lock
// line to the locked level and, for those with a feedback line, waits for
// the contacts to report the bolts thrown. Errors as for Unlock; a line
// that cannot be set does not keep the others from being set. After a
// fault the lines stay at the locked level, so that a bolt goes in as
// soon as it can (a door not quite shut, a bolt that catches).
func (c *Cabinet) Lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.move.Lock()
	defer c.move.Unlock()
	wake, err := c.moving("lock")
	if err != nil {
		return err
	}
	var errs []error
	all := make([]int, len(c.comps))
	for i, cp := range c.comps {
		all[i] = cp.no
		if err := c.setLock(cp, true); err != nil {
			errs = append(errs, unavailable(fmt.Sprintf("lock: compartment %d lock", cp.no), err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return c.awaitBolts(ctx, "lock", all, true, wake)
}

// moving starts a move (c.move held): it returns the change channel to
// wait on, taken before any line is set so that no edge is missed.
func (c *Cabinet) moving(op string) (<-chan struct{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, unavailable(op, errClosed)
	}
	return c.changed, nil
}

// setLock drives cp's lock line locked or unlocked and notes it.
func (c *Cabinet) setLock(cp *compartment, lock bool) error {
	if err := cp.lines.Lock.SetValue(c.lockLevel(lock, cp)); err != nil {
		return err
	}
	c.mu.Lock()
	cp.unlocked = !lock
	c.mu.Unlock()
	return nil
}

// awaitBolts waits until the feedback lines of the compartments ns that
// have one report their bolts locked (lock) or unlocked, up to
// FeedbackTimeout. wake was taken before the lock lines were set.
func (c *Cabinet) awaitBolts(ctx context.Context, op string, ns []int, lock bool, wake <-chan struct{}) error {
	pending := func() ([]int, error) {
		var left []int
		for _, n := range ns {
			cp := c.comps[n-1]
			if cp.lines.Feedback == nil {
				continue
			}
			v, err := cp.lines.Feedback.Value()
			if err != nil {
				return nil, unavailable(fmt.Sprintf("%s: compartment %d lock feedback", op, n), err)
			}
			if isActive(v, cp.cfg.Feedback.ActiveLow) != lock {
				left = append(left, n)
			}
		}
		return left, nil
	}
	left, err := pending()
	if len(left) == 0 || err != nil {
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
		left, err := pending()
		if len(left) == 0 || err != nil {
			return err
		}
		select {
		case <-timeout:
			want := "unlocked"
			if lock {
				want = "locked"
			}
			return fmt.Errorf("gpiocab: %s: the feedback contact of %s did not report the bolt %s within %v: %w",
				op, kiosk.CompartmentList(left), want, c.cfg.FeedbackTimeout, kiosk.ErrLockFault)
		default:
		}
	}
}

// readable returns an error after Close.
func (c *Cabinet) readable(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return unavailable(op, errClosed)
	}
	return nil
}

// Compartments implements kiosk.CabinetLock: it reads each compartment's
// door line and, for a lock driven locked, its feedback line now. Locked
// is true when the lock line is at the locked level and, with a feedback
// line, the contact reports the bolt thrown. Errors: ctx.Err();
// kiosk.ErrDeviceUnavailable (wrapped) when a line cannot be read or the
// Cabinet is closed.
func (c *Cabinet) Compartments(ctx context.Context) ([]kiosk.CompartmentState, error) {
	if err := c.readable(ctx, "compartments"); err != nil {
		return nil, err
	}
	out := make([]kiosk.CompartmentState, len(c.comps))
	for i, cp := range c.comps {
		v, err := cp.lines.Door.Value()
		if err != nil {
			return nil, unavailable(fmt.Sprintf("compartments: compartment %d door", cp.no), err)
		}
		c.mu.Lock()
		locked := !cp.unlocked
		c.mu.Unlock()
		if locked && cp.lines.Feedback != nil {
			fv, err := cp.lines.Feedback.Value()
			if err != nil {
				return nil, unavailable(fmt.Sprintf("compartments: compartment %d lock feedback", cp.no), err)
			}
			locked = isActive(fv, cp.cfg.Feedback.ActiveLow)
		}
		out[i] = kiosk.CompartmentState{No: cp.no, Locked: locked, DoorOpen: isActive(v, cp.cfg.Door.ActiveLow)}
	}
	return out, nil
}

// DoorOpen implements kiosk.CabinetLock: it reads the door lines now and
// reports whether any door is open. Errors: ctx.Err();
// kiosk.ErrDeviceUnavailable (wrapped) when a line cannot be read or the
// Cabinet is closed.
func (c *Cabinet) DoorOpen(ctx context.Context) (bool, error) {
	if err := c.readable(ctx, "door"); err != nil {
		return false, err
	}
	open := false
	for _, cp := range c.comps {
		v, err := cp.lines.Door.Value()
		if err != nil {
			return false, unavailable(fmt.Sprintf("door: compartment %d", cp.no), err)
		}
		open = open || isActive(v, cp.cfg.Door.ActiveLow)
	}
	return open, nil
}

// WaitDoor implements kiosk.CabinetLock: it returns the door changes the
// door lines reported since New, once each and in order, waiting for the
// next if need be. An event names its compartment; its At is the
// kernel's time of the edge. A repeated level of one door (an edge lost
// in between) is no change and is dropped; beyond maxDoorEvents
// undelivered changes the oldest are dropped. Errors: ctx.Err(); after
// Close, kiosk.ErrDeviceUnavailable (wrapped).
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

// Light is the intervention light on the cabinet's chip (a *Tower), or
// nil when the Config wires none of its lines.
func (c *Cabinet) Light() kiosk.TowerLight {
	if c.tower == nil {
		return nil
	}
	return c.tower
}

// Close locks every lock, puts the lamp and the tower out, ends waiting
// age checks and WaitKeyTurn calls with an error wrapping
// kiosk.ErrDeviceUnavailable and releases the lines. Door changes not yet
// taken can still be taken with WaitDoor; then it and every other method
// return kiosk.ErrDeviceUnavailable. Close waits for an Unlock or Lock in
// progress. Closing twice does nothing.
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
	if c.tower != nil {
		if err := c.tower.shutdown(); err != nil {
			errs = append(errs, fmt.Errorf("gpiocab: close: tower: %w", err))
		}
	}
	// Lock before letting go: a released line may float or keep its level.
	for _, cp := range c.comps {
		if err := cp.lines.Lock.SetValue(c.lockLevel(true, cp)); err != nil {
			errs = append(errs, fmt.Errorf("gpiocab: close: compartment %d lock: %w", cp.no, err))
		}
	}
	// Not under mu: closing an input line waits for its edge handler,
	// which takes mu.
	if err := closeLines(c.lines); err != nil {
		errs = append(errs, fmt.Errorf("gpiocab: close: %w", err))
	}
	return errors.Join(errs...)
}
