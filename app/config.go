package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"selvkasse/devices/gpiocab"
	"selvkasse/devices/scanner"
	"selvkasse/kiosk"
)

// Config is the kiosk's configuration file (JSON), read by `selvkasse run`.
type Config struct {
	KioskID string     `json:"kiosk_id"`
	Shop    kiosk.Shop `json:"shop"`
	DataDir string     `json:"data_dir"`
	Health  string     `json:"health"` // loopback address of /healthz
	Lang    string     `json:"lang"`   // "nb" or "en"

	IdleWarn    Duration `json:"idle_warn"`
	IdleTimeout Duration `json:"idle_timeout"`

	Devices DevicesConfig `json:"devices"`
}

// DevicesConfig names the real devices.
type DevicesConfig struct {
	Scanner  ScannerConfig `json:"scanner"`
	Printer  PrinterConfig `json:"printer"`
	Terminal SerialConfig  `json:"terminal"` // or TCP: set Addr
	Cabinet  GPIOConfig    `json:"cabinet"`
}

// SerialConfig is one serial device.
type SerialConfig struct {
	Path string `json:"path"`           // e.g. /dev/selvkasse-scanner (udev symlink)
	Baud int    `json:"baud,omitempty"` // 0: the device's default
	Mode string `json:"mode,omitempty"` // data bits, parity, stop bits: "8N1" (default), "8N2", "7E1"
	Addr string `json:"addr,omitempty"` // host:port for a terminal on TCP
}

// ScannerConfig is the barcode scanner: its line and how its codes read.
type ScannerConfig struct {
	SerialConfig
	// StaffPrefix marks staff badges (Code 128), e.g. "STAFF-".
	StaffPrefix string `json:"staff_prefix,omitempty"`
	// InStore are the shop's price and weight codes (prefixes 20–29).
	InStore []scanner.InStoreLayout `json:"in_store,omitempty"`
	// Gap ends a code sent without a terminator (default 50ms).
	Gap Duration `json:"gap,omitempty"`
}

// PrinterConfig is the ESC/POS receipt printer.
type PrinterConfig struct {
	SerialConfig
	// Columns is characters per line: 42 (80 mm, default), 48, 56 (font
	// B) or 32 (58 mm).
	Columns int `json:"columns,omitempty"`
}

// GPIOConfig is the cabinet's lock, door sensor and staff key switch on
// a GPIO chip. Lines not given take the reference wiring of
// devices/gpiocab (DefaultConfig); a line set to -1 is not fitted.
type GPIOConfig struct {
	Chip         string `json:"chip"` // e.g. gpiochip0
	LockLine     *int   `json:"lock_line,omitempty"`
	DoorLine     *int   `json:"door_line,omitempty"`
	FeedbackLine *int   `json:"feedback_line,omitempty"` // the lock's bolt contact
	KeyLine      *int   `json:"key_line,omitempty"`      // staff key: approve
	RefuseLine   *int   `json:"refuse_line,omitempty"`   // staff key: refuse
	LampLine     *int   `json:"lamp_line,omitempty"`     // lamp at the counter
	FailSafe     bool   `json:"fail_safe,omitempty"`     // a maglock (opens without power)
	Staff        string `json:"staff,omitempty"`         // who the key answers as
}

// gpiocab is the cabinet's wiring as devices/gpiocab takes it.
func (c GPIOConfig) gpiocab() gpiocab.Config {
	g := gpiocab.DefaultConfig()
	if c.Chip != "" {
		g.Chip = c.Chip
	}
	set := func(line *int, pin *gpiocab.Pin) {
		if line != nil {
			pin.Offset = *line
		}
	}
	opt := func(line *int, pin **gpiocab.Pin) {
		switch {
		case line == nil:
		case *line < 0:
			*pin = nil
		case *pin == nil:
			*pin = &gpiocab.Pin{Offset: *line}
		default:
			p := **pin
			p.Offset = *line
			*pin = &p
		}
	}
	set(c.LockLine, &g.Lock)
	set(c.DoorLine, &g.Door)
	opt(c.FeedbackLine, &g.Feedback)
	opt(c.KeyLine, &g.Key)
	opt(c.RefuseLine, &g.Refuse)
	opt(c.LampLine, &g.Lamp)
	g.FailSafe = c.FailSafe
	if c.Staff != "" {
		g.Staff = c.Staff
	}
	if g.Key == nil {
		g.Refuse = nil
	}
	return g
}

// Duration is a time.Duration written as "60s" in JSON.
type Duration time.Duration

// UnmarshalJSON reads "60s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"60s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes "60s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// ErrBadConfig is returned for a configuration file that cannot be used.
var ErrBadConfig = errors.New("bad configuration")

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (Config, error) {
	var c Config
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("%w: %v", ErrBadConfig, err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%w: %s: %v", ErrBadConfig, path, err)
	}
	var missing []string
	if c.KioskID == "" {
		missing = append(missing, "kiosk_id")
	}
	if c.Shop.Name == "" || c.Shop.OrgNo == "" {
		missing = append(missing, "shop.name and shop.org_no (printed on every receipt)")
	}
	if c.DataDir == "" {
		missing = append(missing, "data_dir")
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("%w: %s: missing %v", ErrBadConfig, path, missing)
	}
	if c.Health == "" {
		c.Health = DefaultHealthAddr
	}
	return c, nil
}
