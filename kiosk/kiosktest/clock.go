package kiosktest

import (
	"context"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// Clock is a fake kiosk.Clock that moves only when the test calls Advance
// or AdvanceTo. Those run the functions that fall due, in time order (in
// the order they were set for equal times), one at a time, in the calling
// goroutine and outside the clock's lock, so a function may read the
// clock and set or stop timers. Each runs with Now at its own due time.
// Call Advance from one goroutine at a time, never from a timer function.
// Make one with NewClock.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer // pending, unordered
	seq    uint64
	wake   chan struct{}
}

var _ kiosk.Clock = (*Clock)(nil)

type fakeTimer struct {
	c   *Clock
	at  time.Time
	seq uint64 // order of setting, for equal times
	f   func()
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, wake: make(chan struct{})}
}

// Now implements kiosk.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc implements kiosk.Clock: f runs in the Advance that takes the
// clock to Now()+d or beyond; with d <= 0, in the next Advance.
func (c *Clock) AfterFunc(d time.Duration, f func()) kiosk.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{c: c, at: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	close(c.wake)
	c.wake = make(chan struct{})
	return t
}

// Stop implements kiosk.Timer.
func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.c.removeLocked(t)
}

func (c *Clock) removeLocked(t *fakeTimer) bool {
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// Advance moves the clock d forward, running the functions due on the way.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	to := c.now.Add(d)
	c.mu.Unlock()
	c.AdvanceTo(to)
}

// AdvanceTo moves the clock to t, running the functions due on the way. A
// t before Now runs only the functions already due.
func (c *Clock) AdvanceTo(t time.Time) {
	for {
		c.mu.Lock()
		var next *fakeTimer
		for _, x := range c.timers {
			if !x.at.After(t) && (next == nil || x.at.Before(next.at) || (x.at.Equal(next.at) && x.seq < next.seq)) {
				next = x
			}
		}
		if next == nil {
			if t.After(c.now) {
				c.now = t
			}
			c.mu.Unlock()
			return
		}
		c.removeLocked(next)
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// Pending is the number of timers set and not yet fired or stopped.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Next returns when the earliest pending timer is due; ok is false when
// none is pending.
func (c *Clock) Next() (at time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range c.timers {
		if !ok || x.at.Before(at) {
			at, ok = x.at, true
		}
	}
	return at, ok
}

// WaitTimers returns once at least n timers are pending, so that a test can
// let another goroutine set its timer before advancing; or ctx.Err().
func (c *Clock) WaitTimers(ctx context.Context, n int) error {
	return AwaitCount(ctx, &c.mu, n, func() (int, <-chan struct{}) { return len(c.timers), c.wake })
}
