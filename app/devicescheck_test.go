package app

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"selvkasse/devices/escpos"
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
	s, addr := mustTerminalSim(t)
	s.SetDecision(zvtsim.Approve)
	ctx := t.Context()
	cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: t.TempDir()}
	cfg.Devices.Terminal.Addr = addr
	term, err := openTerminal(ctx, cfg.Devices.Terminal, kiosk.SystemClock{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := kiosk.PaymentRequest{SaleID: "s", Attempt: 1, Amount: 4990}
	if res, err := term.Authorize(ctx, req); err != nil || !res.Approved {
		t.Fatalf("pay: %+v %v", res, err)
	}
	if err := term.Confirm(ctx, req, true); err != nil {
		t.Fatal(err)
	}
	term.Close()
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
