package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// priceT0 is Monday 2026-12-07 05:00 Oslo; the changes are set for 06:00.
var (
	priceT0  = time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	priceSix = priceT0.Add(time.Hour)
)

// mustOpenClock opens dir with the price clock clk.
func mustOpenClock(tb testing.TB, dir string, clk kiosk.Clock) *DB {
	tb.Helper()
	d, err := Open(dir, Options{Clock: clk})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	d.SetSigner(&kiosktest.Signer{}, testZone)
	return d
}

func mustPut(tb testing.TB, d *DB, ps ...kiosk.Product) {
	tb.Helper()
	for _, p := range ps {
		if err := d.Put(context.Background(), p); err != nil {
			tb.Fatalf("Put(%s): %v", p.Name, err)
		}
	}
}

func mustLookup(tb testing.TB, d *DB, g kiosk.GTIN) kiosk.Product {
	tb.Helper()
	p, err := d.Lookup(context.Background(), g)
	if err != nil {
		tb.Fatalf("Lookup(%s): %v", g, err)
	}
	return p
}

func mustSetPrice(tb testing.TB, d *DB, g kiosk.GTIN, price kiosk.Money, from time.Time) PriceChange {
	tb.Helper()
	c, err := d.SetPrice(context.Background(), g, price, from, "test")
	if err != nil {
		tb.Fatalf("SetPrice(%s, %v, %v): %v", g, price, from, err)
	}
	return c
}

// wantPrice checks Lookup, List and Cabinet all give g price from from.
func wantPrice(tb testing.TB, d *DB, g kiosk.GTIN, price kiosk.Money, from time.Time) {
	tb.Helper()
	ctx := context.Background()
	p := mustLookup(tb, d, g)
	if p.Price != price || !p.PriceFrom.Equal(from) {
		tb.Errorf("Lookup(%s) at %v: %v from %v, want %v from %v", g, d.now(), p.Price, p.PriceFrom, price, from)
	}
	list, err := d.List(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	cab, err := d.Cabinet(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for what, ps := range map[string][]kiosk.Product{"List": list, "Cabinet": cab} {
		for _, q := range ps {
			if q.GTIN == g && (q.Price != price || !q.PriceFrom.Equal(from)) {
				tb.Errorf("%s: %s at %v from %v, want %v from %v", what, g, q.Price, q.PriceFrom, price, from)
			}
		}
	}
}

// TestScheduledPriceTakesEffectOnTheSecond: a price set on Sunday for
// Monday 06:00 sells from 06:00:00 exactly, without a restart: a
// nanosecond before, the old price.
func TestScheduledPriceTakesEffectOnTheSecond(t *testing.T) {
	clk := kiosktest.NewClock(priceT0.Add(-24 * time.Hour))
	d := mustOpenClock(t, t.TempDir(), clk)
	mustPut(t, d, pCigs, pWater)
	c := mustSetPrice(t, d, pCigs.GTIN, 16900, priceSix)
	if c.Old != pCigs.Price || c.New != 16900 || !c.From.Equal(priceSix) {
		t.Errorf("change %+v", c)
	}
	wantPrice(t, d, pCigs.GTIN, pCigs.Price, time.Time{})
	if at, ok := d.NextPriceChange(clk.Now()); !ok || !at.Equal(priceSix) {
		t.Errorf("NextPriceChange = %v, %v; want 06:00", at, ok)
	}
	if at, ok := d.NextPriceChange(priceSix); ok {
		t.Errorf("NextPriceChange at 06:00 = %v; want none after it", at)
	}
	clk.AdvanceTo(priceSix.Add(-time.Nanosecond))
	wantPrice(t, d, pCigs.GTIN, pCigs.Price, time.Time{})
	clk.AdvanceTo(priceSix)
	wantPrice(t, d, pCigs.GTIN, 16900, priceSix)
	wantPrice(t, d, pWater.GTIN, pWater.Price, time.Time{})
	clk.Advance(time.Hour)
	wantPrice(t, d, pCigs.GTIN, 16900, priceSix)
}

// TestScheduledPriceSurvivesRestart: the schedule is in the store; a
// kiosk restarted before 06:00 changes the price at 06:00, one started
// after sells the new price at once and moves it into the catalog.
func TestScheduledPriceSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clk := kiosktest.NewClock(priceT0.Add(-24 * time.Hour))
	d := mustOpenClock(t, dir, clk)
	mustPut(t, d, pCigs)
	mustSetPrice(t, d, pCigs.GTIN, 16900, priceSix)
	mustSetPrice(t, d, pCigs.GTIN, 17500, priceSix.Add(7*24*time.Hour))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	clk.AdvanceTo(priceT0)
	d = mustOpenClock(t, dir, clk)
	wantPrice(t, d, pCigs.GTIN, pCigs.Price, time.Time{})
	clk.AdvanceTo(priceSix)
	wantPrice(t, d, pCigs.GTIN, 16900, priceSix)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	clk.AdvanceTo(priceSix.Add(time.Minute))
	d = mustOpenClock(t, dir, clk)
	wantPrice(t, d, pCigs.GTIN, 16900, priceSix)
	if n := countKeys(t, d, prefSched); n != 1 {
		t.Errorf("%d scheduled versions left after the restart past 06:00, want 1 (next week's)", n)
	}
	var raw kiosk.Product
	if err := d.bdb.View(func(txn *badger.Txn) error { _, err := getJSON(txn, catKey(pCigs.GTIN), &raw); return err }); err != nil {
		t.Fatal(err)
	}
	if raw.Price != 16900 || !raw.PriceFrom.Equal(priceSix) {
		t.Errorf("catalog record after the restart: %v from %v, want 169,00 from 06:00", raw.Price, raw.PriceFrom)
	}
	clk.AdvanceTo(priceSix.Add(7 * 24 * time.Hour))
	wantPrice(t, d, pCigs.GTIN, 17500, priceSix.Add(7*24*time.Hour))

	vs, err := d.PriceHistory(context.Background(), pCigs.GTIN)
	if err != nil {
		t.Fatal(err)
	}
	var got []kiosk.Money
	for _, v := range vs {
		got = append(got, v.Price)
	}
	if want := []kiosk.Money{pCigs.Price, 16900, 17500}; !slices.Equal(got, want) || !vs[0].From.IsZero() {
		t.Errorf("history %+v, want prices %v, the first since forever", vs, want)
	}
}

func countKeys(t *testing.T, d *DB, prefix string) int {
	t.Helper()
	n := 0
	err := d.bdb.View(func(txn *badger.Txn) error {
		return d.scanPrefix(txn, []byte(prefix), func(k, v []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSetPriceJournals13021: each change is journaled when it is made,
// with the old price, the new one and the effective time; one for now
// changes the price at once.
func TestSetPriceJournals13021(t *testing.T) {
	clk := kiosktest.NewClock(priceT0)
	d := mustOpenClock(t, t.TempDir(), clk)
	mustPut(t, d, pWater)
	c := mustSetPrice(t, d, pWater.GTIN, 3290, priceSix)
	r := c.Record
	if r.Code != kiosk.CodePriceChange || !r.Time.Equal(priceT0) || r.Data["old"] != "29.90" || r.Data["new"] != "32.90" ||
		r.Data["from"] != "2026-12-07T05:00:00Z" || r.Data["gtin"] != string(pWater.GTIN) || r.Data["by"] != "test" {
		t.Errorf("record %+v", r)
	}
	head, err := d.Head(context.Background())
	if err != nil || head.Seq != r.Seq {
		t.Fatalf("head %d (%v), want the change's record %d", head.Seq, err, r.Seq)
	}
	// A second change, for later still: its old price is 06:00's.
	c2 := mustSetPrice(t, d, pWater.GTIN, 3490, priceSix.Add(time.Hour))
	if c2.Old != 3290 {
		t.Errorf("old price of the second change %v, want 32,90", c2.Old)
	}
	// Now, at once.
	clk.Advance(time.Minute)
	now := clk.Now()
	c3 := mustSetPrice(t, d, pWater.GTIN, 2590, time.Time{})
	if c3.Old != pWater.Price || !c3.From.Equal(now) {
		t.Errorf("change now %+v", c3)
	}
	wantPrice(t, d, pWater.GTIN, 2590, now)
	clk.AdvanceTo(priceSix)
	wantPrice(t, d, pWater.GTIN, 3290, priceSix)
}

// TestSetPriceRefuses: a change in the past, a price that is not
// positive and an unknown product are refused; nothing is written.
func TestSetPriceRefuses(t *testing.T) {
	clk := kiosktest.NewClock(priceSix)
	d := mustOpenClock(t, t.TempDir(), clk)
	mustPut(t, d, pWater)
	head, err := d.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		g     kiosk.GTIN
		price kiosk.Money
		from  time.Time
		want  error
		say   string
	}{
		{"a second ago", pWater.GTIN, 3290, priceSix.Add(-time.Second), kiosk.ErrPriceInPast, "effective time is in the past"},
		{"yesterday", pWater.GTIN, 3290, priceSix.AddDate(0, 0, -1), kiosk.ErrPriceInPast, "effective time is in the past"},
		{"free", pWater.GTIN, 0, priceSix.Add(time.Hour), kiosk.ErrBadPriceChange, "positive"},
		{"unknown product", mkGTIN("704100000077"), 3290, priceSix.Add(time.Hour), kiosk.ErrNotFound, "not found"},
		{"not a GTIN", "12345", 3290, priceSix.Add(time.Hour), kiosk.ErrNotFound, "not found"},
		{"after 2262", pWater.GTIN, 3290, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), ErrPriceTime, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.SetPrice(context.Background(), tt.g, tt.price, tt.from, "test")
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.say) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.say)
			}
		})
	}
	if h, _ := d.Head(context.Background()); h.Seq != head.Seq {
		t.Errorf("journal head %d after refusals, want %d", h.Seq, head.Seq)
	}
	if n := countKeys(t, d, prefPrice) + countKeys(t, d, prefSched); n != 0 {
		t.Errorf("%d price keys after refusals", n)
	}
	wantPrice(t, d, pWater.GTIN, pWater.Price, time.Time{})
}

// TestPutRecordsPriceVersions: Put's new price is a version from now,
// with the old price since forever before it; the same price keeps the
// version; a scheduled price due is the one Put compares with.
func TestPutRecordsPriceVersions(t *testing.T) {
	clk := kiosktest.NewClock(priceT0)
	d := mustOpenClock(t, t.TempDir(), clk)
	ctx := context.Background()
	mustPut(t, d, pWater)
	if n := countKeys(t, d, prefPrice); n != 0 {
		t.Errorf("a new product wrote %d price versions, want none (since forever)", n)
	}
	// Stock only: no version.
	p := mustLookup(t, d, pWater.GTIN)
	p.Stock = 5
	mustPut(t, d, p)
	if n := countKeys(t, d, prefPrice); n != 0 {
		t.Errorf("a stock change wrote %d price versions", n)
	}
	clk.Advance(time.Minute)
	t1 := clk.Now()
	p.Price = 3190
	mustPut(t, d, p)
	wantPrice(t, d, pWater.GTIN, 3190, t1)
	vs, err := d.PriceHistory(ctx, pWater.GTIN)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Price != pWater.Price || !vs[0].From.IsZero() || vs[1].Price != 3190 || !vs[1].From.Equal(t1) {
		t.Errorf("history %+v", vs)
	}
	// A scheduled change falls due; a Put of the looked-up product
	// (stock) keeps it and moves it into the catalog.
	mustSetPrice(t, d, pWater.GTIN, 3390, priceSix)
	clk.AdvanceTo(priceSix.Add(time.Second))
	p = mustLookup(t, d, pWater.GTIN)
	p.Stock = 4
	mustPut(t, d, p)
	wantPrice(t, d, pWater.GTIN, 3390, priceSix)
	if n := countKeys(t, d, prefSched); n != 0 {
		t.Errorf("%d scheduled versions after a Put moved it into the catalog", n)
	}
	if vs, _ = d.PriceHistory(ctx, pWater.GTIN); len(vs) != 3 {
		t.Errorf("history %+v, want 3 versions", vs)
	}
}

// TestPriceAudit: sales made through the catalog audit clean across a
// scheduled change; a sale written with a wrong price is found.
func TestPriceAudit(t *testing.T) {
	clk := kiosktest.NewClock(priceT0)
	d := mustOpenClock(t, t.TempDir(), clk)
	ctx := context.Background()
	mustPut(t, d, pCigs, pWater)
	mustSetPrice(t, d, pCigs.GTIN, 16900, priceSix)
	sell := func(id string, at time.Time) {
		clk.AdvanceTo(at)
		lines := []kiosk.Line{{Product: mustLookup(t, d, pCigs.GTIN), Qty: 1}, {Product: mustLookup(t, d, pWater.GTIN), Qty: 2}}
		s := lineSale(id, "K1", lines)
		s.Started, s.Completed = at, at.Add(30*time.Second)
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			t.Fatal(err)
		}
	}
	sell("before", priceSix.Add(-time.Minute))
	sell("after", priceSix.Add(time.Minute))
	clk.AdvanceTo(priceSix.Add(5 * time.Minute)) // water alone: a first line without a version after one with
	water := lineSale("water", "K1", []kiosk.Line{{Product: mustLookup(t, d, pWater.GTIN), Qty: 1}})
	water.Started, water.Completed = clk.Now(), clk.Now().Add(time.Second)
	if _, err := d.CompleteSale(ctx, water, receiptEntry(water)); err != nil {
		t.Fatal(err)
	}
	// The audit's light read gives each line as the whole sale has it.
	type lineKey struct {
		no          uint64
		g           kiosk.GTIN
		price       kiosk.Money
		from        time.Time
		qty         int
		done, start time.Time
	}
	read := func(scan func(context.Context, func(kiosk.Sale) error) error) []lineKey {
		var out []lineKey
		if err := scan(ctx, func(s kiosk.Sale) error {
			for _, l := range s.Lines {
				out = append(out, lineKey{s.No, l.Product.GTIN, l.Product.Price, l.Product.PriceFrom.UTC(), l.Qty, s.Completed.UTC(), s.Started.UTC()})
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if full, light := read(d.ScanSales), read(d.ScanSalePrices); !slices.Equal(full, light) || len(full) != 5 {
		t.Errorf("ScanSalePrices gives\n%v\nScanSales\n%v", light, full)
	}
	audit := func() []kiosk.PriceMismatch {
		book, err := d.PriceBook(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ms []kiosk.PriceMismatch
		n := 0
		err = d.ScanSalePrices(ctx, func(s kiosk.Sale) error {
			n++
			ms = append(ms, book.Check(s)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	if ms := audit(); len(ms) != 0 {
		t.Fatalf("clean sales: %v", ms)
	}
	// The injected mismatch: a sale after 06:00 charging the old price
	// under the new version, written past the checkout.
	bad := kiosk.Line{Product: mustLookup(t, d, pCigs.GTIN), Qty: 1}
	bad.Product.Price = pCigs.Price
	s := lineSale("bad", "K1", []kiosk.Line{bad})
	s.Started, s.Completed = priceSix.Add(2*time.Minute), priceSix.Add(3*time.Minute)
	if _, err := d.ImportSales(ctx, []ImportedSale{{Sale: s, Receipt: receiptEntry(s)}}); err != nil {
		t.Fatal(err)
	}
	ms := audit()
	if len(ms) != 1 {
		t.Fatalf("audit found %v, want the one injected mismatch", ms)
	}
	m := ms[0]
	if m.Kiosk != "K1" || m.ReceiptNo != 4 || m.Line != 1 || m.GTIN != pCigs.GTIN || m.Charged != pCigs.Price || m.Expected != 16900 {
		t.Errorf("mismatch %+v", m)
	}
}

// TestPriceChangesForLabels: the versions since a date, scheduled ones
// included, never the since-forever ones.
func TestPriceChangesForLabels(t *testing.T) {
	clk := kiosktest.NewClock(priceT0.Add(-48 * time.Hour))
	d := mustOpenClock(t, t.TempDir(), clk)
	mustPut(t, d, pCigs, pWater, pSnus)
	mustSetPrice(t, d, pWater.GTIN, 3190, time.Time{}) // two days ago
	clk.AdvanceTo(priceT0)
	mustSetPrice(t, d, pCigs.GTIN, 16900, priceSix)
	var got []string
	err := d.PriceChanges(context.Background(), priceT0.Add(-24*time.Hour), func(p kiosk.Product, v kiosk.PriceVersion) error {
		got = append(got, p.Name+" "+v.Price.Decimal()+" "+v.From.UTC().Format(time.RFC3339))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Marlboro Gold 169.00 2026-12-07T05:00:00Z"}; !slices.Equal(got, want) {
		t.Errorf("changes since yesterday %q, want %q", got, want)
	}
}

// TestKeyPrefixesDisjoint: no key prefix is a prefix of another, so a
// prefix scan never reads another kind of key.
func TestKeyPrefixesDisjoint(t *testing.T) {
	all := []string{keySchema, keyHead, keyAnchor, prefCat, prefSale, prefSaleID, prefSeq, prefPend, prefJrnl, prefStaff,
		prefBadge, prefLogin, prefSig, prefTot, prefQueue, prefCopies, prefRet, prefRetID, prefRtd, prefPrice, prefSched}
	for i, a := range all {
		for j, b := range all {
			if i != j && strings.HasPrefix(b, a) {
				t.Errorf("%q is a prefix of %q", a, b)
			}
		}
	}
}
