package kiosk

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestReceiptGolden(t *testing.T) {
	soda := mustProduct(t, "7039990000113", "Cola 0,5 l", GroupSoftDrink, VAT15, 3290, 0, false)
	snus := mustProduct(t, "7039990000014", "Nordlys Snus Original Portion 24 g", GroupTobacco, VAT25, 12900, 18, true)
	avis := mustProduct(t, "7039990000144", "Dagsavisen (avis)", GroupPress, VAT0, 4500, 0, false)
	p := PendingSale{ID: "K1-x", Kiosk: "K1", Lines: []Line{{soda, 2}, {snus, 1}, {avis, 1}}, Amount: 2*3290 + 12900 + 4500,
		AgeCheckBy: "ola", Result: &PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000042"}}
	s := NewSale(p, time.Date(2026, 11, 26, 14, 5, 9, 0, time.UTC))
	s.No = 17
	got := BuildReceipt(Shop{Name: "Selvkasse Demo Tobakk", OrgNo: "999 999 999", Address: "Karl Johans gate 1, 0154 Oslo"}, s).PlainText(42)
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > 42 {
			t.Errorf("line wider than the paper (%d): %q", n, line)
		}
	}
	golden := filepath.Join("testdata", "receipt.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("receipt differs from %s:\n%s", golden, got)
	}
}
