package kiosk

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func mustGoldenSale(t *testing.T) Sale {
	t.Helper()
	soda := mustProduct(t, "7039990000113", "Cola 0,5 l", GroupSoftDrink, VAT15, 3290, 0, false)
	snus := mustProduct(t, "7039990000014", "Nordlys Snus Original Portion 24 g", GroupTobacco, VAT25, 12900, 18, true)
	avis := mustProduct(t, "7039990000144", "Dagsavisen (avis)", GroupPress, VAT0, 4500, 0, false)
	p := PendingSale{ID: "K1-x", Kiosk: "K1", Lines: []Line{{Product: soda, Qty: 2}, {Product: snus, Qty: 1}, {Product: avis, Qty: 1}}, Amount: 2*3290 + 12900 + 4500,
		AgeCheckBy: "ola", Result: &PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000042"}}
	s := NewSale(p, time.Date(2026, 11, 26, 14, 5, 9, 0, time.UTC))
	s.No = 17
	return s
}

var goldenShop = Shop{Name: "Selvkasse Demo Tobakk", OrgNo: "999 999 999", Address: "Karl Johans gate 1, 0154 Oslo"}

// TestReceiptGolden keeps the three printings of a sales receipt as
// text: at the sale, the one copy (§ 2-8-6) and printed late from the
// reprint queue. Every line carries its quantity, also 1 (§ 2-8-4).
func TestReceiptGolden(t *testing.T) {
	s := mustGoldenSale(t)
	later := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		file string
		doc  Document
	}{
		{"receipt.txt", BuildReceipt(goldenShop, s)},
		{"copy.txt", BuildCopyReceipt(goldenShop, s, later)},
		{"late.txt", BuildLateReceipt(goldenShop, s, later)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := tc.doc.PlainText(42)
			for _, line := range strings.Split(got, "\n") {
				if n := len([]rune(line)); n > 42 {
					t.Errorf("line wider than the paper (%d): %q", n, line)
				}
			}
			for _, want := range []string{"  2 x 32,90", "  1 x 129,00", "  1 x 45,00"} {
				if !strings.Contains(got, want+"\n") {
					t.Errorf("no quantity line %q", want)
				}
			}
			assertGolden(t, tc.file, got)
		})
	}
}

// styleSize is how many times larger than normal a style prints, across
// and up.
func styleSize(st Style) (w, h int) {
	w, h = 1, 1
	if st.DoubleWidth {
		w = 2
	}
	if st.DoubleHeight {
		h = 2
	}
	return w, h
}

var amount = regexp.MustCompile(`\d,\d\d`)

// TestCopyMarkLargerThanAmounts: "KOPI" is printed in letters larger
// than every amount on the copy, the total included, and only the copy
// carries it.
func TestCopyMarkLargerThanAmounts(t *testing.T) {
	s := mustGoldenSale(t)
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	d := BuildCopyReceipt(goldenShop, s, at)
	marks, amounts := 0, 0
	kw, kh := styleSize(CopyStyle)
	for _, l := range d.Lines {
		if l.Kind != KindText {
			continue
		}
		if l.Text == CopyMark {
			marks++
			if l.Style != CopyStyle {
				t.Errorf("KOPI printed as %+v", l.Style)
			}
			continue
		}
		if amount.MatchString(l.Text + " " + l.Right) {
			amounts++
			w, h := styleSize(l.Style)
			if w > kw || h > kh || w*h >= kw*kh {
				t.Errorf("amount line %q (%dx%d) not smaller than KOPI (%dx%d)", l.Text+" "+l.Right, w, h, kw, kh)
			}
		}
	}
	if marks != 2 || d.Lines[0].Text != CopyMark {
		t.Errorf("KOPI %d times, first line %q; want it on top and at the end", marks, d.Lines[0].Text)
	}
	if amounts < 5 {
		t.Errorf("only %d amount lines looked at", amounts)
	}
	for _, other := range []Document{BuildReceipt(goldenShop, s), BuildLateReceipt(goldenShop, s, at)} {
		if strings.Contains(other.PlainText(42), CopyMark) {
			t.Errorf("a receipt that is no copy says KOPI:\n%s", other.PlainText(42))
		}
	}
}

// assertGolden compares got with testdata/file, which -update rewrites.
func assertGolden(t *testing.T, file, got string) {
	t.Helper()
	golden := filepath.Join("testdata", file)
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
		t.Errorf("%s differs:\n%s", golden, got)
	}
}
