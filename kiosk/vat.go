package kiosk

import (
	"fmt"
	"sort"
)

// VATRate is a Norwegian VAT rate in whole percent. The numbers are
// persisted; they are the rates themselves.
type VATRate uint8

// The Norwegian output VAT rates (merverdiavgiftsloven §§ 5-1 to 5-4, 6-1).
const (
	VAT0  VATRate = 0  // zero rate, e.g. newspapers (mval. § 6-1)
	VAT12 VATRate = 12 // low rate, e.g. passenger transport
	VAT15 VATRate = 15 // reduced rate on foodstuffs, incl. chocolate and soda
	VAT25 VATRate = 25 // general rate: tobacco, lighters, other goods
)

// Valid reports whether r is one of the four Norwegian rates, or a rate
// one of them had in the past (vatdate.go): what a sale line may carry.
// A product names its group by today's rate (Group).
func (r VATRate) Valid() bool {
	switch r {
	case VAT0, VAT12, VAT15, VAT25:
		return true
	}
	return pastRate(r)
}

func (r VATRate) String() string { return fmt.Sprintf("%d %%", uint8(r)) }

// StandardTaxCode is the SAF-T standard VAT code for output VAT at r
// (../shared/saft/Standard_Tax_Codes.csv): 3 regular, 31 middle, 33 low,
// 5 zero rate.
func (r VATRate) StandardTaxCode() string {
	switch r.GroupRate() {
	case VAT25:
		return "3"
	case VAT15:
		return "31"
	case VAT12:
		return "33"
	default:
		return "5"
	}
}

// VATOf returns the VAT contained in the VAT-inclusive amount gross at rate r,
// rounded half away from zero to the øre: gross·r/(100+r).
func VATOf(gross Money, r VATRate) Money {
	if r == 0 || gross == 0 {
		return 0
	}
	num := int64(gross) * int64(r)
	den := int64(100 + int64(r))
	neg := num < 0
	if neg {
		num = -num
	}
	v := (2*num + den) / (2 * den)
	if neg {
		v = -v
	}
	return Money(v)
}

// VATLine is the VAT for one rate on a sale. Gross = Net + VAT.
type VATLine struct {
	Rate  VATRate
	Gross Money // including VAT
	Net   Money // excluding VAT
	VAT   Money
}

// VATBreakdown groups gross amounts by rate and computes the VAT once per
// rate (not per line), so the sum over rates is exact to the øre. The result
// is ordered by rate, highest first; rates with no amount are left out.
func VATBreakdown(amounts map[VATRate]Money) []VATLine {
	out := make([]VATLine, 0, len(amounts))
	for r, g := range amounts {
		if g == 0 {
			continue
		}
		v := VATOf(g, r)
		out = append(out, VATLine{Rate: r, Gross: g, Net: g - v, VAT: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rate > out[j].Rate })
	return out
}
