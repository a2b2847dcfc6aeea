package kiosktest_test

import (
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakePrinterHarness struct{ p *kiosktest.Printer }

func (h fakePrinterHarness) Printer() kiosk.Printer { return h.p }
func (h fakePrinterHarness) PaperOut() {
	h.p.SetStatus(kiosk.PrinterStatus{Problem: "paper out"})
}
func (h fakePrinterHarness) PaperLow() {
	h.p.SetStatus(kiosk.PrinterStatus{Ready: true, PaperLow: true})
}
func (h fakePrinterHarness) Refill() { h.p.SetStatus(kiosk.PrinterStatus{Ready: true}) }
func (h fakePrinterHarness) Unplug() { h.p.Unplug() }
func (h fakePrinterHarness) Replug() { h.p.Replug() }
func (h fakePrinterHarness) Receipts() []string {
	var out []string
	for _, d := range h.p.Printed() {
		out = append(out, d.PlainText(42))
	}
	return out
}

func TestFakePrinterConformance(t *testing.T) {
	kiosktest.TestPrinter(t, func(t *testing.T) kiosktest.PrinterHarness {
		return fakePrinterHarness{kiosktest.NewPrinter()}
	})
}

func TestFakePrinterRecords(t *testing.T) {
	p := kiosktest.NewPrinter()
	if _, ok := p.Last(); ok {
		t.Errorf("Last of a new printer: ok")
	}
	var d kiosk.Document
	d.Text("one", kiosk.Style{})
	if err := p.Print(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Lines[0].Text = "changed by the caller"
	p.SetStatus(kiosk.PrinterStatus{Problem: "cover open"})
	err := p.Print(t.Context(), d)
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Print with the cover open = %v", err)
	}
	if last, ok := p.Last(); !ok || last.Lines[0].Text != "one" {
		t.Errorf("Last = %+v, %v; want the first document as it was printed", last, ok)
	}
	a := p.Attempts()
	if len(a) != 2 || a[0].Err != nil || a[1].Err == nil || a[1].Doc.Lines[0].Text != "changed by the caller" {
		t.Errorf("Attempts = %+v", a)
	}
	if n := len(p.Printed()); n != 1 {
		t.Errorf("Printed has %d documents, want 1", n)
	}
}
