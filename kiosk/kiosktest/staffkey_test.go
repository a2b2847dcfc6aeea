package kiosktest_test

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeStaffKeyHarness struct{ k *kiosktest.StaffKey }

func (h fakeStaffKeyHarness) Key() kiosk.StaffKey  { return h.k }
func (h fakeStaffKeyHarness) Turn()                { h.k.Turn() }
func (h fakeStaffKeyHarness) SetAvailable(ok bool) { h.k.SetUnavailable(!ok) }

func TestFakeStaffKeyConformance(t *testing.T) {
	kiosktest.TestStaffKey(t, func(t *testing.T) kiosktest.StaffKeyHarness {
		return fakeStaffKeyHarness{kiosktest.NewStaffKey()}
	})
}

func TestFakeStaffKeyRecords(t *testing.T) {
	k := kiosktest.NewStaffKey()
	ctx := t.Context()

	// A wait that ends.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- k.WaitKeyTurn(cctx) }()
	if err := k.WaitWaiting(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitKeyTurn after cancel = %v", err)
	}

	// Two turns nobody waits for: one kept.
	k.Turn()
	k.Turn()
	if !k.Kept() {
		t.Fatalf("Kept = false after two turns")
	}
	if err := k.WaitKeyTurn(ctx); err != nil {
		t.Fatalf("WaitKeyTurn = %v", err)
	}
	if k.Kept() {
		t.Errorf("Kept = true after the turn was delivered")
	}

	// Unreadable while waiting, and a turn it cannot read.
	go func() { done <- k.WaitKeyTurn(ctx) }()
	if err := k.WaitWaiting(ctx, 1); err != nil {
		t.Fatal(err)
	}
	k.SetUnavailable(true)
	if err := <-done; !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Fatalf("waiting WaitKeyTurn when the key goes unreadable = %v", err)
	}
	k.Turn()
	if k.Kept() {
		t.Errorf("a turn of an unreadable key was kept")
	}

	if got := k.Turns(); got != 3 {
		t.Errorf("Turns = %d, want 3", got)
	}
	waits := k.Waits()
	if len(waits) != 3 || !errors.Is(waits[0], context.Canceled) || waits[1] != nil || !errors.Is(waits[2], kiosk.ErrDeviceUnavailable) {
		t.Errorf("Waits = %v, want [canceled, nil, unavailable]", waits)
	}
}
