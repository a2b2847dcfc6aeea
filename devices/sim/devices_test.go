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
	d := sim.New(clk, 1)
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

// TestSimDoorForScripts: Door(true) opens what is unlocked, or
// compartment 1; Door(false) closes everything; ForceDoor opens a locked
// door, and the events name their compartments.
func TestSimDoorForScripts(t *testing.T) {
	d := newDevices(t) // 3 compartments
	ctx := mustCtx(t)
	cab := d.Cabinet()
	type door struct {
		n    int
		open bool
	}
	events := func(want ...door) {
		t.Helper()
		for _, w := range want {
			ev, err := cab.WaitDoor(ctx)
			if err != nil || ev.Compartment != w.n || ev.Open != w.open {
				t.Fatalf("WaitDoor = %+v, %v; want compartment %d open=%v", ev, err, w.n, w.open)
			}
		}
	}
	d.Door(true) // nothing unlocked: compartment 1's door, forced
	events(door{1, true})
	d.Door(false)
	events(door{1, false})

	if err := cab.Unlock(ctx, []int{2, 3}); err != nil {
		t.Fatal(err)
	}
	d.Door(true)
	events(door{2, true}, door{3, true})
	if st := d.Status(); st.Locked || !st.DoorOpen || st.Compartments[0].DoorOpen {
		t.Errorf("Status = %+v; want 2 and 3 unlocked and open, 1 closed", st)
	}
	if n, err := d.ForceDoor(); err != nil || n != 1 {
		t.Errorf("ForceDoor = %d, %v; want compartment 1", n, err)
	}
	events(door{1, true})
	d.Door(false)
	events(door{1, false}, door{2, false}, door{3, false})

	if err := cab.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cab.Unlock(ctx, []int{1}); err != nil {
		t.Fatal(err)
	}
	if n, err := d.ForceDoor(); err != nil || n != 2 {
		t.Errorf("ForceDoor with compartment 1 unlocked = %d, %v; want compartment 2", n, err)
	}
	events(door{2, true})
	if err := d.SetDoor(3, true); err != nil {
		t.Fatal(err)
	}
	events(door{3, true})
	if _, err := d.ForceDoor(); err == nil { // 1 unlocked, 2 and 3 open
		t.Error("ForceDoor with no locked door closed did not refuse")
	}
	if err := d.SetDoor(4, true); !errors.Is(err, kiosk.ErrNoCompartment) {
		t.Errorf("SetDoor(4) = %v, want kiosk.ErrNoCompartment", err)
	}
}

func TestSimTowerStatus(t *testing.T) {
	d := newDevices(t)
	ctx := mustCtx(t)
	var calls atomic.Int32
	defer d.OnChange(func() { calls.Add(1) })()
	s := kiosk.Signal{Light: kiosk.LightYellow, Blink: true}
	if err := d.Tower().Show(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := d.Tower().Chime(ctx); err != nil {
		t.Fatal(err)
	}
	if st := d.Status(); st.Light != s || st.Chimes != 1 {
		t.Errorf("Status: light %+v, %d chimes", st.Light, st.Chimes)
	}
	if calls.Load() != 2 {
		t.Errorf("OnChange called %d times for a Show and a Chime", calls.Load())
	}
	d.SetOnline(sim.DevTower, false)
	if st := d.Status(); len(st.Offline) != 1 || st.Offline[0] != sim.DevTower {
		t.Errorf("Offline = %v", st.Offline)
	}
}

// TestSimKeyTurn: KeyTurn answers an age check shown, as approval, and
// is then no log-in; with none shown it is a log-in for WaitKeyTurn, kept
// as one however often staff turns.
func TestSimKeyTurn(t *testing.T) {
	type ageResult struct {
		a   kiosk.Approval
		err error
	}
	tests := []struct {
		name         string
		check        bool // an age check is shown before the turns
		turns        int  // KeyTurn calls
		wantAnswered int  // of them answering a check
		wantLogIn    bool // a log-in kept for WaitKeyTurn
	}{
		{"NoAgeCheck", false, 1, 0, true},
		{"TwoTurnsNobodyWaited", false, 2, 0, true},
		{"AnswersAgeCheck", true, 1, 1, false},
		{"AnswersThenLogIn", true, 2, 1, true},
		{"AnswersThenTwoTurns", true, 3, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDevices(t)
			var asked []chan ageResult
			if tc.check {
				ch := make(chan ageResult, 1)
				go func() {
					a, err := d.StaffApproval().RequestAgeCheck(mustCtx(t), kiosk.AgeCheck{SaleID: "K1-1", MinAge: 18})
					ch <- ageResult{a, err}
				}()
				asked = append(asked, ch)
				if err := await(mustCtx(t), d, func() bool { return d.Pending().AgeCheck != nil }); err != nil {
					t.Fatal(err)
				}
			}
			answered := 0
			for range tc.turns {
				if d.KeyTurn() {
					answered++
				}
			}
			if answered != tc.wantAnswered {
				t.Errorf("KeyTurn answered %d age checks, want %d", answered, tc.wantAnswered)
			}
			for i, ch := range asked {
				r := <-ch
				if r.err != nil || !r.a.Approved || r.a.Staff != sim.StaffName || r.a.Method != sim.StaffMethod {
					t.Errorf("age check %d = %+v, %v; want approved by the simulator's staff", i+1, r.a, r.err)
				}
			}
			if got := d.Status().KeyTurn; got != tc.wantLogIn {
				t.Fatalf("Status().KeyTurn = %v, want %v", got, tc.wantLogIn)
			}
			if !tc.wantLogIn {
				return
			}
			if err := d.StaffKey().WaitKeyTurn(mustCtx(t)); err != nil {
				t.Fatalf("WaitKeyTurn = %v, want the log-in", err)
			}
			if d.Status().KeyTurn {
				t.Errorf("the turn is still kept after WaitKeyTurn took it: it would be reported twice")
			}
		})
	}
}

// TestSimKeyTurnWhileWaiting: a WaitKeyTurn under way is not given the
// turn that answers an age check; the next turn is its. Staff offline
// ends it.
func TestSimKeyTurnWhileWaiting(t *testing.T) {
	d := newDevices(t)
	login := make(chan error, 1)
	go func() { login <- d.StaffKey().WaitKeyTurn(mustCtx(t)) }()
	check := make(chan kiosk.Approval, 1)
	go func() {
		a, _ := d.StaffApproval().RequestAgeCheck(mustCtx(t), kiosk.AgeCheck{SaleID: "K1-1", MinAge: 18})
		check <- a
	}()
	if err := await(mustCtx(t), d, func() bool { return d.Pending().AgeCheck != nil }); err != nil {
		t.Fatal(err)
	}
	if !d.KeyTurn() {
		t.Fatalf("KeyTurn did not answer the age check shown")
	}
	if a := <-check; !a.Approved {
		t.Errorf("age check = %+v, want approved", a)
	}
	if d.Status().KeyTurn {
		t.Errorf("the turn that answered the age check is kept as a log-in")
	}
	if d.KeyTurn() {
		t.Fatalf("KeyTurn with no age check shown answered one")
	}
	if err := <-login; err != nil {
		t.Fatalf("WaitKeyTurn = %v, want the log-in", err)
	}
	if d.Status().KeyTurn {
		t.Errorf("a turn is left kept: WaitKeyTurn was given the age check's turn")
	}

	// Offline: a waiting WaitKeyTurn ends, and a turn is not read.
	go func() { login <- d.StaffKey().WaitKeyTurn(mustCtx(t)) }()
	d.SetOnline(sim.DevStaff, false)
	if err := <-login; !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("WaitKeyTurn with staff offline = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	if d.KeyTurn() || d.Status().KeyTurn {
		t.Errorf("a turn with staff offline was read")
	}
}
