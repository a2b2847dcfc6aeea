package kiosktest

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"

	"selvkasse/kiosk"
)

// StaffHarness is a kiosk.StaffApproval under test and the means to act as
// staff. A harness for a real channel plays the staff's device (a key
// switch on a GPIO line, a badge reader, a staff screen over the network).
// Harness methods are called from the test's goroutine and report their
// own failures to the harness's t.
type StaffHarness interface {
	// Approval is the port under test.
	Approval() kiosk.StaffApproval
	// AwaitRequest returns once staff is shown a request, and returns it.
	AwaitRequest(ctx context.Context) (kiosk.AgeCheck, error)
	// Decide answers the request staff is shown, and returns the Staff the
	// port's Approval must name.
	Decide(approve bool) (staff string)
	// Shown returns the requests staff is shown now.
	Shown() []kiosk.AgeCheck
	// SetAvailable(false) takes the staff channel away; true brings it
	// back and returns once the port can reach staff.
	SetAvailable(available bool)
}

// TestStaffApproval checks a kiosk.StaffApproval against the contract in
// kiosk/ports.go. h makes a fresh harness, and the channel behind it, for
// each subtest.
func TestStaffApproval(t *testing.T, h func(t *testing.T) StaffHarness) {
	check := kiosk.AgeCheck{SaleID: "K1-conformance-1", MinAge: kiosk.AdultAge, Items: []string{"Røyk 20 stk", "Snus Original"}}
	// start asks for check and returns once staff is shown it.
	start := func(t *testing.T, hs StaffHarness, ctx context.Context) <-chan devResult[kiosk.Approval] {
		t.Helper()
		ch := devGo(func() (kiosk.Approval, error) { return hs.Approval().RequestAgeCheck(ctx, check) })
		got, err := hs.AwaitRequest(devCtx(t))
		if err != nil {
			t.Fatalf("AwaitRequest: %v", err)
		}
		if got.SaleID != check.SaleID || got.MinAge != check.MinAge || !slices.Equal(got.Items, check.Items) {
			t.Fatalf("staff is shown %+v, want %+v", got, check)
		}
		return ch
	}
	nothingShown := func(t *testing.T, hs StaffHarness) {
		t.Helper()
		if s := hs.Shown(); len(s) != 0 {
			t.Errorf("staff is still shown %+v", s)
		}
	}
	decide := func(t *testing.T, hs StaffHarness, approve bool) {
		t.Helper()
		ch := start(t, hs, devCtx(t))
		who := hs.Decide(approve)
		a, err := devRecv(t, "RequestAgeCheck", ch)
		if err != nil {
			t.Fatalf("RequestAgeCheck answered by staff = %v", err)
		}
		if a.Approved != approve || a.Staff != who || a.Method == "" {
			t.Errorf("RequestAgeCheck = %+v, want Approved %v by %q, with the Method", a, approve, who)
		}
		nothingShown(t, hs)
	}
	// withdrawn checks the outcome of a request whose ctx ended.
	withdrawn := func(t *testing.T, hs StaffHarness, ch <-chan devResult[kiosk.Approval]) {
		t.Helper()
		if a, err := devRecv(t, "RequestAgeCheck", ch); !errors.Is(err, context.Canceled) {
			t.Fatalf("RequestAgeCheck after cancel = %+v, %v; want context.Canceled", a, err)
		}
		nothingShown(t, hs)
	}

	tests := []struct {
		name string
		run  func(t *testing.T, hs StaffHarness)
	}{
		{"Approve", func(t *testing.T, hs StaffHarness) { decide(t, hs, true) }},
		{"RefuseIsAnAnswer", func(t *testing.T, hs StaffHarness) { decide(t, hs, false) }},
		{"OneAfterAnother", func(t *testing.T, hs StaffHarness) {
			decide(t, hs, false)
			decide(t, hs, true)
			decide(t, hs, true)
		}},
		{"WithdrawnOnCancel", func(t *testing.T, hs StaffHarness) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := start(t, hs, ctx)
			cancel()
			withdrawn(t, hs, ch)
			decide(t, hs, true) // the next request works
		}},
		{"CancelLeavesNoGoroutines", func(t *testing.T, hs StaffHarness) {
			const n = 20
			before := runtime.NumGoroutine()
			for range n {
				ctx, cancel := context.WithCancel(t.Context())
				ch := start(t, hs, ctx)
				cancel()
				withdrawn(t, hs, ch)
			}
			devSettled(t, "RequestAgeCheck", before, n)
			decide(t, hs, true)
		}},
		{"EndedContext", func(t *testing.T, hs StaffHarness) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if a, err := hs.Approval().RequestAgeCheck(ctx, check); !errors.Is(err, context.Canceled) {
				t.Errorf("RequestAgeCheck with an ended context = %+v, %v; want context.Canceled", a, err)
			}
			nothingShown(t, hs)
		}},
		{"NoStaffChannel", func(t *testing.T, hs StaffHarness) {
			hs.SetAvailable(false)
			ctx := devCtx(t)
			a, err := devRecv(t, "RequestAgeCheck", devGo(func() (kiosk.Approval, error) { return hs.Approval().RequestAgeCheck(ctx, check) }))
			if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Fatalf("RequestAgeCheck without a staff channel = %+v, %v; want kiosk.ErrDeviceUnavailable", a, err)
			}
			nothingShown(t, hs)
			hs.SetAvailable(true)
			decide(t, hs, true)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
