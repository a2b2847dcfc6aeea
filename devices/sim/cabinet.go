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

// Cabinet is the simulated cabinet lock and door sensor's port. WaitDoor
// delivers every door change in order, including those made before it
// was called.
func (d *Devices) Cabinet() kiosk.CabinetLock { return cabinet{d} }

// Door opens (true) or closes the cabinet door. A locked door can be
// forced: the sensor reports it all the same. No change, no event.
func (d *Devices) Door(open bool) {
	d.mu.Lock()
	if d.doorOpen == open {
		d.mu.Unlock()
		return
	}
	d.doorOpen = open
	if len(d.doorq) == maxDoorEvents {
		d.doorq = d.doorq[1:]
	}
	d.doorq = append(d.doorq, kiosk.DoorEvent{Open: open, At: d.clk.Now()})
	d.unlockChanged()
}

// JamLock jams the lock (true): Unlock and Lock fail with
// kiosk.ErrLockFault and the bolt stays. false frees it.
func (d *Devices) JamLock(jammed bool) {
	d.mu.Lock()
	d.jammed = jammed
	d.unlockChanged()
}

func (c cabinet) move(ctx context.Context, lock bool) error {
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
	d.locked = lock
	d.unlockChanged()
	return nil
}

// Unlock implements kiosk.CabinetLock: the simulated cabinet is one
// compartment.
func (c cabinet) Unlock(ctx context.Context, compartments []int) error {
	if len(compartments) == 0 || slices.ContainsFunc(compartments, func(n int) bool { return n != 1 }) {
		return fmt.Errorf("sim: unlock %v: %w", compartments, kiosk.ErrNoCompartment)
	}
	return c.move(ctx, false)
}

// Compartments implements kiosk.CabinetLock.
func (c cabinet) Compartments(ctx context.Context) ([]kiosk.CompartmentState, error) {
	open, err := c.DoorOpen(ctx)
	if err != nil {
		return nil, err
	}
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	return []kiosk.CompartmentState{{No: 1, Locked: c.d.locked, DoorOpen: open}}, nil
}

// Lock implements kiosk.CabinetLock.
func (c cabinet) Lock(ctx context.Context) error { return c.move(ctx, true) }

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
	return d.doorOpen, nil
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
