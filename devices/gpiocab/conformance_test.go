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
// the fake lines of a rig with a feedback contact. Jamming needs the
// feedback contact: without it no driver can see a jam.
type cabinetHarness struct{ r *rig }

func (h cabinetHarness) Cabinet() kiosk.CabinetLock { return h.r.c }
func (h cabinetHarness) Door(open bool)             { h.r.Door(open) }
func (h cabinetHarness) Locked() bool               { return h.r.Bolt() }
func (h cabinetHarness) Jam()                       { h.r.SetJammed(true) }

// Unjam frees the bolt, which then goes where the coil drives it.
func (h cabinetHarness) Unjam() { h.r.SetJammed(false) }

func (h cabinetHarness) Unplug() {
	h.r.lock.SetErr(errUnplugged)
	h.r.feedback.SetErr(errUnplugged)
}

func (h cabinetHarness) Replug() {
	h.r.lock.SetErr(nil)
	h.r.feedback.SetErr(nil)
}

func TestCabinetConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"Reference", func(*Config) {}},
		{"FailSafeActiveLowDoor", func(c *Config) {
			c.FailSafe = true
			cp := &c.Compartments[0]
			cp.Lock.ActiveLow = true
			cp.Door.ActiveLow = true
			cp.Feedback.ActiveLow = false
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kiosktest.TestCabinetLock(t, func(t *testing.T) kiosktest.CabinetHarness {
				cfg := DefaultConfig()
				tc.mod(&cfg)
				r := newRig(t, cfg)
				r.autoAdvance(cfg.FeedbackTimeout)
				return cabinetHarness{r}
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
