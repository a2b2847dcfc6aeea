package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/scanner"
	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
)

// devicesCmd is `selvkasse devices check --config FILE`: a technician's
// look at each configured serial device, in plain words, with a test
// receipt. It exits non-zero when a configured device is not usable.
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
	if c.failed > 0 {
		return fmt.Errorf("devices check: %d device(s) not usable", c.failed)
	}
	return nil
}

type checker struct {
	out    io.Writer
	cfg    Config
	failed int
}

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
