package gpiocab

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"selvkasse/kiosk"
)

func TestLevelMapping(t *testing.T) {
	for _, tc := range []struct {
		failSafe, activeLow bool
		locked, unlocked    int // the lock line's levels
	}{
		{false, false, 0, 1}, // fail-secure, energised to unlock, active-high stage
		{false, true, 1, 0},  // fail-secure, active-low relay board
		{true, false, 1, 0},  // maglock, energised to lock
		{true, true, 0, 1},   // maglock, active-low relay board
	} {
		pin := Pin{ActiveLow: tc.activeLow}
		if got := lockLevel(true, tc.failSafe, pin); got != tc.locked {
			t.Errorf("failSafe=%v activeLow=%v: locked level %d, want %d", tc.failSafe, tc.activeLow, got, tc.locked)
		}
		if got := lockLevel(false, tc.failSafe, pin); got != tc.unlocked {
			t.Errorf("failSafe=%v activeLow=%v: unlocked level %d, want %d", tc.failSafe, tc.activeLow, got, tc.unlocked)
		}
	}
	for _, tc := range []struct {
		level     int
		activeLow bool
		active    bool
	}{
		{0, false, false}, {1, false, true}, {0, true, true}, {1, true, false},
	} {
		if got := isActive(tc.level, tc.activeLow); got != tc.active {
			t.Errorf("isActive(%d, activeLow=%v) = %v, want %v", tc.level, tc.activeLow, got, tc.active)
		}
		if got := levelFor(tc.active, tc.activeLow); got != tc.level {
			t.Errorf("levelFor(%v, activeLow=%v) = %d, want %d", tc.active, tc.activeLow, got, tc.level)
		}
	}
}

// TestPolarity drives a cabinet of each wiring and checks the levels on
// the lines, written out by hand.
func TestPolarity(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		failSafe, lockLow     bool
		doorLow               bool
		lockedLvl, unlockLvl  int
		openLvl, closedLvl    int
		feedbackLow           bool
		boltLockedLvl, boltUn int
	}{
		{"fail-secure, NO reed", false, false, false, 0, 1, 1, 0, true, 0, 1},
		{"fail-secure, active-low relay", false, true, false, 1, 0, 1, 0, true, 0, 1},
		{"maglock, NC reed", true, false, true, 1, 0, 0, 1, false, 1, 0},
		{"maglock, active-low relay", true, true, true, 0, 1, 0, 1, false, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cp := &cfg.Compartments[0]
			cfg.FailSafe, cp.Lock.ActiveLow, cp.Door.ActiveLow = tc.failSafe, tc.lockLow, tc.doorLow
			cp.Feedback.ActiveLow = tc.feedbackLow
			r := newRig(t, cfg)
			ctx := testCtx(t)
			if got := r.lock.Level(); got != tc.lockedLvl {
				t.Errorf("after New the lock line is at %d, want %d (locked)", got, tc.lockedLvl)
			}
			if got, _ := r.feedback.Value(); got != tc.boltLockedLvl {
				t.Errorf("feedback of a locked bolt at %d, want %d", got, tc.boltLockedLvl)
			}
			if err := r.c.Unlock(ctx, one); err != nil {
				t.Fatal(err)
			}
			if got := r.lock.Level(); got != tc.unlockLvl {
				t.Errorf("after Unlock the lock line is at %d, want %d", got, tc.unlockLvl)
			}
			if got, _ := r.feedback.Value(); got != tc.boltUn {
				t.Errorf("feedback of an unlocked bolt at %d, want %d", got, tc.boltUn)
			}
			if err := r.c.Lock(ctx); err != nil {
				t.Fatal(err)
			}
			if got := r.lock.Level(); got != tc.lockedLvl {
				t.Errorf("after Lock the lock line is at %d, want %d", got, tc.lockedLvl)
			}
			for _, d := range []struct {
				level int
				open  bool
			}{{tc.openLvl, true}, {tc.closedLvl, false}} {
				r.door.Set(d.level)
				if got, err := r.c.DoorOpen(ctx); err != nil || got != d.open {
					t.Errorf("door line at %d: DoorOpen = %v, %v; want %v", d.level, got, err, d.open)
				}
			}
		})
	}
}

// TestDoorEdgesPassThrough: debouncing is the kernel's; the Cabinet
// passes each edge on in order, with the kernel's time, and drops only a
// repeated level.
func TestDoorEdgesPassThrough(t *testing.T) {
	r := newRig(t, DefaultConfig())
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	r.door.Emit(Edge{Value: 1, At: at(5)})
	r.door.Emit(Edge{Value: 0, At: at(7)}) // 2 ms later: the kernel said so, so it counts
	r.door.Emit(Edge{Value: 0, At: at(8)}) // a repeat: an edge was lost, no change
	r.door.Emit(Edge{Value: 1, At: at(9)})
	r.clk.Advance(time.Second)
	r.door.Emit(Edge{Value: 0}) // no time from the line: the clock's
	want := []string{"open +5ms", "closed +7ms", "open +9ms", "closed +1s"}
	var got []string
	ctx := testCtx(t)
	for range want {
		ev, err := r.c.WaitDoor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s := "closed"
		if ev.Open {
			s = "open"
		}
		got = append(got, fmt.Sprintf("%s +%v", s, ev.At.Sub(t0)))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("door events %q, want %q", got, want)
	}
	ch := goCall(func() (kiosk.DoorEvent, error) { return r.c.WaitDoor(ctx) })
	mustNotReturn(t, "WaitDoor with no change", ch)
	r.Door(true)
	if ev, err := recv(t, "WaitDoor", ch); err != nil || !ev.Open {
		t.Errorf("WaitDoor = %+v, %v; want open", ev, err)
	}
}

func TestDoorQueueBounded(t *testing.T) {
	r := newRig(t, DefaultConfig())
	const n = maxDoorEvents + 6
	for i := range n {
		r.door.Emit(Edge{Value: (i + 1) % 2, At: t0.Add(time.Duration(i) * time.Millisecond)})
	}
	ctx := testCtx(t)
	for i := n - maxDoorEvents; i < n; i++ {
		ev, err := r.c.WaitDoor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(time.Duration(i) * time.Millisecond); !ev.At.Equal(want) || ev.Open != (i%2 == 0) {
			t.Fatalf("event %+v, want change %d (open=%v at %v)", ev, i, i%2 == 0, want)
		}
	}
}

func TestLockFeedback(t *testing.T) {
	cfg := DefaultConfig()
	timeout := cfg.FeedbackTimeout
	lock := cfg.Compartments[0].Lock
	lockedLvl, unlockedLvl := lockLevel(true, cfg.FailSafe, lock), lockLevel(false, cfg.FailSafe, lock)

	t.Run("BoltMovesInTime", func(t *testing.T) {
		r := newRig(t, cfg)
		r.SetManual(true)
		ctx := testCtx(t)
		ch := goCall(func() (struct{}, error) { return struct{}{}, r.c.Unlock(ctx, one) })
		if err := r.clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(timeout - time.Millisecond)
		mustNotReturn(t, "Unlock before the timeout", ch)
		r.MoveBolt(false)
		if _, err := recv(t, "Unlock", ch); err != nil {
			t.Fatalf("Unlock with the bolt moving in time = %v", err)
		}
		if n := r.clk.Pending(); n != 0 {
			t.Errorf("%d timers left pending", n)
		}
		if got := r.lock.Level(); got != unlockedLvl {
			t.Errorf("lock line at %d, want %d (unlocked)", got, unlockedLvl)
		}
	})

	t.Run("AlreadyThere", func(t *testing.T) {
		r := newRig(t, cfg) // locked
		r.SetManual(true)
		if err := r.c.Lock(testCtx(t)); err != nil {
			t.Fatalf("Lock of a locked bolt = %v", err)
		}
		if n := r.clk.Pending(); n != 0 {
			t.Errorf("Lock of a locked bolt set %d timers", n)
		}
	})

	t.Run("UnlockTimesOut", func(t *testing.T) {
		r := newRig(t, cfg)
		r.SetManual(true)
		ctx := testCtx(t)
		ch := goCall(func() (struct{}, error) { return struct{}{}, r.c.Unlock(ctx, one) })
		if err := r.clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(timeout - time.Nanosecond)
		mustNotReturn(t, "Unlock before the timeout", ch)
		if r.clk.Pending() != 1 {
			t.Fatalf("the feedback timer fired early")
		}
		r.clk.Advance(time.Nanosecond)
		_, err := recv(t, "Unlock", ch)
		if !errors.Is(err, kiosk.ErrLockFault) {
			t.Fatalf("Unlock of a bolt that stays = %v, want kiosk.ErrLockFault", err)
		}
		if sets := r.lock.Sets(); fmt.Sprint(sets) != fmt.Sprint([]int{lockedLvl, unlockedLvl, lockedLvl}) {
			t.Errorf("lock line set to %v, want locked (New), unlocked, locked again", sets)
		}
		// The bolt frees itself later: it stays locked.
		r.SetManual(false)
		r.coil(r.lock.Level()) // the bolt goes where the coil drives it
		if !r.Bolt() {
			t.Errorf("the bolt withdrew after a failed unlock")
		}
	})

	t.Run("LockTimesOut", func(t *testing.T) {
		r := newRig(t, cfg)
		ctx := testCtx(t)
		if err := r.c.Unlock(ctx, one); err != nil {
			t.Fatal(err)
		}
		r.SetManual(true)
		ch := goCall(func() (struct{}, error) { return struct{}{}, r.c.Lock(ctx) })
		if err := r.clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(timeout)
		if _, err := recv(t, "Lock", ch); !errors.Is(err, kiosk.ErrLockFault) {
			t.Fatalf("Lock of a bolt that stays out = %v, want kiosk.ErrLockFault", err)
		}
		if got := r.lock.Level(); got != lockedLvl {
			t.Errorf("after a failed Lock the lock line is at %d, want %d (locked)", got, lockedLvl)
		}
	})

	t.Run("CancelWhileWaiting", func(t *testing.T) {
		r := newRig(t, cfg)
		r.SetManual(true)
		ctx, cancel := context.WithCancel(testCtx(t))
		ch := goCall(func() (struct{}, error) { return struct{}{}, r.c.Unlock(ctx, one) })
		if err := r.clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := recv(t, "Unlock", ch); !errors.Is(err, context.Canceled) {
			t.Fatalf("Unlock after cancel = %v, want context.Canceled", err)
		}
		if got := r.lock.Level(); got != lockedLvl {
			t.Errorf("after a cancelled Unlock the lock line is at %d, want %d (locked)", got, lockedLvl)
		}
		if n := r.clk.Pending(); n != 0 {
			t.Errorf("%d timers left pending", n)
		}
	})

	t.Run("FeedbackUnreadable", func(t *testing.T) {
		r := newRig(t, cfg)
		r.feedback.SetErr(errUnplugged)
		if err := r.c.Unlock(testCtx(t), one); !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errors.Is(err, errUnplugged) {
			t.Errorf("Unlock with the feedback line gone = %v, want kiosk.ErrDeviceUnavailable wrapping the line's error", err)
		}
	})
}

// TestNoFeedback: without a feedback line a move succeeds once the line
// is set, even when the bolt is jammed: that is the documented limit.
func TestNoFeedback(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Compartments[0].Feedback = nil
	r := newRig(t, cfg)
	ctx := testCtx(t)
	r.SetJammed(true)
	if err := r.c.Unlock(ctx, one); err != nil {
		t.Errorf("Unlock without feedback = %v, want nil", err)
	}
	if got := r.lock.Level(); got != lockLevel(false, cfg.FailSafe, cfg.Compartments[0].Lock) {
		t.Errorf("lock line at %d, want the unlocked level", got)
	}
	if r.clk.Pending() != 0 {
		t.Errorf("a timer was set without a feedback line")
	}
	r.lock.SetErr(errUnplugged)
	for _, move := range []func(context.Context) error{func(ctx context.Context) error { return r.c.Unlock(ctx, one) }, r.c.Lock} {
		if err := move(ctx); !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errors.Is(err, errUnplugged) {
			t.Errorf("move with the lock line failing = %v, want kiosk.ErrDeviceUnavailable wrapping the line's error", err)
		}
	}
	r.door.SetErr(errUnplugged)
	if _, err := r.c.DoorOpen(ctx); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("DoorOpen with the door line failing = %v, want kiosk.ErrDeviceUnavailable", err)
	}
}

func TestEndedContext(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	sets := len(r.lock.Sets())
	if err := r.c.Unlock(ctx, one); !errors.Is(err, context.Canceled) {
		t.Errorf("Unlock = %v", err)
	}
	if len(r.lock.Sets()) != sets {
		t.Errorf("Unlock with an ended context set the lock line")
	}
	if _, err := r.c.DoorOpen(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("DoorOpen = %v", err)
	}
	r.Door(true) // an event is waiting, but the context has ended
	if _, err := r.c.WaitDoor(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitDoor = %v", err)
	}
}

func TestClose(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	if err := r.c.Unlock(ctx, one); err != nil {
		t.Fatal(err)
	}
	r.Door(true)
	age := goCall(func() (kiosk.Approval, error) { return r.c.RequestAgeCheck(ctx, kiosk.AgeCheck{SaleID: "s1"}) })
	if err := r.waitShown(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if _, err := recv(t, "RequestAgeCheck", age); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("waiting RequestAgeCheck after Close = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	if got := r.lock.Level(); got != lockLevel(true, r.cfg.FailSafe, r.cfg.Compartments[0].Lock) {
		t.Errorf("Close left the lock line at %d, not locked", got)
	}
	if got := r.lamp.Level(); got != levelFor(false, r.cfg.Lamp.ActiveLow) {
		t.Errorf("Close left the lamp lit")
	}
	for name, closed := range map[string]bool{
		"lock": r.lock.Closed(), "lamp": r.lamp.Closed(), "door": r.door.Closed(),
		"feedback": r.feedback.Closed(), "key": r.key.Closed(), "refuse": r.refuse.Closed(),
	} {
		if !closed {
			t.Errorf("Close left the %s line open", name)
		}
	}
	if ev, err := r.c.WaitDoor(ctx); err != nil || !ev.Open {
		t.Errorf("WaitDoor after Close = %+v, %v; want the change made before", ev, err)
	}
	if _, err := r.c.WaitDoor(ctx); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("WaitDoor after Close with nothing queued = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	for name, err := range map[string]error{
		"Unlock": r.c.Unlock(ctx, one), "Lock": r.c.Lock(ctx),
		"DoorOpen": func() error { _, err := r.c.DoorOpen(ctx); return err }(),
		"RequestAgeCheck": func() error {
			_, err := r.c.RequestAgeCheck(ctx, kiosk.AgeCheck{SaleID: "s2"})
			return err
		}(),
	} {
		if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("%s after Close = %v, want kiosk.ErrDeviceUnavailable", name, err)
		}
	}
	if err := r.c.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	comp := func(l *Lines, n int) *CompartmentLines { return &l.Compartments[n-1] }
	for _, tc := range []struct {
		name    string
		mod     func(*Config, *Lines)
		wantErr error
	}{
		{"FeedbackLineNotInConfig", func(c *Config, _ *Lines) { c.Compartments[1].Feedback = nil }, ErrBadConfig},
		{"NoLampLine", func(_ *Config, l *Lines) { l.Lamp = nil }, ErrBadConfig},
		{"NoBuzzerLine", func(_ *Config, l *Lines) { l.Buzzer = nil }, ErrBadConfig},
		{"NoDoorLine", func(_ *Config, l *Lines) { comp(l, 3).Door = nil }, ErrBadConfig},
		{"CompartmentMissing", func(_ *Config, l *Lines) { l.Compartments = l.Compartments[:2] }, ErrBadConfig},
		{"BadConfig", func(c *Config, _ *Lines) { c.Chip = "" }, ErrBadConfig},
		{"LockFails", func(_ *Config, l *Lines) { comp(l, 2).Lock.(*fakeOut).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
		{"DoorFails", func(_ *Config, l *Lines) { comp(l, 3).Door.(*fakeIn).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
		{"FeedbackFails", func(_ *Config, l *Lines) { comp(l, 1).Feedback.(*fakeIn).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
		{"KeyFails", func(_ *Config, l *Lines) { l.Key.(*fakeIn).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
		{"LampFails", func(_ *Config, l *Lines) { l.Lamp.(*fakeOut).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
		{"TowerFails", func(_ *Config, l *Lines) { l.Red.(*fakeOut).SetErr(errUnplugged) }, kiosk.ErrDeviceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := threeCompartments()
			var l Lines
			var all []any
			for range cfg.Compartments {
				cl := CompartmentLines{Lock: newFakeOut(0), Door: newFakeIn(nil, 0), Feedback: newFakeIn(nil, 0)}
				l.Compartments = append(l.Compartments, cl)
				all = append(all, cl.Lock, cl.Door, cl.Feedback)
			}
			l.Key, l.Refuse, l.Lamp = newFakeIn(nil, 1), newFakeIn(nil, 1), newFakeOut(0)
			l.Green, l.Yellow, l.Red, l.Buzzer = newFakeOut(0), newFakeOut(0), newFakeOut(0), newFakeOut(0)
			all = append(all, l.Key, l.Refuse, l.Lamp, l.Green, l.Yellow, l.Red, l.Buzzer)
			tc.mod(&cfg, &l)
			cab, err := New(cfg, l)
			if !errors.Is(err, tc.wantErr) || cab != nil {
				t.Fatalf("New = %v, %v; want %v", cab, err, tc.wantErr)
			}
			for i, x := range all {
				if c, ok := x.(interface{ Closed() bool }); ok && used(l, x) && !c.Closed() {
					t.Errorf("line %d left open after New failed", i)
				}
			}
		})
	}
}

// used reports whether x is one of l's lines (a test may have taken one
// out).
func used(l Lines, x any) bool {
	xs := []any{l.Key, l.Refuse, l.Lamp, l.Green, l.Yellow, l.Red, l.Buzzer}
	for _, cl := range l.Compartments {
		xs = append(xs, cl.Lock, cl.Door, cl.Feedback)
	}
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// one is the compartment of a one-compartment cabinet.
var one = []int{1}
