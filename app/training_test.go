package app

import (
	"context"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// TestTrainingModeE2E: through the real wiring and Badger, a supervisor
// switches training mode on (/healthz says training: true), a sale is
// made without the terminal being asked and without the stock moving,
// its training receipt is journaled 13017, and the supervisor switches
// it off again; the journal verifies.
func TestTrainingModeE2E(t *testing.T) {
	e := mustE2E(t)
	g := kiosk.MustGTIN(cola)
	before, err := e.db.Lookup(e.ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	training := kiosk.Override{Kind: kiosk.OvTrainingMode, Reason: kiosk.ReasonTraining}
	if err := staffOverride(e.co, e.db, training); err != nil {
		t.Fatal(err)
	}
	if h := e.waitHealth("Idle"); !h.Training || !hasCall(h, "training mode") {
		t.Fatalf("/healthz in training mode: %+v", h)
	}
	if err := e.co.Add(g); err != nil {
		t.Fatal(err)
	}
	if err := e.co.Pay(); err != nil {
		t.Fatal(err)
	}
	h := e.waitHealth("Receipt")
	no := h.ReceiptNo
	e.waitJournal("13017", func(r kiosk.Record) bool { return r.Code == kiosk.CodeTrainingReceipt && r.ReceiptNo == no })
	if calls := e.term.Calls(); len(calls) != 0 {
		t.Errorf("the terminal was asked: %+v", calls)
	}
	if after, err := e.db.Lookup(e.ctx, g); err != nil || after.Stock != before.Stock {
		t.Errorf("stock %d after a training sale, was %d (%v)", after.Stock, before.Stock, err)
	}
	last, _ := e.printer.Last()
	if text := last.PlainText(42); !strings.Contains(text, kiosk.TrainingMark) {
		t.Errorf("the receipt:\n%s", text)
	}
	if err := e.co.FinishReceipt(); err != nil {
		t.Fatal(err)
	}
	if err := staffOverride(e.co, e.db, training); err != nil {
		t.Fatal(err)
	}
	if h := e.waitHealth("Idle"); h.Training || hasCall(h, "training mode") {
		t.Errorf("/healthz after training mode: %+v", h)
	}
	tot, err := e.db.Totals(e.ctx, "K1")
	if err != nil || tot.Period.Training.Num != 1 || tot.Period.Sales.Num != 0 {
		t.Errorf("totals %+v, %v", tot.Period, err)
	}
	if _, err := kiosk.VerifyJournal(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
}

func hasCall(h Health, kind string) bool {
	for _, c := range h.Calls {
		if c.Kind == kind {
			return true
		}
	}
	return false
}
