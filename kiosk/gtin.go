package kiosk

import (
	"errors"
	"fmt"
	"strings"
)

// GTIN is a Global Trade Item Number in its canonical 14-digit form
// (GS1 General Specifications §3.3.2): EAN-8, UPC-A and EAN-13 are
// left-padded with zeros, so one item has one key whatever was printed.
type GTIN string

// Errors from ParseGTIN.
var (
	ErrNotGTIN       = errors.New("kiosk: not a GTIN")
	ErrBadCheckDigit = errors.New("kiosk: wrong GTIN check digit")
)

// ParseGTIN validates an EAN-8, UPC-A (12), EAN-13 or GTIN-14 code and its
// mod-10 check digit, and returns it in canonical form.
func ParseGTIN(s string) (GTIN, error) {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", fmt.Errorf("%w: %q has %d digits", ErrNotGTIN, s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", fmt.Errorf("%w: %q", ErrNotGTIN, s)
		}
	}
	if want := CheckDigit(s[:len(s)-1]); s[len(s)-1] != want {
		return "", fmt.Errorf("%w: %q ends in %c, want %c", ErrBadCheckDigit, s, s[len(s)-1], want)
	}
	return GTIN(strings.Repeat("0", 14-len(s)) + s), nil
}

// MustGTIN is ParseGTIN for literals in tests and seed data; it panics on a
// bad code.
func MustGTIN(s string) GTIN {
	g, err := ParseGTIN(s)
	if err != nil {
		panic(err)
	}
	return g
}

// CheckDigit computes the GS1 mod-10 check digit for the digits before it:
// from the right, weights 3,1,3,1…
func CheckDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// Short returns the code as printed: GTIN-14 with leading zeros removed down
// to EAN-13 or EAN-8 length.
func (g GTIN) Short() string {
	s := string(g)
	if strings.HasPrefix(s, "000000") {
		return s[6:]
	}
	if strings.HasPrefix(s, "0") {
		return s[1:]
	}
	return s
}

func (g GTIN) String() string { return g.Short() }
