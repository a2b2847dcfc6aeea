package serialport

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.bug.st/serial"
)

// ErrConfig is wrapped by every Config.Validate error.
var ErrConfig = errors.New("serialport: invalid config")

// DefaultBaud is the rate used when Config.Baud is 0.
const DefaultBaud = 9600

// Baud rates Validate accepts: the standard rates the kiosk's devices
// offer. Anything else is far more likely a typo than a device.
var bauds = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600}

// Parity is a serial line's parity setting. The zero value is NoParity.
type Parity int

// Parity settings.
const (
	NoParity   Parity = 0
	OddParity  Parity = 1
	EvenParity Parity = 2
)

// String returns the letter used in "8N1": N, O or E.
func (p Parity) String() string {
	switch p {
	case NoParity:
		return "N"
	case OddParity:
		return "O"
	case EvenParity:
		return "E"
	}
	return "Parity(" + strconv.Itoa(int(p)) + ")"
}

// StopBits is the number of stop bits, 1 or 2; 0 means 1.
type StopBits int

// Stop bit settings.
const (
	OneStopBit  StopBits = 1
	TwoStopBits StopBits = 2
)

// String returns "1" or "2".
func (s StopBits) String() string {
	if s == 0 {
		s = OneStopBit
	}
	return strconv.Itoa(int(s))
}

// Config says which device to open and how. Zero fields take the
// defaults: 9600 baud, 8 data bits, no parity, 1 stop bit (9600 8N1), no
// read timeout. The ZVT payment terminal needs StopBits: TwoStopBits.
type Config struct {
	// Path is the device, one of the appliance's udev symlinks such as
	// /dev/selvkasse-scanner (see the package documentation).
	Path     string
	Baud     int      // bits per second; 0 means DefaultBaud
	DataBits int      // 5 to 8; 0 means 8
	Parity   Parity   // zero is NoParity
	StopBits StopBits // 1 or 2; 0 means 1

	// ReadTimeout is the longest Read waits for the first byte: after
	// that it returns an error satisfying os.ErrDeadlineExceeded. 0
	// means Read waits until a byte arrives (or the device goes away, or
	// Close). A line-framing driver that reads synchronously sets it to
	// its inter-byte gap.
	ReadTimeout time.Duration
}

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	if c.Baud == 0 {
		c.Baud = DefaultBaud
	}
	if c.DataBits == 0 {
		c.DataBits = 8
	}
	if c.StopBits == 0 {
		c.StopBits = OneStopBit
	}
	return c
}

// String describes c as path and line settings, such as
// "/dev/selvkasse-terminal 9600 8N2", defaults filled in.
func (c Config) String() string {
	d := c.withDefaults()
	return fmt.Sprintf("%s %d %d%v%v", d.Path, d.Baud, d.DataBits, d.Parity, d.StopBits)
}

// Validate reports the first thing wrong with c, wrapping ErrConfig. Zero
// fields are valid: they take the defaults.
func (c Config) Validate() error {
	d := c.withDefaults()
	switch {
	case strings.TrimSpace(c.Path) == "":
		return fmt.Errorf("%w: no device path (want e.g. /dev/selvkasse-scanner)", ErrConfig)
	case strings.ContainsRune(c.Path, 0):
		return fmt.Errorf("%w: device path %q contains a NUL byte", ErrConfig, c.Path)
	case !slices.Contains(bauds, d.Baud):
		return fmt.Errorf("%w: %s: baud rate %d is not one of %v", ErrConfig, c.Path, c.Baud, bauds)
	case d.DataBits < 5 || d.DataBits > 8:
		return fmt.Errorf("%w: %s: %d data bits, want 5 to 8", ErrConfig, c.Path, c.DataBits)
	case c.Parity != NoParity && c.Parity != OddParity && c.Parity != EvenParity:
		return fmt.Errorf("%w: %s: unknown parity %d, want NoParity, OddParity or EvenParity", ErrConfig, c.Path, int(c.Parity))
	case d.StopBits != OneStopBit && d.StopBits != TwoStopBits:
		return fmt.Errorf("%w: %s: %d stop bits, want 1 or 2", ErrConfig, c.Path, int(c.StopBits))
	case c.ReadTimeout < 0:
		return fmt.Errorf("%w: %s: negative read timeout %v (0 means wait for data)", ErrConfig, c.Path, c.ReadTimeout)
	}
	return nil
}

// mode is the serial library's view of c, which must be valid.
func (c Config) mode() *serial.Mode {
	d := c.withDefaults()
	m := &serial.Mode{BaudRate: d.Baud, DataBits: d.DataBits, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	switch d.Parity {
	case OddParity:
		m.Parity = serial.OddParity
	case EvenParity:
		m.Parity = serial.EvenParity
	}
	if d.StopBits == TwoStopBits {
		m.StopBits = serial.TwoStopBits
	}
	return m
}

// timeout is the serial library's read timeout for c: serial.NoTimeout
// for 0.
func (c Config) timeout() time.Duration {
	if c.ReadTimeout == 0 {
		return serial.NoTimeout
	}
	return c.ReadTimeout
}
