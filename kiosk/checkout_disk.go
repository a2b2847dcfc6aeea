package kiosk

// Checkout: the free-space guard. The store's disk filling up must never
// take the kiosk down mid-sale (a store engine that cannot extend a
// memory-mapped file dies with SIGBUS), so the free space is checked
// before a sale starts and before each durable write of a sale:
//
//   - below Config.DiskReserve no sale starts (the first scan is refused)
//     and the kiosk goes out of order with the fault DevDisk once the sale
//     under way, if any, has ended;
//   - a sale already under way finishes: its payment intent, approval and
//     completion are a few KiB, and the reserve is there for them and for
//     the store's own files;
//   - below half the reserve (something else is filling the disk fast)
//     no payment is started and an approval is not recorded (the terminal
//     reverses it, as for any failed write); the completion of a sale
//     whose goods are out is always written.
//
// The fault clears when a poll (Config.DiskPoll, or CheckDisk) finds the
// space above the reserve again.

import (
	"context"
	"errors"
	"fmt"
)

// DevDisk names the store's disk in faults (View.Fault, /healthz, the
// journal): below the reserve, the kiosk is out of order with it.
const DevDisk = "disk full"

// DevData names the store's data in faults: data found damaged while the
// kiosk runs (a table whose bytes rotted on the card since they were
// checked), which a restart does not mend.
const DevData = "stored data"

// DataDamaged marks the store's data as damaged, journaling why (which
// file, what is wrong) once: the kiosk goes out of order when it is idle,
// a sale under way finishes first. Nothing clears it but a technician: the
// store refuses to open on the damage until its data is restored.
func (c *Checkout) DataDamaged(why string) {
	c.mu.Lock()
	c.faultLocked(DevData, "stored data damaged: "+why)
	c.mu.Unlock()
	c.notify()
}

// DefaultDiskReserve is Config.DiskReserve's default: 32 MiB.
const DefaultDiskReserve = 32 << 20

// diskStage is where in a sale the free space is checked.
type diskStage int

const (
	diskStart    diskStage = iota // a sale is about to start: refused below the reserve
	diskWrite                     // a write of the sale under way: refused below half the reserve
	diskMustDone                  // the completion of a sale whose goods are out: never refused
)

// diskLocked asks the disk, marks the fault below the reserve, and says
// whether stage may go on. A disk that cannot tell is logged once and
// does not stop a sale.
func (c *Checkout) diskLocked(stage diskStage) bool {
	if c.d.Disk == nil {
		return true
	}
	free, err := c.d.Disk.Free(c.ctx)
	if err != nil {
		if !c.diskBlind {
			c.diskBlind = true
			c.log.Warn("free disk space unknown; selling without the guard", "err", err)
		}
		return true
	}
	c.diskBlind = false
	reserve := c.cfg.DiskReserve
	if free >= reserve {
		return true
	}
	c.diskFaultLocked(free)
	switch stage {
	case diskStart:
		if c.state == Receipt {
			c.fire(EvDeviceFault) // the next customer's first scan
		}
		return false
	case diskWrite:
		return free >= reserve/2
	}
	return true
}

// diskFaultLocked marks DevDisk (journaled once) and takes an idle kiosk
// out of order.
func (c *Checkout) diskFaultLocked(free uint64) {
	c.faultLocked(DevDisk, fmt.Sprintf("disk full: %s free, below the reserve of %s; no sale starts until space is freed",
		mib(free), mib(c.cfg.DiskReserve)))
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// diskLoop checks the free space while no sale is under way: at once,
// then every DiskPoll. Below the reserve the idle kiosk goes out of order;
// above it, the fault clears.
func (c *Checkout) diskLoop(ctx context.Context) {
	for ctx.Err() == nil {
		c.mu.Lock()
		st := c.state
		c.mu.Unlock()
		if st == Idle || st == OutOfOrder {
			free, err := c.d.Disk.Free(ctx)
			c.mu.Lock()
			was := c.faults[DevDisk]
			switch {
			case err != nil:
				// Logged by the next sale's check; the fault stays as it is.
				c.mu.Unlock()
			case free >= c.cfg.DiskReserve:
				c.mu.Unlock()
				if was {
					c.DeviceOK(DevDisk)
				}
			default:
				c.diskFaultLocked(free)
				c.mu.Unlock()
				if !was {
					c.notify()
				}
			}
		}
		c.sleepOrWake(ctx, c.cfg.DiskPoll, c.diskWake)
	}
}

// CheckDisk asks the free-space watch to look now, not at its next poll:
// for when space was freed.
func (c *Checkout) CheckDisk() {
	select {
	case c.diskWake <- struct{}{}:
	default:
	}
}

// errDiskLow: a write of a sale was not made, with less than half the
// reserve free.
var errDiskLow = errors.New("kiosk: disk almost full: the sale's write was not made")

// saveSaleLocked is Sales.SavePending after the free-space check of a
// sale's write (diskWrite).
func (c *Checkout) saveSaleLocked(ctx context.Context, p PendingSale, e Entry, more ...Entry) error {
	if !c.diskLocked(diskWrite) {
		return errDiskLow
	}
	return c.d.Sales.SavePending(ctx, p, e, more...)
}
