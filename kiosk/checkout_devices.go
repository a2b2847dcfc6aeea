package kiosk

// Checkout: the devices it watches (scanner, receipt printer, cabinet
// door) and device faults.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// DevPrinter, DevScanner and DevTerminal name devices in faults
// (View.Fault, the journal). DevTerminalSetup is a payment terminal that
// answers but is set up wrong (ErrMisconfigured): its line coming back
// does not clear it; a technician does, and the kiosk is restarted.
const (
	DevPrinter       = "receipt printer"
	DevScanner       = "scanner"
	DevTerminal      = "payment terminal"
	DevTerminalSetup = "payment terminal setup"
)

// printerLoop checks the printer before sales start: at once, then every
// PrinterPoll while no sale is under way (a sale checks it before
// payment). A printer that cannot print is a device fault, so no sale
// starts (the kiosk is out of order when idle) until it can again. A
// ready printer prints the receipts waiting in the reprint queue.
func (c *Checkout) printerLoop(ctx context.Context) {
	for ctx.Err() == nil {
		c.mu.Lock()
		st := c.state
		c.mu.Unlock()
		if st == Idle || st == OutOfOrder {
			if c.printerReady() {
				c.DeviceOK(DevPrinter)
				c.printQueued(ctx)
			} else if ctx.Err() == nil {
				c.DeviceFault(DevPrinter)
			}
		}
		c.sleepOrWake(ctx, c.cfg.PrinterPoll, c.printerWake)
	}
}

// CheckPrinter asks the printer watch to look now, not at its next poll:
// for when the printer's line came back.
func (c *Checkout) CheckPrinter() {
	select {
	case c.printerWake <- struct{}{}:
	default:
	}
}

func (c *Checkout) scanLoop(ctx context.Context) {
	down := false
	for ctx.Err() == nil {
		s, err := c.d.Scanner.ReadScan(ctx)
		switch {
		case err == nil:
			if down {
				down = false
				c.DeviceOK(DevScanner)
			}
			if s.Staff != "" {
				c.StaffBadge(s.Staff)
			} else {
				c.ScanRead(s) // a price check, an in-store code, or Scan
			}
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrBadScan):
			c.journal(c.entry(CodeOther, SubScanError, err.Error()))
			c.setNotice(NoticeBadCode, "")
		case errors.Is(err, ErrDeviceUnavailable):
			if !down {
				down = true
				c.log.Warn("scanner unavailable", "err", err)
				c.DeviceFault(DevScanner)
			}
			c.sleepOrWake(ctx, time.Second, c.scanWake)
		default:
			c.log.Error("scanner", "err", err)
			c.sleepOrWake(ctx, time.Second, c.scanWake)
		}
	}
}

func (c *Checkout) doorLoop(ctx context.Context) {
	for ctx.Err() == nil {
		ev, err := c.d.Cabinet.WaitDoor(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Error("cabinet door", "err", err)
			c.sleep(ctx, time.Second)
			continue
		}
		c.Door(ev)
	}
}

// sleep waits d on the injected clock, or until ctx ends.
func (c *Checkout) sleep(ctx context.Context, d time.Duration) {
	c.sleepOrWake(ctx, d, nil)
}

// sleepOrWake is sleep that also ends on a signal on wake.
func (c *Checkout) sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	done := make(chan struct{})
	t := c.d.Clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
	case <-wake:
		t.Stop()
	case <-ctx.Done():
		t.Stop()
	}
}

// DeviceFault marks a device as failed (DevScanner, DevPrinter, …). The
// kiosk goes out of order when it is idle; a sale under way finishes
// first, and the kiosk goes out of order when it ends. Each failure is
// journaled once, until DeviceOK.
func (c *Checkout) DeviceFault(name string) {
	c.mu.Lock()
	c.faultLocked(name, name+" failed")
	c.mu.Unlock()
	c.notify()
}

// faultLocked marks name as failed, journaling why once, and takes an
// idle kiosk out of order.
func (c *Checkout) faultLocked(name, why string) {
	if !c.faults[name] {
		if c.faults == nil {
			c.faults = make(map[string]bool)
		}
		c.faults[name] = true
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: why})
	}
	if c.state == Idle {
		c.fire(EvDeviceFault)
	}
}

// DeviceOK clears a device's fault; the kiosk is back in service when no
// device is down.
func (c *Checkout) DeviceOK(name string) {
	c.mu.Lock()
	changed := c.faults[name]
	if name == DevScanner {
		select { // the scan loop retries at once
		case c.scanWake <- struct{}{}:
		default:
		}
	}
	if changed {
		delete(c.faults, name)
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: name + " back"})
		if len(c.faults) == 0 {
			c.fire(EvDevicesOK)
		}
	}
	c.mu.Unlock()
	if changed {
		c.notify()
	}
}

// faultText names the devices that are down, in order.
func (c *Checkout) faultText() string {
	names := make([]string, 0, len(c.faults))
	for n := range c.faults {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
