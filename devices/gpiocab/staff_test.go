package gpiocab

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

func startCheck(t *testing.T, r *rig, ctx context.Context, sale string, shown int) <-chan result[kiosk.Approval] {
	t.Helper()
	ch := goCall(func() (kiosk.Approval, error) {
		return r.c.RequestAgeCheck(ctx, kiosk.AgeCheck{SaleID: sale, MinAge: 18})
	})
	if err := r.waitShown(testCtx(t), shown); err != nil {
		t.Fatalf("age check %s not shown: %v", sale, err)
	}
	return ch
}

func lampLit(r *rig) bool { return isActive(r.lamp.Level(), r.cfg.Lamp.ActiveLow) }

func TestKeyHeldBeforeRequest(t *testing.T) {
	r := newRig(t, DefaultConfig())
	on, off := levelFor(true, r.cfg.Key.ActiveLow), levelFor(false, r.cfg.Key.ActiveLow)
	r.key.Set(on) // someone leaves the key turned
	ctx := testCtx(t)
	ch := startCheck(t, r, ctx, "s1", 1)
	r.key.Emit(Edge{Value: on}) // a repeated edge while held is no turn
	mustNotReturn(t, "RequestAgeCheck with the key held", ch)
	if len(r.c.Waiting()) != 1 {
		t.Fatalf("the held key answered the request")
	}
	r.key.Set(off)
	r.key.Set(on)
	a, err := recv(t, "RequestAgeCheck", ch)
	if err != nil || !a.Approved || a.Staff != r.cfg.Staff || a.Method != MethodKeySwitch {
		t.Errorf("RequestAgeCheck = %+v, %v; want approved by %q with %q", a, err, r.cfg.Staff, MethodKeySwitch)
	}
}

func TestTurnWithNothingWaiting(t *testing.T) {
	r := newRig(t, DefaultConfig())
	r.Turn(true)
	r.Turn(false)
	ctx := testCtx(t)
	ch := startCheck(t, r, ctx, "s1", 1)
	mustNotReturn(t, "RequestAgeCheck after earlier turns", ch)
	r.Turn(false)
	if a, err := recv(t, "RequestAgeCheck", ch); err != nil || a.Approved {
		t.Errorf("RequestAgeCheck = %+v, %v; want refused", a, err)
	}
}

// TestOldestFirst: one turn answers one request, the oldest; the lamp
// stays lit while any waits.
func TestOldestFirst(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	if lampLit(r) {
		t.Fatalf("lamp lit after New")
	}
	first := startCheck(t, r, ctx, "s1", 1)
	second := startCheck(t, r, ctx, "s2", 2)
	if w := r.c.Waiting(); len(w) != 2 || w[0].SaleID != "s1" || w[1].SaleID != "s2" {
		t.Fatalf("Waiting = %+v", w)
	}
	if !lampLit(r) {
		t.Errorf("lamp not lit while checks wait")
	}
	r.Turn(false)
	if a, err := recv(t, "first RequestAgeCheck", first); err != nil || a.Approved {
		t.Errorf("first = %+v, %v; want refused", a, err)
	}
	mustNotReturn(t, "second RequestAgeCheck", second)
	if !lampLit(r) {
		t.Errorf("lamp went out while a check still waits")
	}
	r.Turn(true)
	if a, err := recv(t, "second RequestAgeCheck", second); err != nil || !a.Approved {
		t.Errorf("second = %+v, %v; want approved", a, err)
	}
	if lampLit(r) {
		t.Errorf("lamp still lit with nothing waiting")
	}
}

// TestRepeatedOnIsOneTurn: a repeated "on" edge with no "off" between (an
// edge lost) is one turn, not two. A bouncing contact that sends on, off,
// on is two turns: that is the kernel's debouncing to prevent, and the
// documentation says to keep Debounce on.
func TestRepeatedOnIsOneTurn(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Debounce = 0
	r := newRig(t, cfg)
	on := levelFor(true, cfg.Key.ActiveLow)
	ctx := testCtx(t)
	first := startCheck(t, r, ctx, "s1", 1)
	second := startCheck(t, r, ctx, "s2", 2)
	r.key.Emit(Edge{Value: on})
	r.key.Emit(Edge{Value: on}) // an "off" edge lost in between
	if _, err := recv(t, "first RequestAgeCheck", first); err != nil {
		t.Fatal(err)
	}
	mustNotReturn(t, "second RequestAgeCheck", second)
	if len(r.c.Waiting()) != 1 {
		t.Errorf("a repeated edge answered a second check")
	}
}

func TestNoKeySwitch(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Key, cfg.Refuse = nil, nil
	r := newRig(t, cfg)
	_, err := r.c.RequestAgeCheck(testCtx(t), kiosk.AgeCheck{SaleID: "s1"})
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("RequestAgeCheck without a key switch = %v, want kiosk.ErrDeviceUnavailable", err)
	}
}

func TestLampFails(t *testing.T) {
	r := newRig(t, DefaultConfig())
	r.lamp.SetErr(errUnplugged)
	_, err := r.c.RequestAgeCheck(testCtx(t), kiosk.AgeCheck{SaleID: "s1"})
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errors.Is(err, errUnplugged) {
		t.Errorf("RequestAgeCheck with the lamp failing = %v, want kiosk.ErrDeviceUnavailable wrapping the line's error", err)
	}
	if w := r.c.Waiting(); len(w) != 0 {
		t.Errorf("Waiting = %+v after a failed request", w)
	}
	r.lamp.SetErr(nil)
	ctx := testCtx(t)
	ch := startCheck(t, r, ctx, "s2", 1)
	r.Turn(true)
	if a, err := recv(t, "RequestAgeCheck", ch); err != nil || !a.Approved {
		t.Errorf("RequestAgeCheck once the lamp works = %+v, %v", a, err)
	}
}

func TestRequestCopiesItems(t *testing.T) {
	r := newRig(t, DefaultConfig())
	items := []string{"Snus"}
	ctx := testCtx(t)
	ch := goCall(func() (kiosk.Approval, error) {
		return r.c.RequestAgeCheck(ctx, kiosk.AgeCheck{SaleID: "s1", Items: items})
	})
	if err := r.waitShown(ctx, 1); err != nil {
		t.Fatal(err)
	}
	r.c.Waiting()[0].Items[0] = "changed by a reader"
	if got := r.c.Waiting()[0].Items[0]; got != "Snus" {
		t.Errorf("Waiting shares its items: %q", got)
	}
	r.Turn(true)
	if _, err := recv(t, "RequestAgeCheck", ch); err != nil {
		t.Fatal(err)
	}
}
