package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/gpiocab"
	"selvkasse/devices/sim"
	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// promptWriter collects output and calls onPrompt once when it sees the
// scan prompt.
type promptWriter struct {
	mu       sync.Mutex
	b        strings.Builder
	onPrompt func()
}

func (w *promptWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.b.Write(p)
	fire := w.onPrompt != nil && strings.Contains(w.b.String(), "scan any barcode")
	f := w.onPrompt
	if fire {
		w.onPrompt = nil
	}
	w.mu.Unlock()
	if fire {
		f()
	}
	return len(p), nil
}

func (w *promptWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func mustCheckConfig(t *testing.T, scanner, printer string) string {
	t.Helper()
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: t.TempDir()}
	cfg.Devices.Scanner.Path = scanner
	cfg.Devices.Printer.Path = printer
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDevicesCheck: a technician's check of the scanner (with a test
// scan) and the printer (with a test receipt), on the simulators.
func TestDevicesCheck(t *testing.T) {
	dir := t.TempDir()
	sl, err := sim.NewScannerLine(filepath.Join(dir, "selvkasse-scanner"), sim.ScannerOptions{Terminator: "\r\n", AIM: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	pl, err := sim.NewPrinterLine(filepath.Join(dir, "selvkasse-printer"), escpos.Columns42, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	cfg := mustCheckConfig(t, sl.Path(), pl.Path())

	out := &promptWriter{onPrompt: func() {
		if err := sl.Scan("7039990000113"); err != nil {
			t.Error(err)
		}
	}}
	if err := devicesCmd([]string{"check", "--config", cfg, "--scan", "10s"}, out, out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{`ok: read "7039990000113" (]E0)`, "ok: ready; test receipt printed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	t.Logf("devices check:\n%s", out)
	r, ok := pl.LastReceipt()
	if !ok || !strings.Contains(r.Text, "Æ Ø Å æ ø å €") || !strings.Contains(r.Text, "[QR ") ||
		!strings.Contains(r.Text, "[BARCODE TEST-1234]") || r.Image == nil {
		t.Errorf("test receipt %q", r.Text)
	}

	pl.SetPaper(sim.PaperOut)
	sl.Unplug()
	var plain strings.Builder
	err = devicesCmd([]string{"check", "--config", cfg}, &plain, &plain)
	if err == nil || !strings.Contains(err.Error(), "2 device(s) not usable") {
		t.Errorf("check with paper out and no scanner = %v", err)
	}
	for _, want := range []string{"PROBLEM: not found: is it plugged in", "PROBLEM: paper out"} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, plain.String())
		}
	}
	t.Logf("devices check with faults:\n%s", plain.String())
	if st := pl.State(); st.Printed != 1 {
		t.Errorf("printed %d, want only the first test receipt", st.Printed)
	}
}

// mustTerminalSim serves a ZVT terminal simulator on a loopback socket.
func mustTerminalSim(t *testing.T) (*zvtsim.Sim, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.ServeListener(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return s, ln.Addr().String()
}

// mustPaidAtTerminal is a configuration whose card terminal is an
// approving simulator on TCP at which amounts were paid, one payment
// each, authorized and confirmed; the terminal is closed again.
func mustPaidAtTerminal(t *testing.T, amounts ...kiosk.Money) Config {
	t.Helper()
	s, addr := mustTerminalSim(t)
	s.SetDecision(zvtsim.Approve)
	ctx := t.Context()
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: t.TempDir()}
	cfg.Devices.Terminal.Addr = addr
	term, err := openTerminal(ctx, cfg.Devices.Terminal, kiosk.SystemClock{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	for i, amt := range amounts {
		req := kiosk.PaymentRequest{SaleID: string(rune('a' + i)), Attempt: 1, Amount: amt}
		if res, err := term.Authorize(ctx, req); err != nil || !res.Approved {
			t.Fatalf("pay: %+v %v", res, err)
		}
		if err := term.Confirm(ctx, req, true); err != nil {
			t.Fatal(err)
		}
	}
	return cfg
}

// TestDevicesCheckTerminal: the check registers with the terminal and asks
// its status; a terminal that is not there is a plain-words problem.
func TestDevicesCheckTerminal(t *testing.T) {
	_, addr := mustTerminalSim(t)
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: t.TempDir()}
	cfg.Devices.Terminal.Addr = addr
	c := checker{out: &strings.Builder{}, cfg: cfg}
	c.terminal(t.Context())
	out := c.out.(*strings.Builder).String()
	if c.failed != 0 || !strings.Contains(out, "ok: registered; terminal id "+zvtsim.TerminalID) {
		t.Errorf("check: %s", out)
	}
	cfg.Devices.Terminal.Addr = "127.0.0.1:1" // nobody listens
	c = checker{out: &strings.Builder{}, cfg: cfg}
	c.terminal(t.Context())
	if out := c.out.(*strings.Builder).String(); c.failed != 1 || !strings.Contains(out, "PROBLEM") {
		t.Errorf("check of a missing terminal: %s", out)
	}
}

// TestEndOfDayJournaled: End of Day's totals reach the journal.
func TestEndOfDayJournaled(t *testing.T) {
	ctx := t.Context()
	cfg := mustPaidAtTerminal(t, 4990)
	store := kiosktest.NewStore()
	var out strings.Builder
	if err := endOfDay(ctx, cfg, store, kiosk.SystemClock{}, &out); err != nil {
		t.Fatal(err)
	}
	recs := store.Records()
	if len(recs) != 1 || recs[0].Subtype != kiosk.SubTerminalEndOfDay || recs[0].Amount != 4990 || recs[0].Data["count"] != "1" {
		t.Errorf("journal %+v\n%s", recs, out.String())
	}
}

// fakeCabinet is the cabinet the check drives in tests: the kiosktest
// fakes of the lock and the tower light, and a key switch.
type fakeCabinet struct {
	*kiosktest.CabinetLock
	light  *kiosktest.TowerLight // nil: none wired
	keys   gpiocab.KeyState
	keyErr error
	closed bool
}

func (f *fakeCabinet) Keys(context.Context) (gpiocab.KeyState, error) { return f.keys, f.keyErr }
func (f *fakeCabinet) Close() error                                   { f.closed = true; return nil }
func (f *fakeCabinet) Light() kiosk.TowerLight {
	if f.light == nil {
		return nil
	}
	return f.light
}

// checkCabinet runs the cabinet check on cab, wired as gcfg says, with a
// fake clock that moves on whenever the check waits.
func checkCabinet(t *testing.T, gcfg GPIOConfig, cab *fakeCabinet, openErr error) (string, int) {
	t.Helper()
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: t.TempDir()}
	cfg.Devices.Cabinet = gcfg
	clk := kiosktest.NewClock(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(t.Context())
	advanced := make(chan struct{})
	go func() {
		defer close(advanced)
		for clk.WaitTimers(ctx, 1) == nil {
			clk.Advance(time.Second)
		}
	}()
	var out strings.Builder
	c := checker{out: &out, cfg: cfg, clk: clk, openCabinet: func(g gpiocab.Config) (checkedCabinet, error) {
		if len(g.Compartments) != 3 {
			t.Errorf("the check opened %d compartments, want the config's 3", len(g.Compartments))
		}
		if openErr != nil {
			return nil, openErr
		}
		return cab, nil
	}}
	c.cabinet(ctx)
	cancel()
	<-advanced
	t.Logf("devices check of the cabinet:\n%s", out.String())
	return out.String(), c.failed
}

func newFakeCabinet() *fakeCabinet {
	f := &fakeCabinet{CabinetLock: kiosktest.NewCabinetLock(nil), light: kiosktest.NewTowerLight()}
	f.SetCompartments(3)
	return f
}

// threeOnTheReference is a cabinet config of three compartments on the
// reference wiring.
var threeOnTheReference = GPIOConfig{Chip: "gpiochip0", Compartments: make([]GPIOCompartment, 3)}

// TestDevicesCheckCabinet: each compartment's lock is pulsed (unlock, then
// lock) and its door read, the key switch read, each tower lamp lit and
// the buzzer chimed, with the results in plain words.
func TestDevicesCheckCabinet(t *testing.T) {
	cab := newFakeCabinet()
	out, failed := checkCabinet(t, threeOnTheReference, cab, nil)
	if failed != 0 {
		t.Errorf("%d problems on a sound cabinet", failed)
	}
	for _, want := range []string{
		"ok: compartment 1: lock opened and locked again, the bolt contact saw it move; door closed",
		"ok: compartment 3: lock opened and locked again",
		"ok: key switch at rest (approve line 22)",
		"ok: tower light: lit green, then yellow, then red, and chimed the buzzer: check that you saw each lamp and heard the buzzer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	var ops []string
	for _, e := range cab.Log() {
		ops = append(ops, fmt.Sprintf("%v %v", e.Op, e.Compartments))
	}
	if want := "[unlock [1] lock [] unlock [2] lock [] unlock [3] lock []]"; fmt.Sprint(ops) != want {
		t.Errorf("cabinet log %v, want %s", ops, want)
	}
	var shown []string
	for _, s := range cab.light.Signals() {
		shown = append(shown, s.Light.String())
	}
	if fmt.Sprint(shown) != "[green yellow red off]" || cab.light.Chimes() != 1 {
		t.Errorf("the tower showed %v and chimed %d times", shown, cab.light.Chimes())
	}
	if !cab.closed || !cab.Locked() {
		t.Errorf("after the check: closed %v, locked %v", cab.closed, cab.Locked())
	}
}

// TestDevicesCheckCabinetProblems: each fault is a problem in plain words.
func TestDevicesCheckCabinetProblems(t *testing.T) {
	for _, c := range []struct {
		name    string
		gcfg    GPIOConfig
		mod     func(*fakeCabinet)
		openErr error
		want    []string
		failed  int
	}{
		{"NotConfigured", GPIOConfig{}, nil, nil, []string{"cabinet  (not configured)"}, 0},
		{"NoChip", threeOnTheReference, nil, fmt.Errorf("gpiocab: open: %w", fs.ErrNotExist), []string{"PROBLEM: GPIO chip not found"}, 1},
		{"KioskRunning", threeOnTheReference, nil, fmt.Errorf("gpiocab: open: %w", syscall.EBUSY), []string{"PROBLEM: a cabinet line is in use: is the kiosk running?"}, 1},
		{"BadWiring", GPIOConfig{Chip: "gpiochip0", Compartments: make([]GPIOCompartment, 4)}, nil, nil,
			[]string{"PROBLEM: bad configuration: devices.cabinet.compartments[3].lock_line"}, 1},
		{"Jammed", threeOnTheReference, func(f *fakeCabinet) { f.SetFault(kiosk.ErrLockFault) }, nil,
			[]string{"PROBLEM: compartment 1: the bolt did not move (lock line 17, bolt contact line 25)", "PROBLEM: compartment 3: the bolt did not move"}, 3},
		{"DoorOpen", threeOnTheReference, func(f *fakeCabinet) { f.SetDoor(2, true) }, nil,
			[]string{"ok: compartment 1:", "PROBLEM: compartment 2: lock opened and locked again, the bolt contact saw it move; the door reads open (line 16)"}, 1},
		{"KeyHeld", threeOnTheReference, func(f *fakeCabinet) { f.keys.Refuse = true }, nil,
			[]string{"PROBLEM: key switch reads turned to refuse (line 23)"}, 1},
		{"KeyGone", threeOnTheReference, func(f *fakeCabinet) { f.keyErr = fmt.Errorf("gpiocab: keys: %w", kiosk.ErrDeviceUnavailable) }, nil,
			[]string{"PROBLEM: key switch (line 22) cannot be read"}, 1},
		{"TowerGone", threeOnTheReference, func(f *fakeCabinet) { f.light.SetFault(errors.New("cable cut")) }, nil,
			[]string{"PROBLEM: tower light: the green lamp (line 5) cannot be lit"}, 1},
		{"NoTowerNoKeyNoBoltContact", GPIOConfig{Chip: "gpiochip0", KeyLine: intp(-1), GreenLine: intp(-1), YellowLine: intp(-1), RedLine: intp(-1), BuzzerLine: intp(-1),
			Compartments: []GPIOCompartment{{FeedbackLine: intp(-1)}, {}, {}}}, func(f *fakeCabinet) { f.light = nil }, nil,
			[]string{"ok: compartment 1: lock pulsed (no bolt contact fitted: listen for the click); door closed", "key switch: not fitted", "tower light: not fitted"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			cab := newFakeCabinet()
			if c.mod != nil {
				c.mod(cab)
			}
			var out string
			var failed int
			if c.gcfg.Chip == "" {
				var b strings.Builder
				ch := checker{out: &b, cfg: Config{}}
				ch.cabinet(t.Context())
				out, failed = b.String(), ch.failed
			} else {
				out, failed = checkCabinet(t, c.gcfg, cab, c.openErr)
			}
			if failed != c.failed {
				t.Errorf("%d problems, want %d", failed, c.failed)
			}
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if !cab.Locked() {
				t.Errorf("the check left compartments %v unlocked", cab.Unlocked())
			}
		})
	}
}

func intp(n int) *int { return &n }
