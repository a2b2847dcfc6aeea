package kiosktest

import (
	"errors"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// PrinterHarness is a kiosk.Printer under test and the means to act on
// the printer's side of it. A harness for a real driver plays the printer
// over its wire (ESC/POS over a pseudo-terminal): it answers status
// queries as the paper sensor says and turns the bytes it receives back
// into text. Harness methods are called from the test's goroutine and
// report their own failures to the harness's t.
type PrinterHarness interface {
	// Printer is the port under test.
	Printer() kiosk.Printer
	// PaperOut takes the paper away.
	PaperOut()
	// PaperLow leaves little paper: the printer still prints.
	PaperLow()
	// Refill puts in a full roll.
	Refill()
	// Unplug makes the printer stop answering.
	Unplug()
	// Replug connects it again and returns once the port can reach it.
	Replug()
	// Receipts returns the text of every document printed and cut so far,
	// oldest first, as it stands on the paper: at least every text line's
	// Text and Right, in order.
	Receipts() []string
}

// TestPrinter checks a kiosk.Printer against the contract in
// kiosk/ports.go. h makes a fresh harness, and the printer behind it, for
// each subtest.
func TestPrinter(t *testing.T, h func(t *testing.T) PrinterHarness) {
	doc := func(no string) kiosk.Document {
		var d kiosk.Document
		d.Text("Tobakk & Sånt AS", kiosk.Style{Bold: true, DoubleHeight: true, Align: kiosk.AlignCenter})
		d.Text("Salgskvittering", kiosk.Style{Align: kiosk.AlignCenter})
		d.Pair("Kvittering nr.", no, kiosk.Style{})
		d.Rule()
		d.Pair("Røyk 20 stk (18+)", "145,00", kiosk.Style{})
		d.Pair("Cola 0,5 l", "32,50", kiosk.Style{})
		d.Rule()
		d.Pair("TOTALT NOK", "177,50", kiosk.Style{Bold: true})
		d.Feed()
		d.Barcode("K1-" + no)
		return d
	}
	// onPaper checks that receipt shows d's text lines in order.
	onPaper := func(t *testing.T, receipt string, d kiosk.Document) {
		t.Helper()
		rest := receipt
		for _, l := range d.Lines {
			if l.Kind != kiosk.KindText {
				continue
			}
			for _, s := range []string{l.Text, l.Right} {
				if s == "" {
					continue
				}
				i := strings.Index(rest, s)
				if i < 0 {
					t.Errorf("%q is not on the receipt (in order):\n%s", s, receipt)
					return
				}
				rest = rest[i+len(s):]
			}
		}
	}
	status := func(t *testing.T, hp PrinterHarness) kiosk.PrinterStatus {
		t.Helper()
		st, err := hp.Printer().Status(devCtx(t))
		if err != nil {
			t.Fatalf("Status = %v", err)
		}
		return st
	}
	mustPrint := func(t *testing.T, hp PrinterHarness, d kiosk.Document) {
		t.Helper()
		n := len(hp.Receipts())
		if err := hp.Printer().Print(devCtx(t), d); err != nil {
			t.Fatalf("Print = %v", err)
		}
		got := hp.Receipts()
		if len(got) != n+1 {
			t.Fatalf("%d receipts on paper after Print, want %d", len(got), n+1)
		}
		onPaper(t, got[n], d)
	}
	mustNotPrint := func(t *testing.T, hp PrinterHarness) {
		t.Helper()
		n := len(hp.Receipts())
		if err := hp.Printer().Print(devCtx(t), doc("9")); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Print = %v, want kiosk.ErrDeviceUnavailable", err)
		}
		if got := len(hp.Receipts()); got != n {
			t.Errorf("%d receipts cut after a failed Print, want %d", got, n)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, hp PrinterHarness)
	}{
		{"ReadyPrints", func(t *testing.T, hp PrinterHarness) {
			if st := status(t, hp); !st.Ready || st.PaperLow {
				t.Errorf("Status with a full roll = %+v, want Ready and not PaperLow", st)
			}
			mustPrint(t, hp, doc("1"))
		}},
		{"PrintsInOrder", func(t *testing.T, hp PrinterHarness) {
			for _, no := range []string{"1", "2", "3"} {
				mustPrint(t, hp, doc(no))
			}
			got := hp.Receipts()
			for i, no := range []string{"1", "2", "3"} {
				onPaper(t, got[i], doc(no))
			}
		}},
		{"PaperOut", func(t *testing.T, hp PrinterHarness) {
			hp.PaperOut()
			st := status(t, hp)
			if st.Ready || st.Problem == "" {
				t.Errorf("Status without paper = %+v, want not Ready, with the Problem in words", st)
			}
			mustNotPrint(t, hp)
			hp.Refill()
			if st := status(t, hp); !st.Ready {
				t.Errorf("Status after refill = %+v, want Ready", st)
			}
			mustPrint(t, hp, doc("2"))
		}},
		{"PaperLowStillPrints", func(t *testing.T, hp PrinterHarness) {
			hp.PaperLow()
			if st := status(t, hp); !st.Ready || !st.PaperLow {
				t.Errorf("Status with little paper = %+v, want Ready and PaperLow", st)
			}
			mustPrint(t, hp, doc("3"))
		}},
		{"Unplugged", func(t *testing.T, hp PrinterHarness) {
			hp.Unplug()
			if st, err := hp.Printer().Status(devCtx(t)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Status while unplugged = %+v, %v; want kiosk.ErrDeviceUnavailable", st, err)
			}
			mustNotPrint(t, hp)
			hp.Replug()
			if st := status(t, hp); !st.Ready {
				t.Errorf("Status after replug = %+v, want Ready", st)
			}
			mustPrint(t, hp, doc("4"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
