package kiosktest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"selvkasse/kiosk"
)

// CabinetHarness is a kiosk.CabinetLock under test and the means to act on
// the cabinet's side of it. A harness for a real driver plays the
// hardware: it drives the door sensors' input lines and reads the locks'
// outputs (a simulated GPIO chip, or a relay board over a pseudo-terminal).
// Harness methods are called from the test's goroutine and report their
// own failures to the harness's t.
type CabinetHarness interface {
	// Cabinet is the port under test: a cabinet of Compartments()
	// compartments, every one locked with its door closed.
	Cabinet() kiosk.CabinetLock
	// Compartments is how many compartments the cabinet has: at least 2,
	// so that the suite can tell one from another.
	Compartments() int
	// Door opens (true) or closes compartment n's door, as a person
	// would, whatever its lock's state; the port's sensor sees the
	// change. It is called only with a change.
	Door(n int, open bool)
	// Jam makes every lock stop moving; Unjam frees them.
	Jam()
	Unjam()
	// Unplug makes the locks stop answering; Replug returns once the port
	// can reach them again.
	Unplug()
	Replug()
	// Locked reports whether compartment n's bolt is engaged, as the
	// hardware is.
	Locked(n int) bool
}

// TestCabinetLock checks a kiosk.CabinetLock against the contract in
// kiosk/ports.go. h makes a fresh harness, and the lock behind it, for
// each subtest.
func TestCabinetLock(t *testing.T, h func(t *testing.T) CabinetHarness) {
	// locked checks every compartment's bolt: those in unlocked withdrawn,
	// the others engaged.
	locked := func(t *testing.T, hc CabinetHarness, unlocked ...int) {
		t.Helper()
		for n := 1; n <= hc.Compartments(); n++ {
			if want := !slices.Contains(unlocked, n); hc.Locked(n) != want {
				t.Errorf("compartment %d locked=%v, want %v (unlocked: %v)", n, hc.Locked(n), want, unlocked)
			}
		}
	}
	unlock := func(t *testing.T, hc CabinetHarness, ns ...int) error {
		t.Helper()
		return hc.Cabinet().Unlock(devCtx(t), ns)
	}
	mustUnlock := func(t *testing.T, hc CabinetHarness, ns ...int) {
		t.Helper()
		if err := unlock(t, hc, ns...); err != nil {
			t.Fatalf("Unlock(%v) = %v", ns, err)
		}
	}
	mustLock := func(t *testing.T, hc CabinetHarness) {
		t.Helper()
		if err := hc.Cabinet().Lock(devCtx(t)); err != nil {
			t.Fatalf("Lock = %v", err)
		}
		locked(t, hc)
	}
	wait := func(t *testing.T, hc CabinetHarness) (kiosk.DoorEvent, error) {
		t.Helper()
		ctx := devCtx(t)
		return devRecv(t, "WaitDoor", devGo(func() (kiosk.DoorEvent, error) { return hc.Cabinet().WaitDoor(ctx) }))
	}
	mustEvent := func(t *testing.T, hc CabinetHarness, n int, open bool) kiosk.DoorEvent {
		t.Helper()
		ev, err := wait(t, hc)
		if err != nil {
			t.Fatalf("WaitDoor = %v, want compartment %d open=%v", err, n, open)
		}
		if ev.Open != open || ev.Compartment != n {
			t.Fatalf("WaitDoor = compartment %d open=%v, want compartment %d open=%v", ev.Compartment, ev.Open, n, open)
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
	// states checks Compartments: unlocked and open name the compartments
	// whose lock is released and whose door is open.
	states := func(t *testing.T, hc CabinetHarness, unlocked, open []int) {
		t.Helper()
		got, err := hc.Cabinet().Compartments(devCtx(t))
		if err != nil {
			t.Fatalf("Compartments = %v", err)
		}
		var want []kiosk.CompartmentState
		for n := 1; n <= hc.Compartments(); n++ {
			want = append(want, kiosk.CompartmentState{No: n, Locked: !slices.Contains(unlocked, n), DoorOpen: slices.Contains(open, n)})
		}
		if !slices.Equal(got, want) {
			t.Errorf("Compartments =\n%+v\nwant\n%+v", got, want)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, hc CabinetHarness)
	}{
		{"UnlockAndLock", func(t *testing.T, hc CabinetHarness) {
			if hc.Compartments() < 2 {
				t.Fatalf("the harness has %d compartments, want at least 2", hc.Compartments())
			}
			locked(t, hc)
			mustLock(t, hc) // locking a locked cabinet is fine
			mustUnlock(t, hc, 1)
			locked(t, hc, 1)
			mustUnlock(t, hc, 1) // and unlocking an unlocked compartment
			locked(t, hc, 1)
			mustLock(t, hc)
		}},
		{"UnlockOneLeavesTheOthersLocked", func(t *testing.T, hc CabinetHarness) {
			last := hc.Compartments()
			mustUnlock(t, hc, last)
			locked(t, hc, last)
			states(t, hc, []int{last}, nil)
			mustUnlock(t, hc, 1)
			locked(t, hc, 1, last)
			mustLock(t, hc) // Lock locks every compartment
			states(t, hc, nil, nil)
		}},
		{"UnlockSeveral", func(t *testing.T, hc CabinetHarness) {
			last := hc.Compartments()
			mustUnlock(t, hc, last, 1, last) // in any order, a number twice
			locked(t, hc, 1, last)
			states(t, hc, []int{1, last}, nil)
			mustLock(t, hc)
		}},
		{"NoSuchCompartment", func(t *testing.T, hc CabinetHarness) {
			n := hc.Compartments()
			for _, ns := range [][]int{nil, {}, {0}, {-1}, {n + 1}, {1, n + 1}, {n + 1, 1}} {
				if err := unlock(t, hc, ns...); !errors.Is(err, kiosk.ErrNoCompartment) {
					t.Errorf("Unlock(%v) = %v, want kiosk.ErrNoCompartment", ns, err)
				}
				locked(t, hc)
			}
			states(t, hc, nil, nil)
		}},
		{"JammedLockFaults", func(t *testing.T, hc CabinetHarness) {
			hc.Jam()
			if err := unlock(t, hc, 1, 2); !errors.Is(err, kiosk.ErrLockFault) {
				t.Errorf("Unlock of a jammed lock = %v, want kiosk.ErrLockFault", err)
			}
			locked(t, hc) // a failed unlock leaves what it named locked
			hc.Unjam()
			locked(t, hc)
			mustUnlock(t, hc, 1)
			hc.Jam()
			if err := hc.Cabinet().Lock(devCtx(t)); !errors.Is(err, kiosk.ErrLockFault) {
				t.Errorf("Lock of a jammed lock = %v, want kiosk.ErrLockFault", err)
			}
			if hc.Locked(1) {
				t.Errorf("a jammed lock moved")
			}
			hc.Unjam()
			mustLock(t, hc)
		}},
		{"Unplugged", func(t *testing.T, hc CabinetHarness) {
			hc.Unplug()
			if err := unlock(t, hc, 1); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Unlock while unplugged = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			if err := hc.Cabinet().Lock(devCtx(t)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Lock while unplugged = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			hc.Replug()
			locked(t, hc)
			mustUnlock(t, hc, 2)
			locked(t, hc, 2)
			mustLock(t, hc)
		}},
		{"DoorEventsInOrder", func(t *testing.T, hc CabinetHarness) {
			doorOpen(t, hc, false)
			mustUnlock(t, hc, 1)
			// Changes made before anyone waits are kept, in order.
			hc.Door(1, true)
			hc.Door(1, false)
			hc.Door(1, true)
			hc.Door(1, false)
			prev := mustEvent(t, hc, 1, true)
			for _, open := range []bool{false, true, false} {
				ev := mustEvent(t, hc, 1, open)
				if ev.At.Before(prev.At) {
					t.Errorf("door event at %v comes after one at %v", ev.At, prev.At)
				}
				prev = ev
			}
			doorOpen(t, hc, false)
		}},
		{"DoorEventsNameTheirCompartment", func(t *testing.T, hc CabinetHarness) {
			last := hc.Compartments()
			mustUnlock(t, hc, 1, last)
			hc.Door(last, true)
			hc.Door(1, true)
			doorOpen(t, hc, true)
			states(t, hc, []int{1, last}, []int{1, last})
			hc.Door(last, false)
			doorOpen(t, hc, true) // compartment 1's door is still open
			hc.Door(1, false)
			doorOpen(t, hc, false)
			for _, want := range []struct {
				n    int
				open bool
			}{{last, true}, {1, true}, {last, false}, {1, false}} {
				mustEvent(t, hc, want.n, want.open)
			}
			states(t, hc, []int{1, last}, nil)
		}},
		{"WaitDoorWaits", func(t *testing.T, hc CabinetHarness) {
			mustUnlock(t, hc, 2)
			ctx := devCtx(t)
			ch := devGo(func() (kiosk.DoorEvent, error) { return hc.Cabinet().WaitDoor(ctx) })
			hc.Door(2, true)
			if ev, err := devRecv(t, "WaitDoor", ch); err != nil || !ev.Open || ev.Compartment != 2 {
				t.Fatalf("WaitDoor while compartment 2's door opens = %+v, %v; want it open", ev, err)
			}
			doorOpen(t, hc, true)
			hc.Door(2, false)
			mustEvent(t, hc, 2, false)
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
			mustUnlock(t, hc, 1)
			hc.Door(1, true)
			mustEvent(t, hc, 1, true)
		}},
		{"DoorForcedWhileLocked", func(t *testing.T, hc CabinetHarness) {
			// The sensor reports a door opened on a locked compartment
			// (forced): telling it from a released one is the kiosk's.
			mustUnlock(t, hc, 1)
			hc.Door(2, true)
			mustEvent(t, hc, 2, true)
			doorOpen(t, hc, true)
			states(t, hc, []int{1}, []int{2})
			hc.Door(2, false)
			mustEvent(t, hc, 2, false)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
