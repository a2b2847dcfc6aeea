package kiosktest

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

// RefundUnderTest is a kiosk.TerminalRefund with the means to make it
// decline the next refund and, where it can be, go offline.
type RefundUnderTest struct {
	Terminal kiosk.TerminalRefund
	// Decline makes the next refund be declined (the card refused).
	Decline func()
	// Offline makes the terminal unreachable; nil skips that case.
	Offline func()
}

// TestTerminalRefund runs the kiosk.TerminalRefund conformance suite;
// open returns a terminal for each subtest. Each sentence of the
// contract in kiosk/ports.go has a subtest.
func TestTerminalRefund(t *testing.T, open func(t *testing.T) RefundUnderTest) {
	ctx := context.Background()
	t.Run("an approval pays the amount back", func(t *testing.T) {
		u := open(t)
		res, err := u.Terminal.Refund(ctx, kiosk.RefundRequest{ReturnID: "R1", Amount: 2990})
		if err != nil || !res.Approved || res.Amount != 2990 {
			t.Fatalf("Refund = %+v, %v; want approved for kr 29,90", res, err)
		}
	})
	t.Run("a refusal is a result with a nil error", func(t *testing.T) {
		u := open(t)
		u.Decline()
		res, err := u.Terminal.Refund(ctx, kiosk.RefundRequest{ReturnID: "R1", Amount: 2990})
		if err != nil || res.Approved || res.Code == "" {
			t.Fatalf("Refund = %+v, %v; want a refusal with its code", res, err)
		}
	})
	t.Run("an ended context before sending is ctx.Err", func(t *testing.T) {
		u := open(t)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := u.Terminal.Refund(c, kiosk.RefundRequest{ReturnID: "R1", Amount: 2990}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Refund = %v, want context.Canceled", err)
		}
	})
	t.Run("an unreachable terminal is ErrDeviceUnavailable", func(t *testing.T) {
		u := open(t)
		if u.Offline == nil {
			t.Skip("the terminal cannot be made unreachable here")
		}
		u.Offline()
		if _, err := u.Terminal.Refund(ctx, kiosk.RefundRequest{ReturnID: "R1", Amount: 2990}); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Refund = %v, want ErrDeviceUnavailable", err)
		}
	})
}
