package sim_test

import (
	"context"
	"testing"
	"time"

	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The kiosktest conformance suites, run against the simulated devices:
// the demo's devices keep the same contracts as the fakes and drivers.

var simT0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

func newDevices(t *testing.T) *sim.Devices {
	t.Helper()
	return sim.New(kiosktest.NewClock(simT0))
}

// await returns once ok() holds, re-checking after every change of d.
func await(ctx context.Context, d *sim.Devices, ok func() bool) error {
	changed := make(chan struct{}, 1)
	cancel := d.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
	return nil
}

type scannerHarness struct{ d *sim.Devices }

func (h scannerHarness) Scanner() kiosk.Scanner { return h.d.Scanner() }
func (h scannerHarness) Feed(code string)       { h.d.Scan(code) }
func (h scannerHarness) FeedBad()               { h.d.Scan("\x1b[2~\x00") }
func (h scannerHarness) Unplug()                { h.d.SetOnline(sim.DevScanner, false) }
func (h scannerHarness) Replug()                { h.d.SetOnline(sim.DevScanner, true) }

func TestSimScannerConformance(t *testing.T) {
	kiosktest.TestScanner(t, func(t *testing.T) kiosktest.ScannerHarness { return scannerHarness{newDevices(t)} })
}

type terminalHarness struct{ d *sim.Devices }

func (h terminalHarness) Terminal() kiosk.PaymentTerminal { return h.d.Terminal() }
func (h terminalHarness) AwaitCustomer(ctx context.Context) (kiosk.PaymentRequest, error) {
	var p sim.Pending
	err := await(ctx, h.d, func() bool { p = h.d.Pending(); return p.Payment != nil })
	if err != nil {
		return kiosk.PaymentRequest{}, err
	}
	return *p.Payment, nil
}
func (h terminalHarness) Card(approve bool)           { h.d.Card(approve) }
func (h terminalHarness) CardAnswerLost(approve bool) { h.d.CardDropped(approve) }
func (h terminalHarness) SetOnline(online bool)       { h.d.SetOnline(sim.DevTerminal, online) }
func (h terminalHarness) Charged() kiosk.Money        { return h.d.Status().Charged }

func TestSimTerminalConformance(t *testing.T) {
	kiosktest.TestPaymentTerminal(t, func(t *testing.T) kiosktest.PaymentHarness { return terminalHarness{newDevices(t)} })
}

// printerHarness collects every receipt as it is printed: the simulator
// itself keeps only the last.
type printerHarness struct {
	d        *sim.Devices
	receipts *[]string
}

func newPrinterHarness(t *testing.T) kiosktest.PrinterHarness {
	h := printerHarness{d: newDevices(t), receipts: new([]string)}
	seen := 0
	t.Cleanup(h.d.OnChange(func() {
		// Print calls OnChange before it returns, in its goroutine; the
		// suite prints from the test goroutine only.
		if n := h.d.Status().Printed; n > seen {
			seen = n
			doc, _ := h.d.LastReceipt()
			*h.receipts = append(*h.receipts, doc.PlainText(42))
		}
	}))
	return h
}

func (h printerHarness) Printer() kiosk.Printer { return h.d.Printer() }
func (h printerHarness) PaperOut()              { h.d.SetPaper(sim.PaperOut) }
func (h printerHarness) PaperLow()              { h.d.SetPaper(sim.PaperLow) }
func (h printerHarness) Refill()                { h.d.SetPaper(sim.PaperFull) }
func (h printerHarness) Unplug()                { h.d.SetOnline(sim.DevPrinter, false) }
func (h printerHarness) Replug()                { h.d.SetOnline(sim.DevPrinter, true) }
func (h printerHarness) Receipts() []string     { return append([]string(nil), *h.receipts...) }

func TestSimPrinterConformance(t *testing.T) {
	kiosktest.TestPrinter(t, newPrinterHarness)
}

type cabinetHarness struct{ d *sim.Devices }

func (h cabinetHarness) Cabinet() kiosk.CabinetLock { return h.d.Cabinet() }
func (h cabinetHarness) Door(open bool)             { h.d.Door(open) }
func (h cabinetHarness) Jam()                       { h.d.JamLock(true) }
func (h cabinetHarness) Unjam()                     { h.d.JamLock(false) }
func (h cabinetHarness) Unplug()                    { h.d.SetOnline(sim.DevCabinet, false) }
func (h cabinetHarness) Replug()                    { h.d.SetOnline(sim.DevCabinet, true) }
func (h cabinetHarness) Locked() bool               { return h.d.Status().Locked }

func TestSimCabinetConformance(t *testing.T) {
	kiosktest.TestCabinetLock(t, func(t *testing.T) kiosktest.CabinetHarness { return cabinetHarness{newDevices(t)} })
}

type staffHarness struct{ d *sim.Devices }

func (h staffHarness) Approval() kiosk.StaffApproval { return h.d.StaffApproval() }
func (h staffHarness) AwaitRequest(ctx context.Context) (kiosk.AgeCheck, error) {
	var p sim.Pending
	err := await(ctx, h.d, func() bool { p = h.d.Pending(); return p.AgeCheck != nil })
	if err != nil {
		return kiosk.AgeCheck{}, err
	}
	return *p.AgeCheck, nil
}
func (h staffHarness) Decide(approve bool) string {
	h.d.Staff(approve)
	return sim.StaffName
}
func (h staffHarness) Shown() []kiosk.AgeCheck {
	if c := h.d.Pending().AgeCheck; c != nil {
		return []kiosk.AgeCheck{*c}
	}
	return nil
}
func (h staffHarness) SetAvailable(ok bool) { h.d.SetOnline(sim.DevStaff, ok) }

func TestSimStaffConformance(t *testing.T) {
	kiosktest.TestStaffApproval(t, func(t *testing.T) kiosktest.StaffHarness { return staffHarness{newDevices(t)} })
}
