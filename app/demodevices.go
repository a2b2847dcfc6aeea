package app

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"selvkasse/app/ui"
	"selvkasse/devices/escpos"
	"selvkasse/devices/sim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// demoDevices are the demo's devices. The barcode scanner, the receipt
// printer and the ZVT payment terminal are simulators at the far end of
// serial lines (pseudo-terminals), reached through the real drivers
// exactly as hardware is (serialDevices, demoTerminal); the cabinet and
// staff's age check are in-process simulators (devices/sim.Devices).
type demoDevices struct {
	dir    string // the simulated /dev: selvkasse-scanner, -printer, -terminal
	scan   *sim.ScannerLine
	print  *sim.PrinterLine
	serial *serialDevices
	term   *demoTerminal
	sim    *sim.Devices
	stop   chan struct{}
	log    *slog.Logger

	mu    sync.Mutex
	hooks []func()
}

// DemoCompartments is how many compartments the demo's cabinet has; the
// demo catalog keeps its cabinet goods in them (DemoCatalog).
const DemoCompartments = 3

// DemoStaffPrefix marks the demo's staff badges: `selvkasse sim scan
// STAFF-ola` is Ola's badge.
const DemoStaffPrefix = "STAFF-"

// openDemoDevices plugs in the simulators and opens them through the
// drivers; events gets the serial lines' unplugs and reopens.
// terminalT4 is the ZVT driver's T4 (0: DemoTerminalT4).
func openDemoDevices(clk kiosk.Clock, log *slog.Logger, events func(DeviceEvent), terminalT4 time.Duration) (_ *demoDevices, err error) {
	// The simulated /dev lives in the runtime dir when there is one (the
	// appliance's /run/selvkasse): the app writes nowhere but there and
	// its data dir.
	dir, err := os.MkdirTemp(os.Getenv("XDG_RUNTIME_DIR"), "selvkasse-dev-")
	if err != nil {
		return nil, fmt.Errorf("demo devices: %w", err)
	}
	d := &demoDevices{dir: dir, sim: sim.New(clk, DemoCompartments), log: log, stop: make(chan struct{})}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	d.scan, err = sim.NewScannerLine(filepath.Join(dir, "selvkasse-scanner"), sim.ScannerOptions{Terminator: "\r", AIM: true})
	if err != nil {
		return nil, err
	}
	d.print, err = sim.NewPrinterLine(filepath.Join(dir, "selvkasse-printer"), escpos.Columns42, clk)
	if err != nil {
		return nil, err
	}
	d.serial, err = openSerialDevices(DevicesConfig{
		Scanner: ScannerConfig{SerialConfig: SerialConfig{Path: d.scan.Path()}, StaffPrefix: DemoStaffPrefix, InStore: DemoInStore},
		Printer: PrinterConfig{SerialConfig: SerialConfig{Path: d.print.Path()}, Columns: escpos.Columns42},
	}, clk, log, events)
	if err != nil {
		return nil, err
	}
	d.term, err = openDemoTerminal(dir, clk, log, terminalT4)
	if err != nil {
		return nil, err
	}
	d.print.OnChange(d.changed)
	d.sim.OnChange(d.changed)
	go func() { // the terminal's changes, for the Simulator window
		for {
			select {
			case <-d.term.sim.Changed():
				d.changed()
			case <-d.stop:
				return
			}
		}
	}()
	return d, nil
}

// ports are the kiosk's ports on these devices.
func (d *demoDevices) ports() Devices {
	return Devices{
		Scanner: d.serial.Scanner, Printer: d.serial.Printer,
		Terminal: d.term.drv, Cabinet: d.sim.Cabinet(), Staff: d.sim.StaffApproval(), Light: d.sim.Tower(),
		Key: d.sim.StaffKey(),
	}
}

// Close unplugs everything and removes the simulated /dev.
func (d *demoDevices) Close() error {
	close(d.stop)
	var errs []error
	if d.term != nil {
		errs = append(errs, d.term.Close())
	}
	if d.serial != nil {
		errs = append(errs, d.serial.Close())
	}
	if d.scan != nil {
		errs = append(errs, d.scan.Close())
	}
	if d.print != nil {
		errs = append(errs, d.print.Close())
	}
	errs = append(errs, os.RemoveAll(d.dir))
	return errors.Join(errs...)
}

// OnChange calls fn after every change of the simulated devices.
func (d *demoDevices) OnChange(fn func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hooks = append(d.hooks, fn)
}

func (d *demoDevices) changed() {
	d.mu.Lock()
	hooks := append([]func(){}, d.hooks...)
	d.mu.Unlock()
	for _, f := range hooks {
		f()
	}
}

// Scan sends code down the scanner's line, as the scanner does.
func (d *demoDevices) Scan(code string) error {
	if err := d.scan.Scan(code); err != nil {
		if errors.Is(err, sim.ErrUnplugged) {
			return fmt.Errorf("the scanner's cable is out (plug it in: selvkasse sim scanner replug): %w", err)
		}
		return err
	}
	return nil
}

// Card is the customer at the payment terminal: approve or decline the
// card, walk away (timeout: the terminal gives up), or the terminal's
// link drops (drop) while the payment waits.
func (d *demoDevices) Card(action string) error {
	acts := map[string]func() bool{
		"approve": func() bool { return d.term.sim.Present(true) },
		"decline": func() bool { return d.term.sim.Present(false) },
		"timeout": d.term.sim.TimeOut,
		"drop":    d.term.sim.DropLink,
	}
	f, ok := acts[action]
	if !ok {
		return usageError("card takes approve, decline, timeout or drop")
	}
	// The customer steps up once the terminal asks for the card: the
	// kiosk first checks the terminal's last transaction, then sends the
	// payment, so give it a moment to arrive.
	wait := time.NewTimer(cardWait)
	defer wait.Stop()
	for {
		changed := d.term.sim.Changed()
		if f() {
			return nil
		}
		select {
		case <-changed:
		case <-wait.C:
			return errors.New("no payment waits at the terminal")
		}
	}
}

// cardWait is how long `sim card` waits for a payment to reach the
// terminal.
const cardWait = 10 * time.Second

// Terminal plays a payment terminal's field faults (issue 9): restart
// (a reboot: the payment under way aborted, an unanswered approval
// auto-reversed, stale frames on the line), hang and unhang (silent after
// accepting a payment until the kiosk's Abort), offline and online (the
// line dead and back), currency-refused and currency-ok (the terminal
// set up for another currency).
func (d *demoDevices) Terminal(fault string) error {
	s := d.term.sim
	switch fault {
	case "restart":
		s.Restart(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}}, zvt.Nak(0xA0))
	case "hang", "unhang":
		s.SetHang(fault == "hang")
	case "offline", "online":
		s.SetOffline(fault == "offline")
	case "currency-refused", "currency-ok":
		s.SetRefuseCurrency(fault == "currency-refused")
	default:
		return usageError("terminal takes restart, hang, unhang, offline, online, currency-refused or currency-ok")
	}
	d.changed()
	return nil
}

// Staff answers the age check shown to staff, waiting up to cardWait for
// one to arrive (the kiosk asks only once the customer pressed Pay): an
// answer with no age check to answer is refused, never lost silently.
func (d *demoDevices) Staff(approve bool) error {
	changed := make(chan struct{}, 1)
	cancel := d.sim.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	wait := time.NewTimer(cardWait)
	defer wait.Stop()
	for !d.sim.Staff(approve) {
		select {
		case <-changed:
		case <-wait.C:
			return errors.New("no age check waits for staff")
		}
	}
	return nil
}

// StaffKey is `sim staff key`: staff turns the key switch. With no age
// check shown that is a log-in (the kiosk asks who, then the PIN); an age
// check shown is approved, as the real key does. Unlike Staff it does not
// wait for an age check. Errors: the staff device is offline.
func (d *demoDevices) StaffKey() error {
	if !d.sim.Online(sim.DevStaff) {
		return errors.New("the staff key switch is offline")
	}
	if d.sim.KeyTurn() {
		d.log.Info("simulator", "key turn", "approved the age check shown")
	}
	return nil
}

// Door is `sim door open|close|force`: open opens the doors of the
// unlocked compartments (or compartment 1's), close closes every door,
// force forces a locked door open (compartment 1's unless it is unlocked
// or open).
func (d *demoDevices) Door(action string) error {
	switch action {
	case "open", "close":
		d.sim.Door(action == "open")
	case "force":
		n, err := d.sim.ForceDoor()
		if err != nil {
			return err
		}
		d.log.Info("simulator", "door forced", n)
	default:
		return usageError("door takes open, close or force")
	}
	return nil
}

// Printer changes the printer's paper or cover.
func (d *demoDevices) Printer(cmd ui.PrinterCmd) error {
	switch cmd {
	case ui.PaperOut:
		d.print.SetPaper(sim.PaperOut)
	case ui.PaperLow:
		d.print.SetPaper(sim.PaperLow)
	case ui.PaperOK:
		d.print.SetPaper(sim.PaperFull)
	case ui.CoverOpen:
		d.print.SetCover(true)
	case ui.CoverClosed:
		d.print.SetCover(false)
	default:
		return usageError(fmt.Sprintf("printer takes %s, %s, %s, %s or %s", ui.PaperOut, ui.PaperLow, ui.PaperOK, ui.CoverOpen, ui.CoverClosed))
	}
	return nil
}

// ScannerCable pulls or plugs in the scanner's cable.
func (d *demoDevices) ScannerCable(plugged bool) error {
	defer d.changed()
	if plugged {
		return d.scan.Replug()
	}
	d.scan.Unplug()
	return nil
}

// SimState is the simulated devices' state in /healthz.
type SimState struct {
	Scanner        string `json:"scanner"` // the path the driver opens
	ScannerPlugged bool   `json:"scanner_plugged"`
	Printer        string `json:"printer"`
	Paper          string `json:"paper"` // full, low, out
	CoverOpen      bool   `json:"cover_open"`
	Printed        int    `json:"printed"`         // receipts cut
	LostReceipts   int    `json:"lost,omitempty"`  // sent while it could not print
	Terminal       string `json:"terminal"`        // the ZVT terminal's line
	PaymentWaiting bool   `json:"payment_waiting"` // the terminal waits for a card
	AgeWaiting     bool   `json:"age_waiting"`     // staff is asked for an age check
	// Tower is what the intervention light shows.
	Tower SimTower `json:"tower"`
	// Compartments are the cabinet's compartments' locks and doors.
	Compartments []SimCompartment `json:"compartments"`
}

// SimTower is the simulated intervention light in /healthz.
type SimTower struct {
	Light  string `json:"light"` // off, green, yellow, red
	Blink  bool   `json:"blink,omitempty"`
	Alarm  bool   `json:"alarm,omitempty"` // the buzzer sounds
	Chimes int    `json:"chimes"`          // chimes so far
}

// SimCompartment is one cabinet compartment in /healthz.
type SimCompartment struct {
	No       int  `json:"no"`
	Locked   bool `json:"locked"`
	DoorOpen bool `json:"door_open"`
}

// State describes the simulated devices.
func (d *demoDevices) State() SimState {
	ps, p, st := d.print.State(), d.sim.Pending(), d.sim.Status()
	_, paying := d.term.sim.Holding()
	out := SimState{
		Scanner: d.scan.Path(), ScannerPlugged: d.scan.Plugged(),
		Printer: d.print.Path(), Paper: ps.Paper.String(), CoverOpen: ps.CoverOpen,
		Printed: ps.Printed, LostReceipts: ps.Lost,
		Terminal: d.term.link, PaymentWaiting: paying, AgeWaiting: p.AgeCheck != nil,
		Tower: SimTower{Light: st.Light.Light.String(), Blink: st.Light.Blink, Alarm: st.Light.Alarm, Chimes: st.Chimes},
	}
	for _, c := range st.Compartments {
		out.Compartments = append(out.Compartments, SimCompartment{No: c.No, Locked: c.Locked, DoorOpen: c.DoorOpen})
	}
	return out
}

// simControls adapts the demo's devices to the Simulator window; errors
// (a scan while the cable is out) go to the log.
type simControls struct{ d *demoDevices }

func (s simControls) Scan(code string) {
	if err := s.d.Scan(code); err != nil {
		s.d.log.Info("simulator", "scan", code, "err", err)
	}
}
func (s simControls) Card(approve bool) {
	action := "decline"
	if approve {
		action = "approve"
	}
	if err := s.d.Card(action); err != nil {
		s.d.log.Info("simulator", "card", action, "err", err)
	}
}
func (s simControls) Staff(approve bool) { s.d.sim.Staff(approve) }
func (s simControls) Door(open bool)     { s.d.sim.Door(open) }
func (s simControls) ForceDoor() {
	if err := s.d.Door("force"); err != nil {
		s.d.log.Info("simulator", "door", "force", "err", err)
	}
}
func (s simControls) Printer(cmd ui.PrinterCmd) {
	if err := s.d.Printer(cmd); err != nil {
		s.d.log.Info("simulator", "printer", cmd, "err", err)
	}
}
func (s simControls) ScannerCable(plugged bool) {
	if err := s.d.ScannerCable(plugged); err != nil {
		s.d.log.Info("simulator", "scanner cable", plugged, "err", err)
	}
}
func (s simControls) OnChange(fn func()) { s.d.OnChange(fn) }
func (s simControls) Status() ui.SimStatus {
	p, st, ps := s.d.sim.Pending(), s.d.sim.Status(), s.d.print.State()
	_, paying := s.d.term.sim.Holding()
	out := ui.SimStatus{
		PaymentWaiting: paying, AgeCheckWaiting: p.AgeCheck != nil,
		DoorOpen: st.DoorOpen, Locked: st.Locked, Compartments: st.Compartments,
		Light: st.Light, Chimes: st.Chimes,
		Paper:     map[sim.PaperLevel]ui.PrinterCmd{sim.PaperOut: ui.PaperOut, sim.PaperLow: ui.PaperLow}[ps.Paper],
		CoverOpen: ps.CoverOpen, ScannerPlugged: s.d.scan.Plugged(),
	}
	if out.Paper == "" {
		out.Paper = ui.PaperOK
	}
	if r, ok := s.d.print.LastReceipt(); ok {
		out.LastReceipt = r.Text
		if r.Image != nil {
			out.ReceiptImage = r.Image
		}
	}
	return out
}
