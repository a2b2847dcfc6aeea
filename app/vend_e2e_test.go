package app

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// tcpKiosk is the kiosk wired as `selvkasse run` wires a TCP terminal
// (openTerminal: the real driver on a redialing connection, the vend
// time-out from the release window), paying at a terminal simulator
// whose clock the test moves.
type tcpKiosk struct {
	sim    *zvtsim.Sim
	simClk *kiosktest.Clock
	co     *kiosk.Checkout
	cab    *kiosktest.CabinetLock
	staff  *kiosktest.StaffApproval
}

func mustTCPKiosk(t *testing.T) *tcpKiosk {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := &tcpKiosk{simClk: kiosktest.NewClock(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)),
		cab: kiosktest.NewCabinetLock(nil), staff: kiosktest.NewStaffApproval()}
	k.sim = zvtsim.New(zvtsim.Options{Mode: zvt.TCP, Clock: k.simClk})
	served := make(chan struct{})
	go func() { defer close(served); k.sim.ServeListener(ctx, ln) }()
	term, err := openTerminal(ctx, SerialConfig{Addr: ln.Addr().String()}, kiosk.SystemClock{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := mustSeededDB(t, t.TempDir())
	pr := kiosktest.NewPrinter()
	pr.SetStatus(kiosk.PrinterStatus{Ready: true})
	k.co = newCheckout("K1", DemoShop, db, Devices{
		Scanner: kiosktest.NewScanner(nil), Terminal: term, Printer: pr, Cabinet: k.cab, Staff: k.staff,
	}, kiosk.SystemClock{}, nil)
	if err := k.co.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{})
	go func() { defer close(ran); k.co.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-ran
		term.Close()
		<-served
		db.Close()
	})
	return k
}

func (k *tcpKiosk) until(t *testing.T, what string, ok func(kiosk.View) bool) kiosk.View {
	t.Helper()
	return untilView(t, k.co, what, 20*time.Second, ok)
}

// pay buys a cola and a snus (from the cabinet), staff approving the age.
func (k *tcpKiosk) pay(t *testing.T) kiosk.Money {
	t.Helper()
	k.until(t, "idle", func(v kiosk.View) bool { return v.State == kiosk.Idle })
	for _, g := range []string{"7039990000113", "7039990000014"} {
		if err := k.co.Add(kiosk.MustGTIN(g)); err != nil {
			t.Fatal(err)
		}
	}
	total := k.co.View().Total
	if err := k.co.Pay(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := k.staff.WaitRequest(ctx); err != nil {
		t.Fatal(err)
	}
	if err := k.staff.Approve("ola"); err != nil {
		t.Fatal(err)
	}
	return total
}

// Issue 9 case 8: the terminal is told how long to wait for the release
// (BMP 01, the kiosk's release window and a margin), and is confirmed the
// moment the cabinet unlocks, so a customer slower than the terminal's
// vend time-out keeps the goods and the payment stands.
func TestSlowCustomerBeyondVendTimeout(t *testing.T) {
	k := mustTCPKiosk(t)
	total := k.pay(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if m, err := k.sim.WaitCustomer(ctx); err != nil || m != total {
		t.Fatalf("the terminal holds %v, %v; want %v", m, err, total)
	}
	k.sim.Card(true)
	k.until(t, "releasing", func(v kiosk.View) bool { return v.State == kiosk.Releasing })
	if err := k.sim.Wait(ctx, func(ts []zvtsim.Txn) bool { return len(ts) == 1 && ts[0].Confirmed }); err != nil {
		t.Fatal("the release was not confirmed to the terminal when the cabinet unlocked:", err)
	}
	// The customer dawdles past any vend time-out before opening the door.
	k.simClk.Advance(10 * time.Minute)
	k.cab.Open()
	k.cab.Close()
	k.until(t, "receipt", func(v kiosk.View) bool { return v.State == kiosk.Receipt })
	if got := k.sim.Charged(); got != total {
		t.Errorf("charged %v, want %v (%+v)", got, total, k.sim.Txns())
	}
	want := time.Duration(vendTimeout(releaseWindow)) * time.Second
	if got := k.sim.VendTimeouts(); len(got) != 1 || got[0] != want || want < 120*time.Second {
		t.Errorf("vend time-outs sent %v, want [%v] (over the kiosk's 120 s release window)", got, want)
	}
}

// Issue 9 case 9: a terminal that refuses the currency takes the kiosk
// out of order for a technician instead of showing the customer a card
// decline.
func TestRefusedCurrencyOutOfOrder(t *testing.T) {
	k := mustTCPKiosk(t)
	k.sim.SetRefuseCurrency(true)
	k.pay(t)
	v := k.until(t, "payment error", func(v kiosk.View) bool { return v.State == kiosk.PaymentDeclined })
	if v.Notice != kiosk.NoticePaymentError {
		t.Errorf("notice %v %q, want PaymentError", v.Notice, v.NoticeArg)
	}
	if err := k.co.Cancel(); err != nil {
		t.Fatal(err)
	}
	v = k.until(t, "out of order", func(v kiosk.View) bool { return v.State == kiosk.OutOfOrder })
	if !strings.Contains(v.Fault, kiosk.DevTerminalSetup) {
		t.Errorf("fault %q", v.Fault)
	}
	if k.sim.Charged() != 0 || len(k.sim.Txns()) != 0 {
		t.Errorf("txns %+v", k.sim.Txns())
	}
}
