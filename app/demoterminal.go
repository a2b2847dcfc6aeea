package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// DemoTerminalT4 is how long the demo's ZVT driver waits for the terminal
// after it took a request (ZVT T4; the spec's default is 180 s). A
// terminal gives up on a customer after about a minute, so 75 s still
// covers it, and a cut link is noticed sooner in the demo.
const DemoTerminalT4 = 75 * time.Second

// demoTerminal is the ZVT payment terminal simulator on a pseudo-terminal,
// paid through the real ZVT driver over a serial port at 9600 8N2, as a
// terminal on /dev/selvkasse-terminal would be.
type demoTerminal struct {
	sim           *zvtsim.Sim
	master, slave *os.File
	link          string
	port          *serialport.Port
	drv           *zvt.Terminal
	cancel        context.CancelFunc
	served        chan struct{} // closed when serve returns; nil before it starts
	onStatus      atomic.Pointer[func(nb, en string)]
	lineState     linkWatch // the serial line's unplugs and reopens
}

// openDemoTerminal plugs the simulator in at dir/selvkasse-terminal,
// opens it through serialport and the ZVT driver, and registers (06 00).
func openDemoTerminal(dir string, clk kiosk.Clock, log *slog.Logger, t4 time.Duration) (_ *demoTerminal, err error) {
	if t4 <= 0 {
		t4 = DemoTerminalT4
	}
	t := &demoTerminal{link: filepath.Join(dir, "selvkasse-terminal")}
	t.master, t.slave, _, err = sim.OpenPTY()
	if err != nil {
		return nil, err
	}
	var ctx context.Context
	ctx, t.cancel = context.WithCancel(context.Background())
	defer func() {
		if err != nil { // every return below sets err before this runs
			t.Close()
		}
	}()
	if err := os.Symlink(t.slave.Name(), t.link); err != nil {
		return nil, fmt.Errorf("demo terminal: %w", err)
	}
	t.sim = zvtsim.New(zvtsim.Options{Mode: zvt.Serial, Clock: clk})
	t.sim.SetReceipt(zvtsim.TextBlock, "")
	t.served = make(chan struct{})
	go t.serve(ctx, log)
	t.port, err = serialport.Open(serialport.Config{
		Path: t.link, Baud: zvt.LineBaud, DataBits: zvt.LineDataBits, StopBits: serialport.TwoStopBits,
	}, serialport.WithClock(clk), t.lineState.serialEvents(log))
	if err != nil {
		return nil, fmt.Errorf("demo terminal: %w", err)
	}
	t.drv = zvt.New(t.port, zvt.Options{
		Mode: zvt.Serial, Clock: clk, Logger: log, T4: t4, VendTimeout: vendTimeout(releaseWindow),
		OnStatus: func(_ byte, nb, en string) {
			if f := t.onStatus.Load(); f != nil {
				(*f)(nb, en)
			}
		},
	})
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := t.drv.Register(rctx); err != nil {
		return nil, fmt.Errorf("demo terminal: registration: %w", err)
	}
	return t, nil
}

// serve runs the simulator on the line; after it dropped the link on
// purpose it listens again, as a terminal whose cable is back.
func (t *demoTerminal) serve(ctx context.Context, log *slog.Logger) {
	defer close(t.served)
	for ctx.Err() == nil {
		err := t.sim.Serve(ctx, t.master)
		switch {
		case errors.Is(err, zvtsim.ErrDropped):
			log.Info("demo terminal: link dropped on purpose")
		case err != nil && ctx.Err() == nil:
			log.Warn("demo terminal", "err", err)
			return
		}
	}
}

// OnStatus sends the terminal's prompts (nb, en) to f from now on.
func (t *demoTerminal) OnStatus(f func(nb, en string)) { t.onStatus.Store(&f) }

// OnLink sends the serial line's unplugs (up false) and reopens (up true)
// to f from now on, as terminalConn.OnLink.
func (t *demoTerminal) OnLink(f func(up bool, err error)) { t.lineState.set(f) }

// Close stops the simulator and the driver and removes the link.
func (t *demoTerminal) Close() error {
	if t.cancel != nil {
		t.cancel()
	}
	var errs []error
	if t.drv != nil {
		errs = append(errs, t.drv.Close())
	}
	if t.port != nil {
		errs = append(errs, t.port.Close())
	}
	errs = append(errs, t.master.Close(), t.slave.Close())
	if t.served != nil {
		<-t.served
	}
	if err := os.Remove(t.link); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
