package kiosk

import (
	"errors"
	"fmt"
	"slices"
)

// MaxQty bounds one line's quantity: a self-checkout sells to one person.
const MaxQty = 99

// Errors from Basket.
var (
	ErrNotInBasket = errors.New("kiosk: not in basket")
	ErrBadQty      = errors.New("kiosk: quantity out of range")
	ErrOutOfStock  = errors.New("kiosk: out of stock")
	// ErrSoldByWeight: a product sold by the kg (Unit kg) added by its
	// own code: it sells only by a weight label from the scale
	// (instore.go), which gives the weight.
	ErrSoldByWeight = errors.New("kiosk: sold by weight: scan the label from the scale")
)

// Line is one product and its quantity in a basket.
type Line struct {
	Product Product
	Qty     int
	// Code is the in-store code scanned for a line sold by one (instore.go),
	// in GTIN-14 form; it names the line in the basket. Empty on other lines.
	Code GTIN `json:",omitempty"`
	// Grams is the weight a weight code sold; Product.Price is then per kg
	// and Qty is 1. 0 on every other line.
	Grams int `json:",omitempty"`
	// Pant is the deposit (pant) charged per unit, on top of the price:
	// the product's Deposit when the line was made (NewLine). It is the
	// line's own, so that a sale reads the same however the catalog's
	// deposit changes later, and 0 on the lines of sales made before
	// the kiosk charged pant, which charged none. Pant is part of what
	// the customer pays for the goods, so it is in the VAT base at the
	// goods' rate (merverdiavgiftsloven § 4-2 (1): every cost of the
	// sale, whether in the price or charged apart).
	Pant Money `json:",omitempty"`
}

// NewLine is qty of p as a basket line: at p's price, with p's deposit
// (Line.Pant) on each unit.
func NewLine(p Product, qty int) Line { return Line{Product: p, Qty: qty, Pant: p.Deposit} }

// Goods is the line's price without its pant, VAT included: a weight
// line's weight at its price per kg, rounded to the øre (WeightAmount).
func (l Line) Goods() Money {
	if l.Grams != 0 {
		return WeightAmount(l.Product.Price, l.Grams) * Money(l.Qty)
	}
	return l.Product.Price * Money(l.Qty)
}

// PantTotal is the line's pant: Pant on each unit.
func (l Line) PantTotal() Money { return l.Pant * Money(l.Qty) }

// Total is what the line costs, VAT included: Goods and PantTotal.
func (l Line) Total() Money { return l.Goods() + l.PantTotal() }

// Basket is a customer's basket. The zero value is empty and ready to use.
// Lines keep the order in which products were first added.
type Basket struct {
	Lines []Line
}

func (b *Basket) find(g GTIN) int {
	for i, l := range b.Lines {
		if l.key() == g {
			return i
		}
	}
	return -1
}

// Add puts one more of p into the basket. It refuses to go beyond MaxQty,
// and for a cabinet product beyond its stock: the cabinet cannot hand
// out what it does not hold. A shelf product sells whatever the stock
// says: the goods are in the customer's hand, and the store flags it
// for a recount (Product.Recount).
func (b *Basket) Add(p Product) error {
	if p.Unit == UnitKg {
		return fmt.Errorf("%w: %s", ErrSoldByWeight, p.Name)
	}
	i := b.find(p.GTIN)
	if i < 0 {
		if p.Cabinet && p.Stock < 1 {
			return fmt.Errorf("%w: %s", ErrOutOfStock, p.Name)
		}
		b.Lines = append(b.Lines, NewLine(p, 1))
		return nil
	}
	return b.SetQty(p.GTIN, b.Lines[i].Qty+1)
}

// SetQty changes a line's quantity; 0 removes the line. A cabinet
// product's quantity is bounded by its stock, a shelf product's by
// MaxQty only (Add).
func (b *Basket) SetQty(g GTIN, qty int) error {
	i := b.find(g)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotInBasket, g)
	}
	if qty < 0 || qty > MaxQty {
		return fmt.Errorf("%w: %d", ErrBadQty, qty)
	}
	if b.Lines[i].InStore() && qty > 1 {
		return errInStoreQty(b.Lines[i])
	}
	if b.Lines[i].Product.Cabinet && qty > b.Lines[i].Product.Stock && !b.Lines[i].InStore() {
		return fmt.Errorf("%w: %s (%d left)", ErrOutOfStock, b.Lines[i].Product.Name, b.Lines[i].Product.Stock)
	}
	if qty == 0 {
		b.Lines = append(b.Lines[:i], b.Lines[i+1:]...)
		return nil
	}
	b.Lines[i].Qty = qty
	return nil
}

// Remove takes a line out of the basket.
func (b *Basket) Remove(g GTIN) error { return b.SetQty(g, 0) }

// RemoveRestricted takes every age-restricted line out (after staff refused
// the age check) and reports how many lines went.
func (b *Basket) RemoveRestricted() int {
	kept := b.Lines[:0]
	n := 0
	for _, l := range b.Lines {
		if l.Product.Restricted() {
			n++
			continue
		}
		kept = append(kept, l)
	}
	b.Lines = kept
	return n
}

// Empty reports whether the basket has no lines.
func (b *Basket) Empty() bool { return len(b.Lines) == 0 }

// Count is the number of items (sum of quantities).
func (b *Basket) Count() int {
	n := 0
	for _, l := range b.Lines {
		n += l.Qty
	}
	return n
}

// Total is what the customer pays, VAT included.
func (b *Basket) Total() Money {
	var t Money
	for _, l := range b.Lines {
		t += l.Total()
	}
	return t
}

// Restricted reports whether any line needs an age check.
func (b *Basket) Restricted() bool {
	for _, l := range b.Lines {
		if l.Product.Restricted() {
			return true
		}
	}
	return false
}

// AgeLimit is the highest age limit of the basket's lines, 0 when none
// is restricted: one age check covers them all.
func (b *Basket) AgeLimit() int {
	limit := 0
	for _, l := range b.Lines {
		limit = max(limit, l.Product.MinAge)
	}
	return limit
}

// CabinetLines are the lines delivered from the locked cabinet.
func (b *Basket) CabinetLines() []Line {
	var out []Line
	for _, l := range b.Lines {
		if l.Product.Cabinet {
			out = append(out, l)
		}
	}
	return out
}

// Compartments lists the cabinet compartments lines are released from,
// ascending, each once.
func Compartments(lines []Line) []int {
	var out []int
	for _, l := range lines {
		if n := l.Product.CompartmentNo(); n > 0 && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// VAT is the basket's VAT breakdown per rate.
func (b *Basket) VAT() []VATLine { return VATBreakdown(grossByRate(b.Lines)) }

func grossByRate(lines []Line) map[VATRate]Money {
	m := make(map[VATRate]Money)
	for _, l := range lines {
		m[l.Product.VAT] += l.Total()
	}
	return m
}

// Clone returns a deep copy of b.
func (b *Basket) Clone() Basket {
	return Basket{Lines: append([]Line(nil), b.Lines...)}
}
