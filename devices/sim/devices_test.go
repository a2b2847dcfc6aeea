package sim_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The human side the demo's simulator endpoint drives (app.SimDevices).
var _ interface {
	Scan(code string)
	Card(approve bool)
	Staff(approve bool)
	Door(open bool)
} = (*sim.Devices)(nil)

func mustCtx(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

type payResult struct {
	res kiosk.PaymentResult
	err error
}

// mustAwaitPayment starts Authorize(req) and returns once the terminal
// shows it.
func mustAwaitPayment(t *testing.T, d *sim.Devices, ctx context.Context, req kiosk.PaymentRequest) <-chan payResult {
	t.Helper()
	ch := make(chan payResult, 1)
	go func() {
		res, err := d.Terminal().Authorize(ctx, req)
		ch <- payResult{res, err}
	}()
	if err := await(mustCtx(t), d, func() bool { return d.Pending().Payment != nil }); err != nil {
		t.Fatalf("the terminal never showed the payment: %v", err)
	}
	return ch
}

func TestSimCardResults(t *testing.T) {
	clk := kiosktest.NewClock(simT0)
	d := sim.New(clk)
	tests := []struct {
		approve bool
		want    kiosk.PaymentResult
	}{
		{true, kiosk.PaymentResult{Approved: true, Code: "00", Message: sim.MsgApproved, Amount: 8950,
			Trace: "000001", ReceiptNo: "0001", CardType: "Visa", MaskedPAN: "************4242", AID: sim.AID,
			TerminalID: "SIM00001", Time: simT0}},
		{false, kiosk.PaymentResult{Code: "05", Message: "Kortet ble avvist", Amount: 8950,
			Trace: "000002", CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Time: simT0}},
	}
	for i, tc := range tests {
		req := kiosk.PaymentRequest{SaleID: "K1-1", Attempt: i + 1, Amount: 8950}
		ch := mustAwaitPayment(t, d, mustCtx(t), req)
		p := d.Pending()
		if *p.Payment != req || !strings.Contains(p.PayStatus, "kr 89,50") {
			t.Errorf("Pending = %+v, want the request and a prompt with the amount", p)
		}
		d.Card(tc.approve)
		got := <-ch
		if got.err != nil {
			t.Fatalf("Authorize: %v", got.err)
		}
		res := got.res
		if tc.approve && len(res.Lines) == 0 {
			t.Errorf("approved result has no terminal receipt lines")
		}
		res.Lines = nil
		if fmt.Sprintf("%+v", res) != fmt.Sprintf("%+v", tc.want) {
			t.Errorf("approve=%v: result\n%+v\nwant\n%+v", tc.approve, res, tc.want)
		}
		if p := d.Pending(); p.Payment != nil || p.PayStatus != "" {
			t.Errorf("Pending after the card = %+v, want nothing", p)
		}
	}
	d.Card(true) // nothing waits: nothing happens
	if st := d.Status(); st.Charged != 8950 {
		t.Errorf("Charged = %v, want kr 89,50", st.Charged)
	}
}

func TestSimTerminalBusy(t *testing.T) {
	d := newDevices(t)
	first := kiosk.PaymentRequest{SaleID: "K1-1", Attempt: 1, Amount: 100}
	ch := mustAwaitPayment(t, d, mustCtx(t), first)
	_, err := d.Terminal().Authorize(mustCtx(t), kiosk.PaymentRequest{SaleID: "K1-2", Attempt: 1, Amount: 200})
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("second Authorize while one waits = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	d.Card(true)
	if r := <-ch; r.err != nil || !r.res.Approved || r.res.Amount != 100 {
		t.Errorf("first Authorize = %+v, %v", r.res, r.err)
	}
}

func TestSimTerminalGoesOfflineWhilePaying(t *testing.T) {
	d := newDevices(t)
	req := kiosk.PaymentRequest{SaleID: "K1-1", Attempt: 1, Amount: 100}
	ch := mustAwaitPayment(t, d, mustCtx(t), req)
	d.SetOnline(sim.DevTerminal, false)
	if r := <-ch; !errors.Is(r.err, kiosk.ErrOutcomeUnknown) {
		t.Fatalf("Authorize when the line goes = %+v, %v; want kiosk.ErrOutcomeUnknown", r.res, r.err)
	}
	d.SetOnline(sim.DevTerminal, true)
	res, err := d.Terminal().Recover(mustCtx(t), req)
	if err != nil || res.Approved || res.Message != sim.MsgAborted {
		t.Errorf("Recover = %+v, %v; want the abort", res, err)
	}
	if got := d.Status().Charged; got != 0 {
		t.Errorf("Charged = %v", got)
	}
}

func TestSimScanReads(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantBad bool
	}{
		{"7038010009457", "7038010009457", false},
		{"  7038010009457\n", "7038010009457", false},
		{"", "", true},
		{"   ", "", true},
		{"70380\x0010009457", "", true},
		{strings.Repeat("7", 101), "", true},
		{"\xff\xfe", "", true},
	}
	d := newDevices(t)
	for _, tc := range tests {
		d.Scan(tc.in)
		s, err := d.Scanner().ReadScan(mustCtx(t))
		if tc.wantBad {
			if !errors.Is(err, kiosk.ErrBadScan) {
				t.Errorf("Scan(%q): ReadScan = %+v, %v; want kiosk.ErrBadScan", tc.in, s, err)
			}
			continue
		}
		if err != nil || s.Code != tc.want || !s.At.Equal(simT0) {
			t.Errorf("Scan(%q): ReadScan = %+v, %v; want %q at %v", tc.in, s, err, tc.want, simT0)
		}
	}
	d.SetOnline(sim.DevScanner, false)
	d.Scan("96385074") // an unplugged scanner reads nothing
	d.SetOnline(sim.DevScanner, true)
	if n := d.Status().Scans; n != 0 {
		t.Errorf("%d scans queued after scanning while unplugged, want 0", n)
	}
}

func TestSimLastReceipt(t *testing.T) {
	d := newDevices(t)
	if _, ok := d.LastReceipt(); ok {
		t.Errorf("LastReceipt of a new printer: ok")
	}
	var doc kiosk.Document
	doc.Text("Takk for handelen!", kiosk.Style{})
	if err := d.Printer().Print(mustCtx(t), doc); err != nil {
		t.Fatal(err)
	}
	doc.Lines[0].Text = "changed"
	got, ok := d.LastReceipt()
	if !ok || got.Lines[0].Text != "Takk for handelen!" {
		t.Errorf("LastReceipt = %+v, %v", got, ok)
	}
	got.Lines[0].Text = "changed too"
	if again, _ := d.LastReceipt(); again.Lines[0].Text != "Takk for handelen!" {
		t.Errorf("LastReceipt shares its lines with the caller")
	}
	if st := d.Status(); st.Printed != 1 || st.Paper != sim.PaperFull {
		t.Errorf("Status = %+v", st)
	}
}

func TestSimDoorEventsBounded(t *testing.T) {
	clk := kiosktest.NewClock(simT0)
	d := sim.New(clk)
	for i := range 70 { // open, close, … : 70 events, the last closes
		d.Door(i%2 == 0)
	}
	d.Door(false) // already closed: no event
	clk.Advance(time.Second)
	d.Door(true) // the 71st event, told apart by its time
	// The 64 newest are kept: events 8 (a close) to 71.
	for i := range 64 {
		ev, err := d.Cabinet().WaitDoor(mustCtx(t))
		if err != nil {
			t.Fatalf("WaitDoor %d: %v", i, err)
		}
		if want := i%2 == 1; ev.Open != want {
			t.Fatalf("event %d: open=%v, want %v", i, ev.Open, want)
		}
		if last := ev.At.Equal(simT0.Add(time.Second)); last != (i == 63) {
			t.Fatalf("event %d at %v: the last kept event is not the newest", i, ev.At)
		}
	}
}

func TestSimStaffQueueAndOffline(t *testing.T) {
	d := newDevices(t)
	type ageResult struct {
		a   kiosk.Approval
		err error
	}
	ask := func(sale string) <-chan ageResult {
		ch := make(chan ageResult, 1)
		go func() {
			a, err := d.StaffApproval().RequestAgeCheck(mustCtx(t), kiosk.AgeCheck{SaleID: sale, MinAge: 18})
			ch <- ageResult{a, err}
		}()
		return ch
	}
	first := ask("K1-1")
	if err := await(mustCtx(t), d, func() bool { return d.Pending().AgeCheck != nil }); err != nil {
		t.Fatal(err)
	}
	second := ask("K1-2")
	d.Staff(false)
	if r := <-first; r.err != nil || r.a.Approved || r.a.Staff != sim.StaffName || r.a.Method != sim.StaffMethod {
		t.Errorf("first = %+v, %v; want refused by the simulator's staff", r.a, r.err)
	}
	if err := await(mustCtx(t), d, func() bool {
		c := d.Pending().AgeCheck
		return c != nil && c.SaleID == "K1-2"
	}); err != nil {
		t.Fatal(err)
	}
	d.SetOnline(sim.DevStaff, false)
	if r := <-second; !errors.Is(r.err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("waiting request when staff goes offline = %+v, %v; want kiosk.ErrDeviceUnavailable", r.a, r.err)
	}
	if st := d.Status(); len(st.Offline) != 1 || st.Offline[0] != sim.DevStaff {
		t.Errorf("Offline = %v", st.Offline)
	}
	d.Staff(true) // nothing shown: nothing happens
}

func TestSimOnChange(t *testing.T) {
	d := newDevices(t)
	var calls atomic.Int32
	cancel := d.OnChange(func() {
		calls.Add(1)
		_ = d.Pending() // a hook may read the devices
		_ = d.Status()
	})
	d.Scan("96385074")
	d.Door(true)
	d.SetPaper(sim.PaperLow)
	d.JamLock(true)
	if got := calls.Load(); got != 4 {
		t.Errorf("OnChange called %d times for 4 changes", got)
	}
	cancel()
	d.Door(false)
	if got := calls.Load(); got != 4 {
		t.Errorf("OnChange called after cancel")
	}
	if err := d.Cabinet().Unlock(mustCtx(t)); !errors.Is(err, kiosk.ErrLockFault) {
		t.Errorf("Unlock of a jammed lock = %v", err)
	}
}
