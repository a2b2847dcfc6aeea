package kiosk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

var (
	priceT0    = time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC) // 06:00 in Oslo
	pricedSnus = kiosk.Product{GTIN: kiosk.MustGTIN("7038010009457"), Name: "Snus", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 13900, MinAge: 18, Cabinet: true}
)

func TestPriceAt(t *testing.T) {
	vs := []kiosk.PriceVersion{{Price: 100}, {Price: 200, From: priceT0}, {Price: 300, From: priceT0.Add(time.Hour)}}
	tests := []struct {
		at   time.Time
		want kiosk.Money
		ok   bool
	}{
		{time.Time{}, 100, true},
		{priceT0.Add(-time.Nanosecond), 100, true},
		{priceT0, 200, true},
		{priceT0.Add(time.Hour - 1), 200, true},
		{priceT0.Add(time.Hour), 300, true},
		{priceT0.AddDate(1, 0, 0), 300, true},
	}
	for _, tt := range tests {
		v, ok := kiosk.PriceAt(vs, tt.at)
		if ok != tt.ok || v.Price != tt.want {
			t.Errorf("PriceAt(%v) = %v, %v; want %v, %v", tt.at, v.Price, ok, tt.want, tt.ok)
		}
	}
	if _, ok := kiosk.PriceAt(vs[1:], priceT0.Add(-time.Second)); ok {
		t.Error("PriceAt before the first version: ok, want none")
	}
	if _, ok := kiosk.PriceAt(nil, priceT0); ok {
		t.Error("PriceAt of no history: ok")
	}
}

func TestCheckPriceChange(t *testing.T) {
	tests := []struct {
		name  string
		price kiosk.Money
		from  time.Time
		want  error
	}{
		{"now", 100, priceT0, nil},
		{"tomorrow", 100, priceT0.AddDate(0, 0, 1), nil},
		{"a second ago", 100, priceT0.Add(-time.Second), kiosk.ErrPriceInPast},
		{"last year", 100, priceT0.AddDate(-1, 0, 0), kiosk.ErrPriceInPast},
		{"free", 0, priceT0, kiosk.ErrBadPriceChange},
		{"negative", -1, priceT0.Add(time.Hour), kiosk.ErrBadPriceChange},
	}
	for _, tt := range tests {
		err := kiosk.CheckPriceChange(tt.price, tt.from, priceT0)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	err := kiosk.CheckPriceChange(100, priceT0.Add(-time.Minute), priceT0)
	if err == nil || !strings.Contains(err.Error(), "effective time is in the past") {
		t.Errorf("a past change: %v, want it to say the effective time is in the past", err)
	}
}

func TestPriceBookAdd(t *testing.T) {
	b := kiosk.PriceBook{}
	b.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 300, From: priceT0.Add(time.Hour)})
	b.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 100})
	b.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 200, From: priceT0})
	b.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 250, From: priceT0}) // replaces
	var got []kiosk.Money
	for _, v := range b[pricedSnus.GTIN] {
		got = append(got, v.Price)
	}
	if want := []kiosk.Money{100, 250, 300}; !slices.Equal(got, want) {
		t.Errorf("versions %v, want %v", got, want)
	}
}

// TestPriceBookCheck: a line is right when the version it names has its
// price and was in force at some moment of the sale.
func TestPriceBookCheck(t *testing.T) {
	book := kiosk.PriceBook{}
	book.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 13900})
	book.Add(pricedSnus.GTIN, kiosk.PriceVersion{Price: 14500, From: priceT0})
	line := func(price kiosk.Money, from time.Time) kiosk.Line {
		p := pricedSnus
		p.Price, p.PriceFrom = price, from
		return kiosk.Line{Product: p, Qty: 1}
	}
	other := kiosk.Product{GTIN: kiosk.MustGTIN("7038010000010"), Name: "Cola", Price: 3000}
	tests := []struct {
		name            string
		started, done   time.Time
		line            kiosk.Line
		wantReason      string // "" : no mismatch
		wantExpected    kiosk.Money
		wantMismatchLen int
	}{
		{"old price before the change", priceT0.Add(-time.Hour), priceT0.Add(-time.Minute), line(13900, time.Time{}), "", 0, 0},
		{"new price after the change", priceT0.Add(time.Minute), priceT0.Add(2 * time.Minute), line(14500, priceT0), "", 0, 0},
		{"new price at the change", priceT0, priceT0, line(14500, priceT0), "", 0, 0},
		{"old price scanned before, paid after", priceT0.Add(-time.Minute), priceT0.Add(time.Minute), line(13900, time.Time{}), "", 0, 0},
		{"old price in a sale started after", priceT0.Add(time.Second), priceT0.Add(time.Minute), line(13900, time.Time{}), "replaced", 14500, 1},
		{"new price a second before it took effect", priceT0.Add(-time.Minute), priceT0.Add(-time.Second), line(14500, priceT0), "after the sale", 13900, 1},
		{"wrong price, right version", priceT0.Add(time.Minute), priceT0.Add(time.Minute), line(100, priceT0), "is 145.00", 14500, 1},
		{"a version the history lacks", priceT0.Add(time.Minute), priceT0.Add(time.Minute), line(14500, priceT0.Add(time.Second)), "does not have", 14500, 1},
		{"a product without history", priceT0, priceT0, kiosk.Line{Product: other, Qty: 1}, "no price history", 0, 1},
		{"a price label's own price is not the catalog's", priceT0.Add(time.Minute), priceT0.Add(time.Minute),
			func() kiosk.Line { l := line(2490, priceT0); l.Code = kiosk.MustGTIN("2410001024901"); return l }(), "", 0, 0},
		{"a weight label's price per kg is", priceT0.Add(time.Minute), priceT0.Add(time.Minute),
			func() kiosk.Line {
				l := line(100, priceT0)
				l.Code, l.Grams = kiosk.MustGTIN("2312345004529"), 452
				return l
			}(), "is 145.00", 14500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := kiosk.Sale{No: 7, Kiosk: "K1", Started: tt.started, Completed: tt.done, Lines: []kiosk.Line{tt.line}}
			ms := book.Check(s)
			if len(ms) != tt.wantMismatchLen {
				t.Fatalf("Check = %v, want %d mismatches", ms, tt.wantMismatchLen)
			}
			if len(ms) == 0 {
				return
			}
			m := ms[0]
			if m.Kiosk != "K1" || m.ReceiptNo != 7 || m.Line != 1 || m.GTIN != tt.line.Product.GTIN || m.Charged != tt.line.Product.Price || m.Expected != tt.wantExpected {
				t.Errorf("mismatch %+v", m)
			}
			if !strings.Contains(m.Reason, tt.wantReason) {
				t.Errorf("reason %q, want it to say %q", m.Reason, tt.wantReason)
			}
		})
	}
}

func TestPriceChangeEntry(t *testing.T) {
	e := kiosk.PriceChangeEntry(pricedSnus, 13900, 14500, priceT0, priceT0.Add(-24*time.Hour), "ola")
	if e.Code != kiosk.CodePriceChange || e.Code.String() != "13021 Price change" {
		t.Errorf("code %v", e.Code)
	}
	want := map[string]string{"gtin": string(pricedSnus.GTIN), "name": "Snus", "old": "139.00", "new": "145.00", "from": "2026-12-07T05:00:00Z", "by": "ola"}
	for k, v := range want {
		if e.Data[k] != v {
			t.Errorf("Data[%s] = %q, want %q", k, e.Data[k], v)
		}
	}
	if e.Amount != 14500 || !e.Time.Equal(priceT0.Add(-24*time.Hour)) {
		t.Errorf("amount %v, time %v", e.Amount, e.Time)
	}
}
