package kiosk

import (
	"errors"
	"testing"
)

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{0, "kr 0,00"},
		{5, "kr 0,05"},
		{100, "kr 1,00"},
		{123450, "kr 1 234,50"},
		{99999999, "kr 999 999,99"},
		{100000000, "kr 1 000 000,00"},
		{-1250, "kr -12,50"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", tt.m, got, tt.want)
		}
	}
	if got := Money(-123456).Decimal(); got != "-1234.56" {
		t.Errorf("Decimal = %q", got)
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want Money
		err  bool
	}{
		{"12", 1200, false},
		{"12,5", 1250, false},
		{"12,50", 1250, false},
		{"kr 1 234,50", 123450, false},
		{"12.05", 1205, false},
		{"-3,00", -300, false},
		{"1,234", 0, true},
		{"", 0, true},
		{"abc", 0, true},
		{"12,", 0, true},
		{",5", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if tt.err {
			if !errors.Is(err, ErrBadAmount) {
				t.Errorf("ParseMoney(%q) err = %v, want ErrBadAmount", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"12,50", "kr 1 234,50", "-0,01", "9999999999,99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("round trip %q -> %d -> %q -> %d, %v", s, m, m.String(), back, err)
		}
	})
}
