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
	Op           CabinetOp
	Compartments []int     // Unlock's compartments; the door's compartment
	Err          error     // Unlock's or Lock's error
	Locked       bool      // compartment 1's lock after it
	At           time.Time // the clock's time
}

// CabinetLock is a fake kiosk.CabinetLock with compartments (one unless
// SetCompartments says otherwise). The test opens and closes doors (Open,
// Close, OpenDoor, CloseDoor) whatever the locks' state, as a person with
// enough force could; each change is a DoorEvent that WaitDoor delivers
// in order, however long after. SetFault makes Unlock and Lock fail
// without moving. Log records lock calls and door changes in the order
// they happened. Make one with NewCabinetLock.
type CabinetLock struct {
	clk kiosk.Clock

	mu         sync.Mutex
	locked     []bool // by compartment - 1
	open       []bool
	fault      error
	events     []kiosk.DoorEvent // every door change
	next       int               // events[next] is the next WaitDoor delivers
	log        []CabinetEntry
	wake       chan struct{}
	unlockGate gate // HoldUnlock
}

var _ kiosk.CabinetLock = (*CabinetLock)(nil)

// NewCabinetLock returns a locked cabinet of one compartment with its
// door closed. clk stamps door events; nil means kiosk.SystemClock.
func NewCabinetLock(clk kiosk.Clock) *CabinetLock {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	return &CabinetLock{clk: clk, locked: []bool{true}, open: []bool{false}, wake: make(chan struct{})}
}

// SetCompartments makes the cabinet n compartments (at least 1), all
// locked and closed. Call it before use.
func (c *CabinetLock) SetCompartments(n int) {
	n = max(n, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.locked, c.open = make([]bool, n), make([]bool, n)
	for i := range c.locked {
		c.locked[i] = true
	}
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

// Open opens compartment 1's door; Close closes it. Nothing happens when
// the door is already that way.
func (c *CabinetLock) Open()  { c.SetDoor(1, true) }
func (c *CabinetLock) Close() { c.SetDoor(1, false) }

// SetDoor opens or closes compartment n's door (ignored for a number the
// cabinet does not have).
func (c *CabinetLock) SetDoor(n int, open bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n < 1 || n > len(c.open) || c.open[n-1] == open {
		return
	}
	c.open[n-1] = open
	ev := kiosk.DoorEvent{Compartment: n, Open: open, At: c.clk.Now()}
	c.events = append(c.events, ev)
	op := CabDoorClose
	if open {
		op = CabDoorOpen
	}
	c.log = append(c.log, CabinetEntry{Op: op, Compartments: []int{n}, Locked: c.locked[0], At: ev.At})
	c.changedLocked()
}

// Locked reports whether every lock is engaged.
func (c *CabinetLock) Locked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.locked {
		if !l {
			return false
		}
	}
	return true
}

// Unlocked lists the compartments whose lock is released.
func (c *CabinetLock) Unlocked() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for i, l := range c.locked {
		if !l {
			out = append(out, i+1)
		}
	}
	return out
}

// IsOpen reports whether any door is open.
func (c *CabinetLock) IsOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.open {
		if o {
			return true
		}
	}
	return false
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

// Compartments implements kiosk.CabinetLock.
func (c *CabinetLock) Compartments(ctx context.Context) ([]kiosk.CompartmentState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]kiosk.CompartmentState, len(c.locked))
	for i := range out {
		out[i] = kiosk.CompartmentState{No: i + 1, Locked: c.locked[i], DoorOpen: c.open[i]}
	}
	return out, nil
}

// Unlock implements kiosk.CabinetLock.
func (c *CabinetLock) Unlock(ctx context.Context, compartments []int) error {
	c.unlockGate.pass(ctx) // a slow lock: the kiosk may die meanwhile
	return c.move(ctx, CabUnlock, compartments)
}

// HoldUnlock makes each Unlock wait until release is called (or its ctx
// ends); arrived gets a value when an Unlock starts waiting.
func (c *CabinetLock) HoldUnlock() (arrived <-chan struct{}, release func()) {
	return c.unlockGate.hold()
}

// Lock implements kiosk.CabinetLock.
func (c *CabinetLock) Lock(ctx context.Context) error { return c.move(ctx, CabLock, nil) }

func (c *CabinetLock) move(ctx context.Context, op CabinetOp, comps []int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	comps = append([]int(nil), comps...)
	err := ctx.Err()
	if err == nil && op == CabUnlock {
		if len(comps) == 0 {
			err = fmt.Errorf("kiosktest: unlock nothing: %w", kiosk.ErrNoCompartment)
		}
		for _, n := range comps {
			if n < 1 || n > len(c.locked) {
				err = fmt.Errorf("kiosktest: compartment %d: %w", n, kiosk.ErrNoCompartment)
			}
		}
	}
	if err == nil && c.fault != nil {
		err = fmt.Errorf("kiosktest: cabinet %v: %w", op, c.fault)
	}
	if err == nil {
		if op == CabLock {
			for i := range c.locked {
				c.locked[i] = true
			}
		}
		for _, n := range comps {
			c.locked[n-1] = false
		}
	}
	c.log = append(c.log, CabinetEntry{Op: op, Compartments: comps, Err: err, Locked: c.locked[0], At: c.clk.Now()})
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
