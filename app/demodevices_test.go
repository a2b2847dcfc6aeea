package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// mustDemoDevices opens the demo's simulated devices, closed when the
// test ends.
func mustDemoDevices(t *testing.T) *demoDevices {
	t.Helper()
	d, err := openDemoDevices(kiosk.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)), func(DeviceEvent) {}, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestDemoCabinetAndTower: the demo's cabinet has DemoCompartments
// compartments and a tower light, shown in /healthz's sim state, and
// `sim door open|close|force` works them as a customer would.
func TestDemoCabinetAndTower(t *testing.T) {
	d := mustDemoDevices(t)
	ctx := t.Context()
	ports := d.ports()
	if ports.Light == nil {
		t.Fatal("the demo has no tower light")
	}
	if err := ports.Light.Show(ctx, kiosk.Signal{Light: kiosk.LightYellow, Blink: true}); err != nil {
		t.Fatal(err)
	}
	if err := ports.Light.Chime(ctx); err != nil {
		t.Fatal(err)
	}
	if got := d.State().Tower; got != (SimTower{Light: "yellow", Blink: true, Chimes: 1}) {
		t.Errorf("tower %+v", got)
	}

	s := &server{sim: d}
	door := func(arg string) string {
		t.Helper()
		if err := s.do("door", arg); err != nil {
			t.Fatalf("sim door %s: %v", arg, err)
		}
		var b strings.Builder
		for _, c := range d.State().Compartments {
			lock, open := "L", ""
			if !c.Locked {
				lock = "U"
			}
			if c.DoorOpen {
				open = "+"
			}
			b.WriteString(lock + open + " ")
		}
		return strings.TrimSpace(b.String())
	}
	if err := ports.Cabinet.Unlock(ctx, []int{2}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ arg, want string }{
		{"open", "L U+ L"},   // the released compartment's door
		{"force", "L+ U+ L"}, // compartment 1, locked, forced
		{"close", "L U L"},
	} {
		if got := door(c.arg); got != c.want {
			t.Errorf("after sim door %s: %s, want %s", c.arg, got, c.want)
		}
	}
	if err := s.do("door", "kick"); !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "open, close or force") {
		t.Errorf("sim door kick = %v, want a usage error", err)
	}
	b, err := json.Marshal(d.State())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"tower":{"light":"yellow","blink":true,"chimes":1}`, `"compartments":[{"no":1,"locked":true,"door_open":false},{"no":2,"locked":false`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("sim state %s lacks %s", b, want)
		}
	}
}

// TestDemoStaffKey: `sim staff key` turns the demo's key switch: with no
// age check shown it is a log-in for the kiosk's StaffKey, once; with one
// shown it approves it and is no log-in. `sim staff` names key among its
// arguments.
func TestDemoStaffKey(t *testing.T) {
	d := mustDemoDevices(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ports := d.ports()
	if ports.Key == nil {
		t.Fatal("the demo has no key switch to log in with")
	}
	s := &server{sim: d}

	// No age check shown: a log-in, reported once.
	if err := s.do("staff", "key"); err != nil {
		t.Fatalf("sim staff key: %v", err)
	}
	if err := ports.Key.WaitKeyTurn(ctx); err != nil {
		t.Fatalf("WaitKeyTurn after sim staff key = %v", err)
	}
	if d.sim.Status().KeyTurn {
		t.Errorf("the key turn is still kept after WaitKeyTurn took it")
	}

	// An age check shown: approved, and no log-in.
	answer := make(chan kiosk.Approval, 1)
	go func() {
		a, _ := ports.Staff.RequestAgeCheck(ctx, kiosk.AgeCheck{SaleID: "K1-1", MinAge: kiosk.AdultAge})
		answer <- a
	}()
	changed := make(chan struct{}, 1)
	stop := d.sim.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer stop()
	for !d.State().AgeWaiting {
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatal("the age check was not shown")
		}
	}
	if err := s.do("staff", "key"); err != nil {
		t.Fatalf("sim staff key with an age check shown: %v", err)
	}
	if a := <-answer; !a.Approved {
		t.Errorf("age check answered by the key = %+v, want approved", a)
	}
	if d.sim.Status().KeyTurn {
		t.Errorf("the key turn that approved the age check is kept as a log-in")
	}

	for _, arg := range []string{"", "turn", "KEY"} {
		if err := s.do("staff", arg); !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "approve, refuse or key") {
			t.Errorf("sim staff %q = %v, want a usage error naming approve, refuse or key", arg, err)
		}
	}
}
