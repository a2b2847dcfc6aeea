package kiosk_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestVATRateAt: each group's rate across the boundaries of the 2020–21
// cut of the low rate, a second before and after each change, read in
// Norwegian time.
func TestVATRateAt(t *testing.T) {
	oslo := mustOslo(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation(time.DateTime, s, oslo)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		group kiosk.VATRate
		at    string
		want  kiosk.VATRate
	}{
		{kiosk.VAT12, "2020-03-31 23:59:59", 12},
		{kiosk.VAT12, "2020-04-01 00:00:00", 6},
		{kiosk.VAT12, "2020-04-01 00:00:01", 6},
		{kiosk.VAT12, "2020-12-31 23:59:59", 6},
		{kiosk.VAT12, "2021-06-30 23:59:59", 6},
		{kiosk.VAT12, "2021-09-30 23:59:59", 6},
		{kiosk.VAT12, "2021-10-01 00:00:00", 12},
		{kiosk.VAT12, "2021-10-01 00:00:01", 12},
		{kiosk.VAT12, "2026-12-07 06:00:00", 12},
		{kiosk.VAT12, "2019-01-01 00:00:00", 12},
		{6, "2020-03-31 23:59:59", 12}, // a past rate names its group
		{6, "2021-01-01 12:00:00", 6},
		{kiosk.VAT25, "2020-06-01 12:00:00", 25},
		{kiosk.VAT15, "2020-06-01 12:00:00", 15},
		{kiosk.VAT0, "2020-06-01 12:00:00", 0},
		{kiosk.VAT25, "2026-12-07 06:00:00", 25},
	}
	for _, tt := range tests {
		if got := tt.group.At(at(tt.at)); got != tt.want {
			t.Errorf("%v.At(%s) = %v, want %v", tt.group, tt.at, got, tt.want)
		}
	}
}

func TestVATRateValidAndGroup(t *testing.T) {
	tests := []struct {
		r            kiosk.VATRate
		valid, group bool
		groupRate    kiosk.VATRate
		code         string
	}{
		{25, true, true, 25, "3"},
		{15, true, true, 15, "31"},
		{12, true, true, 12, "33"},
		{0, true, true, 0, "5"},
		{6, true, false, 12, "33"}, // the low rate in 2020–21: on sale lines only
		{8, false, false, 8, "5"},  // voted on, never in force
		{24, false, false, 24, "5"},
		{7, false, false, 7, "5"},
	}
	for _, tt := range tests {
		if got := tt.r.Valid(); got != tt.valid {
			t.Errorf("%v.Valid() = %v, want %v", tt.r, got, tt.valid)
		}
		if got := tt.r.Group(); got != tt.group {
			t.Errorf("%v.Group() = %v, want %v", tt.r, got, tt.group)
		}
		if got := tt.r.GroupRate(); got != tt.groupRate {
			t.Errorf("%v.GroupRate() = %v, want %v", tt.r, got, tt.groupRate)
		}
		if tt.valid {
			if got := tt.r.StandardTaxCode(); got != tt.code {
				t.Errorf("%v.StandardTaxCode() = %q, want %q", tt.r, got, tt.code)
			}
		}
	}
}

func TestParseVATRate(t *testing.T) {
	tests := []struct {
		in   string
		want kiosk.VATRate
		err  bool
	}{
		{"25", 25, false}, {"15 %", 15, false}, {" 12% ", 12, false}, {"0", 0, false},
		{"6", 0, true}, {"24", 0, true}, {"", 0, true}, {"25,0", 0, true}, {"-1", 0, true}, {"300", 0, true}, {"abc", 0, true},
	}
	for _, tt := range tests {
		got, err := kiosk.ParseVATRate(tt.in)
		if tt.err {
			if !errors.Is(err, kiosk.ErrUnknownVATRate) {
				t.Errorf("ParseVATRate(%q): err = %v, want ErrUnknownVATRate", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseVATRate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestProductRefusesPastRate: a product names its group by today's rate;
// 6 % is a sale line's rate, not a product's.
func TestProductRefusesPastRate(t *testing.T) {
	p := kiosk.Product{GTIN: kiosk.MustGTIN("7038010009457"), Name: "Bussbillett", Group: kiosk.GroupOther, VAT: 6, Price: 4000}
	if err := p.Validate(); !errors.Is(err, kiosk.ErrInvalidProduct) {
		t.Fatalf("Validate with VAT 6: err = %v, want ErrInvalidProduct", err)
	}
	p.VAT = kiosk.VAT12
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestNewSaleStampsTheRateInForce: a sale completed a second before and
// after a change pays the rate of its own time, in its lines and its VAT
// breakdown; the signed cash transaction carries the same.
func TestNewSaleStampsTheRateInForce(t *testing.T) {
	oslo := mustOslo(t)
	ticket := kiosk.Product{GTIN: kiosk.MustGTIN("7038010009457"), Name: "Kinobillett", Group: kiosk.GroupOther, VAT: kiosk.VAT12, Price: 10600}
	cola := kiosk.Product{GTIN: kiosk.MustGTIN("7038010000010"), Name: "Cola", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 3450}
	lines := []kiosk.Line{{Product: ticket, Qty: 1}, {Product: cola, Qty: 1}}
	change := time.Date(2020, 4, 1, 0, 0, 0, 0, oslo)
	back := time.Date(2021, 10, 1, 0, 0, 0, 0, oslo)
	tests := []struct {
		name string
		at   time.Time
		rate kiosk.VATRate
		vat  kiosk.Money // of the ticket
	}{
		{"a second before the cut", change.Add(-time.Second), 12, 1136},
		{"at the cut", change, 6, 600},
		{"a second after the cut", change.Add(time.Second), 6, 600},
		{"a second before the end", back.Add(-time.Second), 6, 600},
		{"at the end", back, 12, 1136},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := kiosk.PendingSale{ID: "s1", Kiosk: "K1", Started: tt.at.Add(-time.Minute), Lines: lines, Amount: 14050}
			s := kiosk.NewSale(p, tt.at)
			if got := s.Lines[0].Product.VAT; got != tt.rate {
				t.Errorf("ticket line's rate = %v, want %v", got, tt.rate)
			}
			if got := s.Lines[1].Product.VAT; got != kiosk.VAT15 {
				t.Errorf("cola line's rate = %v, want 15 %%", got)
			}
			if lines[0].Product.VAT != kiosk.VAT12 {
				t.Error("NewSale changed the pending sale's lines")
			}
			var found bool
			for _, v := range s.VAT {
				if v.Rate == tt.rate {
					found = true
					if v.VAT != tt.vat {
						t.Errorf("VAT at %v = %v, want %v", v.Rate, v.VAT, tt.vat)
					}
				}
			}
			if !found {
				t.Errorf("VAT lines %+v have no %v", s.VAT, tt.rate)
			}
			tx := kiosk.NewCashTx(s)
			if tx.Lines[0].VAT != tt.rate {
				t.Errorf("cash transaction line rate = %v, want %v", tx.Lines[0].VAT, tt.rate)
			}
			if err := tx.Check(); err != nil {
				t.Errorf("cash transaction: %v", err)
			}
		})
	}
}

func TestOwnTaxCode(t *testing.T) {
	for r, want := range map[kiosk.VATRate]string{25: "3", 15: "31", 12: "33", 0: "5", 6: "33-6"} {
		if got := r.OwnTaxCode(); got != want {
			t.Errorf("%v.OwnTaxCode() = %q, want %q", r, got, want)
		}
	}
}

// FuzzParseVATRate: any input is a VAT group or ErrUnknownVATRate, never
// a panic, and a group reads back from its own number.
func FuzzParseVATRate(f *testing.F) {
	for _, s := range []string{"25", "15 %", "12%", "0", "6", "", "%", "25,0", "-0", "255", "256"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := kiosk.ParseVATRate(s)
		if err != nil {
			if !errors.Is(err, kiosk.ErrUnknownVATRate) {
				t.Fatalf("ParseVATRate(%q): %v, not ErrUnknownVATRate", s, err)
			}
			return
		}
		if !r.Group() || !r.Valid() {
			t.Fatalf("ParseVATRate(%q) = %v, not a group", s, r)
		}
		if back, err := kiosk.ParseVATRate(strconv.Itoa(int(r))); err != nil || back != r {
			t.Fatalf("%v reads back as %v, %v", r, back, err)
		}
	})
}
