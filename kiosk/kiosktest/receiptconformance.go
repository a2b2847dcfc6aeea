package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// ReceiptUnderTest is a kiosk.ReceiptStore with the sale store and the
// journal of the same store: a ReceiptStore write journals the entry it
// is given, and knows the sales CompleteSale stored. Reopen closes the
// store and opens it again on the same data (a restart); a store that
// keeps nothing apart from its object returns it as it is.
type ReceiptUnderTest struct {
	Sales    kiosk.SaleStore
	Journal  kiosk.Journal
	Receipts kiosk.ReceiptStore
	Reopen   func(t *testing.T) ReceiptUnderTest
}

// TestReceiptStore runs the kiosk.ReceiptStore conformance suite. open
// returns a new, empty store for each subtest. Each sentence of the
// contract in kiosk/receipts.go has a subtest.
func TestReceiptStore(t *testing.T, open func(t *testing.T) ReceiptUnderTest) {
	ctx := context.Background()

	t.Run("empty", func(t *testing.T) {
		s := open(t)
		qs, err := s.Receipts.QueuedReceipts(ctx, "K1")
		if err != nil || len(qs) != 0 {
			t.Errorf("QueuedReceipts in an empty store = %v, %v; want none", qs, err)
		}
		if n, err := s.Receipts.LastReceipt(ctx, "K1"); n != 0 || err != nil {
			t.Errorf("LastReceipt in an empty store = %d, %v; want 0", n, err)
		}
		if n, err := s.Receipts.Copies(ctx, "K1", 1); n != 0 || err != nil {
			t.Errorf("Copies of no receipt = %d, %v; want 0", n, err)
		}
	})

	t.Run("QueueReceipt queues and journals; QueuedReceipts lists by number", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 3)
		var want []kiosk.QueuedReceipt
		for _, no := range []uint64{3, 1} {
			q := receiptQueued("K1", no)
			e := receiptEntry(kiosk.CodeNoReceipt, q.Kiosk, no)
			if err := s.Receipts.QueueReceipt(ctx, q, e); err != nil {
				t.Fatalf("QueueReceipt(%d): %v", no, err)
			}
			head := storeMustHead(t, s.Journal)
			if head.Code != kiosk.CodeNoReceipt || head.ReceiptNo != no {
				t.Errorf("journal head after QueueReceipt(%d) = %v receipt %d", no, head.Code, head.ReceiptNo)
			}
			storeSameJSON(t, "journaled entry", head.Entry, storeUTCEntry(e))
			want = append([]kiosk.QueuedReceipt{q}, want...)
		}
		storeSameJSON(t, "QueuedReceipts", receiptMustQueued(t, s, "K1"), want)
		storeMustVerify(t, s.Journal)
	})

	t.Run("QueueReceipt of a sale that does not exist", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 1)
		before := storeCountRecords(t, s.Journal)
		for _, q := range []kiosk.QueuedReceipt{receiptQueued("K1", 2), receiptQueued("K2", 1), receiptQueued("K\x001", 1)} {
			err := s.Receipts.QueueReceipt(ctx, q, receiptEntry(kiosk.CodeNoReceipt, "K1", q.No))
			if !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("QueueReceipt(%q, %d) = %v, want ErrNotFound", q.Kiosk, q.No, err)
			}
		}
		if n := storeCountRecords(t, s.Journal); n != before {
			t.Errorf("refused QueueReceipt journaled: %d records, want %d", n, before)
		}
		if qs := receiptMustQueued(t, s, "K1"); len(qs) != 0 {
			t.Errorf("queued %v", qs)
		}
	})

	t.Run("QueueReceipt twice is a conflict", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 1)
		q := receiptQueued("K1", 1)
		if err := s.Receipts.QueueReceipt(ctx, q, receiptEntry(kiosk.CodeNoReceipt, "K1", 1)); err != nil {
			t.Fatal(err)
		}
		before := storeCountRecords(t, s.Journal)
		q.Reason = "again"
		if err := s.Receipts.QueueReceipt(ctx, q, receiptEntry(kiosk.CodeNoReceipt, "K1", 1)); !errors.Is(err, kiosk.ErrConflict) {
			t.Errorf("second QueueReceipt = %v, want ErrConflict", err)
		}
		if n := storeCountRecords(t, s.Journal); n != before {
			t.Errorf("refused QueueReceipt journaled: %d records, want %d", n, before)
		}
		if qs := receiptMustQueued(t, s, "K1"); len(qs) != 1 || qs[0].Reason == "again" {
			t.Errorf("queue after the conflict = %+v", qs)
		}
	})

	t.Run("queues are per kiosk", func(t *testing.T) {
		s := open(t)
		for _, k := range []string{"K1", "K10", "K2"} {
			receiptComplete(t, s, k, 2)
			for _, no := range []uint64{2, 1} {
				if err := s.Receipts.QueueReceipt(ctx, receiptQueued(k, no), receiptEntry(kiosk.CodeNoReceipt, k, no)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, k := range []string{"K1", "K10", "K2"} {
			qs := receiptMustQueued(t, s, k)
			if len(qs) != 2 || qs[0].Kiosk != k || qs[1].Kiosk != k || qs[0].No != 1 || qs[1].No != 2 {
				t.Errorf("QueuedReceipts(%s) = %+v", k, qs)
			}
		}
		if qs := receiptMustQueued(t, s, "K3"); len(qs) != 0 {
			t.Errorf("QueuedReceipts(K3) = %+v", qs)
		}
	})

	t.Run("ReceiptPrinted takes it out of the queue and journals", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 2)
		for _, no := range []uint64{1, 2} {
			if err := s.Receipts.QueueReceipt(ctx, receiptQueued("K1", no), receiptEntry(kiosk.CodeNoReceipt, "K1", no)); err != nil {
				t.Fatal(err)
			}
		}
		e := receiptEntry(kiosk.CodeSalesReceipt, "K1", 1)
		e.Subtype, e.Data = kiosk.SubReceiptPrinted, map[string]string{kiosk.DataPrinted: kiosk.PrintedLate}
		if err := s.Receipts.ReceiptPrinted(ctx, "K1", 1, e); err != nil {
			t.Fatal(err)
		}
		storeSameJSON(t, "journaled entry", storeMustHead(t, s.Journal).Entry, storeUTCEntry(e))
		if qs := receiptMustQueued(t, s, "K1"); len(qs) != 1 || qs[0].No != 2 {
			t.Errorf("queue after receipt 1 printed = %+v", qs)
		}
		before := storeCountRecords(t, s.Journal)
		for _, no := range []uint64{1, 3} {
			if err := s.Receipts.ReceiptPrinted(ctx, "K1", no, e); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("ReceiptPrinted(%d), not queued = %v, want ErrNotFound", no, err)
			}
		}
		if err := s.Receipts.ReceiptPrinted(ctx, "K2", 2, e); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("ReceiptPrinted of another kiosk's number = %v, want ErrNotFound", err)
		}
		if n := storeCountRecords(t, s.Journal); n != before {
			t.Errorf("refused ReceiptPrinted journaled: %d records, want %d", n, before)
		}
		storeMustVerify(t, s.Journal)
	})

	t.Run("CopyPrinted counts and journals; Copies tells", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 2)
		for want := 1; want <= 2; want++ { // it counts, it does not refuse
			e := receiptEntry(kiosk.CodeCopyReceipt, "K1", 2)
			n, err := s.Receipts.CopyPrinted(ctx, "K1", 2, e)
			if err != nil || n != want {
				t.Fatalf("CopyPrinted = %d, %v; want %d", n, err, want)
			}
			storeSameJSON(t, "journaled entry", storeMustHead(t, s.Journal).Entry, storeUTCEntry(e))
			if got, err := s.Receipts.Copies(ctx, "K1", 2); got != want || err != nil {
				t.Errorf("Copies = %d, %v; want %d", got, err, want)
			}
		}
		if got, _ := s.Receipts.Copies(ctx, "K1", 1); got != 0 {
			t.Errorf("Copies of receipt 1 = %d, want 0", got)
		}
		if got, _ := s.Receipts.Copies(ctx, "K2", 2); got != 0 {
			t.Errorf("Copies of another kiosk's receipt 2 = %d, want 0", got)
		}
		storeMustVerify(t, s.Journal)
	})

	t.Run("CopyPrinted of a sale that does not exist", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 1)
		before := storeCountRecords(t, s.Journal)
		for _, ref := range []struct {
			k  string
			no uint64
		}{{"K1", 2}, {"K1", 0}, {"K2", 1}} {
			if _, err := s.Receipts.CopyPrinted(ctx, ref.k, ref.no, receiptEntry(kiosk.CodeCopyReceipt, ref.k, ref.no)); !errors.Is(err, kiosk.ErrNotFound) {
				t.Errorf("CopyPrinted(%s, %d) = %v, want ErrNotFound", ref.k, ref.no, err)
			}
		}
		if n := storeCountRecords(t, s.Journal); n != before {
			t.Errorf("refused CopyPrinted journaled: %d records, want %d", n, before)
		}
	})

	t.Run("LastReceipt is the kiosk's last number", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 3)
		receiptComplete(t, s, "K10", 1)
		for k, want := range map[string]uint64{"K1": 3, "K10": 1, "K2": 0} {
			if n, err := s.Receipts.LastReceipt(ctx, k); n != want || err != nil {
				t.Errorf("LastReceipt(%s) = %d, %v; want %d", k, n, err, want)
			}
		}
	})

	t.Run("the queue and the copies survive a restart", func(t *testing.T) {
		s := open(t)
		receiptComplete(t, s, "K1", 3)
		for _, no := range []uint64{1, 3} {
			if err := s.Receipts.QueueReceipt(ctx, receiptQueued("K1", no), receiptEntry(kiosk.CodeNoReceipt, "K1", no)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Receipts.CopyPrinted(ctx, "K1", 2, receiptEntry(kiosk.CodeCopyReceipt, "K1", 2)); err != nil {
			t.Fatal(err)
		}
		want := receiptMustQueued(t, s, "K1")
		s = s.Reopen(t)
		storeSameJSON(t, "queue after a restart", receiptMustQueued(t, s, "K1"), want)
		if n, err := s.Receipts.Copies(ctx, "K1", 2); n != 1 || err != nil {
			t.Errorf("Copies after a restart = %d, %v; want 1", n, err)
		}
		if n, err := s.Receipts.LastReceipt(ctx, "K1"); n != 3 || err != nil {
			t.Errorf("LastReceipt after a restart = %d, %v; want 3", n, err)
		}
		storeMustVerify(t, s.Journal)
	})
}

// receiptComplete completes n sales of kiosk k, numbered after those it
// has.
func receiptComplete(t *testing.T, s ReceiptUnderTest, k string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		storeMustComplete(t, s.Sales, storeSale(fmt.Sprintf("%s-sale-%d", k, i), k, i, storeLine(prodCola, 1)))
	}
}

func receiptQueued(k string, no uint64) kiosk.QueuedReceipt {
	return kiosk.QueuedReceipt{Kiosk: k, No: no, SaleID: fmt.Sprintf("%s-sale-%d", k, no-1),
		Since: suiteT0.Add(time.Duration(no) * time.Minute).UTC(), Reason: "paper out"}
}

func receiptEntry(code kiosk.Code, k string, no uint64) kiosk.Entry {
	return kiosk.Entry{Code: code, Time: suiteT0.Add(time.Hour), Kiosk: k, ReceiptNo: no, SaleID: fmt.Sprintf("%s-sale-%d", k, no-1),
		Text: fmt.Sprintf("receipt %d", no)}
}

func receiptMustQueued(t *testing.T, s ReceiptUnderTest, k string) []kiosk.QueuedReceipt {
	t.Helper()
	qs, err := s.Receipts.QueuedReceipts(context.Background(), k)
	if err != nil {
		t.Fatalf("QueuedReceipts(%s): %v", k, err)
	}
	return qs
}
