package kiosk_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// sellSodas sells n sodas, waits for the receipt to print and for the
// kiosk to be idle again; it returns the receipt number.
func (r *rig) sellSodas(n int) uint64 {
	r.t.Helper()
	for range n {
		r.must(r.co.Add(soda.GTIN))
	}
	r.must(r.co.Pay())
	r.payApproved()
	v := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt screen")
	r.waitRecord("the receipt printed", isPrinted(v.ReceiptNo))
	r.must(r.co.FinishReceipt())
	r.wait(kiosk.Idle)
	return v.ReceiptNo
}

func (r *rig) returns() []kiosk.Document {
	var out []kiosk.Document
	for _, d := range r.printer.Printed() {
		if strings.Contains(d.PlainText(42), kiosk.ReturnReceiptTitle) {
			out = append(out, d)
		}
	}
	return out
}

// Issue 12 item 4, § 2-8-5: a supervisor takes goods back against their
// receipt, to the card and at the counter: the return is a signed 11006
// in the sales' chain with negative amounts, the stock goes back up, the
// totals count it, the Returkvittering prints and is journaled 13013, and
// no more can be returned than was sold.
func TestReturnToCardAndAtCounter(t *testing.T) {
	r := mustRig(t)
	stock0 := r.stock(soda)
	no := r.sellSodas(3)
	if o := optionOf(t, signedIn(r, "kari"), kiosk.OvReturn); !o.Available || !o.Permitted || o.Kind.Later() {
		t.Fatalf("return offered as %+v", o)
	}
	ret, err := r.co.Returnable(no)
	if err != nil || len(ret.Lines) != 1 || ret.Lines[0].Left() != 3 {
		t.Fatalf("Returnable = %+v, %v", ret, err)
	}
	r.must(r.co.Override(kiosk.Override{Kind: kiosk.OvReturn, Receipt: no, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCard, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 2}}}}))
	if got := r.term.Refunded(); got != 2*soda.Price {
		t.Fatalf("refunded to the card %s, want %s", got, 2*soda.Price)
	}
	if got := r.stock(soda); got != stock0-1 {
		t.Errorf("stock %d after selling 3 and taking 2 back, want %d", got, stock0-1)
	}
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvReturn, Receipt: no, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCounter, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 1}}}}))
	if got := r.term.Refunded(); got != 2*soda.Price {
		t.Errorf("a counter refund went to the terminal: %s", got)
	}
	// Over-return: all three are back.
	err = r.override("kari", kiosk.Override{Kind: kiosk.OvReturn, Receipt: no, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCounter, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 1}}}})
	if !errors.Is(err, kiosk.ErrOverReturn) {
		t.Fatalf("a fourth soda back = %v, want ErrOverReturn", err)
	}
	if v := r.co.View(); v.Staff == nil || v.Staff.Error != kiosk.StaffErrOverReturn || v.Staff.ErrorArg != fmt.Sprint(no) {
		t.Errorf("over-return shown as %+v", v.Staff)
	}
	r.co.StaffLogout()
	if got := r.stock(soda); got != stock0 {
		t.Errorf("stock %d, want %d", got, stock0)
	}
	// A sale after the returns: the chain of signatures goes on.
	next := r.sellSodas(1)
	if next != no+3 {
		t.Errorf("the next sale is receipt %d, want %d (two returns between)", next, no+3)
	}

	var txs []kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Code == kiosk.CodeReturnPayment {
			txs = append(txs, rec)
		}
	}
	if len(txs) != 2 {
		t.Fatalf("%d 11006 records, want 2", len(txs))
	}
	card, counter := txs[0], txs[1]
	if card.Tx == nil || card.Tx.AmountIn != -2*soda.Price || card.Tx.Original != no || card.Tx.Payment.Method != "card" || card.Tx.Payment.Terminal != kiosktest.FakeTerminalID ||
		card.Data[kiosk.DataOriginal] != fmt.Sprint(no) || card.Data[kiosk.DataStaff] != "kari" {
		t.Errorf("card return journaled %+v %+v", card.Entry, card.Tx)
	}
	if counter.Tx == nil || counter.Tx.AmountIn != -soda.Price || counter.Tx.Payment.Method != "counter" || counter.Amount != -soda.Price {
		t.Errorf("counter return journaled %+v %+v", counter.Entry, counter.Tx)
	}
	sum, err := kiosk.VerifyJournalWith(r.ctx, r.store, kiosk.VerifyOptions{Signatures: &kiosktest.Signer{}, Zone: oslo(t),
		Sale: func(k string, n uint64) (kiosk.Sale, error) { return r.store.Sale(r.ctx, k, n) }})
	if err != nil || sum.Signed != 4 {
		t.Fatalf("VerifyJournalWith = %+v, %v; want 4 signatures (2 sales, 2 returns)", sum, err)
	}
	printed := r.receiptRecords(kiosk.CodeReturnReceipt, card.ReceiptNo)
	if len(printed) != 1 || printed[0].Amount != -2*soda.Price || printed[0].Data[kiosk.DataOriginal] != fmt.Sprint(no) {
		t.Errorf("13013 of the card return: %+v", printed)
	}
	docs := r.returns()
	if len(docs) != 2 || !strings.Contains(docs[0].PlainText(42), "Tilbakebetalt til") || !strings.Contains(docs[1].PlainText(42), "Tilbakebetalt i kassen") {
		t.Errorf("%d return receipts printed", len(docs))
	}
	tot, err := r.store.Totals(r.ctx, "K1")
	r.must(err)
	if tot.Period.Returns != (kiosk.Count{Num: 2, Amount: 3 * soda.Price}) || tot.GrandReturns != 3*soda.Price || tot.Period.CardRefunds.Amount != 2*soda.Price {
		t.Errorf("totals: returns %+v, grand %s, card %+v", tot.Period.Returns, tot.GrandReturns, tot.Period.CardRefunds)
	}
	if o := r.lastOverride(); o.Data["override"] != "return" || o.Data["staff"] != "kari" {
		t.Errorf("override journaled %+v", o)
	}
}

// A refund the terminal declines, or whose answer is lost, records no
// return: staff sees why, the journal says it, nothing was put back.
func TestReturnRefundDeclinedOrUnknown(t *testing.T) {
	r := mustRig(t)
	no := r.sellSodas(1)
	stock := r.stock(soda)
	for _, tc := range []struct {
		name  string
		o     kiosktest.Outcome
		err   error
		staff kiosk.StaffError
		sub   string
	}{
		{"declined", kiosktest.PayDeclined("kort avvist"), kiosk.ErrRefundDeclined, kiosk.StaffErrRefundDeclined, kiosk.SubRefundDeclined},
		{"unreachable", kiosktest.PayUnreachable(), kiosk.ErrRefundDeclined, kiosk.StaffErrRefundDeclined, kiosk.SubRefundDeclined},
		{"timed out", kiosktest.PayLost(kiosktest.PayDeclined("")), kiosk.ErrRefundUnknown, kiosk.StaffErrRefundUnknown, kiosk.SubRefundUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.term.ScriptRefund(tc.o)
			before := len(r.journaled(tc.sub))
			err := r.override("kari", kiosk.Override{Kind: kiosk.OvReturn, Receipt: no, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCard, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 1}}}})
			if !errors.Is(err, tc.err) {
				t.Fatalf("Override = %v, want %v", err, tc.err)
			}
			if v := r.co.View(); v.Staff == nil || v.Staff.Error != tc.staff || v.Staff.ErrorArg == "" {
				t.Errorf("shown as %+v", v.Staff)
			}
			r.co.StaffLogout()
			if n := len(r.journaled(tc.sub)); n != before+1 {
				t.Errorf("%d %s records, want %d", n, tc.sub, before+1)
			}
			got, _ := r.store.Returned(r.ctx, "K1", no)
			if len(got) != 0 || len(r.store.Returns()) != 0 || r.stock(soda) != stock || len(r.returns()) != 0 {
				t.Errorf("a failed refund recorded a return: %v", got)
			}
		})
	}
	if len(r.journaled(kiosk.SubRefundAsked)) != 3 {
		t.Errorf("refund requests journaled %d, want 3", len(r.journaled(kiosk.SubRefundAsked)))
	}
}

func oslo(t *testing.T) *time.Location {
	t.Helper()
	l, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	return l
}

// TestCopyLastAfterReturnAndRestart: a return takes the next receipt
// number; after a restart "copy the last receipt" still means the last
// sales receipt, not the return's number (it said "no receipt N").
func TestCopyLastAfterReturnAndRestart(t *testing.T) {
	r := mustRig(t)
	no := r.sellSodas(2)
	r.waitRecord("the receipt printed", isPrinted(no))
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvReturn, Receipt: no, Reason: kiosk.ReasonCustomerAsked,
		Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCounter, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 1}}}}))
	// Right after the return, and after a restart.
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvCopyReceipt}))
	if recs := r.receiptRecords(kiosk.CodeCopyReceipt, no); len(recs) != 1 {
		t.Fatalf("%d copies of receipt %d journaled after the return; want 1", len(recs), no)
	}
	r.start()
	if got := r.co.View().LastReceipt; got != no {
		t.Fatalf("last receipt after a return and a restart = %d; want the sale's %d", got, no)
	}
	// The one copy is made: a second is refused, for the sale's number.
	err := r.override("ola", kiosk.Override{Kind: kiosk.OvCopyReceipt})
	var re *kiosk.ReceiptError
	if !errors.As(err, &re) || re.No != no || !errors.Is(err, kiosk.ErrCopyMade) {
		t.Errorf("a second copy of the last receipt after a restart = %v; want receipt %d's copy made", err, no)
	}
}
