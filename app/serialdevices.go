package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/scanner"
	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
)

// Defaults for the serial devices: the usual factory settings of a
// serial barcode scanner (9600 8N1) and an Epson-compatible receipt
// printer's serial interface (38400 8N1).
const (
	DefaultScannerBaud = 9600
	DefaultPrinterBaud = 38400
	// DefaultScanGap ends a code the scanner sent without a terminator.
	DefaultScanGap = 50 * time.Millisecond
)

// serialDevices are the barcode scanner and the receipt printer on their
// serial lines, through the real drivers: serialport (which reopens a
// line that went away), the scanner's framer and parser, the ESC/POS
// printer. The demo opens them on the simulators' pseudo-terminals, `run`
// on the udev names, `devices check` for a technician.
type serialDevices struct {
	scanPort  *serialport.Port
	printPort *serialport.Port
	Scanner   *scanner.Reader
	Printer   *escpos.Printer
}

// DeviceEvent is a serial device going away or coming back, named as in
// the kiosk's faults (kiosk.DevScanner, kiosk.DevPrinter).
type DeviceEvent struct {
	Device string
	Event  serialport.Event
}

// serialConfig is the line settings of a device, with its default speed.
func (c SerialConfig) serial(defaultBaud int) (serialport.Config, error) {
	cfg := serialport.Config{Path: c.Path, Baud: c.Baud}
	if cfg.Baud == 0 {
		cfg.Baud = defaultBaud
	}
	if c.Mode != "" {
		m := strings.ToUpper(c.Mode)
		if len(m) != 3 || m[0] < '5' || m[0] > '8' || !strings.ContainsRune("NEO", rune(m[1])) || (m[2] != '1' && m[2] != '2') {
			return cfg, fmt.Errorf("%w: serial mode %q: want data bits, parity and stop bits like 8N1", ErrBadConfig, c.Mode)
		}
		cfg.DataBits = int(m[0] - '0')
		cfg.Parity = map[byte]serialport.Parity{'N': serialport.NoParity, 'E': serialport.EvenParity, 'O': serialport.OddParity}[m[1]]
		cfg.StopBits = map[byte]serialport.StopBits{'1': serialport.OneStopBit, '2': serialport.TwoStopBits}[m[2]]
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("%w: %v", ErrBadConfig, err)
	}
	return cfg, nil
}

// openSerialDevices opens the scanner and the printer. A device that is
// missing now is not an error: it is reported as unplugged (an event)
// and opened when it appears. events gets every unplug and reopen, from
// the ports' goroutines; it must not block.
func openSerialDevices(cfg DevicesConfig, clk kiosk.Clock, log *slog.Logger, events func(DeviceEvent)) (*serialDevices, error) {
	sc, err := cfg.Scanner.serial(DefaultScannerBaud)
	if err != nil {
		return nil, fmt.Errorf("scanner: %w", err)
	}
	pc, err := cfg.Printer.serial(DefaultPrinterBaud)
	if err != nil {
		return nil, fmt.Errorf("printer: %w", err)
	}
	scfg, gap, err := cfg.Scanner.driver()
	if err != nil {
		return nil, err
	}
	on := func(dev string) serialport.Option {
		return serialport.WithEvents(func(e serialport.Event) {
			log.Info("serial device", "device", dev, "event", e.String())
			if events != nil {
				events(DeviceEvent{Device: dev, Event: e})
			}
		})
	}
	d := &serialDevices{}
	d.scanPort, err = serialport.Open(sc, serialport.AllowMissing(), serialport.WithClock(clk), on(kiosk.DevScanner))
	if err != nil {
		return nil, fmt.Errorf("scanner: %w", err)
	}
	d.printPort, err = serialport.Open(pc, serialport.AllowMissing(), serialport.WithClock(clk), on(kiosk.DevPrinter))
	if err != nil {
		d.scanPort.Close()
		return nil, fmt.Errorf("printer: %w", err)
	}
	d.Scanner = scanner.NewReader(d.scanPort, scfg, gap, clk)
	d.Printer = escpos.NewPrinter(d.printPort, escpos.Encoder{Columns: cfg.Printer.Columns}, 0)
	return d, nil
}

// driver is the scanner driver's configuration, checked, and its
// inter-byte gap.
func (c ScannerConfig) driver() (scanner.Config, time.Duration, error) {
	cfg := scanner.Config{StaffPrefix: c.StaffPrefix, InStore: c.InStore}
	if err := cfg.Validate(); err != nil {
		return cfg, 0, fmt.Errorf("%w: scanner: %v", ErrBadConfig, err)
	}
	gap := time.Duration(c.Gap)
	if gap <= 0 {
		gap = DefaultScanGap
	}
	return cfg, gap, nil
}

// Close closes both lines; the drivers' readers end.
func (d *serialDevices) Close() error {
	return errors.Join(d.scanPort.Close(), d.printPort.Close())
}
