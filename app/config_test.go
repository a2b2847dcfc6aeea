package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"selvkasse/devices/gpiocab"
	"selvkasse/devices/scanner"
	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/devices/zvt"
)

func mustConfigFile(tb testing.TB, body string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestConfigDevices reads the devices section as the README shows it.
func TestConfigDevices(t *testing.T) {
	c, err := LoadConfig(mustConfigFile(t, `{
  "kiosk_id": "K1", "data_dir": "/var/lib/selvkasse/data",
  "shop": {"name": "Tobakk", "org_no": "999 999 999", "address": "Storgata 1"},
  "devices": {
    "scanner": {"path": "/dev/selvkasse-scanner", "baud": 9600, "staff_prefix": "STAFF-",
                "in_store": [{"prefix": "23", "item_digits": 4, "value_check": true, "value_digits": 5, "value": "price"}]},
    "printer": {"path": "/dev/selvkasse-printer", "baud": 38400, "columns": 42},
    "terminal": {"path": "/dev/selvkasse-terminal", "mode": "8N2"}
  }
}`))
	if err != nil {
		t.Fatal(err)
	}
	d := c.Devices
	want := scanner.InStoreLayout{Prefix: "23", ItemDigits: 4, ValueCheck: true, ValueDigits: 5, Value: scanner.ValuePrice}
	if d.Scanner.Path != "/dev/selvkasse-scanner" || d.Scanner.StaffPrefix != "STAFF-" || len(d.Scanner.InStore) != 1 || d.Scanner.InStore[0] != want {
		t.Errorf("scanner %+v", d.Scanner)
	}
	if _, gap, err := d.Scanner.driver(); err != nil || gap != DefaultScanGap {
		t.Errorf("scanner driver config: gap %v, %v", gap, err)
	}
	if d.Printer.Columns != 42 || d.Printer.Baud != 38400 {
		t.Errorf("printer %+v", d.Printer)
	}
	sc, err := d.Terminal.serial(9600)
	if err != nil || sc.StopBits != serialport.TwoStopBits || sc.Baud != 9600 || sc.DataBits != 8 {
		t.Errorf("terminal line %+v, %v", sc, err)
	}
}

func TestConfigBadSerial(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"mode", `{"path": "/dev/x", "mode": "9X3"}`, "8N1"},
		{"baud", `{"path": "/dev/x", "baud": 1234}`, "baud"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "S", "org_no": "1"},
				"devices": {"printer": `+c.body+`}}`)
			cfg, err := LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfg.Devices.Printer.serial(DefaultPrinterBaud)
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want ErrBadConfig mentioning %q", err, c.want)
			}
		})
	}
	if _, err := LoadConfig(mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "S", "org_no": "1"},
		"devices": {"scanner": {"in_store": [{"prefix": "23", "value": "colour"}]}}}`)); err == nil || !strings.Contains(err.Error(), "price or weight") {
		t.Errorf("bad value kind: %v", err)
	}
}

// TestCabinetWiring: the config's lines override the reference wiring;
// -1 takes a line out; compartments beyond the reference must name their
// lines.
func TestCabinetWiring(t *testing.T) {
	line := func(n int) *int { return &n }
	for _, c := range []struct {
		name  string
		cfg   GPIOConfig
		check func(t *testing.T, g gpiocab.Config)
		err   string // in the error; "" for none
	}{
		{"Defaults", GPIOConfig{}, func(t *testing.T, g gpiocab.Config) {
			def := gpiocab.DefaultConfig()
			if g.Chip != "gpiochip0" || g.Key == nil || len(g.Compartments) != 1 || g.Compartments[0].Lock != def.Compartments[0].Lock {
				t.Errorf("defaults %+v", g)
			}
			if g.Green == nil || g.Yellow == nil || g.Red == nil || g.Buzzer == nil || *g.Buzzer != *def.Buzzer {
				t.Errorf("tower %+v %+v %+v %+v, want the reference lines", g.Green, g.Yellow, g.Red, g.Buzzer)
			}
		}, ""},
		{"CompartmentOne", GPIOConfig{Chip: "gpiochip4", KeyLine: line(-1),
			Compartments: []GPIOCompartment{{LockLine: line(5), DoorLine: line(6), FeedbackLine: line(12)}},
			GreenLine:    line(7), YellowLine: line(8), RedLine: line(9), BuzzerLine: line(-1)},
			func(t *testing.T, g gpiocab.Config) {
				cp := g.Compartments[0]
				if g.Chip != "gpiochip4" || cp.Lock.Offset != 5 || cp.Door.Offset != 6 || !cp.Door.PullUp || g.Key != nil || g.Refuse != nil {
					t.Errorf("wiring %+v", g)
				}
				if cp.Feedback == nil || cp.Feedback.Offset != 12 || !cp.Feedback.ActiveLow {
					t.Errorf("feedback %+v: the reference pin's polarity with the new offset", cp.Feedback)
				}
				if g.Green.Offset != 7 || g.Yellow.Offset != 8 || g.Red.Offset != 9 || g.Buzzer != nil {
					t.Errorf("tower %v %v %v %v", g.Green, g.Yellow, g.Red, g.Buzzer)
				}
			}, ""},
		{"ThreeOnTheReference", GPIOConfig{Compartments: make([]GPIOCompartment, 3)}, func(t *testing.T, g gpiocab.Config) {
			if !reflect.DeepEqual(g.Compartments, gpiocab.ReferenceCompartments()) {
				t.Errorf("compartments %+v, want the reference", g.Compartments)
			}
		}, ""},
		{"NoBoltContact", GPIOConfig{Compartments: []GPIOCompartment{{}, {FeedbackLine: line(-1)}}}, func(t *testing.T, g gpiocab.Config) {
			if g.Compartments[0].Feedback == nil || g.Compartments[1].Feedback != nil {
				t.Errorf("feedback %v, %v", g.Compartments[0].Feedback, g.Compartments[1].Feedback)
			}
		}, ""},
		{"FourthNamed", GPIOConfig{Compartments: []GPIOCompartment{{}, {}, {}, {LockLine: line(40), DoorLine: line(41), FeedbackLine: line(42)}}},
			func(t *testing.T, g gpiocab.Config) {
				cp := g.Compartments[3]
				if cp.Lock.Offset != 40 || cp.Door.Offset != 41 || !cp.Door.PullUp || cp.Feedback == nil || !cp.Feedback.ActiveLow {
					t.Errorf("compartment 4 %+v", cp)
				}
			}, ""},
		{"FourthUnnamed", GPIOConfig{Compartments: make([]GPIOCompartment, 4)}, nil, "compartments[3].lock_line"},
		{"NoLock", GPIOConfig{Compartments: []GPIOCompartment{{LockLine: line(-1)}}}, nil, "compartments[0].lock_line"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := c.cfg.gpiocab()
			if c.err != "" {
				if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.err) {
					t.Errorf("gpiocab() = %v, want ErrBadConfig naming %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, g)
			if err := g.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOldCabinetKeys: a config from before compartments is refused with
// the new place of its lines, never read as the reference wiring.
func TestOldCabinetKeys(t *testing.T) {
	path := mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "S", "org_no": "1"},
		"devices": {"cabinet": {"chip": "gpiochip0", "lock_line": 17, "door_line": 27}}}`)
	_, err := LoadConfig(path)
	if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "devices.cabinet.door_line is now devices.cabinet.compartments[0].door_line") {
		t.Errorf("LoadConfig = %v", err)
	}
	path = mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "S", "org_no": "1"},
		"devices": {"cabinet": {"chip": "gpiochip0", "compartments": [{"lock_line": 17}, {}], "buzzer_line": -1}}}`)
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if g, err := cfg.Devices.Cabinet.gpiocab(); err != nil || len(g.Compartments) != 2 || g.Buzzer != nil {
		t.Errorf("gpiocab() = %+v, %v", g, err)
	}
}

// TestRunWiresTheDevices: `run` opens the serial devices and registers
// with the terminal, and stops with a plain reason when the cabinet's
// GPIO chip is not there (as on this machine).
func TestRunWiresTheDevices(t *testing.T) {
	mustFakeXDisplay(t) // run asks for a display first
	dir := t.TempDir()
	sl, err := sim.NewScannerLine(filepath.Join(dir, "scanner"), sim.ScannerOptions{Terminator: "\r"})
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	pl, err := sim.NewPrinterLine(filepath.Join(dir, "printer"), 42, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	s, addr := mustTerminalSim(t)
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: filepath.Join(dir, "data")}
	mustDemoStaff(t, cfg.DataDir) // run refuses a register without a supervisor
	cfg.Devices.Scanner.Path, cfg.Devices.Printer.Path, cfg.Devices.Terminal.Addr = sl.Path(), pl.Path(), addr
	cfg.Devices.Cabinet.Chip = "/nonexistent/gpiochip9"
	b, _ := json.Marshal(cfg)
	path := mustConfigFile(t, string(b))
	var out strings.Builder
	err = runCmd([]string{"--config", path}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "cabinet") || !strings.Contains(err.Error(), "gpiochip9") {
		t.Fatalf("run = %v", err)
	}
	registered := false
	for _, a := range s.Received() {
		if a.Cmd == zvt.CmdRegistration {
			registered = true
		}
	}
	if !registered {
		t.Error("run did not register with the terminal")
	}
	cfg.Devices.Terminal.Addr = ""
	b, _ = json.Marshal(cfg)
	if err := runCmd([]string{"--config", mustConfigFile(t, string(b))}, &out, &out); !errors.Is(err, ErrBadConfig) {
		t.Errorf("run without a terminal = %v", err)
	}
}
