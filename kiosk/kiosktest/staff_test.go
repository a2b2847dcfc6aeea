package kiosktest_test

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeStaffHarness struct {
	t *testing.T
	s *kiosktest.StaffApproval
}

func (h fakeStaffHarness) Approval() kiosk.StaffApproval { return h.s }
func (h fakeStaffHarness) AwaitRequest(ctx context.Context) (kiosk.AgeCheck, error) {
	return h.s.WaitRequest(ctx)
}
func (h fakeStaffHarness) Decide(approve bool) string {
	h.t.Helper()
	const who = "badge 0042"
	answer := h.s.Refuse
	if approve {
		answer = h.s.Approve
	}
	if err := answer(who); err != nil {
		h.t.Fatalf("staff decides: %v", err)
	}
	return who
}
func (h fakeStaffHarness) Shown() []kiosk.AgeCheck { return h.s.Waiting() }
func (h fakeStaffHarness) SetAvailable(ok bool)    { h.s.SetUnavailable(!ok) }

func TestFakeStaffConformance(t *testing.T) {
	kiosktest.TestStaffApproval(t, func(t *testing.T) kiosktest.StaffHarness {
		return fakeStaffHarness{t, kiosktest.NewStaffApproval()}
	})
}

func TestFakeStaffRecords(t *testing.T) {
	s := kiosktest.NewStaffApproval()
	if err := s.Approve("x"); err == nil {
		t.Errorf("Approve with nothing waiting: no error")
	}
	check := kiosk.AgeCheck{SaleID: "s1", MinAge: 18, Items: []string{"Snus"}}

	// Withdrawn.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := s.RequestAgeCheck(ctx, check); done <- err }()
	if _, err := s.WaitRequest(t.Context()); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("withdrawn request = %v", err)
	}

	// Approved.
	res := make(chan kiosk.Approval, 1)
	go func() { a, _ := s.RequestAgeCheck(t.Context(), check); res <- a }()
	if _, err := s.WaitRequest(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve("Kari"); err != nil {
		t.Fatal(err)
	}
	if a := <-res; !a.Approved || a.Staff != "Kari" || a.Method != kiosktest.FakeStaffMethod {
		t.Errorf("approval = %+v", a)
	}

	// Unavailable.
	s.SetUnavailable(true)
	if _, err := s.RequestAgeCheck(t.Context(), check); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("no staff channel = %v", err)
	}

	var got []kiosktest.AgeState
	for _, r := range s.Requests() {
		got = append(got, r.State)
		if r.Check.SaleID != "s1" {
			t.Errorf("request recorded as %+v", r.Check)
		}
	}
	want := []kiosktest.AgeState{kiosktest.AgeWithdrawn, kiosktest.AgeApproved, kiosktest.AgeUnavailable}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("request states %v, want %v", got, want)
	}
}
