package gpiocab

import (
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// lampsOn lists which of green, yellow, red and the buzzer are on now.
func (r *rig) lampsOn() [4]bool {
	var out [4]bool
	for i, o := range []struct {
		f   *fakeOut
		pin *Pin
	}{{r.green, r.cfg.Green}, {r.yellow, r.cfg.Yellow}, {r.red, r.cfg.Red}, {r.buzzer, r.cfg.Buzzer}} {
		if o.f != nil {
			out[i] = isActive(o.f.Level(), o.pin.ActiveLow)
		}
	}
	return out
}

// TestTowerBlinks: a blinking lamp turns over every half BlinkPeriod on
// the clock, and stops when the next Show comes.
func TestTowerBlinks(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	light := r.c.Light()
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightYellow, Blink: true}); err != nil {
		t.Fatal(err)
	}
	half := BlinkPeriod / 2
	for i, want := range []bool{true, false, true, false, true} {
		if got := r.lampsOn(); got != [4]bool{false, want, false, false} {
			t.Fatalf("after %v: lamps %v, want yellow=%v alone", time.Duration(i)*half, got, want)
		}
		r.clk.Advance(half - time.Millisecond)
		if got := r.lampsOn()[1]; got != want {
			t.Fatalf("the lamp turned over before half a period")
		}
		r.clk.Advance(time.Millisecond)
	}
	// Now the lamp is off in its blink; a steady signal lights it and
	// stops the blinking.
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightGreen}); err != nil {
		t.Fatal(err)
	}
	if n := r.clk.Pending(); n != 0 {
		t.Errorf("%d timers pending after a steady Show", n)
	}
	r.clk.Advance(3 * BlinkPeriod)
	if got := r.lampsOn(); got != [4]bool{true, false, false, false} {
		t.Errorf("lamps %v, want green alone and steady", got)
	}
}

// TestTowerChime: a chime is ChimeLength of buzzer; a chime during an
// alarm leaves the buzzer sounding; the alarm ends with the next Show.
func TestTowerChime(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	light := r.c.Light()
	buzz := func() bool { return r.lampsOn()[3] }
	if err := light.Chime(ctx); err != nil {
		t.Fatal(err)
	}
	if !buzz() {
		t.Fatal("the buzzer does not sound")
	}
	r.clk.Advance(ChimeLength / 2)
	if err := light.Chime(ctx); err != nil { // a second call starts it over
		t.Fatal(err)
	}
	r.clk.Advance(ChimeLength - time.Millisecond)
	if !buzz() {
		t.Error("the second chime was cut short")
	}
	r.clk.Advance(time.Millisecond)
	if buzz() {
		t.Error("the buzzer sounds after the chime")
	}

	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightRed, Alarm: true}); err != nil {
		t.Fatal(err)
	}
	if err := light.Chime(ctx); err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(time.Minute)
	if !buzz() {
		t.Error("the alarm stopped after a chime")
	}
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightRed}); err != nil {
		t.Fatal(err)
	}
	if buzz() {
		t.Error("the alarm sounds on after the next Show")
	}
}

func TestTowerErrors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Yellow, cfg.Buzzer = nil, nil
	r := newRig(t, cfg)
	ctx := testCtx(t)
	light := r.c.Light()
	// A colour whose lamp is not fitted shows nothing; no buzzer, no
	// chime: neither is an error.
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightYellow, Blink: true, Alarm: true}); err != nil {
		t.Errorf("Show of a lamp not fitted = %v", err)
	}
	if got := r.lampsOn(); got != [4]bool{} {
		t.Errorf("lamps %v for a colour not fitted", got)
	}
	if err := light.Chime(ctx); err != nil {
		t.Errorf("Chime without a buzzer = %v", err)
	}
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.Light(7)}); err == nil || errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Show of Light(7) = %v, want a plain error", err)
	}
	r.red.SetErr(errUnplugged)
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightGreen}); !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errors.Is(err, errUnplugged) {
		t.Errorf("Show with the red line gone = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	if got := r.lampsOn(); !got[0] {
		t.Errorf("the green lamp is not lit although only red's line failed")
	}
}

// TestCloseTower: Close puts the tower out, stops its timers and releases
// its lines; the light then answers kiosk.ErrDeviceUnavailable.
func TestCloseTower(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	light := r.c.Light()
	if err := light.Show(ctx, kiosk.Signal{Light: kiosk.LightRed, Blink: true, Alarm: true}); err != nil {
		t.Fatal(err)
	}
	if err := light.Chime(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Close(); err != nil {
		t.Fatal(err)
	}
	if got := r.lampsOn(); got != [4]bool{} {
		t.Errorf("lamps %v after Close", got)
	}
	if n := r.clk.Pending(); n != 0 {
		t.Errorf("%d timers pending after Close", n)
	}
	for name, o := range map[string]*fakeOut{"green": r.green, "yellow": r.yellow, "red": r.red, "buzzer": r.buzzer} {
		if !o.Closed() {
			t.Errorf("the %s line is not released", name)
		}
	}
	for name, err := range map[string]error{
		"Show": light.Show(ctx, kiosk.Signal{Light: kiosk.LightGreen}), "Chime": light.Chime(ctx),
	} {
		if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("%s after Close = %v", name, err)
		}
	}
}
