package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/gpiocab"
	"selvkasse/devices/scanner"
	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
)

// devicesCmd is `selvkasse devices check --config FILE`: a technician's
// look at each configured device, in plain words: the serial devices
// (with a test receipt), the card terminal, and the cabinet on GPIO (each
// compartment's lock pulsed and door read, the key switch read, the tower
// lamps lit and the buzzer chimed). It exits non-zero when a configured
// device is not usable.
func devicesCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return usageError("devices check --config FILE [--scan 20s] [--no-print]")
	}
	fs := flag.NewFlagSet("devices check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/selvkasse/config.json", "configuration file")
	scanWait := fs.Duration("scan", 0, "wait this long for a test scan (0: don't)")
	noPrint := fs.Bool("no-print", false, "check the printer without printing a test receipt")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("devices check: " + err.Error())
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *scanWait+30*time.Second)
	defer cancel()
	c := checker{out: stdout, cfg: cfg}
	c.scanner(ctx, *scanWait)
	c.printer(ctx, !*noPrint)
	c.terminal(ctx)
	c.cabinet(ctx)
	if c.failed > 0 {
		return fmt.Errorf("devices check: %d device(s) not usable", c.failed)
	}
	return nil
}

type checker struct {
	out    io.Writer
	cfg    Config
	failed int

	// openCabinet opens the cabinet's lines; nil is gpiocab.Open.
	openCabinet func(gpiocab.Config) (checkedCabinet, error)
	// clk times the lock pulses and the lamps; nil is the system clock.
	clk kiosk.Clock
}

// checkedCabinet is what the cabinet check drives: *gpiocab.Cabinet on
// the real lines, a fake in tests. Keys reads the key switch; Light is
// the tower light, nil when none is wired; Close locks every lock and
// releases the lines.
type checkedCabinet interface {
	kiosk.CabinetLock
	Keys(ctx context.Context) (gpiocab.KeyState, error)
	Light() kiosk.TowerLight
	Close() error
}

// How long the cabinet check holds a lock open and a tower lamp lit:
// long enough to hear the click and see the lamp.
const (
	checkPulse = 500 * time.Millisecond
	checkLamp  = time.Second
)

func (c *checker) ok(dev, where, msg string) {
	fmt.Fprintf(c.out, "%-8s %-28s ok: %s\n", dev, where, msg)
}
func (c *checker) fail(dev, where, msg string) {
	c.failed++
	fmt.Fprintf(c.out, "%-8s %-28s PROBLEM: %s\n", dev, where, msg)
}
func (c *checker) note(dev, where, msg string) {
	if where == "" {
		where = "(not configured)"
	}
	fmt.Fprintf(c.out, "%-8s %-28s %s\n", dev, where, msg)
}

// open opens a serial device without waiting for it to appear, and says
// what is wrong in words a technician can act on.
func (c *checker) open(dev string, sc SerialConfig, baud int) (*serialport.Port, serialport.Config, bool) {
	cfg, err := sc.serial(baud)
	if err != nil {
		c.fail(dev, sc.Path, err.Error())
		return nil, cfg, false
	}
	p, err := serialport.Open(cfg)
	switch {
	case errors.Is(err, serialport.ErrUnplugged):
		c.fail(dev, sc.Path, "not found: is it plugged in, and does the udev rule name it "+sc.Path+"?")
		return nil, cfg, false
	case err != nil:
		c.fail(dev, sc.Path, err.Error())
		return nil, cfg, false
	}
	return p, cfg, true
}

func (c *checker) scanner(ctx context.Context, wait time.Duration) {
	sc := c.cfg.Devices.Scanner
	if sc.Path == "" {
		c.note("scanner", "", "")
		return
	}
	p, cfg, ok := c.open("scanner", sc.SerialConfig, DefaultScannerBaud)
	if !ok {
		return
	}
	defer p.Close()
	if wait <= 0 {
		c.ok("scanner", sc.Path, fmt.Sprintf("opened at %s (test a scan with --scan 20s)", cfg))
		return
	}
	fmt.Fprintf(c.out, "scanner  %-28s scan any barcode within %v …\n", sc.Path, wait)
	scfg, gap, err := sc.driver()
	if err != nil {
		c.fail("scanner", sc.Path, err.Error())
		return
	}
	rd := scanner.NewReader(p, scfg, gap, kiosk.SystemClock{})
	sctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	s, err := rd.ReadScan(sctx)
	switch {
	case err == nil:
		c.ok("scanner", sc.Path, fmt.Sprintf("read %q (%s)", s.Code, s.Symbology))
	case errors.Is(err, kiosk.ErrBadScan):
		c.fail("scanner", sc.Path, "it sent something that is not a barcode: "+err.Error()+" (wrong speed or terminator setting?)")
	case errors.Is(err, context.DeadlineExceeded):
		c.fail("scanner", sc.Path, fmt.Sprintf("nothing read in %v: check the cable, the speed (%s) and that the scanner is in serial mode", wait, cfg))
	default:
		c.fail("scanner", sc.Path, err.Error())
	}
}

func (c *checker) printer(ctx context.Context, print bool) {
	pc := c.cfg.Devices.Printer
	if pc.Path == "" {
		c.note("printer", "", "")
		return
	}
	p, cfg, ok := c.open("printer", pc.SerialConfig, DefaultPrinterBaud)
	if !ok {
		return
	}
	defer p.Close()
	drv := escpos.NewPrinter(p, escpos.Encoder{Columns: pc.Columns}, 0)
	st, err := drv.Status(ctx)
	switch {
	case errors.Is(err, kiosk.ErrDeviceUnavailable):
		c.fail("printer", pc.Path, fmt.Sprintf("no answer to the status request: is it switched on, and set to %s?", cfg))
		return
	case err != nil:
		c.fail("printer", pc.Path, err.Error())
		return
	case !st.Ready:
		c.fail("printer", pc.Path, st.Problem)
		return
	}
	words := "ready"
	if st.PaperLow {
		words = "ready, but the paper is running out: put in a new roll soon"
	}
	if !print {
		c.ok("printer", pc.Path, words)
		return
	}
	if err := drv.Print(ctx, testReceipt(c.cfg.Shop, time.Now())); err != nil {
		c.fail("printer", pc.Path, "test receipt not printed: "+err.Error())
		return
	}
	c.ok("printer", pc.Path, words+"; test receipt printed (check æøå, the QR code and the barcode)")
}

func (c *checker) terminal(ctx context.Context) {
	tc := c.cfg.Devices.Terminal
	where := tc.Addr
	if where == "" {
		where = tc.Path
	}
	if where == "" {
		c.note("terminal", "", "")
		return
	}
	t, err := openTerminal(ctx, tc, kiosk.SystemClock{}, nil, nil)
	switch {
	case errors.Is(err, serialport.ErrUnplugged):
		c.fail("terminal", where, "not found: is it plugged in, and does the udev rule name it "+tc.Path+"?")
		return
	case err != nil:
		c.fail("terminal", where, err.Error())
		return
	}
	defer t.Close()
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	reg, err := t.Register(rctx)
	if err != nil {
		c.fail("terminal", where, "no answer to registration (06 00): check the cable or address, the speed ("+t.where+") and the ECR password: "+err.Error())
		return
	}
	st, err := t.StatusEnquiry(rctx)
	if err != nil {
		c.fail("terminal", where, "registered, but no answer to the status enquiry (05 01): "+err.Error())
		return
	}
	tid := st.TerminalID
	if tid == "" {
		tid = reg.TerminalID
	}
	msg := fmt.Sprintf("registered; terminal id %s, status %02X", tid, st.TerminalStatus)
	if st.TerminalStatus != 0 {
		c.fail("terminal", where, msg+": the terminal is not ready for payments (see its display)")
		return
	}
	c.ok("terminal", where, msg+" (ready)")
}

// cabinet checks the cabinet on GPIO when the config names its chip:
// each compartment's lock is unlocked and locked again (with the bolt
// contact read where one is fitted: the driver waits for it) and its door
// read, the key switch is read, and each tower lamp is lit in turn and
// the buzzer chimed, for the technician to watch and listen.
func (c *checker) cabinet(ctx context.Context) {
	gcfg := c.cfg.Devices.Cabinet
	if gcfg.Chip == "" {
		c.note("cabinet", "", "(devices.cabinet.chip names the GPIO chip; run uses the reference wiring on gpiochip0)")
		return
	}
	gc, err := gcfg.gpiocab()
	if err != nil {
		c.fail("cabinet", gcfg.Chip, err.Error())
		return
	}
	where := gc.Chip
	open := c.openCabinet
	if open == nil {
		open = func(g gpiocab.Config) (checkedCabinet, error) { return gpiocab.Open(g) }
	}
	cab, err := open(gc)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.fail("cabinet", where, "GPIO chip not found: check devices.cabinet.chip (gpiodetect lists the chips)")
		return
	case errors.Is(err, fs.ErrPermission):
		c.fail("cabinet", where, "no permission to open the GPIO chip: is the kiosk user in the gpio group (udev rule)?")
		return
	case errors.Is(err, syscall.EBUSY):
		c.fail("cabinet", where, "a cabinet line is in use: is the kiosk running? Stop it first (systemctl stop selvkasse): "+err.Error())
		return
	case errors.Is(err, errors.ErrUnsupported):
		c.fail("cabinet", where, "GPIO needs Linux: run the check on the kiosk")
		return
	case err != nil:
		c.fail("cabinet", where, err.Error())
		return
	}
	defer cab.Close()
	clk := c.clk
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	c.compartments(ctx, cab, gc, where, clk)
	c.keySwitch(ctx, cab, gc, where)
	c.tower(ctx, cab, gc, where, clk)
}

// compartments pulses each compartment's lock and reads its door.
func (c *checker) compartments(ctx context.Context, cab checkedCabinet, gc gpiocab.Config, where string, clk kiosk.Clock) {
	for i, cp := range gc.Compartments {
		n := i + 1
		name := fmt.Sprintf("compartment %d", n)
		err := cab.Unlock(ctx, []int{n})
		if err == nil {
			err = pause(ctx, clk, checkPulse)
		}
		// Locked again whatever happened: the check never leaves a
		// compartment open.
		if lerr := cab.Lock(ctx); err == nil {
			err = lerr
		}
		lines := fmt.Sprintf("lock line %d", cp.Lock.Offset)
		if cp.Feedback != nil {
			lines += fmt.Sprintf(", bolt contact line %d", cp.Feedback.Offset)
		}
		switch {
		case errors.Is(err, kiosk.ErrLockFault):
			c.fail("cabinet", where, fmt.Sprintf("%s: the bolt did not move (%s): check the lock's power and wiring, and that nothing blocks the bolt", name, lines))
			continue
		case err != nil:
			c.fail("cabinet", where, fmt.Sprintf("%s: the lock does not answer (%s): %v", name, lines, err))
			continue
		}
		words := "lock opened and locked again, the bolt contact saw it move"
		if cp.Feedback == nil {
			words = "lock pulsed (no bolt contact fitted: listen for the click)"
		}
		sts, err := cab.Compartments(ctx)
		switch {
		case err != nil:
			c.fail("cabinet", where, fmt.Sprintf("%s: %s; the door sensor (line %d) cannot be read: %v", name, words, cp.Door.Offset, err))
		case len(sts) < n || !sts[n-1].Locked:
			c.fail("cabinet", where, fmt.Sprintf("%s: %s, but it does not read locked afterwards (%s)", name, words, lines))
		case sts[n-1].DoorOpen:
			c.fail("cabinet", where, fmt.Sprintf("%s: %s; the door reads open (line %d): close it, or if it is shut, the reed switch or its magnet is out of place", name, words, cp.Door.Offset))
		default:
			c.ok("cabinet", where, fmt.Sprintf("%s: %s; door closed", name, words))
		}
	}
}

// keySwitch reads the staff key switch: at rest it reads neither
// position.
func (c *checker) keySwitch(ctx context.Context, cab checkedCabinet, gc gpiocab.Config, where string) {
	if gc.Key == nil {
		c.note("cabinet", where, "key switch: not fitted (age checks are answered on the screen)")
		return
	}
	k, err := cab.Keys(ctx)
	switch {
	case err != nil:
		c.fail("cabinet", where, fmt.Sprintf("key switch (line %d) cannot be read: %v", gc.Key.Offset, err))
	case k.Approve:
		c.fail("cabinet", where, fmt.Sprintf("key switch reads turned to approve (line %d): let it spring back, or check its wiring", gc.Key.Offset))
	case k.Refuse:
		c.fail("cabinet", where, fmt.Sprintf("key switch reads turned to refuse (line %d): let it spring back, or check its wiring", gc.Refuse.Offset))
	default:
		c.ok("cabinet", where, fmt.Sprintf("key switch at rest (approve line %d)", gc.Key.Offset))
	}
}

// tower lights each lamp fitted in turn and chimes the buzzer: the check
// cannot see or hear them, the technician must.
func (c *checker) tower(ctx context.Context, cab checkedCabinet, gc gpiocab.Config, where string, clk kiosk.Clock) {
	light := cab.Light()
	if light == nil {
		c.note("cabinet", where, "tower light: not fitted")
		return
	}
	var lit []string
	for _, l := range []struct {
		light kiosk.Light
		pin   *gpiocab.Pin
	}{{kiosk.LightGreen, gc.Green}, {kiosk.LightYellow, gc.Yellow}, {kiosk.LightRed, gc.Red}} {
		if l.pin == nil {
			continue
		}
		if err := light.Show(ctx, kiosk.Signal{Light: l.light}); err != nil {
			c.fail("cabinet", where, fmt.Sprintf("tower light: the %v lamp (line %d) cannot be lit: %v", l.light, l.pin.Offset, err))
			return
		}
		lit = append(lit, l.light.String())
		if err := pause(ctx, clk, checkLamp); err != nil {
			c.fail("cabinet", where, "tower light: "+err.Error())
			return
		}
	}
	if err := light.Show(ctx, kiosk.Signal{}); err != nil {
		c.fail("cabinet", where, "tower light: the lamps cannot be put out: "+err.Error())
		return
	}
	words := "tower light: no lamp fitted"
	if len(lit) > 0 {
		words = "tower light: lit " + strings.Join(lit, ", then ")
	}
	if gc.Buzzer != nil {
		if err := light.Chime(ctx); err != nil {
			c.fail("cabinet", where, fmt.Sprintf("tower light: the buzzer (line %d) cannot sound: %v", gc.Buzzer.Offset, err))
			return
		}
		if err := pause(ctx, clk, gpiocab.ChimeLength); err != nil {
			c.fail("cabinet", where, "tower light: "+err.Error())
			return
		}
		words += ", and chimed the buzzer"
	}
	c.ok("cabinet", where, words+": check that you saw each lamp and heard the buzzer")
}

// pause waits d on clk, or until ctx ends.
func pause(ctx context.Context, clk kiosk.Clock, d time.Duration) error {
	done := make(chan struct{})
	t := clk.AfterFunc(d, func() { close(done) })
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// testReceipt is the technician's test print: the shop's header, the
// Norwegian letters and the euro sign, each style, a QR code and a
// barcode.
func testReceipt(shop kiosk.Shop, now time.Time) kiosk.Document {
	var d kiosk.Document
	center := kiosk.Style{Align: kiosk.AlignCenter}
	d.Text(shop.Name, kiosk.Style{Bold: true, DoubleWidth: true, DoubleHeight: true, Align: kiosk.AlignCenter})
	d.Text("TESTUTSKRIFT / TEST PRINT", kiosk.Style{Bold: true, Align: kiosk.AlignCenter})
	d.Text(now.Format("02.01.2006 15:04:05 MST"), center)
	d.Rule()
	d.Text("Æ Ø Å æ ø å € é ü", kiosk.Style{})
	d.Text("Blåbærsyltetøy på brødskive", kiosk.Style{})
	d.Pair("Fet skrift", "kr 1 234,50", kiosk.Style{Bold: true})
	d.Pair("Dobbel", "kr 99,90", kiosk.Style{DoubleWidth: true, DoubleHeight: true})
	d.Text("Høyrejustert", kiosk.Style{Align: kiosk.AlignRight})
	d.Rule()
	d.QR("https://selvkasse.invalid/test")
	d.Barcode("TEST-1234")
	d.Text("Ingen salgskvittering / not a sales receipt", center)
	hostname, _ := os.Hostname()
	d.Text(hostname, center)
	return d
}
