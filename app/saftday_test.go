package app

import (
	"strings"
	"testing"
	"time"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// TestSAFTScriptedDemoDay is issue 12's day, through the real checkout,
// Badger and the real signing key: 20 sales, one of them a receipt that
// could not print (paper out as the customer paid) and printed late, a
// copy, a return refunded to the card, two training sales, a line voided
// by staff and a cancelled sale, an X and a Z report. The day's SAF-T
// file validates against the official XSD, and every signature in it
// verifies with the public key; `journal verify` passes on the store.
func TestSAFTScriptedDemoDay(t *testing.T) {
	d := mustSAFTDay(t)
	cards := []string{"BankAxept", "Visa", "Mastercard", "BankAxept"}
	goods := [][]string{{demoCola}, {demoChocolate, demoPaper}, {demoSnus}, {demoCola, demoLighter}, {demoCigarettes}, {demoChocolate}}
	for i := range 20 {
		d.at(8+i*12/20, (i*37)%60)
		if i == 5 {
			// Paper runs out while the customer pays: 13030, queued.
			// (Once the receipts before are out.)
			d.until("five receipts printed", func(kiosk.View) bool { return len(d.printer.Printed()) == 5 })
			d.onAuthorize = func() { d.printer.SetStatus(kiosk.PrinterStatus{Problem: "paper out", PaperLow: true}) }
		}
		d.sell(cards[i%len(cards)], goods[i%len(goods)]...)
		if i == 5 {
			d.printer.SetStatus(kiosk.PrinterStatus{Ready: true}) // a new roll
			d.co.CheckPrinter()
			d.until("the receipt printed late", func(v kiosk.View) bool { return v.Today.PrintedLate == 1 })
		}
		switch i {
		case 7:
			d.at(14, 0)
			d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvCopyReceipt, Receipt: 3, Reason: kiosk.ReasonCustomerAsked}))
		case 9:
			d.at(14, 10)
			d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvReturn, Receipt: 2, Reason: kiosk.ReasonCustomerAsked,
				Return: &kiosk.ReturnRequest{Lines: []kiosk.ReturnLine{{GTIN: kiosk.MustGTIN(demoChocolate), Qty: 1}}, Refund: kiosk.RefundCard}}))
		case 11:
			d.at(14, 20)
			d.training(demoCola)
			d.at(14, 25)
			d.training(demoChocolate)
		case 13:
			d.at(14, 30)
			d.must(d.co.Add(kiosk.MustGTIN(demoCola)))
			d.must(d.co.Add(kiosk.MustGTIN(demoChocolate)))
			d.state(kiosk.Shopping)
			d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvVoidLine, Line: kiosk.MustGTIN(demoChocolate), Reason: kiosk.ReasonWrongItem}))
			d.must(d.co.Cancel())
		}
	}
	d.at(20, 0)
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvXReport}))
	d.at(21, 50)
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvZReport, Reason: kiosk.ReasonEndOfDay}))
	d.at(22, 0)
	d.close()

	// The journal: every kind of the day, and it verifies.
	db, err := storage.Open(d.dir, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := signing.ReadPublicKeys(d.dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := kiosk.VerifyJournalWith(d.ctx, db, kiosk.VerifyOptions{Signatures: keys, Zone: d.zone})
	if sum.ByCode[kiosk.CodeNoReceipt] != 1 {
		_ = db.Scan(d.ctx, 1, func(r kiosk.Record) error {
			if r.Code == kiosk.CodeNoReceipt || r.Code == kiosk.CodeSalesReceipt && r.Data[kiosk.DataPrinted] != "" {
				t.Logf("%d %v receipt %d: %s", r.Seq, r.Code, r.ReceiptNo, r.Text)
			}
			return nil
		})
	}
	db.Close()
	if err != nil {
		t.Fatalf("journal verify: %v", err)
	}
	for code, n := range map[kiosk.Code]uint64{kiosk.CodeCashSale: 22, kiosk.CodeReturnPayment: 1, kiosk.CodeNoReceipt: 1,
		kiosk.CodeCopyReceipt: 1, kiosk.CodeReturnReceipt: 1, kiosk.CodeTrainingReceipt: 2, kiosk.CodeXReport: 1, kiosk.CodeZReport: 1} {
		if sum.ByCode[code] != n {
			t.Errorf("%d records of %v; want %d", sum.ByCode[code], code, n)
		}
	}
	// 19 printed at the sale, one late: 20 × 13012.
	if sum.ByCode[kiosk.CodeSalesReceipt] != 20 || sum.Signed != 23 {
		t.Errorf("%d sales receipts printed, %d signatures; want 20 and 23", sum.ByCode[kiosk.CodeSalesReceipt], sum.Signed)
	}

	// The SAF-T file of the day: valid, and every signature checks out
	// from the file alone and the public key.
	out := t.TempDir()
	date := d.day.Format(time.DateOnly)
	start := time.Now()
	msg, code := saftExportCmd("--data", d.dir, "--from", date, "--to", date, "--out", out)
	took := time.Since(start)
	if code != 0 || !strings.Contains(msg, "23 cash transactions") {
		t.Fatalf("saft export = %d\n%s", code, msg)
	}
	t.Logf("SAF-T export of the day (23 cash transactions) took %v", took)
	path := exportedFile(t, out)
	xmllintCheck(t, path)
	f := readSAFT(t, path)
	reg := f.Company.Locations[0].Registers[0]
	prev := "0"
	returns, trainings := 0, 0
	for _, tx := range reg.Transactions {
		data := strings.Join([]string{prev, tx.Date, tx.Time, tx.Nr, tx.AmountIn, tx.AmountEx}, ";")
		v, err := kiosk.ParseKeyVersion(tx.KeyVersion)
		d.must(err)
		if err := keys.Verify(data, tx.Signature, v); err != nil {
			t.Errorf("transaction %s: %v", tx.Nr, err)
		}
		prev = tx.Signature
		if tx.Type == "11006" {
			returns++
			if !strings.HasPrefix(tx.AmountIn, "-") {
				t.Errorf("return %s of %s: want a negative amount", tx.Nr, tx.AmountIn)
			}
		}
		if tx.Training == "true" {
			trainings++
		}
	}
	if len(reg.Transactions) != 23 || returns != 1 || trainings != 2 {
		t.Errorf("%d transactions, %d returns, %d training; want 23, 1, 2", len(reg.Transactions), returns, trainings)
	}
}
