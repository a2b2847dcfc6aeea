package kiosktest_test

import (
	"context"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeClockHarness struct{ c *kiosktest.Clock }

func (h fakeClockHarness) Clock() kiosk.Clock      { return h.c }
func (h fakeClockHarness) Advance(d time.Duration) { h.c.Advance(d) }

func TestFakeClockConformance(t *testing.T) {
	kiosktest.TestClock(t, func(t *testing.T) kiosktest.ClockHarness {
		return fakeClockHarness{kiosktest.NewClock(devT0)}
	})
}

func TestFakeClockAdvanceTo(t *testing.T) {
	c := kiosktest.NewClock(devT0)
	fired := 0
	c.AfterFunc(time.Minute, func() { fired++ })
	c.AfterFunc(time.Hour, func() { fired++ })
	if at, ok := c.Next(); !ok || !at.Equal(devT0.Add(time.Minute)) {
		t.Errorf("Next = %v, %v; want %v", at, ok, devT0.Add(time.Minute))
	}
	if c.Pending() != 2 {
		t.Errorf("Pending = %d, want 2", c.Pending())
	}
	c.AdvanceTo(devT0.Add(2 * time.Minute))
	if fired != 1 || !c.Now().Equal(devT0.Add(2*time.Minute)) || c.Pending() != 1 {
		t.Errorf("after AdvanceTo: fired %d, Now %v, Pending %d", fired, c.Now(), c.Pending())
	}
	c.AdvanceTo(devT0) // the past: nothing moves
	if !c.Now().Equal(devT0.Add(2 * time.Minute)) {
		t.Errorf("AdvanceTo the past moved Now to %v", c.Now())
	}
	c.Advance(time.Hour)
	if _, ok := c.Next(); ok || fired != 2 {
		t.Errorf("after Advance(1h): fired %d, Next ok %v", fired, ok)
	}
}

func TestFakeClockWaitTimers(t *testing.T) {
	c := kiosktest.NewClock(devT0)
	fired := make(chan struct{})
	go func() {
		done := make(chan struct{})
		c.AfterFunc(time.Second, func() { close(done) })
		<-done
		close(fired)
	}()
	if err := c.WaitTimers(t.Context(), 1); err != nil {
		t.Fatalf("WaitTimers: %v", err)
	}
	c.Advance(time.Second)
	<-fired
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.WaitTimers(ctx, 1); err != context.Canceled {
		t.Errorf("WaitTimers with nothing pending and an ended ctx = %v", err)
	}
}
