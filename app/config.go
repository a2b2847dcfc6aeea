package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
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

	Speech  SpeechConfig      `json:"speech"`           // speaking to the customer (app/speech.go)
	Sound   SoundConfig       `json:"sound"`            // the tones and their volume
	Stock   StockConfig       `json:"stock,omitzero"`   // the stock-out outlook (stockcmd.go)
	Catalog CatalogFileConfig `json:"catalog,omitzero"` // the wholesaler's file (catalogcmd.go)
	Keypad  KeypadConfig      `json:"keypad"`           // the customer's keys (app/speechkeys.go)
	Screen  ScreenConfig      `json:"screen"`           // the customer touchscreen (screenconfig.go)
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

// GPIOConfig is the cabinet on a GPIO chip: each compartment's lock,
// door sensor and bolt contact, the staff key switch, the lamp at the
// counter and the intervention light (a signal tower). Lines not given
// take the reference wiring of devices/gpiocab (DefaultConfig,
// ReferenceCompartments); a line set to -1 is not fitted.
type GPIOConfig struct {
	Chip string `json:"chip"` // e.g. gpiochip0
	// Compartments are the cabinet's compartments, compartment 1 first;
	// none given is one compartment on the reference wiring.
	Compartments []GPIOCompartment `json:"compartments,omitempty"`
	KeyLine      *int              `json:"key_line,omitempty"`    // staff key: approve
	RefuseLine   *int              `json:"refuse_line,omitempty"` // staff key: refuse
	LampLine     *int              `json:"lamp_line,omitempty"`   // lamp at the counter
	// The intervention light's lamps and buzzer.
	GreenLine  *int   `json:"green_line,omitempty"`
	YellowLine *int   `json:"yellow_line,omitempty"`
	RedLine    *int   `json:"red_line,omitempty"`
	BuzzerLine *int   `json:"buzzer_line,omitempty"`
	FailSafe   bool   `json:"fail_safe,omitempty"` // maglocks (open without power)
	Staff      string `json:"staff,omitempty"`     // who the key answers as
}

// GPIOCompartment is one compartment's lines. A compartment beyond the
// reference wiring's (gpiocab.ReferenceCompartments) must name its lock
// and door lines.
type GPIOCompartment struct {
	LockLine     *int `json:"lock_line,omitempty"`
	DoorLine     *int `json:"door_line,omitempty"`
	FeedbackLine *int `json:"feedback_line,omitempty"` // the lock's bolt contact; -1: none
}

// gpiocab is the cabinet's wiring as devices/gpiocab takes it. Errors
// (ErrBadConfig): a compartment whose lock or door line is neither given
// nor in the reference wiring, or is -1.
func (c GPIOConfig) gpiocab() (gpiocab.Config, error) {
	g := gpiocab.DefaultConfig()
	if c.Chip != "" {
		g.Chip = c.Chip
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
	if len(c.Compartments) > 0 {
		ref := gpiocab.ReferenceCompartments()
		g.Compartments = make([]gpiocab.Compartment, len(c.Compartments))
		for i, cc := range c.Compartments {
			var cp gpiocab.Compartment
			known := i < len(ref)
			if known {
				cp = ref[i]
			} else {
				// The reference polarity and pull-ups, on lines the
				// config names.
				cp = gpiocab.Compartment{Lock: ref[0].Lock, Door: ref[0].Door}
			}
			for _, l := range []struct {
				name string
				line *int
				pin  *gpiocab.Pin
			}{{"lock_line", cc.LockLine, &cp.Lock}, {"door_line", cc.DoorLine, &cp.Door}} {
				switch {
				case l.line != nil && *l.line < 0:
					return g, fmt.Errorf("%w: devices.cabinet.compartments[%d].%s: every compartment needs one", ErrBadConfig, i, l.name)
				case l.line != nil:
					l.pin.Offset = *l.line
				case !known:
					return g, fmt.Errorf("%w: devices.cabinet.compartments[%d].%s: compartment %d is beyond the reference wiring: name its line",
						ErrBadConfig, i, l.name, i+1)
				}
			}
			if !known && cc.FeedbackLine != nil && *cc.FeedbackLine >= 0 {
				cp.Feedback = &gpiocab.Pin{Offset: *cc.FeedbackLine, ActiveLow: ref[0].Feedback.ActiveLow, PullUp: ref[0].Feedback.PullUp}
			} else {
				opt(cc.FeedbackLine, &cp.Feedback)
			}
			g.Compartments[i] = cp
		}
	}
	opt(c.KeyLine, &g.Key)
	opt(c.RefuseLine, &g.Refuse)
	opt(c.LampLine, &g.Lamp)
	opt(c.GreenLine, &g.Green)
	opt(c.YellowLine, &g.Yellow)
	opt(c.RedLine, &g.Red)
	opt(c.BuzzerLine, &g.Buzzer)
	g.FailSafe = c.FailSafe
	if c.Staff != "" {
		g.Staff = c.Staff
	}
	if g.Key == nil {
		g.Refuse = nil
	}
	return g, nil
}

// oldCabinetKeys are the cabinet keys of configs from before compartments:
// refused with a pointer to the new place, never silently ignored (the
// kiosk would drive the reference lines instead).
var oldCabinetKeys = map[string]string{
	"lock_line": "compartments[0].lock_line", "door_line": "compartments[0].door_line",
	"feedback_line": "compartments[0].feedback_line",
}

// checkCabinetKeys refuses the old cabinet keys in the config file b.
func checkCabinetKeys(path string, b []byte) error {
	var raw struct {
		Devices struct {
			Cabinet map[string]json.RawMessage `json:"cabinet"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil // reported by the real decoding
	}
	for _, k := range slices.Sorted(maps.Keys(raw.Devices.Cabinet)) {
		if now, ok := oldCabinetKeys[k]; ok {
			return fmt.Errorf("%w: %s: devices.cabinet.%s is now devices.cabinet.%s (the cabinet has compartments)", ErrBadConfig, path, k, now)
		}
	}
	return nil
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
	if err := checkCabinetKeys(path, b); err != nil {
		return c, err
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
	if err := c.checkSpeech(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := keyMapFor(c.Keypad.Keys); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
