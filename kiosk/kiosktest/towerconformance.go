package kiosktest

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

// TowerHarness is a kiosk.TowerLight under test and the means to watch it
// as staff across the shop would. Harness methods are called from the
// test's goroutine and report their own failures to t.
type TowerHarness interface {
	// Light is the port under test. It starts off.
	Light() kiosk.TowerLight
	// Showing is the signal the light gives now, as seen and heard: a
	// harness of a real light may watch it for a blink period (moving a
	// fake clock) to tell a steady lamp from a blinking one, and an alarm
	// from a chime.
	Showing(t *testing.T) kiosk.Signal
	// Chimes counts the chimes heard so far: brief beeps, never an alarm.
	Chimes(t *testing.T) int
	// Break makes the light stop answering and reports true, or reports
	// false when the implementation cannot fail (then the suite skips the
	// fault test). Mend undoes Break.
	Break() bool
	Mend()
}

// TestTowerLight checks a kiosk.TowerLight against the contract in
// kiosk/ports.go. h makes a fresh harness, and the light behind it, for
// each subtest.
func TestTowerLight(t *testing.T, h func(t *testing.T) TowerHarness) {
	show := func(t *testing.T, ht TowerHarness, s kiosk.Signal) {
		t.Helper()
		if err := ht.Light().Show(devCtx(t), s); err != nil {
			t.Fatalf("Show(%+v) = %v", s, err)
		}
	}
	showing := func(t *testing.T, ht TowerHarness, want kiosk.Signal) {
		t.Helper()
		if got := ht.Showing(t); got != want {
			t.Errorf("the light shows %+v, want %+v", got, want)
		}
	}
	chime := func(t *testing.T, ht TowerHarness) {
		t.Helper()
		if err := ht.Light().Chime(devCtx(t)); err != nil {
			t.Fatalf("Chime = %v", err)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, ht TowerHarness)
	}{
		{"ShowsWhatItIsTold", func(t *testing.T, ht TowerHarness) {
			showing(t, ht, kiosk.Signal{})
			for _, s := range []kiosk.Signal{
				{Light: kiosk.LightGreen}, {Light: kiosk.LightYellow}, {Light: kiosk.LightRed}, {Light: kiosk.LightOff},
				{Light: kiosk.LightYellow, Blink: true}, {Light: kiosk.LightGreen},
			} {
				show(t, ht, s)
				showing(t, ht, s)
			}
		}},
		{"AlarmUntilTheNextShow", func(t *testing.T, ht TowerHarness) {
			alarm := kiosk.Signal{Light: kiosk.LightRed, Blink: true, Alarm: true}
			show(t, ht, alarm)
			showing(t, ht, alarm)
			showing(t, ht, alarm) // still sounding a while later
			chime(t, ht)
			showing(t, ht, alarm) // a chime does not end the alarm
			show(t, ht, kiosk.Signal{Light: kiosk.LightRed})
			showing(t, ht, kiosk.Signal{Light: kiosk.LightRed})
		}},
		{"Chime", func(t *testing.T, ht TowerHarness) {
			show(t, ht, kiosk.Signal{Light: kiosk.LightYellow, Blink: true})
			before := ht.Chimes(t)
			chime(t, ht)
			if got := ht.Chimes(t); got != before+1 {
				t.Errorf("%d chimes after one, want %d", got, before+1)
			}
			showing(t, ht, kiosk.Signal{Light: kiosk.LightYellow, Blink: true}) // the light is as it was, no alarm
			chime(t, ht)
			chime(t, ht)
			if got := ht.Chimes(t); got < before+2 {
				t.Errorf("%d chimes after three, want at least %d", got, before+2)
			}
		}},
		{"EndedContext", func(t *testing.T, ht TowerHarness) {
			show(t, ht, kiosk.Signal{Light: kiosk.LightGreen})
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := ht.Light().Show(ctx, kiosk.Signal{Light: kiosk.LightRed}); !errors.Is(err, context.Canceled) {
				t.Errorf("Show with an ended context = %v, want context.Canceled", err)
			}
			if err := ht.Light().Chime(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Chime with an ended context = %v, want context.Canceled", err)
			}
			showing(t, ht, kiosk.Signal{Light: kiosk.LightGreen})
		}},
		{"Faulty", func(t *testing.T, ht TowerHarness) {
			if !ht.Break() {
				t.Skip("this light cannot fail")
			}
			if err := ht.Light().Show(devCtx(t), kiosk.Signal{Light: kiosk.LightRed}); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Show on a broken light = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			if err := ht.Light().Chime(devCtx(t)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Chime on a broken light = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			ht.Mend()
			s := kiosk.Signal{Light: kiosk.LightRed, Alarm: true}
			show(t, ht, s)
			showing(t, ht, s)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
