package kiosk_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var (
	cigs    = kiosk.Product{GTIN: kiosk.MustGTIN("7039990000021"), Name: "Prince Rød 20", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 15900, MinAge: 18, Cabinet: true}
	lighter = kiosk.Product{GTIN: kiosk.MustGTIN("7039990000038"), Name: "Lighter", Group: kiosk.GroupOther, VAT: kiosk.VAT25, Price: 2500}
	choc    = kiosk.Product{GTIN: kiosk.MustGTIN("7039990000045"), Name: "Melkesjokolade", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 2990}
)

// reportT0 is a Thursday afternoon in Oslo.
var reportT0 = time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)

// testSale is a completed sale of lines paid by card, receipt no.
func testSale(no uint64, at time.Time, card string, lines ...kiosk.Line) kiosk.Sale {
	b := kiosk.Basket{Lines: lines}
	p := kiosk.PendingSale{ID: "K1-" + at.Format("150405.000"), Kiosk: "K1", Started: at, Lines: lines, Amount: b.Total(),
		Result: &kiosk.PaymentResult{Approved: true, Amount: b.Total(), CardType: card}}
	s := kiosk.NewSale(p, at)
	s.No = no
	return s
}

func TestTotalsAddSale(t *testing.T) {
	at := reportT0
	tests := []struct {
		name  string
		sales []kiosk.Sale
		want  kiosk.PeriodTotals
	}{
		{
			name:  "one tobacco sale",
			sales: []kiosk.Sale{testSale(1, at, "Visa", kiosk.Line{Product: cigs, Qty: 2})},
			want: kiosk.PeriodTotals{FirstReceipt: 1, LastReceipt: 1, FirstSale: at, LastSale: at,
				Sales:    kiosk.Count{Num: 1, Amount: 31800},
				Groups:   []kiosk.GroupTotal{{Group: kiosk.GroupTobacco, Qty: 2, Amount: 31800}},
				VAT:      []kiosk.VATLine{{Rate: kiosk.VAT25, Gross: 31800, Net: 25440, VAT: 6360}},
				Payments: []kiosk.PaymentTotal{{Type: "Visa", Count: kiosk.Count{Num: 1, Amount: 31800}}}},
		},
		{
			name: "three VAT rates in one sale, the zero rate kept",
			sales: []kiosk.Sale{testSale(7, at, "BankAxept", kiosk.Line{Product: snus, Qty: 1}, kiosk.Line{Product: soda, Qty: 2},
				kiosk.Line{Product: avis, Qty: 1})},
			want: kiosk.PeriodTotals{FirstReceipt: 7, LastReceipt: 7, FirstSale: at, LastSale: at,
				Sales: kiosk.Count{Num: 1, Amount: 12900 + 6580 + 4500},
				Groups: []kiosk.GroupTotal{{Group: kiosk.GroupTobacco, Qty: 1, Amount: 12900},
					{Group: kiosk.GroupSoftDrink, Qty: 2, Amount: 6580}, {Group: kiosk.GroupPress, Qty: 1, Amount: 4500}},
				VAT: []kiosk.VATLine{{Rate: kiosk.VAT25, Gross: 12900, Net: 10320, VAT: 2580},
					{Rate: kiosk.VAT15, Gross: 6580, Net: 5722, VAT: 858}, {Rate: kiosk.VAT0, Gross: 4500, Net: 4500}},
				Payments: []kiosk.PaymentTotal{{Type: "BankAxept", Count: kiosk.Count{Num: 1, Amount: 23980}}}},
		},
		{
			name:  "zero-rated only",
			sales: []kiosk.Sale{testSale(1, at, "Visa", kiosk.Line{Product: avis, Qty: 3})},
			want: kiosk.PeriodTotals{FirstReceipt: 1, LastReceipt: 1, FirstSale: at, LastSale: at,
				Sales:    kiosk.Count{Num: 1, Amount: 13500},
				Groups:   []kiosk.GroupTotal{{Group: kiosk.GroupPress, Qty: 3, Amount: 13500}},
				VAT:      []kiosk.VATLine{{Rate: kiosk.VAT0, Gross: 13500, Net: 13500}},
				Payments: []kiosk.PaymentTotal{{Type: "Visa", Count: kiosk.Count{Num: 1, Amount: 13500}}}},
		},
		{
			// VAT per sale as printed on each receipt, summed: 2 × 25 %
			// of 25,00 is 2 × 5,00, the groups and cards apart.
			name: "sales summed per group, rate and card, in any order",
			sales: []kiosk.Sale{
				testSale(2, at.Add(time.Hour), "Visa", kiosk.Line{Product: lighter, Qty: 1}, kiosk.Line{Product: choc, Qty: 1}),
				testSale(1, at, "", kiosk.Line{Product: cigs, Qty: 1}, kiosk.Line{Product: lighter, Qty: 1}),
			},
			want: kiosk.PeriodTotals{FirstReceipt: 1, LastReceipt: 2, FirstSale: at, LastSale: at.Add(time.Hour),
				Sales: kiosk.Count{Num: 2, Amount: 2500 + 2990 + 15900 + 2500},
				Groups: []kiosk.GroupTotal{{Group: kiosk.GroupOther, Qty: 2, Amount: 5000},
					{Group: kiosk.GroupTobacco, Qty: 1, Amount: 15900}, {Group: kiosk.GroupFood, Qty: 1, Amount: 2990}},
				VAT: []kiosk.VATLine{{Rate: kiosk.VAT25, Gross: 2500 + 18400, Net: 2000 + 14720, VAT: 500 + 3680},
					{Rate: kiosk.VAT15, Gross: 2990, Net: 2600, VAT: 390}},
				Payments: []kiosk.PaymentTotal{{Type: "Kort", Count: kiosk.Count{Num: 1, Amount: 18400}},
					{Type: "Visa", Count: kiosk.Count{Num: 1, Amount: 5490}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tot := kiosk.Totals{Kiosk: "K1"}
			var grand kiosk.Money
			for _, s := range tt.sales {
				tot.AddSale(s)
				grand += s.Total
			}
			sameJSON(t, tot.Period, tt.want)
			if tot.GrandSales != grand || tot.GrandReturns != 0 {
				t.Errorf("grand totals %v / %v, want %v / 0", tot.GrandSales, tot.GrandReturns, grand)
			}
			var vat, gross kiosk.Money
			for _, v := range tot.Period.VAT {
				vat += v.VAT
				gross += v.Gross
				if v.Gross != v.Net+v.VAT {
					t.Errorf("VAT line %+v: gross is not net + VAT", v)
				}
			}
			var saleVAT kiosk.Money
			for _, s := range tt.sales {
				for _, v := range s.VAT {
					saleVAT += v.VAT
				}
			}
			if gross != tot.Period.Sales.Amount || vat != saleVAT {
				t.Errorf("VAT lines sum to %v gross, %v VAT; the receipts say %v, %v", gross, vat, tot.Period.Sales.Amount, saleVAT)
			}
		})
	}
}

func TestTotalsAddEntry(t *testing.T) {
	tests := []struct {
		name  string
		e     kiosk.Entry
		count bool
		want  kiosk.PeriodTotals
	}{
		{"sale cancelled is a void", kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Amount: 3290}, true,
			kiosk.PeriodTotals{Voids: kiosk.Count{Num: 1, Amount: 3290}}},
		{"void receipt", kiosk.Entry{Code: kiosk.CodeVoidReceipt, Amount: -500}, true,
			kiosk.PeriodTotals{Voids: kiosk.Count{Num: 1, Amount: 500}}},
		{"line voided by staff", kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubLineVoided, Amount: 12900}, true,
			kiosk.PeriodTotals{LineCorrections: kiosk.Count{Num: 1, Amount: 12900}}},
		{"copy receipt", kiosk.Entry{Code: kiosk.CodeCopyReceipt, Amount: 15900}, true,
			kiosk.PeriodTotals{Copies: kiosk.Count{Num: 1, Amount: 15900}}},
		{"price look-up of an unknown code", kiosk.Entry{Code: kiosk.CodePriceLookup, Subtype: kiosk.SubLookupMiss}, true,
			kiosk.PeriodTotals{PriceLookups: []kiosk.LookupTotal{{Group: 0, Count: kiosk.Count{Num: 1}}}}},
		{"price look-up of a tobacco product", kiosk.Entry{Code: kiosk.CodePriceLookup, Amount: 12900, Data: map[string]string{"group": "2"}}, true,
			kiosk.PeriodTotals{PriceLookups: []kiosk.LookupTotal{{Group: kiosk.GroupTobacco, Count: kiosk.Count{Num: 1, Amount: 12900}}}}},
		{"a sales receipt counts through its sale", kiosk.Entry{Code: kiosk.CodeSalesReceipt, Amount: 3290}, false, kiosk.PeriodTotals{}},
		{"an X report counts nothing", kiosk.Entry{Code: kiosk.CodeXReport, Amount: 3290}, false, kiosk.PeriodTotals{}},
		{"a payment approval counts nothing", kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentApproved, Amount: 3290}, false, kiosk.PeriodTotals{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tot kiosk.Totals
			if got := tot.AddEntry(tt.e); got != tt.count {
				t.Errorf("AddEntry = %v, want %v", got, tt.count)
			}
			sameJSON(t, tot.Period, tt.want)
			if tot.GrandSales != 0 {
				t.Errorf("grand total sales %v from a journal entry", tot.GrandSales)
			}
		})
	}
}

func TestCheckZ(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, oslo) }
	withZ := func(z time.Time, lastSale time.Time) kiosk.Totals {
		return kiosk.Totals{LastZ: kiosk.ZMark{No: 4, Time: z}, Period: kiosk.PeriodTotals{LastSale: lastSale}}
	}
	tests := []struct {
		name string
		t    kiosk.Totals
		now  time.Time
		want error
	}{
		{"the first Z ever", kiosk.Totals{}, at(26, 23, 0), nil},
		{"the next day", withZ(at(25, 23, 0), time.Time{}), at(26, 23, 0), nil},
		{"just after midnight in Oslo", withZ(at(26, 23, 59), time.Time{}), at(27, 0, 1), nil},
		{"twice on one day", withZ(at(26, 9, 0), time.Time{}), at(26, 23, 0), kiosk.ErrZDone},
		{"early next morning is another day, though UTC says the same", withZ(at(26, 0, 30), time.Time{}), at(26, 23, 30), kiosk.ErrZDone},
		{"clock before the last Z", withZ(at(26, 23, 0), time.Time{}), at(26, 22, 0), kiosk.ErrClockBehind},
		{"clock days behind the last Z", withZ(at(26, 23, 0), time.Time{}), at(20, 12, 0), kiosk.ErrClockBehind},
		{"clock before the period's last sale", withZ(at(25, 23, 0), at(26, 18, 0)), at(26, 17, 0), kiosk.ErrClockBehind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kiosk.CheckZ(tt.t, tt.now)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("CheckZ = %v, want %v", err, tt.want)
			}
		})
	}
}

// reportRig is Reports on fakes, for kiosk K1.
type reportRig struct {
	store *kiosktest.Store
	term  *kiosktest.PaymentTerminal
	clock *kiosktest.Clock
	r     kiosk.Reports
}

func newReportRig(t *testing.T) *reportRig {
	t.Helper()
	clk := kiosktest.NewClock(reportT0)
	g := &reportRig{store: kiosktest.NewStore(), term: kiosktest.NewPaymentTerminal(clk), clock: clk}
	g.r = kiosk.Reports{Store: g.store, Journal: g.store, Clock: clk, KioskID: "K1",
		Shop:   kiosk.Shop{Name: "Selvkasse Demo Tobakk", OrgNo: "999 999 999", Address: "Karl Johans gate 1, 0154 Oslo"},
		System: "selvkasse test", SystemID: "0123456789abcdef0123456789abcdef", Terminal: g.term}
	return g
}

// sell completes a sale of lines now, charged on the fake terminal.
func (g *reportRig) sell(t *testing.T, id string, lines ...kiosk.Line) kiosk.Sale {
	t.Helper()
	ctx := context.Background()
	b := kiosk.Basket{Lines: lines}
	g.term.Script(kiosktest.PayApproved())
	res, err := g.term.Authorize(ctx, kiosk.PaymentRequest{SaleID: id, Attempt: 1, Amount: b.Total()})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.term.Confirm(ctx, kiosk.PaymentRequest{SaleID: id, Attempt: 1, Amount: b.Total()}, true); err != nil {
		t.Fatal(err)
	}
	p := kiosk.PendingSale{ID: id, Kiosk: "K1", Started: g.clock.Now(), Lines: lines, Amount: b.Total(), Result: &res}
	s, err := g.store.CompleteSale(ctx, kiosk.NewSale(p, g.clock.Now()),
		kiosk.Entry{Code: kiosk.CodeSalesReceipt, Time: g.clock.Now(), Kiosk: "K1", SaleID: id, Amount: b.Total()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (g *reportRig) journaled(sub string) []kiosk.Record {
	var out []kiosk.Record
	for _, r := range g.store.Records() {
		if r.Subtype == sub {
			out = append(out, r)
		}
	}
	return out
}

func TestXReportChangesNothing(t *testing.T) {
	g := newReportRig(t)
	ctx := context.Background()
	s := g.sell(t, "a", kiosk.Line{Product: cigs, Qty: 1})
	before, _ := g.store.Totals(ctx, "K1")
	rep, rec, err := g.r.X(ctx, "kari")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != kiosk.XReport || rep.No != 0 || rep.Period.Sales.Amount != s.Total || rep.By != "kari" || rep.Terminal != nil {
		t.Errorf("X report = %+v", rep)
	}
	if rec.Code != kiosk.CodeXReport || rec.Text != rep.Text() || rec.Kiosk != "K1" || rec.Amount != s.Total {
		t.Errorf("X record = %+v", rec)
	}
	after, _ := g.store.Totals(ctx, "K1")
	sameJSON(t, after, before)
	if calls := g.term.Calls(); calls[len(calls)-1].Op == kiosktest.CallCloseDay {
		t.Error("an X report closed the terminal's day")
	}
}

func TestZReportSequence(t *testing.T) {
	g := newReportRig(t)
	ctx := context.Background()
	a := g.sell(t, "a", kiosk.Line{Product: cigs, Qty: 2}, kiosk.Line{Product: avis, Qty: 1})
	g.clock.Advance(30 * time.Minute)
	b := g.sell(t, "b", kiosk.Line{Product: soda, Qty: 1})
	g.clock.Advance(7 * time.Hour) // 22:30 in Oslo
	z1, rec1, err := g.r.Z(ctx, "kari")
	if err != nil {
		t.Fatal(err)
	}
	if z1.No != 1 || z1.Period.Sales.Num != 2 || z1.Period.Sales.Amount != a.Total+b.Total || z1.Period.FirstReceipt != 1 || z1.Period.LastReceipt != 2 {
		t.Errorf("Z 1 = %+v", z1)
	}
	if !z1.From.IsZero() || z1.GrandSales != a.Total+b.Total {
		t.Errorf("Z 1 from %v, grand %v", z1.From, z1.GrandSales)
	}
	head := g.store.Records()[rec1.Seq-2]
	if z1.HeadSeq != head.Seq || z1.HeadHash != head.Hash || rec1.Prev != head.Hash {
		t.Errorf("Z 1 vouches for record %d, the record before it is %d", z1.HeadSeq, head.Seq)
	}
	if rec1.Data["z"] != "1" || rec1.Data["head_seq"] != strconv.FormatUint(head.Seq, 10) || rec1.Data["head_hash"] != head.Hash.String() {
		t.Errorf("Z record data = %v", rec1.Data)
	}
	var fromJournal kiosk.Report
	if err := json.Unmarshal([]byte(rec1.Data["report"]), &fromJournal); err != nil {
		t.Fatal(err)
	}
	if fromJournal.Text() != rec1.Text || rec1.Text != z1.Text() {
		t.Error("the journaled report's figures and its text disagree")
	}
	// The terminal's end of day came first, and matched.
	eod := g.journaled(kiosk.SubTerminalEndOfDay)
	if len(eod) != 1 || eod[0].Seq != rec1.Seq-1 || eod[0].Amount != a.Total+b.Total {
		t.Fatalf("end of day journaled as %+v, want just before the Z", eod)
	}
	if tc := z1.Terminal; tc == nil || !tc.Known || tc.Diff != 0 || tc.Count != 2 || tc.Kiosk.Num != 2 {
		t.Errorf("terminal check = %+v", z1.Terminal)
	}

	// Once a day; the next day the next number, the period from Z 1.
	g.clock.Advance(time.Hour) // 23:30
	if _, _, err := g.r.Z(ctx, "kari"); !errors.Is(err, kiosk.ErrZDone) {
		t.Fatalf("second Z on one day = %v, want ErrZDone", err)
	}
	g.clock.Advance(time.Hour) // 00:30 the next day
	c := g.sell(t, "c", kiosk.Line{Product: choc, Qty: 1})
	z2, _, err := g.r.Z(ctx, "kari")
	if err != nil {
		t.Fatal(err)
	}
	if z2.No != 2 || z2.LastZ != 1 || !z2.From.Equal(z1.Time) || z2.Period.Sales.Num != 1 || z2.Period.FirstReceipt != c.No {
		t.Errorf("Z 2 = %+v", z2)
	}
	if z2.GrandSales != a.Total+b.Total+c.Total {
		t.Errorf("grand total %v, want every sale", z2.GrandSales)
	}
	// An empty day still gets its Z, with zeros.
	g.clock.Advance(24 * time.Hour)
	z3, _, err := g.r.Z(ctx, "kari")
	if err != nil || z3.No != 3 || z3.Period.Sales.Num != 0 || z3.Terminal.Diff != 0 {
		t.Fatalf("empty Z = %+v, %v", z3, err)
	}
	if !strings.Contains(z3.Text(), "Z-RAPPORT nr. 3") {
		t.Errorf("Z 3 text:\n%s", z3.Text())
	}
}

func TestZReportTerminalDifference(t *testing.T) {
	ctx := context.Background()
	t.Run("a payment the kiosk did not record", func(t *testing.T) {
		g := newReportRig(t)
		s := g.sell(t, "a", kiosk.Line{Product: cigs, Qty: 1})
		g.term.Script(kiosktest.PayApproved())
		if _, err := g.term.Authorize(ctx, kiosk.PaymentRequest{SaleID: "lost", Attempt: 1, Amount: 4500}); err != nil {
			t.Fatal(err)
		}
		z, _, err := g.r.Z(ctx, "kari")
		if err != nil {
			t.Fatal(err)
		}
		if tc := z.Terminal; !tc.Known || tc.Amount != s.Total+4500 || tc.Diff != 4500 || tc.Count != 2 {
			t.Errorf("terminal check = %+v, want a difference of 45,00", tc)
		}
		if !strings.Contains(z.Text(), "45,00") {
			t.Errorf("the difference is not on the report:\n%s", z.Text())
		}
	})
	t.Run("a terminal that cannot close its day", func(t *testing.T) {
		g := newReportRig(t)
		g.sell(t, "a", kiosk.Line{Product: cigs, Qty: 1})
		g.term.SetOffline(true)
		z, _, err := g.r.Z(ctx, "kari")
		if err != nil {
			t.Fatalf("Z with the terminal offline: %v", err)
		}
		if tc := z.Terminal; tc.Known || !strings.Contains(tc.Problem, "offline") {
			t.Errorf("terminal check = %+v, want unknown with the reason", tc)
		}
		if !strings.Contains(z.Text(), "ukjent") {
			t.Errorf("the report does not say the difference is unknown:\n%s", z.Text())
		}
		if eod := g.journaled(kiosk.SubTerminalEndOfDay); len(eod) != 1 || eod[0].Data["result"] != "failed" {
			t.Errorf("the failed end of day journaled as %+v", eod)
		}
	})
	t.Run("no terminal", func(t *testing.T) {
		g := newReportRig(t)
		g.r.Terminal = nil
		z, _, err := g.r.Z(ctx, "")
		if err != nil || z.Terminal == nil || z.Terminal.Known {
			t.Fatalf("Z without a terminal = %+v, %v", z.Terminal, err)
		}
	})
}

func TestZReportRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("while a sale is open", func(t *testing.T) {
		g := newReportRig(t)
		p := kiosk.PendingSale{ID: "p", Kiosk: "K1", Started: reportT0, Lines: []kiosk.Line{{Product: snus, Qty: 1}}, Amount: 12900, State: kiosk.PendingIntent, Attempt: 1}
		if err := g.store.SavePending(ctx, p, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: reportT0, Kiosk: "K1"}); err != nil {
			t.Fatal(err)
		}
		n := len(g.store.Records())
		if _, _, err := g.r.Z(ctx, "kari"); !errors.Is(err, kiosk.ErrSaleOpen) {
			t.Fatalf("Z with a pending sale = %v, want ErrSaleOpen", err)
		}
		if len(g.store.Records()) != n {
			t.Error("a refused Z journaled something")
		}
		for _, c := range g.term.Calls() {
			if c.Op == kiosktest.CallCloseDay {
				t.Error("the terminal's day was closed for a refused Z")
			}
		}
		// Completed, it is no longer open.
		s := kiosk.NewSale(p, reportT0)
		if _, err := g.store.CompleteSale(ctx, s, kiosk.Entry{Code: kiosk.CodeSalesReceipt, Time: reportT0, Kiosk: "K1", SaleID: "p"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := g.r.Z(ctx, "kari"); err != nil {
			t.Fatalf("Z once the sale completed: %v", err)
		}
	})
	t.Run("when the clock went back", func(t *testing.T) {
		g := newReportRig(t)
		g.clock.Advance(9 * time.Hour)
		z, _, err := g.r.Z(ctx, "kari")
		if err != nil {
			t.Fatal(err)
		}
		back := kiosktest.NewClock(reportT0.Add(-48 * time.Hour)) // a clock reset to two days ago
		g.r.Clock = back
		if _, _, err := g.r.Z(ctx, "kari"); !errors.Is(err, kiosk.ErrClockBehind) || !strings.Contains(err.Error(), "Z report 1") {
			t.Fatalf("Z with the clock back = %v, want ErrClockBehind naming Z report 1", err)
		}
		if j := g.journaled(kiosk.SubClockBehind); len(j) != 1 {
			t.Fatalf("clock journaled %d times, want once", len(j))
		}
		tot, _ := g.store.Totals(ctx, "K1")
		if tot.LastZ.No != z.No {
			t.Errorf("last Z is %d after the refusal", tot.LastZ.No)
		}
	})
}

// A restart keeps the totals: they are the store's, not the process's.
func TestReportsAfterRestart(t *testing.T) {
	g := newReportRig(t)
	ctx := context.Background()
	a := g.sell(t, "a", kiosk.Line{Product: cigs, Qty: 1})
	again := kiosk.Reports{Store: g.store, Journal: g.store, Clock: g.clock, KioskID: "K1"}
	x, _, err := again.X(ctx, "")
	if err != nil || x.Period.Sales.Amount != a.Total {
		t.Fatalf("X after a restart = %+v, %v", x.Period.Sales, err)
	}
}

func TestReportGolden(t *testing.T) {
	g := newReportRig(t)
	ctx := context.Background()
	g.sell(t, "a", kiosk.Line{Product: snus, Qty: 1}, kiosk.Line{Product: soda, Qty: 2}, kiosk.Line{Product: avis, Qty: 1})
	g.clock.Advance(5 * time.Minute)
	g.sell(t, "b", kiosk.Line{Product: cigs, Qty: 2}, kiosk.Line{Product: lighter, Qty: 1}, kiosk.NewLine(can, 2)) // pant: "herav pant"
	for _, e := range []kiosk.Entry{
		{Code: kiosk.CodeOther, Subtype: kiosk.SubSaleCancelled, Time: g.clock.Now(), Kiosk: "K1", Amount: 3290},
		{Code: kiosk.CodeOther, Subtype: kiosk.SubLineVoided, Time: g.clock.Now(), Kiosk: "K1", Amount: 2990},
		{Code: kiosk.CodePriceLookup, Subtype: kiosk.SubLookupMiss, Time: g.clock.Now(), Kiosk: "K1"},
		{Code: kiosk.CodePriceLookup, Subtype: kiosk.SubPriceCheck, Time: g.clock.Now(), Kiosk: "K1", Amount: snus.Price,
			Data: map[string]string{"gtin": snus.GTIN.String(), "group": "2", "price": snus.Price.Decimal()}},
	} {
		if _, err := g.store.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	g.clock.Advance(8 * time.Hour)
	z, _, err := g.r.Z(ctx, "kari")
	if err != nil {
		t.Fatal(err)
	}
	got := z.Text()
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > kiosk.ReportColumns {
			t.Errorf("line wider than the paper (%d): %q", n, line)
		}
	}
	golden := filepath.Join("testdata", "zreport.txt")
	if flag.Lookup("update").Value.(flag.Getter).Get().(bool) { // receipt_test.go's -update
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestReportGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("Z report differs from %s:\n%s", golden, got)
	}
}

// sameJSON compares two values in their stored form.
func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("\n got %s\nwant %s", g, w)
	}
}
