package sim

import (
	"fmt"
	"slices"
	"sync"

	"selvkasse/kiosk"
)

// Device names one simulated device.
type Device uint8

const (
	DevScanner  Device = 1
	DevTerminal Device = 2
	DevPrinter  Device = 3
	DevCabinet  Device = 4
	DevStaff    Device = 5
)

// AllDevices lists the devices, in number order.
var AllDevices = []Device{DevScanner, DevTerminal, DevPrinter, DevCabinet, DevStaff}

func (d Device) String() string {
	switch d {
	case DevScanner:
		return "scanner"
	case DevTerminal:
		return "payment terminal"
	case DevPrinter:
		return "receipt printer"
	case DevCabinet:
		return "cabinet lock"
	case DevStaff:
		return "staff age check"
	}
	return fmt.Sprintf("Device(%d)", uint8(d))
}

// Devices is one kiosk's set of simulated devices. The ports (Scanner,
// Terminal, Printer, Cabinet, StaffApproval) go to the kiosk; the other
// methods are what a person does at the devices. Pending and Status
// describe them for a simulator window, and OnChange tells it when to look
// again. It is safe for concurrent use. Make one with New.
type Devices struct {
	clk kiosk.Clock

	mu      sync.Mutex
	wake    chan struct{} // closed and replaced on every change
	hooks   []hook
	hookID  int
	offline map[Device]bool

	scanq []queuedScan // read by the scanner, not yet by the kiosk

	pay   *payWait // the payment the terminal shows the customer
	txns  map[txnKey]*txn
	trace int

	paper   PaperLevel
	last    *kiosk.Document
	printed int

	locked, doorOpen, jammed bool
	doorq                    []kiosk.DoorEvent // not yet delivered by WaitDoor

	ages []*ageWait // age checks staff is shown, oldest first
}

type hook struct {
	id int
	f  func()
}

// New returns the devices as a shop leaves them at night: all online, the
// cabinet locked and closed, a full paper roll. clk stamps scans, door
// events and payments; nil means kiosk.SystemClock.
func New(clk kiosk.Clock) *Devices {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	return &Devices{
		clk: clk, wake: make(chan struct{}), offline: map[Device]bool{},
		txns: map[txnKey]*txn{}, paper: PaperFull, locked: true,
	}
}

// OnChange calls f after every change of the devices' state, from the
// goroutine that made it and without any lock held, so f may call any
// method. cancel stops the calls. A window calls fyne.Do from f.
func (d *Devices) OnChange(f func()) (cancel func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hookID++
	id := d.hookID
	d.hooks = append(d.hooks, hook{id, f})
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.hooks = slices.DeleteFunc(d.hooks, func(h hook) bool { return h.id == id })
	}
}

// unlockChanged ends a change made under d.mu: it wakes the ports waiting
// for one, unlocks, and calls the OnChange functions.
func (d *Devices) unlockChanged() {
	close(d.wake)
	d.wake = make(chan struct{})
	hooks := slices.Clone(d.hooks)
	d.mu.Unlock()
	for _, h := range hooks {
		h.f()
	}
}

// SetOnline plugs dev in (true) or pulls its cable. An offline device's
// port fails with kiosk.ErrDeviceUnavailable; a payment the terminal
// shows when it goes offline is aborted with its answer lost, and age
// checks staff is shown are withdrawn.
func (d *Devices) SetOnline(dev Device, online bool) {
	d.mu.Lock()
	d.offline[dev] = !online
	if !online {
		switch dev {
		case DevTerminal:
			if w := d.pay; w != nil {
				d.pay = nil
				w.ch <- payAnswer{res: d.decideLocked(w.req, cardAborted), lost: true}
			}
		case DevStaff:
			for _, w := range d.ages {
				w.ch <- ageAnswer{err: offline(DevStaff)}
			}
			d.ages = nil
		}
	}
	d.unlockChanged()
}

// Online reports whether dev is plugged in.
func (d *Devices) Online(dev Device) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.offline[dev]
}

func offline(dev Device) error {
	return fmt.Errorf("sim: %v offline: %w", dev, kiosk.ErrDeviceUnavailable)
}

// Pending is what the devices wait for a person to do.
type Pending struct {
	// Payment is the request the terminal shows the customer, waiting for
	// Card; nil when none.
	Payment *kiosk.PaymentRequest
	// PayStatus is the terminal's prompt while Payment waits ("Beløp kr
	// 89,50 …"), empty otherwise. The kiosk shows it (Checkout.SetPayStatus).
	PayStatus string
	// AgeCheck is the age check staff is asked to decide with Staff; nil
	// when none.
	AgeCheck *kiosk.AgeCheck
}

// Pending returns what the devices wait for now.
func (d *Devices) Pending() Pending {
	d.mu.Lock()
	defer d.mu.Unlock()
	var p Pending
	if d.pay != nil {
		r := d.pay.req
		p.Payment, p.PayStatus = &r, d.pay.prompt
	}
	if len(d.ages) > 0 {
		c := cloneCheck(d.ages[0].req)
		p.AgeCheck = &c
	}
	return p
}

// Status is the devices' state, for a simulator window.
type Status struct {
	Offline  []Device    // devices whose cable is pulled, in number order
	Scans    int         // codes scanned that the kiosk has not read yet
	Charged  kiosk.Money // what the terminal took: approvals minus reversals
	Paper    PaperLevel
	Printed  int // documents printed so far
	Locked   bool
	Jammed   bool
	DoorOpen bool
}

// Status returns the devices' state now.
func (d *Devices) Status() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Status{
		Scans: len(d.scanq), Paper: d.paper, Printed: d.printed,
		Locked: d.locked, Jammed: d.jammed, DoorOpen: d.doorOpen,
	}
	for _, dev := range AllDevices {
		if d.offline[dev] {
			s.Offline = append(s.Offline, dev)
		}
	}
	for _, t := range d.txns {
		if t.charged() {
			s.Charged += t.result.Amount
		}
	}
	return s
}
