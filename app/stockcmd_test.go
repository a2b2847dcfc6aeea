package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var updateStockGolden = flag.Bool("update-stock", false, "rewrite the stock command's golden files in testdata/")

// stockNow is the stock tests' clock.
var stockNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// mustStockDay makes a data dir with the demo catalog and a month of
// sales: snus and cola near their end, the newspaper sold beyond its
// stock, a lighter sale before the window, water well stocked.
func mustStockDay(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := mustSeededDB(t, dir)
	defer db.Close()
	ctx := context.Background()
	day := 24 * time.Hour
	sales := []struct {
		gtin string
		qty  int
		ago  time.Duration
	}{
		{"7039990000014", 37, 2 * day},  // snus: 3 left
		{"7039990000113", 46, day},      // cola: 2 left
		{"7039990000144", 20, 3 * day},  // newspaper: 15, sold 20
		{"7039990000151", 10, 40 * day}, // lighter: before the window
		{"7039990000120", 10, 3 * day},  // water: 38 left
	}
	for i, s := range sales {
		p, err := db.Lookup(ctx, kiosk.MustGTIN(s.gtin))
		if err != nil {
			t.Fatal(err)
		}
		lines := []kiosk.Line{{Product: p, Qty: s.qty}}
		amount := p.Price * kiosk.Money(s.qty)
		at := stockNow.Add(-s.ago)
		ps := kiosk.PendingSale{ID: fmt.Sprintf("stock-%d", i), Kiosk: "K1", Started: at, Lines: lines, Amount: amount, State: kiosk.PendingApproved, Attempt: 1,
			Result: &kiosk.PaymentResult{Approved: true, Code: "00", Amount: amount, CardType: "BankAxept", MaskedPAN: "************0042", Trace: "000123", TerminalID: "T1", Time: at}}
		sale := kiosk.NewSale(ps, at)
		if _, err := db.CompleteSale(ctx, sale, kiosk.Entry{Code: kiosk.CodeCashSale, Time: at, Kiosk: "K1", SaleID: sale.ID, Amount: amount}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func assertStockGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateStockGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-stock to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func stockTestOps(t *testing.T, dir string) stockOps {
	t.Helper()
	db := mustOpenData(t, dir)
	fakeSign(db)
	return stockOps{DB: db, Clock: kiosktest.NewClock(stockNow), KioskID: "K1", Staff: "S2"}
}

// TestStockReportGolden: the report's table and CSV, from the movements.
func TestStockReportGolden(t *testing.T) {
	ops := stockTestOps(t, mustStockDay(t))
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		p    kiosk.OutlookParams
		csv  bool
	}{
		{"stock_report.txt", kiosk.DefaultOutlook, false},
		{"stock_report.csv", kiosk.DefaultOutlook, true},
		{"stock_report_lead5.txt", kiosk.OutlookParams{Days: 28, LeadTime: 5, Review: 7}, false},
		{"stock_report_none.txt", kiosk.OutlookParams{Days: 28, LeadTime: 0, Review: 7}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := ops.Report(ctx, tt.p, tt.csv, &out); err != nil {
				t.Fatal(err)
			}
			assertStockGolden(t, tt.name, out.Bytes())
		})
	}
}

// TestStockCountGolden: a count file's variance report, and the counts
// booked: the stock is what was counted and the recount flag is gone.
func TestStockCountGolden(t *testing.T) {
	ops := stockTestOps(t, mustStockDay(t))
	ctx := context.Background()
	lines, err := kiosk.ParseCounts(strings.NewReader("gtin;counted\n7039990000113;5\n7039990000144;0\n7039990000014;3\n7039990000120;36\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := ops.Count(ctx, lines, &out); err != nil {
		t.Fatal(err)
	}
	assertStockGolden(t, "stock_count.txt", out.Bytes())
	for _, l := range lines {
		p, err := ops.DB.Lookup(ctx, l.GTIN)
		if err != nil || p.Stock != l.Counted || p.Recount {
			t.Errorf("%s after the count: stock %d, recount %v, %v; want %d, false", l.GTIN, p.Stock, p.Recount, err, l.Counted)
		}
	}
	// An unknown product stops the count before anything is booked.
	bad := []kiosk.CountLine{{Line: 1, GTIN: kiosk.MustGTIN("7039990000113"), Counted: 9}, {Line: 2, GTIN: kiosk.MustGTIN("1234567890128"), Counted: 1}}
	if err := ops.Count(ctx, bad, &out); !errors.Is(err, kiosk.ErrNotFound) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("count with an unknown product: %v", err)
	}
	if p, _ := ops.DB.Lookup(ctx, kiosk.MustGTIN("7039990000113")); p.Stock != 5 {
		t.Errorf("cola stock %d after a refused count, want 5", p.Stock)
	}
}

func stock(stdin string, args ...string) (string, error) {
	var out, errOut strings.Builder
	err := stockCmd(args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestStockCommands: the command line on a stopped kiosk's data dir:
// receive, count (one product and a file on standard input), threshold
// and report, each journaled where it changes stock.
func TestStockCommands(t *testing.T) {
	dir := mustStockDay(t)
	ctx := context.Background()
	tests := []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"receive", "7039990000120", "24", "--data", dir, "--staff", "S2"}, "", "received 24 × Farris Naturell 0,5 l (7039990000120): stock 38 → 62"},
		{[]string{"receive", "--data", dir, "7039990000113", "12"}, "", "stock 2 → 14"},
		{[]string{"count", "7039990000113", "13", "--data", dir}, "", "-1"},
		{[]string{"count", "--file", "-", "--data", dir}, "7039990000144;4\n", "+9"},
		{[]string{"threshold", "7039990000113", "20", "--data", dir}, "", "Cola 0,5 l (7039990000113): low at 20 or less, stock 13: low now"},
		{[]string{"threshold", "7039990000113", "0", "--data", dir}, "", "no low-stock threshold"},
		{[]string{"report", "--data", dir, "--lead-time", "5"}, "", "lead time 5 days"},
		{[]string{"report", "--data", dir, "--csv"}, "", "gtin;name;stock;sold;days_left;order"},
	}
	for _, tt := range tests {
		out, err := stock(tt.stdin, tt.args...)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf("stock %v = %v\n%s\nwant %q", tt.args, err, out, tt.want)
		}
	}
	db := mustOpenData(t, dir)
	var subs []string
	if err := db.Scan(ctx, 0, func(r kiosk.Record) error {
		if r.Code == kiosk.CodeOther && strings.HasPrefix(r.Subtype, "stock-") {
			subs = append(subs, r.Subtype+" "+r.Data["gtin"]+" "+r.Data["staff"])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "stock-receipt 07039990000120 S2,stock-receipt 07039990000113 ,stock-count 07039990000113 ,stock-count 07039990000144 "
	if got := strings.Join(subs, ","); got != want {
		t.Errorf("journal: %s\nwant %s", got, want)
	}
	sums := map[kiosk.GTIN]int{}
	if err := db.AllMovements(ctx, func(m kiosk.StockMovement) error { sums[m.GTIN] += m.Delta; return nil }); err != nil {
		t.Fatal(err)
	}
	ps, _ := db.List(ctx)
	for _, p := range ps {
		if sums[p.GTIN] != p.Stock {
			t.Errorf("%s: stock %d, movements %d", p.Name, p.Stock, sums[p.GTIN])
		}
	}
}

func TestStockCommandErrors(t *testing.T) {
	dir := mustStockDay(t)
	tests := []struct {
		args  []string
		stdin string
		want  error
		text  string
	}{
		{nil, "", nil, "usage"},
		{[]string{"sell"}, "", nil, "unknown subcommand"},
		{[]string{"receive", "7039990000120", "--data", dir}, "", nil, "1 arguments given, want 2"},
		{[]string{"receive", "7039990000120", "5"}, "", nil, "give --config FILE or --data DIR"},
		{[]string{"receive", "7039990000120", "5", "--data", filepath.Join(dir, "nope")}, "", nil, "no data dir"},
		{[]string{"receive", "7039990000120", "0", "--data", dir}, "", kiosk.ErrBadStockQty, ""},
		{[]string{"receive", "7039990000120", "x", "--data", dir}, "", nil, "invalid syntax"},
		{[]string{"receive", "7039990000121", "5", "--data", dir}, "", kiosk.ErrBadCheckDigit, ""},
		{[]string{"receive", "1234567890128", "5", "--data", dir}, "", kiosk.ErrNotFound, ""},
		{[]string{"count", "7039990000120", "-3", "--data", dir}, "", kiosk.ErrBadStockQty, ""},
		{[]string{"count", "--file", "-", "--data", dir}, "7039990000120;1\nbad line\n", kiosk.ErrCountFile, "line 2"},
		{[]string{"count", "--file", filepath.Join(dir, "none.txt"), "--data", dir}, "", os.ErrNotExist, ""},
		{[]string{"threshold", "7039990000120", "-1", "--data", dir}, "", kiosk.ErrBadStockQty, ""},
		{[]string{"report", "--days", "-1", "--data", dir}, "", nil, "must not be negative"},
	}
	for _, tt := range tests {
		out, err := stock(tt.stdin, tt.args...)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("stock %v = %v (%s); want %v %q", tt.args, err, out, tt.want, tt.text)
		}
	}
	// Nothing of it was booked.
	db := mustOpenData(t, dir)
	if p, err := db.Lookup(context.Background(), kiosk.MustGTIN("7039990000120")); err != nil || p.Stock != 38 {
		t.Errorf("water stock %d, %v; want 38", p.Stock, err)
	}
}

func TestStockConfigOutlook(t *testing.T) {
	tests := []struct {
		c    StockConfig
		want kiosk.OutlookParams
	}{
		{StockConfig{}, kiosk.DefaultOutlook},
		{StockConfig{Days: 14}, kiosk.OutlookParams{Days: 14, LeadTime: 3, Review: 7}},
		{StockConfig{LeadTime: 2, Review: 14}, kiosk.OutlookParams{Days: 28, LeadTime: 2, Review: 14}},
	}
	for _, tt := range tests {
		if got := tt.c.Outlook(); got != tt.want {
			t.Errorf("%+v.Outlook() = %+v, want %+v", tt.c, got, tt.want)
		}
	}
}

// TestReceivingE2E: through the real wiring and Badger, the demo's clerk
// signs in, opens receiving, scans a product (the scanner's, not a
// customer's sale) and books 24: the stock, a movement with the clerk and
// the journal record (13999 stock-receipt) are there, the session stays,
// and the staff screen's stock status is read from the store.
func TestReceivingE2E(t *testing.T) {
	e := mustE2E(t)
	g := kiosk.MustGTIN(cola)
	before, err := e.db.Lookup(e.ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedStaffIfEmpty(e.ctx, e.db, quickPINs, time.Now()); err != nil {
		t.Fatal(err)
	}
	clerk := DemoStaff()[0]
	e.co.StaffBadge(clerk.Staff.Badge)
	if err := e.co.StaffPIN(clerk.PIN); err != nil {
		t.Fatal(err)
	}
	untilView(t, e.co, "the stock status", 20*time.Second, func(v kiosk.View) bool {
		return v.Staff != nil && v.Staff.Stock != nil && v.Staff.Stock.Status != nil
	})
	if err := e.co.StaffReceiving(true); err != nil {
		t.Fatal(err)
	}
	e.scanner.Feed(cola)
	untilView(t, e.co, "the product scanned for receiving", 20*time.Second, func(v kiosk.View) bool {
		return v.Staff != nil && v.Staff.Stock != nil && v.Staff.Stock.Scanned != nil
	})
	if err := e.co.ReceiveStock(g, 24); err != nil {
		t.Fatal(err)
	}
	v := e.co.View()
	if v.Staff == nil || v.Count != 0 || v.State != kiosk.Idle {
		t.Fatalf("after receiving: state %v, %d items, staff %+v", v.State, v.Count, v.Staff)
	}
	after, err := e.db.Lookup(e.ctx, g)
	if err != nil || after.Stock != before.Stock+24 {
		t.Fatalf("stock %d, %v; want %d", after.Stock, err, before.Stock+24)
	}
	var last kiosk.StockMovement
	if err := e.db.Movements(e.ctx, g, func(m kiosk.StockMovement) error { last = m; return nil }); err != nil {
		t.Fatal(err)
	}
	if last.Kind != kiosk.MoveReceipt || last.Delta != 24 || last.Staff != clerk.Staff.ID {
		t.Errorf("last movement %+v", last)
	}
	rec, err := e.db.Head(e.ctx)
	if err != nil || rec.Seq != last.Seq || rec.Subtype != kiosk.SubStockReceipt || rec.Data["staff"] != clerk.Staff.ID {
		t.Errorf("journal head %+v, %v; want the receipt recording movement %d", rec, err, last.Seq)
	}
	if _, err := kiosk.VerifyJournal(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
}
