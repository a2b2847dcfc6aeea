package app

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestVATByDateDemoDay: a day in the low rate's 2020–21 cut, through the
// real checkout: a cinema ticket (the low group, 12 % today) pays 6 % on
// its receipt, in the X/Z totals, in the signed cash transaction and in
// the SAF-T file, which validates; cola keeps its 15 %.
func TestVATByDateDemoDay(t *testing.T) {
	d := mustSAFTDayOn(t, 2021, 1, 15)
	ticket := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000991"), Name: "Kinobillett", Group: kiosk.GroupOther,
		VAT: kiosk.VAT12, Price: 10600, Stock: 50}
	d.must(d.db.Put(d.ctx, ticket))
	d.at(10, 0)
	d.sell("BankAxept", string(ticket.GTIN), demoCola)

	d.until("the receipt printed", func(kiosk.View) bool { return len(d.printer.Printed()) > 0 })
	printed := d.printer.Printed()
	receipt := printed[len(printed)-1].PlainText(42)
	if !strings.Contains(receipt, "6 % av 100,00") || !strings.Contains(receipt, "6,00") || strings.Contains(receipt, "12 %") {
		t.Errorf("receipt does not show 6 %% VAT on 100,00:\n%s", receipt)
	}
	tot, err := d.db.Totals(d.ctx, "K1")
	d.must(err)
	var rates []kiosk.VATRate
	for _, v := range tot.Period.VAT {
		rates = append(rates, v.Rate)
		if v.Rate == 6 && v.VAT != 600 {
			t.Errorf("X/Z totals: VAT at 6 %% = %v, want 6,00", v.VAT)
		}
	}
	if len(rates) != 2 || rates[0] != 15 || rates[1] != 6 {
		t.Errorf("X/Z totals' rates %v, want [15 6]", rates)
	}
	d.at(21, 0)
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvZReport, Reason: kiosk.ReasonEndOfDay}))
	d.at(22, 0)
	d.close()

	out := t.TempDir()
	date := d.day.Format(time.DateOnly)
	msg, code := saftExportCmd("--data", d.dir, "--from", date, "--to", date, "--out", out)
	if code != 0 {
		t.Fatalf("saft export = %d\n%s", code, msg)
	}
	path := exportedFile(t, out)
	xmllintCheck(t, path)
	b, err := os.ReadFile(path)
	d.must(err)
	for _, want := range []string{"<vatPerc>6.00</vatPerc>", "<vatDesc>MVA 6 %</vatDesc>", "<vatPerc>15.00</vatPerc>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the SAF-T file lacks %s", want)
		}
	}
	if strings.Contains(string(b), "<vatPerc>12.00</vatPerc>") {
		t.Error("the SAF-T file has 12 % VAT on a sale of January 2021")
	}
	// The journal verifies (signatures over the 6 % amounts).
	var vout, verr bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", d.dir}, &vout, &verr); code != 0 {
		t.Errorf("journal verify = %d\n%s%s", code, vout.String(), verr.String())
	}
}

// TestVATByDateAcrossTheChange: the low rate went back from 6 % to 12 %
// at midnight on 1 October 2021. A ticket sold a minute before pays 6 %,
// one a minute after 12 %; the SAF-T file of both days declares the two
// rates under their own codes (33-6 and 33, both standard code 33) and
// validates.
func TestVATByDateAcrossTheChange(t *testing.T) {
	d := mustSAFTDayOn(t, 2021, 9, 30)
	ticket := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000991"), Name: "Kinobillett", Group: kiosk.GroupOther,
		VAT: kiosk.VAT12, Price: 10600, Stock: 50}
	d.must(d.db.Put(d.ctx, ticket))
	d.at(23, 59)
	d.sell("BankAxept", string(ticket.GTIN))
	d.at(24, 1)
	d.sell("Visa", string(ticket.GTIN))
	d.close()

	out := t.TempDir()
	msg, code := saftExportCmd("--data", d.dir, "--from", "2021-09-30", "--to", "2021-10-01", "--out", out)
	if code != 0 {
		t.Fatalf("saft export = %d\n%s", code, msg)
	}
	path := exportedFile(t, out)
	xmllintCheck(t, path)
	f := readSAFT(t, path)
	codes := map[string]string{}
	for _, c := range f.Company.VATCodes {
		codes[c.Code] = c.Standard
	}
	if codes["33-6"] != "33" || codes["33"] != "33" {
		t.Errorf("VAT codes %v, want 33-6 and 33, both standard code 33", codes)
	}
	b, err := os.ReadFile(path)
	d.must(err)
	for _, want := range []string{"<vatPerc>6.00</vatPerc>", "<vatPerc>12.00</vatPerc>", "<vatAmnt>6.00</vatAmnt>", "<vatAmnt>11.36</vatAmnt>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the SAF-T file lacks %s", want)
		}
	}
}
