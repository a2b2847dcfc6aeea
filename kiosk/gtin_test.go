package kiosk

import (
	"errors"
	"testing"
)

func TestParseGTIN(t *testing.T) {
	tests := []struct {
		in   string
		want GTIN
		err  error
	}{
		{"7038010009457", "07038010009457", nil},  // EAN-13
		{"96385074", "00000096385074", nil},       // EAN-8
		{"036000291452", "00036000291452", nil},   // UPC-A
		{"10614141000415", "10614141000415", nil}, // GTIN-14
		{"7038010009458", "", ErrBadCheckDigit},
		{"96385075", "", ErrBadCheckDigit},
		{"703801000945", "", ErrBadCheckDigit},
		{"12345", "", ErrNotGTIN},
		{"70380100094a7", "", ErrNotGTIN},
		{"", "", ErrNotGTIN},
		{"703801000945777", "", ErrNotGTIN},
	}
	for _, tt := range tests {
		got, err := ParseGTIN(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseGTIN(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestGTINShort(t *testing.T) {
	for in, want := range map[string]string{"7038010009457": "7038010009457", "96385074": "96385074", "036000291452": "0036000291452"} {
		if got := MustGTIN(in).Short(); got != want {
			t.Errorf("Short(%s) = %s, want %s", in, got, want)
		}
	}
}

func FuzzParseGTIN(f *testing.F) {
	for _, s := range []string{"7038010009457", "96385074", "036000291452", "10614141000415", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGTIN(s)
		if err != nil {
			return
		}
		if len(g) != 14 {
			t.Fatalf("canonical %q has %d digits", g, len(g))
		}
		again, err := ParseGTIN(string(g))
		if err != nil || again != g {
			t.Fatalf("canonical form does not re-parse: %q %v", again, err)
		}
	})
}
