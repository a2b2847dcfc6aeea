package kiosk_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// sellSoda sells one soda (nothing from the cabinet) and waits for its
// receipt on the receipt screen; it returns the receipt number.
func (r *rig) sellSoda() uint64 {
	r.t.Helper()
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Pay())
	r.payApproved()
	v := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt screen")
	return v.ReceiptNo
}

// sellSodaPrinterFailing sells one soda with the printer failing (fail)
// once the payment was asked for, after the check before it; it returns
// the receipt number once the sale is journaled as not printed.
func (r *rig) sellSodaPrinterFailing(fail func()) uint64 {
	r.t.Helper()
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Pay())
	if _, err := r.term.WaitAuthorize(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	fail()
	r.must(r.term.Respond(kiosktest.PayApproved()))
	v := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.Notice == kiosk.NoticeReceiptNotPrinted }, "the receipt screen saying the printer failed")
	no := v.ReceiptNo
	r.waitRecord("13030", func(rec kiosk.Record) bool { return rec.Code == kiosk.CodeNoReceipt && rec.ReceiptNo == no })
	return no
}

// waitRecord waits until the journal holds a record that ok accepts,
// woken by each change of the view (every journaled receipt event is
// followed by one, or comes before the change that is waited on).
func (r *rig) waitRecord(what string, ok func(kiosk.Record) bool) kiosk.Record {
	r.t.Helper()
	var found kiosk.Record
	r.until(func(kiosk.View) bool {
		for _, rec := range r.store.Records() {
			if ok(rec) {
				found = rec
				return true
			}
		}
		return false
	}, what)
	return found
}

// receiptRecords are the journal's records naming receipt no with code,
// in order.
func (r *rig) receiptRecords(code kiosk.Code, no uint64) []kiosk.Record {
	var out []kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Code == code && rec.ReceiptNo == no {
			out = append(out, rec)
		}
	}
	return out
}

// printClaims are the records that say receipt no was printed: every
// 13012 naming it. (The sale's own record is the cash transaction.)
func (r *rig) printClaims(no uint64) []kiosk.Record {
	return r.receiptRecords(kiosk.CodeSalesReceipt, no)
}

func isPrinted(no uint64) func(kiosk.Record) bool {
	return func(rec kiosk.Record) bool {
		return rec.Code == kiosk.CodeSalesReceipt && rec.Subtype == kiosk.SubReceiptPrinted && rec.ReceiptNo == no
	}
}

// runLoops runs the checkout's device loops (the printer watch among
// them) until the test ends.
func (r *rig) runLoops() {
	ctx, cancel := context.WithCancel(r.ctx)
	r.t.Cleanup(cancel)
	go r.co.Run(ctx)
}

// A printed receipt is journaled 13012 with its number and sale after the
// printer took it, never before.
func TestReceiptJournaledAfterPrinting(t *testing.T) {
	r := mustRig(t)
	no := r.sellSoda()
	rec := r.waitRecord("the receipt printed", isPrinted(no))
	if len(r.printer.Printed()) != 1 {
		t.Fatalf("%d documents printed", len(r.printer.Printed()))
	}
	sale := r.store.Sales()[0]
	if rec.SaleID != sale.ID || rec.Amount != sale.Total || rec.Data[kiosk.DataPrinted] != "" {
		t.Errorf("printed record %+v", rec)
	}
	if cs := r.printClaims(no); len(cs) != 1 {
		t.Errorf("%d records say receipt %d printed, want 1", len(cs), no)
	}
	if n := len(r.receiptRecords(kiosk.CodeNoReceipt, no)); n != 0 {
		t.Errorf("%d records say it did not print", n)
	}
}

// Issue 12: paper out after the payment was approved. The journal must not
// say the receipt printed (13012) before it did: it says 13030, with the
// reason, and the receipt waits in the reprint queue, across a restart;
// once the printer is back the printer watch prints it and journals 13012
// printed late. The staff screen counts both.
func TestPaperOutAfterApprovalPrintsLater(t *testing.T) {
	r := mustRig(t)
	no := r.sellSodaPrinterFailing(func() {
		r.printer.SetStatus(kiosk.PrinterStatus{Problem: "paper out", PaperLow: true}) // runs out as the customer pays
	})
	not := r.receiptRecords(kiosk.CodeNoReceipt, no)[0]
	if not.SaleID == "" || !strings.Contains(not.Data[kiosk.DataReason], "paper out") || !strings.Contains(not.Text, "paper out") {
		t.Errorf("13030 record %+v", not)
	}
	if cs := r.printClaims(no); len(cs) != 0 {
		t.Fatalf("the journal says receipt %d printed while the paper is out: %+v", no, cs)
	}
	if len(r.printer.Printed()) != 0 {
		t.Fatal("something printed without paper")
	}
	if qs, err := r.store.QueuedReceipts(r.ctx, "K1"); err != nil || len(qs) != 1 || qs[0].No != no {
		t.Fatalf("reprint queue %+v, %v", qs, err)
	}
	if d := r.co.View().Today; d.NotPrinted != 1 || d.PrintedLate != 0 || d.Sales != 1 {
		t.Errorf("today %+v", d)
	}

	// A restart: the queue is in the store, not in the checkout.
	r.start()
	r.runLoops()
	r.wait(kiosk.OutOfOrder) // the printer watch finds no paper
	if cs := r.printClaims(no); len(cs) != 0 {
		t.Fatalf("printed claimed with the paper still out: %+v", cs)
	}
	r.printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	r.co.CheckPrinter()
	late := r.waitRecord("13012 printed late", isPrinted(no))
	if late.Data[kiosk.DataPrinted] != kiosk.PrintedLate || late.Data[kiosk.DataQueued] == "" || late.SaleID != not.SaleID {
		t.Errorf("late record %+v", late)
	}
	printed := r.printer.Printed()
	if len(printed) != 1 {
		t.Fatalf("%d documents printed, want the one late receipt", len(printed))
	}
	text := printed[0].PlainText(42)
	for _, want := range []string{"Salgskvittering", fmt.Sprintf("Kvittering nr.%s%d", strings.Repeat(" ", 42-len("Kvittering nr.")-len(fmt.Sprint(no))), no), "Skrevet ut", "  1 x 32,90"} {
		if !strings.Contains(text, want) {
			t.Errorf("late receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, kiosk.CopyMark) {
		t.Errorf("the late receipt is the original, not a copy:\n%s", text)
	}
	if qs, _ := r.store.QueuedReceipts(r.ctx, "K1"); len(qs) != 0 {
		t.Errorf("still queued: %+v", qs)
	}
	r.until(func(v kiosk.View) bool { return v.Today.NotPrinted == 1 && v.Today.PrintedLate == 1 }, "both counted")
	if cs := r.printClaims(no); len(cs) != 1 {
		t.Errorf("%d records say receipt %d printed, want the late one", len(cs), no)
	}
	// Counted again from the journal at the next start.
	r.start()
	if d := r.co.View().Today; d.NotPrinted != 1 || d.PrintedLate != 1 || d.Sales != 1 {
		t.Errorf("today after a restart %+v", d)
	}
	if _, err := kiosk.VerifyJournal(r.ctx, r.store); err != nil {
		t.Fatal(err)
	}
}

// The reprint queue waits while a customer is at the kiosk: a stale
// receipt is never pushed into another customer's hands.
func TestReprintWaitsForTheCustomer(t *testing.T) {
	r := mustRig(t)
	no := r.sellSodaPrinterFailing(r.printer.Unplug)
	r.must(r.co.FinishReceipt())
	r.printer.Replug()
	r.must(r.co.Add(soda.GTIN)) // the next customer is scanning
	r.runLoops()
	r.co.CheckPrinter()
	r.clock.Advance(30 * time.Second) // polls come and go
	r.wait(kiosk.Shopping)
	if len(r.printer.Attempts()) != 1 { // the failed one at the sale
		t.Fatalf("printed while a customer shops: %+v", r.printer.Attempts())
	}
	r.must(r.co.Cancel())
	r.wait(kiosk.Idle)
	r.co.CheckPrinter()
	r.waitRecord("printed late", isPrinted(no))
}

// A late receipt printed whose record failed stays queued; the next look
// records it without printing it a second time.
func TestReprintFailsAgain(t *testing.T) {
	r := mustRig(t)
	no := r.sellSodaPrinterFailing(r.printer.Unplug)
	r.must(r.co.FinishReceipt())
	r.printer.Replug()
	// The late receipt prints, but the store fails its record.
	r.store.FailNextCall("ReceiptPrinted", errors.New("disk trouble"))
	r.runLoops()
	// Nothing on the screen changes: wait for the printer itself.
	deadline := time.Now().Add(10 * time.Second)
	for len(r.printer.Printed()) == 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if len(r.printer.Printed()) != 1 {
		t.Fatal("the late receipt never printed")
	}
	// Its record failed: the next look records it without printing again.
	r.clock.Advance(11 * time.Second)
	r.co.CheckPrinter()
	r.waitRecord("printed late", isPrinted(no))
	if n := len(r.printer.Printed()); n != 1 {
		t.Errorf("printed %d times", n)
	}
	if cs := r.printClaims(no); len(cs) != 1 {
		t.Errorf("%d print claims", len(cs))
	}
	if n := len(r.receiptRecords(kiosk.CodeNoReceipt, no)); n != 1 {
		t.Errorf("%d 13030 records", n)
	}
}

// A sale completed at a restart (the customer had the goods) was never
// printed: 13030, and the receipt prints when the printer is ready.
func TestRecoveredSaleReceiptPrintsLater(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(snus.GTIN))
	r.payAgeApproved()
	r.payApproved()
	r.wait(kiosk.Releasing)
	r.start() // the power went with the cabinet open
	no := r.co.View().LastReceipt
	if no != 1 {
		t.Fatalf("last receipt %d", no)
	}
	if n := len(r.receiptRecords(kiosk.CodeNoReceipt, no)); n != 1 {
		t.Fatalf("%d 13030 records for the recovered sale", n)
	}
	r.runLoops()
	r.waitRecord("printed late", isPrinted(no))
}

// copies returns the documents printed marked KOPI.
func (r *rig) copies() []kiosk.Document {
	var out []kiosk.Document
	for _, d := range r.printer.Printed() {
		if d.Lines[0].Text == kiosk.CopyMark {
			out = append(out, d)
		}
	}
	return out
}

// § 2-6 fourth paragraph and § 2-8-6: staff prints the one copy of the
// last receipt, marked KOPI, journaled 13014 and counted; a second copy
// of it is refused with a clear message, journaled, also after a
// restart.
func TestCopyReceiptOnlyOnce(t *testing.T) {
	r := mustRig(t)
	if o := optionOf(t, signedIn(r, "ola"), kiosk.OvCopyReceipt); o.Available {
		t.Errorf("copy offered with no receipt yet: %+v", o)
	}
	r.co.StaffLogout()
	no := r.sellSoda()
	r.waitRecord("the receipt printed", isPrinted(no))
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvCopyReceipt}))
	cs := r.copies()
	if len(cs) != 1 {
		t.Fatalf("%d copies printed", len(cs))
	}
	text := cs[0].PlainText(42)
	for _, want := range []string{"Salgskvittering", "Kopi skrevet ut", "  1 x 32,90", "K1-1"} {
		if !strings.Contains(text, want) {
			t.Errorf("copy lacks %q:\n%s", want, text)
		}
	}
	recs := r.receiptRecords(kiosk.CodeCopyReceipt, no)
	sale := r.store.Sales()[0]
	if len(recs) != 1 || recs[0].SaleID != sale.ID || recs[0].Data[kiosk.DataStaff] != "ola" || recs[0].Amount != sale.Total {
		t.Fatalf("13014 records %+v", recs)
	}
	if o := r.lastOverride(); o.Data["override"] != "copy receipt" || !strings.Contains(o.Text, fmt.Sprintf("receipt %d", no)) {
		t.Errorf("override journaled %+v", o)
	}
	if c := r.co.View().Today.Copies; c != 1 {
		t.Errorf("today's copies %d", c)
	}
	if n, _ := r.store.Copies(r.ctx, "K1", no); n != 1 {
		t.Errorf("copies stored %d", n)
	}

	for _, restart := range []bool{false, true} {
		if restart {
			r.start()
		}
		err := r.override("kari", kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: no})
		var re *kiosk.ReceiptError
		if !errors.Is(err, kiosk.ErrCopyMade) || !errors.As(err, &re) || re.No != no {
			t.Fatalf("second copy (restart %v) = %v, want ErrCopyMade for receipt %d", restart, err, no)
		}
		v := r.co.View()
		if v.Staff == nil || v.Staff.Error != kiosk.StaffErrCopyMade || v.Staff.ErrorArg != fmt.Sprint(no) {
			t.Errorf("refusal shown as %+v", v.Staff)
		}
		r.co.StaffLogout()
	}
	if len(r.copies()) != 1 || len(r.receiptRecords(kiosk.CodeCopyReceipt, no)) != 1 {
		t.Errorf("%d copies printed, %d journaled; want 1", len(r.copies()), len(r.receiptRecords(kiosk.CodeCopyReceipt, no)))
	}
	refused := r.journaled(kiosk.SubOverrideRefused)
	if len(refused) != 2 || refused[0].ReceiptNo != no || refused[0].Data["staff"] != "kari" || !strings.Contains(refused[0].Text, "one copy") {
		t.Errorf("refusals journaled %+v", refused)
	}
	if c := r.co.View().Today.Copies; c != 1 {
		t.Errorf("today's copies after a restart %d", c)
	}
	if _, err := kiosk.VerifyJournal(r.ctx, r.store); err != nil {
		t.Fatal(err)
	}
}

// signedIn signs id in and returns the view.
func signedIn(r *rig, id string) kiosk.View {
	r.t.Helper()
	r.signIn(id)
	return r.co.View()
}

// A copy is of the receipt asked for by number; a number the kiosk never
// gave, and a receipt still waiting in the reprint queue, are refused
// with what is wrong. A printer that fails the copy makes none: nothing
// is counted, and the copy can be asked for again.
func TestCopyReceiptChosenByNumber(t *testing.T) {
	r := mustRig(t)
	first := r.sellSoda()
	r.waitRecord("the receipt printed", isPrinted(first))
	r.must(r.co.FinishReceipt())
	second := r.sellSodaPrinterFailing(func() { r.printer.SetStatus(kiosk.PrinterStatus{Problem: "paper out"}) })
	r.must(r.co.FinishReceipt())
	r.printer.SetStatus(kiosk.PrinterStatus{Ready: true})

	tests := []struct {
		no      uint64
		err     error
		staff   kiosk.StaffError
		prints  bool
		printer kiosk.PrinterStatus
	}{
		{no: 9, err: kiosk.ErrNotFound, staff: kiosk.StaffErrNoReceipt},
		{no: second, err: kiosk.ErrReceiptQueued, staff: kiosk.StaffErrReceiptQueued},
		{no: first, err: kiosk.ErrDeviceUnavailable, staff: kiosk.StaffErrFailed, printer: kiosk.PrinterStatus{Problem: "cover open"}},
		{no: first, prints: true, printer: kiosk.PrinterStatus{Ready: true}},
	}
	for _, tt := range tests {
		if tt.printer != (kiosk.PrinterStatus{}) {
			r.printer.SetStatus(tt.printer)
		}
		before := len(r.copies())
		err := r.override("ola", kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: tt.no})
		if tt.err == nil {
			if err != nil {
				t.Fatalf("copy of %d: %v", tt.no, err)
			}
		} else {
			if !errors.Is(err, tt.err) {
				t.Fatalf("copy of %d = %v, want %v", tt.no, err, tt.err)
			}
			if v := r.co.View(); v.Staff == nil || v.Staff.Error != tt.staff {
				t.Errorf("copy of %d shown as %+v", tt.no, v.Staff)
			} else if tt.staff != kiosk.StaffErrFailed && v.Staff.ErrorArg != fmt.Sprint(tt.no) {
				t.Errorf("copy of %d: the screen names receipt %q", tt.no, v.Staff.ErrorArg)
			}
			r.co.StaffLogout()
		}
		if got := len(r.copies()) - before; (got == 1) != tt.prints || got > 1 {
			t.Errorf("copy of %d: %d printed", tt.no, got)
		}
	}
	cs := r.copies()
	if !strings.Contains(cs[len(cs)-1].PlainText(42), fmt.Sprintf("K1-%d", first)) {
		t.Errorf("the copy is not of receipt %d:\n%s", first, cs[len(cs)-1].PlainText(42))
	}
	if n := len(r.receiptRecords(kiosk.CodeCopyReceipt, first)); n != 1 {
		t.Errorf("%d copies of %d journaled", n, first)
	}
	if n := len(r.receiptRecords(kiosk.CodeCopyReceipt, second)); n != 0 {
		t.Errorf("a copy of the unprinted %d journaled", n)
	}
}

// TestStopBeforePrintQueuesAtStart: the kiosk stopped (or died) between
// completing a sale and printing its receipt, so the journal holds the
// sale (11001) but neither 13012 nor 13030. The next start journals it as
// not printed and queues it; the printer watch prints it late.
func TestStopBeforePrintQueuesAtStart(t *testing.T) {
	r := mustRig(t)
	p := kiosk.PendingSale{ID: "cut", Kiosk: "K1", Started: r.clock.Now(), Lines: []kiosk.Line{{Product: soda, Qty: 1}},
		Amount: soda.Price, State: kiosk.PendingReleased, Attempt: 1,
		Result: &kiosk.PaymentResult{Approved: true, Amount: soda.Price, CardType: "Visa"}}
	s, err := r.store.CompleteSale(r.ctx, kiosk.NewSale(p, r.clock.Now()), kiosk.Entry{Time: r.clock.Now(), Kiosk: "K1", SaleID: "cut", Amount: soda.Price})
	if err != nil {
		t.Fatal(err)
	}
	r.start()
	not := r.receiptRecords(kiosk.CodeNoReceipt, s.No)
	if len(not) != 1 || !strings.Contains(not[0].Text, "stopped before") {
		t.Fatalf("13030 records of receipt %d at start: %+v", s.No, not)
	}
	if cs := r.printClaims(s.No); len(cs) != 0 {
		t.Fatalf("printed claimed before anything printed: %+v", cs)
	}
	r.runLoops()
	r.waitRecord("13012 printed late", isPrinted(s.No))
	// Resolved: the next start queues nothing more.
	r.start()
	if not := r.receiptRecords(kiosk.CodeNoReceipt, s.No); len(not) != 1 {
		t.Errorf("%d 13030 records after a second start, want 1", len(not))
	}
}
