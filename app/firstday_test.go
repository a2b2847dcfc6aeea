package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// grossistMap maps testdata/grossist.csv's own columns (a wholesaler's
// price file, Windows-1252, ";", decimal comma) to the catalog's fields:
// the README's "A shop's first day" gives it to --map.
const grossistMap = "gtin=EAN,name=Varetekst,price=Pris inkl. mva,vat=Mva,group=Varegruppe,age_limit=Aldersgrense,cabinet=Skap,compartment=Rom"

// The goods of testdata/grossist.csv the first day works with.
const (
	fdSnus  = "7038010009457" // General Snus Original Portion, compartment 1
	fdCigs  = "7041000000013" // Marlboro Gold 20 stk, compartment 2
	fdCola  = "7039990000113" // Coca-Cola 0,5 l, shelf
	fdChoco = "7040913336684" // Freia Melkesjokolade 60 g, shelf
)

// TestShopFirstDay is the README's "A shop's first day", command by
// command as the shop owner types them, on an empty data dir: the
// wholesaler's file imported (and imported again: nothing changes),
// goods received, a day of sales through the real checkout, the stock
// report naming what runs out, a price set for tomorrow 06:00 (and one in
// the past refused), the shelf labels, the price audit clean, and the
// journal verifying.
func TestShopFirstDay(t *testing.T) {
	dir := t.TempDir()
	// expect(want…)(command(…)) fails on the command's error and on
	// output without each of want, and returns the output.
	expect := func(want ...string) func(string, error) string {
		return func(out string, err error) string {
			t.Helper()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			return out
		}
	}

	// 1. The wholesaler's price file.
	expect("csv, windows-1252, separator ';'", "good lines: 8, problems: 0", "imported: 8 added, 0 changed")(runCatalog(t, "import", "--data", dir, "--map", grossistMap, "--staff", "kari", "testdata/grossist.csv"))
	expect("imported: 0 added, 0 changed (0 price changes), 8 unchanged")(runCatalog(t, "import", "--data", dir, "--map", grossistMap, "--staff", "kari", "testdata/grossist.csv"))

	// 2. Goods received, and a threshold for the cola.
	expect("stock 0 → 40")(stock("", "receive", fdSnus, "40", "--data", dir))
	expect("stock 0 → 20")(stock("", "receive", fdCigs, "20", "--data", dir))
	expect("stock 0 → 12")(stock("", "receive", fdCola, "12", "--data", dir))
	expect("stock 0 → 30")(stock("", "receive", fdChoco, "30", "--data", dir))
	expect("low at 6 or less")(stock("", "threshold", fdCola, "6", "--data", dir))

	// 3. A day of sales, on the kiosk with its real checkout: the demo
	// starts on the imported catalog (it seeds only an empty one). The
	// sales are made on a clock an hour behind (the stock report below
	// reads the system clock, and counts no sale after it).
	d := mustSAFTDayIn(t, dir, time.Now().Add(-time.Hour))
	if ps, err := d.db.List(d.ctx); err != nil || len(ps) != 8 {
		t.Fatalf("the kiosk sells %d products, %v; want the file's 8", len(ps), err)
	}
	for i := 0; i < 5; i++ {
		d.clock.Advance(5 * time.Minute)
		d.sell("BankAxept", fdCola, fdCola, fdSnus)
	}
	d.clock.Advance(5 * time.Minute)
	d.sell("Visa", fdChoco, fdCigs)
	d.close()

	// 4. The stock report: ten colas of twelve sold today, two left,
	// below the threshold; it runs out within the lead time.
	out := expect("Coca-Cola 0,5 l")(stock("", "report", "--data", dir))
	if strings.Contains(out, "General Snus") && !strings.Contains(out, "Coca-Cola") {
		t.Errorf("the report:\n%s", out)
	}
	expect("gtin;name;stock;sold;days_left;order", fdCola)(stock("", "report", "--csv", "--data", dir))

	// 5. A new price for tomorrow 06:00; one in the past is refused.
	clk := kiosktest.NewClock(d.clock.Now().Add(time.Hour))
	tomorrow := d.day.AddDate(0, 0, 1).Format(time.DateOnly)
	expect("32,50 -> 34,90", "13021")(price(t, clk, "set", fdCola, "34,90", "--from", tomorrow+" 06:00", "--data", dir))
	// An hour ago, in the shop's zone: not "06:00 today", which is still
	// to come when the test runs soon after midnight.
	past := clk.Now().Add(-time.Hour).In(d.day.Location()).Format("2006-01-02 15:04")
	if out, err := price(t, clk, "set", fdCola, "30,00", "--from", past, "--data", dir); err == nil {
		t.Errorf("a price from an hour ago was accepted:\n%s", out)
	}
	expect("07039990000113;Coca-Cola 0,5 l;34,90;piece;" + tomorrow + " 06:00")(price(t, clk, "labels", "--since", d.day.Format(time.DateOnly), "--data", dir))

	// 6. The audit: every line of the day at the price in force.
	expect("6 sales, 12 lines, 0 mismatches")(price(t, clk, "audit", "--data", dir))
	var vout, verr bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", dir}, &vout, &verr); code != 0 {
		t.Errorf("journal verify = %d\n%s%s", code, vout.String(), verr.String())
	}

	// Tomorrow at 06:00 the kiosk sells the new price.
	d2 := mustSAFTDayIn(t, dir, d.day.AddDate(0, 0, 1).Add(6*time.Hour))
	p, err := d2.db.Lookup(d2.ctx, kiosk.MustGTIN(fdCola))
	if err != nil || p.Price != 3490 {
		t.Errorf("tomorrow 06:00 the cola costs %v, %v; want kr 34,90", p.Price, err)
	}
}
