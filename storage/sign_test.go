package storage

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// TestTamperedSaleFailsVerification: the cases an inspector tried on a
// journal whose sales lived outside the chain and were not signed (issue
// 12): each verified "OK" then. Now a sale is in its record in full, and
// signed.
func TestTamperedSaleFailsVerification(t *testing.T) {
	ctx := context.Background()
	verify := func(d *DB) error {
		_, err := kiosk.VerifyJournalWith(ctx, d, kiosk.VerifyOptions{
			Signatures: &kiosktest.Signer{}, Zone: testZone,
			Sale: func(k string, no uint64) (kiosk.Sale, error) { return d.Sale(ctx, k, no) },
		})
		return err
	}
	// reseal rewrites record seq with e and seals every later record and
	// the head again, as anyone with the exported kiosk.Seal can.
	reseal := func(t *testing.T, txn *badger.Txn, seq uint64, e kiosk.Entry) {
		t.Helper()
		prev := kiosk.Record{}
		if seq > 1 {
			prev = rawRecord(t, txn, seq-1)
		}
		for n := seq; ; n++ {
			b, err := getRaw(txn, jrnlKey(n))
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				putRecord(t, txn, []byte(keyHead), prev)
				return
			}
			old := rawRecord(t, txn, n)
			if n != seq {
				e = old.Entry
			}
			r, err := kiosk.Seal(prev, e)
			if err != nil {
				t.Fatal(err)
			}
			putRecord(t, txn, jrnlKey(n), r)
			prev = r
		}
	}
	storedSale := func(t *testing.T, txn *badger.Txn, no uint64) kiosk.Sale {
		t.Helper()
		var s kiosk.Sale
		if ok, err := getJSON(txn, saleKey("K1", no), &s); err != nil || !ok {
			t.Fatalf("sale %d: %v %v", no, ok, err)
		}
		return s
	}
	for _, tt := range []struct {
		name   string
		tamper func(t *testing.T, txn *badger.Txn)
		want   error
	}{
		{"a stored sale's total changed", func(t *testing.T, txn *badger.Txn) {
			s := storedSale(t, txn, 2)
			s.Total += 100
			if err := setJSON(txn, saleKey("K1", 2), s); err != nil {
				t.Fatal(err)
			}
		}, kiosk.ErrNotInJournal},
		{"a sale re-priced everywhere and the chain resealed", func(t *testing.T, txn *badger.Txn) {
			s := storedSale(t, txn, 2)
			s.Lines[2].Product.Price += 100
			b := kiosk.Basket{Lines: s.Lines}
			amount := b.Total()
			pay := s.Payment
			pay.Amount = amount
			p := kiosk.PendingSale{ID: s.ID, Kiosk: s.Kiosk, Started: s.Started, Lines: s.Lines, Amount: amount, Result: &pay}
			forged := kiosk.NewSale(p, s.Completed)
			forged.No = s.No
			if err := setJSON(txn, saleKey("K1", 2), forged); err != nil {
				t.Fatal(err)
			}
			r := rawRecord(t, txn, 2)
			tx := kiosk.NewCashTx(forged)
			tx.Signature, tx.KeyVersion = r.Tx.Signature, r.Tx.KeyVersion // no key to sign it anew
			r.Tx, r.Amount = &tx, amount
			if err := tx.Check(); err != nil {
				t.Fatalf("the forgery does not add up: %v", err)
			}
			reseal(t, txn, 2, r.Entry)
		}, kiosk.ErrBadSignature},
		{"a transaction's total edited and resealed", func(t *testing.T, txn *badger.Txn) {
			r := rawRecord(t, txn, 3)
			r.Tx.AmountIn += 100
			reseal(t, txn, 3, r.Entry)
		}, kiosk.ErrTxInconsistent},
		{"a cash transaction dropped and the chain resealed", func(t *testing.T, txn *badger.Txn) {
			r := rawRecord(t, txn, 2)
			r.Code, r.Tx = kiosk.CodeOther, nil
			reseal(t, txn, 2, r.Entry)
		}, kiosk.ErrTxInconsistent},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := mustOpen(t, t.TempDir())
			for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
				if err := d.Put(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			sales(t, d, "s", 4)
			if err := verify(d); err != nil {
				t.Fatalf("verify before tampering: %v", err)
			}
			if err := d.bdb.Update(func(txn *badger.Txn) error { tt.tamper(t, txn); return nil }); err != nil {
				t.Fatal(err)
			}
			if _, err := kiosk.VerifyJournal(ctx, d); err != nil && tt.want == kiosk.ErrBadSignature {
				t.Logf("(the chain alone: %v)", err)
			}
			if err := verify(d); !errors.Is(err, tt.want) {
				t.Errorf("verify after tampering: %v; want %v", err, tt.want)
			}
		})
	}
}

// TestCompleteSaleSignsInChain: each kiosk's signatures chain from "0",
// and the signed data is the guideline's string.
func TestCompleteSaleSignsInChain(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, t.TempDir())
	signer := &kiosktest.Signer{}
	d.SetSigner(signer, testZone)
	for i, k := range []string{"K1", "K2", "K1"} {
		s := threeLineSale("c"+string(rune('a'+i)), k)
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			t.Fatal(err)
		}
	}
	signed := signer.Signed()
	if len(signed) != 3 {
		t.Fatalf("signed %d, want 3", len(signed))
	}
	var recs []kiosk.Record
	if err := d.Scan(ctx, 1, func(r kiosk.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(recs[0].Tx)
	t.Logf("first transaction: %s", b)
	// Completed 10:01 UTC on 2 June: 12:01 in Oslo (summer time); 461.90
	// with VAT, 345.60 + 26.00 without.
	want := []string{
		"0;2025-06-02;12:01:00;1;461.90;371.60", // K1's first
		"0;2025-06-02;12:01:00;1;461.90;371.60", // K2's first
		recs[0].Tx.Signature + ";2025-06-02;12:01:00;2;461.90;371.60",
	}
	for i := range want {
		if signed[i] != want[i] {
			t.Errorf("signed data %d = %q, want %q", i, signed[i], want[i])
		}
	}
}
