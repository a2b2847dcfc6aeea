package kiosk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// trainingCodes are the journal's training mode records and training
// sales' records, in order: 13023, 11001 (training), 13017, 13024.
func (r *rig) trainingCodes() []kiosk.Code {
	var out []kiosk.Code
	for _, rec := range r.store.Records() {
		switch {
		case rec.Code == kiosk.CodeTrainingOn, rec.Code == kiosk.CodeTrainingOff, rec.Code == kiosk.CodeTrainingReceipt:
			out = append(out, rec.Code)
		case rec.Code == kiosk.CodeCashSale && kiosk.IsTraining(rec.Entry):
			out = append(out, rec.Code)
		}
	}
	return out
}

// records are the journal's records with code.
func (r *rig) records(code kiosk.Code) []kiosk.Record {
	var out []kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Code == code {
			out = append(out, rec)
		}
	}
	return out
}

// trainingOn has supervisor kari switch training mode on.
func (r *rig) trainingOn() {
	r.t.Helper()
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvTrainingMode, Reason: kiosk.ReasonTraining}))
	if !r.co.View().Training {
		r.t.Fatal("training mode not on after the override")
	}
}

// Issue 12 item 4, § 2-8-7: a sale in training mode charges nothing (the
// terminal is never asked), unlocks the cabinet, leaves the stock, is a
// signed cash transaction marked training, prints a training receipt
// journaled 13017 (never 13012), and is counted apart: never in the
// sales, VAT, payments or grand totals. On and off are journaled 13023
// and 13024 with the supervisor and the reason, in order.
func TestTrainingSale(t *testing.T) {
	r := mustRig(t)
	stock := map[string]int{"soda": r.stock(soda), "snus": r.stock(snus)}
	r.trainingOn()
	on := r.records(kiosk.CodeTrainingOn)
	if len(on) != 1 || on[0].Data["staff"] != "kari" || on[0].Data["role"] != "supervisor" || on[0].Data["reason"] != "training" {
		t.Fatalf("13023 journaled %+v", on)
	}
	v := r.co.View()
	if !slices.ContainsFunc(v.Calls, func(c kiosk.Call) bool { return c.Kind == kiosk.CallTraining && c.Arg == "kari" }) {
		t.Errorf("no call says training mode is on: %+v", v.Calls)
	}

	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Add(snus.GTIN))
	r.payAgeApproved()
	r.wait(kiosk.Releasing)
	if got := r.cab.Unlocked(); len(got) == 0 {
		t.Error("the cabinet did not unlock for the training sale")
	}
	r.co.Door(kiosk.DoorEvent{Compartment: 1, Open: true})
	r.co.Door(kiosk.DoorEvent{Compartment: 1, Open: false})
	v = r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt screen")
	no := v.ReceiptNo
	r.waitRecord("the training receipt printed", func(rec kiosk.Record) bool {
		return rec.Code == kiosk.CodeTrainingReceipt && rec.ReceiptNo == no
	})

	if calls := r.term.Calls(); len(calls) != 0 {
		t.Errorf("the terminal was asked for a training sale: %+v", calls)
	}
	if got := map[string]int{"soda": r.stock(soda), "snus": r.stock(snus)}; got["soda"] != stock["soda"] || got["snus"] != stock["snus"] {
		t.Errorf("stock %v after a training sale, want %v", got, stock)
	}
	sales := r.store.Sales()
	if len(sales) != 1 || !sales[0].Training {
		t.Fatalf("sales %+v", sales)
	}
	txs := r.records(kiosk.CodeCashSale)
	if len(txs) != 1 || txs[0].Tx == nil || !txs[0].Tx.Training || txs[0].Tx.Signature == "" || txs[0].Tx.Payment.Method != kiosk.PaymentTraining {
		t.Fatalf("cash transaction %+v", txs)
	}
	if err := txs[0].Tx.MatchesSale(sales[0]); err != nil {
		t.Error(err)
	}
	if n := len(r.printClaims(no)); n != 0 {
		t.Errorf("%d sales receipts (13012) for a training receipt", n)
	}
	approved := r.journaled(kiosk.SubPaymentApproved)
	if len(approved) != 1 || approved[0].Data[kiosk.DataTraining] != "true" || !strings.Contains(approved[0].Text, "not asked") {
		t.Errorf("approval journaled %+v", approved)
	}
	doc, _ := r.printer.Last()
	if text := doc.PlainText(42); !strings.Contains(text, kiosk.TrainingMark) || !strings.Contains(text, "IKKE KVITTERING") {
		t.Errorf("printed receipt not marked training:\n%s", text)
	}

	tot, err := r.store.Totals(r.ctx, "K1")
	r.must(err)
	p := tot.Period
	if p.Training != (kiosk.Count{Num: 1, Amount: soda.Price + snus.Price}) {
		t.Errorf("training count %+v", p.Training)
	}
	if p.Sales.Num != 0 || p.Sales.Amount != 0 || len(p.VAT) != 0 || len(p.Payments) != 0 || len(p.Groups) != 0 || tot.GrandSales != 0 {
		t.Errorf("a training sale in the sales: %+v grand %v", p, tot.GrandSales)
	}
	if today := r.co.View().Today; today.Training != 1 || today.Sales != 0 {
		t.Errorf("today's counts %+v", today)
	}

	// The X report shows it apart.
	r.must(r.co.FinishReceipt())
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvXReport}))
	x, _ := r.printer.Last()
	if text := x.PlainText(42); !strings.Contains(text, "Treningskvitteringer") || !regexpLine(text, "Treningskvitteringer", "1  "+(soda.Price+snus.Price).Plain()) {
		t.Errorf("the X report does not count the training receipt apart:\n%s", text)
	}

	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvTrainingMode, Reason: kiosk.ReasonTraining}))
	if r.co.View().Training {
		t.Fatal("training mode still on")
	}
	off := r.records(kiosk.CodeTrainingOff)
	if len(off) != 1 || off[0].Data["staff"] != "kari" || off[0].Data["reason"] != "training" {
		t.Errorf("13024 journaled %+v", off)
	}
	want := []kiosk.Code{kiosk.CodeTrainingOn, kiosk.CodeCashSale, kiosk.CodeTrainingReceipt, kiosk.CodeTrainingOff}
	if got := r.trainingCodes(); !slices.Equal(got, want) {
		t.Errorf("training records %v, want %v", got, want)
	}
	if slices.ContainsFunc(r.co.View().Calls, func(c kiosk.Call) bool { return c.Kind == kiosk.CallTraining }) {
		t.Error("the training call outlived training mode")
	}

	// Back to normal: the next sale is real.
	no = r.sellSoda()
	if len(r.term.Calls()) == 0 || r.stock(soda) != stock["soda"]-1 {
		t.Errorf("the sale after training mode: terminal %d calls, stock %d", len(r.term.Calls()), r.stock(soda))
	}
	r.waitRecord("the sales receipt printed", isPrinted(no))
	if s := r.store.Sales(); s[len(s)-1].Training {
		t.Error("the sale after training mode is marked training")
	}
	// Both receipts printed: a restart finds none unprinted (a training
	// receipt is 13017, not 13012).
	r.start()
	if not := r.records(kiosk.CodeNoReceipt); len(not) != 0 {
		t.Errorf("a restart journaled printed receipts as not printed: %+v", not)
	}
}

// regexpLine reports whether text has a line starting with label and
// ending with value.
func regexpLine(text, label, value string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, label) && strings.HasSuffix(strings.TrimSpace(l), value) {
			return true
		}
	}
	return false
}

// Training mode switches only between customers: a basket is all
// training or all real.
func TestTrainingOnlyBetweenCustomers(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	r.signIn("kari")
	if o := optionOf(t, r.co.View(), kiosk.OvTrainingMode); o.Available || !o.Permitted {
		t.Errorf("offered with a basket: %+v", o)
	}
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvTrainingMode}); !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("training mode with a basket = %v", err)
	}
	if r.co.View().Training || len(r.records(kiosk.CodeTrainingOn)) != 0 {
		t.Error("training mode switched on with a customer's basket")
	}
}

// Training mode cannot be left on unnoticed: it ends by itself, journaled
// 13024 without staff, once the kiosk stood idle for TrainingIdle, and
// not while a sale is under way.
func TestTrainingEndsWhenIdle(t *testing.T) {
	r := mustRig(t)
	r.trainingOn()
	r.clock.Advance(14*time.Minute + 30*time.Second)
	r.must(r.co.Add(soda.GTIN)) // a trainee at the kiosk
	r.clock.Advance(30 * time.Second)
	if !r.co.View().Training {
		t.Fatal("training mode ended with a sale under way")
	}
	r.must(r.co.Cancel())
	r.wait(kiosk.Idle)
	r.clock.Advance(14 * time.Minute)
	if !r.co.View().Training {
		t.Fatal("training mode ended before the kiosk stood idle long enough")
	}
	r.clock.Advance(time.Minute)
	r.until(func(v kiosk.View) bool { return !v.Training }, "training mode ended by itself")
	off := r.records(kiosk.CodeTrainingOff)
	if len(off) != 1 || off[0].Data["staff"] != "" || !strings.Contains(off[0].Text, "by itself") {
		t.Errorf("13024 journaled %+v", off)
	}
}

// A kiosk that stops or dies in training mode starts in normal mode, the
// end journaled: 13024 before the stop, or at the next start.
func TestTrainingEndsAtRestart(t *testing.T) {
	r := mustRig(t)
	r.trainingOn()
	r.start() // a crash: nothing journaled the end
	if r.co.View().Training {
		t.Fatal("training mode survived the restart")
	}
	off := r.records(kiosk.CodeTrainingOff)
	if len(off) != 1 || !strings.Contains(off[0].Text, "restarted") {
		t.Fatalf("13024 after the restart: %+v", off)
	}
	r.start() // the end is on record: nothing more
	if n := len(r.records(kiosk.CodeTrainingOff)); n != 1 {
		t.Errorf("%d records of training mode off", n)
	}

	r.trainingOn()
	r.must(r.co.Stop(r.ctx))
	recs := r.store.Records()
	if n := len(recs); n < 2 || recs[n-2].Code != kiosk.CodeTrainingOff || recs[n-1].Code != kiosk.CodePOSStop {
		t.Errorf("the stop journaled %v, %v", recs[len(recs)-2].Code, recs[len(recs)-1].Code)
	}
}

// A training sale counts as a training receipt only; its receipt number
// is in the period's range.
func TestTotalsTrainingSale(t *testing.T) {
	at := reportT0
	real := testSale(1, at, "Visa", kiosk.Line{Product: cigs, Qty: 1})
	tr := testSale(2, at.Add(time.Minute), "", kiosk.Line{Product: cigs, Qty: 2})
	tr.Training = true
	var tot kiosk.Totals
	tot.OpenSale(tr.ID)
	tot.AddSale(real)
	tot.AddSale(tr)
	p := tot.Period
	if p.Training != (kiosk.Count{Num: 1, Amount: tr.Total}) {
		t.Errorf("training %+v", p.Training)
	}
	if p.Sales != (kiosk.Count{Num: 1, Amount: real.Total}) || tot.GrandSales != real.Total || p.CardTotal() != p.Sales {
		t.Errorf("sales %+v, grand %v, cards %+v", p.Sales, tot.GrandSales, p.CardTotal())
	}
	if len(p.Groups) != 1 || p.Groups[0].Qty != 1 || len(p.VAT) != 1 || p.VAT[0].Gross != real.Total {
		t.Errorf("groups %+v VAT %+v", p.Groups, p.VAT)
	}
	if p.FirstReceipt != 1 || p.LastReceipt != 2 || !p.LastSale.Equal(at) || len(tot.Open) != 0 {
		t.Errorf("receipts %d-%d, last sale %v, open %v", p.FirstReceipt, p.LastReceipt, p.LastSale, tot.Open)
	}
}
