package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// pPaper is zero-rated (mval. § 6-1), pChoc at the food rate.
var (
	pPaper = kiosk.Product{GTIN: mkGTIN("704100000004"), Name: "Dagbladet", Group: kiosk.GroupPress, VAT: kiosk.VAT0, Price: 4000, Stock: 1000}
	pChoc  = kiosk.Product{GTIN: mkGTIN("704100000005"), Name: "Kvikk Lunsj", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 2490, Stock: 1000}
)

// totalsSale is a card sale of lines at kiosk k, completed at at.
func totalsSale(id, k string, at time.Time, card string, lines ...kiosk.Line) kiosk.Sale {
	b := kiosk.Basket{Lines: lines}
	p := kiosk.PendingSale{ID: id, Kiosk: k, Started: at.Add(-time.Minute), Lines: lines, Amount: b.Total(), State: kiosk.PendingReleased, Attempt: 1,
		Result: &kiosk.PaymentResult{Approved: true, Code: "00", Amount: b.Total(), CardType: card, Trace: id}}
	return kiosk.NewSale(p, at)
}

func totalsReceipt(s kiosk.Sale) kiosk.Entry {
	return kiosk.Entry{Code: kiosk.CodeCashSale, Time: s.Completed, Kiosk: s.Kiosk, SaleID: s.ID, Amount: s.Total}
}

// zEntry is a Z report's entry as kiosk.Reports makes it, on the totals
// Report gives it.
func zEntry(at time.Time) func(kiosk.Totals, kiosk.Record) (kiosk.Entry, error) {
	return func(t kiosk.Totals, head kiosk.Record) (kiosk.Entry, error) {
		return kiosk.NewReport(kiosk.ZReport, t, at, head).Entry()
	}
}

func TestTotalsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.SetSigner(&kiosktest.Signer{}, testZone)
	a, err := d.CompleteSale(ctx, totalsSale("a", "K1", t0, "Visa", kiosk.Line{Product: pCigs, Qty: 2}, kiosk.Line{Product: pPaper, Qty: 1}),
		totalsReceipt(totalsSale("a", "K1", t0, "Visa")))
	if err != nil {
		t.Fatal(err)
	}
	z, err := d.Report(ctx, "K1", true, zEntry(t0.Add(10*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.CompleteSale(ctx, totalsSale("b", "K1", t0.Add(24*time.Hour), "", kiosk.Line{Product: pWater, Qty: 1}),
		totalsReceipt(totalsSale("b", "K1", t0.Add(24*time.Hour), "")))
	if err != nil {
		t.Fatal(err)
	}
	before, err := d.Totals(ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir)
	after, err := d.Totals(ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	sameTotals(t, after, before)
	if after.LastZ.No != 1 || after.LastZ.Seq != z.Seq || after.GrandSales != a.Total+b.Total || after.Period.Sales.Amount != b.Total {
		t.Errorf("totals after a restart = %+v", after)
	}
}

// The running totals are what a recount from the journal gives: every
// sale its receipt record names (the sale read by its number), every
// journaled kind Totals.AddEntry counts, every Z report closing its
// kiosk's period. Random days of sales, cancellations, voided lines,
// look-ups and X and Z reports, at two kiosks.
func TestTotalsEqualRecount(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			ctx := context.Background()
			d := mustOpen(t, t.TempDir())
			rng := rand.New(rand.NewPCG(seed, 12))
			products := []kiosk.Product{pCigs, pSnus, pWater, pPaper, pChoc}
			for _, p := range products[:3] { // two products are not in the catalog: still counted
				if err := d.Put(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			cards := []string{"Visa", "Mastercard", "BankAxept", ""}
			now := t0
			for i := range 300 {
				now = now.Add(time.Duration(1+rng.IntN(40)) * time.Minute)
				k := []string{"K1", "K2"}[rng.IntN(2)]
				id := fmt.Sprintf("s%d", i)
				var lines []kiosk.Line
				for _, p := range products {
					if rng.IntN(3) == 0 {
						lines = append(lines, kiosk.Line{Product: p, Qty: 1 + rng.IntN(3)})
					}
				}
				if len(lines) == 0 {
					lines = []kiosk.Line{{Product: products[rng.IntN(len(products))], Qty: 1}}
				}
				amount := (&kiosk.Basket{Lines: lines}).Total()
				var err error
				switch op := rng.IntN(20); {
				case op < 12:
					s := totalsSale(id, k, now, cards[rng.IntN(len(cards))], lines...)
					_, err = d.CompleteSale(ctx, s, totalsReceipt(s))
				case op < 14: // paid, then voided
					p := kiosk.PendingSale{ID: id, Kiosk: k, Started: now, Lines: lines, Amount: amount, State: kiosk.PendingIntent, Attempt: 1}
					if err = d.SavePending(ctx, p, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: now, Kiosk: k, SaleID: id, Amount: amount}); err == nil {
						err = d.VoidPending(ctx, id, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: now, Kiosk: k, SaleID: id, Amount: amount})
					}
				case op < 15:
					_, err = d.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: now, Kiosk: k, SaleID: id, Amount: amount})
				case op < 16:
					_, err = d.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubLineVoided, Time: now, Kiosk: k, Amount: lines[0].Total()})
				case op < 17:
					_, err = d.Append(ctx, kiosk.Entry{Code: kiosk.CodePriceLookup, Subtype: kiosk.SubLookupMiss, Time: now, Kiosk: k})
				case op < 18:
					_, err = d.Report(ctx, k, false, func(t kiosk.Totals, h kiosk.Record) (kiosk.Entry, error) {
						return kiosk.NewReport(kiosk.XReport, t, now, h).Entry()
					})
				default:
					_, err = d.Report(ctx, k, true, zEntry(now))
				}
				if err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
			}
			want := recountFromJournal(t, d)
			got, err := d.ListTotals(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d kiosks with totals, the recount has %d", len(got), len(want))
			}
			for _, g := range got {
				sameTotals(t, g, want[g.Kiosk])
			}
		})
	}
}

// recountFromJournal recounts every kiosk's totals from the journal.
func recountFromJournal(t *testing.T, d *DB) map[string]kiosk.Totals {
	t.Helper()
	ctx := context.Background()
	out := map[string]kiosk.Totals{}
	last := map[string]uint64{} // the last receipt number counted: a reprint names it again
	err := d.Scan(ctx, 1, func(r kiosk.Record) error {
		if r.Kiosk == "" {
			return nil
		}
		tot, ok := out[r.Kiosk]
		if !ok {
			tot = kiosk.Totals{Kiosk: r.Kiosk}
		}
		switch {
		case r.Code == kiosk.CodeCashSale && r.ReceiptNo == last[r.Kiosk]+1:
			s, err := d.Sale(ctx, r.Kiosk, r.ReceiptNo)
			if err != nil {
				return err
			}
			tot.AddSale(s)
			last[r.Kiosk] = r.ReceiptNo
		case r.Code == kiosk.CodeZReport:
			tot.CloseZ(r)
		default:
			tot.AddEntry(r.Entry)
		}
		out[r.Kiosk] = tot
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A kiosk whose records counted nothing has no totals kept.
	for k, tot := range out {
		if tot.GrandSales == 0 && tot.LastZ.No == 0 && isZero(tot.Period) {
			delete(out, k)
		}
	}
	return out
}

func isZero(p kiosk.PeriodTotals) bool {
	b, _ := json.Marshal(p)
	z, _ := json.Marshal(kiosk.PeriodTotals{})
	return string(b) == string(z)
}

func sameTotals(t *testing.T, got, want kiosk.Totals) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("totals of %s:\n got %s\nwant %s", want.Kiosk, g, w)
	}
}

// The store keeps the last Z report apart from the journal, so a journal
// cut off before it fails verification, however well its head is moved
// back.
func TestVerifyCatchesJournalCutBeforeZ(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	for i := range 3 {
		s := totalsSale(fmt.Sprint(i), "K1", t0.Add(time.Duration(i)*time.Minute), "Visa", kiosk.Line{Product: pSnus, Qty: 1})
		if _, err := d.CompleteSale(ctx, s, totalsReceipt(s)); err != nil {
			t.Fatal(err)
		}
	}
	z, err := d.Report(ctx, "K1", true, zEntry(t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Append(ctx, kiosk.Entry{Code: kiosk.CodeEmployeeLogOut, Time: t0.Add(2 * time.Hour), Kiosk: "K1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := kiosk.VerifyJournal(ctx, d); err != nil {
		t.Fatalf("VerifyJournal before the cut: %v", err)
	}
	err = d.bdb.Update(func(txn *badger.Txn) error {
		for seq := z.Seq; seq <= z.Seq+1; seq++ {
			if err := txn.Delete(jrnlKey(seq)); err != nil {
				return err
			}
		}
		putRecord(t, txn, []byte(keyHead), rawRecord(t, txn, z.Seq-1))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = kiosk.VerifyJournal(ctx, d)
	if !errors.Is(err, kiosk.ErrChainBroken) || !strings.Contains(err.Error(), "Z report 1 was record "+fmt.Sprint(z.Seq)) {
		t.Fatalf("VerifyJournal after cutting the Z report off: %v; want ErrChainBroken naming it", err)
	}
}
