package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestCustomerCorrectionsJournaled: a line the customer reduces or takes
// out before paying is a line correction ("feilslag", kassasystemforskrifta
// § 2-8-2 (1) s; Skatteetaten's Q&A: only reductions count, each line
// corrected once, with the amount taken off): journaled with what was
// taken off and counted on X and Z with the staff's voids. Taking out
// the last line cancels the sale, with what the basket held. Before, the
// customer's corrections were not journaled at all, and the emptied
// basket's cancellation had no amount.
func TestCustomerCorrectionsJournaled(t *testing.T) {
	r := mustRig(t)
	for range 3 {
		r.must(r.co.Add(soda.GTIN))
	}
	r.must(r.co.Add(avis.GTIN))
	r.must(r.co.SetQty(soda.GTIN, 1)) // two too many
	r.must(r.co.SetQty(soda.GTIN, 2)) // one more: no correction
	r.must(r.co.RemoveLast())         // the soda again: 2 → 1
	r.must(r.co.Remove(avis.GTIN))    // a line out
	got := r.journaled(kiosk.SubLineReduced)
	want := []struct {
		gtin      kiosk.GTIN
		qty, left string
		amount    kiosk.Money
	}{{soda.GTIN, "2", "1", 2 * soda.Price}, {soda.GTIN, "1", "1", soda.Price}, {avis.GTIN, "1", "0", avis.Price}}
	if len(got) != len(want) {
		t.Fatalf("corrections journaled: %+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.Code != kiosk.CodeOther || g.Data["gtin"] != string(w.gtin) || g.Data["qty"] != w.qty || g.Data["left"] != w.left ||
			g.Amount != w.amount || g.SaleID == "" {
			t.Errorf("correction %d: %+v, want %v × %s (%s left), %s", i, g, w.qty, w.gtin, w.left, w.amount)
		}
	}
	r.must(r.co.Remove(soda.GTIN)) // the last line: the sale is cancelled
	r.wait(kiosk.Idle)
	cancelled := r.journaled(kiosk.SubSaleCancelled)
	if len(cancelled) != 1 || cancelled[0].Amount != soda.Price {
		t.Fatalf("the emptied basket's cancellation: %+v", cancelled)
	}
	if n := len(r.journaled(kiosk.SubLineReduced)); n != len(want) {
		t.Errorf("taking out the last line journaled %d corrections, want none more", n-len(want))
	}
	tot, err := r.store.Totals(r.ctx, "K1")
	if err != nil {
		t.Fatal(err)
	}
	if c := tot.Period.LineCorrections; c != (kiosk.Count{Num: 3, Amount: 3*soda.Price + avis.Price}) {
		t.Errorf("line corrections counted %+v", c)
	}
	if c := tot.Period.Voids; c != (kiosk.Count{Num: 1, Amount: soda.Price}) {
		t.Errorf("cancelled sales counted %+v", c)
	}
}

// TestReportPrintsTakenOffNegative: returns and line corrections take
// money off the sales, and X and Z print their amounts negative, the
// corrections by their type, as Skatteetaten's examples do («feilslag
// antall: 1, beløp kr -120»; returns «antall 1, beløp kr -120»). The
// totals keep them positive: the net is sales less returns.
func TestReportPrintsTakenOffNegative(t *testing.T) {
	var tot kiosk.Totals
	tot.Period.Sales = kiosk.Count{Num: 3, Amount: 50000}
	tot.Period.Returns = kiosk.Count{Num: 1, Amount: 16190}
	tot.Period.LineCorrections = kiosk.Count{Num: 4, Amount: 12000}
	text := kiosk.NewReport(kiosk.XReport, tot, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), kiosk.Record{}).Text()
	for _, want := range [][2]string{
		{"Returer", "1  -161,90"},
		{"Returkvitteringer", "1  -161,90"},
		{"Linjekorreksjoner feilslag", "4  -120,00"},
		{"SALG NETTO", "338,10"},
	} {
		if !reportPair(text, want[0], want[1]) {
			t.Errorf("no line %q … %q in the report:\n%s", want[0], want[1], text)
		}
	}
}

// reportPair reports whether text has a line of left and right, only
// spaces between them.
func reportPair(text, left, right string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, left+" ") && strings.HasSuffix(l, " "+right) && strings.TrimSpace(l[len(left):len(l)-len(right)]) == "" {
			return true
		}
	}
	return false
}
