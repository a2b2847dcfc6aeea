package kiosk

// Stock (issue 13 items 4 and 5): every change of a product's stock is a
// StockMovement record written in the transaction that changes the stock,
// so that a product's stock is the sum of its movements; receiving goods
// and counting them are journaled (13999 with SubStockReceipt and
// SubStockCount); a count reports its variance; low-stock thresholds, the
// shelf recount flag and the stock-out outlook (days of stock left and a
// suggested order) are computed here, from the movements, with the time
// given.

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MoveKind is what changed a product's stock. The numbers are persisted
// (storage's movement records).
type MoveKind uint8

const (
	// MoveOpening is the stock a product had when movements began (a
	// store from before them, or a product put into the catalog with
	// stock): the first movement, so that the sum holds from the start.
	MoveOpening    MoveKind = 1
	MoveSale       MoveKind = 2 // a completed sale, negative
	MoveReturn     MoveKind = 3 // goods taken back, positive
	MoveReceipt    MoveKind = 4 // goods received from the supplier, positive
	MoveCount      MoveKind = 5 // a stock count: counted less expected
	MoveCorrection MoveKind = 6 // the stock set in the catalog (Catalog.Put), new less old
)

var moveKindNames = map[MoveKind]string{
	MoveOpening: "opening", MoveSale: "sale", MoveReturn: "return", MoveReceipt: "receipt",
	MoveCount: "count", MoveCorrection: "correction",
}

func (k MoveKind) String() string {
	if n, ok := moveKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("MoveKind(%d)", uint8(k))
}

// StockMovement is one change of one product's stock.
type StockMovement struct {
	// Seq is the journal record that recorded the change (the sale's,
	// the return's, the receipt's or the count's); 0 for an opening
	// balance, and the head's number then for a catalog correction,
	// which has no record of its own.
	Seq   uint64    `json:"seq"`
	GTIN  GTIN      `json:"gtin"`
	Kind  MoveKind  `json:"kind"`
	Delta int       `json:"delta"`
	Ref   string    `json:"ref,omitempty"`   // the receipt ("K1/17") of a sale or return
	Staff string    `json:"staff,omitempty"` // who received or counted
	At    time.Time `json:"at"`
}

// Subtypes of the 13999 records of stock work.
const (
	SubStockReceipt = "stock-receipt" // goods received: Data gtin, qty, stock, staff
	SubStockCount   = "stock-count"   // a count: Data gtin, expected, counted, variance, staff
)

// MaxReceiveQty bounds one receipt or count of one product.
const MaxReceiveQty = 99999

// ErrBadStockQty: a quantity received or counted out of range.
var ErrBadStockQty = errors.New("kiosk: stock quantity out of range")

// CheckReceiveQty checks a quantity received: 1 to MaxReceiveQty.
func CheckReceiveQty(qty int) error {
	if qty < 1 || qty > MaxReceiveQty {
		return fmt.Errorf("%w: received %d (1 to %d)", ErrBadStockQty, qty, MaxReceiveQty)
	}
	return nil
}

// CheckCountQty checks a quantity counted: 0 to MaxReceiveQty.
func CheckCountQty(qty int) error {
	if qty < 0 || qty > MaxReceiveQty {
		return fmt.Errorf("%w: counted %d (0 to %d)", ErrBadStockQty, qty, MaxReceiveQty)
	}
	return nil
}

// StockStore is the store's stock work for the staff screen. Errors:
// ErrNotFound for a product not in the catalog; ErrBadStockQty; a store
// error.
type StockStore interface {
	// ReceiveStock adds qty of g to its stock, with a MoveReceipt
	// movement by staff and the journal record e (its code and subtype
	// set by the store: 13999 SubStockReceipt), in one transaction, and
	// returns the product after it.
	ReceiveStock(ctx context.Context, g GTIN, qty int, staff string, e Entry) (Product, error)
	// StockStatus is what the staff screen shows of the stock at now,
	// the outlook computed with p.
	StockStatus(ctx context.Context, now time.Time, p OutlookParams) (StockStatus, error)
}

// StockStatus is the stock as the supervisor screen shows it.
type StockStatus struct {
	Low     []Product    // at or below their LowStock threshold, most urgent first (LowAndRecount)
	Recount []Product    // shelf products sold at no stock: count them; most urgent first
	Outlook []OutlookRow // the first of the stock-out outlook (StatusOutlookRows)
}

// StatusOutlookRows is how many outlook rows the staff screen shows.
const StatusOutlookRows = 5

// IsLow reports whether p is at or below its low-stock threshold.
func (p Product) IsLow() bool { return p.LowStock > 0 && p.Stock <= p.LowStock }

// LowAndRecount picks the products at or below their threshold and those
// flagged for a recount, the most urgent first (the staff screen names
// only the first few): low, by the share of the threshold left (none or
// less first: a product of 0 at a threshold of 2 before one of 1 at 10);
// to recount, by stock (the most sold beyond the count first). Products
// as urgent keep ps's order.
func LowAndRecount(ps []Product) (low, recount []Product) {
	for _, p := range ps {
		if p.IsLow() {
			low = append(low, p)
		}
		if p.Recount {
			recount = append(recount, p)
		}
	}
	// Stock/LowStock compared without division: both thresholds are
	// above 0 for a low product.
	slices.SortStableFunc(low, func(a, b Product) int {
		return cmp.Compare(int64(a.Stock)*int64(b.LowStock), int64(b.Stock)*int64(a.LowStock))
	})
	slices.SortStableFunc(recount, func(a, b Product) int { return cmp.Compare(a.Stock, b.Stock) })
	return low, recount
}

// Variance is one product's count against its expected stock.
type Variance struct {
	GTIN     GTIN
	Name     string
	Expected int   // the stock before the count
	Counted  int   // what was counted
	Diff     int   // Counted − Expected
	Value    Money // Diff at Price: the loss (negative) or the gain
	Price    Money
}

// NewVariance is p's count of counted.
func NewVariance(p Product, counted int) Variance {
	d := counted - p.Stock
	return Variance{GTIN: p.GTIN, Name: p.Name, Expected: p.Stock, Counted: counted, Diff: d, Value: p.Price * Money(d), Price: p.Price}
}

// CountLine is one line of a count file: a product and the quantity
// counted.
type CountLine struct {
	Line    int // in the file, from 1
	GTIN    GTIN
	Counted int
}

// ErrCountFile: a count file line that is not "gtin;counted".
var ErrCountFile = errors.New("kiosk: bad count file")

// maxCountLine bounds a line of a count file.
const maxCountLine = 1024

// ParseCounts reads a count file: one "gtin;counted" per line (a comma
// or a tab separates too), blank lines and lines starting with # skipped,
// and a first line "gtin;counted" (any case) taken as a header. The GTIN
// is any GS1 form ParseGTIN takes; counted is 0 to MaxReceiveQty. A
// product given twice is an error. Errors wrap ErrCountFile and name the
// line; nothing is returned with one.
func ParseCounts(r io.Reader) ([]CountLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxCountLine)
	var out []CountLine
	seen := map[GTIN]int{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == ',' || r == '\t' })
		if n == 1 && len(f) == 2 && strings.EqualFold(strings.TrimSpace(f[0]), "gtin") {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("%w: line %d: want gtin;counted, got %q", ErrCountFile, n, line)
		}
		g, err := ParseGTIN(strings.TrimSpace(f[0]))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrCountFile, n, err)
		}
		c, err := strconv.Atoi(strings.TrimSpace(f[1]))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: counted %q is not a whole number", ErrCountFile, n, strings.TrimSpace(f[1]))
		}
		if err := CheckCountQty(c); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrCountFile, n, err)
		}
		if prev, ok := seen[g]; ok {
			return nil, fmt.Errorf("%w: line %d: %s was counted on line %d already", ErrCountFile, n, g, prev)
		}
		seen[g] = n
		out = append(out, CountLine{Line: n, GTIN: g, Counted: c})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrCountFile, n+1, err)
	}
	return out, nil
}

// OutlookParams are the stock-out outlook's settings.
type OutlookParams struct {
	Days     int // the sales window: the last Days days before Now
	LeadTime int // the supplier's lead time, in days
	Review   int // the days between orders an order must also cover
}

// DefaultOutlook is the outlook's default: 28 days of sales, 3 days'
// lead time, a weekly order.
var DefaultOutlook = OutlookParams{Days: 28, LeadTime: 3, Review: 7}

// Outlook accumulates, movement by movement, what each product sold in
// the window (Days days up to now): a sale counts, a return of goods
// counts back. Receipts, counts and corrections are not sales. It also
// notes when each product was first in stock: a product first received
// inside the window (a new shop, a new product) is rated over the days
// since then, not over the whole window, or its rate would be too low
// by the days it was not there.
type Outlook struct {
	since, now time.Time
	sold       map[GTIN]int
	first      map[GTIN]time.Time // the earliest movement in the window
	older      map[GTIN]bool      // a movement before the window, or undated (an opening balance)
}

// NewOutlook starts an outlook over the days days before now.
func NewOutlook(now time.Time, days int) *Outlook {
	return &Outlook{since: now.Add(-time.Duration(days) * 24 * time.Hour), now: now,
		sold: map[GTIN]int{}, first: map[GTIN]time.Time{}, older: map[GTIN]bool{}}
}

// Since is the window's start: movements before it do not count.
func (o *Outlook) Since() time.Time { return o.since }

// Add counts m if it is a sale or a return in the window. A movement
// before the window or without a time (an opening balance) says the
// product was there before it: the caller gives one when it has one, and
// may stop reading there.
func (o *Outlook) Add(m StockMovement) {
	if m.At.IsZero() || m.At.Before(o.since) {
		o.older[m.GTIN] = true
		return
	}
	if m.At.After(o.now) {
		return
	}
	if f, ok := o.first[m.GTIN]; !ok || m.At.Before(f) {
		o.first[m.GTIN] = m.At
	}
	switch m.Kind {
	case MoveSale, MoveReturn:
		o.sold[m.GTIN] -= m.Delta
	}
}

// days is the days g's rate is taken over: the window's, or, for a
// product first in stock inside it, the whole days since then, at least
// one.
func (o *Outlook) days(g GTIN, window int) int {
	f, ok := o.first[g]
	if o.older[g] || !ok {
		return window
	}
	d := int((o.now.Sub(f) + 24*time.Hour - 1) / (24 * time.Hour))
	return min(max(d, 1), window)
}

// Sold is what g sold in the window, net of returns.
func (o *Outlook) Sold(g GTIN) int { return o.sold[g] }

// OutlookRow is one product that runs out within the lead time.
type OutlookRow struct {
	GTIN  GTIN
	Name  string
	Stock int
	Sold  int // in the window, net of returns
	// DaysLeft10 is the days of stock left, in tenths of a day:
	// Stock × Days × 10 / Sold, rounded down (0 at no stock).
	DaysLeft10 int
	Order      int // the suggested order quantity
}

// DaysLeft formats the days left with one decimal ("2.5").
func (r OutlookRow) DaysLeft() string {
	return strconv.Itoa(r.DaysLeft10/10) + "." + strconv.Itoa(r.DaysLeft10%10)
}

// Rows lists the products of ps that run out within the lead time, the
// soonest first (then by name, then GTIN). For a product that sold S
// (net) in the window of D days (or in the D whole days since it was
// first in stock, when that is inside the window: days), its daily rate
// is S/D; its days of stock
// left are Stock × D / S, and it is listed when those are at most
// LeadTime (a product that sold nothing is never listed). The suggested
// order covers the lead time and the review period at that rate, less
// the stock:
//
//	Order = ⌈S × (LeadTime + Review) / D⌉ − Stock, at least 1
//
// computed in integers (no rounding error; a negative stock adds to the
// order). p.Days must be positive.
func (o *Outlook) Rows(ps []Product, p OutlookParams) []OutlookRow {
	if p.Days < 1 {
		return nil
	}
	var out []OutlookRow
	for _, pr := range ps {
		s := o.sold[pr.GTIN]
		if s <= 0 {
			continue
		}
		stock := pr.Stock
		days := int64(o.days(pr.GTIN, p.Days))
		// Stock × D / S ≤ LeadTime  ⇔  Stock × D ≤ LeadTime × S
		if int64(stock)*days > int64(p.LeadTime)*int64(s) {
			continue
		}
		left := 0
		if stock > 0 {
			left = int(int64(stock) * days * 10 / int64(s))
		}
		need := int64(s) * int64(p.LeadTime+p.Review)
		cover := int((need + days - 1) / days)
		order := cover - stock
		if order < 1 {
			order = 1
		}
		out = append(out, OutlookRow{GTIN: pr.GTIN, Name: pr.Name, Stock: stock, Sold: s, DaysLeft10: left, Order: order})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DaysLeft10 != b.DaysLeft10 {
			return a.DaysLeft10 < b.DaysLeft10
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.GTIN < b.GTIN
	})
	return out
}
