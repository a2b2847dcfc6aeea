package sim

import (
	"fmt"
	"slices"
	"sync"

	"selvkasse/kiosk"
)

// Device names one simulated device.
type Device uint8

// The numbers are fixed; 1–3 were the in-process scanner, terminal and
// printer, now simulated on serial lines (ScannerLine, PrinterLine,
// zvtsim).
const (
	DevCabinet Device = 4
	DevStaff   Device = 5
	DevTower   Device = 6 // the intervention light
)

// AllDevices lists the devices, in number order.
var AllDevices = []Device{DevCabinet, DevStaff, DevTower}

func (d Device) String() string {
	switch d {
	case DevCabinet:
		return "cabinet lock"
	case DevStaff:
		return "staff age check"
	case DevTower:
		return "tower light"
	}
	return fmt.Sprintf("Device(%d)", uint8(d))
}

// Devices is the kiosk's in-process simulated devices: the cabinet with
// its compartments, staff's age check and key switch, and the
// intervention light. The ports (Cabinet, StaffApproval, StaffKey, Tower)
// go to the kiosk; the other methods are what a person does at the
// devices. Pending and Status describe them for a simulator window, and
// OnChange tells it when to look again. It is safe for concurrent use.
// Make one with New.
type Devices struct {
	clk kiosk.Clock

	mu      sync.Mutex
	wake    chan struct{} // closed and replaced on every change
	hooks   []hook
	hookID  int
	offline map[Device]bool

	locked, open []bool // by compartment - 1
	jammed       bool
	doorq        []kiosk.DoorEvent // not yet delivered by WaitDoor

	signal kiosk.Signal // what the tower light shows
	chimes int

	ages    []*ageWait // age checks staff is shown, oldest first
	keyTurn bool       // a key turn with no age check waiting, not yet taken by WaitKeyTurn
}

type hook struct {
	id int
	f  func()
}

// New returns the devices as a shop leaves them at night: all online, a
// cabinet of compartments compartments (at least 1), every one locked
// and closed, the tower light off. clk stamps door events; nil means
// kiosk.SystemClock.
func New(clk kiosk.Clock, compartments int) *Devices {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	n := max(compartments, 1)
	d := &Devices{
		clk: clk, wake: make(chan struct{}), offline: map[Device]bool{},
		locked: make([]bool, n), open: make([]bool, n),
	}
	for i := range d.locked {
		d.locked[i] = true
	}
	return d
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
// port fails with kiosk.ErrDeviceUnavailable; age checks staff is shown
// are withdrawn.
func (d *Devices) SetOnline(dev Device, online bool) {
	d.mu.Lock()
	d.offline[dev] = !online
	if !online {
		if dev == DevStaff {
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
	// AgeCheck is the age check staff is asked to decide with Staff; nil
	// when none.
	AgeCheck *kiosk.AgeCheck
}

// Pending returns what the devices wait for now.
func (d *Devices) Pending() Pending {
	d.mu.Lock()
	defer d.mu.Unlock()
	var p Pending
	if len(d.ages) > 0 {
		c := cloneCheck(d.ages[0].req)
		p.AgeCheck = &c
	}
	return p
}

// Status is the devices' state, for a simulator window.
type Status struct {
	Offline  []Device // devices whose cable is pulled, in number order
	Locked   bool     // every compartment is locked
	Jammed   bool
	DoorOpen bool // a door is open
	// Compartments is each compartment's lock and door, by number.
	Compartments []kiosk.CompartmentState
	// Light is what the tower light shows; Chimes counts its chimes.
	Light  kiosk.Signal
	Chimes int
	// KeyTurn is a turn of staff's key (KeyTurn) that the kiosk has not
	// taken as a log-in yet (WaitKeyTurn).
	KeyTurn bool
}

// Status returns the devices' state now.
func (d *Devices) Status() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Status{Locked: true, Jammed: d.jammed, Compartments: d.statesLocked(), Light: d.signal, Chimes: d.chimes, KeyTurn: d.keyTurn}
	for _, c := range s.Compartments {
		s.Locked = s.Locked && c.Locked
		s.DoorOpen = s.DoorOpen || c.DoorOpen
	}
	for _, dev := range AllDevices {
		if d.offline[dev] {
			s.Offline = append(s.Offline, dev)
		}
	}
	return s
}
