package kiosk

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Prices over time (issue 13 item 2). Every price a product has had is a
// PriceVersion: the price and the moment it took effect. A product's
// Price and PriceFrom are the version in force when it was looked up, and
// a sale line keeps them (Line.Product), so an audit can recompute every
// line from the history (PriceBook.Check). A store that kept no history
// has, for each product, one version in force since forever: From zero.

// CodePriceChange is the journal event code of a price change (SAF-T Cash
// Register PredefinedBasicID-13, code 13021 "Price change"), journaled
// when the change is made, also for one that takes effect later
// (PriceChangeEntry).
const CodePriceChange Code = 13021

// PriceVersion is one price of a product: in force from From (zero: since
// forever) until the next version's From. Set is when it was recorded;
// By who recorded it.
type PriceVersion struct {
	Price Money     `json:"price"`
	From  time.Time `json:"from,omitzero"`
	Set   time.Time `json:"set,omitzero"`
	By    string    `json:"by,omitempty"`
}

// Errors of price changes.
var (
	// ErrPriceInPast: a price change whose effective time is before now.
	// A price in force in the past cannot be changed: sales were made at
	// it.
	ErrPriceInPast = errors.New("kiosk: effective time is in the past")
	// ErrBadPriceChange: a price change with a price that is not positive.
	ErrBadPriceChange = errors.New("kiosk: bad price change")
)

// CheckPriceChange refuses a new price that is not positive
// (ErrBadPriceChange) and an effective time before now (ErrPriceInPast);
// from equal to now is the change made now.
func CheckPriceChange(price Money, from, now time.Time) error {
	if price <= 0 {
		return fmt.Errorf("%w: price %s must be positive", ErrBadPriceChange, price)
	}
	if from.Before(now) {
		return fmt.Errorf("%w: %s is before now (%s)", ErrPriceInPast,
			from.Format("2006-01-02 15:04:05 MST"), now.In(from.Location()).Format("2006-01-02 15:04:05 MST"))
	}
	return nil
}

// PriceAt returns the version of vs (ordered by From, as a store lists
// them) in force at t: the last whose From is not after t. ok is false
// when none is.
func PriceAt(vs []PriceVersion, t time.Time) (v PriceVersion, ok bool) {
	i := sortSearchAfter(vs, t)
	if i == 0 {
		return PriceVersion{}, false
	}
	return vs[i-1], true
}

// sortSearchAfter is the index of the first version of vs whose From is
// after t.
func sortSearchAfter(vs []PriceVersion, t time.Time) int {
	lo, hi := 0, len(vs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vs[m].From.After(t) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// PriceChangeEntry is the journal entry of a price change of p to price,
// in force from from, made at at by by: code 13021 with the old price
// (the one in force just before from), the new one and the effective time
// in Data ("old", "new" as decimals; "from" RFC 3339, UTC; "gtin").
// Amount is the new price.
func PriceChangeEntry(p Product, old, price Money, from, at time.Time, by string) Entry {
	e := Entry{Code: CodePriceChange, Time: at, Amount: price,
		Text: fmt.Sprintf("price %s (%s): %s -> %s from %s", p.GTIN, p.Name, old, price, from.UTC().Format(time.RFC3339)),
		Data: map[string]string{"gtin": string(p.GTIN), "name": p.Name, "old": old.Decimal(), "new": price.Decimal(),
			"from": from.UTC().Format(time.RFC3339Nano)}}
	if by != "" {
		e.Data["by"] = by
	}
	return e
}

// PriceBook is every product's price history, each ordered by From: what
// an audit checks the sales against.
type PriceBook map[GTIN][]PriceVersion

// Add puts v into g's history, keeping it ordered; a version with the
// same From is replaced.
func (b PriceBook) Add(g GTIN, v PriceVersion) {
	vs := b[g]
	i := sortSearchAfter(vs, v.From)
	if i > 0 && vs[i-1].From.Equal(v.From) {
		vs[i-1] = v
		return
	}
	b[g] = slices.Insert(vs, i, v)
}

// PriceMismatch is a sale line whose price is not the one the history
// had in force for it.
type PriceMismatch struct {
	Kiosk     string
	ReceiptNo uint64
	Line      int // from 1
	GTIN      GTIN
	Time      time.Time // the sale's completion
	Charged   Money     // the line's unit price
	ChargedAt time.Time // the price version the line names; zero: since forever
	Expected  Money     // the price in force at Time; 0 when none is
	Reason    string
}

func (m PriceMismatch) String() string {
	return fmt.Sprintf("kiosk %s receipt %d line %d %s: charged %s, expected %s (%s)",
		m.Kiosk, m.ReceiptNo, m.Line, m.GTIN, m.Charged.Decimal(), m.Expected.Decimal(), m.Reason)
}

// Check recomputes each line of s from the history. A line is right when
// the version it names (Product.PriceFrom; zero for a sale from before
// versions were kept: the first version) is in the history with the
// line's unit price, and was in force at some moment between the sale's
// start and its completion (a line is priced when it is scanned; a
// change may take effect while the customer pays). Every other line is
// a mismatch, with the price in force at completion as the expected one.
//
// A line sold by an in-store price label (instore.go: Code set, no
// weight) is priced by the label the shop printed, not by the catalog:
// it is not checked. A weight label's line is: its price is the
// product's price per kg.
func (b PriceBook) Check(s Sale) []PriceMismatch {
	var out []PriceMismatch
	for i, l := range s.Lines {
		if l.InStore() && l.Grams == 0 {
			continue
		}
		p := l.Product
		vs := b[p.GTIN]
		exp, _ := PriceAt(vs, s.Completed)
		bad := func(why string) {
			out = append(out, PriceMismatch{Kiosk: s.Kiosk, ReceiptNo: s.No, Line: i + 1, GTIN: p.GTIN, Time: s.Completed,
				Charged: p.Price, ChargedAt: p.PriceFrom, Expected: exp.Price, Reason: why})
		}
		if len(vs) == 0 {
			bad("no price history")
			continue
		}
		j := sortSearchAfter(vs, p.PriceFrom) - 1
		if j < 0 || !vs[j].From.Equal(p.PriceFrom) {
			bad(fmt.Sprintf("the line names price version %s, which the history does not have", versionName(p.PriceFrom)))
			continue
		}
		v := vs[j]
		started := s.Started
		if started.IsZero() || started.After(s.Completed) {
			started = s.Completed
		}
		switch {
		case v.Price != p.Price:
			bad(fmt.Sprintf("price version %s is %s", versionName(v.From), v.Price.Decimal()))
		case v.From.After(s.Completed):
			bad(fmt.Sprintf("price version %s took effect after the sale", versionName(v.From)))
		case j+1 < len(vs) && !vs[j+1].From.After(started):
			bad(fmt.Sprintf("price version %s was replaced at %s, before the sale", versionName(v.From), vs[j+1].From.UTC().Format(time.RFC3339)))
		}
	}
	return out
}

func versionName(from time.Time) string {
	if from.IsZero() {
		return "since forever"
	}
	return "from " + from.UTC().Format(time.RFC3339Nano)
}
