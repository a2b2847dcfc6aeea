package app

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// The demo's products the admin tests change.
const (
	adminSnus  = "7039990000014" // cabinet, 40 in stock, 129,00
	adminCola  = "7039990000113" // shelf, 48 in stock, 32,90
	adminWater = "7039990000120" // shelf, 48 in stock
)

// mustAdminKiosk is a running kiosk (mustE2E) with the demo staff (kari
// a supervisor, PIN 2468; ola a clerk, PIN 1234) and its admin endpoint;
// it returns the endpoint's address.
func mustAdminKiosk(t *testing.T) (*e2e, string) {
	t.Helper()
	e := mustE2E(t)
	if err := seedStaffIfEmpty(e.ctx, e.db, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer((&server{co: e.co, start: time.Now(), db: e.db, dataDir: e.dir, kioskID: "K1"}).handler())
	t.Cleanup(hs.Close)
	return e, strings.TrimPrefix(hs.URL, "http://")
}

// journaled lists the journal's records for which pick gives a text, in
// order.
func journaled(t *testing.T, e *e2e, pick func(kiosk.Record) string) []string {
	t.Helper()
	var out []string
	err := e.db.Scan(e.ctx, 1, func(r kiosk.Record) error {
		if s := pick(r); s != "" {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertRefused checks that err is the kiosk's refusal with status code,
// and that kari's wrong PINs so far are failures.
func assertRefused(t *testing.T, e *e2e, what string, err error, out, code string, failures int) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), code) {
		t.Errorf("%s: %v, want %s\n%s", what, err, code, out)
	}
	if st, err := e.db.LoginState(e.ctx, "kari"); err != nil || st.Failures != failures {
		t.Errorf("%s: kari's log-in state %+v, %v; want %d failures", what, st, err, failures)
	}
}

// TestAdminPriceCommands: price set, audit and labels while the kiosk
// runs go through its endpoint. A wrong PIN is refused (401) and counted
// toward the lock-out, a clerk may not set a price (403), and neither
// changes anything. A supervisor's price set is journaled under them, is
// on the cabinet screen at once and sells on the next scan. The audit
// through the kiosk prints what it prints with the kiosk stopped and
// exits 1 on a mismatch; so do the labels.
func TestAdminPriceCommands(t *testing.T) {
	e, addr := mustAdminKiosk(t)
	clk := kiosk.SystemClock{}
	snus, cola := kiosk.MustGTIN(adminSnus), kiosk.MustGTIN(adminCola)
	at := []string{"--data", e.dir, "--addr", addr}
	set := append([]string{"set", adminSnus, "139,00"}, at...)

	t.Setenv(envAdminPIN, "0000")
	out, err := price(t, clk, append(set, "--staff", "kari")...)
	assertRefused(t, e, "a wrong PIN", err, out, "401", 1)
	t.Setenv(envAdminPIN, "1234")
	out, err = price(t, clk, append(set, "--staff", "ola")...)
	assertRefused(t, e, "a clerk", err, out, "403", 1)
	if p, _ := e.db.Lookup(e.ctx, snus); p.Price != 12900 {
		t.Errorf("a refused price set changed the price to %v", p.Price)
	}

	t.Setenv(envAdminPIN, "2468")
	out, err = price(t, clk, append(set, "--staff", "kari")...)
	if err != nil || !strings.Contains(out, "7039990000014 Nordlys Snus Original Portion 24 g: 129,00 -> 139,00 now, journaled as record") {
		t.Fatalf("price set through the kiosk: %v\n%s", err, out)
	}
	if st, err := e.db.LoginState(e.ctx, "kari"); err != nil || st.Failures != 0 {
		t.Errorf("a right PIN left kari's log-in state %+v, %v", st, err)
	}
	// The cabinet screen shows it at once (PricesChanged), and the
	// basket charges it.
	var onScreen kiosk.Money
	for _, p := range e.co.View().Cabinet {
		if p.GTIN == snus {
			onScreen = p.Price
		}
	}
	if onScreen != 13900 {
		t.Errorf("the cabinet screen shows %v after the price set, want 139,00", onScreen)
	}
	if err := e.co.Add(snus); err != nil {
		t.Fatal(err)
	}
	if v := e.co.View(); len(v.Lines) != 1 || v.Lines[0].Product.Price != 13900 {
		t.Errorf("the next scan sells %+v, want 139,00", v.Lines)
	}
	by := journaled(t, e, func(r kiosk.Record) string {
		if r.Code == kiosk.CodePriceChange {
			return r.Data["gtin"] + " " + r.Data["new"] + " by " + r.Data["by"]
		}
		return ""
	})
	if got := strings.Join(by, ","); got != "07039990000014 139.00 by kari" {
		t.Errorf("price changes journaled: %q; want the one by kari", got)
	}

	// The audit: clean, then with a sale charged below the price.
	audit := append([]string{"audit", "--staff", "ola"}, at...)
	t.Setenv(envAdminPIN, "1234") // a clerk may read it
	if out, err := price(t, clk, audit...); err != nil || !strings.Contains(out, "price audit: 0 sales, 0 lines, 0 mismatches") {
		t.Fatalf("a clean audit through the kiosk: %v\n%s", err, out)
	}
	p, err := e.db.Lookup(e.ctx, cola)
	if err != nil {
		t.Fatal(err)
	}
	charged := p.Price - 100
	bad := kiosk.Line{Product: p, Qty: 1}
	bad.Product.Price = charged
	sold := time.Now().Add(-time.Hour)
	s := kiosk.NewSale(kiosk.PendingSale{ID: "injected", Kiosk: "K9", Started: sold, Lines: []kiosk.Line{bad}, Amount: charged,
		Result: &kiosk.PaymentResult{Approved: true, Amount: charged, CardType: "BankAxept"}}, sold.Add(time.Minute))
	if _, err := e.db.ImportSales(e.ctx, []storage.ImportedSale{{Sale: s,
		Receipt: kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: "K9", SaleID: s.ID, Amount: s.Total}}}); err != nil {
		t.Fatal(err)
	}
	remoteAudit, err := price(t, clk, audit...)
	if !errors.Is(err, ErrPriceMismatch) || !strings.Contains(remoteAudit, "K9\t1\t1\t"+p.GTIN.String()+"\t"+charged.Plain()+"\t"+p.Price.Plain()) {
		t.Fatalf("the audit through the kiosk of a mismatch: %v, want ErrPriceMismatch\n%s", err, remoteAudit)
	}
	var o, eo bytes.Buffer
	if code := Main(append([]string{"price"}, audit...), &o, &eo); code != 1 {
		t.Errorf("selvkasse price audit through the kiosk exit %d, want 1\n%s%s", code, o.String(), eo.String())
	}
	today := time.Now().In(mustZone(t)).Format(time.DateOnly)
	labels := append([]string{"labels", "--since", today, "--staff", "ola"}, at...)
	remoteLabels, err := price(t, clk, labels...)
	if err != nil || !strings.Contains(remoteLabels, "07039990000014;Nordlys Snus Original Portion 24 g;139,00;piece;"+today) {
		t.Fatalf("labels through the kiosk: %v\n%s", err, remoteLabels)
	}

	// With the kiosk stopped, the same words.
	e.close()
	localAudit, err := price(t, clk, "audit", "--data", e.dir)
	if !errors.Is(err, ErrPriceMismatch) || localAudit != remoteAudit {
		t.Errorf("audit with the kiosk stopped: %v\n%s\nthrough the kiosk:\n%s", err, localAudit, remoteAudit)
	}
	if local, err := price(t, clk, "labels", "--since", today, "--data", e.dir); err != nil || local != remoteLabels {
		t.Errorf("labels with the kiosk stopped: %v\n%s\nthrough the kiosk:\n%s", err, local, remoteLabels)
	}
}

func mustZone(t *testing.T) *time.Location {
	t.Helper()
	z, err := signingZone()
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestAdminStockCommands: receive, count, threshold and report while the
// kiosk runs go through its endpoint. A wrong PIN is refused (401) and
// counted, a clerk may receive but not set a threshold (403). What is
// booked is journaled under who authenticated, and the kiosk sells (or
// refuses as sold out) by the new stock at once; the cabinet screen
// shows it. The report prints as it does with the kiosk stopped.
func TestAdminStockCommands(t *testing.T) {
	e, addr := mustAdminKiosk(t)
	snus, cola, water := kiosk.MustGTIN(adminSnus), kiosk.MustGTIN(adminCola), kiosk.MustGTIN(adminWater)
	at := []string{"--data", e.dir, "--addr", addr}
	run := func(stdin string, args ...string) (string, error) { return stock(stdin, append(args, at...)...) }
	stockOf := func(g kiosk.GTIN) int {
		t.Helper()
		p, err := e.db.Lookup(e.ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		return p.Stock
	}

	t.Setenv(envAdminPIN, "0000")
	out, err := run("", "receive", adminWater, "5", "--staff", "kari")
	assertRefused(t, e, "a wrong PIN", err, out, "401", 1)
	t.Setenv(envAdminPIN, "1234")
	out, err = run("", "threshold", adminWater, "10", "--staff", "ola")
	assertRefused(t, e, "a clerk's threshold", err, out, "403", 1)
	if p, _ := e.db.Lookup(e.ctx, water); p.Stock != 48 || p.LowStock != 0 {
		t.Errorf("refused commands changed water: stock %d, threshold %d", p.Stock, p.LowStock)
	}

	// A clerk receives.
	out, err = run("", "receive", adminWater, "5", "--staff", "ola")
	if err != nil || out != "received 5 × Farris Naturell 0,5 l (7039990000120): stock 48 → 53\n" {
		t.Fatalf("a clerk's receive through the kiosk: %v\n%q", err, out)
	}
	// A count file with an unknown product books nothing.
	t.Setenv(envAdminPIN, "2468")
	file := mustWriteFile(t, "count.txt", adminCola+";0\n1234567890128;1\n")
	if out, err := run("", "count", "--file", file, "--staff", "kari"); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("a count of an unknown product: %v\n%s", err, out)
	}
	if n := stockOf(cola); n != 48 {
		t.Errorf("a refused count booked cola: stock %d", n)
	}
	// The supervisor counts the cola and the snus to nothing: the next
	// scan is refused as sold out, the cabinet screen says it at once.
	file = mustWriteFile(t, "count.txt", adminCola+";0\n"+adminSnus+";0\n")
	out, err = run("", "count", "--file", file, "--staff", "kari")
	if err != nil || !strings.Contains(out, "Cola 0,5 l") || !strings.Contains(out, "2 products") || !strings.Contains(out, "-88") {
		t.Fatalf("a count file through the kiosk: %v\n%s", err, out)
	}
	for _, p := range e.co.View().Cabinet {
		if p.GTIN == snus && p.Stock != 0 {
			t.Errorf("the cabinet screen shows the snus's stock %d after the count, want 0", p.Stock)
		}
	}
	// The cabinet sells no more than it holds.
	if err := e.co.Add(snus); !errors.Is(err, kiosk.ErrOutOfStock) {
		t.Errorf("a pick of the counted-out snus: %v, want ErrOutOfStock", err)
	}
	out, err = run("", "receive", adminSnus, "3", "--staff", "kari")
	if err != nil || !strings.Contains(out, "stock 0 → 3") {
		t.Fatalf("receive through the kiosk: %v\n%s", err, out)
	}
	if err := e.co.Add(snus); err != nil {
		t.Errorf("a pick of the received snus: %v", err)
	}
	if v := e.co.View(); len(v.Lines) != 1 || v.Lines[0].Product.Stock != 3 {
		t.Errorf("the basket after receiving: %+v", v.Lines)
	}
	t.Setenv(envAdminPIN, "1234")
	out, err = run("", "count", adminWater, "50", "--staff", "ola")
	if err != nil || !strings.Contains(out, "53") || !strings.Contains(out, "-3") {
		t.Errorf("a clerk's count of one product through the kiosk: %v\n%s", err, out)
	}
	if n := stockOf(water); n != 50 {
		t.Errorf("water after the count: %d, want 50", n)
	}
	t.Setenv(envAdminPIN, "2468")
	out, err = run("", "threshold", adminWater, "60", "--staff", "kari")
	if err != nil || out != "Farris Naturell 0,5 l (7039990000120): low at 60 or less, stock 50: low now\n" {
		t.Errorf("threshold through the kiosk: %v\n%q", err, out)
	}
	got := journaled(t, e, func(r kiosk.Record) string {
		if r.Code == kiosk.CodeOther && strings.HasPrefix(r.Subtype, "stock-") {
			return r.Subtype + " " + r.Data["gtin"] + " " + r.Data["staff"]
		}
		return ""
	})
	want := "stock-receipt 07039990000120 ola,stock-count 07039990000113 kari,stock-count 07039990000014 kari," +
		"stock-receipt 07039990000014 kari,stock-count 07039990000120 ola"
	if strings.Join(got, ",") != want {
		t.Errorf("journal:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	t.Setenv(envAdminPIN, "1234")
	remote, err := run("", "report", "--csv", "--lead-time", "30", "--staff", "ola")
	if err != nil || !strings.HasPrefix(remote, "gtin;name;stock;sold;days_left;order\n") {
		t.Fatalf("report through the kiosk: %v\n%s", err, remote)
	}

	e.close()
	if local, err := stock("", "report", "--csv", "--lead-time", "30", "--data", e.dir); err != nil || local != remote {
		t.Errorf("report with the kiosk stopped: %v\n%s\nthrough the kiosk:\n%s", err, local, remote)
	}
}
