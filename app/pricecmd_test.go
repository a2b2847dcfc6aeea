package app

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// price runs `selvkasse price args...` at clk's time.
func price(t *testing.T, clk kiosk.Clock, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runPrice(args, clk, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestPriceDemoDay: on a demo day through the real checkout, a price
// change set at 09:00 for 12:00 (as the admin endpoint would, on the
// running kiosk's store) sells the old price at 11:59 and the new one at
// 12:01; the day audits clean, the shelf labels list the change, and the
// SAF-T export carries the 13021 event and still validates.
func TestPriceDemoDay(t *testing.T) {
	d := mustSAFTDay(t)
	cola := kiosk.MustGTIN(demoCola)
	old, err := d.db.Lookup(d.ctx, cola)
	d.must(err)
	d.at(8, 30)
	d.sell("BankAxept", demoCola, demoSnus)
	d.at(9, 0)
	noon := d.day.Add(12 * time.Hour)
	c, err := priceSet(d.ctx, d.db, cola, old.Price+500, noon, "ola")
	d.must(err)
	if c.Old != old.Price || c.Record.Code != kiosk.CodePriceChange {
		t.Errorf("change %+v", c)
	}
	d.at(11, 59)
	d.sell("Visa", demoCola)
	d.at(12, 1)
	d.sell("Visa", demoCola, demoChocolate)
	d.at(13, 0)
	d.sell("BankAxept", demoPaper)
	d.close()

	db, err := storage.Open(d.dir, storage.Options{ReadOnly: true})
	d.must(err)
	var got []kiosk.Money
	d.must(db.ScanSales(d.ctx, func(s kiosk.Sale) error {
		for _, l := range s.Lines {
			if l.Product.GTIN == cola {
				got = append(got, l.Product.Price)
			}
		}
		return nil
	}))
	db.Close()
	if want := []kiosk.Money{old.Price, old.Price, old.Price + 500}; !slices.Equal(got, want) {
		t.Errorf("cola sold at %v, want %v", got, want)
	}

	clk := kiosktest.NewClock(d.day.Add(22 * time.Hour))
	date := d.day.Format(time.DateOnly)
	out, err := price(t, clk, "audit", "--data", d.dir, "--from", date, "--to", date)
	if err != nil || !strings.Contains(out, "4 sales, 6 lines, 0 mismatches") {
		t.Errorf("audit of the demo day: %v\n%s", err, out)
	}
	out, err = price(t, clk, "labels", "--since", date, "--data", d.dir)
	want := "gtin;name;price;unit;effective_from\n" + string(cola) + ";" + old.Name + ";" + strings.Replace((old.Price+500).Decimal(), ".", ",", 1) + ";piece;" + date + " 12:00\n"
	if err != nil || out != want {
		t.Errorf("labels: %v\n got %q\nwant %q", err, out, want)
	}

	outDir := t.TempDir()
	msg, code := saftExportCmd("--data", d.dir, "--from", date, "--to", date, "--out", outDir)
	if code != 0 {
		t.Fatalf("saft export = %d\n%s", code, msg)
	}
	path := exportedFile(t, outDir)
	xmllintCheck(t, path)
	reg := readSAFT(t, path).Company.Locations[0].Registers[0]
	changes := 0
	for _, e := range reg.Events {
		if e.Type == "13021" {
			changes++
		}
	}
	if changes != 1 {
		t.Errorf("%d price change events (13021) in the SAF-T file, want 1", changes)
	}
	var vout, verr bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", d.dir}, &vout, &verr); code != 0 {
		t.Errorf("journal verify = %d\n%s%s", code, vout.String(), verr.String())
	}
	vout.Reset()
	if code := Main([]string{"journal", "export", "--data", d.dir}, &vout, &verr); code != 0 || !strings.Contains(vout.String(), "13021 Price change") {
		t.Errorf("journal export = %d, without the price change:\n%s%s", code, vout.String(), verr.String())
	}
}

// mustStoppedShop is a seeded data dir, closed.
func mustStoppedShop(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := mustSeededDB(t, dir)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPriceSetCommand(t *testing.T) {
	zone, err := signingZone()
	if err != nil {
		t.Skip(err)
	}
	dir := mustStoppedShop(t)
	clk := kiosktest.NewClock(time.Date(2026, 12, 6, 15, 0, 0, 0, zone)) // Sunday afternoon
	tests := []struct {
		name    string
		args    []string
		wantErr error
		usage   bool
		say     string
	}{
		{"Monday 06:00", []string{"set", demoCola, "39,90", "--from", "2026-12-07 06:00", "--data", dir}, nil, false, "32,90 -> 39,90 from 2026-12-07 06:00:00"},
		{"flags first", []string{"set", "--data", dir, "--from", "2026-12-08", demoCola, "41"}, nil, false, "-> 41,00 from 2026-12-08 00:00:00"},
		{"now", []string{"set", demoChocolate, "27,50", "--data", dir}, nil, false, "-> 27,50 now"},
		{"in the past", []string{"set", demoCola, "39,90", "--from", "2026-12-06 14:59", "--data", dir}, kiosk.ErrPriceInPast, false, "effective time is in the past"},
		{"free", []string{"set", demoCola, "0", "--from", "2026-12-07 06:00", "--data", dir}, kiosk.ErrBadPriceChange, false, "positive"},
		{"not a price", []string{"set", demoCola, "abc", "--data", dir}, kiosk.ErrBadAmount, false, "bad amount"},
		{"unknown product", []string{"set", "7039990009994", "10", "--data", dir}, kiosk.ErrNotFound, false, "not in the catalog"},
		{"bad time", []string{"set", demoCola, "10", "--from", "monday", "--data", dir}, nil, false, "YYYY-MM-DD HH:MM"},
		{"no price", []string{"set", demoCola, "--data", dir}, nil, true, "give GTIN and PRICE"},
		{"no data dir", []string{"set", demoCola, "10", "--data", filepath.Join(dir, "nope")}, nil, false, "no data dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := price(t, clk, tt.args...)
			msg := out
			if err != nil {
				msg += err.Error()
			}
			if !strings.Contains(msg, tt.say) {
				t.Errorf("output %q, want it to say %q", msg, tt.say)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			var u usageError
			if isUsage := errors.As(err, &u); isUsage != tt.usage {
				t.Errorf("usage error %v, want %v (%v)", isUsage, tt.usage, err)
			}
		})
	}
	// The scheduled prices are in the store, and sell from 06:00.
	clk.AdvanceTo(time.Date(2026, 12, 7, 6, 0, 0, 0, zone))
	db, err := storage.Open(dir, storage.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Lookup(context.Background(), kiosk.MustGTIN(demoCola))
	if err != nil || p.Price != 3990 {
		t.Errorf("cola on Monday 06:00: %v (%v), want 39,90", p.Price, err)
	}
	n := 0
	_ = db.Scan(context.Background(), 1, func(r kiosk.Record) error {
		if r.Code == kiosk.CodePriceChange {
			n++
		}
		return nil
	})
	if n != 3 {
		t.Errorf("%d price changes journaled, want 3", n)
	}
}

// TestPriceAuditFindsInjectedMismatch: a seeded history (bench seed)
// audits clean; a sale written past the checkout with a wrong price is
// listed with its kiosk, receipt, line, GTIN, charged and expected price,
// and the exit status is 1.
func TestPriceAuditFindsInjectedMismatch(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fakeSign(db)
	from := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	if err := Seed(ctx, db, SeedSpec{Products: 40, Sales: 300, Kiosk: "K1", From: from, Seed: 3}, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	clk := kiosktest.NewClock(from.AddDate(0, 1, 0))
	out, err := price(t, clk, "audit", "--data", dir)
	if err != nil || !strings.Contains(out, "300 sales") || !strings.Contains(out, " 0 mismatches") {
		t.Fatalf("audit of the seeded history: %v\n%s", err, out)
	}

	db, err = storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fakeSign(db)
	ps, err := db.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	charged := p.Price - 100
	bad := kiosk.Line{Product: p, Qty: 1}
	bad.Product.Price = charged
	at := from.Add(time.Hour)
	s := kiosk.NewSale(kiosk.PendingSale{ID: "injected", Kiosk: "K1", Started: at, Lines: []kiosk.Line{bad}, Amount: charged,
		Result: &kiosk.PaymentResult{Approved: true, Amount: charged, CardType: "BankAxept"}}, at.Add(time.Minute))
	if _, err := db.ImportSales(ctx, []storage.ImportedSale{{Sale: s,
		Receipt: kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: "K1", SaleID: s.ID, Amount: s.Total}}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, err = price(t, clk, "audit", "--data", dir)
	if !errors.Is(err, ErrPriceMismatch) {
		t.Fatalf("audit with the injected sale: err = %v, want ErrPriceMismatch\n%s", err, out)
	}
	row := "K1\t301\t1\t" + p.GTIN.String() + "\t" + charged.Plain() + "\t" + p.Price.Plain()
	if !strings.Contains(out, row) || !strings.Contains(out, "301 sales") || !strings.Contains(out, " 1 mismatches") {
		t.Errorf("audit output lacks %q:\n%s", row, out)
	}
	// A day without the injected sale audits clean.
	out, err = price(t, clk, "audit", "--data", dir, "--to", "2026-03-01")
	if err != nil || !strings.Contains(out, "0 sales") {
		t.Errorf("audit of the day before: %v\n%s", err, out)
	}
	// Through Main: exit status 1.
	var o, e bytes.Buffer
	if code := Main([]string{"price", "audit", "--data", dir}, &o, &e); code != 1 {
		t.Errorf("selvkasse price audit exit %d, want 1\n%s%s", code, o.String(), e.String())
	}
}

// TestPriceCabinetScreenFollowsSchedule: a cabinet price set on the
// running kiosk's store at 09:00 for 12:00 (as the admin endpoint does,
// then PricesChanged) is on the cabinet screen from 12:00:00, without a
// sale or a restart; a nanosecond before, the old price. The basket
// charges what the screen shows.
func TestPriceCabinetScreenFollowsSchedule(t *testing.T) {
	d := mustSAFTDay(t)
	snus := kiosk.MustGTIN(demoSnus)
	old, err := d.db.Lookup(d.ctx, snus)
	d.must(err)
	cabinetPrice := func(v kiosk.View) kiosk.Money {
		for _, p := range v.Cabinet {
			if p.GTIN == snus {
				return p.Price
			}
		}
		t.Fatalf("%s not on the cabinet screen", demoSnus)
		return 0
	}
	d.at(9, 0)
	noon := d.day.Add(12 * time.Hour)
	_, err = priceSet(d.ctx, d.db, snus, old.Price+1000, noon, "ola")
	d.must(err)
	d.must(d.co.PricesChanged(d.ctx))
	d.clock.AdvanceTo(noon.Add(-time.Nanosecond))
	if got := cabinetPrice(d.co.View()); got != old.Price {
		t.Errorf("cabinet screen a nanosecond before noon: %v, want %v", got, old.Price)
	}
	d.clock.AdvanceTo(noon)
	v := untilView(t, d.co, "the new price on the cabinet screen", 30*time.Second, func(v kiosk.View) bool {
		return cabinetPrice(v) == old.Price+1000
	})
	_ = v
	d.must(d.co.Add(snus))
	v = untilView(t, d.co, "snus in the basket", 30*time.Second, func(v kiosk.View) bool { return len(v.Lines) == 1 })
	if l := v.Lines[0]; l.Product.Price != old.Price+1000 || !l.Product.PriceFrom.Equal(noon) {
		t.Errorf("basket line %v from %v, want %v from noon", l.Product.Price, l.Product.PriceFrom, old.Price+1000)
	}
}

// FuzzParseEffective: any --from text is a time in Norwegian time or an
// error, never a panic; a time it gives, printed, reads back to the same
// wall clock (in the autumn's repeated hour the instant may differ).
func FuzzParseEffective(f *testing.F) {
	for _, s := range []string{"2026-12-07 06:00", "2026-12-07", "2026-12-07T06:00:05", "", "monday", "2026-13-01 06:00", "2026-03-29 02:30"} {
		f.Add(s)
	}
	zone, err := signingZone()
	if err != nil {
		f.Skip(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := parseEffective(s, zone)
		if err != nil || tm.IsZero() {
			return
		}
		const layout = "2006-01-02 15:04:05"
		again, err := parseEffective(tm.In(zone).Format(layout), zone)
		if err != nil || again.In(zone).Format(layout) != tm.In(zone).Format(layout) {
			t.Fatalf("parseEffective(%q) = %v; printed and read again: %v, %v", s, tm, again, err)
		}
	})
}

// TestPriceLabelsUnit: the shelf label of goods sold by the kg says the
// price is per kg, and a piece's per piece (prisopplysningsforskriften:
// weighed goods show their price per kilogram). Every label said
// "piece" before.
func TestPriceLabelsUnit(t *testing.T) {
	ctx := context.Background()
	db := mustSeededDB(t, t.TempDir())
	defer db.Close()
	sweets := kiosk.Product{GTIN: kiosk.MustGTIN("2312345000002"), Name: "Smågodt i løsvekt", Group: kiosk.GroupFood,
		VAT: kiosk.VAT15, Price: 18900, Stock: 100, Unit: kiosk.UnitKg}
	if err := db.Put(ctx, sweets); err != nil {
		t.Fatal(err)
	}
	from := time.Now().Add(time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		g     kiosk.GTIN
		price kiosk.Money
	}{{sweets.GTIN, 19900}, {kiosk.MustGTIN(demoCola), 3490}} {
		if _, err := priceSet(ctx, db, c.g, c.price, from, "ola"); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := priceLabels(ctx, db, priceLabelsParams{Since: from.Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	units := map[kiosk.GTIN]string{}
	for _, l := range ls {
		units[l.GTIN] = l.Unit
	}
	if want := map[kiosk.GTIN]string{sweets.GTIN: "kg", kiosk.MustGTIN(demoCola): "piece"}; !maps.Equal(units, want) {
		t.Errorf("label units %v, want %v", units, want)
	}
}
