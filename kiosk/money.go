package kiosk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in øre (1/100 NOK). It is never a float.
type Money int64

// Kroner returns m kroner as Money.
func Kroner(kr int64) Money { return Money(kr * 100) }

// ErrBadAmount is returned by ParseMoney for text that is not an amount.
var ErrBadAmount = errors.New("kiosk: bad amount")

// String formats m the Norwegian way: "kr 1 234,50", "kr -12,00".
// Thousands are grouped with a space, decimals follow a comma.
func (m Money) String() string {
	return "kr " + m.Plain()
}

// Plain formats m without the currency: "1 234,50".
func (m Money) Plain() string {
	neg := m < 0
	v := uint64(m)
	if neg {
		v = uint64(-m)
	}
	kr, ore := v/100, v%100
	digits := strconv.FormatUint(kr, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	fmt.Fprintf(&b, ",%02d", ore)
	return b.String()
}

// Decimal formats m with a point and two decimals ("1234.50"), the form
// SAF-T and the journal signature string use.
func (m Money) Decimal() string {
	neg := m < 0
	v := uint64(m)
	if neg {
		v = uint64(-m)
	}
	s := fmt.Sprintf("%d.%02d", v/100, v%100)
	if neg {
		return "-" + s
	}
	return s
}

// ParseMoney reads an amount such as "12", "12,5", "12,50", "1 234,50",
// "kr 12,50" or "12.50" into øre. More than two decimals is an error.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "kr")
	t = strings.ReplaceAll(t, " ", "")
	t = strings.ReplaceAll(t, "\u00a0", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	t = strings.Replace(t, ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(t, ".")
	if whole == "" || len(frac) > 2 || (hasFrac && frac == "") {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	kr, err := strconv.ParseUint(whole, 10, 40)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	ore, err := strconv.ParseUint(frac, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	m := Money(kr*100 + ore)
	if neg {
		m = -m
	}
	return m, nil
}
