package kiosk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// VAT by date (issue 13 item 3). A product names its VAT group by today's
// rate (VAT25, VAT15, VAT12, VAT0: the numbers stored products hold); the
// rate a sale pays is the group's rate in force when the sale is
// completed (the time of supply, mval. § 15-9). NewSale stamps each line
// with it (Line.Product.VAT becomes the rate in force), so the sale's VAT
// lines, its receipt, the X/Z totals, the signed cash transaction and the
// SAF-T export all carry the rate that was paid.

// vatChange is a group's rate from a moment on, until the group's next
// change.
type vatChange struct {
	group VATRate
	from  time.Time
	rate  VATRate
}

// vatSchedule lists each change of a group's rate, by group and time.
// Before a group's first change here, and for a group without one, the
// rate is today's (the group's own number). Older changes (the low rate
// was 8 % until 2015 and 10 % in 2016–2017, the general rate 24 % until
// 2005) are not listed: no sale of this system predates them.
//
// The low rate (mval. § 5-3 ff.: passenger transport, hotels, cinema,
// broadcasting, museums, amusement parks, sports events) was cut from
// 12 % to 6 % from 1 April 2020 (Stortingets vedtak 31. mars 2020,
// Innst. 216 S (2019–2020), changing the 8 % it had voted on 21 March
// before either took effect), the cut extended through 2021 (Stortingets
// vedtak 15. desember 2020 nr. 2883 om merverdiavgift for budsjettåret
// 2021 § 4) and ended: 12 % again from 1 October 2021 (Stortingets vedtak
// 18. juni 2021, announced by Finansdepartementet; regjeringen.no press
// release "Forlenger midlertidig reduksjon i lav merverdiavgiftssats",
// 2021). The times are Norwegian midnight, summer time both: UTC+2.
var vatSchedule = []vatChange{
	{VAT12, time.Date(2020, 3, 31, 22, 0, 0, 0, time.UTC), 6},  // 2020-04-01 00:00 Europe/Oslo
	{VAT12, time.Date(2021, 9, 30, 22, 0, 0, 0, time.UTC), 12}, // 2021-10-01 00:00 Europe/Oslo
}

// pastRate reports whether r is a rate the schedule gives a group, that
// is not a group's own number.
func pastRate(r VATRate) bool {
	for _, c := range vatSchedule {
		if c.rate == r {
			return true
		}
	}
	return false
}

// Group reports whether r names a VAT group: one of today's four rates,
// the numbers a product holds.
func (r VATRate) Group() bool {
	switch r {
	case VAT0, VAT12, VAT15, VAT25:
		return true
	}
	return false
}

// GroupRate is the group r belongs to: r itself for a group, the group
// that had the rate for a past rate (6 → 12), r for an unknown rate.
func (r VATRate) GroupRate() VATRate {
	if r.Group() {
		return r
	}
	for _, c := range vatSchedule {
		if c.rate == r {
			return c.group
		}
	}
	return r
}

// At is the rate of r's group in force at t. An unknown rate is itself.
func (r VATRate) At(t time.Time) VATRate {
	g := r.GroupRate()
	rate := g
	for _, c := range vatSchedule {
		if c.group == g && !t.Before(c.from) {
			rate = c.rate
		}
	}
	return rate
}

// OwnTaxCode is the kiosk's own SAF-T VAT code (vatCode) for r: the
// standard code (StandardTaxCode), and for a past rate the standard code
// and the rate ("33-6"), so that a file holding the low rate of today and
// of 2020–21 declares each once, each mapped to standard code 33.
func (r VATRate) OwnTaxCode() string {
	if r.Group() {
		return r.StandardTaxCode()
	}
	return fmt.Sprintf("%s-%d", r.StandardTaxCode(), uint8(r))
}

// VATAt is the basket's VAT breakdown with the rates in force at t: what
// the customer's screen shows before the sale stamps them (NewSale).
func (b *Basket) VATAt(t time.Time) []VATLine { return VATBreakdown(grossByRate(AtTime(b.Lines, t))) }

// ErrUnknownVATRate: a VAT rate in input that is none of the groups'.
var ErrUnknownVATRate = errors.New("kiosk: unknown VAT rate")

// ParseVATRate reads a VAT group from input ("25", "25 %", "25%", "0"):
// one of today's rates. A rate the law does not have, or had only in the
// past (6), is ErrUnknownVATRate, naming the rates it knows.
func ParseVATRate(s string) (VATRate, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	n, err := strconv.ParseUint(t, 10, 8)
	if err != nil || !VATRate(n).Group() {
		return 0, fmt.Errorf("%w: %q (the VAT groups are 25, 15, 12 and 0 %%)", ErrUnknownVATRate, s)
	}
	return VATRate(n), nil
}

// AtTime is the lines with each line's rate the rate in force at t (At),
// in a new slice.
func AtTime(lines []Line, t time.Time) []Line {
	if lines == nil {
		return nil
	}
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.Product.VAT = l.Product.VAT.At(t)
		out[i] = l
	}
	return out
}
