package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestParseOverrideCopyReceipt(t *testing.T) {
	tests := []struct {
		arg  string
		want kiosk.Override
		bad  bool
	}{
		{arg: "copy-receipt", want: kiosk.Override{Kind: kiosk.OvCopyReceipt}},
		{arg: "copy-receipt:17", want: kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: 17}},
		{arg: "Copy-Receipt:3", want: kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: 3}},
		{arg: "copy-receipt:0", bad: true},
		{arg: "copy-receipt:-2", bad: true},
		{arg: "copy-receipt:K1-17", bad: true},
		{arg: "cancel-sale:17", bad: true},
		{arg: "open-compartment:2", want: kiosk.Override{Kind: kiosk.OvOpenCompartment, Compartment: 2}},
	}
	for _, tt := range tests {
		got, err := parseOverride(tt.arg)
		if tt.bad {
			if !errors.As(err, new(usageError)) {
				t.Errorf("parseOverride(%q) = %+v, %v; want a usage error", tt.arg, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseOverride(%q) = %+v, %v; want %+v", tt.arg, got, err, tt.want)
		}
	}
}

// waitJournal waits, woken by each change of the checkout, until the
// journal holds a record ok accepts.
func (e *e2e) waitJournal(what string, ok func(kiosk.Record) bool) kiosk.Record {
	e.t.Helper()
	var found kiosk.Record
	untilView(e.t, e.co, what, 10*time.Second, func(kiosk.View) bool {
		err := e.db.Scan(e.ctx, 0, func(r kiosk.Record) error {
			if ok(r) {
				found = r
				return errFound
			}
			return nil
		})
		return errors.Is(err, errFound)
	})
	return found
}

var errFound = errors.New("found")

// waitReprinted waits until the reprint queue is empty: each receipt
// leaves it in the write that journals it printed, so the journal then
// takes no more records from it.
func (e *e2e) waitReprinted() {
	e.t.Helper()
	untilView(e.t, e.co, "the reprint queue printed", 10*time.Second, func(kiosk.View) bool {
		qs, err := e.db.QueuedReceipts(e.ctx, "K1")
		return err == nil && len(qs) == 0
	})
}

// receiptRecords counts the journal's records of code for receipt no.
func (e *e2e) receiptRecords(code kiosk.Code, sub string, no uint64) int {
	e.t.Helper()
	n := 0
	err := e.db.Scan(e.ctx, 0, func(r kiosk.Record) error {
		if r.Code == code && r.Subtype == sub && r.ReceiptNo == no {
			n++
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func printedRecord(no uint64) func(kiosk.Record) bool {
	return func(r kiosk.Record) bool {
		return r.Code == kiosk.CodeSalesReceipt && r.Subtype == kiosk.SubReceiptPrinted && r.ReceiptNo == no
	}
}

// TestReceiptPrintedLateE2E: through the real wiring and Badger, paper
// runs out as the customer pays; the sale is journaled 13030, its receipt
// waits in the store's reprint queue over a restart and prints once
// paper is back (13012, printed late). Its one copy is counted in the
// store: a second is refused after another restart. The journal verifies
// throughout.
func TestReceiptPrintedLateE2E(t *testing.T) {
	e := mustE2E(t)
	if err := e.co.Add(kiosk.MustGTIN(cola)); err != nil {
		t.Fatal(err)
	}
	if err := e.co.Pay(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.term.WaitAuthorize(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.printer.SetStatus(kiosk.PrinterStatus{Problem: "paper out"})
	if err := e.term.Respond(kiosktest.PayApproved()); err != nil {
		t.Fatal(err)
	}
	h := e.waitHealth("Receipt")
	no := h.ReceiptNo
	e.waitJournal("13030", func(r kiosk.Record) bool { return r.Code == kiosk.CodeNoReceipt && r.ReceiptNo == no })
	if n := e.receiptRecords(kiosk.CodeSalesReceipt, kiosk.SubReceiptPrinted, no); n != 0 {
		t.Fatalf("receipt %d journaled printed %d times with no paper", no, n)
	}

	e.close()
	e.open() // the printer watch runs with it
	e.printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	e.co.CheckPrinter()
	late := e.waitJournal("printed late", printedRecord(no))
	if late.Data[kiosk.DataPrinted] != kiosk.PrintedLate {
		t.Errorf("late record %+v", late)
	}
	if qs, err := e.db.QueuedReceipts(e.ctx, "K1"); err != nil || len(qs) != 0 {
		t.Errorf("queue after the late print: %+v, %v", qs, err)
	}
	if d := e.co.View().Today; d.NotPrinted != 1 || d.PrintedLate != 1 {
		t.Errorf("today %+v", d)
	}

	if err := staffOverride(e.co, e.db, kiosk.Override{Kind: kiosk.OvCopyReceipt}); err != nil {
		t.Fatal(err)
	}
	last, _ := e.printer.Last()
	if text := last.PlainText(42); !strings.Contains(text, kiosk.CopyMark) {
		t.Errorf("the copy:\n%s", text)
	}
	e.close()
	e.open()
	err := staffOverride(e.co, e.db, kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: no})
	if !errors.Is(err, kiosk.ErrCopyMade) {
		t.Fatalf("second copy after a restart = %v, want ErrCopyMade", err)
	}
	if n := e.receiptRecords(kiosk.CodeCopyReceipt, "", no); n != 1 {
		t.Errorf("%d copies journaled", n)
	}
	if _, err := kiosk.VerifyJournal(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
}
