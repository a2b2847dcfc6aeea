package kiosktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// StaffKeyHarness is a kiosk.StaffKey under test and the means to turn the
// key. A harness for a real driver plays the key switch on its input line.
// Harness methods are called from the test's goroutine and report their
// own failures to the harness's t.
type StaffKeyHarness interface {
	// Key is the port under test.
	Key() kiosk.StaffKey
	// Turn turns the key to the approve position and lets it spring back,
	// with no age check waiting. It returns once the port has seen the
	// turn.
	Turn()
	// SetAvailable(false) makes the key unreadable; true makes it readable
	// again and returns once the port can read it.
	SetAvailable(available bool)
}

// TestStaffKey checks a kiosk.StaffKey against the contract in
// kiosk/ports.go. h makes a fresh harness, and the key behind it, for each
// subtest.
func TestStaffKey(t *testing.T, h func(t *testing.T) StaffKeyHarness) {
	// wait calls WaitKeyTurn with a bounded context, in a goroutine.
	wait := func(t *testing.T, hs StaffKeyHarness) error {
		t.Helper()
		ctx := devCtx(t)
		_, err := devRecv(t, "WaitKeyTurn", devGo(func() (struct{}, error) { return struct{}{}, hs.Key().WaitKeyTurn(ctx) }))
		return err
	}
	mustTurn := func(t *testing.T, hs StaffKeyHarness) {
		t.Helper()
		if err := wait(t, hs); err != nil {
			t.Fatalf("WaitKeyTurn after a turn = %v, want nil", err)
		}
	}
	// noTurn checks that no turn is left to deliver: a WaitKeyTurn waits
	// until its deadline.
	noTurn := func(t *testing.T, hs StaffKeyHarness) {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if err := hs.Key().WaitKeyTurn(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WaitKeyTurn with no turn left = %v, want context.DeadlineExceeded: a turn was delivered twice", err)
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, hs StaffKeyHarness)
	}{
		{"TurnWhileWaiting", func(t *testing.T, hs StaffKeyHarness) {
			ctx := devCtx(t)
			ch := devGo(func() (struct{}, error) { return struct{}{}, hs.Key().WaitKeyTurn(ctx) })
			hs.Turn()
			if _, err := devRecv(t, "WaitKeyTurn", ch); err != nil {
				t.Fatalf("WaitKeyTurn when the key is turned = %v, want nil", err)
			}
			noTurn(t, hs)
		}},
		{"TurnKeptUntilWaited", func(t *testing.T, hs StaffKeyHarness) {
			hs.Turn()
			mustTurn(t, hs)
			noTurn(t, hs)
		}},
		{"TwoTurnsKeptAsOne", func(t *testing.T, hs StaffKeyHarness) {
			hs.Turn()
			hs.Turn()
			mustTurn(t, hs)
			noTurn(t, hs)
		}},
		{"OneTurnEachWait", func(t *testing.T, hs StaffKeyHarness) {
			for range 3 {
				hs.Turn()
				mustTurn(t, hs)
			}
			noTurn(t, hs)
		}},
		{"CancelReturnsCtxErr", func(t *testing.T, hs StaffKeyHarness) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := devGo(func() (struct{}, error) { return struct{}{}, hs.Key().WaitKeyTurn(ctx) })
			cancel()
			if _, err := devRecv(t, "WaitKeyTurn", ch); !errors.Is(err, context.Canceled) {
				t.Fatalf("WaitKeyTurn after cancel = %v, want context.Canceled", err)
			}
			noTurn(t, hs)
			// The ended waits must not take the next turn.
			hs.Turn()
			mustTurn(t, hs)
		}},
		{"EndedContextTakesNoTurn", func(t *testing.T, hs StaffKeyHarness) {
			hs.Turn()
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := hs.Key().WaitKeyTurn(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("WaitKeyTurn with an ended context = %v, want context.Canceled", err)
			}
			mustTurn(t, hs)
		}},
		{"CancelLeavesNoGoroutines", func(t *testing.T, hs StaffKeyHarness) {
			devCancelled(t, "WaitKeyTurn", 40, hs.Key().WaitKeyTurn)
			hs.Turn()
			mustTurn(t, hs)
		}},
		{"Unreadable", func(t *testing.T, hs StaffKeyHarness) {
			hs.SetAvailable(false)
			err := wait(t, hs)
			if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Fatalf("WaitKeyTurn with the key unreadable = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			if err == kiosk.ErrDeviceUnavailable {
				t.Errorf("WaitKeyTurn returned bare kiosk.ErrDeviceUnavailable; want it wrapped with what failed")
			}
			hs.SetAvailable(true)
			hs.Turn()
			mustTurn(t, hs)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
