package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
// -1 takes a line out.
func TestCabinetWiring(t *testing.T) {
	line := func(n int) *int { return &n }
	g := GPIOConfig{Chip: "gpiochip4", LockLine: line(5), DoorLine: line(6), KeyLine: line(-1), FeedbackLine: line(12)}.gpiocab()
	if g.Chip != "gpiochip4" || g.Lock.Offset != 5 || g.Door.Offset != 6 || g.Key != nil || g.Refuse != nil {
		t.Errorf("wiring %+v", g)
	}
	if g.Feedback == nil || g.Feedback.Offset != 12 || !g.Feedback.ActiveLow {
		t.Errorf("feedback %+v: the reference pin's polarity with the new offset", g.Feedback)
	}
	if err := g.Validate(); err != nil {
		t.Error(err)
	}
	if def := (GPIOConfig{}).gpiocab(); def.Chip != "gpiochip0" || def.Key == nil {
		t.Errorf("defaults %+v", def)
	}
}

// TestRunWiresTheDevices: `run` opens the serial devices and registers
// with the terminal, and stops with a plain reason when the cabinet's
// GPIO chip is not there (as on this machine).
func TestRunWiresTheDevices(t *testing.T) {
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
