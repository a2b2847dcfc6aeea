package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// A training sale (kassasystemforskrifta § 2-8-7) is completed as a
// signed cash transaction marked training, in the kiosk's one chain of
// receipt numbers and signatures: its stock stays, the totals count it
// as a training receipt only, the journal verifies, and a stored sale
// whose training mark was taken off no longer matches its record.
func TestTrainingSaleStored(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	for _, p := range []kiosk.Product{pCigs, pWater} {
		if err := d.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	real := totalsSale("real", "K1", t0, "Visa", kiosk.Line{Product: pWater, Qty: 1})
	if _, err := d.CompleteSale(ctx, real, totalsReceipt(real)); err != nil {
		t.Fatal(err)
	}
	tr := totalsSale("trn", "K1", t0.Add(time.Minute), "", kiosk.Line{Product: pCigs, Qty: 2}, kiosk.Line{Product: pWater, Qty: 3})
	tr.Training, tr.Payment = true, kiosk.PaymentResult{Approved: true, Code: kiosk.TrainingApproval, Amount: tr.Total}
	got, err := d.CompleteSale(ctx, tr, totalsReceipt(tr))
	if err != nil {
		t.Fatal(err)
	}
	if got.No != 2 || !got.Training {
		t.Fatalf("training sale stored as %d, training %v", got.No, got.Training)
	}
	for _, p := range []struct {
		p    kiosk.Product
		want int
	}{{pCigs, pCigs.Stock}, {pWater, pWater.Stock - 1}} {
		if s, err := d.Lookup(ctx, p.p.GTIN); err != nil || s.Stock != p.want {
			t.Errorf("%s: stock %d (%v), want %d", p.p.Name, s.Stock, err, p.want)
		}
	}
	var tx *kiosk.CashTx
	if err := d.Scan(ctx, 1, func(r kiosk.Record) error {
		if r.Code == kiosk.CodeCashSale && r.ReceiptNo == 2 {
			tx = r.Tx
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if tx == nil || !tx.Training || tx.Signature == "" || tx.Payment.Method != kiosk.PaymentTraining {
		t.Fatalf("training transaction %+v", tx)
	}
	tot, err := d.Totals(ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	if p := tot.Period; p.Training != (kiosk.Count{Num: 1, Amount: tr.Total}) || p.Sales != (kiosk.Count{Num: 1, Amount: real.Total}) ||
		tot.GrandSales != real.Total || p.LastReceipt != 2 {
		t.Errorf("totals %+v grand %v", p, tot.GrandSales)
	}
	verify := func() error {
		_, err := kiosk.VerifyJournalWith(ctx, d, kiosk.VerifyOptions{
			Signatures: &kiosktest.Signer{}, Zone: testZone,
			Sale: func(k string, no uint64) (kiosk.Sale, error) { return d.Sale(ctx, k, no) },
		})
		return err
	}
	if err := verify(); err != nil {
		t.Fatalf("verify: %v", err)
	}
	// A training sale passed off as a real one no longer matches its record.
	untrained := got
	untrained.Training = false
	if err := tx.MatchesSale(untrained); !errors.Is(err, kiosk.ErrNotInJournal) {
		t.Errorf("a sale stripped of its training mark matches its record: %v", err)
	}
}
