package kiosktest

import (
	"slices"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// ClockHarness is a kiosk.Clock under test that moves only when told, as
// the tests' clocks do.
type ClockHarness interface {
	// Clock is the port under test.
	Clock() kiosk.Clock
	// Advance moves the clock d forward and returns once every function
	// due by then has run.
	Advance(d time.Duration)
}

// TestClock checks a kiosk.Clock that tests drive: time moves only when
// the harness advances it, functions set with AfterFunc run in time order
// (in the order they were set, for equal times) with Now at their due
// time, and Stop reports whether it prevented a run. h makes a fresh
// harness for each subtest.
func TestClock(t *testing.T, h func(t *testing.T) ClockHarness) {
	const ms = time.Millisecond
	tests := []struct {
		name string
		run  func(t *testing.T, hc ClockHarness)
	}{
		{"NowMovesOnlyWhenAdvanced", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			t0 := c.Now()
			if t1 := c.Now(); !t1.Equal(t0) {
				t.Errorf("Now moved from %v to %v by itself", t0, t1)
			}
			hc.Advance(1500 * ms)
			if got := c.Now().Sub(t0); got != 1500*ms {
				t.Errorf("Advance(1.5s) moved Now by %v", got)
			}
			hc.Advance(0)
			if got := c.Now().Sub(t0); got != 1500*ms {
				t.Errorf("Advance(0) moved Now to +%v", got)
			}
		}},
		{"FiresAtItsTimeNotBefore", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			n := 0
			c.AfterFunc(100*ms, func() { n++ })
			hc.Advance(99 * ms)
			if n != 0 {
				t.Fatalf("fired %d times 1ms before it was due", n)
			}
			hc.Advance(ms)
			if n != 1 {
				t.Fatalf("fired %d times when due, want 1", n)
			}
			hc.Advance(time.Hour)
			if n != 1 {
				t.Errorf("fired %d times in all, want 1", n)
			}
		}},
		{"FiresInTimeOrderWithNowAtDue", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			t0 := c.Now()
			var got []string
			var at []time.Duration
			set := func(d time.Duration, name string) {
				c.AfterFunc(d, func() {
					got = append(got, name)
					at = append(at, c.Now().Sub(t0))
				})
			}
			set(30*ms, "c")
			set(10*ms, "a")
			set(20*ms, "b1")
			set(20*ms, "b2")
			set(50*ms, "late")
			hc.Advance(40 * ms)
			if want := []string{"a", "b1", "b2", "c"}; !slices.Equal(got, want) {
				t.Errorf("fired %v, want %v", got, want)
			}
			if want := []time.Duration{10 * ms, 20 * ms, 20 * ms, 30 * ms}; !slices.Equal(at, want) {
				t.Errorf("Now in the functions was +%v, want +%v", at, want)
			}
			if d := c.Now().Sub(t0); d != 40*ms {
				t.Errorf("after Advance(40ms) Now is +%v", d)
			}
		}},
		{"TimerSetByATimerFiresInTheSameAdvance", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			t0 := c.Now()
			var at []time.Duration
			c.AfterFunc(10*ms, func() {
				at = append(at, c.Now().Sub(t0))
				c.AfterFunc(5*ms, func() { at = append(at, c.Now().Sub(t0)) })
				c.AfterFunc(time.Second, func() { at = append(at, c.Now().Sub(t0)) })
			})
			hc.Advance(20 * ms)
			if want := []time.Duration{10 * ms, 15 * ms}; !slices.Equal(at, want) {
				t.Errorf("fired at +%v, want +%v", at, want)
			}
		}},
		{"ZeroAndNegativeFireOnNextAdvance", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			n := 0
			c.AfterFunc(0, func() { n++ })
			c.AfterFunc(-time.Second, func() { n++ })
			hc.Advance(0)
			if n != 2 {
				t.Errorf("%d of 2 due functions ran", n)
			}
		}},
		{"StopPreventsFiring", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			fired := map[string]bool{}
			a := c.AfterFunc(10*ms, func() { fired["a"] = true })
			b := c.AfterFunc(20*ms, func() { fired["b"] = true })
			if !a.Stop() {
				t.Errorf("Stop of a pending timer = false")
			}
			if a.Stop() {
				t.Errorf("second Stop = true")
			}
			hc.Advance(30 * ms)
			if fired["a"] || !fired["b"] {
				t.Errorf("fired %v, want only b", fired)
			}
			if b.Stop() {
				t.Errorf("Stop after firing = true")
			}
		}},
		{"StopFromATimerFunction", func(t *testing.T, hc ClockHarness) {
			c := hc.Clock()
			var second kiosk.Timer
			fired, stopped := false, false
			c.AfterFunc(10*ms, func() { stopped = second.Stop() })
			second = c.AfterFunc(10*ms, func() { fired = true })
			hc.Advance(10 * ms)
			if !stopped || fired {
				t.Errorf("Stop from an earlier function due at the same time = %v, fired %v; want true, not fired", stopped, fired)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
