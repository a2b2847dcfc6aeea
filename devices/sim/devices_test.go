package sim_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func mustCtx(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

func TestSimDoorEventsBounded(t *testing.T) {
	clk := kiosktest.NewClock(simT0)
	d := sim.New(clk)
	for i := range 70 { // open, close, … : 70 events, the last closes
		d.Door(i%2 == 0)
	}
	d.Door(false) // already closed: no event
	clk.Advance(time.Second)
	d.Door(true) // the 71st event, told apart by its time
	// The 64 newest are kept: events 8 (a close) to 71.
	for i := range 64 {
		ev, err := d.Cabinet().WaitDoor(mustCtx(t))
		if err != nil {
			t.Fatalf("WaitDoor %d: %v", i, err)
		}
		if want := i%2 == 1; ev.Open != want {
			t.Fatalf("event %d: open=%v, want %v", i, ev.Open, want)
		}
		if last := ev.At.Equal(simT0.Add(time.Second)); last != (i == 63) {
			t.Fatalf("event %d at %v: the last kept event is not the newest", i, ev.At)
		}
	}
}

func TestSimStaffQueueAndOffline(t *testing.T) {
	d := newDevices(t)
	type ageResult struct {
		a   kiosk.Approval
		err error
	}
	ask := func(sale string) <-chan ageResult {
		ch := make(chan ageResult, 1)
		go func() {
			a, err := d.StaffApproval().RequestAgeCheck(mustCtx(t), kiosk.AgeCheck{SaleID: sale, MinAge: 18})
			ch <- ageResult{a, err}
		}()
		return ch
	}
	first := ask("K1-1")
	if err := await(mustCtx(t), d, func() bool { return d.Pending().AgeCheck != nil }); err != nil {
		t.Fatal(err)
	}
	second := ask("K1-2")
	d.Staff(false)
	if r := <-first; r.err != nil || r.a.Approved || r.a.Staff != sim.StaffName || r.a.Method != sim.StaffMethod {
		t.Errorf("first = %+v, %v; want refused by the simulator's staff", r.a, r.err)
	}
	if err := await(mustCtx(t), d, func() bool {
		c := d.Pending().AgeCheck
		return c != nil && c.SaleID == "K1-2"
	}); err != nil {
		t.Fatal(err)
	}
	d.SetOnline(sim.DevStaff, false)
	if r := <-second; !errors.Is(r.err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("waiting request when staff goes offline = %+v, %v; want kiosk.ErrDeviceUnavailable", r.a, r.err)
	}
	if st := d.Status(); len(st.Offline) != 1 || st.Offline[0] != sim.DevStaff {
		t.Errorf("Offline = %v", st.Offline)
	}
	if d.Staff(true) { // nothing shown: nothing happens
		t.Error("Staff answered an age check nobody asked for")
	}
}

func TestSimOnChange(t *testing.T) {
	d := newDevices(t)
	var calls atomic.Int32
	cancel := d.OnChange(func() {
		calls.Add(1)
		_ = d.Pending() // a hook may read the devices
		_ = d.Status()
	})
	d.Door(true)
	d.SetOnline(sim.DevStaff, false)
	d.JamLock(true)
	if got := calls.Load(); got != 3 {
		t.Errorf("OnChange called %d times for 3 changes", got)
	}
	cancel()
	d.Door(false)
	if got := calls.Load(); got != 3 {
		t.Errorf("OnChange called after cancel")
	}
	if err := d.Cabinet().Unlock(mustCtx(t), []int{1}); !errors.Is(err, kiosk.ErrLockFault) {
		t.Errorf("Unlock of a jammed lock = %v", err)
	}
}
