package gpiocab

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// lockedLevels says, for each compartment, whether its lock line is at
// the locked level.
func (r *rig) lockedLevels() []bool {
	var out []bool
	for _, k := range r.comps {
		out = append(out, k.lock.Level() == lockLevel(true, r.cfg.FailSafe, k.cfg().Lock))
	}
	return out
}

// TestLockedAtStart: New drives every lock line locked, whatever level it
// found, and puts the tower out.
func TestLockedAtStart(t *testing.T) {
	r := newRig(t, threeCompartments())
	if got := r.lockedLevels(); fmt.Sprint(got) != "[true true true]" {
		t.Errorf("after New the lock lines are locked: %v", got)
	}
	for name, o := range map[string]*fakeOut{"green": r.green, "yellow": r.yellow, "red": r.red, "buzzer": r.buzzer, "lamp": r.lamp} {
		if o.Level() != levelFor(false, false) {
			t.Errorf("%s on after New", name)
		}
	}
}

// TestFailedUnlockRelocksWhatItNamed: a fault on one compartment of an
// Unlock relocks every compartment it named, and leaves the others alone.
func TestFailedUnlockRelocksWhatItNamed(t *testing.T) {
	cfg := threeCompartments()
	t.Run("Jammed", func(t *testing.T) {
		r := newRig(t, cfg)
		r.autoAdvance(cfg.FeedbackTimeout)
		r.comp(2).SetJammed(true)
		err := r.c.Unlock(testCtx(t), []int{1, 2})
		if !errors.Is(err, kiosk.ErrLockFault) || !errorsMention(err, "compartment 2") {
			t.Fatalf("Unlock with compartment 2 jammed = %v, want kiosk.ErrLockFault naming compartment 2", err)
		}
		if got := r.lockedLevels(); fmt.Sprint(got) != "[true true true]" {
			t.Errorf("lock lines locked after the failed unlock: %v", got)
		}
		if !r.comp(1).Bolt() || !r.comp(2).Bolt() {
			t.Errorf("bolts after the failed unlock: 1 locked=%v, 2 locked=%v", r.comp(1).Bolt(), r.comp(2).Bolt())
		}
		if sets := r.comp(3).lock.Sets(); len(sets) != 1 {
			t.Errorf("compartment 3's lock line, not named, was set %v (only New should)", sets)
		}
	})
	t.Run("LineFails", func(t *testing.T) {
		r := newRig(t, cfg)
		r.comp(3).lock.SetErr(errUnplugged)
		err := r.c.Unlock(testCtx(t), []int{3, 1})
		if !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errors.Is(err, errUnplugged) {
			t.Fatalf("Unlock with compartment 3's line failing = %v, want kiosk.ErrDeviceUnavailable", err)
		}
		if got := r.lockedLevels(); !got[0] || !got[1] {
			t.Errorf("lock lines after the failed unlock: %v; compartment 1 must be relocked", got)
		}
		st, err := r.c.Compartments(testCtx(t))
		if err != nil || !st[0].Locked || !st[1].Locked {
			t.Errorf("Compartments = %+v, %v; want 1 and 2 locked", st, err)
		}
	})
	t.Run("NothingNamed", func(t *testing.T) {
		r := newRig(t, cfg)
		for _, ns := range [][]int{nil, {4}, {2, 0}} {
			if err := r.c.Unlock(testCtx(t), ns); !errors.Is(err, kiosk.ErrNoCompartment) {
				t.Errorf("Unlock(%v) = %v, want kiosk.ErrNoCompartment", ns, err)
			}
		}
		for _, k := range r.comps {
			if sets := k.lock.Sets(); len(sets) != 1 {
				t.Errorf("compartment %d's lock line set %v by a refused unlock", k.no, sets)
			}
		}
	})
}

func errorsMention(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

// TestLockSetsEveryLine: a lock line that fails does not keep Lock from
// locking the others.
func TestLockSetsEveryLine(t *testing.T) {
	r := newRig(t, threeCompartments())
	r.autoAdvance(r.cfg.FeedbackTimeout)
	ctx := testCtx(t)
	if err := r.c.Unlock(ctx, []int{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	r.comp(2).lock.SetErr(errUnplugged)
	err := r.c.Lock(ctx)
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) || !errorsMention(err, "compartment 2") {
		t.Fatalf("Lock with compartment 2's line failing = %v", err)
	}
	if got := r.lockedLevels(); fmt.Sprint(got) != "[true false true]" {
		t.Errorf("lock lines locked: %v, want 1 and 3", got)
	}
	st, err := r.c.Compartments(ctx)
	if err != nil || !st[0].Locked || st[1].Locked || !st[2].Locked {
		t.Errorf("Compartments = %+v, %v; want 2 reported unlocked", st, err)
	}
	r.comp(2).lock.SetErr(nil)
	if err := r.c.Lock(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCompartmentsReadsTheBolt: with a feedback contact, a lock driven
// locked whose bolt did not go in is reported unlocked.
func TestCompartmentsReadsTheBolt(t *testing.T) {
	r := newRig(t, threeCompartments())
	r.comp(2).MoveBolt(false) // someone holds the bolt back
	st, err := r.c.Compartments(testCtx(t))
	if err != nil || !st[0].Locked || st[1].Locked || !st[2].Locked {
		t.Errorf("Compartments = %+v, %v; want compartment 2 unlocked", st, err)
	}
	r.comp(3).feedback.SetErr(errUnplugged)
	if _, err := r.c.Compartments(testCtx(t)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Compartments with a feedback line gone = %v", err)
	}
}

func TestKeys(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	if k, err := r.c.Keys(ctx); err != nil || k.Approve || k.Refuse {
		t.Errorf("Keys at rest = %+v, %v", k, err)
	}
	r.refuse.Set(levelFor(true, r.cfg.Refuse.ActiveLow))
	if k, err := r.c.Keys(ctx); err != nil || k.Approve || !k.Refuse {
		t.Errorf("Keys turned to refuse = %+v, %v", k, err)
	}
	r.refuse.Set(levelFor(false, r.cfg.Refuse.ActiveLow))
	r.key.SetErr(errUnplugged)
	if _, err := r.c.Keys(ctx); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Keys with the key line gone = %v", err)
	}

	cfg := DefaultConfig()
	cfg.Key, cfg.Refuse = nil, nil
	r = newRig(t, cfg)
	if _, err := r.c.Keys(ctx); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Keys without a key switch = %v", err)
	}
}

// TestNoTower: without tower lines the Cabinet has no light.
func TestNoTower(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Green, cfg.Yellow, cfg.Red, cfg.Buzzer = nil, nil, nil, nil
	r := newRig(t, cfg)
	if l := r.c.Light(); l != nil {
		t.Errorf("Light = %v, want nil", l)
	}
}
