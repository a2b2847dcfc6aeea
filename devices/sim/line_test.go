package sim_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/scanner"
	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The tests in this file run the real drivers (serialport, then the
// scanner reader or the ESC/POS printer) against the wire simulators, on
// pseudo-terminals, as the demo does.

// port opens path with a short back-off and reports its events on a
// channel, so a test can wait for the reopen instead of sleeping.
func mustPort(tb testing.TB, path string, baud int) (*serialport.Port, <-chan serialport.Event) {
	tb.Helper()
	ev := make(chan serialport.Event, 64)
	p, err := serialport.Open(serialport.Config{Path: path, Baud: baud},
		serialport.WithBackoff(2*time.Millisecond, 20*time.Millisecond),
		serialport.WithEvents(func(e serialport.Event) {
			select {
			case ev <- e:
			default:
			}
		}))
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p, ev
}

// awaitEvent waits for an event of kind k, skipping others.
func awaitEvent(tb testing.TB, ev <-chan serialport.Event, k serialport.EventKind) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-ev:
			if e.Kind == k {
				return
			}
		case <-deadline:
			tb.Fatalf("no %v event", k)
		}
	}
}

type scannerLineHarness struct {
	t    *testing.T
	line *sim.ScannerLine
	r    *scanner.Reader
	ev   <-chan serialport.Event
}

func newScannerLineHarness(t *testing.T, opt sim.ScannerOptions) *scannerLineHarness {
	line, err := sim.NewScannerLine(filepath.Join(t.TempDir(), "selvkasse-scanner"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { line.Close() })
	p, ev := mustPort(t, line.Path(), 9600)
	return &scannerLineHarness{t: t, line: line, r: scanner.NewReader(p, scanner.Config{}, 50*time.Millisecond, nil), ev: ev}
}

func (h *scannerLineHarness) Scanner() kiosk.Scanner { return h.r }
func (h *scannerLineHarness) Feed(code string) {
	if err := h.line.Scan(code); err != nil {
		h.t.Error(err)
	}
}
func (h *scannerLineHarness) FeedBad() {
	if err := h.line.Send([]byte("\x00\x13garbage\r")); err != nil {
		h.t.Error(err)
	}
}
func (h *scannerLineHarness) Unplug() { h.line.Unplug() }
func (h *scannerLineHarness) Replug() {
	if err := h.line.Replug(); err != nil {
		h.t.Fatal(err)
	}
	awaitEvent(h.t, h.ev, serialport.EventReopened)
}

// TestScannerLineConformance: the scanner stack a kiosk runs (serial
// port, framer, parser) passes the kiosk's scanner suite against the
// simulator over a pseudo-terminal, unplugs included.
func TestScannerLineConformance(t *testing.T) {
	kiosktest.TestScanner(t, func(t *testing.T) kiosktest.ScannerHarness {
		return newScannerLineHarness(t, sim.ScannerOptions{Terminator: "\r\n", AIM: true})
	})
}

// TestScannerLineSettings: every terminator setting, with and without
// AIM identifiers, reaches the kiosk as the same code.
func TestScannerLineSettings(t *testing.T) {
	for _, term := range []string{"\r", "\n", "\r\n", ""} {
		for _, aim := range []bool{false, true} {
			t.Run(strings.NewReplacer("\r", "CR", "\n", "LF").Replace(term+"-")+map[bool]string{false: "plain", true: "aim"}[aim], func(t *testing.T) {
				h := newScannerLineHarness(t, sim.ScannerOptions{Terminator: term, AIM: aim})
				for _, code := range []string{"7039990000113", "96385074", "036000291452"} {
					h.Feed(code)
					s, err := h.r.ReadScan(t.Context())
					if err != nil {
						t.Fatalf("%s: %v", code, err)
					}
					if s.Code != code {
						t.Errorf("got %q, want %q", s.Code, code)
					}
				}
			})
		}
	}
}

// lineReplyTimeout is how long the printer driver waits here for each
// DLE EOT reply. The simulator answers from goroutines at the far end of
// a pty, and on a loaded 2-core machine 200 ms was once not enough ("no
// answer to DLE EOT 1 within 200ms" in TestPrinterLineConformance). No
// test here waits for it to run out: an unplugged line fails the request
// at once (the write does), so it bounds a late answer only, and the
// production default (escpos.DefaultReplyTimeout) is not touched.
const lineReplyTimeout = 10 * time.Second

type printerLineHarness struct {
	t    *testing.T
	line *sim.PrinterLine
	drv  *escpos.Printer
	ev   <-chan serialport.Event
}

func newPrinterLineHarness(t *testing.T) *printerLineHarness {
	line, err := sim.NewPrinterLine(filepath.Join(t.TempDir(), "selvkasse-printer"), escpos.Columns42, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { line.Close() })
	p, ev := mustPort(t, line.Path(), 38400)
	return &printerLineHarness{t: t, line: line, drv: escpos.NewPrinter(p, escpos.Encoder{Columns: escpos.Columns42}, lineReplyTimeout), ev: ev}
}

func (h *printerLineHarness) Printer() kiosk.Printer { return h.drv }
func (h *printerLineHarness) PaperOut()              { h.line.SetPaper(sim.PaperOut) }
func (h *printerLineHarness) PaperLow()              { h.line.SetPaper(sim.PaperLow) }
func (h *printerLineHarness) Refill()                { h.line.SetPaper(sim.PaperFull) }
func (h *printerLineHarness) Unplug()                { h.line.Unplug() }
func (h *printerLineHarness) Replug() {
	if err := h.line.Replug(); err != nil {
		h.t.Fatal(err)
	}
	awaitEvent(h.t, h.ev, serialport.EventReopened)
}
func (h *printerLineHarness) Receipts() []string { return h.line.Receipts() }

// TestPrinterLineConformance: the ESC/POS driver on a serial port passes
// the kiosk's printer suite against the simulator.
func TestPrinterLineConformance(t *testing.T) {
	kiosktest.TestPrinter(t, func(t *testing.T) kiosktest.PrinterHarness { return newPrinterLineHarness(t) })
}

// TestPrinterLineStates: the plain words the kiosk shows for each state
// the simulator can be put in, and a receipt with æøå on paper and in
// the picture.
func TestPrinterLineStates(t *testing.T) {
	h := newPrinterLineHarness(t)
	ctx := t.Context()
	status := func() kiosk.PrinterStatus {
		t.Helper()
		st, err := h.drv.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := status(); !st.Ready || st.PaperLow {
		t.Errorf("fresh printer: %+v", st)
	}
	h.line.SetCover(true)
	if st := status(); st.Ready || st.Problem != "cover open" {
		t.Errorf("cover open: %+v", st)
	}
	var doc kiosk.Document
	doc.Text("Blåbær, rømme og ærter: kr 12,00 (€)", kiosk.Style{Bold: true})
	doc.QR("https://example.invalid/r/K1-1")
	if err := h.drv.Print(ctx, doc); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("print with the cover open = %v", err)
	}
	h.line.SetCover(false)
	h.line.SetPaper(sim.PaperOut)
	if st := status(); st.Ready || st.Problem != "paper out" {
		t.Errorf("paper out: %+v", st)
	}
	h.line.SetPaper(sim.PaperLow)
	if st := status(); !st.Ready || !st.PaperLow {
		t.Errorf("paper low: %+v", st)
	}
	if err := h.drv.Print(ctx, doc); err != nil {
		t.Fatal(err)
	}
	r, ok := h.line.LastReceipt()
	if !ok || !strings.Contains(r.Text, "Blåbær, rømme og ærter: kr 12,00 (€)") || !strings.Contains(r.Text, "[QR https://example.invalid/r/K1-1]") {
		t.Errorf("receipt = %q, %v", r.Text, ok)
	}
	if r.Image == nil || r.Image.Bounds().Dx() != 42*12+32 {
		t.Errorf("no picture of the receipt")
	}
	if st := h.line.State(); st.Printed != 1 || st.Lost != 0 {
		t.Errorf("state %+v", st)
	}
}
