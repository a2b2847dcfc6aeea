package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// CabinetOp is what happened to the fake cabinet.
type CabinetOp uint8

const (
	CabUnlock    CabinetOp = 1 // Unlock was called
	CabLock      CabinetOp = 2 // Lock was called
	CabDoorOpen  CabinetOp = 3 // the door opened
	CabDoorClose CabinetOp = 4 // the door closed
)

func (o CabinetOp) String() string {
	switch o {
	case CabUnlock:
		return "unlock"
	case CabLock:
		return "lock"
	case CabDoorOpen:
		return "door open"
	case CabDoorClose:
		return "door close"
	}
	return fmt.Sprintf("CabinetOp(%d)", uint8(o))
}

// CabinetEntry is one line of the fake cabinet's log.
type CabinetEntry struct {
	Op     CabinetOp
	Err    error     // Unlock's or Lock's error
	Locked bool      // the lock's state after it
	At     time.Time // the clock's time
}

// CabinetLock is a fake kiosk.CabinetLock. The test opens and closes the
// door (Open, Close) whatever the lock's state, as a person with enough
// force could; each change is a DoorEvent that WaitDoor delivers in order,
// however long after. SetFault makes Unlock and Lock fail without moving.
// Log records lock calls and door changes in the order they happened.
// Make one with NewCabinetLock.
type CabinetLock struct {
	clk kiosk.Clock

	mu         sync.Mutex
	locked     bool
	open       bool
	fault      error
	events     []kiosk.DoorEvent // every door change
	next       int               // events[next] is the next WaitDoor delivers
	log        []CabinetEntry
	wake       chan struct{}
	unlockGate gate // HoldUnlock
}

var _ kiosk.CabinetLock = (*CabinetLock)(nil)

// NewCabinetLock returns a locked cabinet with its door closed. clk stamps
// door events; nil means kiosk.SystemClock.
func NewCabinetLock(clk kiosk.Clock) *CabinetLock {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	return &CabinetLock{clk: clk, locked: true, wake: make(chan struct{})}
}

func (c *CabinetLock) changedLocked() {
	close(c.wake)
	c.wake = make(chan struct{})
}

// SetFault makes Unlock and Lock return err, the lock staying as it is;
// nil clears it. Pass an error wrapping kiosk.ErrLockFault (the lock is
// jammed) or kiosk.ErrDeviceUnavailable (it does not answer); any other
// error is wrapped with kiosk.ErrLockFault.
func (c *CabinetLock) SetFault(err error) {
	if err != nil && !errors.Is(err, kiosk.ErrLockFault) && !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		err = fmt.Errorf("%w: %w", kiosk.ErrLockFault, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fault = err
}

// Open opens the door; Close closes it. Nothing happens when the door is
// already that way.
func (c *CabinetLock) Open()  { c.setDoor(true) }
func (c *CabinetLock) Close() { c.setDoor(false) }

func (c *CabinetLock) setDoor(open bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open == open {
		return
	}
	c.open = open
	ev := kiosk.DoorEvent{Open: open, At: c.clk.Now()}
	c.events = append(c.events, ev)
	op := CabDoorClose
	if open {
		op = CabDoorOpen
	}
	c.log = append(c.log, CabinetEntry{Op: op, Locked: c.locked, At: ev.At})
	c.changedLocked()
}

// Locked reports whether the lock is engaged.
func (c *CabinetLock) Locked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.locked
}

// IsOpen reports whether the door is open.
func (c *CabinetLock) IsOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open
}

// DoorEvents returns every door change so far, delivered or not.
func (c *CabinetLock) DoorEvents() []kiosk.DoorEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]kiosk.DoorEvent(nil), c.events...)
}

// Log returns the lock calls and door changes so far, in order.
func (c *CabinetLock) Log() []CabinetEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]CabinetEntry(nil), c.log...)
}

// Unlock implements kiosk.CabinetLock.
func (c *CabinetLock) Unlock(ctx context.Context) error {
	c.unlockGate.pass(ctx) // a slow lock: the kiosk may die meanwhile
	return c.move(ctx, CabUnlock, false)
}

// HoldUnlock makes each Unlock wait until release is called (or its ctx
// ends); arrived gets a value when an Unlock starts waiting.
func (c *CabinetLock) HoldUnlock() (arrived <-chan struct{}, release func()) {
	return c.unlockGate.hold()
}

// Lock implements kiosk.CabinetLock.
func (c *CabinetLock) Lock(ctx context.Context) error { return c.move(ctx, CabLock, true) }

func (c *CabinetLock) move(ctx context.Context, op CabinetOp, lock bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := ctx.Err()
	if err == nil && c.fault != nil {
		err = fmt.Errorf("kiosktest: cabinet %v: %w", op, c.fault)
	}
	if err == nil {
		c.locked = lock
	}
	c.log = append(c.log, CabinetEntry{Op: op, Err: err, Locked: c.locked, At: c.clk.Now()})
	c.changedLocked()
	return err
}

// DoorOpen implements kiosk.CabinetLock.
func (c *CabinetLock) DoorOpen(ctx context.Context) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return c.IsOpen(), nil
}

// WaitDoor implements kiosk.CabinetLock: it delivers every door change
// once, in order, waiting for the next one if need be.
func (c *CabinetLock) WaitDoor(ctx context.Context) (kiosk.DoorEvent, error) {
	for {
		c.mu.Lock()
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			return kiosk.DoorEvent{}, err
		}
		if c.next < len(c.events) {
			ev := c.events[c.next]
			c.next++
			c.mu.Unlock()
			return ev, nil
		}
		wake := c.wake
		c.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
	}
}
