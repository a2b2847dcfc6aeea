package kiosk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestReturnReceiptGolden keeps the return receipt («Returkvittering»,
// kassasystemforskrifta § 2-8-5) as text, refunded to the card and at the
// counter: the original receipt's number, the returned lines with their
// quantities and negative amounts, the VAT and how the money went back.
func TestReturnReceiptGolden(t *testing.T) {
	s := mustGoldenSale(t)
	r, err := NewReturn(s, map[GTIN]int{s.Lines[0].Product.GTIN: 1}, []ReturnLine{{s.Lines[0].Product.GTIN, 1}, {s.Lines[1].Product.GTIN, 1}})
	if err != nil {
		t.Fatal(err)
	}
	r.No, r.ID, r.Time, r.Staff = 21, "K1-r", time.Date(2026, 11, 27, 10, 15, 0, 0, time.UTC), "kari"
	card, counter := r, r
	card.Method = RefundCard
	card.Refund = PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000051", Lines: []string{"Retur Visa"}}
	counter.Method = RefundCounter
	for _, tc := range []struct {
		file string
		r    Return
	}{{"return_card.txt", card}, {"return_counter.txt", counter}} {
		t.Run(tc.file, func(t *testing.T) {
			got := BuildReturnReceipt(goldenShop, tc.r).PlainText(42)
			for _, want := range []string{"Returkvittering", "Opprinnelig kvittering nr.", "17", "  -1 x 32,90", "  -1 x 129,00", "-161,90", "K1-21"} {
				if !strings.Contains(got, want) {
					t.Errorf("no %q", want)
				}
			}
			for _, line := range strings.Split(got, "\n") {
				if n := len([]rune(line)); n > 42 {
					t.Errorf("line wider than the paper (%d): %q", n, line)
				}
			}
			assertGolden(t, tc.file, got)
		})
	}
	tx := NewReturnTx(card)
	if err := tx.Check(); err != nil || tx.AmountIn != -16190 || tx.AmountEx >= 0 || tx.Original != 17 || tx.Payment.Amount != -16190 {
		t.Errorf("return's cash transaction %+v: %v", tx, err)
	}
	if _, err := tx.SignatureInput(FirstPreviousSignature).Data(oslo); err != nil {
		t.Errorf("signature input: %v", err)
	}
}

func TestNewReturnRefusesOverReturn(t *testing.T) {
	s := mustGoldenSale(t)
	soda, snus := s.Lines[0].Product.GTIN, s.Lines[1].Product.GTIN
	for _, tc := range []struct {
		name     string
		returned map[GTIN]int
		want     []ReturnLine
	}{
		{"nothing", nil, nil},
		{"zero", nil, []ReturnLine{{soda, 0}}},
		{"more than sold", nil, []ReturnLine{{soda, 3}}},
		{"more than left", map[GTIN]int{soda: 2}, []ReturnLine{{soda, 1}}},
		{"split over lines", map[GTIN]int{soda: 1}, []ReturnLine{{soda, 1}, {soda, 1}}},
		{"not sold", nil, []ReturnLine{{MustGTIN("7039990000120"), 1}}},
		{"snus twice", nil, []ReturnLine{{snus, 2}}},
	} {
		if r, err := NewReturn(s, tc.returned, tc.want); !errors.Is(err, ErrOverReturn) {
			t.Errorf("%s: NewReturn = %+v, %v; want ErrOverReturn", tc.name, r, err)
		}
	}
}
