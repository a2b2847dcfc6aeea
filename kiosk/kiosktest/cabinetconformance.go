package kiosktest

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

// CabinetHarness is a kiosk.CabinetLock under test and the means to act on
// the cabinet's side of it. A harness for a real driver plays the
// hardware: it drives the door sensor's input line and reads the lock's
// output (a simulated GPIO chip, or a relay board over a pseudo-terminal).
// Harness methods are called from the test's goroutine and report their
// own failures to the harness's t.
type CabinetHarness interface {
	// Cabinet is the port under test. The door starts closed.
	Cabinet() kiosk.CabinetLock
	// Door opens (true) or closes the door, as a person would, whatever
	// the lock's state; the port's sensor sees the change. It is called
	// only with a change.
	Door(open bool)
	// Jam makes the lock stop moving; Unjam frees it.
	Jam()
	Unjam()
	// Unplug makes the lock stop answering; Replug returns once the port
	// can reach it again.
	Unplug()
	Replug()
	// Locked reports whether the bolt is engaged, as the hardware is.
	Locked() bool
}

// TestCabinetLock checks a kiosk.CabinetLock against the contract in
// kiosk/ports.go. h makes a fresh harness, and the lock behind it, for
// each subtest.
func TestCabinetLock(t *testing.T, h func(t *testing.T) CabinetHarness) {
	move := func(t *testing.T, hc CabinetHarness, lock bool) error {
		t.Helper()
		ctx := devCtx(t)
		if lock {
			return hc.Cabinet().Lock(ctx)
		}
		return hc.Cabinet().Unlock(ctx, []int{1})
	}
	mustMove := func(t *testing.T, hc CabinetHarness, lock bool) {
		t.Helper()
		if err := move(t, hc, lock); err != nil {
			t.Fatalf("Lock/Unlock (lock=%v) = %v", lock, err)
		}
		if hc.Locked() != lock {
			t.Fatalf("after a successful move the bolt is locked=%v, want %v", hc.Locked(), lock)
		}
	}
	wait := func(t *testing.T, hc CabinetHarness) (kiosk.DoorEvent, error) {
		t.Helper()
		ctx := devCtx(t)
		return devRecv(t, "WaitDoor", devGo(func() (kiosk.DoorEvent, error) { return hc.Cabinet().WaitDoor(ctx) }))
	}
	mustEvent := func(t *testing.T, hc CabinetHarness, open bool) kiosk.DoorEvent {
		t.Helper()
		ev, err := wait(t, hc)
		if err != nil {
			t.Fatalf("WaitDoor = %v, want open=%v", err, open)
		}
		if ev.Open != open {
			t.Fatalf("WaitDoor = open=%v, want open=%v", ev.Open, open)
		}
		if ev.At.IsZero() {
			t.Errorf("door event has no time")
		}
		return ev
	}
	doorOpen := func(t *testing.T, hc CabinetHarness, want bool) {
		t.Helper()
		got, err := hc.Cabinet().DoorOpen(devCtx(t))
		if err != nil || got != want {
			t.Errorf("DoorOpen = %v, %v; want %v", got, err, want)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, hc CabinetHarness)
	}{
		{"UnlockAndLock", func(t *testing.T, hc CabinetHarness) {
			mustMove(t, hc, true)
			mustMove(t, hc, true) // locking a locked lock is fine
			mustMove(t, hc, false)
			mustMove(t, hc, false)
			mustMove(t, hc, true)
		}},
		{"JammedLockFaults", func(t *testing.T, hc CabinetHarness) {
			mustMove(t, hc, true)
			hc.Jam()
			if err := move(t, hc, false); !errors.Is(err, kiosk.ErrLockFault) {
				t.Errorf("Unlock of a jammed lock = %v, want kiosk.ErrLockFault", err)
			}
			if !hc.Locked() {
				t.Errorf("a jammed lock moved")
			}
			hc.Unjam()
			mustMove(t, hc, false)
			hc.Jam()
			if err := move(t, hc, true); !errors.Is(err, kiosk.ErrLockFault) {
				t.Errorf("Lock of a jammed lock = %v, want kiosk.ErrLockFault", err)
			}
			if hc.Locked() {
				t.Errorf("a jammed lock moved")
			}
			hc.Unjam()
			mustMove(t, hc, true)
		}},
		{"Unplugged", func(t *testing.T, hc CabinetHarness) {
			mustMove(t, hc, true)
			hc.Unplug()
			for _, lock := range []bool{false, true} {
				if err := move(t, hc, lock); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
					t.Errorf("Lock/Unlock (lock=%v) while unplugged = %v, want kiosk.ErrDeviceUnavailable", lock, err)
				}
			}
			hc.Replug()
			mustMove(t, hc, false)
			mustMove(t, hc, true)
		}},
		{"DoorEventsInOrder", func(t *testing.T, hc CabinetHarness) {
			doorOpen(t, hc, false)
			mustMove(t, hc, false)
			// Changes made before anyone waits are kept, in order.
			hc.Door(true)
			hc.Door(false)
			hc.Door(true)
			hc.Door(false)
			prev := mustEvent(t, hc, true)
			for _, open := range []bool{false, true, false} {
				ev := mustEvent(t, hc, open)
				if ev.At.Before(prev.At) {
					t.Errorf("door event at %v comes after one at %v", ev.At, prev.At)
				}
				prev = ev
			}
			doorOpen(t, hc, false)
		}},
		{"WaitDoorWaits", func(t *testing.T, hc CabinetHarness) {
			mustMove(t, hc, false)
			ctx := devCtx(t)
			ch := devGo(func() (kiosk.DoorEvent, error) { return hc.Cabinet().WaitDoor(ctx) })
			hc.Door(true)
			if ev, err := devRecv(t, "WaitDoor", ch); err != nil || !ev.Open {
				t.Fatalf("WaitDoor while the door opens = %+v, %v; want open", ev, err)
			}
			doorOpen(t, hc, true)
			hc.Door(false)
			mustEvent(t, hc, false)
			doorOpen(t, hc, false)
		}},
		{"CancelReturnsCtxErr", func(t *testing.T, hc CabinetHarness) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := devGo(func() (kiosk.DoorEvent, error) { return hc.Cabinet().WaitDoor(ctx) })
			cancel()
			if ev, err := devRecv(t, "WaitDoor", ch); !errors.Is(err, context.Canceled) {
				t.Fatalf("WaitDoor after cancel = %+v, %v; want context.Canceled", ev, err)
			}
			devCancelled(t, "WaitDoor", 40, func(ctx context.Context) error {
				_, err := hc.Cabinet().WaitDoor(ctx)
				return err
			})
			// The ended waits must not have taken the next event.
			mustMove(t, hc, false)
			hc.Door(true)
			mustEvent(t, hc, true)
		}},
		{"DoorForcedWhileLocked", func(t *testing.T, hc CabinetHarness) {
			mustMove(t, hc, true)
			hc.Door(true)
			mustEvent(t, hc, true)
			doorOpen(t, hc, true)
			hc.Door(false)
			mustEvent(t, hc, false)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
