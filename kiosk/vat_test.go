package kiosk

import "testing"

func TestVATOf(t *testing.T) {
	tests := []struct {
		gross Money
		rate  VATRate
		want  Money
	}{
		{12500, VAT25, 2500},
		{11500, VAT15, 1500},
		{11200, VAT12, 1200},
		{5000, VAT0, 0},
		{100, VAT25, 20}, // 1,00 incl. 25 % holds 0,20
		{3, VAT25, 1},    // 0,6 øre rounds up
		{2, VAT25, 0},    // 0,4 øre rounds down
		{10, VAT15, 1},   // 1,304 → 1
		{-12500, VAT25, -2500},
		{13900, VAT25, 2780}, // snus at 139,00
		{2990, VAT15, 390},   // 29,90 soda: 390,0 øre
	}
	for _, tt := range tests {
		if got := VATOf(tt.gross, tt.rate); got != tt.want {
			t.Errorf("VATOf(%d, %v) = %d, want %d", tt.gross, tt.rate, got, tt.want)
		}
	}
}

func TestVATBreakdownPerRateExact(t *testing.T) {
	// Three lines at 15 %: VAT per rate, not per line.
	got := VATBreakdown(map[VATRate]Money{VAT15: 3 * 10, VAT25: 13900, VAT0: 4500})
	want := []VATLine{
		{Rate: VAT25, Gross: 13900, Net: 11120, VAT: 2780},
		{Rate: VAT15, Gross: 30, Net: 26, VAT: 4},
		{Rate: VAT0, Gross: 4500, Net: 4500, VAT: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
		if got[i].Net+got[i].VAT != got[i].Gross {
			t.Errorf("line %d does not add up", i)
		}
	}
}

func TestStandardTaxCodes(t *testing.T) {
	for r, want := range map[VATRate]string{VAT25: "3", VAT15: "31", VAT12: "33", VAT0: "5"} {
		if got := r.StandardTaxCode(); got != want {
			t.Errorf("%v: %s, want %s", r, got, want)
		}
	}
	if VATRate(7).Valid() {
		t.Error("7 % is not a Norwegian rate")
	}
}
