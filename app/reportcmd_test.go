package app

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// reportSales completes a sale of amount for each kiosk named, in the
// store in dir, and leaves a sale of kiosk open when pending is true.
func reportSales(t *testing.T, dir string, pending bool, kiosks ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fakeSign(db)
	p := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000014"), Name: "Snus", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 4990, MinAge: 18, Cabinet: true}
	for i, k := range kiosks {
		ps := kiosk.PendingSale{ID: k + "-" + string(rune('a'+i)), Kiosk: k, Started: time.Now().Add(-time.Hour), Lines: []kiosk.Line{{Product: p, Qty: 1}}, Amount: 4990,
			Result: &kiosk.PaymentResult{Approved: true, Amount: 4990, CardType: "Visa"}}
		s := kiosk.NewSale(ps, time.Now().Add(-time.Hour))
		if _, err := db.CompleteSale(ctx, s, kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: k, SaleID: s.ID, Amount: s.Total}); err != nil {
			t.Fatal(err)
		}
		if pending {
			ps.ID += "-open"
			if err := db.SavePending(ctx, ps, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: ps.Started, Kiosk: k}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	reportSales(t, dir, false, "K1", "K1")
	run := func(args ...string) (string, error) {
		var out, errOut strings.Builder
		if code := Main(append([]string{"report"}, args...), &out, &errOut); code != 0 {
			return out.String(), errors.New(errOut.String())
		}
		return out.String(), nil
	}
	out, err := run("x", "--data", dir)
	if err != nil || !strings.Contains(out, "X-RAPPORT") || !hasPair(out, "Kontantsalg", "2  99,80") ||
		!strings.Contains(out, "X report of kiosk K1 journaled as record") {
		t.Fatalf("report x = %v\n%s", err, out)
	}
	// The system id, made by the first report for a data dir without
	// one, is on both (kassasystemlova § 2 f; the till, § 2-8-2 (1) d,
	// was there before).
	id, err := readSystemID(dir)
	if err != nil || !hasPair(out, "System-ID", id) {
		t.Errorf("report x names system id %q (%v):\n%s", id, err, out)
	}
	out, err = run("z", "--data", dir)
	if err != nil || !strings.Contains(out, "Z-RAPPORT nr. 1") || !hasPair(out, "Differanse", "ukjent") {
		t.Fatalf("report z = %v\n%s", err, out)
	}
	if !hasPair(out, "System-ID", id) {
		t.Errorf("report z does not name system id %q:\n%s", id, out)
	}
	if _, err := run("z", "--data", dir); err == nil || !strings.Contains(err.Error(), "already run") {
		t.Fatalf("a second report z today = %v", err)
	}
	out, err = run("x", "--data", dir)
	if err != nil || !hasPair(out, "Forrige Z-rapport", "nr. 1") || !hasPair(out, "Kontantsalg", "0  0,00") {
		t.Fatalf("report x after the Z = %v\n%s", err, out)
	}
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum, err := kiosk.VerifyJournal(context.Background(), db)
	if err != nil || sum.ByCode[kiosk.CodeZReport] != 1 || sum.ByCode[kiosk.CodeXReport] != 2 {
		t.Errorf("journal after the reports: %+v, %v", sum.ByCode, err)
	}
}

func TestReportCommandRefuses(t *testing.T) {
	var out, errOut strings.Builder
	missing := filepath.Join(t.TempDir(), "typo")
	if code := Main([]string{"report", "x", "--data", missing}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "no data dir") {
		t.Errorf("report x on a missing dir: %d %s", code, errOut.String())
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("report x made the missing data dir")
	}
	for _, args := range [][]string{{"report"}, {"report", "y", "--data", "d"}, {"report", "x"}, {"report", "x", "--data", "d", "--config", "c"}} {
		if code := Main(args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage)", args, code)
		}
	}
	two := t.TempDir()
	reportSales(t, two, false, "K1", "K2")
	errOut.Reset()
	if code := Main([]string{"report", "z", "--data", two}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "K1, K2: name one with --kiosk") {
		t.Errorf("report z on two kiosks: %d %s", code, errOut.String())
	}
	open := t.TempDir()
	reportSales(t, open, true, "K1")
	errOut.Reset()
	if code := Main([]string{"report", "z", "--data", open, "--kiosk", "K1"}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "a sale is open") || !strings.Contains(errOut.String(), "Start the kiosk") {
		t.Errorf("report z with an open sale: %d %s", code, errOut.String())
	}
}

// With the configuration, the Z report closes the card terminal's day
// first and compares; a terminal that cannot be reached leaves the
// difference unknown, and the Z report is made all the same.
func TestReportZClosesTheTerminalDay(t *testing.T) {
	ctx := t.Context()
	cfg := mustPaidAtTerminal(t, 4990, 1000) // the second the kiosk never recorded
	reportSales(t, cfg.DataDir, false, "K1")
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if code := Main([]string{"report", "z", "--config", path}, &out, &errOut); code != 0 {
		t.Fatalf("report z --config: %s", errOut.String())
	}
	for _, want := range [][2]string{{"Terminal, dagsoppgjør", "2  59,90"}, {"Kasse, kort", "1  49,90"}, {"Differanse", "10,00"}} {
		if !hasPair(out.String(), want[0], want[1]) {
			t.Errorf("the Z report lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(out.String(), DemoShop.Name) {
		t.Errorf("the Z report does not name the shop:\n%s", out.String())
	}

	// The next day, no terminal to be had.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Devices.Terminal.Addr = ln.Addr().String()
	ln.Close()
	clk := kiosktest.NewClock(time.Now().Add(24 * time.Hour))
	out.Reset()
	errOut.Reset()
	if err := runReport(ctx, cfg, true, true, clk, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Z-RAPPORT nr. 2") || !hasPair(out.String(), "Differanse", "ukjent") ||
		!strings.Contains(errOut.String(), "cannot close its day") {
		t.Errorf("Z report without the terminal:\n%s\n%s", out.String(), errOut.String())
	}
}

// hasPair reports whether text has a line of left and right, laid out
// apart.
func hasPair(text, left, right string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, left+" ") && strings.HasSuffix(l, " "+right) && strings.TrimSpace(l[len(left):len(l)-len(right)]) == "" {
			return true
		}
	}
	return false
}

// TestReportNamesSystemAndVersion: the X and Z reports name the system
// with its version (the product declaration is for a version), in the
// report's width.
func TestReportNamesSystemAndVersion(t *testing.T) {
	name := systemName()
	if !strings.HasPrefix(name, "Selvkasse ") || !strings.Contains(name, softwareVersion()) {
		t.Errorf("system name %q, want Selvkasse and version %q", name, softwareVersion())
	}
	if n := len("Kassasystem") + 1 + len("Selvkasse ") + 20; n > kiosk.ReportColumns {
		t.Errorf("the longest system name takes %d columns, the report has %d", n, kiosk.ReportColumns)
	}
	dir := t.TempDir()
	reportSales(t, dir, false, "K1")
	var out, errOut strings.Builder
	if code := Main([]string{"report", "x", "--data", dir}, &out, &errOut); code != 0 || !hasPair(out.String(), "Kassasystem", name) {
		t.Errorf("report x (%d, %s):\n%s", code, errOut.String(), out.String())
	}
}
