package zvtsim_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// refundPair is the driver and the simulator over an in-memory
// connection in TCP mode.
func refundPair(t *testing.T, opt zvt.Options) (*zvt.Terminal, *zvtsim.Sim) {
	t.Helper()
	ecr, pt := net.Pipe()
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, pt) }()
	opt.Mode = zvt.TCP
	term := zvt.New(ecr, opt)
	t.Cleanup(func() {
		term.Close()
		ecr.Close()
		cancel()
		<-done
	})
	return term, sim
}

func TestSimRefund(t *testing.T) {
	term, sim := refundPair(t, zvt.Options{Password: 123456})
	ctx := context.Background()
	sim.SetDecision(zvtsim.Approve)
	sim.SetReceipt(zvtsim.PrintLines, "")
	req := kiosk.PaymentRequest{SaleID: "S1", Attempt: 1, Amount: 8950}
	if res, err := term.Authorize(ctx, req); err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if err := term.Confirm(ctx, req, true); err != nil {
		t.Fatal(err)
	}
	res, err := term.Refund(ctx, kiosk.RefundRequest{ReturnID: "R1", Amount: 3000})
	if err != nil || !res.Approved || res.Amount != 3000 || res.Trace == "" {
		t.Fatalf("Refund = %+v, %v; want approved", res, err)
	}
	if len(res.Lines) == 0 || res.Lines[1] != "Retur MasterCard" {
		t.Errorf("refund receipt lines %q", res.Lines)
	}
	// Declined: the simulator declines amounts ending in ,13.
	res, err = term.Refund(ctx, kiosk.RefundRequest{ReturnID: "R2", Amount: 1013})
	if err != nil || res.Approved || res.Code != "05" {
		t.Fatalf("Refund of 10,13 = %+v, %v; want declined", res, err)
	}
	ts := sim.Txns()
	if len(ts) != 3 || !ts[1].Refunded() || ts[1].Approved() || ts[2].Refunded() || sim.Charged() != 8950 {
		t.Fatalf("txns %+v, charged %v", ts, sim.Charged())
	}
	// End of day: the refund is paid out of the day's takings.
	tot, err := term.EndOfDay(ctx)
	if err != nil || tot.Amount != 5950 || tot.Count != 2 {
		t.Fatalf("EndOfDay = %+v, %v; want 59,50 in 2", tot, err)
	}
	var wire []byte
	for _, a := range sim.Received() {
		if a.Cmd == zvt.CmdRefund {
			wire, _ = a.Marshal()
			break
		}
	}
	want := []byte{0x06, 0x31, 0x0D, 0x12, 0x34, 0x56, 0x04, 0, 0, 0, 0, 0x30, 0x00, 0x49, 0x05, 0x78}
	if string(wire) != string(want) {
		t.Errorf("refund on the wire % X, want % X", wire, want)
	}
}

func TestSimRefundRefused(t *testing.T) {
	t.Run("currency", func(t *testing.T) {
		term, sim := refundPair(t, zvt.Options{})
		sim.SetRefuseCurrency(true)
		_, err := term.Refund(context.Background(), kiosk.RefundRequest{Amount: 100})
		if !errors.Is(err, kiosk.ErrMisconfigured) {
			t.Fatalf("Refund = %v, want ErrMisconfigured", err)
		}
	})
	t.Run("silent", func(t *testing.T) {
		term, sim := refundPair(t, zvt.Options{T3: 50 * time.Millisecond})
		sim.SetSilent(true)
		_, err := term.Refund(context.Background(), kiosk.RefundRequest{Amount: 100})
		if !errors.Is(err, kiosk.ErrOutcomeUnknown) {
			t.Fatalf("Refund = %v, want ErrOutcomeUnknown", err)
		}
		if len(sim.Txns()) != 0 {
			t.Errorf("txns %+v", sim.Txns())
		}
	})
}

func TestRefundConformance(t *testing.T) {
	kiosktest.TestTerminalRefund(t, func(t *testing.T) kiosktest.RefundUnderTest {
		term, sim := refundPair(t, zvt.Options{})
		return kiosktest.RefundUnderTest{Terminal: term, Decline: func() { sim.SetDecision(zvtsim.Decline) }}
	})
}
