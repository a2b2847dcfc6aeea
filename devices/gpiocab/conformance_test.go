package gpiocab

import (
	"context"
	"errors"
	"sync"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// cabinetHarness plays the cabinet's hardware for the conformance suite:
// the fake lines of a rig with a feedback contact on every compartment.
// Jamming needs the feedback contact: without it no driver can see a jam.
type cabinetHarness struct{ r *rig }

func (h cabinetHarness) Cabinet() kiosk.CabinetLock { return h.r.c }
func (h cabinetHarness) Compartments() int          { return len(h.r.comps) }
func (h cabinetHarness) Door(n int, open bool)      { h.r.comp(n).Door(open) }
func (h cabinetHarness) Locked(n int) bool          { return h.r.comp(n).Bolt() }

func (h cabinetHarness) Jam() {
	for _, k := range h.r.comps {
		k.SetJammed(true)
	}
}

// Unjam frees the bolts, which then go where the coils drive them.
func (h cabinetHarness) Unjam() {
	for _, k := range h.r.comps {
		k.SetJammed(false)
	}
}

func (h cabinetHarness) Unplug() { h.plug(errUnplugged) }
func (h cabinetHarness) Replug() { h.plug(nil) }

func (h cabinetHarness) plug(err error) {
	for _, k := range h.r.comps {
		k.lock.SetErr(err)
		k.feedback.SetErr(err)
	}
}

func TestCabinetConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"Reference", func(*Config) {}},
		{"FailSafeActiveLowDoor", func(c *Config) {
			c.FailSafe = true
			for i := range c.Compartments {
				cp := &c.Compartments[i]
				cp.Lock.ActiveLow = true
				cp.Door.ActiveLow = true
				cp.Feedback.ActiveLow = false
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kiosktest.TestCabinetLock(t, func(t *testing.T) kiosktest.CabinetHarness {
				cfg := threeCompartments()
				tc.mod(&cfg)
				r := newRig(t, cfg)
				r.autoAdvance(cfg.FeedbackTimeout)
				return cabinetHarness{r}
			})
		})
	}
}

// towerHarness watches the tower's lines as staff would watch the light:
// over a whole BlinkPeriod, on the rig's clock, and listening for the
// buzzer's beeps.
type towerHarness struct{ r *rig }

func (h towerHarness) Light() kiosk.TowerLight { return h.r.c.Light() }

// Showing looks at the lamps now and half a blink period later: a lamp
// lit at one look only blinks; the buzzer on at the second look is an
// alarm (a chime is over by then).
func (h towerHarness) Showing(t *testing.T) kiosk.Signal {
	t.Helper()
	first := h.lit(t)
	h.r.clk.Advance(BlinkPeriod / 2)
	second := h.lit(t)
	alarm := isActive(h.r.buzzer.Level(), h.r.cfg.Buzzer.ActiveLow)
	h.r.clk.Advance(BlinkPeriod / 2)
	s := kiosk.Signal{Light: max(first, second), Alarm: alarm}
	if first != second {
		s.Blink = true
		if first != kiosk.LightOff && second != kiosk.LightOff {
			t.Errorf("the tower shows %v, then %v", first, second)
		}
	}
	return s
}

// lit is the lamp lit now; more than one lit fails the test.
func (h towerHarness) lit(t *testing.T) kiosk.Light {
	t.Helper()
	var on []kiosk.Light
	for l, o := range map[kiosk.Light]*fakeOut{kiosk.LightGreen: h.r.green, kiosk.LightYellow: h.r.yellow, kiosk.LightRed: h.r.red} {
		pin := map[kiosk.Light]*Pin{kiosk.LightGreen: h.r.cfg.Green, kiosk.LightYellow: h.r.cfg.Yellow, kiosk.LightRed: h.r.cfg.Red}[l]
		if isActive(o.Level(), pin.ActiveLow) {
			on = append(on, l)
		}
	}
	if len(on) > 1 {
		t.Errorf("lamps %v lit at once", on)
	}
	if len(on) == 0 {
		return kiosk.LightOff
	}
	return on[0]
}

// Chimes lets a chime under way end, then counts the beeps: the buzzer
// on, then off again within ChimeLength.
func (h towerHarness) Chimes(t *testing.T) int {
	t.Helper()
	h.r.clk.Advance(ChimeLength)
	sets, times := h.r.buzzer.Sets(), h.r.buzzer.Times()
	on := levelFor(true, h.r.cfg.Buzzer.ActiveLow)
	n, since := 0, -1
	for i, v := range sets {
		switch {
		case v == on && since < 0:
			since = i
		case v != on && since >= 0:
			if times[i].Sub(times[since]) <= ChimeLength {
				n++
			}
			since = -1
		}
	}
	return n
}

func (h towerHarness) Break() bool {
	for _, o := range []*fakeOut{h.r.green, h.r.yellow, h.r.red, h.r.buzzer} {
		o.SetErr(errUnplugged)
	}
	return true
}

func (h towerHarness) Mend() {
	for _, o := range []*fakeOut{h.r.green, h.r.yellow, h.r.red, h.r.buzzer} {
		o.SetErr(nil)
	}
}

func TestTowerConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"Reference", func(*Config) {}},
		{"ActiveLowRelays", func(c *Config) {
			for _, p := range []*Pin{c.Green, c.Yellow, c.Red, c.Buzzer} {
				p.ActiveLow = true
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kiosktest.TestTowerLight(t, func(t *testing.T) kiosktest.TowerHarness {
				cfg := DefaultConfig()
				tc.mod(&cfg)
				return towerHarness{newRig(t, cfg)}
			})
		})
	}
}

// staffHarness plays staff at the key switch. With the lamp it learns of
// a request as staff would, from the lamp lighting; without, from the
// Cabinet's waiting list.
type staffHarness struct {
	r *rig

	mu   sync.Mutex
	seen int // lamp lightings AwaitRequest has returned for
}

func (h *staffHarness) Approval() kiosk.StaffApproval { return h.r.c }
func (h *staffHarness) Shown() []kiosk.AgeCheck       { return h.r.c.Waiting() }

func (h *staffHarness) AwaitRequest(ctx context.Context) (kiosk.AgeCheck, error) {
	if h.r.lamp == nil {
		if err := h.r.waitShown(ctx, 1); err != nil {
			return kiosk.AgeCheck{}, err
		}
	} else if err := h.awaitLamp(ctx); err != nil {
		return kiosk.AgeCheck{}, err
	}
	w := h.r.c.Waiting()
	if len(w) == 0 {
		return kiosk.AgeCheck{}, errors.New("the lamp lit but no age check waits")
	}
	return w[len(w)-1], nil
}

// awaitLamp waits for the lamp to light once more than it had when
// AwaitRequest last returned.
func (h *staffHarness) awaitLamp(ctx context.Context) error {
	on := levelFor(true, h.r.cfg.Lamp.ActiveLow)
	for {
		sets := h.r.lamp.Sets()
		lit := 0
		for _, v := range sets {
			if v == on {
				lit++
			}
		}
		h.mu.Lock()
		if lit > h.seen {
			h.seen++
			h.mu.Unlock()
			return nil
		}
		h.mu.Unlock()
		if err := h.r.lamp.WaitSets(ctx, len(sets)+1); err != nil {
			return err
		}
	}
}

func (h *staffHarness) Decide(approve bool) string {
	h.r.Turn(approve)
	return h.r.cfg.Staff
}

func (h *staffHarness) SetAvailable(ok bool) {
	var err error
	if !ok {
		err = errUnplugged
	}
	h.r.key.SetErr(err)
}

func TestStaffConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"WithLamp", func(*Config) {}},
		{"NoLampNoFeedback", func(c *Config) { c.Lamp, c.Compartments[0].Feedback = nil, nil }},
		{"ActiveHighKeys", func(c *Config) {
			c.Key.ActiveLow, c.Refuse.ActiveLow, c.Lamp.ActiveLow = false, false, true
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kiosktest.TestStaffApproval(t, func(t *testing.T) kiosktest.StaffHarness {
				cfg := DefaultConfig()
				tc.mod(&cfg)
				return &staffHarness{r: newRig(t, cfg)}
			})
		})
	}
}

// keyHarness plays staff at the key switch for the StaffKey suite.
type keyHarness struct{ r *rig }

func (h keyHarness) Key() kiosk.StaffKey { return h.r.c }
func (h keyHarness) Turn()               { h.r.Turn(true) }

func (h keyHarness) SetAvailable(ok bool) {
	var err error
	if !ok {
		err = errUnplugged
	}
	h.r.key.SetErr(err)
}

func TestStaffKeyConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"Reference", func(*Config) {}},
		{"ActiveHighKeyNoRefuse", func(c *Config) { c.Key.ActiveLow, c.Refuse = false, nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kiosktest.TestStaffKey(t, func(t *testing.T) kiosktest.StaffKeyHarness {
				cfg := DefaultConfig()
				tc.mod(&cfg)
				return keyHarness{newRig(t, cfg)}
			})
		})
	}
}
