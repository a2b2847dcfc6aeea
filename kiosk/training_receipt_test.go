package kiosk

import (
	"strings"
	"testing"
	"time"
)

// mustTrainingSale is the golden sale made in training mode: the kiosk
// approved it itself (trainingTerminal).
func mustTrainingSale(t *testing.T) Sale {
	t.Helper()
	s := mustGoldenSale(t)
	s.Training = true
	s.Payment = trainingTerminal{}.approval(PaymentRequest{Amount: s.Total, Training: true})
	return s
}

// TestTrainingReceiptGolden keeps the training receipt (§ 2-8-7) as
// text: "Treningskvittering", TRENING and IKKE KVITTERING FOR KJØP above
// and below, no card, no thanks for a purchase.
func TestTrainingReceiptGolden(t *testing.T) {
	s := mustTrainingSale(t)
	got := BuildReceipt(goldenShop, s).PlainText(42)
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > 42 {
			t.Errorf("line wider than the paper (%d): %q", n, line)
		}
	}
	for _, want := range []string{"Treningskvittering", TrainingMark, "IKKE KVITTERING\n", "FOR KJØP\n", "Ingen betaling: trening", "  2 x 32,90"} {
		if !strings.Contains(got, want) {
			t.Errorf("training receipt lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"Salgskvittering", "Takk for handelen", "Visa", "Kort"} {
		if strings.Contains(got, never) {
			t.Errorf("training receipt says %q:\n%s", never, got)
		}
	}
	assertGolden(t, "training.txt", got)
}

// TestTrainingMarksLargerThanAmounts: every marking of a training
// receipt, in every printing, is larger than every amount on it, on top
// and at the end; no sales receipt carries one.
func TestTrainingMarksLargerThanAmounts(t *testing.T) {
	s := mustTrainingSale(t)
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	marks := map[string]bool{TrainingMark: true}
	for _, l := range TrainingMarkLines {
		marks[l] = true
	}
	for name, d := range map[string]Document{
		"sale": BuildReceipt(goldenShop, s), "late": BuildLateReceipt(goldenShop, s, at), "copy": BuildCopyReceipt(goldenShop, s, at),
	} {
		t.Run(name, func(t *testing.T) {
			n, amounts := 0, 0
			kw, kh := styleSize(TrainingStyle)
			for _, l := range d.Lines {
				if l.Kind != KindText {
					continue
				}
				if marks[l.Text] {
					n++
					if l.Style != TrainingStyle {
						t.Errorf("%q printed as %+v", l.Text, l.Style)
					}
					if w, _ := styleSize(l.Style); len([]rune(l.Text))*w > 42 {
						t.Errorf("%q is wider than the paper", l.Text)
					}
					continue
				}
				if amount.MatchString(l.Text + " " + l.Right) {
					amounts++
					w, h := styleSize(l.Style)
					if w > kw || h > kh || w*h >= kw*kh {
						t.Errorf("amount line %q (%dx%d) not smaller than the marks (%dx%d)", l.Text+" "+l.Right, w, h, kw, kh)
					}
				}
			}
			if want := 2 * len(marks); n != want {
				t.Errorf("%d training marks, want %d", n, want)
			}
			first := d.Lines[0].Text
			if name == "copy" {
				first = d.Lines[1].Text
			}
			if first != TrainingMark {
				t.Errorf("receipt starts %q, %q", d.Lines[0].Text, d.Lines[1].Text)
			}
			if amounts < 5 {
				t.Errorf("only %d amount lines looked at", amounts)
			}
		})
	}
	sale := mustGoldenSale(t)
	for _, d := range []Document{BuildReceipt(goldenShop, sale), BuildCopyReceipt(goldenShop, sale, at), BuildLateReceipt(goldenShop, sale, at)} {
		if text := d.PlainText(42); strings.Contains(text, TrainingMark) || strings.Contains(text, "IKKE KVITTERING") {
			t.Errorf("a sales receipt carries a training mark:\n%s", text)
		}
	}
}
