package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"
	"unsafe"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// movementSums is each product's sum of movements, and the movements
// read back checked against their keys.
func movementSums(t *testing.T, d *DB) map[kiosk.GTIN]int {
	t.Helper()
	sums := map[kiosk.GTIN]int{}
	err := d.AllMovements(context.Background(), func(m kiosk.StockMovement) error {
		if m.Kind < kiosk.MoveOpening || m.Kind > kiosk.MoveCorrection {
			return fmt.Errorf("movement of unknown kind %+v", m)
		}
		sums[m.GTIN] += m.Delta
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// checkStockIsSum: every product's stock is the sum of its movements.
func checkStockIsSum(t *testing.T, d *DB, step string) {
	t.Helper()
	sums := movementSums(t, d)
	ps, err := d.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if sums[p.GTIN] != p.Stock {
			t.Fatalf("after %s: %s has stock %d, its movements sum to %d", step, p.Name, p.Stock, sums[p.GTIN])
		}
		delete(sums, p.GTIN)
	}
	for g, s := range sums {
		t.Fatalf("after %s: movements summing to %d for %s, which is not in the catalog", step, s, g)
	}
}

// TestStockIsSumOfMovements is the property test of issue 13 item 4: a
// seeded random day of sales (training ones too), returns, goods received,
// counts and catalog corrections, from several seeds; after every step
// each product's stock is the sum of its movements, and the stock is what
// the steps say it is.
func TestStockIsSumOfMovements(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			ctx := context.Background()
			rng := rand.New(rand.NewSource(seed))
			d := mustOpen(t, t.TempDir())
			ps := []kiosk.Product{pCigs, pSnus, pWater}
			for i := range ps {
				ps[i].Stock = rng.Intn(20)
				if err := d.Put(ctx, ps[i]); err != nil {
					t.Fatal(err)
				}
			}
			checkStockIsSum(t, d, "the catalog")
			want := map[kiosk.GTIN]int{}
			for _, p := range ps {
				want[p.GTIN] = p.Stock
			}
			var sales []kiosk.Sale
			returned := map[uint64]map[kiosk.GTIN]int{}
			at := t0
			for step := 0; step < 60; step++ {
				at = at.Add(time.Minute)
				g := ps[rng.Intn(len(ps))].GTIN
				var what string
				switch op := rng.Intn(6); op {
				case 0, 1: // a sale of one or two products, perhaps beyond the stock
					var lines []kiosk.Line
					for _, p := range ps {
						if rng.Intn(2) == 0 || len(lines) == 0 && p.GTIN == ps[len(ps)-1].GTIN {
							lines = append(lines, kiosk.Line{Product: p, Qty: 1 + rng.Intn(3)})
						}
					}
					s := lineSale(fmt.Sprintf("s-%d-%d", seed, step), "K1", lines)
					s.Completed = at
					s.Training = rng.Intn(5) == 0
					done, err := d.CompleteSale(ctx, s, receiptEntry(s))
					if err != nil {
						t.Fatal(err)
					}
					if !s.Training {
						for _, l := range lines {
							want[l.Product.GTIN] -= l.Qty
						}
						sales = append(sales, done)
					}
					what = "a sale"
				case 2: // a return of part of a sale
					if len(sales) == 0 {
						continue
					}
					s := sales[rng.Intn(len(sales))]
					if returned[s.No] == nil {
						returned[s.No] = map[kiosk.GTIN]int{}
					}
					l := s.Lines[rng.Intn(len(s.Lines))]
					left := l.Qty - returned[s.No][l.Product.GTIN]
					if left < 1 {
						continue
					}
					q := 1 + rng.Intn(left)
					r, err := kiosk.NewReturn(s, returned[s.No], []kiosk.ReturnLine{{GTIN: l.Product.GTIN, Qty: q}})
					if err != nil {
						t.Fatal(err)
					}
					r.ID, r.Time, r.Method, r.Staff, r.Reason = fmt.Sprintf("r-%d-%d", seed, step), at, kiosk.RefundCounter, "S1", kiosk.ReasonCustomerAsked
					if _, err := d.CompleteReturn(ctx, r, kiosk.Entry{Time: at, Kiosk: "K1"}); err != nil {
						t.Fatal(err)
					}
					returned[s.No][l.Product.GTIN] += q
					want[l.Product.GTIN] += q
					what = "a return"
				case 3: // goods received
					q := 1 + rng.Intn(24)
					p, err := d.ReceiveStock(ctx, g, q, "S1", kiosk.Entry{Time: at, Kiosk: "K1"})
					if err != nil {
						t.Fatal(err)
					}
					want[g] += q
					if p.Stock != want[g] {
						t.Fatalf("ReceiveStock returned stock %d, want %d", p.Stock, want[g])
					}
					what = "a receipt"
				case 4: // a count
					c := rng.Intn(30)
					v, err := d.CountStock(ctx, g, c, "S1", kiosk.Entry{Time: at, Kiosk: "K1"})
					if err != nil {
						t.Fatal(err)
					}
					if v.Expected != want[g] || v.Diff != c-want[g] {
						t.Fatalf("CountStock = %+v; expected %d", v, want[g])
					}
					want[g] = c
					what = "a count"
				case 5: // a correction in the catalog
					p, err := d.Lookup(ctx, g)
					if err != nil {
						t.Fatal(err)
					}
					p.Stock = rng.Intn(40) - 5
					if err := d.Put(ctx, p); err != nil {
						t.Fatal(err)
					}
					want[g] = p.Stock
					what = "a correction"
				}
				checkStockIsSum(t, d, fmt.Sprintf("step %d, %s", step, what))
				for g, w := range want {
					if p, err := d.Lookup(ctx, g); err != nil || p.Stock != w {
						t.Fatalf("after step %d (%s): %s stock %d, %v; want %d", step, what, g, p.Stock, err, w)
					}
				}
			}
			if _, err := kiosk.VerifyJournal(ctx, d); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestMovementsRecordWhatHappened: each kind of change writes its
// movement with the journal record that recorded it, the receipt, the
// staff member and the time; a shelf product sold beyond its stock is
// flagged for a recount and a count clears the flag.
func TestMovementsRecordWhatHappened(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	water := pWater
	water.Stock = 1
	if err := d.Put(ctx, water); err != nil {
		t.Fatal(err)
	}
	s := lineSale("sale-1", "K1", []kiosk.Line{{Product: water, Qty: 3}})
	done, err := d.CompleteSale(ctx, s, receiptEntry(s))
	if err != nil {
		t.Fatal(err)
	}
	if p := must(d.Lookup(ctx, water.GTIN)); p.Stock != -2 || !p.Recount {
		t.Errorf("after selling 3 of 1: stock %d, recount %v; want -2, true", p.Stock, p.Recount)
	}
	at := t0.Add(time.Hour)
	if _, err := d.ReceiveStock(ctx, water.GTIN, 24, "S7", kiosk.Entry{Time: at, Kiosk: "K1"}); err != nil {
		t.Fatal(err)
	}
	v, err := d.CountStock(ctx, water.GTIN, 20, "S8", kiosk.Entry{Time: at.Add(time.Hour), Kiosk: "K1"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Expected != 22 || v.Diff != -2 || v.Value != -2*water.Price {
		t.Errorf("count = %+v", v)
	}
	if p := must(d.Lookup(ctx, water.GTIN)); p.Stock != 20 || p.Recount {
		t.Errorf("after the count: stock %d, recount %v; want 20, false", p.Stock, p.Recount)
	}
	var got []kiosk.StockMovement
	if err := d.Movements(ctx, water.GTIN, func(m kiosk.StockMovement) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []kiosk.StockMovement{
		{Seq: 0, GTIN: water.GTIN, Kind: kiosk.MoveOpening, Delta: 1},
		{Seq: 1, GTIN: water.GTIN, Kind: kiosk.MoveSale, Delta: -3, Ref: fmt.Sprintf("K1/%d", done.No), At: s.Completed},
		{Seq: 2, GTIN: water.GTIN, Kind: kiosk.MoveReceipt, Delta: 24, Staff: "S7", At: at},
		{Seq: 3, GTIN: water.GTIN, Kind: kiosk.MoveCount, Delta: -2, Staff: "S8", At: at.Add(time.Hour)},
	}
	sameValue(t, "movements", got, want)
	var recs []kiosk.Record
	if err := d.Scan(ctx, 2, func(r kiosk.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Subtype != kiosk.SubStockReceipt || recs[0].Data["qty"] != "24" || recs[0].Data["staff"] != "S7" ||
		recs[1].Subtype != kiosk.SubStockCount || recs[1].Data["variance"] != "-2" || recs[1].Data["expected"] != "22" {
		t.Errorf("journal = %+v", recs)
	}
}

func TestStockErrors(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	fill(t, d)
	unknown := mkGTIN("704100000099")
	e := kiosk.Entry{Time: t0, Kiosk: "K1"}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"receive 0", second(d.ReceiveStock(ctx, pWater.GTIN, 0, "", e)), kiosk.ErrBadStockQty},
		{"receive too many", second(d.ReceiveStock(ctx, pWater.GTIN, kiosk.MaxReceiveQty+1, "", e)), kiosk.ErrBadStockQty},
		{"receive unknown", second(d.ReceiveStock(ctx, unknown, 1, "", e)), kiosk.ErrNotFound},
		{"count negative", second(d.CountStock(ctx, pWater.GTIN, -1, "", e)), kiosk.ErrBadStockQty},
		{"count unknown", second(d.CountStock(ctx, unknown, 1, "", e)), kiosk.ErrNotFound},
		{"threshold negative", d.SetLowStock(ctx, pWater.GTIN, -1), kiosk.ErrBadStockQty},
		{"threshold unknown", d.SetLowStock(ctx, unknown, 1), kiosk.ErrNotFound},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	checkStockIsSum(t, d, "refused stock work")
	if err := d.SetLowStock(ctx, pWater.GTIN, 5); err != nil {
		t.Fatal(err)
	}
	if p := must(d.Lookup(ctx, pWater.GTIN)); p.LowStock != 5 {
		t.Errorf("threshold %d, want 5", p.LowStock)
	}
}

// TestOpeningBalances: a store from before movements (stock, no movement
// keys, no marker) gets one opening balance per product with stock at
// Open, once; the sum then holds and a sale keeps it.
func TestOpeningBalances(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d)
	// As a store from before movements: no movement keys, no marker.
	err := d.bdb.Update(func(txn *badger.Txn) error {
		var keys [][]byte
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefMv)})
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
		keys = append(keys, []byte(keyMoves))
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(movementSums(t, d)) != 0 {
		t.Fatal("movements left")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second Open writes nothing more
		d = mustOpen(t, dir)
		checkStockIsSum(t, d, fmt.Sprint("Open ", i+1))
		n := 0
		if err := d.AllMovements(ctx, func(m kiosk.StockMovement) error {
			if m.Kind != kiosk.MoveOpening || m.Seq != 0 || !m.At.IsZero() {
				t.Errorf("movement %+v, want an opening balance", m)
			}
			n++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("%d opening balances, want 3", n)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	d = mustOpen(t, dir)
	s := threeLineSale("after", "K1")
	if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
		t.Fatal(err)
	}
	checkStockIsSum(t, d, "a sale after the opening balances")
}

// TestStockStatus: thresholds, recount flags and the outlook's first
// rows, from the movements in the window.
func TestStockStatus(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	cigs, snus, water := pCigs, pSnus, pWater
	cigs.Stock, cigs.LowStock = 3, 5
	snus.Stock = 100
	water.Stock = 2
	for _, p := range []kiosk.Product{cigs, snus, water} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	now := t0.Add(30 * 24 * time.Hour)
	sell := func(id string, at time.Time, lines ...kiosk.Line) {
		s := lineSale(id, "K1", lines)
		s.Completed = at
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			t.Fatal(err)
		}
	}
	sell("old", now.Add(-40*24*time.Hour), kiosk.Line{Product: snus, Qty: 50}) // before the window
	sell("a", now.Add(-5*24*time.Hour), kiosk.Line{Product: water, Qty: 3}, kiosk.Line{Product: cigs, Qty: 1})
	sell("b", now.Add(-24*time.Hour), kiosk.Line{Product: water, Qty: 25}, kiosk.Line{Product: snus, Qty: 1})
	st, err := d.StockStatus(ctx, now, kiosk.DefaultOutlook)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Low) != 1 || st.Low[0].GTIN != cigs.GTIN {
		t.Errorf("low = %+v, want the cigarettes", st.Low)
	}
	if len(st.Recount) != 1 || st.Recount[0].GTIN != water.GTIN || st.Recount[0].Stock != -26 {
		t.Errorf("recount = %+v, want the water at -26", st.Recount)
	}
	// Water sold 28 in 28 days: 1 a day, none left: ⌈28×10/28⌉ + 26 = 36.
	// Cigarettes 1 in 28 days, 2 left: 56 days. Snus 1 (the old sale is
	// outside the window), 49 left.
	want := []kiosk.OutlookRow{{GTIN: water.GTIN, Name: water.Name, Stock: -26, Sold: 28, DaysLeft10: 0, Order: 36}}
	sameValue(t, "outlook", st.Outlook, want)
}

// TestCatItemKeepsItsSize: the threshold and the recount flag live in
// the index item's padding (catindex.go: 48 bytes a product).
func TestCatItemKeepsItsSize(t *testing.T) {
	if n := unsafe.Sizeof(catItem{}); n != 48 {
		t.Errorf("catItem is %d bytes, want 48", n)
	}
	p := pWater
	p.LowStock, p.Recount = 7, true
	it, ok := compact(p)
	if !ok {
		t.Fatal("compact refused a threshold")
	}
	sameValue(t, "product from the index", it.product(p.GTIN), p)
}

func TestStockStoreConformance(t *testing.T) {
	kiosktest.TestStockStore(t, func(t *testing.T) kiosktest.StockUnderTest {
		d := mustOpen(t, t.TempDir())
		return kiosktest.StockUnderTest{Catalog: d, Sales: d, Journal: d, Stock: d}
	})
}

// TestCatalogCorrections: stock changes in the catalog with no journal
// record between them each get their own movement (the next free sub),
// by Put and by ImportProducts alike, a product given twice included.
func TestCatalogCorrections(t *testing.T) {
	ctx := context.Background()
	a, b, c := pWater, pWater, pWater
	a.Stock, b.Stock, c.Stock = 5, 9, 2
	same := pSnus // the stock unchanged: no movement
	slow := mustOpen(t, t.TempDir())
	fast := mustOpen(t, t.TempDir())
	for _, p := range []kiosk.Product{a, same, b, same, c} {
		if err := slow.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := fast.ImportProducts(ctx, []kiosk.Product{a, same, b, same, c}); err != nil {
		t.Fatal(err)
	}
	sameValue(t, "store after ImportProducts", dump(t, fast), dump(t, slow))
	var kinds []string
	if err := slow.Movements(ctx, pWater.GTIN, func(m kiosk.StockMovement) error {
		kinds = append(kinds, fmt.Sprintf("%v %+d", m.Kind, m.Delta))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sameValue(t, "water's movements", kinds, []string{"opening +5", "correction +4", "correction -7"})
	checkStockIsSum(t, slow, "corrections")
	checkStockIsSum(t, fast, "imported corrections")
}
