package kiosk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMoveKindString(t *testing.T) {
	for k, want := range map[MoveKind]string{
		MoveOpening: "opening", MoveSale: "sale", MoveReturn: "return", MoveReceipt: "receipt",
		MoveCount: "count", MoveCorrection: "correction", 0: "MoveKind(0)", 99: "MoveKind(99)",
	} {
		if got := k.String(); got != want {
			t.Errorf("MoveKind(%d) = %q, want %q", uint8(k), got, want)
		}
	}
	// The numbers are persisted.
	if MoveOpening != 1 || MoveSale != 2 || MoveReturn != 3 || MoveReceipt != 4 || MoveCount != 5 || MoveCorrection != 6 {
		t.Error("a persisted MoveKind number changed")
	}
}

func TestStockQtyChecks(t *testing.T) {
	tests := []struct {
		qty              int
		receive, countOK bool
	}{
		{-1, false, false}, {0, false, true}, {1, true, true}, {MaxReceiveQty, true, true}, {MaxReceiveQty + 1, false, false},
	}
	for _, tt := range tests {
		if err := CheckReceiveQty(tt.qty); (err == nil) != tt.receive || (err != nil && !errors.Is(err, ErrBadStockQty)) {
			t.Errorf("CheckReceiveQty(%d) = %v", tt.qty, err)
		}
		if err := CheckCountQty(tt.qty); (err == nil) != tt.countOK || (err != nil && !errors.Is(err, ErrBadStockQty)) {
			t.Errorf("CheckCountQty(%d) = %v", tt.qty, err)
		}
	}
}

func TestLowAndRecount(t *testing.T) {
	mk := func(name string, stock, low int, recount bool) Product {
		return Product{GTIN: GTIN(name), Name: name, Stock: stock, LowStock: low, Recount: recount}
	}
	ps := []Product{
		mk("a", 5, 0, false),  // no threshold
		mk("b", 5, 5, false),  // at it
		mk("c", 6, 5, false),  // above
		mk("d", -1, 2, true),  // below, and sold at none
		mk("e", 0, 0, true),   // recount only
		mk("f", 0, 0, false),  // nothing
		mk("g", 1, 10, false), // below
		mk("h", -5, 0, true),  // sold most beyond its count
		mk("i", 0, 2, false),  // none left
	}
	low, rec := LowAndRecount(ps)
	names := func(ps []Product) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name)
		}
		return strings.Join(s, ",")
	}
	// The most urgent first: below nothing, none, a tenth, all of it.
	if got := names(low); got != "d,i,g,b" {
		t.Errorf("low = %s, want d,i,g,b", got)
	}
	if got := names(rec); got != "h,d,e" {
		t.Errorf("recount = %s, want h,d,e", got)
	}
}

func TestNewVariance(t *testing.T) {
	p := Product{GTIN: "07038010009457", Name: "Snus", Price: 13900, Stock: 10}
	tests := []struct {
		counted, diff int
		value         Money
	}{
		{10, 0, 0}, {7, -3, -41700}, {12, 2, 27800}, {0, -10, -139000},
	}
	for _, tt := range tests {
		v := NewVariance(p, tt.counted)
		if v.Expected != 10 || v.Counted != tt.counted || v.Diff != tt.diff || v.Value != tt.value {
			t.Errorf("NewVariance(stock 10, counted %d) = %+v; want diff %d value %d", tt.counted, v, tt.diff, tt.value)
		}
	}
}

func TestParseCounts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []CountLine
		err      string // in the error; "" none
	}{
		{"empty", "", nil, ""},
		{"header and lines", "gtin;counted\n7038010009457;12\n96385074,0\n", []CountLine{
			{2, "07038010009457", 12}, {3, "00000096385074", 0}}, ""},
		{"comments, blanks, CRLF, BOM, tab", "\ufeff# count of 3 Dec\r\n\r\n7038010009457\t 4 \r\n", []CountLine{{3, "07038010009457", 4}}, ""},
		{"bad check digit", "7038010009458;1\n", nil, "line 1"},
		{"not a number", "gtin;counted\n7038010009457;x\n", nil, "line 2"},
		{"negative", "7038010009457;-1\n", nil, "line 1"},
		{"too many", "7038010009457;100000\n", nil, "line 1"},
		{"three fields", "7038010009457;1;2\n", nil, "line 1"},
		{"one field", "7038010009457\n", nil, "line 1"},
		{"twice", "7038010009457;1\n07038010009457;2\n", nil, "counted on line 1"},
		{"header late", "7038010009457;1\ngtin;counted\n", nil, "line 2"},
		{"long line", strings.Repeat("1", 2000) + ";1\n", nil, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCounts(strings.NewReader(tt.in))
			if tt.err != "" {
				if !errors.Is(err, ErrCountFile) || !strings.Contains(err.Error(), tt.err) || got != nil {
					t.Fatalf("ParseCounts = %v, %v; want an ErrCountFile naming %q", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ParseCounts = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// FuzzParseCounts: a count file from outside never panics, and what it
// accepts is valid: GTINs in canonical form, counts in range, no product
// twice.
func FuzzParseCounts(f *testing.F) {
	for _, s := range []string{"gtin;counted\n7038010009457;12\n", "96385074,0", "# x\n\n", "7038010009458;1", "a;b;c", "\ufeff7038010009457\t4\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ls, err := ParseCounts(strings.NewReader(string(b)))
		if err != nil {
			if !errors.Is(err, ErrCountFile) || ls != nil {
				t.Fatalf("error %v with %d lines", err, len(ls))
			}
			return
		}
		seen := map[GTIN]bool{}
		for _, l := range ls {
			if c, err := ParseGTIN(string(l.GTIN)); err != nil || c != l.GTIN || seen[l.GTIN] || CheckCountQty(l.Counted) != nil {
				t.Fatalf("accepted %+v", l)
			}
			seen[l.GTIN] = true
		}
	})
}

func TestOutlook(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	a := Product{GTIN: "A", Name: "Alpha", Stock: 5}
	b := Product{GTIN: "B", Name: "Beta", Stock: 100}
	c := Product{GTIN: "C", Name: "Gamma", Stock: 0}
	d := Product{GTIN: "D", Name: "Delta", Stock: -2}
	e := Product{GTIN: "E", Name: "Eps", Stock: 3} // sold nothing
	mv := func(g GTIN, k MoveKind, delta int, ago time.Duration) StockMovement {
		return StockMovement{GTIN: g, Kind: k, Delta: delta, At: now.Add(-ago)}
	}
	ms := []StockMovement{
		mv("A", MoveSale, -28, 2*day),     // 1 a day
		mv("A", MoveSale, -100, 30*day),   // before the window
		mv("A", MoveReceipt, 50, 1*day),   // not a sale
		mv("B", MoveSale, -56, 10*day),    // 2 a day: 50 days left
		mv("C", MoveSale, -14, 3*day),     // 0.5 a day, none left
		mv("D", MoveSale, -30, 1*day),     // sold more than it had
		mv("D", MoveReturn, 2, 1*day),     // 28 net: 1 a day
		mv("D", MoveCount, -5, 1*day),     // not a sale
		mv("E", MoveCorrection, 3, 1*day), // not a sale
		mv("A", MoveSale, -5, -1*day),     // in the future: not counted
		// B, C and D were in stock before the window (an undated
		// opening balance; a receipt before it): rated over its 28 days.
		{GTIN: "B", Kind: MoveOpening, Delta: 156},
		mv("C", MoveReceipt, 14, 40*day),
		{GTIN: "D", Kind: MoveOpening, Delta: 0},
	}
	o := NewOutlook(now, 28)
	for _, m := range ms {
		o.Add(m)
	}
	if o.Sold("A") != 28 || o.Sold("D") != 28 || o.Sold("E") != 0 {
		t.Fatalf("sold A %d, D %d, E %d; want 28, 28, 0", o.Sold("A"), o.Sold("D"), o.Sold("E"))
	}
	if !o.Since().Equal(now.Add(-28 * day)) {
		t.Errorf("Since = %v", o.Since())
	}
	tests := []struct {
		name string
		p    OutlookParams
		want []OutlookRow
	}{
		{"lead 3, review 7", OutlookParams{Days: 28, LeadTime: 3, Review: 7}, []OutlookRow{
			{GTIN: "D", Name: "Delta", Stock: -2, Sold: 28, DaysLeft10: 0, Order: 12}, // 10 + 2
			{GTIN: "C", Name: "Gamma", Stock: 0, Sold: 14, DaysLeft10: 0, Order: 5},   // ⌈14×10/28⌉ = 5
		}},
		{"lead 5 takes A in", OutlookParams{Days: 28, LeadTime: 5, Review: 7}, []OutlookRow{
			{GTIN: "D", Name: "Delta", Stock: -2, Sold: 28, DaysLeft10: 0, Order: 14},
			{GTIN: "C", Name: "Gamma", Stock: 0, Sold: 14, DaysLeft10: 0, Order: 6},  // ⌈14×12/28⌉ = 6
			{GTIN: "A", Name: "Alpha", Stock: 5, Sold: 28, DaysLeft10: 50, Order: 7}, // 12 − 5
		}},
		{"no review, order at least 1", OutlookParams{Days: 28, LeadTime: 5, Review: 0}, []OutlookRow{
			{GTIN: "D", Name: "Delta", Stock: -2, Sold: 28, DaysLeft10: 0, Order: 7},
			{GTIN: "C", Name: "Gamma", Stock: 0, Sold: 14, DaysLeft10: 0, Order: 3},
			{GTIN: "A", Name: "Alpha", Stock: 5, Sold: 28, DaysLeft10: 50, Order: 1}, // 5 covers 5 days: 1
		}},
		{"no days", OutlookParams{Days: 0, LeadTime: 3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := o.Rows([]Product{a, b, c, d, e}, tt.p)
			if len(got) != len(tt.want) {
				t.Fatalf("Rows = %+v\nwant %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}

	// A product new inside the window: received 2½ days ago, 6 sold
	// since, 1 left: rated over 3 days (2 a day), not 28.
	n := NewOutlook(now, 28)
	n.Add(mv("N", MoveReceipt, 7, 60*time.Hour))
	n.Add(mv("N", MoveSale, -6, day))
	got := n.Rows([]Product{{GTIN: "N", Name: "New", Stock: 1}}, OutlookParams{Days: 28, LeadTime: 3, Review: 7})
	if want := (OutlookRow{GTIN: "N", Name: "New", Stock: 1, Sold: 6, DaysLeft10: 5, Order: 19}); len(got) != 1 || got[0] != want {
		t.Errorf("a new product: %+v, want %+v (⌈6×10/3⌉ − 1)", got, want)
	}
	if s := (OutlookRow{DaysLeft10: 25}).DaysLeft(); s != "2.5" {
		t.Errorf("DaysLeft = %q", s)
	}
}
