package zvtsim_test

import (
	"context"
	"fmt"
	"net"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// The driver and the simulator over an in-memory connection in TCP mode.
// For the serial framing use zvt.Serial on both sides, and sim.OpenPTY for a
// pseudo-terminal pair (the simulator serves the master, the driver uses
// the slave); for a socket use ServeListener and net.Dial.
func ExampleSim_Serve() {
	ecr, pt := net.Pipe()
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	sim.SetDecision(zvtsim.Approve)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, pt) }()

	term := zvt.New(ecr, zvt.Options{Mode: zvt.TCP, Password: 123456})
	req := kiosk.PaymentRequest{SaleID: "K1-1", Attempt: 1, Amount: kiosk.Kroner(89) + 50}
	res, err := term.Authorize(ctx, req)
	fmt.Println(res.Approved, res.Amount, res.MaskedPAN, err)
	fmt.Println(term.Confirm(ctx, req, true), sim.Charged())

	term.Close()
	ecr.Close()
	cancel()
	<-done
	// Output:
	// true kr 89,50 559883******1234 <nil>
	// <nil> kr 89,50
}
