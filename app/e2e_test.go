package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// e2e is the real wiring (Badger, checkout, health endpoint) with fake
// devices.
type e2e struct {
	t       *testing.T
	ctx     context.Context
	dir     string
	db      *storage.DB
	clock   *kiosktest.Clock
	term    *kiosktest.PaymentTerminal
	cab     *kiosktest.CabinetLock
	staff   *kiosktest.StaffApproval
	printer *kiosktest.Printer
	scanner *kiosktest.Scanner
	co      *kiosk.Checkout
	http    *httptest.Server
	stop    context.CancelFunc
}

func mustE2E(t *testing.T) *e2e {
	t.Helper()
	clk := kiosktest.NewClock(time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC))
	e := &e2e{t: t, ctx: context.Background(), dir: t.TempDir(), clock: clk,
		term: kiosktest.NewPaymentTerminal(clk), cab: kiosktest.NewCabinetLock(clk),
		staff: kiosktest.NewStaffApproval(), printer: kiosktest.NewPrinter(), scanner: kiosktest.NewScanner(clk)}
	e.printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	e.open()
	t.Cleanup(e.close)
	return e
}

// open starts the kiosk on the data dir, as the binary does.
func (e *e2e) open() {
	e.t.Helper()
	db, err := storage.Open(e.dir, storage.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	if err := seedIfEmpty(e.ctx, db); err != nil {
		e.t.Fatal(err)
	}
	var ctx context.Context
	ctx, e.stop = context.WithCancel(e.ctx)
	fakeSign(db)
	e.co = newCheckout("K1", DemoShop, db, Devices{Scanner: e.scanner, Terminal: e.term, Printer: e.printer, Cabinet: e.cab, Staff: e.staff}, e.clock, nil)
	if err := e.co.Start(ctx); err != nil {
		e.t.Fatal(err)
	}
	go e.co.Run(ctx)
	e.http = httptest.NewServer((&server{co: e.co, start: time.Now()}).handler())
}

// close stops the kiosk; with a pending payment it is a crash.
func (e *e2e) close() {
	if e.db == nil {
		return
	}
	e.stop()
	e.http.Close()
	e.db.Close()
	e.db = nil
}

// waitHealth waits until /healthz reports state.
func (e *e2e) waitHealth(state string) Health {
	e.t.Helper()
	changed := make(chan struct{}, 1)
	cancel := e.co.Subscribe(func(kiosk.View) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	deadline := time.After(10 * time.Second)
	for {
		resp, err := http.Get(e.http.URL + "/healthz")
		if err != nil {
			e.t.Fatal(err)
		}
		var h Health
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil {
			e.t.Fatal(err)
		}
		if h.State == state {
			return h
		}
		select {
		case <-changed:
		case <-deadline:
			e.t.Fatalf("/healthz never said %s; last %+v", state, h)
		}
	}
}

// payAgeApproved presses Pay, has staff approve the age check and waits
// until the terminal holds the payment request.
func (e *e2e) payAgeApproved() {
	e.t.Helper()
	if err := e.co.Pay(); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.staff.WaitRequest(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	if h := e.waitHealth("AgeCheckPending"); h.Items == 0 {
		e.t.Fatal("age check with an empty basket")
	}
	if err := e.staff.Approve("ola"); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.term.WaitAuthorize(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) stock(gtin string) int {
	e.t.Helper()
	p, err := e.db.Lookup(e.ctx, kiosk.MustGTIN(gtin))
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Stock
}

const (
	cola = "7039990000113"
	snus = "7039990000014"
)

// TestSaleEndToEnd buys a soda and a snus through the real wiring and
// checks the sale record, the stock and the journal chain.
func TestSaleEndToEnd(t *testing.T) {
	e := mustE2E(t)
	colaStock, snusStock := e.stock(cola), e.stock(snus)
	e.scanner.Feed("1234567890128") // unknown
	e.scanner.Feed(cola)
	e.waitHealth("Shopping")
	if err := e.co.Add(kiosk.MustGTIN(snus)); err != nil {
		t.Fatal(err)
	}
	e.payAgeApproved()
	e.waitHealth("Paying")
	if err := e.term.Respond(kiosktest.PayApproved()); err != nil {
		t.Fatal(err)
	}
	e.waitHealth("Releasing")
	e.cab.Open()
	if h := e.waitHealth("Releasing"); h.State != "Releasing" {
		t.Fatal(h)
	}
	e.cab.Close()
	h := e.waitHealth("Receipt")
	if h.ReceiptNo != 1 {
		t.Fatalf("receipt %d", h.ReceiptNo)
	}

	sale, err := e.db.Sale(e.ctx, "K1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if sale.Total != 3290+12900 || len(sale.Lines) != 2 || sale.AgeCheckBy != "ola" || !sale.Payment.Approved {
		t.Fatalf("sale %+v", sale)
	}
	if e.stock(cola) != colaStock-1 || e.stock(snus) != snusStock-1 {
		t.Errorf("stock cola %d→%d snus %d→%d", colaStock, e.stock(cola), snusStock, e.stock(snus))
	}
	// The receipt is journaled once the printer took it, by the printing
	// that runs after the receipt screen shows.
	e.waitJournal("the receipt printed", printedRecord(1))
	sum, err := kiosk.VerifyJournal(e.ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	for code, n := range map[kiosk.Code]uint64{kiosk.CodePOSStart: 1, kiosk.CodeCashSale: 1, kiosk.CodePriceLookup: 1} {
		if sum.ByCode[code] != n {
			t.Errorf("journal has %d × %v, want %d", sum.ByCode[code], code, n)
		}
	}
	if n := e.receiptRecords(kiosk.CodeSalesReceipt, kiosk.SubReceiptPrinted, 1); n != 1 {
		t.Errorf("receipt 1 journaled printed %d times, want 1", n)
	}
}

// TestCrashMidPaymentLeavesNoHalfSale stops the kiosk while the terminal
// holds an approved but unconfirmed payment whose approval the kiosk
// recorded, and starts it again on the same data dir.
func TestCrashMidPaymentLeavesNoHalfSale(t *testing.T) {
	for _, tc := range []struct {
		name     string
		released bool // the cabinet was unlocked before the crash
		sales    int
	}{
		{"approved, cabinet not yet unlocked", false, 0},
		{"cabinet unlocked, door not closed", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustE2E(t)
			if err := e.co.Add(kiosk.MustGTIN(snus)); err != nil {
				t.Fatal(err)
			}
			e.payAgeApproved()
			// The terminal takes its time over the release confirmation
			// the kiosk sends once the cabinet is unlocked: the crash
			// comes before it is through, so the terminal still holds the
			// approval open.
			_, release := e.term.HoldConfirm()
			defer release()
			if err := e.term.Respond(kiosktest.PayApproved()); err != nil {
				t.Fatal(err)
			}
			e.waitHealth("Releasing")
			if tc.released {
				e.cab.Open()
			}
			e.close() // the crash
			if !tc.released {
				// Make the stored state "approved, not released", as if
				// the power went between the two writes.
				db, err := storage.Open(e.dir, storage.Options{})
				if err != nil {
					t.Fatal(err)
				}
				p, err := db.Pending(e.ctx)
				if err != nil || len(p) != 1 {
					t.Fatalf("pending %v %v", p, err)
				}
				p[0].State = kiosk.PendingApproved
				if err := db.SavePending(e.ctx, p[0], kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubRecovery, Text: "test: power cut before release"}); err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			release()
			e.open()
			e.waitHealth("Idle")
			if p, _ := e.db.Pending(e.ctx); len(p) != 0 {
				t.Fatalf("half sale left: %+v", p)
			}
			if _, err := e.db.Sale(e.ctx, "K1", 1); (err == nil) != (tc.sales == 1) {
				t.Fatalf("sale 1: %v, want %d sales", err, tc.sales)
			}
			want := kiosk.Money(0)
			if tc.sales == 1 {
				want = 12900
			}
			if e.term.Charged() != want {
				t.Errorf("charged %v, want %v", e.term.Charged(), want)
			}
			e.waitReprinted() // a sale completed at the restart prints its receipt then
			if _, err := kiosk.VerifyJournal(e.ctx, e.db); err != nil {
				t.Fatal(err)
			}
		})
	}
}
