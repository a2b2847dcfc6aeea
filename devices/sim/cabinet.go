package sim

import (
	"context"
	"fmt"
	"slices"

	"selvkasse/kiosk"
)

// maxDoorEvents bounds the door events kept for WaitDoor: when nobody
// waits for a long time the oldest go, as in a driver's event buffer.
const maxDoorEvents = 64

type cabinet struct{ d *Devices }

var _ kiosk.CabinetLock = cabinet{}

// Cabinet is the simulated cabinet's port: compartments numbered from 1,
// each with its lock and door sensor. WaitDoor delivers every door change
// in order, including those made before it was called.
func (d *Devices) Cabinet() kiosk.CabinetLock { return cabinet{d} }

// Door is a customer at the cabinet, for scripts: open (true) opens the
// doors of the unlocked compartments, or compartment 1's when none is
// unlocked (forcing it if it is locked); false closes every door. No
// change, no event.
func (d *Devices) Door(open bool) {
	d.mu.Lock()
	var ns []int
	for i := range d.open {
		if !open || !d.locked[i] {
			ns = append(ns, i+1)
		}
	}
	if open && len(ns) == 0 {
		ns = []int{1}
	}
	for _, n := range ns {
		d.setDoorLocked(n, open)
	}
	d.unlockChanged()
}

// SetDoor opens (true) or closes compartment n's door, whatever its
// lock: a locked door opened is a forced one, and the sensor reports it
// all the same. No change, no event. Errors: kiosk.ErrNoCompartment
// (wrapped) for a number the cabinet does not have.
func (d *Devices) SetDoor(n int, open bool) error {
	d.mu.Lock()
	if n < 1 || n > len(d.open) {
		d.mu.Unlock()
		return fmt.Errorf("sim: door %d: the cabinet has compartments 1 to %d: %w", n, len(d.open), kiosk.ErrNoCompartment)
	}
	d.setDoorLocked(n, open)
	d.unlockChanged()
	return nil
}

// ForceDoor forces a locked door open: compartment 1's, or when that one
// is unlocked or open, the first compartment's that is locked and
// closed. It returns the compartment. Errors: when no compartment is
// locked with its door closed, nothing happens and the error says so.
func (d *Devices) ForceDoor() (int, error) {
	d.mu.Lock()
	for i := range d.open {
		if d.locked[i] && !d.open[i] {
			d.setDoorLocked(i+1, true)
			d.unlockChanged()
			return i + 1, nil
		}
	}
	d.mu.Unlock()
	return 0, fmt.Errorf("sim: force a door: no compartment is locked with its door closed")
}

// setDoorLocked moves compartment n's door and queues the event; the
// caller holds d.mu and ends with unlockChanged.
func (d *Devices) setDoorLocked(n int, open bool) {
	if d.open[n-1] == open {
		return
	}
	d.open[n-1] = open
	if len(d.doorq) == maxDoorEvents {
		d.doorq = d.doorq[1:]
	}
	d.doorq = append(d.doorq, kiosk.DoorEvent{Compartment: n, Open: open, At: d.clk.Now()})
}

// JamLock jams the locks (true): Unlock and Lock fail with
// kiosk.ErrLockFault and the bolts stay. false frees them.
func (d *Devices) JamLock(jammed bool) {
	d.mu.Lock()
	d.jammed = jammed
	d.unlockChanged()
}

// move locks every compartment (ns nil) or unlocks ns.
func (c cabinet) move(ctx context.Context, ns []int) error {
	d := c.d
	d.mu.Lock()
	switch {
	case ctx.Err() != nil:
		d.mu.Unlock()
		return ctx.Err()
	case d.offline[DevCabinet]:
		d.mu.Unlock()
		return offline(DevCabinet)
	case d.jammed:
		d.mu.Unlock()
		return fmt.Errorf("sim: cabinet lock jammed: %w", kiosk.ErrLockFault)
	}
	if ns == nil {
		for i := range d.locked {
			d.locked[i] = true
		}
	}
	for _, n := range ns {
		d.locked[n-1] = false
	}
	d.unlockChanged()
	return nil
}

// Unlock implements kiosk.CabinetLock.
func (c cabinet) Unlock(ctx context.Context, compartments []int) error {
	c.d.mu.Lock()
	n := len(c.d.locked)
	c.d.mu.Unlock()
	if len(compartments) == 0 {
		return fmt.Errorf("sim: unlock: no compartment named: %w", kiosk.ErrNoCompartment)
	}
	if slices.ContainsFunc(compartments, func(i int) bool { return i < 1 || i > n }) {
		return fmt.Errorf("sim: unlock %v: the cabinet has compartments 1 to %d: %w", compartments, n, kiosk.ErrNoCompartment)
	}
	return c.move(ctx, compartments)
}

// Lock implements kiosk.CabinetLock.
func (c cabinet) Lock(ctx context.Context) error { return c.move(ctx, nil) }

// statesLocked is every compartment's lock and door; the caller holds
// d.mu.
func (d *Devices) statesLocked() []kiosk.CompartmentState {
	out := make([]kiosk.CompartmentState, len(d.locked))
	for i := range out {
		out[i] = kiosk.CompartmentState{No: i + 1, Locked: d.locked[i], DoorOpen: d.open[i]}
	}
	return out
}

// Compartments implements kiosk.CabinetLock.
func (c cabinet) Compartments(ctx context.Context) ([]kiosk.CompartmentState, error) {
	d := c.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.offline[DevCabinet] {
		return nil, offline(DevCabinet)
	}
	return d.statesLocked(), nil
}

// DoorOpen implements kiosk.CabinetLock.
func (c cabinet) DoorOpen(ctx context.Context) (bool, error) {
	d := c.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if d.offline[DevCabinet] {
		return false, offline(DevCabinet)
	}
	return slices.Contains(d.open, true), nil
}

// WaitDoor implements kiosk.CabinetLock.
func (c cabinet) WaitDoor(ctx context.Context) (kiosk.DoorEvent, error) {
	d := c.d
	for {
		d.mu.Lock()
		if err := ctx.Err(); err != nil {
			d.mu.Unlock()
			return kiosk.DoorEvent{}, err
		}
		if len(d.doorq) > 0 {
			ev := d.doorq[0]
			d.doorq = d.doorq[1:]
			d.mu.Unlock()
			return ev, nil
		}
		wake := d.wake
		d.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
	}
}
