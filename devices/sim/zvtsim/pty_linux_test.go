//go:build linux

package zvtsim_test

import (
	"context"
	"testing"

	"selvkasse/devices/sim"
	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
)

// TestSerialOnPTY wires the serial-framed driver to the simulator on a
// pseudo-terminal pair: the simulator on the master, the driver on the
// slave as it would use /dev/ttyUSB0.
func TestSerialOnPTY(t *testing.T) {
	master, slave, path, err := sim.OpenPTY()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	t.Logf("terminal on %s", path)
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.Serial})
	sim.SetDecision(zvtsim.Approve)
	sim.SetReceipt(zvtsim.PrintLines, "")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, master) }()
	term := zvt.New(slave, zvt.Options{Mode: zvt.Serial, Password: 123456})
	defer func() {
		cancel()
		term.Close()
		slave.Close()
		master.Close()
		<-done
	}()
	if _, err := term.Register(testCtx(t)); err != nil {
		t.Fatalf("Register = %v", err)
	}
	r := req(1, 10010) // 100,10: the amount's BCD holds a 10 (DLE) byte
	res, err := term.Authorize(testCtx(t), r)
	if err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if err := term.Confirm(testCtx(t), r, true); err != nil {
		t.Fatal(err)
	}
	if sim.Charged() != r.Amount || len(term.LastReceipt()) == 0 {
		t.Errorf("Charged %v, receipt %q", sim.Charged(), term.LastReceipt())
	}
}
