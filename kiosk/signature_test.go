package kiosk_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Oslo also where the system has no zoneinfo

	"selvkasse/kiosk"
)

func mustOslo(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSignatureData: the string of Skatteetaten's signature guideline,
// with the date and time in Norwegian local time on both sides of the
// summer-time changes.
func TestSignatureData(t *testing.T) {
	oslo := mustOslo(t)
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	const sig = "iHh68DWCU3G42eL/7vOGUMSkvMM="
	for _, tc := range []struct {
		name string
		in   kiosk.SignatureInput
		want string
	}{
		{"the guideline's HMAC example (winter, UTC+1)",
			kiosk.SignatureInput{Time: utc("2016-11-24T09:39:00Z"), Nr: "2", AmountIn: 100, AmountEx: 96},
			"0;2016-11-24;10:39:00;2;1.00;0.96"},
		{"first explicitly 0", kiosk.SignatureInput{Previous: "0", Time: utc("2016-11-24T09:39:00Z"), Nr: "2", AmountIn: 100, AmountEx: 96},
			"0;2016-11-24;10:39:00;2;1.00;0.96"},
		{"time given in another zone", kiosk.SignatureInput{Time: utc("2016-11-24T09:39:00Z").In(newYork), Nr: "2", AmountIn: 100, AmountEx: 96},
			"0;2016-11-24;10:39:00;2;1.00;0.96"},
		{"summer (UTC+2) and a previous signature",
			kiosk.SignatureInput{Previous: sig, Time: utc("2024-07-01T08:39:00Z"), Nr: "1000", AmountIn: 8640, AmountEx: 7512},
			sig + ";2024-07-01;10:39:00;1000;86.40;75.12"},
		{"last second before summer time", kiosk.SignatureInput{Time: utc("2025-03-30T00:59:59Z"), Nr: "7", AmountIn: 1, AmountEx: 1},
			"0;2025-03-30;01:59:59;7;0.01;0.01"},
		{"first second of summer time", kiosk.SignatureInput{Time: utc("2025-03-30T01:00:00Z"), Nr: "8", AmountIn: 1, AmountEx: 1},
			"0;2025-03-30;03:00:00;8;0.01;0.01"},
		{"the hour that comes twice, first time", kiosk.SignatureInput{Time: utc("2025-10-26T00:30:00Z"), Nr: "9", AmountIn: 1, AmountEx: 1},
			"0;2025-10-26;02:30:00;9;0.01;0.01"},
		{"the hour that comes twice, second time", kiosk.SignatureInput{Time: utc("2025-10-26T01:30:00Z"), Nr: "10", AmountIn: 1, AmountEx: 1},
			"0;2025-10-26;02:30:00;10;0.01;0.01"},
		{"past midnight in Oslo, not yet in UTC", kiosk.SignatureInput{Time: utc("2025-12-31T23:30:00Z"), Nr: "11", AmountIn: 1, AmountEx: 1},
			"0;2026-01-01;00:30:00;11;0.01;0.01"},
		{"a return is negative (the SAF-T example file's)",
			kiosk.SignatureInput{Previous: sig, Time: utc("2020-01-01T13:00:00Z"), Nr: "1003", AmountIn: -1640, AmountEx: -1426},
			sig + ";2020-01-01;14:00:00;1003;-16.40;-14.26"},
		{"below one krone, negative", kiosk.SignatureInput{Time: utc("2020-01-01T13:00:00Z"), Nr: "R-1", AmountIn: -50, AmountEx: -40},
			"0;2020-01-01;14:00:00;R-1;-0.50;-0.40"},
		{"zero (a void)", kiosk.SignatureInput{Time: utc("2020-01-01T13:00:00Z"), Nr: "12", AmountIn: 0, AmountEx: 0},
			"0;2020-01-01;14:00:00;12;0.00;0.00"},
		{"VAT-free", kiosk.SignatureInput{Time: utc("2020-01-01T13:00:00Z"), Nr: "13", AmountIn: 123456789, AmountEx: 123456789},
			"0;2020-01-01;14:00:00;13;1234567.89;1234567.89"},
		{"35-character number", kiosk.SignatureInput{Time: utc("2020-01-01T13:00:00Z"), Nr: strings.Repeat("9", 35), AmountIn: 100, AmountEx: 80},
			"0;2020-01-01;14:00:00;" + strings.Repeat("9", 35) + ";1.00;0.80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Data(oslo)
			if err != nil || got != tc.want {
				t.Errorf("Data = %q, %v\n           want %q", got, err, tc.want)
			}
		})
	}
}

// TestSignatureDataRefuses: what cannot go into the signed string is an
// ErrBadSignatureInput, never a string the validator would read another
// way.
func TestSignatureDataRefuses(t *testing.T) {
	oslo := mustOslo(t)
	good := kiosk.SignatureInput{Time: utc("2016-11-24T09:39:00Z"), Nr: "2", AmountIn: 100, AmountEx: 96}
	edit := func(f func(*kiosk.SignatureInput)) kiosk.SignatureInput {
		c := good
		f(&c)
		return c
	}
	for name, in := range map[string]kiosk.SignatureInput{
		"zero time":                 edit(func(c *kiosk.SignatureInput) { c.Time = time.Time{} }),
		"no number":                 edit(func(c *kiosk.SignatureInput) { c.Nr = "" }),
		"36-character number":       edit(func(c *kiosk.SignatureInput) { c.Nr = strings.Repeat("1", 36) }),
		"';' in the number":         edit(func(c *kiosk.SignatureInput) { c.Nr = "1;2" }),
		"newline in the number":     edit(func(c *kiosk.SignatureInput) { c.Nr = "1\n" }),
		"bad UTF-8 in the number":   edit(func(c *kiosk.SignatureInput) { c.Nr = "1\xff" }),
		"';' in previous":           edit(func(c *kiosk.SignatureInput) { c.Previous = "abc=;" }),
		"previous not base64":       edit(func(c *kiosk.SignatureInput) { c.Previous = "not a signature" }),
		"previous over two lines":   edit(func(c *kiosk.SignatureInput) { c.Previous = "iHh68DWCU3G42eL/\n7vOGUMSkvMM=" }),
		"previous 00":               edit(func(c *kiosk.SignatureInput) { c.Previous = "00" }),
		"opposite signs":            edit(func(c *kiosk.SignatureInput) { c.AmountIn, c.AmountEx = -100, 96 }),
		"opposite signs, other way": edit(func(c *kiosk.SignatureInput) { c.AmountIn, c.AmountEx = 100, -96 }),
		"without VAT above with":    edit(func(c *kiosk.SignatureInput) { c.AmountIn, c.AmountEx = 96, 100 }),
		"return, without VAT above": edit(func(c *kiosk.SignatureInput) { c.AmountIn, c.AmountEx = -96, -100 }),
	} {
		if got, err := in.Data(oslo); !errors.Is(err, kiosk.ErrBadSignatureInput) || got != "" {
			t.Errorf("%s: Data = %q, %v; want ErrBadSignatureInput", name, got, err)
		}
	}
	if got, err := good.Data(nil); !errors.Is(err, kiosk.ErrBadSignatureInput) {
		t.Errorf("nil location: Data = %q, %v; want ErrBadSignatureInput", got, err)
	}
}

func TestKeyVersion(t *testing.T) {
	for _, v := range []kiosk.KeyVersion{1, 2, 10, 4294967295} {
		back, err := kiosk.ParseKeyVersion(v.String())
		if err != nil || back != v {
			t.Errorf("ParseKeyVersion(%q) = %v, %v", v.String(), back, err)
		}
	}
	for _, s := range []string{"", "0", "01", "+1", "-1", "1.0", " 1", "v1", "4294967296"} {
		if v, err := kiosk.ParseKeyVersion(s); !errors.Is(err, kiosk.ErrBadSignatureInput) {
			t.Errorf("ParseKeyVersion(%q) = %v, %v; want ErrBadSignatureInput", s, v, err)
		}
	}
}
